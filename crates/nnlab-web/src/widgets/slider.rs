//! A labelled slider with an editable number beside it. A logarithmic scale
//! suits learning rates, which matter by their order of magnitude.

use web_sys::{Event, HtmlElement, HtmlInputElement};

use super::{dom, Handler, Listener};
use crate::error::WebResult;
use crate::i18n::Key;

/// How slider positions map to values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// Evenly spaced values from `min` to `max` in steps of `step`.
    Linear {
        /// The value at the left end.
        min: f64,
        /// The value at the right end.
        max: f64,
        /// The distance between two positions.
        step: f64,
    },
    /// Evenly spaced *exponents*: each tenth of the track multiplies the value by the same factor.
    Log {
        /// The value at the left end (> 0).
        min: f64,
        /// The value at the right end.
        max: f64,
    },
}

/// Number of positions of a logarithmic slider's track.
const LOG_POSITIONS: f64 = 1000.0;

impl Scale {
    /// Values from `min` to `max` spaced evenly in their logarithm (rates, speeds).
    pub const fn log(min: f64, max: f64) -> Scale {
        Scale::Log { min, max }
    }

    /// Values from `min` to `max` in steps of `step`.
    pub const fn linear(min: f64, max: f64, step: f64) -> Scale {
        Scale::Linear { min, max, step }
    }

    fn bounds(self) -> (f64, f64) {
        match self {
            Scale::Linear { min, max, .. } | Scale::Log { min, max } => (min, max),
        }
    }

    /// The `min`, `max`, `step` attributes of the `<input type="range">`.
    fn track(self) -> (f64, f64, f64) {
        match self {
            Scale::Linear { min, max, step } => (min, max, step),
            Scale::Log { .. } => (0.0, LOG_POSITIONS, 1.0),
        }
    }

    /// Track position → value.
    pub fn value_at(self, position: f64) -> f64 {
        match self {
            Scale::Linear { min, max, .. } => position.clamp(min, max),
            Scale::Log { min, max } => {
                let t = (position / LOG_POSITIONS).clamp(0.0, 1.0);
                (min.ln() + t * (max.ln() - min.ln())).exp()
            }
        }
    }

    /// Value → track position (clamped to the track).
    pub fn position_of(self, value: f64) -> f64 {
        match self {
            Scale::Linear { min, max, .. } => value.clamp(min, max),
            Scale::Log { min, max } => {
                let v = value.clamp(min, max);
                ((v.ln() - min.ln()) / (max.ln() - min.ln()) * LOG_POSITIONS).round()
            }
        }
    }

    /// Whether a typed value is inside the slider's range.
    pub fn accepts(self, value: f64) -> bool {
        let (min, max) = self.bounds();
        value.is_finite() && value >= min && value <= max
    }
}

/// A `<label>` holding a caption, a range input and a number field, and a
/// line that says why a typed number was refused.
pub struct Slider {
    /// Insert this into the page.
    pub root: HtmlElement,
    range: HtmlInputElement,
    number: HtmlInputElement,
    message: HtmlElement,
    scale: Scale,
    format: fn(f64) -> String,
    unit: &'static str,
    /// The lesson's own words for a refused number (see [`Slider::explain_refusals`]).
    refusal: Option<String>,
}

impl Slider {
    /// `format` turns a value into the text of the number field.
    #[inline(always)]
    pub fn new(
        caption: &str,
        unit: &'static str,
        scale: Scale,
        value: f64,
        format: fn(f64) -> String,
    ) -> WebResult<Slider> {
        Ok(Slider::build(caption, unit, scale, value, format))
    }

    #[inline(never)]
    fn build(
        caption: &str,
        unit: &'static str,
        scale: Scale,
        value: f64,
        format: fn(f64) -> String,
    ) -> Slider {
        let root: HtmlElement = dom::create_as("label", "field slider");
        dom::append_node(&root, &dom::text_node("span", "field-label", caption));
        let row: HtmlElement = dom::create_as("span", "slider-row");
        let range: HtmlInputElement = dom::create_as("input", "");
        range.set_type("range");
        let (min, max, step) = scale.track();
        range.set_min(&min.to_string());
        range.set_max(&max.to_string());
        range.set_step(&step.to_string());
        // A screen reader reads the value, not the track position (a log
        // slider's position 400 is a learning rate of 0.001): see `set_value`.
        dom::set_attr(&range, "aria-label", caption);
        let number: HtmlInputElement = dom::create_as("input", "slider-number");
        number.set_type("text");
        dom::set_attr(&number, "inputmode", "decimal");
        dom::set_attr(&number, "aria-label", caption);
        dom::set_attr(&number, "spellcheck", "false");
        dom::append_node(&row, &range);
        dom::append_node(&row, &number);
        if !unit.is_empty() {
            dom::append_node(&row, &dom::text_node("span", "slider-unit", unit));
        }
        dom::append_node(&root, &row);
        let message: HtmlElement = dom::create_as("span", "slider-message");
        dom::set_attr(&message, "role", "alert");
        message.set_hidden(true);
        dom::append_node(&root, &message);
        let slider = Slider {
            root,
            range,
            number,
            message,
            scale,
            format,
            unit,
            refusal: None,
        };
        slider.set_value(value);
        slider
    }

    /// Shows `value` on the track and in the number field (no event fires).
    /// A number field the user is typing in is left alone.
    pub fn set_value(&self, value: f64) {
        self.range
            .set_value(&self.scale.position_of(value).to_string());
        describe(&self.range, &(self.format)(value), self.unit);
        let typing = dom::document()
            .ok()
            .and_then(|d| d.active_element())
            .is_some_and(|active| active == **self.number);
        if !typing {
            self.number.set_value(&(self.format)(value));
            accepted(&self.number, &self.message);
        }
    }

    /// Refused text in the number box is explained by `message` instead of the
    /// generic "type a number from … to …" (an alert with id `id`, so screen
    /// readers say it at once). Call before [`Slider::on_input`].
    pub fn explain_refusals(&mut self, message: &str, id: &str) {
        self.message.set_id(id);
        dom::set_attr(&self.number, "aria-describedby", id);
        self.refusal = Some(message.to_string());
    }

    /// Shows or hides the whole slider.
    pub fn set_visible(&self, visible: bool) {
        self.root.set_hidden(!visible);
    }

    /// Calls `f` with the new value while the track moves, and when a valid
    /// number is typed (Enter or leaving the field). Out-of-range text is marked, not applied.
    #[inline(always)]
    pub fn on_input(
        &self,
        f: impl FnMut(f64) -> WebResult<()> + 'static,
    ) -> WebResult<Vec<Listener>> {
        Ok(self.on_input_boxed(Box::new(f)))
    }

    /// The body of [`Slider::on_input`], compiled once (see [`Handler`]).
    fn on_input_boxed(&self, f: Handler<f64>) -> Vec<Listener> {
        let f = std::rc::Rc::new(std::cell::RefCell::new(f));
        let (scale, format, unit) = (self.scale, self.format, self.unit);
        let refusal = self.refusal.clone();

        let (range, number, message) = (
            self.range.clone(),
            self.number.clone(),
            self.message.clone(),
        );
        let on_track = f.clone();
        let track = Listener::on(&self.range, "input", move |_: Event| {
            let position: f64 = range.value().parse().unwrap_or(0.0);
            let value = scale.value_at(position);
            number.set_value(&format(value));
            describe(&range, &format(value), unit);
            accepted(&number, &message);
            (on_track.borrow_mut())(value)
        });

        let (range, number, message) = (
            self.range.clone(),
            self.number.clone(),
            self.message.clone(),
        );
        let typed = Listener::on(&self.number, "change", move |_: Event| {
            let text = number.value();
            match text.trim().parse::<f64>() {
                Ok(value) if scale.accepts(value) => {
                    accepted(&number, &message);
                    range.set_value(&scale.position_of(value).to_string());
                    describe(&range, &format(value), unit);
                    (f.borrow_mut())(value)
                }
                _ => {
                    // The last good value stays in force; say why this one is not.
                    let why = refusal.clone().unwrap_or_else(|| {
                        let (min, max) = scale.bounds();
                        crate::banner::lang().fill(
                            Key::SliderRefused,
                            &[("min", &format(min)), ("max", &format(max))],
                        )
                    });
                    dom::set_text_if_changed(&message, &why);
                    message.set_hidden(false);
                    number.class_list().add_1("invalid").ok();
                    dom::set_attr(&number, "aria-invalid", "true");
                    Ok(())
                }
            }
        });
        vec![track, typed]
    }
}

/// The value a screen reader reads for the track (`aria-valuetext`).
fn describe(range: &HtmlInputElement, value: &str, unit: &str) {
    let text = if unit.is_empty() {
        value.to_string()
    } else {
        format!("{value} {unit}")
    };
    dom::set_attr(range, "aria-valuetext", &text);
}

/// Clears a refusal: the field holds a value in force again.
fn accepted(number: &HtmlInputElement, message: &HtmlElement) {
    number.class_list().remove_1("invalid").ok();
    dom::set_attr(number, "aria-invalid", "false");
    message.set_text_content(None);
    message.set_hidden(true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_scale_maps_ends_and_middle() {
        // 1e-4 .. 1 spans four decades; the middle position 500 is 10^-2.
        let s = Scale::log(1e-4, 1.0);
        assert!((s.value_at(0.0) - 1e-4).abs() < 1e-16);
        assert!((s.value_at(1000.0) - 1.0).abs() < 1e-12);
        assert!((s.value_at(500.0) - 1e-2).abs() < 1e-12);
        assert_eq!(s.position_of(1e-2), 500.0);
        // 10^-3 is one decade of four: position 250.
        assert_eq!(s.position_of(1e-3), 250.0);
        assert_eq!(s.position_of(50.0), 1000.0);
        assert!(s.accepts(0.5) && !s.accepts(2.0) && !s.accepts(f64::NAN));
    }

    #[test]
    fn speeds_read_whole_from_ten_and_to_hundredths_below() {
        use crate::widgets::transport::format_speed;
        let shown = [3000.0, 12.4, 2.5, 1.0, 0.25, 0.1].map(format_speed);
        assert_eq!(shown, ["3000", "12", "2.5", "1", "0.25", "0.1"]);
    }

    #[test]
    fn linear_scale_clamps() {
        let s = Scale::linear(0.0, 0.99, 0.01);
        assert_eq!(s.value_at(0.5), 0.5);
        assert_eq!(s.value_at(2.0), 0.99);
        assert_eq!(s.position_of(-1.0), 0.0);
    }
}
