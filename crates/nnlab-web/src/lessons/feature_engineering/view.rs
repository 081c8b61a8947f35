//! The feature lesson's page: the data panel; the race (budget, Run, the
//! accuracy per epoch of the three pipelines, their latest accuracies and
//! progress); one image with its HOG glyphs and hue histogram, sent by the
//! Worker; and the conclusion written from the student's own numbers.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::data::Dataset;
use nnlab_worker::protocol::{
    ImageFeatures, LaneStage, RaceReport, ToWorker, RACE_EPOCHS, RACE_TRAIN_SIZES,
};
use web_sys::{CanvasRenderingContext2d, HtmlElement};

use super::model::{self, Model, Verdict, FEATURES, MLP, RAW};
use crate::data_store::{self, DataStatus};
use crate::draw::palette;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::data_panel::{thousands, DataPanel};
use crate::lessons::kit::format::percent;
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::line_chart::{self, Line, LineChart};
use crate::lessons::kit::page::{self, Redraw};
use crate::lessons::kit::pictures;
use crate::lessons::{LessonView, Mount};
use crate::training::client;
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Select};

/// The lanes' names and colours (from the theme), in the race's order.
fn lanes() -> [(Key, &'static str); 3] {
    let colours = palette::current();
    [
        (Key::FeLaneRaw, "#8a93a6"),
        (Key::FeLaneFeatures, colours.warm),
        (Key::FeLaneMlp, colours.accent),
    ]
}
/// Read-out ids, in the race's order (the end-to-end test reads them).
const VALUE_IDS: [&str; 3] = ["fe-acc-raw", "fe-acc-features", "fe-acc-mlp"];
const SIDE: usize = 32;

/// The feature lesson's page.
pub struct View {
    lang: Lang,
    panel: DataPanel,
    content: HtmlElement,
    train_size: Select,
    epochs: Select,
    run: Button,
    status: HtmlElement,
    chart: HiDpiCanvas,
    /// The accuracies under the pointer or the arrow keys.
    chart_hover: Hover,
    values: [HtmlElement; 3],
    prev: Button,
    next: Button,
    glyphs: HiDpiCanvas,
    verdict: HtmlElement,
    redraw: Redraw,
    /// The image whose features were asked for, and of how many images.
    asked: Option<(usize, usize)>,
    /// (record revision, model revision) last shown.
    shown: Option<(u64, u64)>,
    listeners: Vec<Listener>,
}

impl LessonView for View {
    type Model = Model;

    fn build(at: &Mount, model: &Model) -> WebResult<View> {
        client::ensure_started()?;
        let (root, lang) = (at.root, at.lang);
        let t = |key| lang.text(key);
        let panel = DataPanel::mount(root, lang, "fe")?;
        let content: HtmlElement = dom::create("div", "data-content fe-content")?;

        let race: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&race, "race");
        dom::add_text(&race, "h3", "card-title", t(Key::FeRaceTitle))?;
        let bar: HtmlElement = dom::add(&race, "div", "data-gallery-bar fe-bar")?;
        let sizes: Vec<String> = RACE_TRAIN_SIZES.iter().map(|n| n.to_string()).collect();
        let size_labels: Vec<String> = RACE_TRAIN_SIZES.iter().map(|&n| thousands(n)).collect();
        let options: Vec<(&str, &str)> = sizes
            .iter()
            .zip(&size_labels)
            .map(|(v, l)| (v.as_str(), l.as_str()))
            .collect();
        let train_size = Select::new(
            t(Key::FeTrainSize),
            &options,
            &model.budget.train_size.to_string(),
        )?;
        train_size.element.set_id("fe-train-size");
        let epoch_values: Vec<String> = RACE_EPOCHS.iter().map(|n| n.to_string()).collect();
        let options: Vec<(&str, &str)> = epoch_values
            .iter()
            .map(|v| (v.as_str(), v.as_str()))
            .collect();
        let epochs = Select::new(t(Key::FeEpochs), &options, &model.budget.epochs.to_string())?;
        epochs.element.set_id("fe-epochs");
        let run = Button::new(t(Key::FeRun), "primary")?;
        run.element.set_id("fe-run");
        for part in [&train_size.root, &epochs.root, &run.element] {
            dom::append(&bar, part)?;
        }
        let status = page::status_line("p", "muted fe-status", "fe-status")?;
        dom::append(&race, &status)?;
        let chart = HiDpiCanvas::picture("fe-chart", "fe-chart", t(Key::FeChartDescription))?;
        dom::append(&race, &chart.element)?;
        let chart_hover = Hover::attach(&chart, lang)?;
        let (strip, values) = page::readouts(
            &race,
            [
                (t(lanes()[RAW].0), VALUE_IDS[RAW]),
                (t(lanes()[FEATURES].0), VALUE_IDS[FEATURES]),
                (t(lanes()[MLP].0), VALUE_IDS[MLP]),
            ],
        )?;
        strip.class_list().add_1("fe-readouts")?;
        for (value, (_, color)) in values.iter().zip(lanes()) {
            value.style().set_property("color", color)?;
        }

        let features: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&features, "features");
        dom::add_text(&features, "h3", "card-title", t(Key::FeFeaturesTitle))?;
        dom::add_text(&features, "p", "muted", t(Key::FeFeaturesExplain))?;
        let pick: HtmlElement = dom::add(&features, "div", "data-gallery-bar")?;
        let prev = Button::new(t(Key::FePrev), "")?;
        prev.element.set_id("fe-prev");
        let next = Button::new(t(Key::FeNext), "")?;
        next.element.set_id("fe-next");
        dom::append(&pick, &prev.element)?;
        dom::append(&pick, &next.element)?;
        let glyphs = HiDpiCanvas::picture("fe-glyphs", "fe-glyphs", t(Key::FeGlyphsDescription))?;
        dom::append(&features, &glyphs.element)?;

        let lesson: HtmlElement = dom::add(&content, "section", "card fe-conclusion")?;
        dom::name_control(&lesson, "conclusion");
        dom::add_text(&lesson, "h3", "card-title", t(Key::FeConclusionTitle))?;
        let verdict = dom::add_text(&lesson, "p", "fe-verdict", "")?;
        verdict.set_id("fe-verdict");
        dom::add_text(&lesson, "p", "", t(Key::FeWhyEndToEnd))?;
        dom::add_text(&lesson, "p", "", t(Key::FeSeeTheGap))?;
        dom::add_text(&lesson, "p", "keyboard-hint", t(Key::FeKeyboard))?;
        dom::append(root, &content)?;

        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            lang,
            panel,
            content,
            train_size,
            epochs,
            run,
            status,
            chart,
            chart_hover,
            values,
            prev,
            next,
            glyphs,
            verdict,
            redraw,
            asked: None,
            shown: None,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        let size = bind.with(|m: &mut Model, value: String| {
            if let Ok(n) = value.parse() {
                m.set_train_size(n);
            }
        });
        bind.keep(self.train_size.on_change(size)?);
        let epochs = bind.with(|m: &mut Model, value: String| {
            if let Ok(n) = value.parse() {
                m.set_epochs(n);
            }
        });
        bind.keep(self.epochs.on_change(epochs)?);
        let run = bind.act(|m: &mut Model| {
            let race = client::record().borrow().race.clone();
            client::send(&m.run_message(race.as_ref()))
        });
        bind.keep(self.run.on_click(run)?);
        for (button, by) in [(&self.prev, -1), (&self.next, 1)] {
            let step = bind.act(move |m: &mut Model| {
                let count = data_store::samples().map_or(0, |s| s.len());
                m.step_image(by, count);
            });
            bind.keep(button.on_click(step)?);
        }
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let Some(samples) = self.panel.samples(&self.content)? else {
            return Ok(());
        };
        let image = model.image.min(samples.len() - 1);
        if self.asked != Some((image, samples.len())) {
            client::send(&ToWorker::ImageFeatures { index: image })?;
            self.asked = Some((image, samples.len()));
        }
        let record = client::record();
        let record = record.borrow();
        let resized = self.redraw.take_resize();
        let key = (record.revision, model.revision);
        if !resized && self.shown == Some(key) {
            return Ok(());
        }
        self.shown = Some(key);
        let race = record.race.as_ref();
        self.write_race(model, race)?;
        self.draw_chart(race)?;
        let features = record.image_features.as_ref().filter(|f| f.index == image);
        self.draw_glyphs(&samples, image, features)?;
        Ok(())
    }
}

impl View {
    /// The Run button, the progress line, the read-outs and the conclusion.
    fn write_race(&self, model: &Model, race: Option<&RaceReport>) -> WebResult<()> {
        let lang = self.lang;
        let ready = matches!(data_store::status(), DataStatus::Ready { .. });
        self.train_size
            .set_value(&model.budget.train_size.to_string());
        self.epochs.set_value(&model.budget.epochs.to_string());
        let current = race.filter(|r| r.budget == model.budget && !model::finished(r));
        let label = match current {
            Some(r) if r.running => Key::FePause,
            Some(_) => Key::FeResume,
            None => Key::FeRun,
        };
        self.run.set_label(lang.text(label));
        self.run.element.set_attribute(
            "aria-pressed",
            &current.is_some_and(|r| r.running).to_string(),
        )?;
        if ready {
            self.run.element.remove_attribute("disabled")?;
        } else {
            self.run.element.set_attribute("disabled", "")?;
        }
        let status = match race {
            _ if !ready => lang.text(Key::FeWaitData).to_string(),
            Some(r) if r.budget == model.budget => progress(lang, r),
            _ => lang.fill(
                Key::FeReady,
                &[
                    ("n", &thousands(model.budget.train_size)),
                    ("epochs", &model.budget.epochs.to_string()),
                    ("test", &thousands(nnlab_worker::protocol::RACE_TEST_IMAGES)),
                ],
            ),
        };
        dom::set_text_if_changed(&self.status, &status);
        let latest = race.map(model::latest).unwrap_or_default();
        for (k, value) in self.values.iter().enumerate() {
            let accuracy = latest.get(k).copied().flatten();
            let text = accuracy.map_or("—".to_string(), |a| percent(f64::from(a)));
            dom::set_text_if_changed(value, &text);
        }
        let verdict = match race.and_then(|r| model::verdict(r).map(|v| (r, v))) {
            Some((r, v)) => {
                let acc = |k: usize| latest[k].map_or("—".into(), |a| percent(f64::from(a)));
                let numbers = lang.fill(
                    Key::FeVerdictNumbers,
                    &[
                        ("n", &thousands(r.train_images)),
                        ("epochs", &r.budget.epochs.to_string()),
                        ("raw", &acc(RAW)),
                        ("features", &acc(FEATURES)),
                        ("mlp", &acc(MLP)),
                    ],
                );
                let why = match v {
                    Verdict::FeaturesWin => Key::FeVerdictFeaturesWin,
                    Verdict::MlpWins => Key::FeVerdictMlpWins,
                };
                format!("{numbers} {}", lang.text(why))
            }
            None => lang.text(Key::FeVerdictPending).to_string(),
        };
        dom::set_text_if_changed(&self.verdict, &verdict);
        Ok(())
    }

    /// Test accuracy after each epoch, one line per pipeline.
    fn draw_chart(&mut self, race: Option<&RaceReport>) -> WebResult<()> {
        let width = self.content.client_width().clamp(280, 760) as u32 - 40;
        self.chart.resize(width, 220)?;
        let points: Vec<Vec<(f64, f64)>> = race.map_or(vec![Vec::new(); 3], |r| {
            r.lanes
                .iter()
                .map(|l| {
                    l.accuracies
                        .iter()
                        .enumerate()
                        .map(|(e, &a)| (e as f64, f64::from(a)))
                        .collect()
                })
                .collect()
        });
        let lines: Vec<Line> = points
            .iter()
            .zip(lanes())
            .map(|(p, (name, color))| Line {
                points: p,
                color,
                width: 2.5,
                name: self.lang.text(name),
            })
            .collect();
        line_chart::draw(
            &self.chart,
            &LineChart {
                lines: &lines,
                x_label: self.lang.text(Key::FeEpochAxis),
                empty: self.lang.text(Key::FeChartEmpty),
                from_zero: true,
                last_label: None,
                y_name: self.lang.text(Key::ReadoutAccuracy),
                y_text: percent,
            },
            &self.chart_hover,
        )
    }

    /// The image, its HOG glyphs over a dimmed copy, and its hue histogram.
    fn draw_glyphs(
        &mut self,
        samples: &Dataset,
        index: usize,
        features: Option<&ImageFeatures>,
    ) -> WebResult<()> {
        let width = f64::from(self.content.client_width().clamp(280, 760) - 40);
        let gap = 16.0;
        let side = ((width - gap) / 2.0).min(224.0).floor();
        let (title, bars) = (20.0, 70.0);
        let height = title + side + 2.0 * title + bars + 16.0;
        self.glyphs.resize(width as u32, height as u32)?;
        let Some((ctx, w, h)) = self.glyphs.context()? else {
            return Ok(());
        };
        let dpr = self.glyphs.device_pixel_ratio();
        ctx.set_fill_style_str(palette::current().paper);
        ctx.fill_rect(0.0, 0.0, w, h);
        // Whole device pixels per image pixel: the image stays crisp.
        let scale = ((side * dpr) / SIDE as f64).floor().max(1.0) as usize;
        let shown = (scale * SIDE) as f64 / dpr;
        let rgba = samples.image_rgba(index);
        let right = shown + gap;
        ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        for x in [0.0, right] {
            pictures::blit(&ctx, &rgba, SIDE, SIDE, scale, (x * dpr, title * dpr))?;
        }
        ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
        ctx.set_fill_style_str("rgba(10, 14, 24, 0.72)");
        ctx.fill_rect(right, title, shown, shown);
        ctx.set_font("12px system-ui, sans-serif");
        ctx.set_text_align("left");
        ctx.set_fill_style_str(palette::current().ink);
        let class = pictures::class_key(samples.label(index)).map_or("", |k| self.lang.text(k));
        ctx.fill_text(&format!("#{index} · {class}"), 0.0, 14.0)?;
        ctx.fill_text(self.lang.text(Key::FeHogCaption), right, 14.0)?;
        let hue_top = title + shown + title;
        ctx.fill_text(self.lang.text(Key::FeHueCaption), 0.0, hue_top)?;
        if let Some(f) = features {
            draw_hog(&ctx, f, right, title, shown);
            draw_hues(&ctx, &f.hues, hue_top + 8.0, (right + shown).min(w), bars)?;
        }
        Ok(())
    }
}

/// "HOG + hues → linear: epoch 2 of 5, 31 %" for each lane, one line.
fn progress(lang: Lang, race: &RaceReport) -> String {
    let parts: Vec<String> = race
        .lanes
        .iter()
        .zip(lanes())
        .map(|(lane, (name, _))| {
            let name = lang.text(name);
            match lane.stage {
                LaneStage::Preparing { done, total } => lang.fill(
                    Key::FeLanePreparing,
                    &[
                        ("name", name),
                        ("done", &thousands(done)),
                        ("total", &thousands(total)),
                    ],
                ),
                LaneStage::Training {
                    epoch,
                    iteration,
                    iterations_per_epoch,
                } => lang.fill(
                    Key::FeLaneTraining,
                    &[
                        ("name", name),
                        ("epoch", &(epoch + 1).to_string()),
                        ("epochs", &race.budget.epochs.to_string()),
                        (
                            "percent",
                            &percent(iteration as f64 / iterations_per_epoch.max(1) as f64),
                        ),
                    ],
                ),
                LaneStage::Done => lang.fill(Key::FeLaneDone, &[("name", name)]),
                LaneStage::Diverged => lang.fill(Key::FeLaneDiverged, &[("name", name)]),
            }
        })
        .collect();
    parts.join(" · ")
}

/// One glyph per cell: a stroke per orientation bin through the cell's
/// centre, along the edge (across the gradient), as long as the bin is
/// strong relative to the strongest bin of the image.
fn draw_hog(ctx: &CanvasRenderingContext2d, f: &ImageFeatures, x: f64, y: f64, side: f64) {
    let bins = f.bin_degrees.len().max(1);
    let strongest = f.cells.iter().copied().fold(0.0f32, f32::max);
    if strongest <= 0.0 {
        return;
    }
    let cell = side / f.cell_cols.max(1) as f64;
    ctx.set_line_cap("round");
    ctx.set_line_width((cell / 18.0).clamp(1.2, 2.5));
    for (k, histogram) in f.cells.chunks_exact(bins).enumerate() {
        let (row, col) = (k / f.cell_cols.max(1), k % f.cell_cols.max(1));
        let (cx, cy) = (x + (col as f64 + 0.5) * cell, y + (row as f64 + 0.5) * cell);
        for (&value, &degrees) in histogram.iter().zip(&f.bin_degrees) {
            let strength = f64::from(value / strongest);
            if strength < 0.02 {
                continue;
            }
            // The edge runs at right angles to the gradient (rows count down).
            let angle = (f64::from(degrees) + 90.0).to_radians();
            let half = 0.47 * cell * strength;
            let (dx, dy) = (angle.cos() * half, angle.sin() * half);
            ctx.set_stroke_style_str(&format!(
                "rgba(255, 236, 170, {:.2})",
                0.35 + 0.65 * strength
            ));
            crate::draw::polyline(ctx, [(cx - dx, cy - dy), (cx + dx, cy + dy)]);
        }
    }
}

/// Ten bars, each in its hue, as tall as its share of the pixels.
fn draw_hues(
    ctx: &CanvasRenderingContext2d,
    hues: &[f32],
    top: f64,
    width: f64,
    height: f64,
) -> WebResult<()> {
    let n = hues.len().max(1);
    let slot = width / n as f64;
    let tallest = hues.iter().copied().fold(0.0f32, f32::max).max(0.01);
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_align("center");
    let base = top + height - 14.0;
    for (i, &share) in hues.iter().enumerate() {
        let bar = f64::from(share / tallest) * (height - 30.0);
        let hue = (i as f64 + 0.5) * 360.0 / n as f64;
        ctx.set_fill_style_str(&format!("hsl({hue:.0}, 75%, 50%)"));
        ctx.fill_rect(i as f64 * slot + 2.0, base - bar, slot - 4.0, bar.max(1.0));
        ctx.set_fill_style_str(palette::current().muted);
        let label = format!("{:.0}%", share * 100.0);
        ctx.fill_text(&label, (i as f64 + 0.5) * slot, base + 12.0)?;
    }
    Ok(())
}
