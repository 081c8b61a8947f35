//! The page side of the 2-D descent lesson: builds the picture and the
//! controls, turns events into [`Model`] calls, and each frame brings the
//! page in line with the model ([`View::catch_up`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab::optim::OptimizerKind;
use nnlab_figures::{colormap, Frame, Track};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlElement, KeyboardEvent, MouseEvent};

use super::model::{grad_norm, Model, Phase};
use super::text::{
    format_momentum, format_number, format_rate, format_speed, optimizer_label, status_text,
    SURFACE_LABELS,
};
use crate::draw::SurfaceView;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Scale, Select, Slider};

/// Height of the picture as a fraction of its width.
const ASPECT: f64 = 0.75;
/// Widest the picture gets, in CSS pixels.
const MAX_CANVAS_WIDTH: u32 = 960;
const LR_SCALE: Scale = Scale::Log {
    min: 1e-5,
    max: 10.0,
};
const MOMENTUM_SCALE: Scale = Scale::Linear {
    min: 0.0,
    max: 0.99,
    step: 0.01,
};
const SPEED_SCALE: Scale = Scale::Log {
    min: 1.0,
    max: 3000.0,
};
/// The path's colour: red stands out on every part of the viridis heat map.
const TRACK_COLOR: [u8; 3] = colormap::TRACK_COLORS[0];

/// The page elements of the mounted lesson.
pub struct View {
    lang: Lang,
    picture: SurfaceView,
    /// The last drawn frame, shared with the click handler.
    frame: Rc<Cell<Option<Frame>>>,
    /// Set by window resizes (and at mount): the canvas must be fitted again.
    /// Measuring only then keeps layout reads out of the per-frame path.
    needs_fit: Rc<Cell<bool>>,
    surface: Select,
    formula: HtmlElement,
    optimizer: Select,
    lr: Slider,
    momentum: Slider,
    speed: Slider,
    play: Button,
    step: Button,
    reset: Button,
    steps: HtmlElement,
    loss: HtmlElement,
    point: HtmlElement,
    grad: HtmlElement,
    status: HtmlElement,
    drawn_revision: Option<u64>,
    synced_controls: Option<u64>,
    listeners: Vec<Listener>,
}

impl View {
    /// Builds the lesson into `root` in `lang` and connects it to `model`.
    pub fn mount(root: &HtmlElement, lang: Lang, model: &Rc<RefCell<Model>>) -> WebResult<View> {
        let mut view = View::build(root, lang, &model.borrow())?;
        view.listen(model)?;
        Ok(view)
    }

    fn build(root: &HtmlElement, lang: Lang, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let head: HtmlElement = dom::create("header", "lesson-head")?;
        dom::append(
            &head,
            &dom::text_element("h2", "lesson-title", t(Key::Descent2dTitle))?,
        )?;
        dom::append(
            &head,
            &dom::text_element("p", "lesson-intro", t(Key::Descent2dIntro))?,
        )?;
        dom::append(root, &head)?;

        // Left: the picture (with the status on it) and the read-outs.
        let figure: HtmlElement = dom::create("div", "figure-panel")?;
        let canvas_wrap: HtmlElement = dom::create("div", "canvas-wrap")?;
        let canvas = HiDpiCanvas::new("surface-canvas")?;
        canvas.element.set_id("descent-canvas");
        canvas.element.set_attribute("role", "img")?;
        canvas
            .element
            .set_attribute("aria-label", t(Key::CanvasDescription))?;
        dom::append(&canvas_wrap, &canvas.element)?;
        // The status sits on the picture (over the figure's empty title strip), so
        // a divergence message is seen where the eyes are, never below the fold.
        let status = dom::text_element("p", "status", "")?;
        status.set_id("descent-status");
        status.set_attribute("role", "status")?;
        status.set_attribute("aria-live", "polite")?;
        dom::append(&canvas_wrap, &status)?;
        dom::append(&figure, &canvas_wrap)?;
        let readouts: HtmlElement = dom::create("dl", "readouts")?;
        let steps = readout(&readouts, t(Key::StepsReadout), "descent-steps")?;
        let loss = readout(&readouts, t(Key::LossReadout), "descent-loss")?;
        let point = readout(&readouts, t(Key::PointReadout), "descent-point")?;
        let grad = readout(&readouts, t(Key::GradReadout), "descent-grad")?;
        dom::append(&figure, &readouts)?;

        // Right: the controls.
        let controls: HtmlElement = dom::create("aside", "controls card")?;
        let surface_options: Vec<(&str, &str)> = SURFACE_LABELS
            .iter()
            .map(|&(name, key)| (name, t(key)))
            .collect();
        let surface = Select::new(t(Key::SurfaceLabel), &surface_options, model.surface().name)?;
        surface.element.set_id("descent-surface");
        let formula: HtmlElement = dom::create("p", "formula")?;
        let optimizer_options: Vec<(&str, &str)> = OptimizerKind::ALL
            .iter()
            .map(|&kind| (kind.name(), t(optimizer_label(kind))))
            .collect();
        let optimizer = Select::new(
            t(Key::OptimizerLabel),
            &optimizer_options,
            model.kind().name(),
        )?;
        optimizer.element.set_id("descent-optimizer");
        let hyper = model.hyper();
        let lr = Slider::new(
            t(Key::LearningRateLabel),
            "",
            LR_SCALE,
            hyper.lr,
            format_rate,
        )?;
        lr.root.set_id("descent-lr");
        let momentum = Slider::new(
            t(Key::MomentumLabel),
            "",
            MOMENTUM_SCALE,
            hyper.momentum,
            format_momentum,
        )?;
        momentum.root.set_id("descent-momentum");
        let speed = Slider::new(
            t(Key::SpeedLabel),
            t(Key::SpeedUnit),
            SPEED_SCALE,
            model.speed(),
            format_speed,
        )?;
        speed.root.set_id("descent-speed");
        let buttons: HtmlElement = dom::create("div", "button-row")?;
        let play = Button::new(t(Key::Play), "primary")?;
        play.element.set_id("descent-play");
        let step = Button::new(t(Key::Step), "")?;
        step.element.set_id("descent-step");
        let reset = Button::new(t(Key::Reset), "")?;
        reset.element.set_id("descent-reset");
        for button in [&play, &step, &reset] {
            dom::append(&buttons, &button.element)?;
        }
        for part in [
            &surface.root,
            &formula,
            &optimizer.root,
            &lr.root,
            &momentum.root,
            &speed.root,
            &buttons,
        ] {
            dom::append(&controls, part)?;
        }
        dom::append(
            &controls,
            &dom::text_element("p", "keyboard-hint", t(Key::KeyboardHint))?,
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
            optimizer,
            lr,
            momentum,
            speed,
            play,
            step,
            reset,
            steps,
            loss,
            point,
            grad,
            status,
            drawn_revision: None,
            synced_controls: None,
            listeners: Vec::new(),
        })
    }

    /// Event handlers: each one only changes the model.
    fn listen(&mut self, m: &Rc<RefCell<Model>>) -> WebResult<()> {
        let on = |f: fn(&mut Model) -> nnlab::Result<()>| {
            let m = m.clone();
            move || f(&mut m.borrow_mut()).map_err(Into::into)
        };
        let l = &mut self.listeners;
        l.push(self.play.on_click(on(Model::toggle_play))?);
        l.push(self.step.on_click(on(|m| {
            m.step_once();
            Ok(())
        }))?);
        l.push(self.reset.on_click(on(Model::reset))?);

        let model = m.clone();
        l.push(
            self.surface
                .on_change(move |name| Ok(model.borrow_mut().set_surface(&name)?))?,
        );
        let model = m.clone();
        l.push(
            self.optimizer
                .on_change(move |name| Ok(model.borrow_mut().set_kind(&name)?))?,
        );
        let model = m.clone();
        l.extend(
            self.lr
                .on_input(move |v| Ok(model.borrow_mut().set_lr(v)?))?,
        );
        let model = m.clone();
        l.extend(
            self.momentum
                .on_input(move |v| Ok(model.borrow_mut().set_momentum(v)?))?,
        );
        let model = m.clone();
        l.extend(self.speed.on_input(move |v| {
            model.borrow_mut().set_speed(v);
            Ok(())
        })?);

        let canvas = self.picture.canvas().element.clone();
        let (model, frame) = (m.clone(), self.frame.clone());
        l.push(Listener::new(
            &canvas.clone(),
            "click",
            move |event: Event| {
                if let Some(point) = clicked_point(&canvas, frame.get(), &event) {
                    model.borrow_mut().set_start(point)?;
                }
                Ok(())
            },
        )?);

        let model = m.clone();
        l.push(Listener::new(
            &dom::document()?,
            "keydown",
            move |event: Event| {
                let Some(action) = presenter_key(&event) else {
                    return Ok(());
                };
                event.prevent_default();
                let mut model = model.borrow_mut();
                match action {
                    KeyAction::PlayPause => model.toggle_play()?,
                    KeyAction::Step => model.step_once(),
                    KeyAction::Reset => model.reset()?,
                }
                Ok(())
            },
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

    /// Brings the page in line with the model: controls, read-outs, picture.
    pub fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        if self.synced_controls != Some(model.controls_revision()) {
            self.surface.set_value(model.surface().name);
            self.optimizer.set_value(model.kind().name());
            self.lr.set_value(model.hyper().lr);
            self.momentum.set_value(model.hyper().momentum);
            self.speed.set_value(model.speed());
            let formula = format!(
                "{}: f(x, y) = {}",
                lang.text(Key::FormulaLabel),
                model.surface().formula_text
            );
            dom::set_text_if_changed(&self.formula, &formula);
            self.synced_controls = Some(model.controls_revision());
        }
        self.momentum.set_visible(model.uses_momentum());
        let playing = model.phase() == Phase::Running;
        self.play
            .set_label(lang.text(if playing { Key::Pause } else { Key::Play }));

        let descent = model.descent();
        let p = descent.point();
        dom::set_text_if_changed(&self.steps, &descent.steps().to_string());
        dom::set_text_if_changed(&self.loss, &format_number(descent.loss()));
        dom::set_text_if_changed(
            &self.point,
            &format!("({}, {})", format_number(p[0]), format_number(p[1])),
        );
        dom::set_text_if_changed(&self.grad, &format_number(grad_norm(descent.grad())));
        dom::set_text_if_changed(&self.status, &status_text(lang, model));
        let diverged = matches!(model.phase(), Phase::Diverged { .. });
        self.status
            .class_list()
            .toggle_with_force("warning", diverged)?;

        let resized = self.needs_fit.replace(false)
            && self
                .picture
                .canvas_mut()
                .fit_to_parent(ASPECT, MAX_CANVAS_WIDTH)?;
        if resized || self.drawn_revision != Some(model.revision()) {
            let track = Track {
                points: model.path().points(),
                color: TRACK_COLOR,
                label: lang.text(Key::PathLabel),
            };
            self.picture.draw(model.surface(), &[track])?;
            self.frame.set(self.picture.frame().copied());
            self.drawn_revision = Some(model.revision());
        }
        Ok(())
    }
}

/// One labelled value in the read-out strip; returns the element holding the value.
fn readout(strip: &HtmlElement, label: &str, id: &str) -> WebResult<HtmlElement> {
    let item: HtmlElement = dom::create("div", "readout")?;
    dom::append(&item, &dom::text_element("dt", "", label)?)?;
    let value = dom::text_element("dd", "", "")?;
    value.set_id(id);
    dom::append(&item, &value)?;
    dom::append(strip, &item)?;
    Ok(value)
}

/// The world point under a click, if it landed inside the plot.
fn clicked_point(
    canvas: &HtmlCanvasElement,
    frame: Option<Frame>,
    event: &Event,
) -> Option<[f64; 2]> {
    let (frame, mouse) = (frame?, event.dyn_ref::<MouseEvent>()?);
    let rect = canvas.get_bounding_client_rect();
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return None;
    }
    // Client pixels → the frame's CSS pixels (they differ if the page is zoomed or the canvas scaled).
    let px = (f64::from(mouse.client_x()) - rect.left()) * f64::from(frame.width) / rect.width();
    let py = (f64::from(mouse.client_y()) - rect.top()) * f64::from(frame.height) / rect.height();
    frame.in_plot((px, py)).then(|| {
        let (x, y) = frame.from_pixel((px, py));
        [x, y]
    })
}

/// What a presenter's key asks for.
enum KeyAction {
    PlayPause,
    Step,
    Reset,
}

/// Keys for presenting (a clicker sends arrows and space). Keys typed into a
/// form field or pressed on a button keep their usual meaning.
fn presenter_key(event: &Event) -> Option<KeyAction> {
    let key = event.dyn_ref::<KeyboardEvent>()?;
    let in_control = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|e| {
            matches!(
                e.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
            )
        });
    if in_control || key.ctrl_key() || key.meta_key() || key.alt_key() {
        return None;
    }
    match key.key().as_str() {
        " " => Some(KeyAction::PlayPause),
        "ArrowRight" => Some(KeyAction::Step),
        "r" | "R" => Some(KeyAction::Reset),
        _ => None,
    }
}
