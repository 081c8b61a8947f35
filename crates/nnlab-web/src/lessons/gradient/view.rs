//! The page side of the gradient lesson: the contour map (the cached
//! [`SurfaceView`] of the 2-D descent lesson) with the gradient's arrow field,
//! ∇f(W₀) and the step to W₁ (drawn by [`super::figure`]); the surface menu,
//! step and speed sliders; the read-outs f(W₀) and f(W₁); saving the figure.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab::surfaces::Surface;
use nnlab_figures::Frame;
use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlElement;

use super::figure::{draw_marks, path_track, Slide, FIELD_COLOR, GRAD_COLOR, STEP_COLOR};
use super::model::{Model, Phase, StepPreview, SPEED_MAX, SPEED_MIN, STEP_MAX, STEP_MIN};
use crate::draw::SurfaceView;
use crate::error::{WebError, WebResult};
use crate::export;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::drag::on_drag;
use crate::lessons::kit::format::{format_number, format_rate};
use crate::lessons::kit::labels::SURFACE_LABELS;
use crate::lessons::kit::page;
use crate::lessons::{LessonModel, LessonView, Mount};
use crate::widgets::{dom, ExportButtons, Listener, Scale, Select, Slider, TransportButtons};

/// Legend texts of the field, ∇f(W₀) and the step, in that order.
const LEGEND: [([u8; 3], Key); 3] = [
    (FIELD_COLOR, Key::GradLegendField),
    (GRAD_COLOR, Key::GradLegendGradient),
    (STEP_COLOR, Key::GradLegendStep),
];
const ASPECT: f64 = 0.75;
const MAX_CANVAS_WIDTH: u32 = 960;
const STEP_SCALE: Scale = Scale::Log {
    min: STEP_MIN,
    max: STEP_MAX,
};
const SPEED_SCALE: Scale = Scale::Log {
    min: SPEED_MIN,
    max: SPEED_MAX,
};

pub struct View {
    lang: Lang,
    picture: SurfaceView,
    frame: Rc<Cell<Option<Frame>>>,
    needs_fit: Rc<Cell<bool>>,
    surface: Select,
    formula: HtmlElement,
    step: Slider,
    speed: Slider,
    transport: TransportButtons,
    export: ExportButtons,
    w0: HtmlElement,
    grad: HtmlElement,
    w1: HtmlElement,
    losses: HtmlElement,
    steps: HtmlElement,
    status: HtmlElement,
    drawn_revision: Option<u64>,
    synced_controls: Option<u64>,
    listeners: Vec<Listener>,
}

impl View {
    fn build(root: &HtmlElement, lang: Lang, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        let figure: HtmlElement = dom::create("div", "figure-panel")?;
        let (canvas, status) =
            page::picture(&figure, "grad-canvas", t(Key::GradCanvasDescription))?;
        let legend: HtmlElement = dom::create("p", "opt-legend")?;
        for (color, key) in LEGEND {
            let item = dom::text_element("span", "opt-swatch", t(key))?;
            item.style().set_property(
                "--swatch",
                &format!("rgb({}, {}, {})", color[0], color[1], color[2]),
            )?;
            dom::append(&legend, &item)?;
        }
        dom::append(&figure, &legend)?;
        let readouts: HtmlElement = dom::create("dl", "readouts")?;
        let w0 = page::readout(&readouts, t(Key::GradW0Readout), "grad-w0")?;
        let grad = page::readout(&readouts, t(Key::GradGradReadout), "grad-grad")?;
        let w1 = page::readout(&readouts, t(Key::GradW1Readout), "grad-w1")?;
        let losses = page::readout(&readouts, t(Key::GradLossesReadout), "grad-losses")?;
        dom::append(&figure, &readouts)?;

        let controls: HtmlElement = dom::create("aside", "controls card")?;
        let surface_options: Vec<(&str, &str)> = SURFACE_LABELS
            .iter()
            .map(|&(name, key)| (name, t(key)))
            .collect();
        let surface = Select::new(t(Key::SurfaceLabel), &surface_options, model.surface().name)?;
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
        let speed = Slider::new(
            t(Key::SpeedLabel),
            t(Key::SpeedUnit),
            SPEED_SCALE,
            model.speed(),
            format_speed,
        )?;
        speed.root.set_id("grad-speed");
        let transport = TransportButtons::new(lang, "grad")?;
        let export = ExportButtons::new(lang, "grad")?;
        let steps_line: HtmlElement = dom::create("p", "opt-steps")?;
        dom::append(
            &steps_line,
            &dom::text_element("span", "", t(Key::StepsReadout))?,
        )?;
        let steps = dom::text_element("span", "opt-steps-value", "")?;
        steps.set_id("grad-steps");
        dom::append(&steps_line, &steps)?;
        for part in [
            &surface.root,
            &formula,
            &step.root,
            &speed.root,
            &transport.row,
            &steps_line,
            &export.root,
        ] {
            dom::append(&controls, part)?;
        }
        dom::append(
            &controls,
            &dom::text_element("p", "keyboard-hint", t(Key::GradKeyboardHint))?,
        )?;
        dom::name_controls(&[
            (&surface.root, "surface"),
            (&formula, "surface"),
            (&step.root, "step"),
            (&speed.root, "speed"),
            (&transport.row, "transport"),
            (&export.root, "export"),
            (&legend, "legend"),
            (&readouts, "readouts"),
            (&steps_line, "readouts"),
        ]);

        let layout: HtmlElement = dom::create("div", "descent-layout")?;
        dom::append(&layout, &figure)?;
        dom::append(&layout, &controls)?;
        dom::append(root, &layout)?;

        Ok(View {
            lang,
            picture: SurfaceView::new(canvas)?,
            frame: Rc::new(Cell::new(None)),
            needs_fit: Rc::new(Cell::new(true)),
            surface,
            formula,
            step,
            speed,
            transport,
            export,
            w0,
            grad,
            w1,
            losses,
            steps,
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
        l.push(
            self.surface
                .on_change(move |name| Ok(model.borrow_mut().set_surface(&name)?))?,
        );
        let model = m.clone();
        l.extend(
            self.step
                .on_input(move |v| Ok(model.borrow_mut().set_step(v)?))?,
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
            move |x, y| Ok(model.borrow_mut().set_start([x, y])?),
        )?);
        let model = m.clone();
        let lang = self.lang;
        l.extend(self.export.on_export(move |format| {
            let model = model.borrow();
            let surface = model.surface();
            let surface_label = SURFACE_LABELS
                .iter()
                .find(|(name, _)| *name == surface.name)
                .map_or(surface.name, |&(_, key)| lang.text(key));
            let title = lang.fill(
                Key::ExportTitle,
                &[
                    ("surface", surface_label),
                    ("steps", &model.steps().to_string()),
                ],
            );
            let slide = Slide {
                surface,
                path: model.path(),
                next: model.preview(),
                title: &title,
                legend: LEGEND.map(|(_, key)| lang.text(key)),
            };
            let stem = export::file_stem(&["nnlab", "gradient", surface.name]);
            export::save(&slide, format, &stem)
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
            self.surface.set_value(model.surface().name);
            self.step.set_value(model.step());
            self.speed.set_value(model.speed());
            let formula = format!(
                "{}: f(x, y) = {}",
                lang.text(Key::FormulaLabel),
                model.surface().formula_text
            );
            dom::set_text_if_changed(&self.formula, &formula);
            self.synced_controls = Some(model.controls_revision());
        }
        self.transport.show_playing(model.phase() == Phase::Running);
        let next = model.preview();
        let pair = |p: [f64; 2]| format!("({}, {})", format_number(p[0]), format_number(p[1]));
        dom::set_text_if_changed(&self.w0, &pair(next.w0));
        dom::set_text_if_changed(&self.grad, &pair(next.grad));
        dom::set_text_if_changed(&self.w1, &pair(next.w1));
        dom::set_text_if_changed(
            &self.losses,
            &format!("{} → {}", format_number(next.f0), format_number(next.f1)),
        );
        dom::set_text_if_changed(&self.steps, &model.steps().to_string());
        dom::set_text_if_changed(&self.status, &status_text(lang, model, &next));
        let warn = !next.goes_down() || matches!(model.phase(), Phase::Diverged(_));
        self.status
            .class_list()
            .toggle_with_force("opt-warn", warn)?;

        let resized = self.needs_fit.replace(false)
            && self
                .picture
                .canvas_mut()
                .fit_to_parent(ASPECT, MAX_CANVAS_WIDTH)?;
        if resized || self.drawn_revision != Some(model.revision()) {
            draw_picture(&mut self.picture, model.surface(), model.path(), &next)?;
            self.frame.set(self.picture.frame().copied());
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

/// Compares f(W₁) with f(W₀), or says why the walk stopped.
fn status_text(lang: Lang, model: &Model, next: &StepPreview) -> String {
    let steps = model.steps().to_string();
    match model.phase() {
        Phase::Diverged(_) => lang.fill(
            Key::GradDiverged,
            &[
                ("step", &format_rate(model.step())),
                ("steps", &(model.steps() + 1).to_string()),
            ],
        ),
        Phase::Stopped => lang.fill(Key::GradStopped, &[("steps", &steps)]),
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

fn format_speed(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{}", v.round())
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
    view.draw(surface, &[path_track(path)])?;
    let Some(frame) = view.frame().copied() else {
        return Ok(());
    };
    let area = view.canvas().backend()?.into_drawing_area();
    draw_marks(&area, &frame, surface, next).map_err(WebError::Draw)?;
    area.present().map_err(|e| WebError::Draw(e.to_string()))
}
