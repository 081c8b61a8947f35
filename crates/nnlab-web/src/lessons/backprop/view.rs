//! The page side of the backprop lesson: the expression menu and its input
//! values, the graph, the step controls with a sentence saying what the
//! current step does, and the finite-difference check. Handlers only change
//! the [`Model`]; each frame the page catches up with it.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement};

use super::graph;
use super::model::{Model, CHECK_TOLERANCE, LIMIT};
use super::presets::PresetId;
use super::trace::Kind;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::number::{format_value, problem_text};
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, Button, Listener, Select};

/// The backprop lesson's page: the values, the graph, the backward-pass controls and the check.
pub struct View {
    lang: Lang,
    preset: Select,
    formula: HtmlElement,
    values_box: HtmlElement,
    inputs: Vec<HtmlInputElement>,
    message: HtmlElement,
    picture: HtmlElement,
    counter: HtmlElement,
    explain: HtmlElement,
    step: Button,
    play: Button,
    finish: Button,
    reset: Button,
    check_body: HtmlElement,
    verdict: HtmlElement,
    drawn: Option<u64>,
    synced_controls: Option<u64>,
    /// The model, for rebuilding the value fields with their handlers (from [`LessonView::listen`] on).
    model: Option<Rc<RefCell<Model>>>,
    listeners: Vec<Listener>,
    /// Handlers of the value fields, rebuilt with the fields.
    input_listeners: Vec<Listener>,
}

impl View {
    /// One field per leaf of the current expression.
    fn rebuild_inputs(&mut self, m: &Rc<RefCell<Model>>) -> WebResult<()> {
        self.input_listeners.clear();
        let mut bind = Binder::new(m);
        self.inputs.clear();
        dom::clear(&self.values_box);
        let model = m.borrow();
        for (k, leaf) in model.preset().leaves.iter().enumerate() {
            let label: HtmlElement = dom::add(&self.values_box, "label", "field bp-leaf")?;
            let caption = if leaf.is_param {
                leaf.name.to_string()
            } else {
                self.lang.fill(Key::BackpropDataTag, &[("name", leaf.name)])
            };
            dom::add_text(&label, "span", "field-label", &caption)?;
            let input: HtmlInputElement = dom::add(&label, "input", "bp-number")?;
            input.set_type("text");
            input.set_attribute("inputmode", "decimal")?;
            input.set_attribute("spellcheck", "false")?;
            input.set_id(&format!("backprop-leaf-{k}"));
            input.set_value(&model.values()[k].to_string());
            bind.on_text(&input, move |m: &mut Model, text| m.set_text(k, text))?;
            self.inputs.push(input);
        }
        self.input_listeners = bind.finish();
        Ok(())
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(at: &Mount, model: &Model) -> WebResult<View> {
        let (root, head, lang) = (at.root, &at.head, at.lang);
        let t = |key| lang.text(key);
        dom::append(
            head,
            &dom::text_element(
                "p",
                "bp-rule",
                "m(x) = f(g(x))  ⇒  m′(x) = f′(g(x)) · g′(x)",
            )?,
        )?;

        let controls: HtmlElement = dom::create("div", "card bp-controls")?;
        let options: Vec<(&str, &str)> = PresetId::ALL
            .iter()
            .map(|&p| (p.name(), t(preset_label(p))))
            .collect();
        let preset = Select::new(
            t(Key::BackpropPresetLabel),
            &options,
            model.preset().id.name(),
        )?;
        preset.element.set_id("backprop-preset");
        dom::append(&controls, &preset.root)?;
        let values_box: HtmlElement = dom::add(&controls, "div", "bp-values")?;
        let buttons: HtmlElement = dom::add(&controls, "div", "button-row bp-buttons")?;
        let step = Button::new(t(Key::Step), "primary")?;
        step.element.set_id("backprop-step");
        let play = Button::new(t(Key::Play), "")?;
        play.element.set_id("backprop-play");
        let finish = Button::new(t(Key::BackpropToEnd), "")?;
        finish.element.set_id("backprop-finish");
        let reset = Button::new(t(Key::Reset), "")?;
        reset.element.set_id("backprop-reset");
        for b in [&step, &play, &finish, &reset] {
            dom::append(&buttons, &b.element)?;
        }
        dom::append(root, &controls)?;

        let formula = dom::text_element("p", "bp-formula", "")?;
        formula.set_id("backprop-formula");
        dom::append(root, &formula)?;
        let message = dom::text_element("p", "bp-message", "")?;
        message.set_id("backprop-message");
        message.set_attribute("role", "alert")?;
        dom::append(root, &message)?;

        let figure: HtmlElement = dom::create("section", "card bp-figure")?;
        let picture: HtmlElement = dom::add(&figure, "div", "bp-picture")?;
        let status: HtmlElement = dom::add(&figure, "div", "bp-status")?;
        let counter = dom::add_text(&status, "p", "bp-counter", "")?;
        counter.set_id("backprop-counter");
        let explain = dom::add_text(&status, "p", "bp-explain", "")?;
        explain.set_id("backprop-explain");
        explain.set_attribute("aria-live", "polite")?;
        dom::append(root, &figure)?;

        let check: HtmlElement = dom::create("section", "card bp-check")?;
        dom::add_text(&check, "h3", "bp-heading", t(Key::BackpropCheckHeading))?;
        dom::add_text(
            &check,
            "p",
            "bp-fd-formula",
            "(f(x + h) − f(x − h)) / 2h, h = 10⁻⁵ · max(1, |x|)",
        )?;
        let table: HtmlElement = dom::add(&check, "table", "bp-table")?;
        table.set_id("backprop-checks");
        let head_row: HtmlElement = dom::create("tr", "")?;
        for key in [
            Key::BackpropColParam,
            Key::BackpropColBackprop,
            Key::BackpropColFd,
            Key::BackpropColRel,
        ] {
            dom::add_text(&head_row, "th", "", t(key))?;
        }
        let thead: HtmlElement = dom::add(&table, "thead", "")?;
        dom::append(&thead, &head_row)?;
        let check_body: HtmlElement = dom::add(&table, "tbody", "")?;
        let verdict = dom::add_text(&check, "p", "bp-verdict", "")?;
        verdict.set_id("backprop-verdict");
        dom::append(root, &check)?;
        dom::name_controls(&[
            (&preset.root, "preset"),
            (&values_box, "values"),
            (&buttons, "transport"),
            (&formula, "formula"),
            (&check, "check"),
        ]);

        Ok(View {
            lang,
            preset,
            formula,
            values_box,
            inputs: Vec::new(),
            message,
            picture,
            counter,
            explain,
            step,
            play,
            finish,
            reset,
            check_body,
            verdict,
            drawn: None,
            synced_controls: None,
            model: None,
            listeners: Vec::new(),
            input_listeners: Vec::new(),
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        self.model = Some(model.clone());
        let mut bind = Binder::new(model);
        bind.keep(self.step.on_click(bind.act(Model::step))?);
        bind.keep(self.play.on_click(bind.act(Model::toggle_play))?);
        bind.keep(self.finish.on_click(bind.act(Model::finish))?);
        bind.keep(self.reset.on_click(bind.act(Model::rewind))?);
        let preset = bind.with(|m: &mut Model, name: String| {
            if let Some(id) = PresetId::from_name(&name) {
                m.choose(id);
            }
        });
        bind.keep(self.preset.on_change(preset)?);
        self.listeners.extend(bind.finish());
        self.rebuild_inputs(model)
    }

    fn catch_up(&mut self, _: &Model) -> WebResult<()> {
        let Some(m) = self.model.clone() else {
            return Ok(());
        };
        let m = &m;
        let (revision, controls) = {
            let model = m.borrow();
            (model.revision(), model.controls_revision())
        };
        if self.synced_controls != Some(controls) {
            self.rebuild_inputs(m)?;
            self.synced_controls = Some(controls);
        }
        if self.drawn == Some(revision) {
            return Ok(());
        }
        let model = m.borrow();
        let lang = self.lang;
        self.preset.set_value(model.preset().id.name());
        dom::set_text_if_changed(&self.formula, model.preset().id.formula());
        for (k, input) in self.inputs.iter().enumerate() {
            input
                .class_list()
                .toggle_with_force("invalid", model.problem(k).is_some())?;
        }
        let trace = model.trace();
        let finite = trace.is_finite();
        let message = if let Some((k, problem)) = model.first_problem() {
            let name = model.preset().leaves[k].name;
            format!(
                "{} {}",
                problem_text(lang, name, problem, LIMIT),
                lang.text(Key::BackpropStale)
            )
        } else if !finite {
            lang.text(Key::BackpropNotFinite).to_string()
        } else {
            String::new()
        };
        dom::set_text_if_changed(&self.message, &message);

        let replay = model.replay();
        dom::clear(&self.picture);
        let picture = graph::draw(trace, replay, lang)?;
        dom::append(&self.picture, &picture)?;
        // A long graph scrolls sideways (on a phone): keep the node being
        // visited in view — before the first step the output f, where the
        // backward pass starts — scrolling only the graph's box, never the page.
        let shown = match picture.query_selector(".bp-node.current")? {
            Some(node) => Some(node),
            None => picture.query_selector(".bp-node.output")?,
        };
        if let Some(current) = shown {
            let node = current.get_bounding_client_rect();
            let frame = self.picture.get_bounding_client_rect();
            let margin = 24.0;
            let shift = if node.left() < frame.left() {
                node.left() - frame.left() - margin
            } else if node.right() > frame.right() {
                node.right() - frame.right() + margin
            } else {
                0.0
            };
            if shift != 0.0 {
                let left = f64::from(self.picture.scroll_left()) + shift;
                self.picture.set_scroll_left(left.max(0.0) as i32);
            }
        }
        dom::set_text_if_changed(
            &self.counter,
            &lang.fill(
                Key::BackpropStepCounter,
                &[
                    ("k", &replay.steps_done().to_string()),
                    ("n", &replay.steps_total().to_string()),
                ],
            ),
        );
        dom::set_text_if_changed(&self.explain, &explanation(lang, &model));
        self.play.set_label(lang.text(if model.playing() {
            Key::Pause
        } else {
            Key::Play
        }));
        self.step.element.set_disabled(replay.finished());
        self.finish.element.set_disabled(replay.finished());

        dom::clear(&self.check_body);
        for check in model.checks() {
            let node = trace
                .nodes
                .iter()
                .position(|n| n.kind == Kind::Param(check.leaf));
            let known = node.is_some_and(|i| replay.is_final(i));
            let row: HtmlElement = dom::add(&self.check_body, "tr", "")?;
            let cells = [
                model.preset().leaves[check.leaf].name.to_string(),
                if known {
                    full(check.backprop)
                } else {
                    "—".into()
                },
                full(check.finite_difference),
                if known {
                    format!("{:.1e}", check.relative)
                } else {
                    "—".into()
                },
            ];
            for cell in cells {
                dom::add_text(&row, "td", "", &cell)?;
            }
        }
        let worst = model
            .checks()
            .iter()
            .map(|c| c.relative)
            .fold(0.0, f64::max);
        let (text, class) = if !replay.finished() {
            (lang.text(Key::BackpropCheckPending).to_string(), "")
        } else if finite && model.all_checks_pass() {
            (
                lang.fill(
                    Key::BackpropCheckPass,
                    &[
                        ("max", &format!("{worst:.1e}")),
                        ("tol", &format!("{CHECK_TOLERANCE:.0e}")),
                    ],
                ),
                "pass",
            )
        } else {
            (
                lang.fill(Key::BackpropCheckFail, &[("max", &format!("{worst:.1e}"))]),
                "fail",
            )
        };
        dom::set_text_if_changed(&self.verdict, &text);
        self.verdict.set_class_name(&format!("bp-verdict {class}"));
        self.drawn = Some(revision);
        Ok(())
    }
}

/// What the step just taken did, in words.
fn explanation(lang: Lang, model: &Model) -> String {
    let trace = model.trace();
    let replay = model.replay();
    let Some(i) = replay.current() else {
        return lang.text(Key::BackpropStartText).to_string();
    };
    let node = &trace.nodes[i];
    let grad = format_value(replay.adjoint(i));
    let mut lines = Vec::new();
    if i == trace.output {
        lines.push(lang.fill(Key::BackpropSeedText, &[("node", &node.label)]));
    } else {
        lines.push(lang.fill(
            Key::BackpropVisitText,
            &[("node", &node.label), ("grad", &grad)],
        ));
    }
    for &(p, local) in &node.parents {
        lines.push(lang.fill(
            Key::BackpropFlowText,
            &[
                ("parent", &trace.nodes[p].label),
                ("grad", &grad),
                ("local", &format_value(local)),
                ("product", &format_value(replay.adjoint(i) * local)),
            ],
        ));
    }
    if node.parents.is_empty() {
        let key = if matches!(node.kind, Kind::Param(_)) {
            Key::BackpropLeafText
        } else {
            Key::BackpropDataText
        };
        lines.push(lang.fill(key, &[("node", &node.label), ("grad", &grad)]));
    }
    if replay.finished() {
        lines.push(lang.text(Key::BackpropDoneText).to_string());
    }
    lines.join("\n")
}

/// A gradient with enough digits to compare with its finite difference.
fn full(v: f64) -> String {
    format!("{v:.10}").replace('-', "−")
}

fn preset_label(id: PresetId) -> Key {
    match id {
        PresetId::Chain => Key::BackpropPresetChain,
        PresetId::Lecture => Key::BackpropPresetLecture,
        PresetId::Neuron => Key::BackpropPresetNeuron,
    }
}
