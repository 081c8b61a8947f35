//! The page side of the gradient lesson: the contour map (the cached
//! [`SurfaceView`] of the 2-D descent lesson) with the gradient's arrow field,
//! ∇f(W₀) and the step to W₁; the surface menu, step and speed sliders; the
//! read-outs f(W₀) and f(W₁).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab::surfaces::Surface;
use nnlab_figures::{Frame, Track};
use plotters::prelude::*;
use web_sys::{Event, HtmlElement};

use super::model::{Model, Phase, StepPreview, SPEED_MAX, SPEED_MIN, STEP_MAX, STEP_MIN};
use crate::draw::SurfaceView;
use crate::error::{WebError, WebResult};
use crate::i18n::{Key, Lang};
use crate::lessons::descent_2d::text::{format_number, format_rate, SURFACE_LABELS};
use crate::lessons::optimisation::drag::on_drag;
use crate::lessons::optimisation::geometry::{arrow_head, clip_segment, px};
use crate::lessons::optimisation::page::{self, Transport};
use crate::lessons::LessonId;
use crate::widgets::{dom, Listener, Scale, Select, Slider};

/// The arrow field: sky blue, which viridis never shows.
pub const FIELD_COLOR: [u8; 3] = [140, 210, 255];
/// The step −step·∇f(W₀): the red of the descent paths.
pub const STEP_COLOR: [u8; 3] = [240, 60, 60];
/// ∇f(W₀) itself, drawn at a fixed length (only its direction fits the map).
const GRAD_COLOR: [u8; 3] = [255, 150, 30];
/// The walk so far.
const PATH_COLOR: [u8; 3] = [255, 255, 255];
const ASPECT: f64 = 0.75;
const MAX_CANVAS_WIDTH: u32 = 960;
/// Arrows of the field, across the plot's width.
const FIELD_COLUMNS: usize = 18;
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
    transport: Transport,
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
    pub fn mount(root: &HtmlElement, lang: Lang, model: &Rc<RefCell<Model>>) -> WebResult<View> {
        let mut view = View::build(root, lang, &model.borrow())?;
        view.listen(model)?;
        Ok(view)
    }

    fn build(root: &HtmlElement, lang: Lang, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        page::head(root, lang, LessonId::Gradient, Key::GradIntro)?;

        let figure: HtmlElement = dom::create("div", "figure-panel")?;
        let (canvas, status) =
            page::picture(&figure, "grad-canvas", t(Key::GradCanvasDescription))?;
        let legend: HtmlElement = dom::create("p", "opt-legend")?;
        for (color, key) in [
            (FIELD_COLOR, Key::GradLegendField),
            (GRAD_COLOR, Key::GradLegendGradient),
            (STEP_COLOR, Key::GradLegendStep),
        ] {
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
        let transport = Transport::new(lang, "grad")?;
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
        ] {
            dom::append(&controls, part)?;
        }
        dom::append(
            &controls,
            &dom::text_element("p", "keyboard-hint", t(Key::GradKeyboardHint))?,
        )?;

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
        let model = m.clone();
        l.push(
            self.transport
                .play
                .on_click(move || Ok(model.borrow_mut().toggle_play()?))?,
        );
        let model = m.clone();
        l.push(self.transport.step.on_click(move || {
            model.borrow_mut().step_once();
            Ok(())
        })?);
        let model = m.clone();
        l.push(
            self.transport
                .reset
                .on_click(move || Ok(model.borrow_mut().reset()?))?,
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
        let needs_fit = self.needs_fit.clone();
        l.push(Listener::new(
            &dom::window()?,
            "resize",
            move |_: Event| {
                needs_fit.set(true);
                Ok(())
            },
        )?);
        Ok(())
    }

    pub fn catch_up(&mut self, model: &Model) -> WebResult<()> {
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
        self.transport
            .show_playing(lang, model.phase() == Phase::Running);
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

fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// Draws the surface (cached) with the walk, then the arrow field of ∇f (unit
/// length: only directions fit on one map), ∇f(W₀) at a fixed length, and the
/// step from W₀ to W₁ at its true length (clipped to the plot if it leaves it).
pub fn draw_picture(
    view: &mut SurfaceView,
    surface: &Surface,
    path: &[Vec<f64>],
    next: &StepPreview,
) -> WebResult<()> {
    let track = Track {
        points: path,
        color: PATH_COLOR,
        label: "",
    };
    view.draw(surface, &[track])?;
    let Some(frame) = view.frame().copied() else {
        return Ok(());
    };
    let area = view.canvas().backend()?.into_drawing_area();
    let s = frame.scale();
    let (l, t, r, b) = frame.plot;
    let rect = (f64::from(l), f64::from(t), f64::from(r), f64::from(b));
    let err = |e: DrawingAreaErrorKind<_>| WebError::Draw(e.to_string());

    let arrow =
        |from: (f64, f64), to: (f64, f64), color: [u8; 3], w: f64, head: f64| -> WebResult<()> {
            let style = rgb(color).stroke_width((w * s).round().max(1.0) as u32);
            let Some((a, c)) = clip_segment(from, to, rect) else {
                return Ok(());
            };
            area.draw(&PathElement::new(vec![px(a), px(c)], style))
                .map_err(err)?;
            // A head only where the arrow really ends (not where it was clipped).
            if c == to {
                if let Some([p, q]) = arrow_head(from, to, head * s) {
                    area.draw(&Polygon::new(
                        vec![px(to), px(p), px(q)],
                        rgb(color).filled(),
                    ))
                    .map_err(err)?;
                }
            }
            Ok(())
        };

    // The field: one arrow per cell, pointing along ∇f (uphill), in screen space.
    let (pw, ph) = frame.plot_size();
    let cell = f64::from(pw) / FIELD_COLUMNS as f64;
    let rows = (f64::from(ph) / cell).floor().max(1.0) as usize;
    for j in 0..rows {
        for i in 0..FIELD_COLUMNS {
            let centre = (
                rect.0 + (i as f64 + 0.5) * cell,
                rect.1 + (j as f64 + 0.5) * cell,
            );
            let (x, y) = frame.from_pixel(centre);
            let (_, g) = surface.value_and_grad(&[x, y]);
            // World y grows upwards, pixel y downwards.
            let (dx, dy) = (g[0] * frame_sx(&frame), -g[1] * frame_sy(&frame));
            let len = dx.hypot(dy);
            if len <= 0.0 || !len.is_finite() {
                continue;
            }
            let half = 0.36 * cell;
            let (ux, uy) = (dx / len * half, dy / len * half);
            arrow(
                (centre.0 - ux, centre.1 - uy),
                (centre.0 + ux, centre.1 + uy),
                FIELD_COLOR,
                1.5,
                6.0,
            )?;
        }
    }

    let w0 = frame.to_pixel_f((next.w0[0], next.w0[1]));
    // ∇f(W₀) at a fixed 70 px (scale 1): its size is in the read-out.
    let (gx, gy) = (
        next.grad[0] * frame_sx(&frame),
        -next.grad[1] * frame_sy(&frame),
    );
    let glen = gx.hypot(gy);
    if glen > 0.0 && glen.is_finite() {
        let k = 70.0 * s / glen;
        arrow(w0, (w0.0 + gx * k, w0.1 + gy * k), GRAD_COLOR, 3.0, 12.0)?;
    }
    // The step at its true length.
    let w1 = frame.to_pixel_f((next.w1[0], next.w1[1]));
    arrow(w0, w1, STEP_COLOR, 4.0, 14.0)?;
    let inside =
        w1.0.is_finite() && w1.0 >= rect.0 && w1.0 <= rect.2 && w1.1 >= rect.1 && w1.1 <= rect.3;
    if inside {
        let ring = rgb(STEP_COLOR).stroke_width((2.5 * s).round().max(1.0) as u32);
        area.draw(&Circle::new(px(w1), (8.0 * s).round() as i32, ring))
            .map_err(err)?;
    }
    area.present().map_err(|e| WebError::Draw(e.to_string()))
}

/// Pixels per world unit along x.
fn frame_sx(frame: &Frame) -> f64 {
    let (pw, _) = frame.plot_size();
    f64::from(pw) / (frame.view.x.1 - frame.view.x.0)
}

/// Pixels per world unit along y.
fn frame_sy(frame: &Frame) -> f64 {
    let (_, ph) = frame.plot_size();
    f64::from(ph) / (frame.view.y.1 - frame.view.y.0)
}
