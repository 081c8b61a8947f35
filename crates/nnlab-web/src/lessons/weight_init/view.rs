//! The page side of the initialisation lesson: the controls, one canvas with
//! a weight and an activation histogram per layer, and a table of per-layer
//! means and standard deviations. Handlers only change the [`Model`]; each
//! frame [`View::catch_up`] brings the page in line with it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab::nn::Activation;
use web_sys::{CanvasRenderingContext2d, Event, HtmlElement, HtmlInputElement};

use super::model::{Depth, Model, Source, ACTIVATIONS};
use super::stats::{Histogram, Summary};
use super::text::{
    activation_label, depth_label, format_percent, format_stat, verdict_text, INIT_LABELS,
};
use crate::data_store::{self, DataStatus};
use crate::draw::palette;
use crate::draw::{context_2d, text_size};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::readout::{Bins, Panel};
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Scale, Select, Slider};

const SCALE_SCALE: Scale = Scale::log(super::query::SCALE_MIN, super::query::SCALE_MAX);
const MAX_CANVAS_WIDTH: u32 = 940;
/// CSS pixels: the column titles, each layer's row, the layer-name column.
const HEADER_H: f64 = 26.0;
const ROW_H: f64 = 64.0;
const NAME_W: f64 = 112.0;
/// The strip under the last row where each column's range is written.
const RANGE_H: f64 = 16.0;
const GAP: f64 = 14.0;
/// Below this canvas width (a phone) the layer names get a narrower column.
const NARROW_WIDTH: f64 = 480.0;
/// The narrowest canvas (a 320-pixel phone, less the page's margins).
const MIN_CANVAS_WIDTH: u32 = 260;
const SANS: &str = "system-ui, sans-serif";
const MONO: &str = "ui-monospace, monospace";

/// How much larger than designed the canvas's text and rows are: 1, or in
/// presenter mode [`text_size`]'s scale, as far as the window's height allows.
fn text_zoom(canvas: &HiDpiCanvas, layers: usize) -> WebResult<f64> {
    let zoom = text_size::px(12.0) / 12.0;
    if zoom <= 1.0 {
        return Ok(1.0);
    }
    let window = dom::window()?;
    let room = window.inner_height()?.as_f64().unwrap_or(800.0)
        - canvas.element.get_bounding_client_rect().top()
        - window.scroll_y()?
        // Room for the line under it, and for the verdict above it changing length.
        - 32.0;
    // A little smaller than designed, rather than below the screen's edge.
    Ok((room / base_height(layers)).clamp(0.85, zoom))
}

/// The canvas's height at zoom 1 for `layers` rows.
fn base_height(layers: usize) -> f64 {
    HEADER_H + ROW_H * layers as f64 + RANGE_H
}

/// A canvas font: `weight`, `size` px at zoom `k`, `family`.
fn font(weight: &str, size: f64, family: &str, k: f64) -> String {
    format!("{weight} {}px {family}", (size * k).round())
        .trim()
        .to_string()
}

/// The initialisation lesson's page: the controls, the histograms, the verdict, the layer table.
pub struct View {
    lang: Lang,
    canvas: HiDpiCanvas,
    /// The bin under the pointer or the arrow keys, on any histogram.
    hover: Hover,
    needs_fit: Rc<Cell<bool>>,
    init: Select,
    scale: Slider,
    depth: Select,
    activation: Select,
    seed: HtmlInputElement,
    redraw: Button,
    source: HtmlElement,
    verdict: HtmlElement,
    table: HtmlElement,
    table_rows: usize,
    drawn: Option<(u64, (u32, u32))>,
    shown_status: Option<DataStatus>,
    listeners: Vec<Listener>,
}

impl View {
    fn build_table(&self, layers: usize) -> WebResult<()> {
        let t = |key| self.lang.text(key);
        dom::clear(&self.table);
        let head: HtmlElement = dom::create("tr", "")?;
        for key in [
            Key::InitColLayer,
            Key::InitColWeightStd,
            Key::InitColActMean,
            Key::InitColActStd,
            Key::InitColZeros,
        ] {
            dom::add_text(&head, "th", "", t(key))?;
        }
        let thead: HtmlElement = dom::add(&self.table, "thead", "")?;
        dom::append(&thead, &head)?;
        let body: HtmlElement = dom::add(&self.table, "tbody", "")?;
        for row in 0..=layers {
            let tr: HtmlElement = dom::add(&body, "tr", "")?;
            for col in ["name", "wstd", "amean", "astd", "zeros"] {
                let td = dom::add_text(&tr, "td", "", "")?;
                td.set_id(&format!("init-{col}-{row}"));
            }
        }
        Ok(())
    }

    fn fill_table(&self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let doc = dom::document()?;
        let set = |id: String, text: &str| {
            if let Some(cell) = doc.get_element_by_id(&id) {
                dom::set_text_if_changed(&cell, text);
            }
        };
        let input = model.input();
        set("init-name-0".into(), lang.text(Key::InitInputRow));
        set("init-wstd-0".into(), "—");
        set("init-amean-0".into(), &format_stat(input.mean));
        set("init-astd-0".into(), &format_stat(input.std));
        set("init-zeros-0".into(), &format_percent(input.zero_fraction));
        let sizes: Vec<(usize, usize)> = model.settings().spec().layer_sizes().collect();
        for (l, &(inputs, outputs)) in sizes.iter().enumerate() {
            let row = l + 1;
            set(
                format!("init-name-{row}"),
                &layer_name(lang, row, inputs, outputs),
            );
            match model.layers().get(l) {
                Some(report) => {
                    set(format!("init-wstd-{row}"), &format_stat(report.weights.std));
                    set(
                        format!("init-amean-{row}"),
                        &format_stat(report.activations.mean),
                    );
                    set(
                        format!("init-astd-{row}"),
                        &format_stat(report.activations.std),
                    );
                    set(
                        format!("init-zeros-{row}"),
                        &format_percent(report.activations.zero_fraction),
                    );
                }
                None => {
                    for col in ["wstd", "amean", "astd", "zeros"] {
                        set(format!("init-{col}-{row}"), "…");
                    }
                }
            }
        }
        Ok(())
    }

    fn draw_canvas(&self, model: &Model) -> WebResult<()> {
        let (w, h) = self.canvas.css_size();
        let (w, h) = (f64::from(w), f64::from(h));
        let ctx = context_2d(&self.canvas.element)?;
        let dpr = self.canvas.device_pixel_ratio();
        ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
        ctx.clear_rect(0.0, 0.0, w, h);
        // Presenter mode draws text larger and the rows taller; a phone gets a narrower name column.
        let k = h / base_height(model.layer_count());
        let (header_h, row_h) = (HEADER_H * k, ROW_H * k);
        let name_w = (if w < NARROW_WIDTH {
            NAME_W * 0.7
        } else {
            NAME_W
        }) * k;
        let col_w = ((w - name_w - 2.0 * GAP) / 2.0).max(40.0);
        let x_w = name_w + GAP;
        let x_a = x_w + col_w + GAP;

        ctx.set_font(&font("600", 13.0, SANS, k));
        ctx.set_text_baseline("middle");
        ctx.set_fill_style_str(palette::current().accent);
        ctx.fill_text(self.lang.text(Key::InitWeightsHeading), x_w, header_h / 2.0)?;
        ctx.set_fill_style_str(palette::current().warm);
        ctx.fill_text(
            self.lang.text(Key::InitActivationsHeading),
            x_a,
            header_h / 2.0,
        )?;

        let sizes: Vec<(usize, usize)> = model.settings().spec().layer_sizes().collect();
        let histograms = model.histograms();
        // What the read-out can read: each histogram drawn, row by row.
        let mut panels = Vec::new();
        for (l, &(inputs, outputs)) in sizes.iter().enumerate() {
            let y = header_h + row_h * l as f64;
            ctx.set_stroke_style_str(palette::current().line);
            ctx.set_line_width(1.0);
            ctx.begin_path();
            ctx.move_to(0.0, y + 0.5);
            ctx.line_to(w, y + 0.5);
            ctx.stroke();
            ctx.set_fill_style_str(palette::current().ink);
            ctx.set_font(&font("600", 13.0, SANS, k));
            ctx.fill_text(
                &self
                    .lang
                    .fill(Key::InitLayerShort, &[("n", &(l + 1).to_string())]),
                4.0,
                y + row_h * 0.38,
            )?;
            ctx.set_fill_style_str(palette::current().muted);
            ctx.set_font(&font("", 12.0, SANS, k));
            ctx.fill_text(&format!("{inputs} → {outputs}"), 4.0, y + row_h * 0.66)?;
            let report = model.layers().get(l);
            let box_y = y + 6.0;
            let box_h = row_h - 12.0;
            let (wh, ah) = match histograms {
                Some(hs) => (hs.weights.get(l), hs.activations.get(l)),
                None => (None, None),
            };
            let n = (l + 1).to_string();
            for (x, hist, title, color) in [
                (x_w, wh, Key::ReadoutWeights, palette::current().accent),
                (x_a, ah, Key::ReadoutOutputs, palette::current().warm),
            ] {
                if let Some(hist) = hist {
                    panels.push(Panel::Bins(Bins {
                        rect: (x, box_y, x + col_w, box_y + box_h),
                        range: (hist.lo, hist.hi),
                        counts: hist.counts.clone(),
                        title: self.lang.fill(title, &[("n", &n)]),
                        color: color.to_string(),
                        value_text: format_stat,
                    }));
                }
            }
            draw_histogram(
                &ctx,
                (x_w, box_y, col_w, box_h),
                wh,
                report.map(|r| &r.weights),
                palette::current().accent,
                k,
            )?;
            draw_histogram(
                &ctx,
                (x_a, box_y, col_w, box_h),
                ah,
                report.map(|r| &r.activations),
                palette::current().warm,
                k,
            )?;
        }
        // Range of each column, under the last row.
        if let Some(hs) = histograms {
            ctx.set_font(&font("", 11.0, SANS, k));
            ctx.set_fill_style_str(palette::current().muted);
            ctx.set_text_baseline("bottom");
            for (x, hist) in [(x_w, hs.weights.first()), (x_a, hs.activations.first())] {
                if let Some(hist) = hist {
                    ctx.set_text_align("left");
                    ctx.fill_text(&format_stat(hist.lo), x + 2.0, h - 1.0)?;
                    ctx.set_text_align("right");
                    ctx.fill_text(&format_stat(hist.hi), x + col_w - 2.0, h - 1.0)?;
                }
            }
            ctx.set_text_align("left");
        }
        self.hover.show(&self.canvas, panels)
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(at: &Mount, model: &Model) -> WebResult<View> {
        // Real CIFAR-10 images replace the stand-in as soon as the Worker has them.
        crate::training::client::ensure_started()?;
        let (root, lang) = (at.root, at.lang);
        let t = |key| lang.text(key);

        let figure: HtmlElement = dom::create("div", "figure-panel init-figure")?;
        let source = dom::text_element("p", "init-source", "")?;
        source.set_id("init-source");
        let verdict = dom::text_element("p", "init-verdict", "")?;
        verdict.set_id("init-verdict");
        verdict.set_attribute("role", "status")?;
        verdict.set_attribute("aria-live", "polite")?;
        let wrap: HtmlElement = dom::create("div", "init-canvas-wrap card")?;
        let canvas =
            HiDpiCanvas::picture("init-canvas", "init-canvas", t(Key::InitCanvasDescription))?;
        dom::append(&wrap, &canvas.element)?;
        let hover = Hover::attach(&canvas, lang)?;
        let note = dom::text_element("p", "init-note", t(Key::InitHistNote))?;
        let table: HtmlElement = dom::create("table", "init-table")?;
        table.set_id("init-table");
        for part in [&source, &verdict, &wrap, &note, &table] {
            dom::append(&figure, part)?;
        }

        let controls: HtmlElement = dom::create("aside", "controls card")?;
        let s = model.settings();
        let init_options: Vec<(&str, &str)> = INIT_LABELS.iter().map(|&(n, k)| (n, t(k))).collect();
        let init = Select::new(t(Key::InitInitLabel), &init_options, s.init)?;
        init.element.set_id("init-init");
        let scale = Slider::new(
            t(Key::InitScaleLabel),
            "",
            SCALE_SCALE,
            f64::from(s.scale),
            format_scale,
        )?;
        scale.root.set_id("init-scale");
        let depth_options: Vec<(&str, &str)> = Depth::ALL
            .iter()
            .map(|&d| (d.name(), t(depth_label(d))))
            .collect();
        let depth = Select::new(t(Key::InitNetworkLabel), &depth_options, s.depth.name())?;
        depth.element.set_id("init-depth");
        let act_options: Vec<(&str, &str)> = ACTIVATIONS
            .iter()
            .map(|&a| (a.name(), t(activation_label(a))))
            .collect();
        let activation = Select::new(
            t(Key::InitActivationLabel),
            &act_options,
            s.activation.name(),
        )?;
        activation.element.set_id("init-activation");
        let seed_field: HtmlElement = dom::create("label", "field")?;
        dom::add_text(&seed_field, "span", "field-label", t(Key::InitSeedLabel))?;
        let seed_row: HtmlElement = dom::add(&seed_field, "span", "init-seed-row")?;
        let seed: HtmlInputElement = dom::add(&seed_row, "input", "slider-number init-seed")?;
        seed.set_type("number");
        seed.set_min("0");
        seed.set_id("init-seed");
        seed.set_value(&s.seed.to_string());
        let redraw = Button::new(t(Key::InitRedraw), "primary")?;
        redraw.element.set_id("init-redraw");
        dom::append(&seed_row, &redraw.element)?;
        for part in [
            &init.root,
            &scale.root,
            &depth.root,
            &activation.root,
            &seed_field,
        ] {
            dom::append(&controls, part)?;
        }
        dom::add_text(
            &controls,
            "p",
            "init-lecture-note",
            t(Key::WeightInitSentence),
        )?;

        let layout: HtmlElement = dom::create("div", "init-layout")?;
        dom::append(&layout, &figure)?;
        dom::append(&layout, &controls)?;
        dom::append(root, &layout)?;
        dom::name_controls(&[
            (&init.root, "init"),
            (&scale.root, "scale"),
            (&depth.root, "network"),
            (&activation.root, "activation"),
            (&seed_field, "seed"),
            (&table, "table"),
        ]);

        Ok(View {
            lang,
            canvas,
            hover,
            needs_fit: Rc::new(Cell::new(true)),
            init,
            scale,
            depth,
            activation,
            seed,
            redraw,
            source,
            verdict,
            table,
            table_rows: 0,
            drawn: None,
            shown_status: None,
            listeners: Vec::new(),
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        let init = bind.edit(Model::settings, Model::set, |s, name: String| {
            s.init = nnlab::init::NAMES
                .into_iter()
                .find(|n| *n == name)
                .ok_or_else(|| nnlab::Error::unknown("initialiser", &name, &nnlab::init::NAMES))?;
            Ok(())
        });
        bind.keep(self.init.on_change(init)?);
        let scale = bind.edit(Model::settings, Model::set, |s, v: f64| {
            s.scale = v as f32;
            Ok(())
        });
        bind.keep(self.scale.on_input(scale)?);
        let depth = bind.edit(Model::settings, Model::set, |s, name: String| {
            s.depth = Depth::from_name(&name)?;
            Ok(())
        });
        bind.keep(self.depth.on_change(depth)?);
        let activation = bind.edit(Model::settings, Model::set, |s, name: String| {
            s.activation = Activation::from_name(&name)?;
            Ok(())
        });
        bind.keep(self.activation.on_change(activation)?);
        let mut seed = bind.edit(Model::settings, Model::set, |s, v: u64| {
            s.seed = v;
            Ok(())
        });
        let field = self.seed.clone();
        bind.keep(Listener::new(&self.seed, "change", move |_: Event| {
            let typed = field.value().trim().parse::<u64>();
            field
                .class_list()
                .toggle_with_force("invalid", typed.is_err())?;
            typed.map_or(Ok(()), &mut seed)
        })?);
        bind.keep(self.redraw.on_click(bind.act(Model::redraw))?);
        bind.keep(Listener::flag_on_resize(&self.needs_fit)?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let s = model.settings();
        self.scale.set_visible(s.uses_scale());
        self.init.set_value(s.init);
        self.depth.set_value(s.depth.name());
        self.activation.set_value(s.activation.name());
        let typing = dom::document()?
            .active_element()
            .is_some_and(|a| a == **self.seed);
        if !typing && self.seed.value() != s.seed.to_string() {
            self.seed.set_value(&s.seed.to_string());
        }

        let status = data_store::status();
        if self.shown_status.as_ref() != Some(&status)
            || self.drawn.map(|d| d.0) != Some(model.revision())
        {
            let text = match (model.source(), &status) {
                (Source::Cifar, _) => lang.text(Key::InitSourceCifar).to_string(),
                (Source::StandIn, DataStatus::Loading { fraction }) => lang.fill(
                    Key::InitSourceLoading,
                    &[("percent", &format_percent(*fraction))],
                ),
                (Source::StandIn, _) => lang.text(Key::InitSourceStandIn).to_string(),
            };
            dom::set_text_if_changed(&self.source, &text);
            self.source
                .class_list()
                .toggle_with_force("stand-in", model.source() == Source::StandIn)?;
            self.shown_status = Some(status);
        }

        let verdict = if let Some(err) = model.error() {
            lang.fill(Key::InitError, &[("error", &err.to_string())])
        } else {
            match model.verdict() {
                Some(v) => lang.text(verdict_text(v)).to_string(),
                None => lang.text(Key::InitComputing).to_string(),
            }
        };
        dom::set_text_if_changed(&self.verdict, &verdict);
        let warn = model.error().is_some()
            || matches!(
                model.verdict(),
                Some(
                    super::model::Verdict::Vanishing
                        | super::model::Verdict::Exploding
                        | super::model::Verdict::Symmetric
                )
            );
        self.verdict
            .class_list()
            .toggle_with_force("warning", warn)?;

        let rows = model.layer_count() + 1;
        if self.needs_fit.replace(false) || self.table_rows != rows || self.drawn.is_none() {
            let width = self
                .canvas
                .element
                .parent_element()
                .map(|p| p.client_width().max(0) as u32)
                .unwrap_or(MAX_CANVAS_WIDTH)
                .saturating_sub(24)
                .clamp(MIN_CANVAS_WIDTH, MAX_CANVAS_WIDTH);
            let k = text_zoom(&self.canvas, model.layer_count())?;
            let height = (base_height(model.layer_count()) * k).round() as u32;
            if self.canvas.resize(width, height)? {
                self.drawn = None;
            }
        }
        if self.table_rows != rows {
            self.build_table(model.layer_count())?;
            self.table_rows = rows;
        }
        let key = (model.revision(), self.canvas.css_size());
        if self.drawn != Some(key) {
            self.fill_table(model)?;
            self.draw_canvas(model)?;
            self.drawn = Some(key);
        }
        Ok(())
    }
}

/// One histogram in the box `(x, y, w, h)`, with its std (and share of
/// exact zeros) written in the corner at text zoom `k`; an empty frame while computing.
fn draw_histogram(
    ctx: &CanvasRenderingContext2d,
    (x, y, w, h): (f64, f64, f64, f64),
    hist: Option<&Histogram>,
    summary: Option<&Summary>,
    color: &str,
    k: f64,
) -> WebResult<()> {
    ctx.set_fill_style_str(palette::current().panel);
    ctx.fill_rect(x, y, w, h);
    let line_h = 12.0 * k + 2.0;
    // The std, and the share of zeros on a second line when one is too long for the box.
    let lines: Vec<String> = match summary {
        Some(s) => {
            let std = format!("σ {}", format_stat(s.std));
            let zeros =
                (s.zero_fraction > 0.0).then(|| format!("0: {}", format_percent(s.zero_fraction)));
            match zeros {
                Some(z) if text_size::approx_width(&format!("{std} · {z}"), line_h) > w - 8.0 => {
                    vec![std, z]
                }
                Some(z) => vec![format!("{std} · {z}")],
                None => vec![std],
            }
        }
        None => Vec::new(),
    };
    let plot_h = h - line_h * lines.len().max(1) as f64;
    if let Some(hist) = hist {
        let peak = f64::from(hist.peak().max(1));
        let bar_w = w / hist.counts.len() as f64;
        ctx.set_fill_style_str(color);
        for (i, &c) in hist.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            // At least 1 px, so a bin with a few values still shows.
            let bh = (f64::from(c) / peak * plot_h).max(1.0);
            ctx.fill_rect(
                x + i as f64 * bar_w + 0.5,
                y + h - bh,
                (bar_w - 1.0).max(1.0),
                bh,
            );
        }
        // Where 0 lies, when it is inside the range.
        if hist.lo < 0.0 && hist.hi > 0.0 {
            let zx = x + (-hist.lo) / (hist.hi - hist.lo) * w;
            ctx.set_stroke_style_str(palette::current().muted);
            ctx.begin_path();
            ctx.move_to(zx.round() + 0.5, y + 12.0);
            ctx.line_to(zx.round() + 0.5, y + h);
            ctx.stroke();
        }
    }
    if !lines.is_empty() {
        ctx.set_font(&font("", 12.0, MONO, k));
        ctx.set_fill_style_str(palette::current().ink);
        ctx.set_text_baseline("top");
        ctx.set_text_align("right");
        for (i, line) in lines.iter().enumerate() {
            ctx.fill_text(line, x + w - 4.0, y + 2.0 + line_h * i as f64)?;
        }
        ctx.set_text_align("left");
        ctx.set_text_baseline("middle");
    }
    Ok(())
}

fn layer_name(lang: Lang, n: usize, inputs: usize, outputs: usize) -> String {
    lang.fill(
        Key::InitLayerName,
        &[
            ("n", &n.to_string()),
            ("in", &inputs.to_string()),
            ("out", &outputs.to_string()),
        ],
    )
}

fn format_scale(v: f64) -> String {
    format_stat(v)
}
