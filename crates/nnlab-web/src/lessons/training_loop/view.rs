//! The page side of the training-loop lesson: the lecture's loop as code with
//! the current step highlighted, the buttons that run one step, one batch or
//! keep running, the counters, what each step produced, the loss curve and
//! the epoch arithmetic. Handlers only change the [`Model`]; each frame
//! [`View::catch_up`] brings the page in line with it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab::optim::OptimizerKind;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, ImageData};

use super::model::{Model, Phase, Settings, Source, BATCH_SIZES, OPTIMIZERS, THUMBNAILS};
use super::text::{
    format_value, lecture_arithmetic, optimizer_label, page_arithmetic, step_name, CODE,
};
use crate::data_store::{self, DataStatus};
use crate::draw::palette;
use crate::draw::{context_2d, text_size};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::format::format_number;
use crate::lessons::kit::format::format_rate;
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::line_chart::{self, Line, LineChart};
use crate::lessons::kit::page;
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Scale, Select, Slider};
use nnlab::nn::thousands;

const LR_SCALE: Scale = Scale::log(super::query::LR_MIN, super::query::LR_MAX);
const THUMB: f64 = 38.0;
const THUMB_LABEL: f64 = 15.0;
const THUMB_COLS: usize = 8;
const CURVE_H: u32 = 220;
/// Iterations in the loss curve's moving average.
const AVERAGE: usize = 10;

/// The training loop's page: the code, the controls, the counters and what each step produced.
pub struct View {
    lang: Lang,
    lines: Vec<HtmlElement>,
    phases: Vec<HtmlElement>,
    step: Button,
    batch: Button,
    run: Button,
    reset: Button,
    optimizer: Select,
    lr: Slider,
    batch_size: Select,
    source: HtmlElement,
    status: HtmlElement,
    epoch: HtmlElement,
    batch_id: HtmlElement,
    updates: HtmlElement,
    ipe: HtmlElement,
    thumbs: HiDpiCanvas,
    probs: HiDpiCanvas,
    loss: HtmlElement,
    grads: HtmlElement,
    deltas: HtmlElement,
    curve: HiDpiCanvas,
    /// The loss under the pointer or the arrow keys.
    curve_hover: Hover,
    page_arith: HtmlElement,
    scratch: HtmlCanvasElement,
    /// Set by window resizes: the canvases are fitted again.
    resized: Rc<Cell<bool>>,
    /// The model revision and data status last drawn (either changing redraws).
    drawn: Option<(u64, DataStatus)>,
    listeners: Vec<Listener>,
}

impl View {
    /// Sizes the canvases (the curve follows its card's width).
    fn fit(&mut self) -> WebResult<bool> {
        let thumb_rows = THUMBNAILS.div_ceil(THUMB_COLS) as f64;
        let a = self.thumbs.resize(
            (THUMB_COLS as f64 * (THUMB + 6.0)) as u32,
            (thumb_rows * (THUMB + THUMB_LABEL + 4.0)) as u32,
        )?;
        let b = self.probs.resize(340, 10 * 17 + 4)?;
        let width = self
            .curve
            .element
            .parent_element()
            .map(|p| p.client_width().max(0) as u32)
            .unwrap_or(800)
            .saturating_sub(36)
            .clamp(280, 1400);
        let c = self.curve.resize(width, CURVE_H)?;
        Ok(a || b || c)
    }

    fn class_name(&self, model: &Model, class: usize) -> String {
        match model.source() {
            Source::Cifar { .. } => model
                .data()
                .class_names()
                .get(class)
                .cloned()
                .unwrap_or_default(),
            Source::Synthetic => self
                .lang
                .fill(Key::TrainPatchClass, &[("n", &class.to_string())]),
        }
    }

    fn fill_norms(
        &self,
        table: &HtmlElement,
        header: Key,
        rows: impl Iterator<Item = (f64, f64, Option<f64>)>,
    ) -> WebResult<()> {
        let rows: Vec<_> = rows.collect();
        dom::clear(table);
        if rows.is_empty() {
            dom::append(
                table,
                &dom::text_element("caption", "", self.lang.text(Key::TrainNotYet))?,
            )?;
            return Ok(());
        }
        let head: HtmlElement = dom::create("tr", "")?;
        for cell in self.lang.text(header).split('|') {
            dom::add_text(&head, "th", "", cell)?;
        }
        dom::append(table, &head)?;
        for (l, (w, b, extra)) in rows.into_iter().enumerate() {
            let tr: HtmlElement = dom::create("tr", "")?;
            let name = self
                .lang
                .fill(Key::TrainLayer, &[("n", &(l + 1).to_string())]);
            dom::add_text(&tr, "td", "", &name)?;
            dom::add_text(&tr, "td", "", &format_value(w))?;
            dom::add_text(&tr, "td", "", &format_value(b))?;
            if let Some(e) = extra {
                dom::add_text(&tr, "td", "", &format_value(e))?;
            }
            dom::append(table, &tr)?;
        }
        Ok(())
    }

    /// Step 1: the batch's first images, each with its label.
    fn draw_thumbs(&self, model: &Model) -> WebResult<()> {
        let ctx = prepared(&self.thumbs)?;
        let r = model.readouts();
        if r.indices.is_empty() {
            return empty_note(&ctx, &self.thumbs, self.lang.text(Key::TrainNotYet));
        }
        let data = model.data();
        let shape = data.shape();
        let count = r.indices.len().min(THUMBNAILS);
        self.scratch.set_width((shape.width * THUMB_COLS) as u32);
        self.scratch
            .set_height((shape.height * count.div_ceil(THUMB_COLS)) as u32);
        let scratch = context_2d(&self.scratch)?;
        for (k, &i) in r.indices.iter().take(count).enumerate() {
            let rgba = data.image_rgba(i);
            let image = ImageData::new_with_u8_clamped_array_and_sh(
                Clamped(&rgba),
                shape.width as u32,
                shape.height as u32,
            )?;
            let (col, row) = (k % THUMB_COLS, k / THUMB_COLS);
            scratch.put_image_data(
                &image,
                (col * shape.width) as f64,
                (row * shape.height) as f64,
            )?;
        }
        ctx.set_image_smoothing_enabled(false);
        ctx.set_font("11px system-ui, sans-serif");
        ctx.set_text_align("center");
        ctx.set_text_baseline("top");
        for (k, &label) in r.labels.iter().take(count).enumerate() {
            let (col, row) = (k % THUMB_COLS, k / THUMB_COLS);
            let x = col as f64 * (THUMB + 6.0) + 3.0;
            let y = row as f64 * (THUMB + THUMB_LABEL + 4.0);
            ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                &self.scratch,
                (col * shape.width) as f64,
                (row * shape.height) as f64,
                shape.width as f64,
                shape.height as f64,
                x,
                y,
                THUMB,
                THUMB,
            )?;
            ctx.set_fill_style_str(palette::current().ink);
            let name = self.class_name(model, label);
            let name: String = name.chars().take(8).collect();
            ctx.fill_text(&name, x + THUMB / 2.0, y + THUMB + 2.0)?;
        }
        ctx.set_text_align("left");
        Ok(())
    }

    /// Step 2: the first sample's class probabilities, its label marked.
    fn draw_probs(&self, model: &Model) -> WebResult<()> {
        let ctx = prepared(&self.probs)?;
        let r = model.readouts();
        let (Some(p), Some(&label)) = (r.probabilities.as_ref(), r.labels.first()) else {
            return empty_note(&ctx, &self.probs, self.lang.text(Key::TrainNotYet));
        };
        let logits = r.logits.as_deref().unwrap_or(&[]);
        let (w, _) = self.probs.css_size();
        let (name_w, value_w) = (92.0, 110.0);
        let bar_w = f64::from(w) - name_w - value_w;
        ctx.set_font("12px system-ui, sans-serif");
        ctx.set_text_baseline("middle");
        for (c, &prob) in p.iter().enumerate() {
            let y = 2.0 + c as f64 * 17.0;
            ctx.set_fill_style_str(if c == label {
                palette::current().warm
            } else {
                palette::current().ink
            });
            let name: String = self.class_name(model, c).chars().take(11).collect();
            ctx.fill_text(&name, 0.0, y + 8.0)?;
            ctx.set_fill_style_str(palette::current().panel);
            ctx.fill_rect(name_w, y + 2.0, bar_w, 12.0);
            ctx.set_fill_style_str(if c == label {
                palette::current().warm
            } else {
                palette::current().accent
            });
            ctx.fill_rect(name_w, y + 2.0, (f64::from(prob) * bar_w).max(1.0), 12.0);
            ctx.set_fill_style_str(palette::current().muted);
            let z = logits
                .get(c)
                .map_or(String::new(), |z| format!("z {:+.2}", z));
            ctx.fill_text(&format!("{:.2} {z}", prob), name_w + bar_w + 6.0, y + 8.0)?;
        }
        Ok(())
    }

    /// The loss of the last iterations, with a moving average.
    fn draw_curve(&self, model: &Model) -> WebResult<()> {
        let losses: Vec<(f64, f64)> = model
            .losses()
            .iter()
            .filter(|(_, l)| l.is_finite())
            .map(|&(i, l)| (i as f64, f64::from(l)))
            .collect();
        // Each iteration's loss is noisy (every batch is different); the
        // moving average over the last AVERAGE iterations shows the trend.
        let mut sum = 0.0;
        let average: Vec<(f64, f64)> = losses
            .iter()
            .enumerate()
            .map(|(k, &(i, l))| {
                sum += l;
                if k >= AVERAGE {
                    sum -= losses[k - AVERAGE].1;
                }
                (i, sum / (k + 1).min(AVERAGE) as f64)
            })
            .collect();
        line_chart::draw(
            &self.curve,
            &LineChart {
                lines: &[
                    Line {
                        points: &losses,
                        color: palette::current().faint_accent,
                        width: 1.0,
                        name: self.lang.text(Key::ReadoutEachIteration),
                    },
                    Line {
                        points: &average,
                        color: palette::current().accent,
                        width: 2.5,
                        name: self.lang.text(Key::ReadoutAverage),
                    },
                ],
                x_label: self.lang.text(Key::TrainCurveAxis),
                empty: self.lang.text(Key::TrainCurveEmpty),
                from_zero: false,
                last_label: None,
                y_name: self.lang.text(Key::ReadoutLoss),
                y_text: format_number,
            },
            &self.curve_hover,
        )
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(at: &Mount, model: &Model) -> WebResult<View> {
        // Real CIFAR-10 images replace the stand-in as soon as the Worker has them.
        crate::training::client::ensure_started()?;
        let (root, lang) = (at.root, at.lang);
        let t = |key| lang.text(key);

        // Left: the code, the buttons, the settings, the counters.
        let left: HtmlElement = dom::create("div", "train-left")?;
        let code_card: HtmlElement = dom::add(&left, "div", "card train-code-card")?;
        let code: HtmlElement = dom::add(&code_card, "pre", "train-code")?;
        code.set_attribute("aria-label", t(Key::TrainCodeLabel))?;
        let mut lines = Vec::new();
        for (i, (line, phase)) in CODE.iter().enumerate() {
            let row: HtmlElement = dom::create("div", "train-line")?;
            row.set_id(&format!("train-line-{i}"));
            dom::add_text(&row, "span", "train-code-text", line)?;
            if let Some(phase) = phase {
                let comment = format!("  # Step{}", phase.number());
                dom::add_text(&row, "span", "train-comment", &comment)?;
            }
            dom::append(&code, &row)?;
            lines.push(row);
        }
        let buttons: HtmlElement = dom::add(&code_card, "div", "train-buttons")?;
        let step = Button::new(t(Key::TrainNextStep), "primary")?;
        step.element.set_id("train-step");
        let batch = Button::new(t(Key::TrainNextBatch), "")?;
        batch.element.set_id("train-batch");
        let run = Button::new(t(Key::Play), "")?;
        run.element.set_id("train-run");
        let reset = Button::new(t(Key::Reset), "")?;
        reset.element.set_id("train-reset");
        for b in [&step, &batch, &run, &reset] {
            dom::append(&buttons, &b.element)?;
        }
        let status = page::status_line("p", "train-status", "train-status")?;
        dom::append(&code_card, &status)?;

        let (counters, [epoch, batch_id, updates, ipe]) = page::readouts(
            &left,
            [
                (t(Key::TrainEpoch), "train-epoch"),
                (t(Key::TrainBatchId), "train-batch-id"),
                (t(Key::TrainUpdates), "train-updates"),
                (t(Key::TrainIterationsPerEpoch), "train-ipe"),
            ],
        )?;
        counters.class_list().add_1("train-counters")?;

        let settings: HtmlElement = dom::add(&left, "div", "card train-settings")?;
        let s = model.settings();
        let opt_options: Vec<(&str, &str)> = OPTIMIZERS
            .iter()
            .map(|&k| (k.name(), t(optimizer_label(k))))
            .collect();
        let optimizer = Select::new(t(Key::OptimizerLabel), &opt_options, s.optimizer.name())?;
        optimizer.element.set_id("train-optimizer");
        let lr = Slider::new(t(Key::LearningRateLabel), "", LR_SCALE, s.lr, format_rate)?;
        lr.root.set_id("train-lr");
        let sizes: Vec<String> = BATCH_SIZES.iter().map(usize::to_string).collect();
        let size_options: Vec<(&str, &str)> =
            sizes.iter().map(|s| (s.as_str(), s.as_str())).collect();
        let batch_size = Select::new(
            t(Key::TrainBatchSize),
            &size_options,
            &s.batch_size.to_string(),
        )?;
        batch_size.element.set_id("train-batch-size");
        let source = dom::text_element("p", "train-source", "")?;
        source.set_id("train-source");
        for part in [&source, &optimizer.root, &lr.root, &batch_size.root] {
            dom::append(&settings, part)?;
        }

        // Right: one card per step.
        let right: HtmlElement = dom::create("div", "train-right")?;
        let mut phases = Vec::new();
        let thumbs = HiDpiCanvas::new("train-thumbs")?;
        thumbs.element.set_id("train-thumbs");
        thumbs
            .element
            .set_attribute("aria-label", t(Key::TrainThumbsDescription))?;
        let probs = HiDpiCanvas::new("train-probs")?;
        probs.element.set_id("train-probs");
        probs
            .element
            .set_attribute("aria-label", t(Key::TrainProbsDescription))?;
        let loss = dom::text_element("p", "train-loss", "")?;
        loss.set_id("train-loss");
        let grads: HtmlElement = dom::create("table", "train-norms")?;
        grads.set_id("train-grads");
        let deltas: HtmlElement = dom::create("table", "train-norms")?;
        deltas.set_id("train-deltas");
        for phase in Phase::ALL {
            let card: HtmlElement = dom::add(&right, "section", "card train-phase")?;
            card.set_id(&format!("train-phase-{}", phase.number()));
            let title = format!("Step{} · {}", phase.number(), t(step_name(phase)));
            dom::add_text(&card, "h3", "train-phase-title", &title)?;
            let body: &HtmlElement = match phase {
                Phase::Batch => &thumbs.element,
                Phase::Forward => &probs.element,
                Phase::Loss => &loss,
                Phase::Backward => &grads,
                Phase::Update => &deltas,
            };
            dom::append(&card, body)?;
            dom::add_text(&card, "p", "train-phase-note", t(phase_note(phase)))?;
            phases.push(card);
        }

        let layout: HtmlElement = dom::create("div", "train-layout")?;
        dom::append(&layout, &left)?;
        dom::append(&layout, &right)?;
        dom::append(root, &layout)?;

        // Below: the loss curve and the arithmetic of epochs.
        let curve_card: HtmlElement = dom::create("div", "card train-curve-card")?;
        dom::add_text(
            &curve_card,
            "h3",
            "train-phase-title",
            t(Key::TrainCurveTitle),
        )?;
        let curve =
            HiDpiCanvas::picture("train-curve", "train-curve", t(Key::TrainCurveDescription))?;
        dom::append(&curve_card, &curve.element)?;
        let curve_hover = Hover::attach(&curve, lang)?;
        dom::append(root, &curve_card)?;

        let arith: HtmlElement = dom::create("div", "card train-arith")?;
        arith.set_id("train-arith");
        dom::add_text(&arith, "h3", "train-phase-title", t(Key::TrainArithTitle))?;
        let page_arith = dom::text_element("p", "", "")?;
        page_arith.set_id("train-arith-page");
        let (right_text, wrong_text) = lecture_arithmetic(lang);
        let lecture = dom::text_element("p", "train-arith-lecture", &right_text)?;
        lecture.set_id("train-arith-lecture");
        let slide = dom::text_element("p", "train-arith-slide", &wrong_text)?;
        for part in [&page_arith, &lecture, &slide] {
            dom::append(&arith, part)?;
        }
        dom::append(root, &arith)?;
        dom::name_controls(&[
            (&code, "code"),
            (&buttons, "transport"),
            (&counters, "readouts"),
            (&optimizer.root, "optimizer"),
            (&lr.root, "lr"),
            (&batch_size.root, "batch"),
            (&right, "phases"),
            (&curve_card, "curve"),
            (&arith, "arith"),
        ]);

        let resized_flag = Rc::new(Cell::new(true));
        let resized = resized_flag.clone();
        Ok(View {
            lang,
            lines,
            phases,
            step,
            batch,
            run,
            reset,
            optimizer,
            lr,
            batch_size,
            source,
            status,
            epoch,
            batch_id,
            updates,
            ipe,
            thumbs,
            probs,
            loss,
            grads,
            deltas,
            curve,
            curve_hover,
            page_arith,
            scratch: dom::create("canvas", "")?,
            resized,
            drawn: None,
            listeners: vec![Listener::flag_on_resize(&resized_flag)?],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        let step = bind.act(|m: &mut Model| {
            m.pause();
            m.step_phase()
        });
        bind.keep(self.step.on_click(step)?);
        let batch = bind.act(|m: &mut Model| {
            m.pause();
            m.step_iteration()
        });
        bind.keep(self.batch.on_click(batch)?);
        bind.keep(self.run.on_click(bind.act(Model::toggle_run))?);
        bind.keep(self.reset.on_click(bind.act(Model::reset))?);
        let optimizer = bind.with(|m: &mut Model, name: String| {
            OptimizerKind::from_name(&name).and_then(|kind| m.set_optimizer(kind))
        });
        bind.keep(self.optimizer.on_change(optimizer)?);
        bind.keep(self.lr.on_input(bind.with(Model::set_lr))?);
        let batch_size = bind.with(|m: &mut Model, value: String| {
            let batch_size = value
                .parse::<usize>()
                .map_err(|_| nnlab::Error::OutOfRange {
                    what: "batch size",
                    detail: format!("'{value}' is not a whole number"),
                })?;
            m.set(Settings {
                batch_size,
                ..*m.settings()
            })
        });
        bind.keep(self.batch_size.on_change(batch_size)?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let resized = self.resized.replace(false) && self.fit()?;
        let drawn = Some((model.revision(), data_store::status()));
        if !resized && self.drawn == drawn {
            return Ok(());
        }
        self.drawn = drawn;
        let s = model.settings();
        self.optimizer.set_value(s.optimizer.name());
        self.lr.set_value(s.lr);
        self.batch_size.set_value(&s.batch_size.to_string());
        self.run.set_label(lang.text(if model.is_running() {
            Key::Pause
        } else {
            Key::Play
        }));

        let done = model.done();
        for (row, (_, phase)) in self.lines.iter().zip(CODE.iter()) {
            let active = phase.is_some() && *phase == done;
            row.class_list().toggle_with_force("active", active)?;
        }
        for (card, phase) in self.phases.iter().zip(Phase::ALL) {
            card.class_list()
                .toggle_with_force("active", Some(phase) == done)?;
        }
        let status = if model.diverged() {
            lang.text(Key::TrainDiverged).to_string()
        } else {
            lang.fill(
                Key::TrainNext,
                &[
                    ("n", &model.next_phase().number().to_string()),
                    ("step", lang.text(step_name(model.next_phase()))),
                ],
            )
        };
        dom::set_text_if_changed(&self.status, &status);
        self.status
            .class_list()
            .toggle_with_force("warning", model.diverged())?;

        let c = model.counters();
        dom::set_text_if_changed(&self.epoch, &c.epoch.to_string());
        dom::set_text_if_changed(
            &self.batch_id,
            &c.batch_id.map_or("—".into(), |b| b.to_string()),
        );
        dom::set_text_if_changed(&self.updates, &c.updates.to_string());
        dom::set_text_if_changed(&self.ipe, &c.iterations_per_epoch.to_string());
        dom::set_text_if_changed(
            &self.page_arith,
            &page_arithmetic(lang, c.samples, c.batch_size),
        );
        let source = match (model.source(), data_store::status()) {
            (Source::Cifar { total }, _) => lang.fill(
                Key::TrainSourceCifar,
                &[
                    ("n", &thousands(model.data().len())),
                    ("total", &thousands(total)),
                ],
            ),
            (Source::Synthetic, DataStatus::Loading { fraction }) => lang.fill(
                Key::TrainSourceLoading,
                &[("percent", &format!("{:.0}%", fraction * 100.0))],
            ),
            (Source::Synthetic, _) => lang.text(Key::TrainSourceSynthetic).to_string(),
        };
        dom::set_text_if_changed(&self.source, &source);
        self.source
            .class_list()
            .toggle_with_force("stand-in", model.source() == Source::Synthetic)?;

        let r = model.readouts();
        let loss = match r.loss {
            Some(v) => lang.fill(
                Key::TrainLossValue,
                &[("loss", &format_value(f64::from(v)))],
            ),
            None => lang.text(Key::TrainNotYet).to_string(),
        };
        dom::set_text_if_changed(&self.loss, &loss);
        self.loss
            .class_list()
            .toggle_with_force("pending", r.loss.is_none())?;
        self.fill_norms(
            &self.grads,
            Key::TrainGradHeader,
            r.grad_norms.iter().map(|n| (n.weight, n.bias, None)),
        )?;
        self.fill_norms(
            &self.deltas,
            Key::TrainDeltaHeader,
            r.update_norms
                .iter()
                .zip(
                    r.weight_norms
                        .iter()
                        .map(Some)
                        .chain(std::iter::repeat(None)),
                )
                .map(|(n, w)| (n.weight, n.bias, w.copied())),
        )?;
        self.draw_thumbs(model)?;
        self.draw_probs(model)?;
        self.draw_curve(model)
    }
}

/// The context of `canvas`, scaled to CSS pixels and cleared.
fn prepared(canvas: &HiDpiCanvas) -> WebResult<CanvasRenderingContext2d> {
    let ctx = context_2d(&canvas.element)?;
    let dpr = canvas.device_pixel_ratio();
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    let (w, h) = canvas.css_size();
    ctx.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
    Ok(ctx)
}

fn empty_note(ctx: &CanvasRenderingContext2d, canvas: &HiDpiCanvas, text: &str) -> WebResult<()> {
    let (w, h) = canvas.css_size();
    ctx.set_font(&text_size::font("", 13.0, "system-ui, sans-serif"));
    ctx.set_fill_style_str(palette::current().muted);
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    ctx.fill_text(text, f64::from(w) / 2.0, f64::from(h) / 2.0)?;
    ctx.set_text_align("left");
    Ok(())
}

fn phase_note(phase: Phase) -> Key {
    match phase {
        Phase::Batch => Key::TrainNote1,
        Phase::Forward => Key::TrainNote2,
        Phase::Loss => Key::TrainNote3,
        Phase::Backward => Key::TrainNote4,
        Phase::Update => Key::TrainNote5,
    }
}
