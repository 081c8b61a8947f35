//! The page side of the network lesson: the builder's fields, the summary
//! table as an HTML table, the totals, and the drawing. Handlers only change
//! the [`Model`]; each frame the page catches up with it.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::nn::{thousands, Activation, MAX_PARAMS};
use web_sys::{Element, HtmlElement, HtmlInputElement};

use super::drawing;
use super::model::{
    thousands_wide, Model, Part, Preset, Problem, ACTIVATIONS, MAX_BATCH, MAX_LAYERS,
};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::labels;
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, Listener, Select};

/// The network lesson's page: the fields, the summary table and the picture of the layers.
pub struct View {
    lang: Lang,
    preset: Select,
    input: HtmlInputElement,
    layers: HtmlInputElement,
    batch: HtmlInputElement,
    activation: Select,
    message: HtmlElement,
    results: HtmlElement,
    table_body: HtmlElement,
    totals: HtmlElement,
    picture: HtmlElement,
    drawn: Option<u64>,
    synced_controls: Option<u64>,
    listeners: Vec<Listener>,
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        let controls: HtmlElement = dom::create("aside", "card net-controls")?;
        let presets: Vec<(&str, &str)> = Preset::ALL
            .iter()
            .map(|&p| (p.name(), t(preset_label(p))))
            .collect();
        let preset = Select::new(t(Key::NetworkPresetLabel), &presets, model.preset().name())?;
        preset.element.set_id("network-preset");
        dom::append(&controls, &preset.root)?;
        let input = text_field(
            &controls,
            t(Key::NetworkFieldInput),
            t(Key::NetworkInputHint),
            "network-input",
        )?;
        let layers = text_field(
            &controls,
            t(Key::NetworkFieldLayers),
            t(Key::NetworkLayersHint),
            "network-layers",
        )?;
        let caption = t(Key::NetworkActivationLabel);
        let activation = labels::activation_menu(caption, &ACTIVATIONS, model.activation())?;
        activation.element.set_id("network-activation");
        dom::append(&controls, &activation.root)?;
        let batch = text_field(
            &controls,
            t(Key::NetworkFieldBatch),
            t(Key::NetworkBatchHint),
            "network-batch",
        )?;

        let main: HtmlElement = dom::create("div", "net-main")?;
        let message = dom::add_text(&main, "p", "net-message", "")?;
        message.set_id("network-message");
        message.set_attribute("role", "alert")?;
        let results: HtmlElement = dom::add(&main, "div", "net-results")?;
        let table_card: HtmlElement = dom::add(&results, "section", "card net-table-card")?;
        let table: HtmlElement = dom::add(&table_card, "table", "net-summary")?;
        table.set_id("network-summary");
        let thead: HtmlElement = dom::add(&table, "thead", "")?;
        let header: HtmlElement = dom::add(&thead, "tr", "")?;
        for key in [
            Key::NetworkColLayer,
            Key::NetworkColInput,
            Key::NetworkColOutput,
            Key::NetworkColParams,
        ] {
            dom::add_text(&header, "th", "", t(key))?;
        }
        let table_body: HtmlElement = dom::add(&table, "tbody", "")?;
        let totals: HtmlElement = dom::add(&table_card, "div", "net-totals")?;
        totals.set_id("network-totals");
        let picture: HtmlElement = dom::add(&results, "section", "card net-picture")?;

        let layout: HtmlElement = dom::create("div", "net-layout")?;
        dom::append(&layout, &controls)?;
        dom::append(&layout, &main)?;
        dom::append(root, &layout)?;
        dom::name_controls(&[
            (&preset.root, "preset"),
            (&activation.root, "activation"),
            (&table_card, "table"),
            (&picture, "picture"),
        ]);
        // A text field's control is its label (caption, field and hint).
        for (field, name) in [(&input, "input"), (&layers, "layers"), (&batch, "batch")] {
            if let Some(label) = field.parent_element() {
                dom::name_control(&label, name);
            }
        }
        Ok(View {
            lang,
            preset,
            input,
            layers,
            batch,
            activation,
            message,
            results,
            table_body,
            totals,
            picture,
            drawn: None,
            synced_controls: None,
            listeners: Vec::new(),
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        let preset = bind.with(|m: &mut Model, name: String| {
            if let Some(preset) = Preset::from_name(&name) {
                m.choose_preset(preset);
            }
        });
        bind.keep(self.preset.on_change(preset)?);
        let activation = bind.with(|m: &mut Model, name: String| {
            Activation::from_name(&name).map(|a| m.set_activation(a))
        });
        bind.keep(self.activation.on_change(activation)?);
        for (element, part) in [
            (&self.input, Part::Input),
            (&self.layers, Part::Layers),
            (&self.batch, Part::Batch),
        ] {
            bind.on_text(element, move |m: &mut Model, text| m.set_text(part, text))?;
        }
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        if self.synced_controls != Some(model.controls_revision()) {
            let texts = model.texts();
            self.input.set_value(&texts.input);
            self.layers.set_value(&texts.layers);
            self.batch.set_value(&texts.batch);
            self.activation.set_value(model.activation().name());
            self.synced_controls = Some(model.controls_revision());
        }
        if self.drawn == Some(model.revision()) {
            return Ok(());
        }
        self.preset.set_value(model.preset().name());
        let lang = self.lang;
        let problem = model.built().err();
        for (element, part) in [
            (&self.input, Part::Input),
            (&self.layers, Part::Layers),
            (&self.batch, Part::Batch),
        ] {
            let bad = problem.is_some_and(|p| problem_part(p) == Some(part));
            element.class_list().toggle_with_force("invalid", bad)?;
        }
        match model.built() {
            Ok((spec, _, summary)) => {
                dom::set_text_if_changed(&self.message, "");
                self.results.set_hidden(false);
                dom::clear(&self.table_body);
                for row in &summary.rows {
                    let tr: HtmlElement = dom::add(&self.table_body, "tr", "")?;
                    for cell in [
                        row.name.clone(),
                        row.input_text(),
                        row.output_text(),
                        row.params_text(),
                    ] {
                        dom::add_text(&tr, "td", "", &cell)?;
                    }
                }
                dom::clear(&self.totals);
                let total = thousands(summary.total_params);
                let megabytes = format!("{:.1}", summary.total_params as f64 * 4.0 / 1e6);
                for (key, class, values) in [
                    (Key::NetworkTotal, "net-total", vec![("n", total.as_str())]),
                    (Key::NetworkTrainable, "", vec![("n", total.as_str())]),
                    (Key::NetworkNonTrainable, "", vec![("n", "0")]),
                    (
                        Key::NetworkMemory,
                        "muted",
                        vec![("mb", megabytes.as_str())],
                    ),
                ] {
                    dom::add_text(&self.totals, "p", class, &lang.fill(key, &values))?;
                }
                dom::clear(&self.picture);
                dom::append(&self.picture, &drawing::draw(spec, lang)?)?;
                dom::add_text(
                    &self.picture,
                    "p",
                    "net-note",
                    lang.text(Key::NetworkDrawingNote),
                )?;
            }
            Err(problem) => {
                dom::set_text_if_changed(&self.message, &problem_text(lang, problem));
                self.results.set_hidden(true);
            }
        }
        self.drawn = Some(model.revision());
        Ok(())
    }
}

/// A labelled text field with a hint under it, appended to `parent`.
fn text_field(
    parent: &HtmlElement,
    caption: &str,
    hint: &str,
    id: &str,
) -> WebResult<HtmlInputElement> {
    let label: HtmlElement = dom::create("label", "field")?;
    dom::add_text(&label, "span", "field-label", caption)?;
    let input: HtmlInputElement = dom::add(&label, "input", "net-text")?;
    input.set_type("text");
    input.set_id(id);
    input.set_attribute("spellcheck", "false")?;
    input.set_attribute("autocomplete", "off")?;
    dom::add_text(&label, "span", "field-hint", hint)?;
    let element: &Element = parent;
    dom::append(element, &label)?;
    Ok(input)
}

fn preset_label(preset: Preset) -> Key {
    match preset {
        Preset::Lecture => Key::NetworkPresetLecture,
        Preset::Cifar => Key::NetworkPresetCifar,
        Preset::Custom => Key::NetworkPresetCustom,
    }
}

fn part_name(part: Part) -> Key {
    match part {
        Part::Input => Key::NetworkFieldInput,
        Part::Layers => Key::NetworkFieldLayers,
        Part::Batch => Key::NetworkFieldBatch,
    }
}

/// Which field to mark for a problem.
fn problem_part(problem: &Problem) -> Option<Part> {
    match problem {
        Problem::Empty(part) | Problem::NotAWholeNumber(part, _) | Problem::Huge(part, _) => {
            Some(*part)
        }
        Problem::ZeroInput => Some(Part::Input),
        Problem::ZeroLayer(_) | Problem::TooManyLayers(_) | Problem::TooManyParams { .. } => {
            Some(Part::Layers)
        }
        Problem::BatchOutOfRange(_) => Some(Part::Batch),
        Problem::Core(_) => None,
    }
}

/// The message for a network that cannot be built.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    let field = |part| lang.text(part_name(part));
    match problem {
        Problem::Empty(part) => lang.fill(Key::NetworkEmpty, &[("field", field(*part))]),
        Problem::NotAWholeNumber(part, text) => lang.fill(
            Key::NetworkNotWhole,
            &[("field", field(*part)), ("text", text)],
        ),
        Problem::Huge(part, text) => {
            lang.fill(Key::NetworkHuge, &[("field", field(*part)), ("text", text)])
        }
        Problem::ZeroInput => lang.text(Key::NetworkZeroInput).to_string(),
        Problem::ZeroLayer(n) => lang.fill(Key::NetworkZeroLayer, &[("n", &n.to_string())]),
        Problem::TooManyLayers(n) => lang.fill(
            Key::NetworkTooManyLayers,
            &[("n", &n.to_string()), ("max", &MAX_LAYERS.to_string())],
        ),
        Problem::BatchOutOfRange(n) => lang.fill(
            Key::NetworkBatchRange,
            &[("n", &n.to_string()), ("max", &thousands(MAX_BATCH))],
        ),
        Problem::TooManyParams { params } => lang.fill(
            Key::NetworkTooManyParams,
            &[
                ("params", &thousands_wide(*params)),
                ("limit", &thousands(MAX_PARAMS)),
                ("gb", &thousands_wide(*params * 4 / 1_000_000_000)),
            ],
        ),
        Problem::Core(detail) => detail.clone(),
    }
}
