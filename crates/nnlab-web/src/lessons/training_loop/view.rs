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

use super::model::{Model, Phase, Source, BATCH_SIZES, OPTIMIZERS, THUMBNAILS};
use super::text::{
    format_value, lecture_arithmetic, optimizer_label, page_arithmetic, step_name, CODE,
};
use crate::data_store::{self, DataStatus};
use crate::draw::context_2d;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Scale, Select, Slider};

const LR_SCALE: Scale = Scale::Log {
    min: super::query::LR_MIN,
    max: super::query::LR_MAX,
};
const THUMB: f64 = 38.0;
const THUMB_LABEL: f64 = 15.0;
const THUMB_COLS: usize = 8;
const CURVE_H: u32 = 220;
/// Iterations in the loss curve's moving average.
const AVERAGE: usize = 10;
const INK: &str = "#1b2233";
const MUTED: &str = "#6b7487";
const LINE: &str = "#dde2ec";
const ACCENT: &str = "#3b4fd8";
const WARM: &str = "#d9622b";

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
    page_arith: HtmlElement,
    scratch: HtmlCanvasElement,
    needs_fit: Rc<Cell<bool>>,
    /// The model revision and data status last drawn (either changing redraws).
    drawn: Option<(u64, DataStatus)>,
    listeners: Vec<Listener>,
}

impl View {
    fn build(root: &HtmlElement, lang: Lang, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        // Left: the code, the buttons, the settings, the counters.
        let left: HtmlElement = dom::create("div", "train-left")?;
        let code_card: HtmlElement = dom::create("div", "card train-code-card")?;
        let code: HtmlElement = dom::create("pre", "train-code")?;
        code.set_attribute("aria-label", t(Key::TrainCodeLabel))?;
        let mut lines = Vec::new();
        for (i, (line, phase)) in CODE.iter().enumerate() {
            let row: HtmlElement = dom::create("div", "train-line")?;
            row.set_id(&format!("train-line-{i}"));
            dom::append(&row, &dom::text_element("span", "train-code-text", line)?)?;
            if let Some(phase) = phase {
                let comment = format!("  # Step{}", phase.number());
                dom::append(&row, &dom::text_element("span", "train-comment", &comment)?)?;
            }
            dom::append(&code, &row)?;
            lines.push(row);
        }
        dom::append(&code_card, &code)?;
        let buttons: HtmlElement = dom::create("div", "train-buttons")?;
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
        dom::append(&code_card, &buttons)?;
        let status = dom::text_element("p", "train-status", "")?;
        status.set_id("train-status");
        status.set_attribute("role", "status")?;
        dom::append(&code_card, &status)?;
        dom::append(&left, &code_card)?;

        let counters: HtmlElement = dom::create("dl", "readouts train-counters")?;
        let epoch = readout(&counters, t(Key::TrainEpoch), "train-epoch")?;
        let batch_id = readout(&counters, t(Key::TrainBatchId), "train-batch-id")?;
        let updates = readout(&counters, t(Key::TrainUpdates), "train-updates")?;
        let ipe = readout(&counters, t(Key::TrainIterationsPerEpoch), "train-ipe")?;
        dom::append(&left, &counters)?;

        let settings: HtmlElement = dom::create("div", "card train-settings")?;
        let s = model.settings();
        let opt_options: Vec<(&str, &str)> = OPTIMIZERS
            .iter()
            .map(|&k| (k.name(), t(optimizer_label(k))))
            .collect();
        let optimizer = Select::new(t(Key::OptimizerLabel), &opt_options, s.optimizer.name())?;
        optimizer.element.set_id("train-optimizer");
        let lr = Slider::new(t(Key::LearningRateLabel), "", LR_SCALE, s.lr, format_value)?;
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
        dom::append(&left, &settings)?;

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
            let card: HtmlElement = dom::create("section", "card train-phase")?;
            card.set_id(&format!("train-phase-{}", phase.number()));
            let title = format!("Step{} · {}", phase.number(), t(step_name(phase)));
            dom::append(
                &card,
                &dom::text_element("h3", "train-phase-title", &title)?,
            )?;
            let body: &HtmlElement = match phase {
                Phase::Batch => &thumbs.element,
                Phase::Forward => &probs.element,
                Phase::Loss => &loss,
                Phase::Backward => &grads,
                Phase::Update => &deltas,
            };
            dom::append(&card, body)?;
            dom::append(
                &card,
                &dom::text_element("p", "train-phase-note", t(phase_note(phase)))?,
            )?;
            dom::append(&right, &card)?;
            phases.push(card);
        }

        let layout: HtmlElement = dom::create("div", "train-layout")?;
        dom::append(&layout, &left)?;
        dom::append(&layout, &right)?;
        dom::append(root, &layout)?;

        // Below: the loss curve and the arithmetic of epochs.
        let curve_card: HtmlElement = dom::create("div", "card train-curve-card")?;
        dom::append(
            &curve_card,
            &dom::text_element("h3", "train-phase-title", t(Key::TrainCurveTitle))?,
        )?;
        let curve =
            HiDpiCanvas::picture("train-curve", "train-curve", t(Key::TrainCurveDescription))?;
        dom::append(&curve_card, &curve.element)?;
        dom::append(root, &curve_card)?;

        let arith: HtmlElement = dom::create("div", "card train-arith")?;
        arith.set_id("train-arith");
        dom::append(
            &arith,
            &dom::text_element("h3", "train-phase-title", t(Key::TrainArithTitle))?,
        )?;
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
            page_arith,
            scratch: dom::create("canvas", "")?,
            needs_fit: Rc::new(Cell::new(true)),
            drawn: None,
            listeners: Vec::new(),
        })
    }

    fn listen(&mut self, m: &Rc<RefCell<Model>>) -> WebResult<()> {
        let l = &mut self.listeners;
        let model = m.clone();
        l.push(self.step.on_click(move || {
            let mut m = model.borrow_mut();
            m.pause();
            Ok(m.step_phase()?)
        })?);
        let model = m.clone();
        l.push(self.batch.on_click(move || {
            let mut m = model.borrow_mut();
            m.pause();
            Ok(m.step_iteration()?)
        })?);
        let model = m.clone();
        l.push(self.run.on_click(move || {
            model.borrow_mut().toggle_run();
            Ok(())
        })?);
        let model = m.clone();
        l.push(
            self.reset
                .on_click(move || Ok(model.borrow_mut().reset()?))?,
        );
        let model = m.clone();
        l.push(self.optimizer.on_change(move |name| {
            Ok(model
                .borrow_mut()
                .set_optimizer(OptimizerKind::from_name(&name)?)?)
        })?);
        let model = m.clone();
        l.extend(
            self.lr
                .on_input(move |v| Ok(model.borrow_mut().set_lr(v)?))?,
        );
        let model = m.clone();
        l.push(self.batch_size.on_change(move |value| {
            let size = value
                .parse::<usize>()
                .map_err(|_| nnlab::Error::OutOfRange {
                    what: "batch size",
                    detail: format!("'{value}' is not a whole number"),
                })?;
            let mut m = model.borrow_mut();
            let settings = super::model::Settings {
                batch_size: size,
                ..*m.settings()
            };
            Ok(m.set(settings)?)
        })?);
        l.push(Listener::flag_on_resize(&self.needs_fit)?);
        Ok(())
    }

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
            Source::Cifar => model
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
            dom::append(&head, &dom::text_element("th", "", cell)?)?;
        }
        dom::append(table, &head)?;
        for (l, (w, b, extra)) in rows.into_iter().enumerate() {
            let tr: HtmlElement = dom::create("tr", "")?;
            let name = self
                .lang
                .fill(Key::TrainLayer, &[("n", &(l + 1).to_string())]);
            dom::append(&tr, &dom::text_element("td", "", &name)?)?;
            dom::append(&tr, &dom::text_element("td", "", &format_value(w))?)?;
            dom::append(&tr, &dom::text_element("td", "", &format_value(b))?)?;
            if let Some(e) = extra {
                dom::append(&tr, &dom::text_element("td", "", &format_value(e))?)?;
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
            ctx.set_fill_style_str(INK);
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
            ctx.set_fill_style_str(if c == label { WARM } else { INK });
            let name: String = self.class_name(model, c).chars().take(11).collect();
            ctx.fill_text(&name, 0.0, y + 8.0)?;
            ctx.set_fill_style_str("#eef0f6");
            ctx.fill_rect(name_w, y + 2.0, bar_w, 12.0);
            ctx.set_fill_style_str(if c == label { WARM } else { ACCENT });
            ctx.fill_rect(name_w, y + 2.0, (f64::from(prob) * bar_w).max(1.0), 12.0);
            ctx.set_fill_style_str(MUTED);
            let z = logits
                .get(c)
                .map_or(String::new(), |z| format!("z {:+.2}", z));
            ctx.fill_text(&format!("{:.2} {z}", prob), name_w + bar_w + 6.0, y + 8.0)?;
        }
        Ok(())
    }

    /// The loss of the last iterations, with a moving average.
    fn draw_curve(&self, model: &Model) -> WebResult<()> {
        let ctx = prepared(&self.curve)?;
        let (w, h) = self.curve.css_size();
        let (w, h) = (f64::from(w), f64::from(h));
        let (left, right, top, bottom) = (48.0, 12.0, 10.0, 26.0);
        let losses = model.losses();
        let finite: Vec<(usize, f32)> = losses
            .iter()
            .copied()
            .filter(|(_, l)| l.is_finite())
            .collect();
        if finite.is_empty() {
            return empty_note(&ctx, &self.curve, self.lang.text(Key::TrainCurveEmpty));
        }
        let max = finite
            .iter()
            .map(|&(_, l)| l)
            .fold(0.0f32, f32::max)
            .max(0.1) as f64
            * 1.05;
        let (first, last) = (finite[0].0 as f64, finite[finite.len() - 1].0 as f64);
        let span = (last - first).max(1.0);
        let px = |i: usize| left + (i as f64 - first) / span * (w - left - right);
        let py = |l: f64| top + (1.0 - l / max) * (h - top - bottom);

        ctx.set_font("11px system-ui, sans-serif");
        ctx.set_stroke_style_str(LINE);
        ctx.set_fill_style_str(MUTED);
        ctx.set_line_width(1.0);
        ctx.set_text_baseline("middle");
        ctx.set_text_align("right");
        for k in 0..=4 {
            let v = max * f64::from(k) / 4.0;
            let y = py(v).round() + 0.5;
            ctx.begin_path();
            ctx.move_to(left, y);
            ctx.line_to(w - right, y);
            ctx.stroke();
            ctx.fill_text(&format!("{v:.2}"), left - 6.0, y)?;
        }
        ctx.set_text_align("center");
        ctx.set_text_baseline("top");
        ctx.fill_text(&format!("{}", finite[0].0), left, h - bottom + 6.0)?;
        ctx.fill_text(
            &format!("{}", finite[finite.len() - 1].0),
            w - right - 10.0,
            h - bottom + 6.0,
        )?;
        ctx.fill_text(
            self.lang.text(Key::TrainCurveAxis),
            (left + w - right) / 2.0,
            h - bottom + 6.0,
        )?;
        ctx.set_text_align("left");

        // Each iteration's loss (noisy: every batch is different) …
        ctx.set_stroke_style_str("#9aa6e8");
        ctx.set_line_width(1.0);
        ctx.begin_path();
        for (k, &(i, l)) in finite.iter().enumerate() {
            let (x, y) = (px(i), py(f64::from(l)));
            if k == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
        // … and its moving average over the last AVERAGE iterations.
        ctx.set_stroke_style_str(ACCENT);
        ctx.set_line_width(2.5);
        ctx.begin_path();
        let mut sum = 0.0;
        for (k, &(i, l)) in finite.iter().enumerate() {
            sum += f64::from(l);
            if k >= AVERAGE {
                sum -= f64::from(finite[k - AVERAGE].1);
            }
            let avg = sum / (k + 1).min(AVERAGE) as f64;
            let (x, y) = (px(i), py(avg));
            if k == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
        Ok(())
    }
}

impl LessonView for View {
    type Model = Model;

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let resized = self.needs_fit.replace(false) && self.fit()?;
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
            (Source::Cifar, _) => lang.text(Key::TrainSourceCifar).to_string(),
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

    fn mount(at: &Mount, model: &Rc<RefCell<Model>>) -> WebResult<View> {
        // Real CIFAR-10 images replace the stand-in as soon as the Worker has them.
        crate::training::client::ensure_started()?;
        let mut view = View::build(at.root, at.lang, &model.borrow())?;
        view.listen(model)?;
        Ok(view)
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
    ctx.set_font("13px system-ui, sans-serif");
    ctx.set_fill_style_str(MUTED);
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

/// One labelled value in a read-out strip; returns the element holding the value.
fn readout(strip: &HtmlElement, label: &str, id: &str) -> WebResult<HtmlElement> {
    let item: HtmlElement = dom::create("div", "readout")?;
    dom::append(&item, &dom::text_element("dt", "", label)?)?;
    let value = dom::text_element("dd", "", "")?;
    value.set_id(id);
    dom::append(&item, &value)?;
    dom::append(strip, &item)?;
    Ok(value)
}
