//! The page side of the 1-D descent lesson: the curve with the ball, the loss
//! chart under it, the presets, learning-rate, noise and speed controls, the
//! read-outs and the status line.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::surfaces::Surface;
use nnlab_figures::{Frame, Track};
use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlElement;

use super::chart::{draw_loss_chart, ChartLabels, LOSS_LINE_COLOR};
use super::figure::Slide;
use super::model::{End, Model, Phase, Preset, LR_MAX, LR_MIN, NOISE_MAX, SPEED_MAX, SPEED_MIN};
use super::text::{preset_label, status_text};
use crate::draw::palette;
use crate::draw::surface_view::{draw_tracks, present};
use crate::draw::SurfaceView;
use crate::error::{WebError, WebResult};
use crate::export;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::format::{format_number, format_rate};
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::page;
use crate::lessons::kit::readout::{Curves, Panel, Series};
use crate::lessons::kit::stage::{Setting, Stage};
use crate::lessons::LessonId;
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, Button, ExportFormat, HiDpiCanvas, Listener, Scale, Slider};

/// The ball and its trail: the red of the descent paths.
pub const BALL_COLOR: [u8; 3] = [240, 60, 60];
const ASPECT: f64 = 0.5;
const CHART_ASPECT: f64 = 0.26;
const MAX_CANVAS_WIDTH: u32 = 960;
const LR_SCALE: Scale = Scale::log(LR_MIN, LR_MAX);
const NOISE_SCALE: Scale = Scale::linear(0.0, NOISE_MAX, 0.5);
const SPEED_SCALE: Scale = Scale::log(SPEED_MIN, SPEED_MAX);

/// The picture, its transport and export buttons.
const STAGE: Setting = Setting::new("sgd1d", Key::Sgd1dCanvasDescription, SPEED_SCALE);

/// The 1-D descent page (SGD and local minima): the curve, the loss chart and the controls.
pub struct View {
    lang: Lang,
    /// SGD or local minima: the same view shows both sections.
    id: LessonId,
    stage: Stage,
    chart: HiDpiCanvas,
    /// The loss under the pointer or the arrow keys.
    chart_hover: Hover,
    presets: Vec<Button>,
    lr: Slider,
    noise: Slider,
    steps: HtmlElement,
    x: HtmlElement,
    loss: HtmlElement,
    slope: HtmlElement,
    listeners: Vec<Listener>,
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, id, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let settings = model.settings();
        let (stage, on_resize) = Stage::new(root, lang, &STAGE, settings.speed)?;
        let page = &stage.page;
        let chart_wrap: HtmlElement =
            dom::add(&page.figure, "div", "canvas-wrap sgd1d-chart-wrap")?;
        let chart =
            HiDpiCanvas::picture("sgd1d-chart", "sgd1d-chart", t(Key::Sgd1dChartDescription))?;
        dom::append(&chart_wrap, &chart.element)?;
        let chart_hover = Hover::attach(&chart, lang)?;
        let (readouts, [steps, x, loss, slope]) = page::readouts(
            &page.figure,
            [
                (t(Key::StepsReadout), "sgd1d-steps"),
                (t(Key::Sgd1dXReadout), "sgd1d-x"),
                (t(Key::LossReadout), "sgd1d-loss"),
                (t(Key::Sgd1dSlopeReadout), "sgd1d-slope"),
            ],
        )?;
        dom::name_controls(&[(&chart_wrap, "chart"), (&readouts, "readouts")]);

        let formula = dom::text_element(
            "p",
            "formula",
            &format!(
                "{}: f(x) = {}",
                t(Key::FormulaLabel),
                model.surface().formula_text
            ),
        )?;
        let preset_field: HtmlElement = dom::create("div", "field")?;
        dom::add_text(
            &preset_field,
            "span",
            "field-label",
            t(Key::Sgd1dPresetLabel),
        )?;
        let preset_row: HtmlElement = dom::add(&preset_field, "div", "sgd1d-presets")?;
        let mut presets = Vec::new();
        for (i, preset) in Preset::ALL.into_iter().enumerate() {
            let button = Button::new(t(preset_label(preset)), "sgd1d-preset")?;
            button.element.set_id(&format!("sgd1d-preset-{}", i + 1));
            button.element.set_attribute("data-preset", preset.name())?;
            dom::append(&preset_row, &button.element)?;
            presets.push(button);
        }
        let lr = Slider::new(
            t(Key::LearningRateLabel),
            "",
            LR_SCALE,
            settings.lr,
            format_rate,
        )?;
        lr.root.set_id("sgd1d-lr");
        let noise = Slider::new(
            t(Key::Sgd1dNoiseLabel),
            "",
            NOISE_SCALE,
            settings.noise,
            format_noise,
        )?;
        noise.root.set_id("sgd1d-noise");
        let noise_note = dom::text_element("p", "opt-note", t(Key::Sgd1dNoiseNote))?;
        page.add(&[
            (&formula, ""),
            (&preset_field, "presets"),
            (&lr.root, "lr"),
            (&noise.root, "noise"),
            (&noise_note, "noise"),
            (&stage.transport.speed.root, "speed"),
            (&stage.transport.buttons.row, "transport"),
            (&stage.export.root, "export"),
        ])?;
        page.keyboard_hint(t(Key::Sgd1dKeyboardHint))?;

        Ok(View {
            lang,
            id,
            stage,
            chart,
            chart_hover,
            presets,
            lr,
            noise,
            steps,
            x,
            loss,
            slope,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let id = self.id;
        let (lang, mut bind) = (self.lang, Binder::new(model));
        // A point on the x axis: the arrow keys' up and down leave it be.
        let at = |m: &Model| [m.settings().start, 0.0];
        let start = |m: &mut Model, [x, _]: [f64; 2]| m.set_start(x);
        self.stage.bind(
            &mut bind,
            Model::set_speed,
            (at, start),
            move |m: &Model, format| save(lang, id, m, format),
        )?;
        for (button, preset) in self.presets.iter().zip(Preset::ALL) {
            bind.keep(button.on_click(bind.act(move |m: &mut Model| m.set_preset(preset)))?);
        }
        bind.keep(self.lr.on_input(bind.with(Model::set_lr))?);
        bind.keep(self.noise.on_input(bind.with(Model::set_noise))?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let (lang, stage) = (self.lang, &mut self.stage);
        let settings = model.settings();
        if stage.controls_stale(model.controls_revision()) {
            self.lr.set_value(settings.lr);
            self.noise.set_value(settings.noise);
            stage.transport.speed.set_value(settings.speed);
            for (button, preset) in self.presets.iter().zip(Preset::ALL) {
                let on = settings.preset == Some(preset);
                button
                    .element
                    .set_attribute("aria-pressed", if on { "true" } else { "false" })?;
            }
        }
        stage
            .transport
            .show_playing(model.phase() == Phase::Running);
        let descent = model.descent();
        dom::set_text_if_changed(&self.steps, &descent.steps().to_string());
        dom::set_text_if_changed(&self.x, &format_number(model.x()));
        dom::set_text_if_changed(&self.loss, &format_number(descent.loss()));
        dom::set_text_if_changed(&self.slope, &format_number(descent.grad()[0]));
        dom::set_text_if_changed(&stage.status, &status_text(lang, model));
        let classes = stage.status.class_list();
        let diverged = matches!(model.end(), Some(End::Diverged { .. }));
        classes.toggle_with_force("warning", diverged)?;
        let settled_local = model.end() == Some(End::Settled) && !model.nearest_minimum().global;
        classes.toggle_with_force("opt-warn", settled_local)?;
        let chart = Some((&mut self.chart, CHART_ASPECT));
        if stage
            .due(model.revision(), ASPECT, MAX_CANVAS_WIDTH, chart)?
            .picture
        {
            draw_curve(&mut stage.picture, model.surface(), model.path().points())?;
            stage.drawn();
            let labels = chart_labels(lang);
            let (w, _) = self.chart.css_size();
            if w > 0 {
                let area = self.chart.backend()?.into_drawing_area();
                let scale = (f64::from(w) / 800.0).clamp(0.8, 1.6);
                let plot = draw_loss_chart(
                    &area,
                    model.surface(),
                    model.losses().points(),
                    &labels,
                    scale,
                    palette::current(),
                )
                .map_err(WebError::Draw)?;
                area.present().map_err(|e| WebError::Draw(e.to_string()))?;
                let [r, g, b] = LOSS_LINE_COLOR;
                let points = model.losses().points().iter().map(|p| (p[0], p[1]));
                let line = Series::new("", &format!("rgb({r}, {g}, {b})"), points);
                let curves =
                    Curves::new(plot, labels.step, vec![line]).with_y(labels.loss, format_number);
                self.chart_hover
                    .show(&self.chart, vec![Panel::Curves(curves)])?;
            }
        }
        Ok(())
    }
}

/// The chart's texts in `lang`.
fn chart_labels(lang: Lang) -> ChartLabels<'static> {
    ChartLabels {
        step: lang.text(Key::Sgd1dChartStep),
        loss: lang.text(Key::Sgd1dChartLoss),
        global: lang.text(Key::Sgd1dChartGlobal),
        local: lang.text(Key::Sgd1dChartLocal),
    }
}

/// The ball's path as drawn on the curve; `label` names it in a legend.
fn ball_track<'a>(path: &'a [Vec<f64>], label: &'a str) -> Track<'a> {
    Track {
        points: path,
        color: BALL_COLOR,
        label,
    }
}

fn format_noise(v: f64) -> String {
    format!("{v:.1}")
}

/// The curve (cached) with the ball's trail and the ball. Returns the frame
/// (for mouse handling); `None` while the canvas has no size.
pub fn draw_curve(
    view: &mut SurfaceView,
    surface: &Surface,
    path: &[Vec<f64>],
) -> WebResult<Option<Frame>> {
    let Some((area, frame)) = view.begin(surface)? else {
        return Ok(None);
    };
    draw_tracks(&area, &frame, surface, &[ball_track(path, "")])?;
    present(&area)?;
    Ok(Some(frame))
}

/// Saves the figure as it is now, its legend naming the rate (and the noise).
fn save(lang: Lang, id: LessonId, m: &Model, format: ExportFormat) -> WebResult<()> {
    let settings = m.settings();
    let mut label = format!(
        "{}: {}",
        lang.text(Key::LearningRateLabel),
        format_rate(settings.lr)
    );
    if settings.noise > 0.0 {
        label += &format!(
            " · {}: {}",
            lang.text(Key::Sgd1dNoiseLabel),
            format_noise(settings.noise)
        );
    }
    let slide = Slide {
        surface: m.surface(),
        track: ball_track(m.path().points(), &label),
        losses: m.losses().points(),
        title: lang.text(id.title()),
        chart: chart_labels(lang),
    };
    let section = id.slug();
    let stem = export::file_stem(&["nnlab", section, m.surface().name]);
    export::save(&slide, format, &stem)
}
