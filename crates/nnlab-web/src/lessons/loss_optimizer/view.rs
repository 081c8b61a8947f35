//! The page of the loss lesson: the three bar charts (drag the logits), the
//! true class, the presets, the read-outs, the logits as sliders, and the
//! optimiser cards with their links to the race. Handlers only change the
//! [`Model`]; each frame [`View::catch_up`] brings the page in line with it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::{CanvasRenderingContext2d, Event, HtmlAnchorElement, HtmlElement};

use super::bars::{BarLayout, Panel};
use super::model::{Model, Preset, CLASSES, LOGIT_RANGE};
use super::optimizers::{prepare_code, race_link, CARDS};
use crate::draw::palette;
use crate::draw::text_size;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::page::{self, Redraw};
use crate::lessons::kit::pictures::CLASS_KEYS;
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, pointer_offset, Button, HiDpiCanvas, Listener, Scale, Select, Slider};

const LOGIT_SCALE: Scale = Scale::linear(-12.0, 12.0, 0.1);

/// The loss lesson's page: the bar charts, the true class, the presets and the readouts.
pub struct View {
    lang: Lang,
    canvas: HiDpiCanvas,
    layout: Rc<Cell<Option<BarLayout>>>,
    truth: Select,
    presets: Vec<(Preset, Button)>,
    sliders: Vec<Slider>,
    loss: HtmlElement,
    p_true: HtmlElement,
    predicted: HtmlElement,
    accuracy: HtmlElement,
    grad_sum: HtmlElement,
    redraw: Redraw,
    listeners: Vec<Listener>,
}

impl View {
    /// Sizes the canvas to its column; true if it changed.
    fn fit(&mut self) -> WebResult<bool> {
        let parent = self
            .canvas
            .element
            .parent_element()
            .map(|p| p.client_width().max(0) as u32)
            .unwrap_or(800);
        let width = parent.clamp(300, 900);
        let height = (f64::from(width) * 0.56).clamp(380.0, 480.0) as u32;
        self.canvas.resize(width, height)
    }

    fn draw(&self, model: &Model) -> WebResult<()> {
        let Some((ctx, w, h)) = self.canvas.context()? else {
            return Ok(());
        };
        let layout = BarLayout::new(w, h);
        self.layout.set(Some(layout));
        ctx.set_fill_style_str(palette::current().paper);
        ctx.fill_rect(0.0, 0.0, w, h);
        let lang = self.lang;
        let d = model.derived();
        let truth = model.truth();
        let logits: Vec<f64> = model.logits().iter().map(|&v| f64::from(v)).collect();
        let probs: Vec<f64> = d.probs.iter().map(|&v| f64::from(v)).collect();
        let grad: Vec<f64> = d.grad.iter().map(|&v| f64::from(v)).collect();
        let charts = [
            (
                &layout.logits,
                Key::LossLogitsHeading,
                &logits,
                [12.0, 0.0, -12.0],
            ),
            (
                &layout.probs,
                Key::LossProbsHeading,
                &probs,
                [1.0, 0.5, 0.0],
            ),
            (&layout.grad, Key::LossGradHeading, &grad, [1.0, 0.0, -1.0]),
        ];
        for (i, (panel, title, values, ticks)) in charts.into_iter().enumerate() {
            draw_axes(&ctx, &layout, panel, lang.text(title), &ticks)?;
            for (j, &v) in values.iter().enumerate() {
                let color = match i {
                    2 if v > 0.0 => palette::current().warm,
                    _ if j == truth => palette::current().true_class,
                    _ => palette::current().accent,
                };
                let label = match i {
                    0 => format_logit(v),
                    1 => format_probability(v as f32),
                    _ => format!("{v:+.2}"),
                };
                draw_bar(&ctx, &layout, panel, j, v, color, &label)?;
                if i == 0 {
                    // Logits are what the student drags: a knob on each bar's end
                    // gives even a bar of height 0 something to grab.
                    draw_handle(&ctx, layout.column_centre(j), panel.y_of(v), color)?;
                }
            }
        }
        // The class names, the true one bold and green.
        let cw = layout.column_width();
        let size = (cw / 6.2).clamp(9.0, 13.0);
        let font = |bold: bool| {
            format!(
                "{}{size:.0}px system-ui, sans-serif",
                if bold { "bold " } else { "" }
            )
        };
        ctx.set_text_align("center");
        // On a narrow canvas (a phone) the names do not fit their columns:
        // every other one goes a line lower, so neighbours never touch.
        let widest = CLASS_KEYS
            .into_iter()
            .map(|key| text_size::approx_width(lang.text(key), size))
            .fold(0.0, f64::max);
        let staggered = widest > cw - 4.0;
        for (j, key) in CLASS_KEYS.into_iter().enumerate() {
            let is_truth = j == truth;
            ctx.set_font(&font(is_truth));
            ctx.set_fill_style_str(if is_truth {
                palette::current().true_class
            } else {
                palette::current().ink
            });
            let y = match (staggered, j % 2) {
                (false, _) => layout.names_y,
                (true, 0) => layout.names_y - size * 0.3,
                (true, _) => layout.names_y + size * 0.75,
            };
            ctx.fill_text(lang.text(key), layout.column_centre(j), y)?;
        }
        Ok(())
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        let layout: HtmlElement = dom::create("div", "loss-layout")?;
        // Left: the bars and the read-outs.
        let figure: HtmlElement = dom::add(&layout, "div", "loss-figure")?;
        let wrap: HtmlElement = dom::add(&figure, "div", "canvas-wrap loss-canvas-wrap")?;
        let canvas =
            HiDpiCanvas::picture("loss-canvas", "loss-canvas", t(Key::LossCanvasDescription))?;
        dom::append(&wrap, &canvas.element)?;
        let (readouts, [loss, p_true, predicted, accuracy, grad_sum]) = page::readouts(
            &figure,
            [
                (t(Key::LossReadoutLoss), "loss-value"),
                (t(Key::LossReadoutPTrue), "loss-p-true"),
                (t(Key::LossReadoutPredicted), "loss-predicted"),
                (t(Key::LossReadoutAccuracy), "loss-accuracy"),
                (t(Key::LossReadoutGradSum), "loss-grad-sum"),
            ],
        )?;
        readouts.class_list().add_1("loss-readouts")?;

        // Right: the true class, the presets, the explanations.
        let controls: HtmlElement = dom::add(&layout, "div", "card controls loss-controls")?;
        let names: Vec<String> = (0..CLASSES).map(|j| j.to_string()).collect();
        let options: Vec<(&str, &str)> = names
            .iter()
            .zip(CLASS_KEYS)
            .map(|(v, key)| (v.as_str(), t(key)))
            .collect();
        let truth = Select::new(t(Key::LossTruthLabel), &options, &model.truth().to_string())?;
        truth.element.set_id("loss-truth");
        dom::append(&controls, &truth.root)?;
        let preset_box: HtmlElement = dom::add(&controls, "div", "field loss-presets")?;
        dom::add_text(&preset_box, "span", "field-label", t(Key::LossPresetsLabel))?;
        let mut presets = Vec::new();
        for (i, preset) in Preset::ALL.into_iter().enumerate() {
            let button = Button::new("", "loss-preset")?;
            button
                .element
                .set_id(&format!("loss-preset-{}", preset.slug()));
            dom::add_text(&button.element, "kbd", "", &(i + 1).to_string())?;
            dom::add_text(&button.element, "span", "", t(preset_name(preset)))?;
            dom::append(&preset_box, &button.element)?;
            presets.push((preset, button));
        }
        for key in [Key::LossExplainUniform, Key::LossExplainAccuracy] {
            dom::add_text(&controls, "p", "loss-note", t(key))?;
        }
        dom::append(root, &layout)?;

        // The logits as numbers, and what the loss and its gradient mean.
        let details: HtmlElement = dom::create("div", "loss-details")?;
        let slider_card: HtmlElement = dom::add(&details, "section", "card loss-card")?;
        dom::add_text(
            &slider_card,
            "h3",
            "loss-heading",
            t(Key::LossSlidersHeading),
        )?;
        let grid: HtmlElement = dom::add(&slider_card, "div", "loss-sliders")?;
        let mut sliders = Vec::new();
        for (j, key) in CLASS_KEYS.into_iter().enumerate() {
            let slider = Slider::new(
                t(key),
                "",
                LOGIT_SCALE,
                f64::from(model.logits()[j]),
                format_logit,
            )?;
            slider.root.set_id(&format!("loss-logit-{j}"));
            dom::append(&grid, &slider.root)?;
            sliders.push(slider);
        }
        let meaning: HtmlElement = dom::add(&details, "section", "card loss-card")?;
        for key in [Key::LossExplainCe, Key::LossExplainGrad] {
            dom::add_text(&meaning, "p", "loss-note", t(key))?;
        }
        dom::append(root, &details)?;
        dom::name_controls(&[
            (&truth.root, "truth"),
            (&preset_box, "presets"),
            (&readouts, "readouts"),
            (&details, "logits"),
        ]);

        build_optimizers(root, lang)?;

        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            lang,
            canvas,
            layout: Rc::new(Cell::new(None)),
            truth,
            presets,
            sliders,
            loss,
            p_true,
            predicted,
            accuracy,
            grad_sum,
            redraw,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        let truth = bind.with(|m: &mut Model, value: String| {
            m.set_truth(value.parse::<usize>().unwrap_or(usize::MAX))
        });
        bind.keep(self.truth.on_change(truth)?);
        for (preset, button) in &self.presets {
            let preset = *preset;
            bind.keep(button.on_click(bind.act(move |m: &mut Model| m.apply_preset(preset)))?);
        }
        for (j, slider) in self.sliders.iter().enumerate() {
            bind.keep(slider.on_input(bind.with(move |m: &mut Model, v| m.set_logit(j, v)))?);
        }
        bind.keep(on_bar_drag(&self.canvas, self.layout.clone(), &bind)?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let resized = self.redraw.take_resize() && self.fit()?;
        if !self.redraw.due(resized, model.revision()) {
            return Ok(());
        }
        let lang = self.lang;
        let d = model.derived();
        let truth = model.truth();
        self.truth.set_value(&truth.to_string());
        for (j, slider) in self.sliders.iter().enumerate() {
            slider.set_value(f64::from(model.logits()[j]));
        }
        let current = model.current_preset();
        for (preset, button) in &self.presets {
            button
                .element
                .class_list()
                .toggle_with_force("active", Some(*preset) == current)?;
        }
        dom::set_text_if_changed(&self.loss, &format!("{:.3}", d.loss));
        dom::set_text_if_changed(&self.p_true, &format_probability(d.probs[truth]));
        let name = lang.text(CLASS_KEYS[d.predicted]);
        let right = d.predicted == truth;
        // Equal largest logits: no single prediction (argmax would just take the first).
        let top = model.logits()[d.predicted];
        let tied = model.logits().iter().filter(|&&z| z == top).count();
        let (predicted, accuracy) = if tied > 1 {
            (
                lang.fill(Key::LossPredTie, &[("n", &tied.to_string())]),
                "—",
            )
        } else if right {
            (lang.fill(Key::LossPredRight, &[("class", name)]), "100 %")
        } else {
            (lang.fill(Key::LossPredWrong, &[("class", name)]), "0 %")
        };
        dom::set_text_if_changed(&self.predicted, &predicted);
        dom::set_text_if_changed(&self.accuracy, accuracy);
        let sum: f32 = d.grad.iter().sum();
        // −0.000 reads as a mistake; the sum is zero up to rounding.
        let sum = if sum.abs() < 5e-4 { 0.0 } else { sum };
        dom::set_text_if_changed(&self.grad_sum, &format!("{sum:.3}"));
        self.draw(model)
    }
}

fn draw_axes(
    ctx: &CanvasRenderingContext2d,
    layout: &BarLayout,
    panel: &Panel,
    title: &str,
    ticks: &[f64; 3],
) -> WebResult<()> {
    ctx.set_font("600 13px system-ui, sans-serif");
    ctx.set_text_align("left");
    ctx.set_fill_style_str(palette::current().ink);
    ctx.fill_text(title, layout.left(), panel.title_y)?;
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_align("right");
    ctx.set_line_width(1.0);
    for &v in ticks {
        let y = panel.y_of(v).round() + 0.5;
        ctx.set_stroke_style_str(if v == 0.0 {
            palette::current().muted
        } else {
            palette::current().grid
        });
        ctx.begin_path();
        ctx.move_to(layout.left(), y);
        ctx.line_to(layout.width - 10.0, y);
        ctx.stroke();
        ctx.set_fill_style_str(palette::current().muted);
        ctx.fill_text(&format!("{v}"), layout.left() - 6.0, y + 4.0)?;
    }
    Ok(())
}

/// A bar from the panel's zero (or its bottom, if 0 is below it) to `v`, its value written at its end.
fn draw_bar(
    ctx: &CanvasRenderingContext2d,
    layout: &BarLayout,
    panel: &Panel,
    j: usize,
    v: f64,
    color: &str,
    label: &str,
) -> WebResult<()> {
    let cw = layout.column_width();
    let bw = (cw * 0.62).max(2.0);
    let x = layout.column_centre(j) - bw / 2.0;
    let base = panel.y_of(0.0_f64.max(panel.min));
    let end = panel.y_of(v);
    let (top, height) = if end < base {
        (end, base - end)
    } else {
        (base, end - base)
    };
    ctx.set_fill_style_str(color);
    ctx.fill_rect(x, top, bw, height.max(1.0));
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_text_align("center");
    ctx.set_fill_style_str(palette::current().ink);
    // Above a rising bar, below a falling one; inside the panel either way.
    // (Clear of the logits' drag knob, which sits on the bar's end.)
    let y = if end <= base {
        (end - 10.0).max(panel.top + 9.0)
    } else {
        (end + 18.0).min(panel.bottom + 11.0)
    };
    ctx.fill_text(label, layout.column_centre(j), y)?;
    Ok(())
}

/// A round knob with a grip line, where a dragged bar ends.
fn draw_handle(ctx: &CanvasRenderingContext2d, x: f64, y: f64, color: &str) -> WebResult<()> {
    const RADIUS: f64 = 6.5;
    ctx.begin_path();
    ctx.arc(x, y, RADIUS, 0.0, std::f64::consts::TAU)?;
    ctx.set_fill_style_str(palette::current().paper);
    ctx.fill();
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(color);
    ctx.stroke();
    ctx.begin_path();
    ctx.move_to(x - 3.0, y);
    ctx.line_to(x + 3.0, y);
    ctx.stroke();
    Ok(())
}

/// Press on a logit bar and drag: the bar follows the pointer.
fn on_bar_drag(
    canvas: &HiDpiCanvas,
    layout: Rc<Cell<Option<BarLayout>>>,
    bind: &Binder<Model>,
) -> WebResult<Vec<Listener>> {
    let dragging: Rc<Cell<Option<usize>>> = Rc::new(Cell::new(None));
    let (element, d, lay) = (canvas.element.clone(), dragging.clone(), layout.clone());
    let mut press = bind.with(|m: &mut Model, (j, value): (usize, f64)| m.set_logit(j, value));
    let down = Listener::new(&canvas.element, "pointerdown", move |event: Event| {
        let (Some(l), Some((x, y))) = (lay.get(), pointer_offset(&element, &event)) else {
            return Ok(());
        };
        let Some(j) = l.column_at(x).filter(|_| l.logits.holds(y)) else {
            return Ok(());
        };
        event.prevent_default();
        d.set(Some(j));
        press((j, snap(l.logits.value_at(y))))
    })?;
    let (element, d) = (canvas.element.clone(), dragging.clone());
    let mut drag = bind.with(|m: &mut Model, (j, value): (usize, f64)| m.set_logit(j, value));
    let moved = Listener::new(&dom::window()?, "pointermove", move |event: Event| {
        let at = pointer_offset(&element, &event);
        let (Some(j), Some(l), Some((_, y))) = (d.get(), layout.get(), at) else {
            return Ok(());
        };
        drag((j, snap(l.logits.value_at(y))))
    })?;
    let up = Listener::new(&dom::window()?, "pointerup", move |_: Event| {
        dragging.set(None);
        Ok(())
    })?;
    Ok(vec![down, moved, up])
}

/// Dragged values land on tenths, as the sliders do.
fn snap(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The lecture's `model.prepare(...)`, its words on optimisation, a card per
/// optimiser with a link to the race, and the advice on choosing.
fn build_optimizers(root: &HtmlElement, lang: Lang) -> WebResult<()> {
    let t = |key| lang.text(key);
    let section: HtmlElement = dom::create("section", "loss-optim")?;
    section.set_id("loss-optim");
    dom::name_control(&section, "optimizers");
    dom::add_text(&section, "h3", "loss-section-title", t(Key::LossOptHeading))?;
    let top: HtmlElement = dom::add(&section, "div", "loss-optim-top")?;
    let code_card: HtmlElement = dom::add(&top, "div", "card loss-card")?;
    dom::add_text(&code_card, "p", "loss-note", t(Key::LossPrepareCaption))?;
    let code = dom::add_text(&code_card, "pre", "loss-code", &prepare_code(lang))?;
    code.set_id("loss-prepare-code");
    let words: HtmlElement = dom::add(&top, "div", "card loss-card")?;
    dom::add_text(&words, "p", "loss-note", t(Key::LossOptLecture))?;
    dom::add_text(&words, "p", "loss-note muted", t(Key::LossOptRulesIntro))?;

    let cards: HtmlElement = dom::add(&section, "div", "loss-opt-cards")?;
    for card in &CARDS {
        let item: HtmlElement = dom::add(&cards, "article", "card loss-opt-card")?;
        item.set_id(&format!("loss-opt-{}", card.kind.name()));
        dom::add_text(&item, "h4", "loss-opt-name", t(card.name))?;
        dom::add_text(&item, "pre", "loss-rule", card.rule)?;
        dom::add_text(&item, "p", "loss-opt-note", t(card.note))?;
        let link: HtmlAnchorElement = dom::add(&item, "a", "btn loss-race-link")?;
        link.set_href(&race_link(card));
        link.set_text_content(Some(t(Key::LossRaceButton)));
    }

    let advice: HtmlElement = dom::add(&section, "div", "card loss-card loss-advice")?;
    dom::add_text(&advice, "h4", "loss-opt-name", t(Key::LossAdviceHeading))?;
    let list: HtmlElement = dom::add(&advice, "ol", "")?;
    for key in [Key::LossAdvice1, Key::LossAdvice2] {
        dom::add_text(&list, "li", "", t(key))?;
    }
    dom::append(root, &section)
}

fn preset_name(preset: Preset) -> Key {
    match preset {
        Preset::ConfidentRight => Key::LossPresetRight,
        Preset::Uniform => Key::LossPresetUniform,
        Preset::RightButUnsure => Key::LossPresetUnsure,
        Preset::ConfidentWrong => Key::LossPresetWrong,
    }
}

/// A logit to one decimal (what the sliders step by).
pub fn format_logit(v: f64) -> String {
    let v = v.clamp(*LOGIT_RANGE.start(), *LOGIT_RANGE.end());
    if v.abs() < 0.05 {
        "0".into()
    } else {
        format!("{v:.1}")
    }
}

/// A probability as a percentage, with more digits when it is tiny.
pub fn format_probability(p: f32) -> String {
    let pct = f64::from(p) * 100.0;
    if pct >= 9.95 {
        format!("{pct:.0}%")
    } else if pct >= 0.095 {
        format!("{pct:.1}%")
    } else {
        format!("{pct:.2}%")
    }
}
