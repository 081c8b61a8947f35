//! The deep-training page: Start/Pause and Reset, the two networks side by
//! side (their switches, test accuracy and gradient bars), and the loss
//! and accuracy curves of both.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::init::Init;
use nnlab::nn::Activation;
use nnlab::optim::OptimizerKind;
use web_sys::HtmlElement;

use super::bars::{bar_fraction, format_norm};
use super::model::{chosen, Ingredient, Model, LANES};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::data_panel::{thousands, DataPanel};
use crate::lessons::kit::format::{format_number, percent};
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::line_chart::{self, Line, LineChart};
use crate::lessons::kit::page;
use crate::lessons::kit::pictures::css;
use crate::lessons::{LessonView, Mount};
use crate::training::client;
use crate::training::deep_record::DeepRecord;
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Select};
use nnlab_worker::protocol::{DeepRecipe, DEEP_EPOCHS};

/// The colour of each network's curves and bars: "before" orange, "after" blue.
const COLORS: [[u8; 3]; LANES] = [[230, 110, 20], [59, 79, 216]];
/// Each network's title.
const TITLES: [Key; LANES] = [Key::DeepBefore, Key::DeepAfter];
/// Height of each chart, CSS pixels.
const CHART_HEIGHT: u32 = 200;

/// One network's panel.
struct LanePanel {
    recipe: HtmlElement,
    switches: [Select; 3],
    accuracy: HtmlElement,
    /// Per layer: the bar's fill and its value.
    rows: Vec<(HtmlElement, HtmlElement)>,
}

/// The page.
pub struct View {
    lang: Lang,
    panel: DataPanel,
    content: HtmlElement,
    run: Button,
    reset: Button,
    status: HtmlElement,
    lanes: Vec<LanePanel>,
    loss: HiDpiCanvas,
    accuracy: HiDpiCanvas,
    /// The values under the pointer or the arrow keys, on each chart.
    hovers: [Hover; 2],
    redraw: page::Redraw,
    /// The record revision and recipes the panels show.
    shown: Option<(u64, [DeepRecipe; LANES])>,
    listeners: Vec<Listener>,
}

/// The menu label of a switch's value.
fn option_label(lang: Lang, name: &str) -> &'static str {
    match name {
        "sigmoid" => "Sigmoid",
        "relu" => "ReLU",
        "small" => "N(0, 0.01²)",
        "scaled" => "Xavier / He",
        "sgd" => lang.text(Key::OptSgd),
        _ => lang.text(Key::OptAdam),
    }
}

/// "Sigmoid · N(0, 0.01²) · SGD (lr = 0.01)": the recipe as built.
fn recipe_line(lang: Lang, recipe: &DeepRecipe) -> String {
    let activation = if recipe.activation == Activation::Relu {
        "ReLU"
    } else {
        "Sigmoid"
    };
    let init = match recipe.init() {
        Init::HeNormal => "He",
        Init::XavierNormal => "Xavier",
        _ => "N(0, 0.01²)",
    };
    // Each with its default learning rate (`Hyper::defaults`).
    let (optimizer, lr) = if recipe.optimizer == OptimizerKind::Adam {
        ("Adam", "0.001")
    } else {
        ("SGD", "0.01")
    };
    lang.fill(
        Key::DeepRecipeLine,
        &[
            ("activation", activation),
            ("init", init),
            ("optimizer", optimizer),
            ("lr", lr),
        ],
    )
}

impl LanePanel {
    fn build(
        parent: &HtmlElement,
        lang: Lang,
        lane: usize,
        recipe: &DeepRecipe,
    ) -> WebResult<LanePanel> {
        let t = |key| lang.text(key);
        let card: HtmlElement = dom::add(parent, "section", "card deep-lane")?;
        card.set_id(&format!("deep-lane-{lane}"));
        card.style().set_property("--lane", &css(COLORS[lane]))?;
        dom::add_text(&card, "h3", "deep-lane-title", t(TITLES[lane]))?;
        let recipe_text = dom::add_text(&card, "p", "deep-recipe", "")?;
        recipe_text.set_id(&format!("deep-recipe-{lane}"));
        let row: HtmlElement = dom::add(&card, "div", "deep-switches")?;
        dom::name_control(&row, "switches");
        let captions = [Key::DeepActivation, Key::DeepInit, Key::DeepOptimizer];
        let switches = Ingredient::ALL.map(|ingredient| {
            let names = super::model::choices(ingredient);
            let options = names.map(|n| (n, option_label(lang, n)));
            let caption = captions[ingredient as usize];
            Select::new(t(caption), &options, chosen(recipe, ingredient))
        });
        let [a, b, c] = switches;
        let switches = [a?, b?, c?];
        for (select, suffix) in switches.iter().zip(["act", "init", "opt"]) {
            select.element.set_id(&format!("deep-{lane}-{suffix}"));
            dom::append(&row, &select.root)?;
        }
        let strip: HtmlElement = dom::add(&card, "dl", "readouts")?;
        let accuracy = page::readout(
            &strip,
            t(Key::DeepTestAccuracy),
            &format!("deep-acc-{lane}"),
        )?;
        dom::add_text(&card, "p", "deep-bars-title", t(Key::DeepBarsTitle))?;
        let bars: HtmlElement = dom::add(&card, "div", "deep-bars")?;
        bars.set_id(&format!("deep-bars-{lane}"));
        dom::name_control(&bars, "bars");
        let mut rows = Vec::new();
        for layer in 1..=nnlab::nn::DEEP_HIDDEN + 1 {
            let row: HtmlElement = dom::add(&bars, "div", "deep-bar")?;
            let label = lang.fill(Key::DeepLayer, &[("n", &layer.to_string())]);
            dom::add_text(&row, "span", "deep-bar-label", &label)?;
            let track: HtmlElement = dom::add(&row, "span", "deep-bar-track")?;
            let fill: HtmlElement = dom::add(&track, "span", "deep-bar-fill")?;
            let value = dom::add_text(&row, "span", "deep-bar-value", "—")?;
            rows.push((fill, value));
        }
        Ok(LanePanel {
            recipe: recipe_text,
            switches,
            accuracy,
            rows,
        })
    }

    /// The switches and recipe line for `recipe`, the readouts and bars for `record`'s lane.
    fn show(
        &self,
        lang: Lang,
        recipe: &DeepRecipe,
        record: Option<&crate::training::deep_record::LaneRecord>,
    ) -> WebResult<()> {
        for (select, ingredient) in self.switches.iter().zip(Ingredient::ALL) {
            select.set_value(chosen(recipe, ingredient));
        }
        dom::set_text_if_changed(&self.recipe, &recipe_line(lang, recipe));
        let empty = Vec::new();
        let norms = record.map_or(&empty, |r| &r.grad_norms);
        let accuracy = match record {
            Some(r) if r.diverged => "NaN".into(),
            Some(r) => r
                .tests
                .last()
                .map_or("—".into(), |t| percent(f64::from(t.accuracy))),
            None => "—".into(),
        };
        dom::set_text_if_changed(&self.accuracy, &accuracy);
        for (i, (fill, value)) in self.rows.iter().enumerate() {
            let norm = norms.get(i).copied();
            let width = norm.map_or(0.0, bar_fraction) * 100.0;
            fill.style()
                .set_property("width", &format!("{width:.1}%"))?;
            dom::set_text_if_changed(value, &norm.map_or("—".into(), format_norm));
        }
        Ok(())
    }
}

impl View {
    fn write_status(&self, deep: &DeepRecord) {
        let lang = self.lang;
        let label = if deep.running {
            Key::Pause
        } else if deep.finished {
            Key::DeepAgain
        } else if deep.updates() > 0 {
            Key::LiveResume
        } else {
            Key::LiveStart
        };
        self.run.set_label(lang.text(label));
        let text = if deep.recipes.is_none() {
            lang.text(Key::DeepPreparing).to_string()
        } else {
            let updates = deep.updates();
            let per_epoch = (deep.total_updates / DEEP_EPOCHS).max(1);
            lang.fill(
                Key::DeepStatus,
                &[
                    ("updates", &thousands(updates)),
                    ("total", &thousands(deep.total_updates)),
                    (
                        "epoch",
                        &(updates / per_epoch + 1).min(DEEP_EPOCHS).to_string(),
                    ),
                    ("epochs", &DEEP_EPOCHS.to_string()),
                    ("n", &thousands(deep.train_size)),
                ],
            )
        };
        dom::set_text_if_changed(&self.status, &text);
    }

    fn draw_charts(&mut self, deep: &DeepRecord) -> WebResult<()> {
        let lang = self.lang;
        let width = self
            .loss
            .element
            .parent_element()
            .map_or(300, |p| p.client_width())
            .max(200) as u32;
        self.loss.resize(width, CHART_HEIGHT)?;
        self.accuracy.resize(width, CHART_HEIGHT)?;
        let colors = COLORS.map(css);
        let charts = [(&self.loss, false), (&self.accuracy, true)];
        for ((canvas, accuracy), hover) in charts.into_iter().zip(&self.hovers) {
            let points: Vec<Vec<(f64, f64)>> = deep
                .lanes
                .iter()
                .map(|lane| {
                    lane.curve
                        .iter()
                        .map(|p| {
                            let v = if accuracy { p.accuracy } else { p.loss };
                            (p.updates as f64, f64::from(v))
                        })
                        .collect()
                })
                .collect();
            let lines: Vec<Line> = points
                .iter()
                .zip(&colors)
                .zip(TITLES)
                .map(|((points, color), title)| Line {
                    points,
                    color,
                    width: 2.0,
                    name: lang.text(title),
                })
                .collect();
            line_chart::draw(
                canvas,
                &LineChart {
                    lines: &lines,
                    x_label: lang.text(Key::TrainCurveAxis),
                    empty: lang.text(Key::DeepChartEmpty),
                    from_zero: true,
                    last_label: None,
                    y_name: lang.text(if accuracy {
                        Key::ReadoutAccuracy
                    } else {
                        Key::ReadoutLoss
                    }),
                    y_text: if accuracy { percent } else { format_number },
                },
                hover,
            )?;
        }
        Ok(())
    }
}

/// A chart with its title and legend, in `parent`.
fn chart(
    parent: &HtmlElement,
    lang: Lang,
    title: Key,
    id: &str,
) -> WebResult<(HiDpiCanvas, Hover)> {
    let figure: HtmlElement = dom::add(parent, "figure", "deep-chart")?;
    dom::add_text(&figure, "figcaption", "deep-chart-title", lang.text(title))?;
    let description = lang.fill(Key::DeepChartDescription, &[("what", lang.text(title))]);
    let canvas = HiDpiCanvas::picture("deep-canvas", id, &description)?;
    dom::append(&figure, &canvas.element)?;
    page::legend(
        &figure,
        &[
            (COLORS[0], lang.text(TITLES[0])),
            (COLORS[1], lang.text(TITLES[1])),
        ],
    )?;
    let hover = Hover::attach(&canvas, lang)?;
    Ok((canvas, hover))
}

impl LessonView for View {
    type Model = Model;

    fn build(at: &Mount, model: &Model) -> WebResult<View> {
        client::ensure_started()?;
        let lang = at.lang;
        let t = |key| lang.text(key);
        let panel = DataPanel::mount(at.root, lang, "deep")?;
        let content: HtmlElement = dom::create("div", "deep-content")?;
        content.set_hidden(true);

        let controls: HtmlElement = dom::add(&content, "section", "card deep-controls")?;
        let buttons: HtmlElement = dom::add(&controls, "div", "button-row")?;
        dom::name_control(&buttons, "run");
        let run = Button::new(t(Key::LiveStart), "primary")?;
        run.element.set_id("deep-run");
        let reset = Button::new(t(Key::Reset), "")?;
        reset.element.set_id("deep-reset");
        dom::append(&buttons, &run.element)?;
        dom::append(&buttons, &reset.element)?;
        let status = page::status_line("p", "deep-status", "deep-status")?;
        dom::append(&controls, &status)?;

        let lanes_box: HtmlElement = dom::add(&content, "div", "deep-lanes")?;
        let lanes = (0..LANES)
            .map(|lane| LanePanel::build(&lanes_box, lang, lane, &model.recipes[lane]))
            .collect::<WebResult<Vec<_>>>()?;

        let charts: HtmlElement = dom::add(&content, "div", "deep-charts")?;
        dom::name_control(&charts, "charts");
        let (loss, loss_hover) = chart(&charts, lang, Key::DeepLossTitle, "deep-loss")?;
        let (accuracy, acc_hover) = chart(&charts, lang, Key::DeepAccTitle, "deep-accuracy")?;
        dom::add_text(&content, "p", "keyboard-hint", t(Key::DeepKeys))?;
        dom::append(at.root, &content)?;
        let (redraw, on_resize) = page::Redraw::new()?;
        Ok(View {
            lang,
            panel,
            content,
            run,
            reset,
            status,
            lanes,
            loss,
            accuracy,
            hovers: [loss_hover, acc_hover],
            redraw,
            shown: None,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        let run = bind.act(|m: &mut Model| m.play_pause(&client::record().borrow().deep));
        bind.keep(self.run.on_click(run)?);
        bind.keep(
            self.reset
                .on_click(bind.act(|m: &mut Model| m.restart(false)))?,
        );
        for (lane, panel) in self.lanes.iter().enumerate() {
            for (select, ingredient) in panel.switches.iter().zip(Ingredient::ALL) {
                let set = bind.with(move |m: &mut Model, name: String| {
                    m.set(lane, ingredient, &name, &client::record().borrow().deep)
                });
                bind.keep(select.on_change(set)?);
            }
        }
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        if self.panel.samples(&self.content)?.is_none() {
            return Ok(());
        }
        let record = client::record();
        let record = record.borrow();
        let deep = &record.deep;
        let shown = Some((record.revision, model.recipes));
        if self.shown != shown {
            self.shown = shown;
            // The switches show the model; the bars the Worker's pair while
            // it is the one they describe.
            let current = deep.recipes.as_deref() == Some(&model.recipes[..]);
            for (lane, panel) in self.lanes.iter().enumerate() {
                let news = deep.lanes.get(lane).filter(|_| current);
                panel.show(self.lang, &model.recipes[lane], news)?;
            }
            self.write_status(deep);
        }
        let resized = self.redraw.take_resize();
        if self.redraw.due(resized, record.revision) {
            self.draw_charts(deep)?;
        }
        Ok(())
    }
}
