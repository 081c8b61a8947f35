//! The page side of the derivative lesson: the curve with the tangent, the
//! secant and the gap at p + ε (drawn by [`super::figure`]); the ε and speed
//! sliders; the read-outs; saving the figure. Handlers only change the model;
//! each frame [`View::catch_up`] brings the page in line.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab::surfaces::Surface;
use nnlab_figures::Frame;

use super::figure::{draw_marks, Slide, GAP_COLOR, SECANT_COLOR, TANGENT_COLOR};
use super::model::{Model, Phase, Tangent, EPS_MAX, EPS_MIN, SPEED_MAX, SPEED_MIN};
use crate::error::{WebError, WebResult};
use crate::export;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::curve_view::CurveView;
use crate::lessons::kit::drag::on_drag;
use crate::lessons::kit::format::format_number;
use crate::lessons::kit::page;
use crate::lessons::{LessonModel, LessonView, Mount};
use crate::widgets::{dom, ExportButtons, Listener, Scale, Slider, TransportButtons};

/// Legend texts of the tangent, the secant and the gap, in that order.
const LEGEND: [([u8; 3], Key); 3] = [
    (TANGENT_COLOR, Key::DerivLegendTangent),
    (SECANT_COLOR, Key::DerivLegendSecant),
    (GAP_COLOR, Key::DerivLegendGap),
];
const ASPECT: f64 = 0.62;
const MAX_CANVAS_WIDTH: u32 = 960;
const EPS_SCALE: Scale = Scale::Log {
    min: EPS_MIN,
    max: EPS_MAX,
};
const SPEED_SCALE: Scale = Scale::Log {
    min: SPEED_MIN,
    max: SPEED_MAX,
};
/// Below this |a| the tangent counts as flat in the words.
const FLAT: f64 = 0.05;

pub struct View {
    lang: Lang,
    picture: CurveView,
    frame: Rc<Cell<Option<Frame>>>,
    needs_fit: Rc<Cell<bool>>,
    eps: Slider,
    speed: Slider,
    transport: TransportButtons,
    export: ExportButtons,
    slope: web_sys::HtmlElement,
    fd: web_sys::HtmlElement,
    compare: web_sys::HtmlElement,
    gap: web_sys::HtmlElement,
    status: web_sys::HtmlElement,
    drawn_revision: Option<u64>,
    synced_controls: Option<u64>,
    listeners: Vec<Listener>,
}

impl View {
    fn build(root: &web_sys::HtmlElement, lang: Lang, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        let figure: web_sys::HtmlElement = dom::create("div", "figure-panel")?;
        let (canvas, status) =
            page::picture(&figure, "deriv-canvas", t(Key::DerivCanvasDescription))?;
        let legend: web_sys::HtmlElement = dom::create("p", "opt-legend")?;
        for (color, key) in LEGEND {
            let item = dom::text_element("span", "opt-swatch", t(key))?;
            item.style().set_property(
                "--swatch",
                &format!("rgb({}, {}, {})", color[0], color[1], color[2]),
            )?;
            dom::append(&legend, &item)?;
        }
        dom::append(&figure, &legend)?;
        let readouts: web_sys::HtmlElement = dom::create("dl", "readouts")?;
        let slope = page::readout(&readouts, t(Key::DerivSlopeReadout), "deriv-slope")?;
        let fd = page::readout(&readouts, t(Key::DerivFdReadout), "deriv-fd")?;
        let compare = page::readout(&readouts, t(Key::DerivCompareReadout), "deriv-compare")?;
        let gap = page::readout(&readouts, t(Key::DerivGapReadout), "deriv-gap")?;
        dom::append(&figure, &readouts)?;

        let controls: web_sys::HtmlElement = dom::create("aside", "controls card")?;
        let settings = model.settings();
        let eps = Slider::new(
            t(Key::DerivEpsLabel),
            "",
            EPS_SCALE,
            settings.eps,
            format_eps,
        )?;
        eps.root.set_id("deriv-eps");
        let speed = Slider::new(
            t(Key::SpeedLabel),
            t(Key::DerivSpeedUnit),
            SPEED_SCALE,
            settings.speed,
            format_speed,
        )?;
        speed.root.set_id("deriv-speed");
        let transport = TransportButtons::new(lang, "deriv")?;
        let export = ExportButtons::new(lang, "deriv")?;
        let formula = dom::text_element(
            "p",
            "formula",
            &format!(
                "{}: f(x) = {}",
                t(Key::FormulaLabel),
                model.surface().formula_text
            ),
        )?;
        for part in [
            &formula,
            &eps.root,
            &speed.root,
            &transport.row,
            &export.root,
        ] {
            dom::append(&controls, part)?;
        }
        dom::append(
            &controls,
            &dom::text_element("p", "keyboard-hint", t(Key::DerivKeyboardHint))?,
        )?;
        dom::name_controls(&[
            (&eps.root, "eps"),
            (&speed.root, "speed"),
            (&transport.row, "transport"),
            (&export.root, "export"),
            (&legend, "legend"),
            (&readouts, "readouts"),
        ]);

        let layout: web_sys::HtmlElement = dom::create("div", "descent-layout")?;
        dom::append(&layout, &figure)?;
        dom::append(&layout, &controls)?;
        dom::append(root, &layout)?;

        Ok(View {
            lang,
            picture: CurveView::new(canvas)?,
            frame: Rc::new(Cell::new(None)),
            needs_fit: Rc::new(Cell::new(true)),
            eps,
            speed,
            transport,
            export,
            slope,
            fd,
            compare,
            gap,
            status,
            drawn_revision: None,
            synced_controls: None,
            listeners: Vec::new(),
        })
    }

    fn listen(&mut self, m: &Rc<RefCell<Model>>) -> WebResult<()> {
        let l = &mut self.listeners;
        // The buttons do what the keys do (Space, →, R).
        let model = m.clone();
        l.extend(
            self.transport
                .on_command(move |c| model.borrow_mut().command(c))?,
        );
        let model = m.clone();
        l.extend(
            self.eps
                .on_input(move |v| Ok(model.borrow_mut().set_eps(v)?))?,
        );
        let model = m.clone();
        l.extend(self.speed.on_input(move |v| {
            model.borrow_mut().set_speed(v);
            Ok(())
        })?);
        let model = m.clone();
        l.extend(on_drag(
            &self.picture.canvas().element,
            self.frame.clone(),
            move |x, _| Ok(model.borrow_mut().set_p(x)?),
        )?);
        let model = m.clone();
        let lang = self.lang;
        l.extend(self.export.on_export(move |format| {
            let model = model.borrow();
            let slide = Slide {
                surface: model.surface(),
                tangent: model.tangent(),
                title: lang.text(Key::DerivativeTitle),
                legend: LEGEND.map(|(_, key)| lang.text(key)),
            };
            export::save(&slide, format, "nnlab-derivative")
        })?);
        l.push(Listener::flag_on_resize(&self.needs_fit)?);
        Ok(())
    }
}

impl LessonView for View {
    type Model = Model;

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        if self.synced_controls != Some(model.controls_revision()) {
            self.eps.set_value(model.settings().eps);
            self.speed.set_value(model.settings().speed);
            self.synced_controls = Some(model.controls_revision());
        }
        self.transport
            .show_playing(model.phase() == Phase::Shrinking);
        let t = model.tangent();
        dom::set_text_if_changed(&self.slope, &format_number(t.slope));
        dom::set_text_if_changed(&self.fd, &format_number(t.secant_slope()));
        dom::set_text_if_changed(
            &self.compare,
            &format!(
                "{} | {}",
                format_number(t.curve_at),
                format_number(t.linear_at)
            ),
        );
        dom::set_text_if_changed(&self.gap, &format_number(t.gap()));
        dom::set_text_if_changed(&self.status, &slope_words(lang, &t));

        let resized = self.needs_fit.replace(false)
            && self
                .picture
                .canvas_mut()
                .fit_to_parent(ASPECT, MAX_CANVAS_WIDTH)?;
        if resized || self.drawn_revision != Some(model.revision()) {
            let frame = draw_picture(&mut self.picture, model.surface(), &t)?;
            self.frame.set(frame);
            self.drawn_revision = Some(model.revision());
        }
        Ok(())
    }

    fn mount(at: &Mount, model: &Rc<RefCell<Model>>) -> WebResult<View> {
        let mut view = View::build(at.root, at.lang, &model.borrow())?;
        view.listen(model)?;
        Ok(view)
    }
}

/// What the sign of a says, in words.
fn slope_words(lang: Lang, t: &Tangent) -> String {
    let key = if t.slope.abs() < FLAT {
        Key::DerivFlat
    } else if t.slope > 0.0 {
        Key::DerivUphillRight
    } else {
        Key::DerivDownhillRight
    };
    lang.fill(
        key,
        &[
            ("p", &format!("{:.2}", t.p)),
            ("a", &format_number(t.slope)),
        ],
    )
}

fn format_eps(v: f64) -> String {
    if v < 0.01 {
        format!("{v:.4}")
    } else {
        format!("{v:.3}")
    }
}

fn format_speed(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.2}")
    } else {
        format!("{}", v.round())
    }
}

/// Copies the curve (cached) and draws the tangent, the secant and the gap on
/// it. Returns the frame (for mouse handling); `None` while the canvas has no size.
pub fn draw_picture(
    view: &mut CurveView,
    surface: &Surface,
    t: &Tangent,
) -> WebResult<Option<Frame>> {
    let Some((area, frame)) = view.begin(surface, surface.view)? else {
        return Ok(None);
    };
    draw_marks(&area, &frame, surface, t).map_err(WebError::Draw)?;
    area.present().map_err(|e| WebError::Draw(e.to_string()))?;
    Ok(Some(frame))
}
