//! The page side of the 2-D descent race: builds the map, the loss chart and
//! the controls, turns events into [`Model`] calls, and each frame brings the
//! page in line with the model ([`View::catch_up`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab::optim::OptimizerKind;
use nnlab_figures::{colormap, Frame, Track};
use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlCanvasElement, HtmlElement, HtmlInputElement, MouseEvent};

use super::loss_chart::{self, Labels, Series};
use super::model::{index_of, Model, Phase, MAX_BUDGET};
use super::presets::PRESETS;
use super::query::{LR_RANGE, MEMORY_RANGE};
use super::runner::{Memory, Runner, RunnerState};
use super::text::{
    memory_label, optimizer_label, runner_badge, runner_message, status_text, SURFACE_LABELS,
};
use crate::commands::Command;
use crate::draw::SurfaceView;
use crate::error::WebResult;
use crate::export::{self, Figure};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::format::{format_momentum, format_number, format_rate, format_speed};
use crate::lessons::{LessonModel, LessonView, Mount};
use crate::widgets::{
    dom, Button, ExportButtons, HiDpiCanvas, Listener, NumberField, Scale, Select, Slider,
    Transport,
};

/// Height of the map as a fraction of its width.
const ASPECT: f64 = 0.75;
/// Height of the loss chart as a fraction of its width.
const CHART_ASPECT: f64 = 0.3;
/// Widest the pictures get, in CSS pixels.
const MAX_CANVAS_WIDTH: u32 = 960;
/// While the race runs, the chart is redrawn at most this often (the map every frame).
const CHART_INTERVAL_MS: f64 = 100.0;
const BUDGET_SCALE: Scale = Scale::Log {
    min: 10.0,
    max: MAX_BUDGET as f64,
};

/// Each optimiser's colour, the same on the map, the chart and its row.
pub fn runner_color(kind: OptimizerKind) -> [u8; 3] {
    colormap::track_color(index_of(kind))
}

/// One optimiser's row of controls and read-outs.
struct RunnerRow {
    kind: OptimizerKind,
    enable: HtmlInputElement,
    lr: NumberField,
    memory: Option<NumberField>,
    loss: HtmlElement,
    badge: HtmlElement,
    message: HtmlElement,
    root: HtmlElement,
}

/// The page elements of the mounted lesson.
pub struct View {
    lang: Lang,
    picture: SurfaceView,
    chart: HiDpiCanvas,
    /// The last drawn frame, shared with the pointer handlers.
    frame: Rc<Cell<Option<Frame>>>,
    /// Set by window resizes (and at mount): the canvases must be fitted again.
    /// Measuring only then keeps layout reads out of the per-frame path.
    needs_fit: Rc<Cell<bool>>,
    surface: Select,
    formula: HtmlElement,
    presets: Vec<Button>,
    rows: Vec<RunnerRow>,
    budget: Slider,
    transport: Transport,
    export: ExportButtons,
    steps: HtmlElement,
    start: HtmlElement,
    status: HtmlElement,
    drawn_revision: Option<u64>,
    chart_revision: Option<u64>,
    chart_drawn_at: f64,
    synced_controls: Option<u64>,
    listeners: Vec<Listener>,
}

impl View {
    fn build(root: &HtmlElement, lang: Lang, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        // Left: the map (with the status on it), the loss chart and the read-outs.
        let figure: HtmlElement = dom::create("div", "figure-panel")?;
        let canvas_wrap: HtmlElement = dom::create("div", "canvas-wrap")?;
        let canvas = HiDpiCanvas::picture(
            "surface-canvas",
            "descent-canvas",
            t(Key::CanvasDescription),
        )?;
        dom::append(&canvas_wrap, &canvas.element)?;
        // The status sits on the picture, so a divergence message is seen where the eyes are.
        let status = dom::text_element("p", "status", "")?;
        status.set_id("descent-status");
        status.set_attribute("role", "status")?;
        status.set_attribute("aria-live", "polite")?;
        dom::append(&canvas_wrap, &status)?;
        dom::append(&figure, &canvas_wrap)?;

        let chart_wrap: HtmlElement = dom::create("div", "canvas-wrap race-chart-wrap")?;
        let chart =
            HiDpiCanvas::picture("race-chart", "descent-chart", t(Key::RaceChartDescription))?;
        dom::append(&chart_wrap, &chart.element)?;
        dom::append(&figure, &chart_wrap)?;

        let readouts: HtmlElement = dom::create("dl", "readouts race-readouts")?;
        let steps = readout(&readouts, t(Key::StepsReadout), "descent-steps")?;
        let start = readout(&readouts, t(Key::StartReadout), "descent-start")?;
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

        let preset_box: HtmlElement = dom::create("div", "race-presets")?;
        dom::append(
            &preset_box,
            &dom::text_element("span", "field-label", t(Key::PresetsLabel))?,
        )?;
        let mut presets = Vec::new();
        for (i, preset) in PRESETS.iter().enumerate() {
            let button = Button::new("", "small preset")?;
            button.element.set_id(&format!("descent-preset-{}", i + 1));
            dom::append(
                &button.element,
                &dom::text_element("kbd", "", &(i + 1).to_string())?,
            )?;
            dom::append(
                &button.element,
                &dom::text_element("span", "", t(preset.name))?,
            )?;
            dom::append(&preset_box, &button.element)?;
            presets.push(button);
        }

        let runners_box: HtmlElement = dom::create("div", "race-runners")?;
        runners_box.set_id("descent-runners");
        dom::append(
            &runners_box,
            &dom::text_element("span", "field-label", t(Key::RunnersLabel))?,
        )?;
        let mut rows = Vec::new();
        for runner in model.runners() {
            let row = RunnerRow::build(lang, runner)?;
            dom::append(&runners_box, &row.root)?;
            rows.push(row);
        }

        let budget = Slider::new(
            t(Key::BudgetLabel),
            t(Key::BudgetUnit),
            BUDGET_SCALE,
            model.budget() as f64,
            format_speed,
        )?;
        budget.root.set_id("descent-budget");
        let transport = Transport::new(lang, "descent", model.speed(), Key::SpeedUnit)?;
        let export = ExportButtons::new(lang, "descent")?;
        for part in [
            &surface.root,
            &formula,
            &preset_box,
            &runners_box,
            &transport.speed.root,
            &budget.root,
            &transport.buttons.row,
            &export.root,
        ] {
            dom::append(&controls, part)?;
        }
        dom::append(
            &controls,
            &dom::text_element("p", "keyboard-hint", t(Key::KeyboardHint))?,
        )?;
        dom::name_controls(&[
            (&surface.root, "surface"),
            (&formula, "surface"),
            (&preset_box, "presets"),
            (&runners_box, "runners"),
            (&transport.speed.root, "speed"),
            (&budget.root, "budget"),
            (&transport.buttons.row, "transport"),
            (&export.root, "export"),
            (&chart_wrap, "chart"),
            (&readouts, "readouts"),
        ]);

        let layout: HtmlElement = dom::create("div", "descent-layout")?;
        dom::append(&layout, &figure)?;
        dom::append(&layout, &controls)?;
        dom::append(root, &layout)?;

        Ok(View {
            lang,
            picture: SurfaceView::new(canvas)?,
            chart,
            frame: Rc::new(Cell::new(None)),
            needs_fit: Rc::new(Cell::new(true)),
            surface,
            formula,
            presets,
            rows,
            budget,
            transport,
            export,
            steps,
            start,
            status,
            drawn_revision: None,
            chart_revision: None,
            chart_drawn_at: f64::NEG_INFINITY,
            synced_controls: None,
            listeners: Vec::new(),
        })
    }

    /// Event handlers: each one only changes the model.
    fn listen(&mut self, m: &Rc<RefCell<Model>>) -> WebResult<()> {
        let l = &mut self.listeners;
        let model = m.clone();
        l.extend(
            self.transport
                .on_command(move |c| model.borrow_mut().command(c))?,
        );
        for (i, button) in self.presets.iter().enumerate() {
            let model = m.clone();
            l.push(button.on_click(move || model.borrow_mut().command(Command::Preset(i + 1)))?);
        }
        let model = m.clone();
        l.push(
            self.surface
                .on_change(move |name| Ok(model.borrow_mut().set_surface(&name)?))?,
        );
        let model = m.clone();
        l.extend(self.transport.speed.on_input(move |v| {
            model.borrow_mut().set_speed(v);
            Ok(())
        })?);
        let model = m.clone();
        l.extend(self.budget.on_input(move |v| {
            model.borrow_mut().set_budget(v);
            Ok(())
        })?);
        for row in &self.rows {
            let kind = row.kind;
            let (model, enable) = (m.clone(), row.enable.clone());
            l.push(Listener::new(&row.enable, "change", move |_: Event| {
                Ok(model.borrow_mut().set_enabled(kind, enable.checked())?)
            })?);
            let model = m.clone();
            l.push(
                row.lr
                    .on_change(move |v| Ok(model.borrow_mut().set_lr(kind, v)?))?,
            );
            if let Some(memory) = &row.memory {
                let model = m.clone();
                l.push(memory.on_change(move |v| Ok(model.borrow_mut().set_memory(kind, v)?))?);
            }
        }
        let model = m.clone();
        let lang = self.lang;
        l.extend(self.export.on_export(move |format| {
            let model = model.borrow();
            let tracks = tracks(lang, &model);
            let surface_name = surface_label(lang, model.surface().name);
            let title = lang.fill(
                Key::ExportTitle,
                &[
                    ("surface", surface_name),
                    ("steps", &model.steps().to_string()),
                ],
            );
            let figure = Figure::Surface {
                surface: model.surface(),
                tracks: &tracks,
                title: &title,
            };
            let stem =
                export::file_stem(&["nnlab", model.surface().name, &model.steps().to_string()]);
            export::save(&figure, format, &stem)
        })?);

        // A press on the map sets the start; dragging moves it (the race restarts as it moves).
        let canvas = self.picture.canvas().element.clone();
        let dragging = Rc::new(Cell::new(false));
        let (model, frame, drag) = (m.clone(), self.frame.clone(), dragging.clone());
        let target = canvas.clone();
        l.push(Listener::new(
            &canvas,
            "pointerdown",
            move |event: Event| {
                if let Some(point) = pointed_point(&target, frame.get(), &event) {
                    drag.set(true);
                    model.borrow_mut().set_start(point)?;
                }
                Ok(())
            },
        )?);
        let (model, frame, drag) = (m.clone(), self.frame.clone(), dragging.clone());
        let target = canvas.clone();
        l.push(Listener::new(
            &canvas,
            "pointermove",
            move |event: Event| {
                let pressed = event
                    .dyn_ref::<MouseEvent>()
                    .is_some_and(|e| e.buttons() & 1 == 1);
                if !drag.get() || !pressed {
                    drag.set(false);
                    return Ok(());
                }
                if let Some(point) = pointed_point(&target, frame.get(), &event) {
                    model.borrow_mut().set_start(point)?;
                }
                Ok(())
            },
        )?);
        for end in ["pointerup", "pointercancel", "pointerleave"] {
            let drag = dragging.clone();
            l.push(Listener::new(&canvas, end, move |_: Event| {
                drag.set(false);
                Ok(())
            })?);
        }

        l.push(Listener::flag_on_resize(&self.needs_fit)?);
        Ok(())
    }

    fn draw_chart(&self, model: &Model) -> WebResult<()> {
        let (w, h) = self.chart.css_size();
        if w == 0 || h == 0 {
            return Ok(());
        }
        let series: Vec<Series> = model
            .enabled()
            .map(|r| Series {
                points: r.history().points(),
                color: runner_color(r.kind()),
            })
            .collect();
        let labels = Labels {
            step: self.lang.text(Key::ChartStepAxis),
            loss: self.lang.text(Key::ChartLossAxis),
        };
        let area = self.chart.backend()?.into_drawing_area();
        loss_chart::draw(&area, &series, model.steps(), &labels)
            .map_err(crate::error::WebError::Draw)?;
        area.present()
            .map_err(|e| crate::error::WebError::Draw(e.to_string()))
    }
}

impl LessonView for View {
    type Model = Model;

    /// Brings the page in line with the model: controls, read-outs, pictures.
    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        if self.synced_controls != Some(model.controls_revision()) {
            self.surface.set_value(model.surface().name);
            self.transport.speed.set_value(model.speed());
            self.budget.set_value(model.budget() as f64);
            for (row, runner) in self.rows.iter().zip(model.runners()) {
                row.enable.set_checked(runner.enabled());
                row.lr.set_value(runner.hyper().lr);
                if let (Some(field), Some(memory)) = (&row.memory, Memory::of(runner.kind())) {
                    field.set_value(memory.get(&runner.hyper()));
                }
            }
            let formula = format!(
                "{}: f(x, y) = {}",
                lang.text(Key::FormulaLabel),
                model.surface().formula_text
            );
            dom::set_text_if_changed(&self.formula, &formula);
            self.synced_controls = Some(model.controls_revision());
        }
        self.transport.show_playing(model.phase() == Phase::Running);
        dom::set_text_if_changed(&self.steps, &model.steps().to_string());
        let s = model.start();
        dom::set_text_if_changed(
            &self.start,
            &format!("({}, {})", format_number(s[0]), format_number(s[1])),
        );
        for (row, runner) in self.rows.iter().zip(model.runners()) {
            row.catch_up(lang, runner)?;
        }
        dom::set_text_if_changed(&self.status, &status_text(lang, model));
        // A divergence is a card over the map when nothing else is still moving;
        // during a race it is a red strip, so the others stay in view.
        let diverged = model.any_diverged();
        let stopped = model.phase() == Phase::Finished;
        let classes = self.status.class_list();
        classes.toggle_with_force("warning", diverged && stopped)?;
        classes.toggle_with_force("caution", diverged && !stopped)?;

        let resized = if self.needs_fit.replace(false) {
            let map = self
                .picture
                .canvas_mut()
                .fit_to_parent(ASPECT, MAX_CANVAS_WIDTH)?;
            let chart = self.chart.fit_to_parent(CHART_ASPECT, MAX_CANVAS_WIDTH)?;
            map || chart
        } else {
            false
        };
        if resized || self.drawn_revision != Some(model.revision()) {
            let tracks = tracks(lang, model);
            self.picture.draw(model.surface(), &tracks)?;
            self.frame.set(self.picture.frame().copied());
            self.drawn_revision = Some(model.revision());
        }
        let now = js_sys::Date::now();
        let chart_due =
            model.phase() != Phase::Running || now - self.chart_drawn_at >= CHART_INTERVAL_MS;
        if resized || (self.chart_revision != Some(model.revision()) && chart_due) {
            self.draw_chart(model)?;
            self.chart_revision = Some(model.revision());
            self.chart_drawn_at = now;
        }
        Ok(())
    }

    /// Builds the lesson into `root` in `lang` and connects it to `model`.
    fn mount(at: &Mount, model: &Rc<RefCell<Model>>) -> WebResult<View> {
        let mut view = View::build(at.root, at.lang, &model.borrow())?;
        view.listen(model)?;
        Ok(view)
    }
}

impl RunnerRow {
    fn build(lang: Lang, runner: &Runner) -> WebResult<RunnerRow> {
        let kind = runner.kind();
        let root: HtmlElement = dom::create("div", "runner")?;
        root.set_id(&format!("runner-{}", kind.name()));
        let [r, g, b] = runner_color(kind);
        root.style()
            .set_property("--runner-color", &format!("rgb({r}, {g}, {b})"))?;

        let head: HtmlElement = dom::create("label", "runner-head")?;
        let enable: HtmlInputElement = dom::create("input", "runner-enable")?;
        enable.set_type("checkbox");
        enable.set_checked(runner.enabled());
        dom::append(&head, &enable)?;
        dom::append(&head, &dom::create::<HtmlElement>("span", "runner-swatch")?)?;
        dom::append(
            &head,
            &dom::text_element("span", "runner-name", lang.text(optimizer_label(kind)))?,
        )?;
        let loss = dom::text_element("span", "runner-loss", "")?;
        loss.set_title(lang.text(Key::LossReadout));
        dom::append(&head, &loss)?;
        dom::append(&root, &head)?;

        let settings: HtmlElement = dom::create("div", "runner-settings")?;
        let lr_title = lang.text(Key::LearningRateLabel);
        let lr = NumberField::new("lr", lr_title, LR_RANGE, runner.hyper().lr, format_rate)?;
        lr.input.class_list().add_1("runner-lr")?;
        dom::append(&settings, &lr.root)?;
        let memory = match Memory::of(kind) {
            Some(memory) => {
                let label = lang.text(memory_label(memory));
                let field = NumberField::new(
                    label,
                    label,
                    MEMORY_RANGE,
                    memory.get(&runner.hyper()),
                    format_momentum,
                )?;
                field.input.class_list().add_1("runner-memory")?;
                dom::append(&settings, &field.root)?;
                Some(field)
            }
            None => None,
        };
        let badge = dom::text_element("span", "runner-badge", "")?;
        dom::append(&settings, &badge)?;
        dom::append(&root, &settings)?;
        let message = dom::text_element("p", "runner-message", "")?;
        dom::append(&root, &message)?;
        Ok(RunnerRow {
            kind,
            enable,
            lr,
            memory,
            loss,
            badge,
            message,
            root,
        })
    }

    fn catch_up(&self, lang: Lang, runner: &Runner) -> WebResult<()> {
        let classes = self.root.class_list();
        classes.toggle_with_force("off", !runner.enabled())?;
        let diverged = matches!(runner.state(), RunnerState::Diverged { .. });
        classes.toggle_with_force("diverged", diverged)?;
        dom::set_text_if_changed(&self.loss, &format_number(runner.descent().loss()));
        dom::set_text_if_changed(&self.badge, runner_badge(lang, runner));
        let message = if runner.enabled() {
            runner_message(lang, runner).unwrap_or_default()
        } else {
            String::new()
        };
        self.message.set_hidden(message.is_empty());
        dom::set_text_if_changed(&self.message, &message);
        Ok(())
    }
}

/// The enabled runners' paths, coloured and labelled.
fn tracks<'a>(lang: Lang, model: &'a Model) -> Vec<Track<'a>> {
    model
        .enabled()
        .map(|r| Track {
            points: r.path().points(),
            color: runner_color(r.kind()),
            label: lang.text(optimizer_label(r.kind())),
        })
        .collect()
}

fn surface_label(lang: Lang, name: &str) -> &'static str {
    SURFACE_LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |&(_, key)| lang.text(key))
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

/// The world point under a pointer event, if it is inside the plot.
fn pointed_point(
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
