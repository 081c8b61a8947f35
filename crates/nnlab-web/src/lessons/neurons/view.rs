//! The page side of the neuron lesson: the layer's numbers as editable
//! fields laid out like the formula, each neuron's multiply-adds written
//! out, and the activation chart. Handlers only change the [`Model`]; each
//! frame the page catches up with it.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::nn::Activation;
use plotters::prelude::IntoDrawingArea;
use web_sys::{HtmlElement, HtmlInputElement};

use super::model::{Field, Model, ACTIVATIONS, INPUTS, LIMIT, OUTPUTS};
use super::plot;
use crate::error::{WebError, WebResult};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::labels;
use crate::lessons::kit::number::{format_value, problem_text};
use crate::lessons::kit::page::Redraw;
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, HiDpiCanvas, Listener, Select};

const PLOT_ASPECT: f64 = 0.62;
const PLOT_MAX_WIDTH: u32 = 640;

/// The neuron lesson's page: the editable layer, its sums, the activation menu and its plot.
pub struct View {
    lang: Lang,
    fields: Vec<(Field, HtmlInputElement)>,
    sums: [HtmlElement; OUTPUTS],
    pre: [HtmlElement; OUTPUTS],
    out: [HtmlElement; OUTPUTS],
    formula: HtmlElement,
    message: HtmlElement,
    note: HtmlElement,
    activation: Select,
    canvas: HiDpiCanvas,
    /// f(z) and f′(z) under the pointer or the arrow keys.
    hover: Hover,
    redraw: Redraw,
    listeners: Vec<Listener>,
}

impl View {
    fn draw_plot(&self, model: &Model) -> WebResult<()> {
        let (w, h) = self.canvas.css_size();
        if w == 0 || h == 0 {
            return Ok(());
        }
        let markers: Vec<String> = (1..=OUTPUTS)
            .map(|n| format!("z{}", subscript(n)))
            .collect();
        let labels = plot::Labels {
            function: self.lang.text(Key::NeuronsPlotFunction),
            derivative: self.lang.text(Key::NeuronsPlotDerivative),
            markers: &markers,
        };
        let area = self.canvas.backend()?.into_drawing_area();
        let drawn = plot::draw(&area, model.activation(), &model.forward().pre, &labels)
            .map_err(WebError::Draw)?;
        area.present().map_err(|e| WebError::Draw(e.to_string()))?;
        self.hover.show(&self.canvas, vec![drawn.readout])
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        // Left: the layer.
        let layer: HtmlElement = dom::create("section", "card neu-panel")?;
        dom::add_text(&layer, "h3", "neu-heading", t(Key::NeuronsLayerHeading))?;
        let formula = dom::add_text(&layer, "p", "neu-formula", "")?;
        formula.set_id("neurons-formula");
        let equation: HtmlElement = dom::add(&layer, "div", "neu-equation")?;
        let mut fields = Vec::new();
        let mut matrix = |parent: &HtmlElement,
                          caption: Key,
                          columns: usize,
                          cells: Vec<Field>|
         -> WebResult<()> {
            let block: HtmlElement = dom::create("div", "neu-block")?;
            dom::add_text(&block, "span", "neu-caption", t(caption))?;
            let grid: HtmlElement = dom::add(&block, "div", "neu-matrix")?;
            grid.style()
                .set_property("grid-template-columns", &format!("repeat({columns}, auto)"))?;
            for field in cells {
                let input: HtmlInputElement = dom::add(&grid, "input", "neu-number")?;
                input.set_type("text");
                input.set_attribute("inputmode", "decimal")?;
                input.set_attribute("spellcheck", "false")?;
                input.set_id(&field_id(field));
                input.set_attribute("aria-label", &field_name(lang, field))?;
                input.set_value(&model.value(field).to_string());
                fields.push((field, input));
            }
            dom::append(parent, &block)
        };
        matrix(
            &equation,
            Key::NeuronsWeightCaption,
            INPUTS,
            (0..OUTPUTS)
                .flat_map(|j| (0..INPUTS).map(move |i| Field::Weight(j, i)))
                .collect(),
        )?;
        dom::add_text(&equation, "span", "neu-op", "·")?;
        matrix(
            &equation,
            Key::NeuronsInputCaption,
            1,
            (0..INPUTS).map(Field::Input).collect(),
        )?;
        // "+ b" wraps as one term: a narrow card never leaves the "+" dangling
        // at the end of a line with b alone below.
        let term: HtmlElement = dom::add(&equation, "div", "neu-term")?;
        dom::add_text(&term, "span", "neu-op", "+")?;
        matrix(
            &term,
            Key::NeuronsBiasCaption,
            1,
            (0..OUTPUTS).map(Field::Bias).collect(),
        )?;
        let message = dom::add_text(&layer, "p", "neu-message", "")?;
        message.set_id("neurons-message");
        message.set_attribute("role", "alert")?;

        let sums_box: HtmlElement = dom::add(&layer, "div", "neu-sums")?;
        let mut sums = Vec::new();
        let mut pre = Vec::new();
        let mut out = Vec::new();
        for j in 0..OUTPUTS {
            let card: HtmlElement = dom::add(&sums_box, "div", "neu-neuron")?;
            dom::add_text(
                &card,
                "h4",
                "neu-neuron-title",
                &lang.fill(Key::NeuronsNeuronLabel, &[("n", &(j + 1).to_string())]),
            )?;
            let sum = dom::add_text(&card, "p", "neu-sum", "")?;
            sum.set_id(&format!("neurons-sum-{j}"));
            let results: HtmlElement = dom::add(&card, "dl", "neu-results")?;
            pre.push(result(
                &results,
                t(Key::NeuronsPreLabel),
                &format!("neurons-z-{j}"),
            )?);
            out.push(result(
                &results,
                t(Key::NeuronsOutputLabel),
                &format!("neurons-out-{j}"),
            )?);
            sums.push(sum);
        }

        // Right: the activation.
        let side: HtmlElement = dom::create("section", "card neu-panel neu-plot-panel")?;
        let caption = t(Key::NeuronsActivationLabel);
        let activation = labels::activation_menu(caption, &ACTIVATIONS, model.activation())?;
        activation.element.set_id("neurons-activation");
        dom::append(&side, &activation.root)?;
        let wrap: HtmlElement = dom::add(&side, "div", "neu-canvas-wrap")?;
        let canvas =
            HiDpiCanvas::picture("neu-canvas", "neurons-plot", t(Key::NeuronsPlotDescription))?;
        dom::append(&wrap, &canvas.element)?;
        let hover = Hover::attach(&canvas, lang)?;
        let note = dom::add_text(&side, "p", "neu-note", "")?;
        note.set_id("neurons-note");

        let layout: HtmlElement = dom::create("div", "neu-layout")?;
        dom::append(&layout, &layer)?;
        dom::append(&layout, &side)?;
        dom::append(root, &layout)?;
        dom::name_controls(&[
            (&formula, "formula"),
            (&activation.root, "activation"),
            (&sums_box, "sums"),
            (&wrap, "plot"),
        ]);

        let array = |v: Vec<HtmlElement>| -> WebResult<[HtmlElement; OUTPUTS]> {
            v.try_into()
                .map_err(|_| WebError::MissingElement("neuron read-out"))
        };
        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            lang,
            fields,
            sums: array(sums)?,
            pre: array(pre)?,
            out: array(out)?,
            formula,
            message,
            note,
            activation,
            canvas,
            hover,
            redraw,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        for (field, input) in &self.fields {
            let field = *field;
            bind.on_text(input, move |m: &mut Model, text| m.set_text(field, text))?;
        }
        let activation = bind.with(|m: &mut Model, name: String| {
            Activation::from_name(&name).map(|a| m.set_activation(a))
        });
        bind.keep(self.activation.on_change(activation)?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let resized =
            self.redraw.take_resize() && self.canvas.fit_to_parent(PLOT_ASPECT, PLOT_MAX_WIDTH)?;
        if !self.redraw.due(resized, model.revision()) {
            return Ok(());
        }
        let lang = self.lang;
        for (field, input) in &self.fields {
            input
                .class_list()
                .toggle_with_force("invalid", model.problem(*field).is_some())?;
        }
        let message = model
            .first_problem()
            .map(|(field, problem)| problem_text(lang, &field_name(lang, field), problem, LIMIT))
            .unwrap_or_default();
        dom::set_text_if_changed(&self.message, &message);

        let f = model.forward();
        let act = model.activation().name();
        // The lecture's formula, with the activation chosen.
        dom::set_text_if_changed(&self.formula, &format!("output = {act}(dot(W, input) + b)"));
        for j in 0..OUTPUTS {
            let products: Vec<String> = (0..INPUTS)
                .map(|i| {
                    format!(
                        "{}·{}",
                        paren(model.value(Field::Weight(j, i))),
                        paren(model.value(Field::Input(i)))
                    )
                })
                .collect();
            let terms: Vec<String> = f.terms[j].iter().map(|&v| paren(f64::from(v))).collect();
            let bias = paren(model.value(Field::Bias(j)));
            let z = format_value(f64::from(f.pre[j]));
            let sum = format!(
                "z{n} = {} + {bias}\n   = {} + {bias} = {z}\n{out}{n} = {act}({z}) = {}",
                products.join(" + "),
                terms.join(" + "),
                format_value(f64::from(f.out[j])),
                n = subscript(j + 1),
                out = "y",
            );
            dom::set_text_if_changed(&self.sums[j], &sum);
            dom::set_text_if_changed(&self.pre[j], &z);
            dom::set_text_if_changed(&self.out[j], &format_value(f64::from(f.out[j])));
        }
        dom::set_text_if_changed(&self.note, &note_text(lang, model));
        self.activation.set_value(model.activation().name());
        self.draw_plot(model)
    }
}

/// One labelled number under a neuron; returns the element holding the number.
fn result(list: &HtmlElement, label: &str, id: &str) -> WebResult<HtmlElement> {
    let item: HtmlElement = dom::create("div", "neu-result")?;
    dom::add_text(&item, "dt", "", label)?;
    let value = dom::add_text(&item, "dd", "", "")?;
    value.set_id(id);
    dom::append(list, &item)?;
    Ok(value)
}

fn field_id(field: Field) -> String {
    match field {
        Field::Weight(j, i) => format!("neurons-w-{j}-{i}"),
        Field::Input(i) => format!("neurons-x-{i}"),
        Field::Bias(j) => format!("neurons-b-{j}"),
    }
}

/// The field's name as the messages use it: W[1,2], input[3], b[2] (1-based, as a person counts).
fn field_name(lang: Lang, field: Field) -> String {
    let (key, values) = match field {
        Field::Weight(j, i) => (Key::NeuronsFieldWeight, [j + 1, i + 1]),
        Field::Input(i) => (Key::NeuronsFieldInput, [i + 1, 0]),
        Field::Bias(j) => (Key::NeuronsFieldBias, [j + 1, 0]),
    };
    lang.fill(
        key,
        &[
            ("row", &values[0].to_string()),
            ("col", &values[1].to_string()),
        ],
    )
}

/// What the chart says about the neurons: which are silenced or saturated.
fn note_text(lang: Lang, model: &Model) -> String {
    let f = model.forward();
    let mut notes = vec![lang.text(Key::NeuronsPlotNote).to_string()];
    for j in 0..OUTPUTS {
        let z = f.pre[j];
        let slope = model.activation().derivative(z);
        let n = (j + 1).to_string();
        let key = match model.activation() {
            Activation::Relu if z <= 0.0 => Some(Key::NeuronsSilent),
            Activation::Sigmoid | Activation::Tanh if slope < 0.05 => Some(Key::NeuronsSaturated),
            _ => None,
        };
        if let Some(key) = key {
            notes.push(lang.fill(key, &[("n", &n)]));
        }
    }
    notes.join(" ")
}

/// A number in a formula, in brackets when negative: 2·(−1).
fn paren(v: f64) -> String {
    let text = format_value(v);
    if v < 0.0 {
        format!("({text})")
    } else {
        text
    }
}

/// 1 → "₁".
pub fn subscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x2080 + (c as u32 - '0' as u32)).unwrap_or(c),
            other => other,
        })
        .collect()
}
