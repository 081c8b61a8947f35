//! The live-training page: choices, Start/Pause/Resume, counters, curves,
//! confusion matrix, weight images, test cards, save and load.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::optim::OptimizerKind;
use plotters::prelude::SeriesLabelPosition;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, HtmlElement, HtmlInputElement};

use super::charts::{self, train_color, Line, TEST_COLOR};
use super::model::Run;
use super::model::{format_duration, format_lr, with_optimizer};
use super::photo::LivePhoto;
use crate::data_store;
use crate::draw::{context_2d, text_size};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::data_panel::{thousands, DataPanel};
use crate::lessons::kit::format::percent;
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::labels::optimizer_label;
use crate::lessons::kit::pictures::{self, CLASS_KEYS};
use crate::lessons::{LessonView, Mount};
use crate::training::client;
use crate::training::record::TrainingRecord;
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Scale, Select, Slider};
use nnlab_worker::protocol::{
    Framework, RunConfig, SaveFormat, ToWorker, BATCH_SIZES, TRAIN_SIZES,
};

const LR_SCALE: Scale = Scale::log(super::query::LR_MIN, super::query::LR_MAX);

/// The live training page: the controls, the readouts, the curves and what the network learnt.
pub struct View {
    lang: Lang,
    panel: DataPanel,
    content: HtmlElement,
    run: Button,
    status: HtmlElement,
    /// What is kept on this device, and the offer to continue an earlier run.
    kept: HtmlElement,
    /// When that was kept, as the page's locale writes it (formatting a date
    /// costs the browser about a millisecond, at every report while training).
    kept_time: RefCell<Option<(f64, String)>>,
    resume: Button,
    readouts: Vec<HtmlElement>,
    /// Under the samples/s: which build of the Worker makes them.
    engine: HtmlElement,
    /// How many Web Workers train (shown when more than one).
    workers: HtmlElement,
    loss_chart: HiDpiCanvas,
    acc_chart: HiDpiCanvas,
    /// The values under the pointer or the arrow keys, on each chart.
    hovers: [Hover; 2],
    weights: HiDpiCanvas,
    confusion: HtmlElement,
    cards: HtmlElement,
    /// Titles that name the evaluation images (test, or held out).
    evaluate: Button,
    cards_title: HtmlElement,
    /// The student's own photo and what the network makes of it.
    photo: LivePhoto,
    settings: Settings,
    drawn: Drawn,
    listeners: Vec<Listener>,
}

/// While the network trains, the charts redraw at most this often (the
/// numbers at every report): this page shares the machine's cores with the
/// training Workers, and every chart drawn is time they lose. Measured on
/// two cores: redrawing everything at every report (~7 a second) kept the
/// page busy 27 % of a core (`docs/parallel-training.md`).
const CHART_EVERY_MS: f64 = 500.0;

/// What is on screen, so only what changed is drawn again.
#[derive(Default)]
struct Drawn {
    /// The record's revision the numbers show.
    revision: Option<u64>,
    width: i32,
    /// Training and test points the charts show, and when they were drawn.
    curves: Option<(usize, usize)>,
    curves_at_ms: f64,
    /// The snapshot the weight pictures and the cards show (and whether the
    /// test images for the cards had arrived).
    snapshot: Option<(u64, bool)>,
    /// The evaluations the confusion matrix has seen.
    tests: Option<usize>,
}

/// The run's settings and the buttons that act on the network.
struct Settings {
    optimizer: Select,
    lr: Slider,
    batch: Select,
    init: Select,
    size: Select,
    fresh: Button,
    save_format: Select,
    save: Button,
    load: HtmlInputElement,
}

fn field_row(parent: &HtmlElement, label: Key, lang: Lang, id: &str) -> WebResult<HtmlElement> {
    let item: HtmlElement = dom::create("div", "readout")?;
    dom::add_text(&item, "dt", "", lang.text(label))?;
    let value = dom::add_text(&item, "dd", "", "—")?;
    value.set_id(id);
    dom::append(parent, &item)?;
    Ok(value)
}

impl View {
    /// "Kept on this device at 12:03" or, for a run from an earlier visit,
    /// the offer to continue it.
    fn write_kept(&self, record: &TrainingRecord) -> WebResult<()> {
        let lang = self.lang;
        let Some(kept) = &record.kept else {
            self.kept.set_hidden(true);
            return Ok(());
        };
        let info = &kept.info;
        let accuracy = info
            .test_accuracy
            .map(|a| {
                lang.fill(
                    Key::LiveKeptAccuracy,
                    &[("accuracy", &percent(f64::from(a)))],
                )
            })
            .unwrap_or_default();
        let mut cached = self.kept_time.borrow_mut();
        if cached
            .as_ref()
            .is_none_or(|(at, _)| *at != info.saved_at_ms)
        {
            let time = js_sys::Date::new(&info.saved_at_ms.into())
                .to_locale_string(lang.tag(), &JsValue::UNDEFINED)
                .as_string()
                .unwrap_or_default();
            *cached = Some((info.saved_at_ms, time));
        }
        let time = cached.as_ref().map_or("", |(_, time)| time.as_str());
        let key = if kept.offered {
            Key::LiveKeptOffer
        } else {
            Key::LiveKeptNow
        };
        let text = lang.fill(
            key,
            &[
                ("time", time),
                ("epochs", &thousands(info.epochs)),
                ("updates", &thousands(info.updates)),
                ("accuracy", &accuracy),
            ],
        );
        self.kept.set_hidden(false);
        if let Some(line) = self.kept.first_element_child() {
            dom::set_text_if_changed(&line.unchecked_into(), &text);
        }
        self.resume.element.set_hidden(!kept.offered);
        Ok(())
    }

    fn write_readouts(&self, record: &TrainingRecord) -> WebResult<()> {
        let lang = self.lang;
        let stats = record.stats.as_ref();
        let running = record.running();
        let label = match stats {
            Some(_) if running => Key::Pause,
            Some(s) if s.updates > 0 => Key::LiveResume,
            _ => Key::LiveStart,
        };
        self.run.set_label(lang.text(label));
        let status = if let Some(error) = &record.error {
            lang.fill(Key::LiveError, &[("message", error)])
        } else if stats.is_some_and(|s| s.diverged) {
            lang.text(Key::LiveDiverged).to_string()
        } else if stats.is_some_and(|s| s.collapsed) {
            lang.text(Key::LiveCollapsed).to_string()
        } else if record.evaluations.pending() {
            lang.text(Key::LiveEvaluating).to_string()
        } else if let Some(test) = &record.evaluations.result {
            let key = if test.held_out {
                Key::LiveEvaluatedHeldOut
            } else {
                Key::LiveEvaluated
            };
            lang.fill(
                key,
                &[
                    ("accuracy", &percent(f64::from(test.accuracy))),
                    ("samples", &thousands(test.samples)),
                    ("updates", &thousands(test.updates)),
                ],
            )
        } else if let Some(net) = &record.network {
            let streaming = stats.filter(|s| s.streaming);
            let key = if streaming.is_some() {
                Key::LiveNetworkStreaming
            } else if net.from_file {
                Key::LiveNetworkFromFile
            } else if record.updates() > 0 {
                Key::LiveNetworkTraining
            } else {
                Key::LiveNetworkFresh
            };
            // While the data streams in: "training on 6,400 of 50,000 images so far".
            let (train, total) = match streaming {
                Some(s) => (s.train_images, s.train_wanted),
                None => (net.train_size, net.train_size),
            };
            lang.fill(
                key,
                &[
                    ("params", &thousands(net.params)),
                    ("train", &thousands(train)),
                    ("total", &thousands(total)),
                ],
            )
        } else {
            String::new()
        };
        dom::set_text_if_changed(&self.status, &status);
        self.write_kept(record)?;
        self.status.class_list().toggle_with_force(
            "warning",
            record.error.is_some() || stats.is_some_and(|s| s.diverged || s.collapsed),
        )?;
        let test = record.tests.last();
        let held_out = test.is_some_and(|t| t.held_out);
        // Labels that name what is measured: the test set, or held-out images.
        let streaming = stats.is_some_and(|s| s.streaming);
        let labels = [
            (0, Key::LiveEpoch, Key::LivePassLabel, streaming),
            (7, Key::LiveTestAcc, Key::LiveHeldOutAcc, held_out),
        ];
        for (i, normal, other, use_other) in labels {
            if let Some(label) = self.readouts[i].previous_element_sibling() {
                dom::set_text_if_changed(&label, lang.text(if use_other { other } else { normal }));
            }
        }
        let (evaluate, cards) = if held_out {
            (Key::LiveEvaluateHeldOut, Key::LiveCardsTitleHeldOut)
        } else {
            (Key::LiveEvaluate, Key::LiveCardsTitle)
        };
        self.evaluate.set_label(lang.text(evaluate));
        dom::set_text_if_changed(&self.cards_title, lang.text(cards));
        let values = match stats {
            Some(s) => [
                // No update yet (a fresh or loaded network): no epoch either.
                if s.updates > 0 {
                    (s.epoch + 1).to_string()
                } else {
                    "—".into()
                },
                format!("{} / {}", s.iteration, s.iterations_per_epoch),
                thousands(s.updates),
                if s.samples_per_sec > 0.0 {
                    format!("{:.0}", s.samples_per_sec)
                } else {
                    "—".into()
                },
                s.eta_secs.map_or("—".into(), format_duration),
                if s.loss.is_finite() {
                    format!("{:.3}", s.loss)
                } else {
                    "—".into()
                },
                if s.updates > 0 {
                    percent(f64::from(s.accuracy))
                } else {
                    "—".into()
                },
                test.map_or("—".into(), |t| percent(f64::from(t.accuracy))),
            ],
            None => std::array::from_fn(|_| "—".to_string()),
        };
        for (element, value) in self.readouts.iter().zip(values) {
            dom::set_text_if_changed(element, &value);
        }
        let engine = client::worker_build().map_or("", |b| self.lang.text(b.label()));
        dom::set_text_if_changed(&self.engine, engine);
        let stats = record.stats.as_ref();
        let workers = stats.map_or(1, |s| s.workers);
        let measured = stats.and_then(|s| s.measured);
        let workers = if let Some(m) = measured.filter(|_| workers > 1) {
            self.lang.fill(
                Key::LiveWorkersMeasured,
                &[
                    ("n", &workers.to_string()),
                    ("x", &format!("{:.2}", m.speedup)),
                ],
            )
        } else if workers > 1 {
            self.lang
                .fill(Key::LiveWorkers, &[("n", &workers.to_string())])
        } else if let Some(m) = measured {
            self.lang.fill(
                Key::LiveOneWorkerMeasured,
                &[
                    ("n", &m.workers.to_string()),
                    ("x", &format!("{:.2}", m.speedup)),
                ],
            )
        } else if let Some(n) = stats.and_then(|s| s.measuring) {
            // The run's first chunks alternate one Worker and the team
            // (about 3 s in a fresh page) until a trial has decided.
            self.lang
                .fill(Key::LiveWorkersMeasuring, &[("n", &n.to_string())])
        } else if record.stats.is_some() && !cross_origin_isolated() {
            self.lang.text(Key::LiveOneWorkerNotIsolated).to_string()
        } else {
            String::new()
        };
        dom::set_text_if_changed(&self.workers, &workers);
        // Where the training Worker's steps go, under the pointer.
        let mut hint = self.lang.text(Key::LiveWorkersHint).to_string();
        if let Some(m) = measured {
            hint.push('\n');
            let (key, at) = match m.at_update {
                Some(n) => (Key::LiveMeasuredStepsAgain, thousands(n)),
                None => (Key::LiveMeasuredSteps, String::new()),
            };
            hint.push_str(&self.lang.fill(
                key,
                &[
                    ("n", &m.workers.to_string()),
                    ("alone", &format!("{:.2}", m.alone_ms)),
                    ("team", &format!("{:.2}", m.team_ms)),
                    ("at", &at),
                ],
            ));
        }
        for (i, t) in stats.map_or(&[][..], |s| &s.step_times).iter().enumerate() {
            hint.push('\n');
            hint.push_str(&self.lang.fill(
                Key::LiveStepTimes,
                &[
                    ("worker", &(i + 1).to_string()),
                    ("batch", &format!("{:.2}", t.batch_ms)),
                    ("compute", &format!("{:.2}", t.compute_ms)),
                    ("exchange", &format!("{:.2}", t.exchange_ms)),
                    ("update", &format!("{:.2}", t.update_ms)),
                ],
            ));
        }
        if self.workers.title() != hint {
            self.workers.set_title(&hint);
        }
        Ok(())
    }

    fn draw_charts(&mut self, record: &TrainingRecord) -> WebResult<()> {
        let lang = self.lang;
        let width = self
            .loss_chart
            .element
            .parent_element()
            .map_or(600, |p| p.client_width() - 44)
            .max(280) as u32;
        // Side by side when there is room, and always on a projector (one screen).
        let each = if width >= 700 || text_size::presenter() {
            (width - 16) / 2
        } else {
            width
        };
        // Taller on a projector, where the text is larger too.
        let height = if text_size::presenter() {
            (f64::from(each) * 0.6).clamp(240.0, 400.0) as u32
        } else {
            240
        };
        self.loss_chart.resize(each, height)?;
        self.acc_chart.resize(each, height)?;
        // (updates, value) pairs of the training curve and of the evaluations.
        let curve = |value: fn(f32, f32) -> f32| -> Vec<(f64, f64)> {
            let train = record
                .train_curve
                .iter()
                .map(|p| (p.updates, p.loss, p.accuracy));
            train
                .map(|(u, l, a)| (u as f64, f64::from(value(l, a))))
                .collect()
        };
        let tested = |value: fn(f32, f32) -> f32| -> Vec<(f64, f64)> {
            let tests = record.tests.iter().map(|p| (p.updates, p.loss, p.accuracy));
            tests
                .map(|(u, l, a)| (u as f64, f64::from(value(l, a))))
                .collect()
        };
        let (train_loss, test_loss) = (curve(|l, _| l), tested(|l, _| l));
        let (train_acc, test_acc) = (curve(|_, a| a), tested(|_, a| a));
        let x = lang.text(Key::LiveIterationsAxis);
        let test_series = if record.tests.last().is_some_and(|t| t.held_out) {
            lang.text(Key::LiveHeldOutSeries)
        } else {
            lang.text(Key::LiveTestSeries)
        };
        // What the curves show, for those who cannot see them: the latest values.
        let latest = |points: &[(f64, f64)], format: fn(f64) -> String| {
            points.last().map_or("—".to_string(), |&(_, v)| format(v))
        };
        let summary = |chart: Key, train: String, test: String| {
            lang.fill(
                Key::LiveChartSummary,
                &[
                    ("chart", lang.text(chart)),
                    ("updates", &thousands(record.updates())),
                    ("train_series", lang.text(Key::LiveTrainSeries)),
                    ("train", &train),
                    ("test_series", test_series),
                    ("test", &test),
                ],
            )
        };
        let loss_text = |v: f64| format!("{v:.3}");
        let charts = [
            (
                &self.loss_chart,
                summary(
                    Key::LiveLossChart,
                    latest(&train_loss, loss_text),
                    latest(&test_loss, loss_text),
                ),
            ),
            (
                &self.acc_chart,
                summary(
                    Key::LiveAccChart,
                    latest(&train_acc, percent),
                    latest(&test_acc, percent),
                ),
            ),
        ];
        for (chart, text) in charts {
            dom::set_attr(&chart.element, "aria-label", &text);
        }
        charts::draw_curves(
            &self.loss_chart,
            lang.text(Key::LiveLossChart),
            x,
            &[
                Line {
                    points: train_loss,
                    color: train_color(),
                    label: lang.text(Key::LiveTrainSeries),
                },
                Line {
                    points: test_loss,
                    color: TEST_COLOR,
                    label: test_series,
                },
            ],
            SeriesLabelPosition::LowerLeft,
            &self.hovers[0],
            charts::loss_text,
        )?;
        charts::draw_curves(
            &self.acc_chart,
            lang.text(Key::LiveAccChart),
            x,
            &[
                Line {
                    points: train_acc,
                    color: train_color(),
                    label: lang.text(Key::LiveTrainSeries),
                },
                Line {
                    points: test_acc,
                    color: TEST_COLOR,
                    label: test_series,
                },
            ],
            SeriesLabelPosition::LowerRight,
            &self.hovers[1],
            percent,
        )
    }

    fn draw_weights(&mut self, record: &TrainingRecord) -> WebResult<()> {
        let Some(shot) = record.snapshot.as_ref() else {
            return Ok(());
        };
        let parent = self
            .weights
            .element
            .parent_element()
            .map_or(600, |p| p.client_width() - 44)
            .max(280);
        // The screen's ratio, not the canvas's last one: before the first
        // resize that is 1, and the grid would fill 1/dpr² of the canvas.
        let dpr = HiDpiCanvas::screen_ratio()?;
        let gap = 2usize;
        // As many columns (10 to 20) as fit at two device pixels per weight;
        // then the largest whole scale (at most 4) for that many.
        let device = f64::from(parent) * dpr;
        let columns = ((device / (64 + gap) as f64).floor() as usize).clamp(10, 20);
        let scale = ((device / columns as f64 - gap as f64) / 32.0)
            .floor()
            .clamp(1.0, 4.0) as usize;
        let rows = shot.weight_image_count.div_ceil(columns);
        let w = (columns * (32 * scale + gap)) as f64 / dpr;
        let h = (rows * (32 * scale + gap)) as f64 / dpr;
        self.weights.resize(w.ceil() as u32, h.ceil() as u32)?;
        let description = self.lang.fill(
            Key::LiveWeightsDescription,
            &[
                ("n", &shot.weight_image_count.to_string()),
                ("updates", &thousands(shot.updates)),
            ],
        );
        dom::set_attr(&self.weights.element, "aria-label", &description);
        let context = context_2d(&self.weights.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        charts::draw_weight_grid(
            &context,
            &shot.weight_images,
            shot.weight_image_count,
            columns,
            scale,
            gap,
        )
    }

    fn write_confusion(&self, record: &TrainingRecord) -> WebResult<()> {
        let Some(test) = record.tests.last() else {
            return Ok(());
        };
        let lang = self.lang;
        let n = test.classes;
        let mut html = String::from("<table class=\"live-confusion-table\"><thead><tr><th></th>");
        for c in 0..n {
            let name = CLASS_KEYS
                .get(c)
                .map_or(String::new(), |k| lang.text(*k).to_string());
            html.push_str(&format!("<th scope=\"col\" title=\"{name}\">{name}</th>"));
        }
        html.push_str(&format!(
            "<th scope=\"col\">{}</th></tr></thead><tbody>",
            lang.text(Key::LiveClassAcc)
        ));
        for r in 0..n {
            let row = &test.confusion[r * n..(r + 1) * n];
            let total: u64 = row.iter().sum();
            let name = CLASS_KEYS
                .get(r)
                .map_or(String::new(), |k| lang.text(*k).to_string());
            html.push_str(&format!("<tr><th scope=\"row\">{name}</th>"));
            for &count in row {
                let share = if total > 0 {
                    count as f64 / total as f64
                } else {
                    0.0
                };
                let ink = charts::heat_ink(share);
                html.push_str(&format!(
                    "<td style=\"background:{};color:{ink}\">{count}</td>",
                    charts::heat(share)
                ));
            }
            let acc = test.class_accuracy(r).map_or("—".into(), percent);
            html.push_str(&format!("<td class=\"acc\">{acc}</td></tr>"));
        }
        html.push_str("</tbody></table>");
        let caption_key = if test.held_out {
            Key::LiveConfusionHeldOut
        } else {
            Key::LiveConfusionCaption
        };
        let caption = lang.fill(
            caption_key,
            &[
                ("samples", &thousands(test.samples)),
                ("updates", &thousands(test.updates)),
            ],
        );
        html.push_str(&format!("<p class=\"muted\">{caption}</p>"));
        self.confusion.set_inner_html(&html);
        Ok(())
    }

    fn write_cards(&self, record: &TrainingRecord) -> WebResult<()> {
        let (Some(shot), Some(samples)) = (record.snapshot.as_ref(), data_store::samples()) else {
            return Ok(());
        };
        let lang = self.lang;
        let name = |c: usize| {
            CLASS_KEYS
                .get(c)
                .map_or(String::new(), |k| lang.text(*k).to_string())
        };
        dom::clear(&self.cards);
        for card in &shot.cards {
            if card.index >= samples.len() {
                continue;
            }
            let item: HtmlElement = dom::add(&self.cards, "figure", "live-card")?;
            let mut canvas = HiDpiCanvas::new("live-card-image")?;
            let guesses: Vec<String> = card
                .top
                .iter()
                .map(|&(class, p)| format!("{} {}", name(class), percent(f64::from(p))))
                .collect();
            let description = lang.fill(
                Key::LiveCardDescription,
                &[
                    ("index", &card.index.to_string()),
                    ("class", &name(card.label)),
                    ("guesses", &guesses.join(", ")),
                ],
            );
            dom::set_attr(&canvas.element, "role", "img");
            dom::set_attr(&canvas.element, "aria-label", &description);
            canvas.resize(64, 64)?;
            let dpr = canvas.device_pixel_ratio();
            let scale = ((64.0 * dpr) / 32.0).floor() as usize;
            pictures::blit(
                &context_2d(&canvas.element)?,
                &samples.image_rgba(card.index),
                32,
                32,
                scale,
                (0.0, 0.0),
            )?;
            dom::append(&item, &canvas.element)?;
            let caption: HtmlElement = dom::add(&item, "figcaption", "")?;
            dom::add_text(
                &caption,
                "p",
                "live-card-true",
                &lang.fill(Key::LiveCardTrue, &[("class", &name(card.label))]),
            )?;
            for &(class, p) in &card.top {
                let row: HtmlElement = dom::add(&caption, "div", "live-card-row")?;
                if class == card.label {
                    row.class_list().add_1("right")?;
                }
                dom::add_text(&row, "span", "", &name(class))?;
                let bar: HtmlElement = dom::add(&row, "span", "live-card-bar")?;
                bar.style()
                    .set_property("width", &format!("{:.0}%", f64::from(p) * 100.0))?;
                dom::add_text(&row, "span", "live-card-p", &percent(f64::from(p)))?;
            }
        }
        Ok(())
    }
}

impl LessonView for View {
    type Model = Run;

    fn catch_up(&mut self, _: &Run) -> WebResult<()> {
        if self.panel.samples(&self.content)?.is_none() {
            return Ok(());
        }
        self.photo.catch_up()?;
        let record = client::record();
        let record = record.borrow();
        let width = self.content.client_width();
        let resized = self.drawn.width != width;
        self.drawn.width = width;
        if self.drawn.revision == Some(record.revision) && !resized {
            return Ok(());
        }
        self.drawn.revision = Some(record.revision);
        self.write_readouts(&record)?;
        let curves = Some((record.train_curve.len(), record.tests.len()));
        let now = js_sys::Date::now();
        let chart_due = !record.running() || now - self.drawn.curves_at_ms >= CHART_EVERY_MS;
        if resized || (self.drawn.curves != curves && chart_due) {
            self.drawn.curves = curves;
            self.drawn.curves_at_ms = now;
            self.draw_charts(&record)?;
        }
        let snapshot = Some((record.snapshot_revision, data_store::samples().is_some()));
        if resized || self.drawn.snapshot != snapshot {
            self.drawn.snapshot = snapshot;
            self.draw_weights(&record)?;
            self.write_cards(&record)?;
        }
        let tests = Some(record.tests.len());
        if resized || self.drawn.tests != tests {
            self.drawn.tests = tests;
            self.write_confusion(&record)?;
        }
        Ok(())
    }

    fn build(at: &Mount, run_state: &Run) -> WebResult<View> {
        client::ensure_started()?;
        let (root, lang) = (at.root, at.lang);
        let t = |key| lang.text(key);
        let panel = DataPanel::mount(at.root, at.lang, "live")?;
        let content: HtmlElement = dom::create("div", "live-content")?;

        // Controls.
        let controls: HtmlElement = dom::create("section", "card live-controls")?;
        let c = run_state.config.clone();
        let opts: Vec<(&str, &str)> = OptimizerKind::ALL
            .iter()
            .map(|&k| (k.name(), t(optimizer_label(k))))
            .collect();
        let optimizer = Select::new(t(Key::OptimizerLabel), &opts, c.optimizer.name())?;
        optimizer.element.set_id("live-optimizer");
        dom::name_control(&optimizer.root, "optimizer");
        let mut lr = Slider::new(t(Key::LearningRateLabel), "", LR_SCALE, c.lr, format_lr)?;
        lr.root.set_id("live-lr");
        lr.explain_refusals(t(Key::LiveLrRefused), "live-lr-refused");
        dom::name_control(&lr.root, "lr");
        let batch_values: Vec<String> = BATCH_SIZES.iter().map(|b| b.to_string()).collect();
        let batch_opts: Vec<(&str, &str)> = batch_values
            .iter()
            .map(|v| (v.as_str(), v.as_str()))
            .collect();
        let batch = Select::new(t(Key::LiveBatch), &batch_opts, &c.batch_size.to_string())?;
        batch.element.set_id("live-batch");
        dom::name_control(&batch.root, "batch");
        let init_opts: Vec<(&str, &str)> = nnlab::init::NAMES.iter().map(|&n| (n, n)).collect();
        let init = Select::new(t(Key::LiveInit), &init_opts, &c.init)?;
        init.element.set_id("live-init");
        dom::name_control(&init.root, "init");
        let size_values: Vec<(String, String)> = TRAIN_SIZES
            .iter()
            .map(|&n| (n.to_string(), thousands(n)))
            .collect();
        let size_opts: Vec<(&str, &str)> = size_values
            .iter()
            .map(|(v, l)| (v.as_str(), l.as_str()))
            .collect();
        let size = Select::new(t(Key::LiveTrainSize), &size_opts, &c.train_size.to_string())?;
        size.element.set_id("live-size");
        dom::name_control(&size.root, "size");
        let buttons: HtmlElement = dom::create("div", "button-row")?;
        dom::name_control(&buttons, "actions");
        let run = Button::new(t(Key::LiveStart), "primary")?;
        run.element.set_id("live-run");
        let fresh = Button::new(t(Key::LiveNewNetwork), "")?;
        fresh.element.set_id("live-new");
        let evaluate = Button::new(t(Key::LiveEvaluate), "")?;
        evaluate.element.set_id("live-evaluate");
        // Taking the model out: the format, Save, and Load beside it.
        let files: HtmlElement = dom::create("div", "button-row live-model-files")?;
        dom::name_control(&files, "model-files");
        let format_labels: Vec<(&str, &str)> = SaveFormat::ALL
            .iter()
            .map(|f| (f.name(), t(save_format_key(*f))))
            .collect();
        let save_format = Select::new(t(Key::LiveSaveAs), &format_labels, "safetensors")?;
        save_format.element.set_id("live-save-format");
        let save = Button::new(t(Key::LiveSave), "")?;
        save.element.set_id("live-save");
        let load_label: HtmlElement = dom::create("label", "btn live-load")?;
        dom::add_text(&load_label, "span", "", t(Key::LiveLoad))?;
        // Hidden from sight, not from the keyboard: Tab reaches it, Enter opens the file picker.
        let load: HtmlInputElement = dom::add(&load_label, "input", "visually-hidden")?;
        load.set_type("file");
        load.set_accept(".safetensors,.json,application/json");
        load.set_id("live-load-file");
        for b in [&run.element, &fresh.element, &evaluate.element] {
            dom::append(&buttons, b)?;
        }
        dom::append(&files, &save_format.root)?;
        dom::append(&files, &save.element)?;
        dom::append(&files, &load_label)?;
        for part in [
            &optimizer.root,
            &lr.root,
            &batch.root,
            &init.root,
            &size.root,
        ] {
            dom::append(&controls, part)?;
        }
        dom::append(&controls, &buttons)?;
        dom::append(&controls, &files)?;
        dom::add_text(&controls, "p", "muted", t(Key::LiveControlsHint))?;
        let status = dom::add_text(&controls, "p", "live-status", "")?;
        status.set_id("live-status");
        status.set_attribute("role", "status")?;
        let kept: HtmlElement = dom::add(&controls, "div", "live-kept muted")?;
        kept.set_id("live-kept");
        kept.set_hidden(true);
        dom::add_text(&kept, "span", "", "")?;
        let resume = Button::new(t(Key::LiveResumeKept), "")?;
        resume.element.set_id("live-resume");
        dom::append(&kept, &resume.element)?;

        let readout_strip: HtmlElement = dom::add(&controls, "dl", "readouts")?;
        dom::name_control(&readout_strip, "readouts");
        let keys = [
            (Key::LiveEpoch, "live-epoch"),
            (Key::LiveIteration, "live-iteration"),
            (Key::LiveUpdates, "live-updates"),
            (Key::LiveSpeed, "live-speed"),
            (Key::LiveEta, "live-eta"),
            (Key::LiveTrainLoss, "live-train-loss"),
            (Key::LiveTrainAcc, "live-train-acc"),
            (Key::LiveTestAcc, "live-test-acc"),
        ];
        let readouts = keys
            .iter()
            .map(|&(k, id)| field_row(&readout_strip, k, lang, id))
            .collect::<WebResult<Vec<_>>>()?;
        let engine = dom::text_element("dd", "live-engine", "")?;
        engine.set_id("live-engine");
        engine.set_title(t(Key::LiveEngineHint));
        let workers = dom::text_element("dd", "live-engine", "")?;
        workers.set_id("live-workers");
        workers.set_title(t(Key::LiveWorkersHint));
        let speed = keys.iter().position(|&(k, _)| k == Key::LiveSpeed);
        if let Some(item) = speed.and_then(|i| readouts[i].parent_element()) {
            dom::append(&item, &engine)?;
            dom::append(&item, &workers)?;
        }
        dom::append(&content, &controls)?;

        let charts_card: HtmlElement = dom::add(&content, "section", "card live-charts")?;
        dom::name_control(&charts_card, "charts");
        let loss_chart = HiDpiCanvas::new("live-chart")?;
        loss_chart.element.set_id("live-loss-chart");
        let acc_chart = HiDpiCanvas::new("live-chart")?;
        acc_chart.element.set_id("live-acc-chart");
        // Pictures with a text alternative that follows the run (see draw_charts).
        for (canvas, title) in [
            (&loss_chart, Key::LiveLossChart),
            (&acc_chart, Key::LiveAccChart),
        ] {
            dom::set_attr(&canvas.element, "role", "img");
            dom::set_attr(&canvas.element, "aria-label", t(title));
            dom::append(&charts_card, &canvas.element)?;
        }
        let hovers = [
            Hover::attach(&loss_chart, lang)?,
            Hover::attach(&acc_chart, lang)?,
        ];

        let weights_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&weights_card, "weights");
        dom::add_text(&weights_card, "h3", "card-title", t(Key::LiveWeightsTitle))?;
        dom::add_text(&weights_card, "p", "muted", t(Key::LiveWeightsExplain))?;
        let weights =
            HiDpiCanvas::picture("live-weights", "live-weights", t(Key::LiveWeightsTitle))?;
        dom::append(&weights_card, &weights.element)?;

        let confusion_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&confusion_card, "confusion");
        dom::add_text(
            &confusion_card,
            "h3",
            "card-title",
            t(Key::LiveConfusionTitle),
        )?;
        dom::add_text(&confusion_card, "p", "muted", t(Key::LiveConfusionExplain))?;
        let confusion: HtmlElement = dom::add(&confusion_card, "div", "live-confusion")?;
        confusion.set_id("live-confusion");

        let cards_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&cards_card, "cards");
        let cards_title = dom::add_text(&cards_card, "h3", "card-title", t(Key::LiveCardsTitle))?;
        let cards: HtmlElement = dom::add(&cards_card, "div", "live-cards")?;
        cards.set_id("live-cards");
        let photo = LivePhoto::mount(&content, lang)?;
        dom::append(root, &content)?;

        Ok(View {
            lang,
            panel,
            content,
            run,
            status,
            kept,
            kept_time: RefCell::new(None),
            resume,
            readouts,
            engine,
            workers,
            loss_chart,
            acc_chart,
            hovers,
            weights,
            confusion,
            cards,
            evaluate,
            cards_title,
            photo,
            settings: Settings {
                optimizer,
                lr,
                batch,
                init,
                size,
                fresh,
                save_format,
                save,
                load,
            },
            drawn: Drawn::default(),
            listeners: Vec::new(),
        })
    }

    fn listen(&mut self, run: &Rc<RefCell<Run>>) -> WebResult<()> {
        let mut bind = Binder::new(run);
        let c = &self.settings;
        let optimizer = bind.with(|r: &mut Run, name: String| {
            r.config = with_optimizer(&r.config, &name)?;
            reconfigure_if_fresh(&r.config)
        });
        bind.keep(c.optimizer.on_change(optimizer)?);
        let lr = bind.with(|r: &mut Run, lr| {
            r.config.lr = lr;
            client::send(&ToWorker::SetLr { lr })
        });
        bind.keep(c.lr.on_input(lr)?);
        let batch = bind.with(|r: &mut Run, v: String| {
            r.config.batch_size = v.parse().unwrap_or(64);
            reconfigure_if_fresh(&r.config)
        });
        bind.keep(c.batch.on_change(batch)?);
        let init = bind.with(|r: &mut Run, v: String| {
            r.config.init = v;
            reconfigure_if_fresh(&r.config)
        });
        bind.keep(c.init.on_change(init)?);
        let size = bind.with(|r: &mut Run, v: String| {
            r.config.train_size = v.parse().unwrap_or(50_000);
            reconfigure_if_fresh(&r.config)
        });
        bind.keep(c.size.on_change(size)?);
        bind.keep(self.run.on_click(client::run_or_pause)?);
        let fresh = bind.act(|r: &mut Run| {
            client::send(&ToWorker::Configure {
                config: r.config.clone(),
            })
        });
        bind.keep(c.fresh.on_click(fresh)?);
        bind.keep(self.evaluate.on_click(client::evaluate)?);
        bind.keep(
            self.resume
                .on_click(|| client::send(&ToWorker::ResumeCheckpoint))?,
        );
        let format = c.save_format.element.clone();
        bind.keep(c.save.on_click(move || {
            let format = SaveFormat::from_name(&format.value()).unwrap_or(SaveFormat::Safetensors);
            client::send(&ToWorker::Save { format })
        })?);
        let (input, run) = (c.load.clone(), bind.model());
        bind.keep(Listener::new(&c.load, "change", move |_: Event| {
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return Ok(());
            };
            input.set_value("");
            let config = run.borrow().config.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let sent = match client::read_bytes(file).await {
                    Ok(bytes) => client::send(&ToWorker::LoadModel { bytes, config }),
                    Err(e) => Err(e),
                };
                if let Err(e) = sent {
                    client::record().borrow_mut().error = Some(e.to_string());
                }
            });
            Ok(())
        })?);
        self.listeners = bind.finish();
        Ok(())
    }
}

/// The name of a save format in the format menu.
fn save_format_key(format: SaveFormat) -> Key {
    match format {
        SaveFormat::Safetensors => Key::LiveSaveSafetensors,
        SaveFormat::Json => Key::LiveSaveJson,
        SaveFormat::Script(Framework::PyTorch) => Key::LiveSavePytorch,
        SaveFormat::Script(Framework::Paddle) => Key::LiveSavePaddle,
        SaveFormat::Script(Framework::NumPy) => Key::LiveSaveNumpy,
    }
}

/// True if the page may share memory with its Workers (cross-origin
/// isolated); inside another site's frame it usually is not.
fn cross_origin_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Before the first update a changed choice makes a new network at once.
fn reconfigure_if_fresh(config: &RunConfig) -> WebResult<()> {
    if client::record().borrow().updates() == 0 {
        client::send(&ToWorker::Configure {
            config: config.clone(),
        })?;
    }
    Ok(())
}
