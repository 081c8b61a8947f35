//! The page side of the derivative lesson: the curve with the tangent, the
//! secant and the gap at p + ε (drawn by [`super::figure`]); the ε and speed
//! sliders; the read-outs; saving the figure. Handlers only change the model;
//! each frame [`View::catch_up`] brings the page in line.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::surfaces::Surface;
use nnlab_figures::Frame;

use super::figure::{draw_marks, Slide, GAP_COLOR, SECANT_COLOR, TANGENT_COLOR};
use super::model::{Model, Phase, Tangent, EPS_MAX, EPS_MIN, SPEED_MAX, SPEED_MIN};
use crate::draw::surface_view::present;
use crate::draw::SurfaceView;
use crate::error::{WebError, WebResult};
use crate::export;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::format::format_number;
use crate::lessons::kit::page;
use crate::lessons::kit::stage::{Setting, Stage};
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, ExportFormat, Listener, Scale, Slider};
use web_sys::HtmlElement;

/// Legend texts of the tangent, the secant and the gap, in that order.
const LEGEND: [([u8; 3], Key); 3] = [
    (TANGENT_COLOR, Key::DerivLegendTangent),
    (SECANT_COLOR, Key::DerivLegendSecant),
    (GAP_COLOR, Key::DerivLegendGap),
];
const ASPECT: f64 = 0.62;
const MAX_CANVAS_WIDTH: u32 = 960;
const EPS_SCALE: Scale = Scale::log(EPS_MIN, EPS_MAX);
const SPEED_SCALE: Scale = Scale::log(SPEED_MIN, SPEED_MAX);
/// Below this |a| the tangent counts as flat in the words.
const FLAT: f64 = 0.05;

/// The picture, its transport and export buttons.
const STAGE: Setting =
    Setting::new("deriv", Key::DerivCanvasDescription, SPEED_SCALE).counting(Key::DerivSpeedUnit);

/// The derivative lesson's page: the curve, the ε slider and the slope readouts.
pub struct View {
    lang: Lang,
    stage: Stage,
    eps: Slider,
    slope: HtmlElement,
    fd: HtmlElement,
    compare: HtmlElement,
    gap: HtmlElement,
    listeners: Vec<Listener>,
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let settings = model.settings();
        let (stage, on_resize) = Stage::new(root, lang, &STAGE, settings.speed)?;
        let figure = &stage.page.figure;
        let legend = page::legend(figure, &LEGEND.map(|(color, key)| (color, t(key))))?;
        let (readouts, [slope, fd, compare, gap]) = page::readouts(
            figure,
            [
                (t(Key::DerivSlopeReadout), "deriv-slope"),
                (t(Key::DerivFdReadout), "deriv-fd"),
                (t(Key::DerivCompareReadout), "deriv-compare"),
                (t(Key::DerivGapReadout), "deriv-gap"),
            ],
        )?;
        dom::name_controls(&[(&legend, "legend"), (&readouts, "readouts")]);

        let formula = format!(
            "{}: f(x) = {}",
            t(Key::FormulaLabel),
            model.surface().formula_text
        );
        let formula = dom::text_element("p", "formula", &formula)?;
        let eps = Slider::new(
            t(Key::DerivEpsLabel),
            "",
            EPS_SCALE,
            settings.eps,
            format_eps,
        )?;
        eps.root.set_id("deriv-eps");
        stage.page.add(&[
            (&formula, ""),
            (&eps.root, "eps"),
            (&stage.transport.speed.root, "speed"),
            (&stage.transport.buttons.row, "transport"),
            (&stage.export.root, "export"),
        ])?;
        stage.page.keyboard_hint(t(Key::DerivKeyboardHint))?;
        Ok(View {
            lang,
            stage,
            eps,
            slope,
            fd,
            compare,
            gap,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let (lang, mut bind) = (self.lang, Binder::new(model));
        // A point on the x axis: the arrow keys' up and down leave it be.
        let at = |m: &Model| [m.settings().p, 0.0];
        let start = |m: &mut Model, [x, _]: [f64; 2]| m.set_p(x);
        self.stage.bind(
            &mut bind,
            Model::set_speed,
            (at, start),
            move |m: &Model, format| save(lang, m, format),
        )?;
        bind.keep(self.eps.on_input(bind.with(Model::set_eps))?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let (lang, stage) = (self.lang, &mut self.stage);
        if stage.controls_stale(model.controls_revision()) {
            self.eps.set_value(model.settings().eps);
            stage.transport.speed.set_value(model.settings().speed);
        }
        stage
            .transport
            .show_playing(model.phase() == Phase::Shrinking);
        let t = model.tangent();
        dom::set_text_if_changed(&self.slope, &format_number(t.slope));
        dom::set_text_if_changed(&self.fd, &format_number(t.secant_slope()));
        let compare = format!(
            "{} | {}",
            format_number(t.curve_at),
            format_number(t.linear_at)
        );
        dom::set_text_if_changed(&self.compare, &compare);
        dom::set_text_if_changed(&self.gap, &format_number(t.gap()));
        dom::set_text_if_changed(&stage.status, &slope_words(lang, &t));
        if stage
            .due(model.revision(), ASPECT, MAX_CANVAS_WIDTH, None)?
            .picture
        {
            draw_picture(&mut stage.picture, model.surface(), &t)?;
            stage.drawn();
        }
        Ok(())
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

/// Copies the curve (cached) and draws the tangent, the secant and the gap on
/// it. Returns the frame (for mouse handling); `None` while the canvas has no size.
pub fn draw_picture(
    view: &mut SurfaceView,
    surface: &Surface,
    t: &Tangent,
) -> WebResult<Option<Frame>> {
    let Some((area, frame)) = view.begin(surface)? else {
        return Ok(None);
    };
    draw_marks(&area, &frame, surface, t).map_err(WebError::Draw)?;
    present(&area)?;
    Ok(Some(frame))
}

/// Saves the figure as it is now.
fn save(lang: Lang, m: &Model, format: ExportFormat) -> WebResult<()> {
    let slide = Slide {
        surface: m.surface(),
        tangent: m.tangent(),
        title: lang.text(Key::DerivativeTitle),
        legend: LEGEND.map(|(color, key)| (color, lang.text(key))),
    };
    export::save(&slide, format, "nnlab-derivative")
}
