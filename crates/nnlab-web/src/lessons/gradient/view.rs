//! The page side of the gradient lesson: the contour map (the cached
//! [`SurfaceView`]) with the gradient's arrow field,
//! ∇f(W₀) and the step to W₁ (drawn by [`super::figure`]); the surface menu,
//! step and speed sliders; the read-outs f(W₀) and f(W₁); saving the figure.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::surfaces::Surface;
use web_sys::HtmlElement;

use super::figure::{draw_marks, path_track, Slide, FIELD_COLOR, GRAD_COLOR, STEP_COLOR};
use super::model::{Model, Phase, StepPreview, SPEED_MAX, SPEED_MIN, STEP_MAX, STEP_MIN};
use crate::draw::surface_view::{draw_tracks, present};
use crate::draw::SurfaceView;
use crate::error::{WebError, WebResult};
use crate::export;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::format::{format_number, format_rate};
use crate::lessons::kit::labels;
use crate::lessons::kit::page;
use crate::lessons::kit::stage::{Setting, Stage};
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, ExportFormat, Listener, Scale, Select, Slider};

/// Legend texts of the field, ∇f(W₀) and the step, in that order.
const LEGEND: [([u8; 3], Key); 3] = [
    (FIELD_COLOR, Key::GradLegendField),
    (GRAD_COLOR, Key::GradLegendGradient),
    (STEP_COLOR, Key::GradLegendStep),
];
const ASPECT: f64 = 0.75;
const MAX_CANVAS_WIDTH: u32 = 960;
const STEP_SCALE: Scale = Scale::log(STEP_MIN, STEP_MAX);
const SPEED_SCALE: Scale = Scale::log(SPEED_MIN, SPEED_MAX);

/// The picture, its transport and export buttons.
const STAGE: Setting = Setting::new("grad", Key::GradCanvasDescription, SPEED_SCALE);

/// The gradient lesson's page: the map with the arrows, the controls and the step's readouts.
pub struct View {
    lang: Lang,
    stage: Stage,
    surface: Select,
    formula: HtmlElement,
    step: Slider,
    w0: HtmlElement,
    grad: HtmlElement,
    w1: HtmlElement,
    losses: HtmlElement,
    steps: HtmlElement,
    listeners: Vec<Listener>,
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let (stage, on_resize) = Stage::new(root, lang, &STAGE, model.speed())?;
        let figure = &stage.page.figure;
        let legend = page::legend(figure, &LEGEND.map(|(color, key)| (color, t(key))))?;
        let (readouts, [w0, grad, w1, losses]) = page::readouts(
            figure,
            [
                (t(Key::GradW0Readout), "grad-w0"),
                (t(Key::GradGradReadout), "grad-grad"),
                (t(Key::GradW1Readout), "grad-w1"),
                (t(Key::GradLossesReadout), "grad-losses"),
            ],
        )?;
        dom::name_controls(&[(&legend, "legend"), (&readouts, "readouts")]);

        let surface = labels::surface_menu(lang, model.surface().name)?;
        surface.element.set_id("grad-surface");
        let formula: HtmlElement = dom::create("p", "formula")?;
        let step = Slider::new(
            t(Key::GradStepLabel),
            "",
            STEP_SCALE,
            model.step(),
            format_rate,
        )?;
        step.root.set_id("grad-size");
        let (steps_line, steps) = page::steps_line(t(Key::StepsReadout), "grad-steps")?;
        stage.page.add(&[
            (&surface.root, "surface"),
            (&formula, "surface"),
            (&step.root, "step"),
            (&stage.transport.speed.root, "speed"),
            (&stage.transport.buttons.row, "transport"),
            (&steps_line, "readouts"),
            (&stage.export.root, "export"),
        ])?;
        stage.page.keyboard_hint(t(Key::GradKeyboardHint))?;
        Ok(View {
            lang,
            stage,
            surface,
            formula,
            step,
            w0,
            grad,
            w1,
            losses,
            steps,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let (lang, mut bind) = (self.lang, Binder::new(model));
        self.stage.bind(
            &mut bind,
            Model::set_speed,
            (Model::start, Model::set_start),
            move |m: &Model, format| save(lang, m, format),
        )?;
        let surface = bind.with(|m: &mut Model, name: String| m.set_surface(&name));
        bind.keep(self.surface.on_change(surface)?);
        bind.keep(self.step.on_input(bind.with(Model::set_step))?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let (lang, stage) = (self.lang, &mut self.stage);
        if stage.controls_stale(model.controls_revision()) {
            self.surface.set_value(model.surface().name);
            self.step.set_value(model.step());
            stage.transport.speed.set_value(model.speed());
            let formula = model.surface().formula_text;
            let formula = format!("{}: f(x, y) = {formula}", lang.text(Key::FormulaLabel));
            dom::set_text_if_changed(&self.formula, &formula);
        }
        stage
            .transport
            .show_playing(model.phase() == Phase::Running);
        let next = model.preview();
        let pair = |p: [f64; 2]| format!("({}, {})", format_number(p[0]), format_number(p[1]));
        dom::set_text_if_changed(&self.w0, &pair(next.w0));
        dom::set_text_if_changed(&self.grad, &pair(next.grad));
        dom::set_text_if_changed(&self.w1, &pair(next.w1));
        let losses = format!("{} → {}", format_number(next.f0), format_number(next.f1));
        dom::set_text_if_changed(&self.losses, &losses);
        dom::set_text_if_changed(&self.steps, &model.steps().to_string());
        dom::set_text_if_changed(&stage.status, &status_text(lang, model, &next));
        let warn = !next.goes_down() || model.diverged().is_some();
        stage
            .status
            .class_list()
            .toggle_with_force("opt-warn", warn)?;
        if stage
            .due(model.revision(), ASPECT, MAX_CANVAS_WIDTH, None)?
            .picture
        {
            draw_picture(&mut stage.picture, model.surface(), model.path(), &next)?;
            stage.drawn();
        }
        Ok(())
    }
}

/// Compares f(W₁) with f(W₀), or says why the walk stopped.
fn status_text(lang: Lang, model: &Model, next: &StepPreview) -> String {
    let steps = model.steps().to_string();
    match (model.phase(), model.diverged()) {
        (_, Some(_)) => lang.fill(
            Key::GradDiverged,
            &[
                ("step", &format_rate(model.step())),
                ("steps", &(model.steps() + 1).to_string()),
            ],
        ),
        (Phase::Finished, None) => lang.fill(Key::GradStopped, &[("steps", &steps)]),
        _ => {
            let key = if next.goes_down() {
                Key::GradGoesDown
            } else {
                Key::GradGoesUp
            };
            lang.fill(
                key,
                &[
                    ("f0", &format_number(next.f0)),
                    ("f1", &format_number(next.f1)),
                ],
            )
        }
    }
}

/// Draws the surface (cached) with the walk, then the arrow field, ∇f(W₀) and
/// the step over it.
pub fn draw_picture(
    view: &mut SurfaceView,
    surface: &Surface,
    path: &[Vec<f64>],
    next: &StepPreview,
) -> WebResult<()> {
    let Some((area, frame)) = view.begin(surface)? else {
        return Ok(());
    };
    draw_tracks(&area, &frame, surface, &[path_track(path)])?;
    draw_marks(&area, &frame, surface, next).map_err(WebError::Draw)?;
    present(&area)
}

/// Saves the figure as it is now, titled with the surface and the steps taken.
fn save(lang: Lang, m: &Model, format: ExportFormat) -> WebResult<()> {
    let surface = m.surface();
    let title = lang.fill(
        Key::ExportTitle,
        &[
            ("surface", labels::surface_label(lang, surface.name)),
            ("steps", &m.steps().to_string()),
        ],
    );
    let slide = Slide {
        surface,
        path: m.path(),
        next: m.preview(),
        title: &title,
        legend: LEGEND.map(|(color, key)| (color, lang.text(key))),
    };
    let stem = export::file_stem(&["nnlab", "gradient", surface.name]);
    export::save(&slide, format, &stem)
}
