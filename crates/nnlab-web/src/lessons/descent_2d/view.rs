//! The page side of the 2-D descent race: builds the map, the loss chart and
//! the controls, turns events into [`Model`] calls, and each frame brings the
//! page in line with the model ([`View::catch_up`]).

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::optim::OptimizerKind;
use nnlab_figures::{colormap, Track};
use plotters::prelude::IntoDrawingArea;
use web_sys::{HtmlElement, HtmlInputElement};

use super::loss_chart::{self, Labels, Series};
use super::model::{index_of, Model, Phase, MAX_BUDGET};
use super::presets::PRESETS;
use super::query::{LR_RANGE, MEMORY_RANGE};
use super::runner::{Memory, Runner, RunnerState};
use super::text::{memory_label, optimizer_label, runner_badge, runner_message, status_text};
use crate::commands::Command;
use crate::error::WebResult;
use crate::export::{self, Figure};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::format::{format_momentum, format_number, format_rate};
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::labels;
use crate::lessons::kit::page;
use crate::lessons::kit::readout::{self, Curves, Panel};
use crate::lessons::kit::stage::{Setting, Stage};
use crate::lessons::{LessonModel, LessonView, Mount};
use crate::widgets::transport::{format_speed, SPEED_SCALE};
use crate::widgets::{
    dom, Button, ExportFormat, HiDpiCanvas, Listener, NumberField, Scale, Select, Slider,
};

/// Height of the map as a fraction of its width.
const ASPECT: f64 = 0.75;
/// Height of the loss chart as a fraction of its width.
const CHART_ASPECT: f64 = 0.3;
/// Widest the pictures get, in CSS pixels.
const MAX_CANVAS_WIDTH: u32 = 960;
/// While the race runs, the chart is redrawn at most this often (the map every frame).
const CHART_INTERVAL_MS: f64 = 100.0;
const BUDGET_SCALE: Scale = Scale::log(10.0, MAX_BUDGET as f64);

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
/// The picture, its transport and export buttons.
const STAGE: Setting = Setting::new("descent", Key::CanvasDescription, SPEED_SCALE);

/// The race's page: the map, the loss chart, the presets and one row of settings per optimiser.
pub struct View {
    lang: Lang,
    /// The map, its status, the transport and export buttons.
    stage: Stage,
    chart: HiDpiCanvas,
    /// Each runner's loss under the pointer or the arrow keys.
    chart_hover: Hover,
    surface: Select,
    formula: HtmlElement,
    presets: Vec<Button>,
    rows: Vec<RunnerRow>,
    budget: Slider,
    steps: HtmlElement,
    start: HtmlElement,
    chart_revision: Option<u64>,
    chart_drawn_at: f64,
    listeners: Vec<Listener>,
}

impl View {
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
        let plot = loss_chart::draw(&area, &series, model.steps(), &labels)
            .map_err(crate::error::WebError::Draw)?;
        area.present()
            .map_err(|e| crate::error::WebError::Draw(e.to_string()))?;
        let lines = model
            .enabled()
            .map(|r| {
                let [red, green, blue] = runner_color(r.kind());
                let points = r.history().points().iter().map(|p| (p[0], p[1]));
                let name = self.lang.text(optimizer_label(r.kind()));
                readout::Series::new(name, &format!("rgb({red}, {green}, {blue})"), points)
            })
            .collect();
        let curves = Curves::new(plot, labels.step, lines);
        self.chart_hover
            .show(&self.chart, vec![Panel::Curves(curves)])
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let (stage, on_resize) = Stage::new(root, lang, &STAGE, model.speed())?;
        // The status sits on the map, so a divergence message is seen where the eyes are.
        stage.status.set_id("descent-status");
        let page = &stage.page;
        let chart_wrap: HtmlElement = dom::add(&page.figure, "div", "canvas-wrap race-chart-wrap")?;
        let chart =
            HiDpiCanvas::picture("race-chart", "descent-chart", t(Key::RaceChartDescription))?;
        dom::append(&chart_wrap, &chart.element)?;
        let chart_hover = Hover::attach(&chart, lang)?;
        let (readouts, [steps, start]) = page::readouts(
            &page.figure,
            [
                (t(Key::StepsReadout), "descent-steps"),
                (t(Key::StartReadout), "descent-start"),
            ],
        )?;
        readouts.class_list().add_1("race-readouts")?;
        dom::name_controls(&[(&chart_wrap, "chart"), (&readouts, "readouts")]);

        // Right: the controls.
        let surface = labels::surface_menu(lang, model.surface().name)?;
        surface.element.set_id("descent-surface");
        let formula: HtmlElement = dom::create("p", "formula")?;
        let preset_box: HtmlElement = dom::create("div", "race-presets")?;
        dom::add_text(&preset_box, "span", "field-label", t(Key::PresetsLabel))?;
        let mut presets = Vec::new();
        for (i, preset) in PRESETS.iter().enumerate() {
            let button = Button::new("", "small preset")?;
            button.element.set_id(&format!("descent-preset-{}", i + 1));
            dom::add_text(&button.element, "kbd", "", &(i + 1).to_string())?;
            dom::add_text(&button.element, "span", "", t(preset.name))?;
            dom::append(&preset_box, &button.element)?;
            presets.push(button);
        }

        let runners_box: HtmlElement = dom::create("div", "race-runners")?;
        runners_box.set_id("descent-runners");
        dom::add_text(&runners_box, "span", "field-label", t(Key::RunnersLabel))?;
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
        page.add(&[
            (&surface.root, "surface"),
            (&formula, "surface"),
            (&preset_box, "presets"),
            (&runners_box, "runners"),
            (&stage.transport.speed.root, "speed"),
            (&budget.root, "budget"),
            (&stage.transport.buttons.row, "transport"),
            (&stage.export.root, "export"),
        ])?;
        page.keyboard_hint(t(Key::KeyboardHint))?;

        Ok(View {
            lang,
            stage,
            chart,
            chart_hover,
            surface,
            formula,
            presets,
            rows,
            budget,
            steps,
            start,
            chart_revision: None,
            chart_drawn_at: f64::NEG_INFINITY,
            listeners: vec![on_resize],
        })
    }

    /// Event handlers: each one only changes the model.
    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let (lang, mut bind) = (self.lang, Binder::new(model));
        // A press on the map sets the start; dragging moves it (the race restarts as it moves).
        self.stage.bind(
            &mut bind,
            Model::set_speed,
            (|m: &Model| [m.start()[0], m.start()[1]], Model::set_start),
            move |m: &Model, format| save(lang, m, format),
        )?;
        for (i, button) in self.presets.iter().enumerate() {
            let preset = Command::Preset(i + 1);
            bind.keep(button.on_click(bind.act(move |m: &mut Model| m.command(preset)))?);
        }
        let surface = bind.with(|m: &mut Model, name: String| m.set_surface(&name));
        bind.keep(self.surface.on_change(surface)?);
        bind.keep(self.budget.on_input(bind.with(Model::set_budget))?);
        for row in &self.rows {
            let kind = row.kind;
            let enable = row.enable.clone();
            let mut toggle = bind.act(move |m: &mut Model| m.set_enabled(kind, enable.checked()));
            bind.keep(Listener::new(&row.enable, "change", move |_| toggle())?);
            bind.keep(
                row.lr
                    .on_change(bind.with(move |m: &mut Model, v| m.set_lr(kind, v)))?,
            );
            if let Some(memory) = &row.memory {
                let set = bind.with(move |m: &mut Model, v| m.set_memory(kind, v));
                bind.keep(memory.on_change(set)?);
            }
        }
        self.listeners.extend(bind.finish());
        Ok(())
    }

    /// Brings the page in line with the model: controls, read-outs, pictures.
    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let (lang, stage) = (self.lang, &mut self.stage);
        if stage.controls_stale(model.controls_revision()) {
            self.surface.set_value(model.surface().name);
            stage.transport.speed.set_value(model.speed());
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
        }
        stage
            .transport
            .show_playing(model.phase() == Phase::Running);
        dom::set_text_if_changed(&self.steps, &model.steps().to_string());
        let s = model.start();
        dom::set_text_if_changed(
            &self.start,
            &format!("({}, {})", format_number(s[0]), format_number(s[1])),
        );
        for (row, runner) in self.rows.iter().zip(model.runners()) {
            row.catch_up(lang, runner)?;
        }
        dom::set_text_if_changed(&stage.status, &status_text(lang, model));
        // A divergence is a card over the map when nothing else is still moving;
        // during a race it is a red strip, so the others stay in view.
        let diverged = model.any_diverged();
        let stopped = model.phase() == Phase::Finished;
        let classes = stage.status.class_list();
        classes.toggle_with_force("warning", diverged && stopped)?;
        classes.toggle_with_force("caution", diverged && !stopped)?;

        let chart = Some((&mut self.chart, CHART_ASPECT));
        let due = stage.due(model.revision(), ASPECT, MAX_CANVAS_WIDTH, chart)?;
        if due.picture {
            stage.picture.draw(model.surface(), &tracks(lang, model))?;
            stage.drawn();
        }
        let now = js_sys::Date::now();
        let chart_due =
            model.phase() != Phase::Running || now - self.chart_drawn_at >= CHART_INTERVAL_MS;
        if due.resized || (self.chart_revision != Some(model.revision()) && chart_due) {
            self.draw_chart(model)?;
            self.chart_revision = Some(model.revision());
            self.chart_drawn_at = now;
        }
        Ok(())
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

        let head: HtmlElement = dom::add(&root, "label", "runner-head")?;
        let enable: HtmlInputElement = dom::add(&head, "input", "runner-enable")?;
        enable.set_type("checkbox");
        enable.set_checked(runner.enabled());
        dom::append(&head, &dom::create::<HtmlElement>("span", "runner-swatch")?)?;
        dom::add_text(
            &head,
            "span",
            "runner-name",
            lang.text(optimizer_label(kind)),
        )?;
        let loss = dom::add_text(&head, "span", "runner-loss", "")?;
        loss.set_title(lang.text(Key::LossReadout));

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
        let badge = dom::add_text(&settings, "span", "runner-badge", "")?;
        dom::append(&root, &settings)?;
        let message = dom::add_text(&root, "p", "runner-message", "")?;
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

/// Saves the race as it is now, titled with the surface and the steps taken.
fn save(lang: Lang, m: &Model, format: ExportFormat) -> WebResult<()> {
    let tracks = tracks(lang, m);
    let title = lang.fill(
        Key::ExportTitle,
        &[
            ("surface", labels::surface_label(lang, m.surface().name)),
            ("steps", &m.steps().to_string()),
        ],
    );
    let figure = Figure::Surface {
        surface: m.surface(),
        tracks: &tracks,
        title: &title,
    };
    let stem = export::file_stem(&["nnlab", m.surface().name, &m.steps().to_string()]);
    export::save(&figure, format, &stem)
}
