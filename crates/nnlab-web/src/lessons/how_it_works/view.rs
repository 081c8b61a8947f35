//! The page of the how-it-works lesson: the loop's four stages (lit as they
//! run), the decision map with the data on it, the weights as a string of
//! numbers, the controls, the loss curve, the three pictures and the
//! lecture's summary. Handlers only change the [`Model`]; each frame
//! [`View::catch_up`] brings the page in line with it.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::optim::OptimizerKind;
use nnlab::surfaces::ViewBox;
use nnlab_figures::contour::iso_lines;
use nnlab_figures::Field;
use wasm_bindgen::Clamped;
use web_sys::{HtmlCanvasElement, HtmlElement, ImageData};

use super::model::{Model, Stage, HIDDEN_CHOICES, OPTIMIZERS, VIEW_X, VIEW_Y};
use super::toy_data::Shape;
use crate::draw::palette;
use crate::draw::{context_2d, polyline};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::format::format_number;
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::line_chart::{self, Line, LineChart};
use crate::lessons::kit::page::{self, Redraw};
use crate::lessons::{LessonModel, LessonView, Mount};
use crate::widgets::transport::SPEED_SCALE;
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Scale, Select, Slider, Transport};

/// Samples of the decision map (4:3, like the plane shown).
const MAP_NX: usize = 96;
const MAP_NY: usize = 72;
const CLASS_RGB: [[u8; 3]; 2] = [[232, 125, 30], [37, 99, 235]];
const CLASS_CSS: [&str; 2] = ["#c2610f", "#1d4ed8"];
const LR_SCALE: Scale = Scale::log(1e-4, 1.0);

struct StageItem {
    stage: Stage,
    element: HtmlElement,
    value: HtmlElement,
}

/// The loop's page: the stages, the three pictures (decision map, weights, loss) and the controls.
pub struct View {
    lang: Lang,
    stages: Vec<StageItem>,
    loop_box: HtmlElement,
    pictures: Vec<HtmlElement>,
    map: HiDpiCanvas,
    weights: HiDpiCanvas,
    curve: HiDpiCanvas,
    /// The loss under the pointer or the arrow keys.
    curve_hover: Hover,
    transport: Transport,
    data: Select,
    hidden: Select,
    optimizer: Select,
    lr: Slider,
    reinit: Button,
    seed: HtmlElement,
    steps: HtmlElement,
    loss: HtmlElement,
    wrong: HtmlElement,
    accuracy: HtmlElement,
    status: HtmlElement,
    scratch: HtmlCanvasElement,
    /// The decision map's probabilities and the weights they were computed for.
    map_cache: Option<(u64, Vec<f32>)>,
    redraw: Redraw,
    listeners: Vec<Listener>,
}

impl View {
    fn fit(&mut self) -> WebResult<bool> {
        let width_of = |c: &HiDpiCanvas, fallback: u32| {
            c.element
                .parent_element()
                .map(|p| p.client_width().max(0) as u32)
                .unwrap_or(fallback)
        };
        // Within the window's height (in presenter mode, the first screen).
        let a = self.map.fit_to_parent(0.75, 720)?;
        let b = self
            .weights
            .resize(width_of(&self.weights, 640).clamp(200, 1200), 30)?;
        let c = self
            .curve
            .resize(width_of(&self.curve, 900).clamp(260, 1400), 200)?;
        Ok(a || b || c)
    }

    /// The decision regions (recomputed only when the weights changed), the
    /// boundary p = ½, the points, and rings round the ones predicted wrong.
    fn draw_map(&mut self, model: &Model) -> WebResult<()> {
        let (w, h) = self.map.css_size();
        if w == 0 || h == 0 {
            return Ok(());
        }
        let fresh = !matches!(&self.map_cache, Some((rev, _)) if *rev == model.weights_revision());
        if fresh {
            let probs = model.decision_map(MAP_NX, MAP_NY);
            let mut rgba = Vec::with_capacity(MAP_NX * MAP_NY * 4);
            let paper = palette::triple(palette::current().paper);
            for &p in &probs {
                rgba.extend_from_slice(&map_color(p, paper));
            }
            self.scratch.set_width(MAP_NX as u32);
            self.scratch.set_height(MAP_NY as u32);
            let image = ImageData::new_with_u8_clamped_array_and_sh(
                Clamped(&rgba),
                MAP_NX as u32,
                MAP_NY as u32,
            )?;
            context_2d(&self.scratch)?.put_image_data(&image, 0.0, 0.0)?;
            self.map_cache = Some((model.weights_revision(), probs));
        }
        let Some((ctx, wf, hf)) = self.map.context()? else {
            return Ok(());
        };
        ctx.set_image_smoothing_enabled(true);
        // Sample centres sit on the plane's edges: stretch by half a cell on each side.
        let (cx, cy) = (wf / (MAP_NX - 1) as f64, hf / (MAP_NY - 1) as f64);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &self.scratch,
            -cx / 2.0,
            -cy / 2.0,
            wf + cx,
            hf + cy,
        )?;
        let to_px = |x: f64, y: f64| {
            (
                (x - VIEW_X.0) / (VIEW_X.1 - VIEW_X.0) * wf,
                (VIEW_Y.1 - y) / (VIEW_Y.1 - VIEW_Y.0) * hf,
            )
        };
        if let Some((_, probs)) = &self.map_cache {
            let values = probs.iter().map(|&p| f64::from(p)).collect();
            let view = ViewBox {
                x: VIEW_X,
                y: VIEW_Y,
            };
            if let Ok(field) = Field::from_values(view, MAP_NX, MAP_NY, values) {
                ctx.set_stroke_style_str(palette::current().ink);
                ctx.set_global_alpha(0.7);
                ctx.set_line_width(1.5);
                for line in iso_lines(&field, 0.5) {
                    polyline(&ctx, line.iter().map(|&(x, y)| to_px(x, y)));
                }
                ctx.set_global_alpha(1.0);
            }
        }
        let data = model.data();
        let predictions = model.readouts().predictions.as_ref();
        let r = (wf / 150.0).clamp(3.0, 5.0);
        for (i, (p, &label)) in data.points.iter().zip(&data.labels).enumerate() {
            let (px, py) = to_px(f64::from(p[0]), f64::from(p[1]));
            ctx.begin_path();
            ctx.arc(px, py, r, 0.0, std::f64::consts::TAU)?;
            ctx.set_fill_style_str(CLASS_CSS[label.min(1)]);
            ctx.fill();
            ctx.set_stroke_style_str("#ffffff");
            ctx.set_line_width(1.2);
            ctx.stroke();
            if predictions.is_some_and(|pred| pred.get(i).is_some_and(|&c| c != label)) {
                ctx.begin_path();
                ctx.arc(px, py, r + 3.5, 0.0, std::f64::consts::TAU)?;
                ctx.set_stroke_style_str(palette::current().mistake);
                ctx.set_line_width(2.2);
                ctx.stroke();
            }
        }
        Ok(())
    }

    /// Every weight and bias as a cell: blue below 0, red above, white at 0.
    fn draw_weights(&self, model: &Model) -> WebResult<()> {
        let Some((ctx, w, h)) = self.weights.context()? else {
            return Ok(());
        };
        ctx.set_fill_style_str(palette::current().paper);
        ctx.fill_rect(0.0, 0.0, w, h);
        let paper = palette::triple(palette::current().paper);
        let params = model.parameters();
        let cell = w / params.len().max(1) as f64;
        for (i, &v) in params.iter().enumerate() {
            let [r, g, b] = weight_color(v, paper);
            ctx.set_fill_style_str(&format!("rgb({r},{g},{b})"));
            ctx.fill_rect(i as f64 * cell, 0.0, cell.ceil(), h);
        }
        Ok(())
    }

    fn draw_curve(&self, model: &Model) -> WebResult<()> {
        let points: Vec<(f64, f64)> = model
            .history()
            .iter()
            .map(|&(s, l)| (s as f64, f64::from(l)))
            .collect();
        let last = model.history().last().map(|&(_, l)| format_loss(l));
        line_chart::draw(
            &self.curve,
            &LineChart {
                lines: &[Line {
                    points: &points,
                    color: palette::current().accent,
                    width: 2.0,
                    name: "",
                }],
                x_label: self.lang.text(Key::HowCurveAxis),
                empty: self.lang.text(Key::HowCurveEmpty),
                from_zero: true,
                last_label: last.as_deref(),
                y_name: self.lang.text(Key::ReadoutLoss),
                y_text: format_number,
            },
            &self.curve_hover,
        )
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        // The loop: weights → predictions → loss → update → weights.
        let loop_box: HtmlElement = dom::create("ol", "how-loop")?;
        loop_box.set_id("how-loop");
        loop_box.set_attribute("aria-label", t(Key::HowLoopLabel))?;
        let mut stages = Vec::new();
        for stage in Stage::ALL {
            let element: HtmlElement = dom::add(&loop_box, "li", "how-stage")?;
            element.set_id(&format!("how-stage-{}", stage_slug(stage)));
            dom::add_text(&element, "span", "how-stage-name", t(stage_name(stage)))?;
            let value = dom::add_text(&element, "span", "how-stage-value", "")?;
            stages.push(StageItem {
                stage,
                element,
                value,
            });
        }
        dom::append(root, &loop_box)?;

        let layout: HtmlElement = dom::create("div", "how-layout")?;
        let figure: HtmlElement = dom::add(&layout, "div", "how-figure")?;
        let wrap: HtmlElement = dom::add(&figure, "div", "canvas-wrap how-map-wrap")?;
        let map = HiDpiCanvas::picture("how-map", "how-map", t(Key::HowMapDescription))?;
        dom::append(&wrap, &map.element)?;
        let status = dom::add_text(&wrap, "p", "status warning", t(Key::HowDiverged))?;
        status.set_id("how-status");
        status.set_attribute("role", "status")?;
        status.set_hidden(true);
        dom::add_text(&figure, "p", "how-legend", t(Key::HowMapLegend))?;
        let weights_card: HtmlElement = dom::add(&figure, "div", "how-weights-card")?;
        dom::add_text(&weights_card, "p", "how-caption", t(Key::HowWeightsCaption))?;
        let weights =
            HiDpiCanvas::picture("how-weights", "how-weights", t(Key::HowWeightsDescription))?;
        dom::append(&weights_card, &weights.element)?;

        let controls: HtmlElement = dom::add(&layout, "div", "card controls how-controls")?;
        let s = model.settings();
        let transport = Transport::new(lang, "how", s.speed, Key::SpeedUnit, SPEED_SCALE)?;
        dom::append(&controls, &transport.buttons.row)?;
        dom::append(&controls, &transport.speed.root)?;
        let (readouts, [steps, loss, wrong, accuracy]) = page::readouts(
            &controls,
            [
                (t(Key::HowReadoutSteps), "how-steps"),
                (t(Key::HowReadoutLoss), "how-loss"),
                (t(Key::HowReadoutMistakes), "how-wrong"),
                (t(Key::HowReadoutAccuracy), "how-accuracy"),
            ],
        )?;
        readouts.class_list().add_1("how-readouts")?;
        let data_options: Vec<(&str, &str)> = Shape::ALL
            .into_iter()
            .map(|shape| (shape.name(), t(shape_name(shape))))
            .collect();
        let data = Select::new(t(Key::HowDataLabel), &data_options, s.shape.name())?;
        data.element.set_id("how-data");
        let widths: Vec<String> = HIDDEN_CHOICES.iter().map(usize::to_string).collect();
        let width_options: Vec<(&str, &str)> =
            widths.iter().map(|w| (w.as_str(), w.as_str())).collect();
        let hidden = Select::new(
            t(Key::HowHiddenLabel),
            &width_options,
            &s.hidden.to_string(),
        )?;
        hidden.element.set_id("how-hidden");
        let opt_options: Vec<(&str, &str)> = OPTIMIZERS
            .iter()
            .map(|&k| (k.name(), t(optimizer_name(k))))
            .collect();
        let optimizer = Select::new(t(Key::OptimizerLabel), &opt_options, s.optimizer.name())?;
        optimizer.element.set_id("how-optimizer");
        let lr = Slider::new(t(Key::LearningRateLabel), "", LR_SCALE, s.lr, format_lr)?;
        lr.root.set_id("how-lr");
        for part in [&data.root, &hidden.root, &optimizer.root, &lr.root] {
            dom::append(&controls, part)?;
        }
        let reinit_row: HtmlElement = dom::add(&controls, "div", "how-reinit")?;
        let reinit = Button::new(t(Key::HowReinit), "")?;
        reinit.element.set_id("how-reinit");
        let seed = dom::text_element("span", "how-seed", "")?;
        seed.set_id("how-seed");
        dom::append(&reinit_row, &reinit.element)?;
        dom::append(&reinit_row, &seed)?;
        dom::append(root, &layout)?;

        let curve_card: HtmlElement = dom::create("section", "card how-card")?;
        dom::add_text(&curve_card, "h3", "how-heading", t(Key::HowCurveTitle))?;
        let curve = HiDpiCanvas::picture("how-curve", "how-curve", t(Key::HowCurveDescription))?;
        dom::append(&curve_card, &curve.element)?;
        let curve_hover = Hover::attach(&curve, lang)?;
        dom::append(root, &curve_card)?;

        // The three pictures, in the lecture's words; lit with their stage.
        let pics: HtmlElement = dom::create("div", "how-pictures")?;
        let mut pictures = Vec::new();
        for (i, (title, body)) in [
            (Key::HowPic1Title, Key::HowPic1Body),
            (Key::HowPic2Title, Key::HowPic2Body),
            (Key::HowPic3Title, Key::HowPic3Body),
        ]
        .into_iter()
        .enumerate()
        {
            let card: HtmlElement = dom::add(&pics, "section", "card how-card how-picture")?;
            card.set_id(&format!("how-pic-{}", i + 1));
            dom::add_text(&card, "h3", "how-heading", t(title))?;
            dom::add_text(&card, "p", "how-text", t(body))?;
            pictures.push(card);
        }
        dom::append(root, &pics)?;

        let summary: HtmlElement = dom::create("section", "card how-card how-summary")?;
        summary.set_id("how-summary");
        dom::add_text(&summary, "h3", "how-heading", t(Key::HowSummaryTitle))?;
        let list: HtmlElement = dom::add(&summary, "ol", "")?;
        for key in [Key::HowSummary1, Key::HowSummary2] {
            dom::add_text(&list, "li", "", t(key))?;
        }
        for key in [Key::HowSummary3, Key::HowSummary4] {
            dom::add_text(&summary, "p", "how-text", t(key))?;
        }
        dom::append(root, &summary)?;
        dom::name_controls(&[
            (&loop_box, "loop"),
            (&transport.buttons.row, "transport"),
            (&transport.speed.root, "speed"),
            (&readouts, "readouts"),
            (&data.root, "data"),
            (&hidden.root, "hidden"),
            (&optimizer.root, "optimizer"),
            (&lr.root, "lr"),
            (&reinit_row, "reinit"),
            (&weights_card, "weights"),
            (&curve_card, "curve"),
            (&pics, "pictures"),
            (&summary, "summary"),
        ]);

        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            lang,
            stages,
            loop_box,
            pictures,
            map,
            weights,
            curve,
            curve_hover,
            transport,
            data,
            hidden,
            optimizer,
            lr,
            reinit,
            seed,
            steps,
            loss,
            wrong,
            accuracy,
            status,
            scratch: dom::create("canvas", "")?,
            map_cache: None,
            redraw,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        bind.keep(self.transport.on_command(bind.with(Model::command))?);
        let speed = bind.edit(Model::settings, Model::set, |s, v| {
            s.speed = v;
            Ok(())
        });
        bind.keep(self.transport.speed.on_input(speed)?);
        let data = bind.edit(Model::settings, Model::set, |s, name: String| {
            s.shape = Shape::from_name(&name).unwrap_or(Shape::Moons);
            Ok(())
        });
        bind.keep(self.data.on_change(data)?);
        let hidden = bind.edit(Model::settings, Model::set, |s, width: String| {
            s.hidden = width.parse::<usize>().unwrap_or(0);
            Ok(())
        });
        bind.keep(self.hidden.on_change(hidden)?);
        let optimizer = bind.edit(Model::settings, Model::set, |s, name: String| {
            s.optimizer = OptimizerKind::from_name(&name)?;
            Ok(())
        });
        bind.keep(self.optimizer.on_change(optimizer)?);
        let lr = bind.edit(Model::settings, Model::set, |s, v| {
            s.lr = v;
            Ok(())
        });
        bind.keep(self.lr.on_input(lr)?);
        bind.keep(self.reinit.on_click(bind.act(Model::reinitialise))?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let resized = self.redraw.take_resize() && self.fit()?;
        if !self.redraw.due(resized, model.revision()) {
            return Ok(());
        }
        let lang = self.lang;
        let s = model.settings();
        self.transport.show_playing(model.is_running());
        self.transport.speed.set_value(s.speed);
        self.data.set_value(s.shape.name());
        self.hidden.set_value(&s.hidden.to_string());
        self.optimizer.set_value(s.optimizer.name());
        self.lr.set_value(s.lr);
        dom::set_text_if_changed(
            &self.seed,
            &lang.fill(Key::HowSeedReadout, &[("seed", &s.seed.to_string())]),
        );

        let r = model.readouts();
        let n = model.data().len();
        let loss_text = r
            .loss
            .map_or_else(|| lang.text(Key::HowNotYet).to_string(), format_loss);
        let wrong = model.mistakes();
        dom::set_text_if_changed(&self.steps, &r.steps.to_string());
        dom::set_text_if_changed(&self.loss, &loss_text);
        dom::set_text_if_changed(
            &self.wrong,
            &wrong.map_or_else(
                || lang.text(Key::HowNotYet).to_string(),
                |w| format!("{w} / {n}"),
            ),
        );
        dom::set_text_if_changed(
            &self.accuracy,
            &wrong.map_or_else(
                || lang.text(Key::HowNotYet).to_string(),
                |w| format!("{:.1}%", 100.0 * (n - w) as f64 / n as f64),
            ),
        );
        self.status.set_hidden(!model.diverged());

        // The loop: the stage just done is lit; running fast, the whole loop is.
        let fast = model.is_running() && !model.staged();
        self.loop_box.class_list().toggle_with_force("fast", fast)?;
        for item in &self.stages {
            let value = match item.stage {
                Stage::Weights => lang.fill(
                    Key::HowStageWeightsValue,
                    &[("n", &model.net().param_count().to_string())],
                ),
                Stage::Prediction => wrong.map_or_else(
                    || lang.text(Key::HowNotYet).to_string(),
                    |w| {
                        lang.fill(
                            Key::HowStagePredictionValue,
                            &[("wrong", &w.to_string()), ("n", &n.to_string())],
                        )
                    },
                ),
                Stage::Loss => lang.fill(Key::HowStageLossValue, &[("loss", &loss_text)]),
                Stage::Update => {
                    lang.fill(Key::HowStageUpdateValue, &[("steps", &r.steps.to_string())])
                }
            };
            dom::set_text_if_changed(&item.value, &value);
            item.element
                .class_list()
                .toggle_with_force("active", item.stage == model.stage())?;
        }
        let lit = match model.stage() {
            Stage::Weights => 0,
            Stage::Prediction | Stage::Loss => 1,
            Stage::Update => 2,
        };
        for (i, card) in self.pictures.iter().enumerate() {
            card.class_list().toggle_with_force("active", i == lit)?;
        }

        self.draw_map(model)?;
        self.draw_weights(model)?;
        self.draw_curve(model)
    }
}

/// The colour of the plane where the network says P(class 1) = `p`: the
/// class's colour, closer to `paper` (the theme's background) the less sure it is.
pub fn map_color(p: f32, paper: [u8; 3]) -> [u8; 4] {
    let p = if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let sure = (2.0 * p - 1.0).abs();
    let class = usize::from(p >= 0.5);
    let mix = 0.12 + 0.5 * sure;
    let blend = |k: usize| {
        let (from, to) = (f32::from(paper[k]), f32::from(CLASS_RGB[class][k]));
        (from + (to - from) * mix).round() as u8
    };
    [blend(0), blend(1), blend(2), 255]
}

/// Diverging colour of a weight: blue < 0 < red, saturating around ±2, and
/// `paper` (the theme's background) at 0.
pub fn weight_color(v: f32, paper: [u8; 3]) -> [u8; 3] {
    let t = if v.is_finite() { (v / 1.5).tanh() } else { 0.0 };
    let target: [f32; 3] = if t < 0.0 {
        [59.0, 79.0, 216.0]
    } else {
        [214.0, 39.0, 40.0]
    };
    let a = t.abs();
    let mut color = [0; 3];
    for (k, c) in color.iter_mut().enumerate() {
        let from = f32::from(paper[k]);
        *c = (from + (target[k] - from) * a).round() as u8;
    }
    color
}

fn stage_slug(stage: Stage) -> &'static str {
    match stage {
        Stage::Weights => "weights",
        Stage::Prediction => "prediction",
        Stage::Loss => "loss",
        Stage::Update => "update",
    }
}

fn stage_name(stage: Stage) -> Key {
    match stage {
        Stage::Weights => Key::HowStageWeights,
        Stage::Prediction => Key::HowStagePrediction,
        Stage::Loss => Key::HowStageLoss,
        Stage::Update => Key::HowStageUpdate,
    }
}

fn shape_name(shape: Shape) -> Key {
    match shape {
        Shape::Moons => Key::HowDataMoons,
        Shape::Circles => Key::HowDataCircles,
    }
}

fn optimizer_name(kind: OptimizerKind) -> Key {
    match kind {
        OptimizerKind::Adam => Key::OptAdam,
        _ => Key::OptSgd,
    }
}

fn format_loss(l: f32) -> String {
    format!("{l:.4}")
}

fn format_lr(v: f64) -> String {
    crate::url_state::format_value((v * 1e4).round() / 1e4)
}
