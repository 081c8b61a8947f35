//! The value under the pointer on a chart: a crosshair and markers in an SVG
//! laid over the chart (the chart itself is not redrawn on every move; SVG
//! is crisp at any device pixel ratio and is no second canvas for the page's
//! canvas checks) and a small label with the values, from what the chart's
//! drawing code recorded ([`Panel`]s, see [`super::readout`]).
//!
//! Mouse: hover. Touch: tap or slide sideways (the page still scrolls up and
//! down); the label stays until a tap elsewhere. Keyboard: the chart takes
//! focus, ← → walk its points (Home, End; ↑ ↓ between panels) and a live
//! region says each value, so a screen reader hears what the label shows.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, HtmlCanvasElement, HtmlElement, KeyboardEvent, MouseEvent, Node};

use super::drag::ARROW_KEYS_ATTRIBUTE;
use super::readout::{cursor_at, step, Cursor, Move, Panel, Reading};
use super::svg::{self, num};
use crate::draw::palette;
use crate::error::{WebError, WebResult};
use crate::i18n::{Key, Lang};
use crate::widgets::{dom, HiDpiCanvas, Listener};

/// Where the read-out stands.
#[derive(Clone, Copy, PartialEq)]
enum At {
    Nowhere,
    /// A mouse, pen (`false`) or finger (`true`) at this point of the
    /// window: what lies under it is found anew when the page scrolls.
    Pointer((f64, f64), bool),
    /// Moved there with the keys.
    Keys(Cursor),
}

/// A chart's read-out: keep it with the chart's canvas and give it the
/// chart's [`Panel`]s each time the chart is drawn ([`Hover::show`]).
pub struct Hover {
    state: Rc<RefCell<State>>,
    _listeners: Vec<Listener>,
}

struct State {
    lang: Lang,
    chart: HtmlCanvasElement,
    /// The crosshair and markers (an `<svg>`).
    overlay: Element,
    /// The label with the values (seen; screen readers get `live`).
    tip: HtmlElement,
    live: HtmlElement,
    hint: HtmlElement,
    panels: Vec<Panel>,
    /// The chart's size in CSS pixels (what the panels are measured in).
    css: (f64, f64),
    at: At,
}

thread_local! {
    /// Numbers the hint elements, for `aria-describedby`.
    static HINTS: Cell<u32> = const { Cell::new(0) };
}

impl Hover {
    /// Makes `chart` readable: focusable, described by the keys' hint, and
    /// followed by the pointer. Shows nothing until [`Hover::show`] gave it
    /// something to read.
    pub fn attach(chart: &HiDpiCanvas, lang: Lang) -> WebResult<Hover> {
        let element = chart.element.clone();
        let overlay = svg::element(
            "svg",
            &[("class", "readout-overlay"), ("aria-hidden", "true")],
        )?;
        let tip: HtmlElement = dom::create("div", "readout-tip")?;
        dom::set_attr(&tip, "aria-hidden", "true");
        let live: HtmlElement = dom::create("span", "visually-hidden readout-live")?;
        dom::set_attr(&live, "aria-live", "polite");
        let hint: HtmlElement = dom::create("span", "visually-hidden")?;
        let n = HINTS.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        hint.set_id(&format!("readout-hint-{n}"));
        tip.set_id(&format!("readout-tip-{n}"));
        dom::set_attr(&element, "data-readout-tip", &tip.id());
        element.set_tab_index(0);
        dom::set_attr(&element, ARROW_KEYS_ATTRIBUTE, "");
        dom::set_attr(&element, "aria-describedby", &hint.id());
        element.class_list().add_1("readable-chart")?;
        let state = Rc::new(RefCell::new(State {
            lang,
            chart: element.clone(),
            overlay,
            tip,
            live,
            hint,
            panels: Vec::new(),
            css: (0.0, 0.0),
            at: At::Nowhere,
        }));
        let listeners = listen(&element, &state)?;
        Ok(Hover {
            state,
            _listeners: listeners,
        })
    }

    /// What `chart` shows now; the read-out follows at once if it is showing.
    pub fn show(&self, chart: &HiDpiCanvas, panels: Vec<Panel>) -> WebResult<()> {
        let mut s = self.state.borrow_mut();
        let (w, h) = chart.css_size();
        s.css = (f64::from(w), f64::from(h));
        s.panels = panels;
        s.place()?;
        let hint = if s.panels.len() > 1 {
            Key::ReadoutHintPanels
        } else {
            Key::ReadoutHint
        };
        dom::set_text_if_changed(&s.hint, s.lang.text(hint));
        s.render(false)
    }
}

impl Drop for Hover {
    /// The label and the spoken parts live in the page's body, outside the
    /// lesson: they go with the chart.
    fn drop(&mut self) {
        let s = self.state.borrow();
        for part in [&s.tip, &s.hint, &s.live] {
            part.remove();
        }
    }
}

/// The chart's listeners: pointer, keys, focus, scrolling and taps elsewhere.
fn listen(chart: &HtmlCanvasElement, state: &Rc<RefCell<State>>) -> WebResult<Vec<Listener>> {
    let pointer = |kind: &'static str| {
        let state = state.clone();
        Listener::new(chart, kind, move |event: Event| {
            let mut s = state.borrow_mut();
            let touch = is_touch(&event);
            match kind {
                // A finger lifted keeps its read-out; a mouse that left does not.
                "pointerleave" if touch => Ok(()),
                "pointerleave" => s.set(At::Nowhere, false),
                _ => match s.position(&event) {
                    Some(at) => s.set(At::Pointer(at, touch), false),
                    None => Ok(()),
                },
            }
        })
    };
    let mut listeners = vec![
        pointer("pointermove")?,
        pointer("pointerdown")?,
        pointer("pointerleave")?,
        // A click does not take focus: the lesson's own keys (→ is "one
        // step") stay with the lesson; keyboard users reach the chart by Tab.
        Listener::new(chart, "mousedown", |event: Event| {
            event.prevent_default();
            Ok(())
        })?,
    ];
    let s = state.clone();
    listeners.push(Listener::new(chart, "keydown", move |event: Event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
            return Ok(());
        };
        if key.ctrl_key() || key.meta_key() || key.alt_key() {
            return Ok(());
        }
        let Some(how) = Move::of_key(&key.key(), key.shift_key()) else {
            return Ok(());
        };
        event.prevent_default();
        let mut s = s.borrow_mut();
        let from = match s.at {
            At::Keys(c) => Some(c),
            At::Pointer(p, touch) => s.local(p, touch).and_then(|p| cursor_at(&s.panels, p)),
            At::Nowhere => None,
        };
        match step(&s.panels, from, how) {
            Some(c) => s.set(At::Keys(c), true),
            None => Ok(()),
        }
    })?);
    let s = state.clone();
    listeners.push(Listener::new(chart, "blur", move |_: Event| {
        let mut s = s.borrow_mut();
        if matches!(s.at, At::Keys(_)) {
            s.set(At::Nowhere, false)?;
        }
        Ok(())
    })?);
    // Scrolling moves the chart under a still mouse and away from the
    // fixed label: read again (a finger's read-out goes: the finger left).
    let s = state.clone();
    listeners.push(Listener::new(
        &dom::window()?,
        "scroll",
        move |_: Event| {
            let mut s = s.borrow_mut();
            match s.at {
                At::Nowhere => Ok(()),
                At::Pointer(_, true) => s.set(At::Nowhere, false),
                _ => s.render(false),
            }
        },
    )?);
    // A tap anywhere else puts a finger's read-out away.
    let s = state.clone();
    let own = chart.clone();
    listeners.push(Listener::new(
        &dom::window()?,
        "pointerdown",
        move |event: Event| {
            let on_chart = event
                .target()
                .and_then(|t| t.dyn_into::<Node>().ok())
                .is_some_and(|t| own.contains(Some(&t)));
            let mut s = s.borrow_mut();
            if !on_chart && matches!(s.at, At::Pointer(_, true)) {
                s.set(At::Nowhere, false)?;
            }
            Ok(())
        },
    )?);
    Ok(listeners)
}

/// A touch pointer (not a mouse or pen).
fn is_touch(event: &Event) -> bool {
    js_sys::Reflect::get(event.as_ref(), &"pointerType".into())
        .ok()
        .and_then(|t| t.as_string())
        .is_some_and(|t| t == "touch")
}

impl State {
    /// Puts the overlay, label and spoken parts right after the chart,
    /// positioned over it (once it is in the page).
    fn place(&self) -> WebResult<()> {
        if self.overlay.parent_node().is_some() {
            return Ok(());
        }
        let Some(parent) = self.chart.parent_element() else {
            return Ok(());
        };
        // Absolute children are placed from the nearest positioned ancestor:
        // make it the chart's own parent, as the chart's offsets are.
        let positioned = dom::window()?
            .get_computed_style(&parent)?
            .map(|s| s.get_property_value("position"))
            .transpose()?
            .is_some_and(|p| p != "static");
        if !positioned {
            parent.class_list().add_1("readout-host")?;
        }
        parent.insert_before(&self.overlay, self.chart.next_sibling().as_ref())?;
        // The label goes over everything, clipped by no frame (see `label`);
        // the spoken parts are read wherever they are, and there no chart's
        // colours lie under their (unseen) text.
        let body = dom::document()?
            .body()
            .ok_or(WebError::MissingElement("body"))?;
        for part in [&self.tip, &self.hint, &self.live] {
            dom::append(&body, part)?;
        }
        self.overlay.set_attribute("hidden", "")?;
        self.tip.set_hidden(true);
        Ok(())
    }

    /// Where a pointer event is, in the window.
    fn position(&self, event: &Event) -> Option<(f64, f64)> {
        let mouse = event.dyn_ref::<MouseEvent>()?;
        Some((f64::from(mouse.client_x()), f64::from(mouse.client_y())))
    }

    /// A point of the window in the chart's CSS pixels (the canvas may be
    /// shown smaller than its size, by `max-width`); `None` off the chart
    /// for a mouse (a finger's read-out stays until a tap elsewhere).
    fn local(&self, (x, y): (f64, f64), touch: bool) -> Option<(f64, f64)> {
        let rect = self.chart.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let inside =
            (rect.left()..=rect.right()).contains(&x) && (rect.top()..=rect.bottom()).contains(&y);
        if !inside && !touch {
            return None;
        }
        Some((
            (x - rect.left()) * self.css.0 / rect.width(),
            (y - rect.top()) * self.css.1 / rect.height(),
        ))
    }

    fn set(&mut self, at: At, say: bool) -> WebResult<()> {
        self.at = at;
        self.render(say)
    }

    /// Draws the read-out where it stands (or hides it); `say` also gives
    /// it to the live region.
    fn render(&mut self, say: bool) -> WebResult<()> {
        let cursor = match self.at {
            At::Nowhere => None,
            At::Pointer(p, touch) => self
                .local(p, touch)
                .and_then(|p| cursor_at(&self.panels, p)),
            At::Keys(c) => step(&self.panels, Some(c), Move::By(0)),
        };
        let reading = cursor.map(|c| self.panels[c.panel].reading(c.stop, self.lang));
        let Some(reading) = reading.filter(|_| self.overlay.parent_node().is_some()) else {
            // Charts redraw often: touch the page only when something shows.
            if !self.tip.hidden() {
                self.overlay.set_attribute("hidden", "")?;
                self.tip.set_hidden(true);
            }
            return Ok(());
        };
        if let At::Keys(_) = self.at {
            self.at = At::Keys(cursor.unwrap_or(Cursor { panel: 0, stop: 0 }));
        }
        self.draw(&reading)?;
        self.label(&reading)?;
        if say {
            self.live
                .set_text_content(Some(&reading.sentence(self.lang)));
        }
        Ok(())
    }

    /// The crosshair (a bin's band) and a ring on each line read, in the
    /// chart's CSS pixels, shown at the size the chart is shown at.
    fn draw(&self, reading: &Reading) -> WebResult<()> {
        let (w, h) = self.css;
        let shown = self.chart.get_bounding_client_rect();
        let colors = palette::current();
        let (x0, x1) = reading.span;
        let (top, height) = (num(reading.top), num(reading.bottom - reading.top));
        let mut markup = if x1 > x0 {
            format!(
                r#"<rect x="{}" y="{top}" width="{}" height="{height}" fill="{}" fill-opacity="0.14" stroke="{}" stroke-opacity="0.7"/>"#,
                num(x0),
                num(x1 - x0),
                colors.ink,
                colors.ink
            )
        } else {
            // A halo of the paper's colour under the ink: seen on light and dark charts.
            let x = num(x0);
            let line = format!(
                r#"<line x1="{x}" x2="{x}" y1="{top}" y2="{}""#,
                num(reading.bottom)
            );
            format!(
                r#"{line} stroke="{}" stroke-opacity="0.55" stroke-width="3"/>{line} stroke="{}" stroke-opacity="0.75"/>"#,
                colors.paper, colors.ink
            )
        };
        for ((x, y), color) in &reading.markers {
            markup += &format!(
                r#"<circle cx="{}" cy="{}" r="4.5" fill="{color}" stroke="{}" stroke-width="2"/>"#,
                num(*x),
                num(*y),
                colors.paper
            );
        }
        let o = &self.overlay;
        o.set_attribute("viewBox", &format!("0 0 {w} {h}"))?;
        o.set_attribute(
            "style",
            &format!(
                "left:{};top:{};width:{};height:{}",
                px(self.left()),
                px(self.top()),
                px(shown.width()),
                px(shown.height())
            ),
        )?;
        o.set_inner_html(&markup);
        o.remove_attribute("hidden")?;
        Ok(())
    }

    /// The label: the x (or the histogram's name), then a line per value
    /// with its colour. Fixed to the window, so no frame clips it: beside
    /// the crosshair inside the plot, clear of the markers, or above the
    /// chart when the plot is too low for it (a phone).
    fn label(&self, reading: &Reading) -> WebResult<()> {
        let tip = &self.tip;
        dom::clear(tip);
        dom::add_text(tip, "div", "readout-title", &reading.title)?;
        for (color, text) in &reading.lines {
            let row = dom::add_text(tip, "div", "readout-row", text)?;
            row.style().set_property("--swatch", color)?;
        }
        tip.set_hidden(false);
        let window = dom::window()?;
        let size = |v: JsValue| v.as_f64().unwrap_or(1e4);
        let (vw, vh) = (size(window.inner_width()?), size(window.inner_height()?));
        let rect = self.chart.get_bounding_client_rect();
        let scale = if self.css.0 > 0.0 {
            rect.width() / self.css.0
        } else {
            1.0
        };
        let (tw, th) = (
            f64::from(tip.offset_width()),
            f64::from(tip.offset_height()),
        );
        // Right of the crosshair, or left of it where there is no room.
        let (x0, x1) = reading.span;
        let gap = 12.0;
        let right = rect.left() + x1 * scale + gap;
        let mut x = if right + tw <= rect.right().min(vw) {
            right
        } else {
            rect.left() + x0 * scale - gap - tw
        };
        if tw <= rect.width() {
            x = x.clamp(rect.left(), rect.right() - tw);
        }
        let x = x.clamp(4.0, (vw - tw - 4.0).max(4.0));
        let (top, bottom) = (
            rect.top() + reading.top * scale,
            rect.top() + reading.bottom * scale,
        );
        // In the plot, at its top, or at its bottom when a marker is high.
        let high = reading
            .markers
            .iter()
            .any(|((_, y), _)| *y < (reading.top + reading.bottom) / 2.0);
        let y = if th + 8.0 <= bottom - top {
            if high {
                bottom - th - 4.0
            } else {
                top + 4.0
            }
        } else if rect.top() - th - 6.0 >= 4.0 {
            rect.top() - th - 6.0
        } else {
            rect.bottom() + 6.0
        };
        let y = y.clamp(4.0, (vh - th - 4.0).max(4.0));
        let style = tip.style();
        style.set_property("left", &px(x))?;
        style.set_property("top", &px(y))?;
        Ok(())
    }

    /// The chart's left edge in its parent's coordinates.
    fn left(&self) -> f64 {
        f64::from(self.chart.offset_left() + self.chart.client_left())
    }

    fn top(&self) -> f64 {
        f64::from(self.chart.offset_top() + self.chart.client_top())
    }
}

fn px(v: f64) -> String {
    format!("{v:.1}px")
}
