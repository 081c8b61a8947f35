//! The AI ⊃ ML ⊃ DL page: the three regions as a drawing whose regions are
//! buttons (click, or Tab then Enter/Space), the open region's definition and
//! examples beside it, the two programming paradigms as a diagram, the
//! technical definition and the neurobiology caution.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent};

use super::model::{Model, Region};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::page::{section_card, status_line};
use crate::lessons::kit::svg;
use crate::lessons::{LessonView, Mount};
use crate::widgets::dom::{child as add, child_text as text};
use crate::widgets::{dom, Listener};

/// The drawing's coordinate box.
const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 380.0;

/// Where each region is drawn: centre, radii and the label's height.
struct Shape {
    cx: f64,
    cy: f64,
    rx: f64,
    ry: f64,
    label_y: f64,
    fill: &'static str,
    ink: &'static str,
}

/// Each inner region inside the outer one, as the fields nest.
fn shape(region: Region) -> Shape {
    match region {
        Region::Ai => Shape {
            cx: 260.0,
            cy: 190.0,
            rx: 250.0,
            ry: 180.0,
            label_y: 52.0,
            fill: "#e8ebfd",
            ink: "#1b2233",
        },
        Region::Ml => Shape {
            cx: 285.0,
            cy: 225.0,
            rx: 180.0,
            ry: 135.0,
            label_y: 130.0,
            fill: "#b9c3fa",
            ink: "#1b2233",
        },
        Region::Dl => Shape {
            cx: 305.0,
            cy: 262.0,
            rx: 100.0,
            ry: 75.0,
            label_y: 270.0,
            fill: "#3b4fd8",
            ink: "#ffffff",
        },
    }
}

/// The AI ⊃ ML ⊃ DL page.
pub struct View {
    lang: Lang,
    regions: Vec<(Region, Element)>,
    detail_title: HtmlElement,
    detail_text: HtmlElement,
    detail_examples: HtmlElement,
    detail: HtmlElement,
    drawn: Option<u64>,
    listeners: Vec<Listener>,
}

/// The nested regions, each a focusable button of the drawing.
fn regions_drawing(lang: Lang) -> WebResult<(Element, Vec<(Region, Element)>)> {
    let drawing = svg::canvas(WIDTH, HEIGHT, "wid-drawing")?;
    drawing.set_id("wid-regions");
    dom::set_attr(&drawing, "role", "group");
    dom::set_attr(
        &drawing,
        "aria-label",
        lang.text(Key::WhatRegionsDescription),
    );
    let mut regions = Vec::new();
    for region in Region::ALL {
        let s = shape(region);
        let name = lang.text(region.title());
        let group = svg::add(
            &drawing,
            "g",
            &[
                ("class", "wid-region"),
                ("data-region", region.name()),
                ("tabindex", "0"),
                ("role", "button"),
                ("aria-label", name),
            ],
        )?;
        svg::add(
            &group,
            "ellipse",
            &[
                ("cx", &svg::num(s.cx)),
                ("cy", &svg::num(s.cy)),
                ("rx", &svg::num(s.rx)),
                ("ry", &svg::num(s.ry)),
                ("fill", s.fill),
                ("stroke", "#6b7487"),
                ("stroke-width", "1.5"),
            ],
        )?;
        let label = svg::text(&group, s.cx, s.label_y, "wid-region-label", name)?;
        dom::set_attr(&label, "fill", s.ink);
        regions.push((region, group));
    }
    Ok((drawing, regions))
}

/// "rules + data → classical programming → answers", one paradigm as a row.
fn paradigm(parent: &HtmlElement, lang: Lang, name: Key, inputs: [Key; 2], output: Key, note: Key) {
    let row = add(parent, "div", "wid-paradigm");
    let flow = add(&row, "div", "wid-flow");
    let ins = add(&flow, "div", "wid-inputs");
    for key in inputs {
        text(&ins, "span", "wid-chip", lang.text(key));
    }
    text(&flow, "span", "wid-arrow", "→");
    text(&flow, "span", "wid-box", lang.text(name));
    text(&flow, "span", "wid-arrow", "→");
    text(&flow, "span", "wid-chip wid-out", lang.text(output));
    text(&row, "p", "wid-note", lang.text(note));
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, _model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let top = add(root, "div", "wid-top");
        let figure = add(&top, "figure", "card wid-figure");
        dom::name_control(&figure, "regions");
        let (drawing, regions) = regions_drawing(lang)?;
        dom::append_node(&figure, &drawing);
        text(
            &figure,
            "figcaption",
            "wid-caption",
            t(Key::WhatRegionsCaption),
        );

        let detail = add(&top, "section", "card wid-detail");
        detail.set_id("wid-detail");
        dom::name_control(&detail, "detail");
        let detail_title = text(&detail, "h3", "wid-detail-title", "");
        let detail_text = status_line("p", "wid-detail-text", "wid-detail-text")?;
        dom::append_node(&detail, &detail_text);
        text(
            &detail,
            "h4",
            "wid-examples-title",
            t(Key::WhatExamplesHeading),
        );
        let detail_examples = add(&detail, "ul", "wid-examples");
        text(&detail, "p", "keyboard-hint", t(Key::WhatKeys));

        let paradigms = section_card(
            root,
            "wid-paradigms",
            "wid-paradigms",
            "paradigms",
            t(Key::WhatParadigmsHeading),
        );
        let pair = add(&paradigms, "div", "wid-paradigm-pair");
        paradigm(
            &pair,
            lang,
            Key::WhatClassical,
            [Key::WhatRules, Key::WhatData],
            Key::WhatAnswers,
            Key::WhatClassicalNote,
        );
        paradigm(
            &pair,
            lang,
            Key::WhatMachineLearning,
            [Key::WhatData, Key::WhatAnswers],
            Key::WhatRules,
            Key::WhatMachineLearningNote,
        );

        let cards = add(root, "div", "wid-cards");
        let definition = section_card(
            &cards,
            "wid-definition",
            "wid-definition",
            "definition",
            t(Key::WhatDefinitionHeading),
        );
        text(&definition, "p", "wid-big", t(Key::WhatDefinition));
        text(&definition, "blockquote", "wid-magic", t(Key::WhatMagic));
        let depth = text(&definition, "p", "wid-note", t(Key::WhatDefinitionNote));
        let link = text(&depth, "a", "try-link", t(Key::WhatDepthLink));
        dom::set_attr(&link, "href", "#depth");

        let brain = section_card(
            &cards,
            "wid-brain",
            "wid-brain",
            "brain",
            t(Key::WhatBrainHeading),
        );
        text(&brain, "p", "wid-big", t(Key::WhatBrainPoint));
        text(&brain, "p", "wid-note", t(Key::WhatBrainText));

        Ok(View {
            lang,
            regions,
            detail_title,
            detail_text,
            detail_examples,
            detail,
            drawn: None,
            listeners: Vec::new(),
        })
    }

    /// Each region opens on a click, and on Enter or Space while it has focus.
    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        for (region, group) in &self.regions {
            let region = *region;
            let on_click = model.clone();
            self.listeners
                .push(Listener::new(group, "click", move |_: Event| {
                    on_click.borrow_mut().open(region);
                    Ok(())
                })?);
            let on_key = model.clone();
            self.listeners
                .push(Listener::new(group, "keydown", move |event: Event| {
                    let key = event
                        .dyn_ref::<KeyboardEvent>()
                        .map(KeyboardEvent::key)
                        .unwrap_or_default();
                    if key == "Enter" || key == " " {
                        // Space would also scroll the page.
                        event.prevent_default();
                        on_key.borrow_mut().open(region);
                    }
                    Ok(())
                })?);
        }
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        if self.drawn == Some(model.revision()) {
            return Ok(());
        }
        self.drawn = Some(model.revision());
        let lang = self.lang;
        let open = model.region();
        for (region, group) in &self.regions {
            let is_open = *region == open;
            dom::set_attr(
                group,
                "aria-pressed",
                if is_open { "true" } else { "false" },
            );
            let _ = group.class_list().toggle_with_force("open", is_open);
            if let Some(ellipse) = group.first_element_child() {
                let (stroke, width) = if is_open {
                    ("#d9480f", "5")
                } else {
                    ("#6b7487", "1.5")
                };
                dom::set_attr(&ellipse, "stroke", stroke);
                dom::set_attr(&ellipse, "stroke-width", width);
            }
        }
        dom::set_attr(&self.detail, "data-region", open.name());
        dom::set_text_if_changed(&self.detail_title, lang.text(open.title()));
        dom::set_text_if_changed(&self.detail_text, lang.text(open.definition()));
        dom::clear(&self.detail_examples);
        for line in lang.text(open.examples()).lines() {
            dom::append_node(&self.detail_examples, &dom::text_node("li", "", line));
        }
        Ok(())
    }
}
