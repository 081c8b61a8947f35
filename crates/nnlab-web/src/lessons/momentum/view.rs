//! The page side of the momentum lesson: the lecture's code with the line that
//! just ran highlighted and each variable's value beside it, and two pictures
//! side by side — with momentum (the code) and without (plain SGD).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nnlab_figures::{colormap, Frame, Track};
use web_sys::HtmlElement;

use super::model::{Model, Phase, PlainState, Scene};
use super::plot::{self, arrow_scale, Arrow};
use super::program::{Stop, LINES};
use crate::draw::SurfaceView;
use crate::error::WebResult;
use crate::export::{self, Figure};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::drag::on_drag;
use crate::lessons::kit::format::{format_momentum, format_number, format_rate};
use crate::lessons::kit::page::{self, Redraw};
use crate::lessons::{LessonModel, LessonView, Mount};
use crate::widgets::transport::SPEED_SCALE;
use crate::widgets::{dom, ExportButtons, HiDpiCanvas, Listener, Scale, Select, Slider, Transport};

/// Height of each picture as a fraction of its width.
const ASPECT: f64 = 0.72;
const MAX_CANVAS_WIDTH: u32 = 720;
/// The walk with momentum: Nesterov's colour in the race.
pub const WITH_COLOR: [u8; 3] = colormap::TRACK_COLORS[2];
/// The walk without momentum: SGD's colour in the race.
pub const WITHOUT_COLOR: [u8; 3] = colormap::TRACK_COLORS[0];
/// Colour of the velocity arrow.
pub const VELOCITY_COLOR: [u8; 3] = colormap::TRACK_COLORS[3];
/// Colour of the gradient arrow.
pub const GRADIENT_COLOR: [u8; 3] = colormap::TRACK_COLORS[4];
const LR_SCALE: Scale = Scale::log(1e-4, 1.0);
const MOMENTUM_SCALE: Scale = Scale::linear(0.0, 0.99, 0.01);
/// The lecture's comment for each line (line 5 and 6 have none).
const COMMENTS: [Option<Key>; 8] = [
    Some(Key::CodeComment1),
    Some(Key::CodeComment2),
    Some(Key::CodeComment3),
    Some(Key::CodeComment4),
    None,
    None,
    Some(Key::CodeComment7),
    Some(Key::CodeComment8),
];

struct Panel {
    plot: SurfaceView,
    frame: Rc<Cell<Option<Frame>>>,
    readout: HtmlElement,
    /// Legend entries: velocity, gradient, and the scale note.
    legend: [HtmlElement; 3],
}

/// The momentum lesson's page: the code with its values, the two pictures and the controls.
pub struct View {
    lang: Lang,
    scene: Select,
    lr: Slider,
    momentum: Slider,
    transport: Transport,
    export: ExportButtons,
    status: HtmlElement,
    note: HtmlElement,
    code: Vec<HtmlElement>,
    values: Vec<HtmlElement>,
    with: Panel,
    without: Panel,
    redraw: Redraw,
    synced_controls: Option<u64>,
    listeners: Vec<Listener>,
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);

        let top: HtmlElement = dom::create("div", "momentum-top")?;
        let code_card: HtmlElement = dom::add(&top, "section", "card momentum-code-card")?;
        dom::add_text(
            &code_card,
            "h3",
            "momentum-heading",
            t(Key::MomentumCodeHeading),
        )?;
        let listing: HtmlElement = dom::add(&code_card, "div", "momentum-code")?;
        listing.set_id("momentum-code");
        listing.set_attribute("translate", "no")?;
        let mut code = Vec::new();
        let mut values = Vec::new();
        for (i, comment) in COMMENTS.iter().enumerate() {
            let line: HtmlElement = dom::add(&listing, "div", "code-line")?;
            line.set_id(&format!("code-line-{}", i + 1));
            dom::add_text(&line, "span", "code-no", &(i + 1).to_string())?;
            dom::add_text(&line, "code", "code-text", LINES[i])?;
            if let Some(key) = comment {
                dom::add_text(&line, "span", "code-comment", &format!("// {}", t(*key)))?;
            }
            let value = dom::add_text(&line, "span", "code-value", "")?;
            code.push(line);
            values.push(value);
        }

        let controls: HtmlElement = dom::add(&top, "aside", "controls card")?;
        let scene_options: Vec<(&str, &str)> = Scene::ALL
            .iter()
            .map(|&s| {
                let key = match s {
                    Scene::DoubleWell => Key::MomentumSurfaceDoubleWell,
                    Scene::Valley => Key::MomentumSurfaceValley,
                };
                (s.surface_name(), t(key))
            })
            .collect();
        let scene = Select::new(
            t(Key::MomentumSurfaceLabel),
            &scene_options,
            model.scene().surface_name(),
        )?;
        scene.element.set_id("momentum-surface");
        let lr = Slider::new("learning_rate", "", LR_SCALE, model.lr(), format_rate)?;
        lr.root.set_id("momentum-lr");
        let momentum = Slider::new(
            "momentum",
            "",
            MOMENTUM_SCALE,
            model.momentum(),
            format_momentum,
        )?;
        momentum.root.set_id("momentum-momentum");
        let transport = Transport::new(
            lang,
            "momentum",
            model.speed(),
            Key::MomentumLinesUnit,
            SPEED_SCALE,
        )?;
        let export = ExportButtons::new(lang, "momentum")?;
        let status = page::status_line("p", "momentum-status", "momentum-status")?;
        for part in [
            &scene.root,
            &lr.root,
            &momentum.root,
            &transport.speed.root,
            &transport.buttons.row,
            &status,
            &export.root,
        ] {
            dom::append(&controls, part)?;
        }
        dom::add_text(&controls, "p", "keyboard-hint", t(Key::KeyboardHint))?;
        dom::name_controls(&[
            (&code_card, "code"),
            (&scene.root, "surface"),
            (&lr.root, "lr"),
            (&momentum.root, "momentum"),
            (&transport.speed.root, "speed"),
            (&transport.buttons.row, "transport"),
            (&export.root, "export"),
        ]);
        dom::append(root, &top)?;

        let panels: HtmlElement = dom::create("div", "momentum-panels")?;
        let with = panel(&panels, lang, "momentum-with", t(Key::MomentumWithHeading))?;
        let without = panel(
            &panels,
            lang,
            "momentum-without",
            t(Key::MomentumWithoutHeading),
        )?;
        dom::append(root, &panels)?;
        let note = dom::text_element("p", "momentum-note muted", t(Key::MomentumLossNote))?;
        dom::append(root, &note)?;
        dom::name_controls(&[(&panels, "pictures"), (&note, "pictures")]);

        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            lang,
            scene,
            lr,
            momentum,
            transport,
            export,
            status,
            note,
            code,
            values,
            with,
            without,
            redraw,
            synced_controls: None,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        bind.keep(self.transport.on_command(bind.with(Model::command))?);
        let scene = bind.with(
            |m: &mut Model, name: String| match Scene::from_name(&name) {
                Some(scene) => m.set_scene(scene),
                None => Ok(()),
            },
        );
        bind.keep(self.scene.on_change(scene)?);
        bind.keep(self.lr.on_input(bind.with(Model::set_lr))?);
        bind.keep(self.momentum.on_input(bind.with(Model::set_momentum))?);
        bind.keep(self.transport.speed.on_input(bind.with(Model::set_speed))?);
        let lang = self.lang;
        bind.keep(self.export.on_export(bind.read(move |m: &Model, format| {
            let (with, without) = tracks(lang, m);
            let tracks = [with, without];
            let title = lang.text(Key::MomentumTitle);
            let figure = if m.surface().dim == 1 {
                Figure::Curve {
                    surface: m.surface(),
                    tracks: &tracks,
                    title,
                }
            } else {
                Figure::Surface {
                    surface: m.surface(),
                    tracks: &tracks,
                    title,
                }
            };
            let stem = export::file_stem(&["nnlab", "momentum", m.surface().name]);
            export::save(&figure, format, &stem)
        }))?);
        // A press on either picture moves the start of both walks; dragging moves it on.
        for panel in [&self.with, &self.without] {
            let start = bind.with(|m: &mut Model, [x, y]: [f64; 2]| {
                let point = if m.surface().dim == 1 {
                    vec![x]
                } else {
                    vec![x, y]
                };
                m.set_start(&point)
            });
            bind.keep(on_drag(
                &panel.plot.canvas().element,
                panel.frame.clone(),
                start,
            )?);
        }
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        if self.synced_controls != Some(model.controls_revision()) {
            self.scene.set_value(model.scene().surface_name());
            self.lr.set_value(model.lr());
            self.momentum.set_value(model.momentum());
            self.transport.speed.set_value(model.speed());
            self.note.set_hidden(model.scene() != Scene::DoubleWell);
            self.synced_controls = Some(model.controls_revision());
        }
        self.transport.show_playing(model.phase() == Phase::Running);
        let program = model.program();
        let last = program.last_line();
        for (i, (line, value)) in self.code.iter().zip(&self.values).enumerate() {
            line.class_list()
                .toggle_with_force("current", last == Some(i))?;
            if let Some(text) = line.query_selector(".code-text")? {
                dom::set_text_if_changed(&text, &model.code_line(i));
            }
            dom::set_text_if_changed(value, &line_value(model, i));
        }
        dom::set_text_if_changed(&self.status, &status_text(lang, model));
        let diverged = matches!(program.stop(), Some(Stop::Diverged { .. }))
            || matches!(model.plain().state(), PlainState::Diverged { .. });
        self.status
            .class_list()
            .toggle_with_force("warning", diverged)?;
        dom::set_text_if_changed(
            &self.with.readout,
            &format!(
                "{}: {} · loss = {}",
                lang.text(Key::MomentumIterations),
                program.iterations(),
                format_number(program.loss_now())
            ),
        );
        dom::set_text_if_changed(&self.without.readout, &plain_text(lang, model));

        let resized = if self.redraw.take_resize() {
            let a = self
                .with
                .plot
                .canvas_mut()
                .fit_to_parent(ASPECT, MAX_CANVAS_WIDTH)?;
            let b = self
                .without
                .plot
                .canvas_mut()
                .fit_to_parent(ASPECT, MAX_CANVAS_WIDTH)?;
            a || b
        } else {
            false
        };
        if self.redraw.due(resized, model.revision()) {
            let (with_track, without_track) = tracks(lang, model);
            let (with_arrows, without_arrows) = arrows(model);
            for (panel, track, arrows) in [
                (&mut self.with, with_track, with_arrows),
                (&mut self.without, without_track, without_arrows),
            ] {
                let scale = match panel.plot.frame() {
                    Some(frame) => arrow_scale(&frame, &arrows),
                    None => 1.0,
                };
                plot::draw(&mut panel.plot, model.surface(), &[track], &arrows, scale)?;
                panel.frame.set(panel.plot.frame());
                let [velocity, gradient, note] = &panel.legend;
                velocity.set_hidden(!arrows.iter().any(|a| a.color == VELOCITY_COLOR));
                gradient.set_hidden(!arrows.iter().any(|a| a.color == GRADIENT_COLOR));
                note.set_hidden(scale <= 1.0);
                let text = lang.fill(Key::MomentumArrowScale, &[("scale", &format!("{scale}"))]);
                dom::set_text_if_changed(note, &text);
            }
        }
        Ok(())
    }
}

/// A picture with its heading, read-out and arrow legend.
fn panel(parent: &HtmlElement, lang: Lang, id: &str, heading: &str) -> WebResult<Panel> {
    let figure: HtmlElement = dom::create("figure", "momentum-panel")?;
    dom::add_text(&figure, "h3", "momentum-heading", heading)?;
    let wrap: HtmlElement = dom::add(&figure, "div", "canvas-wrap")?;
    let canvas = HiDpiCanvas::picture(
        "surface-canvas",
        &format!("{id}-canvas"),
        lang.text(Key::MomentumCanvasDescription),
    )?;
    dom::append(&wrap, &canvas.element)?;
    let readout = dom::add_text(&figure, "p", "momentum-readout", "")?;
    readout.set_id(&format!("{id}-readout"));
    let legend_row: HtmlElement = dom::add(&figure, "p", "momentum-legend")?;
    legend_row.set_id(&format!("{id}-legend"));
    let mut legend = Vec::new();
    for (color, key) in [
        (Some(VELOCITY_COLOR), Key::MomentumArrowVelocity),
        (Some(GRADIENT_COLOR), Key::MomentumArrowGradient),
        (None, Key::MomentumArrowScale),
    ] {
        let entry = dom::add_text(&legend_row, "span", "legend-entry", "")?;
        if let Some([r, g, b]) = color {
            entry
                .style()
                .set_property("--arrow-color", &format!("rgb({r}, {g}, {b})"))?;
            entry.class_list().add_1("arrow")?;
            entry.set_text_content(Some(lang.text(key)));
        }
        entry.set_hidden(true);
        legend.push(entry);
    }
    let legend: [HtmlElement; 3] = legend
        .try_into()
        .map_err(|_| crate::error::WebError::MissingElement("legend"))?;
    dom::append(parent, &figure)?;
    Ok(Panel {
        plot: SurfaceView::new(canvas)?,
        frame: Rc::new(Cell::new(None)),
        readout,
        legend,
    })
}

fn tracks<'a>(lang: Lang, model: &'a Model) -> (Track<'a>, Track<'a>) {
    (
        Track {
            points: model.program().path().points(),
            color: WITH_COLOR,
            label: lang.text(Key::MomentumWithHeading),
        },
        Track {
            points: model.plain().path().points(),
            color: WITHOUT_COLOR,
            label: lang.text(Key::OptSgd),
        },
    )
}

/// Where an arrow starts: the point itself (2-D) or the ball on the curve (1-D).
fn anchor(model: &Model, point: &[f64]) -> (f64, f64) {
    match point {
        [x] => (*x, model.surface().value(&[*x])),
        [x, y, ..] => (*x, *y),
        [] => (f64::NAN, f64::NAN),
    }
}

/// An arrow's world displacement from a vector (1-D vectors move along x).
fn delta(v: &[f64], factor: f64) -> (f64, f64) {
    match v {
        [x] => (x * factor, 0.0),
        [x, y, ..] => (x * factor, y * factor),
        [] => (0.0, 0.0),
    }
}

/// With momentum: the velocity, and −learning_rate·gradient while the gradient
/// belongs to the plotted point (lines 4–7). Without: −learning_rate·gradient.
fn arrows(model: &Model) -> (Vec<Arrow>, Vec<Arrow>) {
    let program = model.program();
    let vars = program.vars();
    let mut with = Vec::new();
    if let Some(point) = program.path().points().last() {
        let from = anchor(model, point);
        if let Some(v) = &vars.velocity {
            with.push(Arrow {
                from,
                delta: delta(v, 1.0),
                color: VELOCITY_COLOR,
            });
        }
        if let (Some(g), Some(3..=6)) = (&vars.gradient, program.last_line()) {
            with.push(Arrow {
                from,
                delta: delta(g, -model.lr()),
                color: GRADIENT_COLOR,
            });
        }
    }
    let plain = model.plain().descent();
    let without = vec![Arrow {
        from: anchor(model, plain.point()),
        delta: delta(plain.grad(), -model.lr()),
        color: GRADIENT_COLOR,
    }];
    (with, without)
}

/// A vector as the code would print it: `1.234` or `(1.234, −0.5)`.
fn vector(v: &[f64]) -> String {
    match v {
        [x] => format_number(*x),
        _ => format!(
            "({})",
            v.iter()
                .map(|c| format_number(*c))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The values line `i` assigned (empty before it first ran).
fn line_value(model: &Model, i: usize) -> String {
    let vars = model.program().vars();
    let show = |name: &str, v: &Option<Vec<f64>>| {
        v.as_ref()
            .map(|v| format!("{name} = {}", vector(v)))
            .unwrap_or_default()
    };
    match i {
        // Line 1 assigned zeros; later lines reassign the variable, so show what this line did.
        0 => vars
            .past_velocity
            .as_ref()
            .map(|v| format!("past_velocity = {}", vector(&vec![0.0; v.len()])))
            .unwrap_or_default(),
        1 => vars
            .momentum
            .map(|m| format!("momentum = {m}"))
            .unwrap_or_default(),
        2 => match (vars.loss, vars.condition) {
            (Some(loss), Some(c)) => format!("{} > 0.01 → {c}", format_number(loss)),
            _ => String::new(),
        },
        3 => match (&vars.w, vars.loss, &vars.gradient) {
            (Some(w), Some(loss), Some(g)) => format!(
                "w = {}, loss = {}, gradient = {}",
                vector(w),
                format_number(loss),
                vector(g)
            ),
            _ => String::new(),
        },
        4 => vars
            .velocity
            .as_ref()
            .map(|v| {
                format!(
                    "velocity = {}   (learning_rate = {})",
                    vector(v),
                    format_rate(model.lr())
                )
            })
            .unwrap_or_default(),
        5 => {
            if model.program().last_line().is_some_and(|l| l >= 5)
                || model.program().iterations() > 0
            {
                show("w", &vars.w)
            } else {
                String::new()
            }
        }
        6 => {
            if model.program().iterations() > 0 || model.program().last_line() == Some(6) {
                show("past_velocity", &vars.past_velocity)
            } else {
                String::new()
            }
        }
        _ => {
            if model.program().iterations() > 0 {
                format!("#{}", model.program().iterations())
            } else {
                String::new()
            }
        }
    }
}

fn status_text(lang: Lang, model: &Model) -> String {
    let steps = model.program().iterations().to_string();
    match model.stop() {
        Some(Stop::Done) => {
            // The `while` tests the loss computed *before* the last update; the
            // read-out shows the point after it. Say both, so they agree.
            let program = model.program();
            let tested = program.vars().loss.unwrap_or(program.loss_now());
            lang.fill(
                Key::MomentumStatusDone,
                &[
                    ("steps", &steps),
                    ("tested", &format_number(tested)),
                    ("loss", &format_number(program.loss_now())),
                ],
            )
        }
        Some(Stop::GaveUp) => lang.fill(Key::MomentumStatusGaveUp, &[("steps", &steps)]),
        Some(Stop::Diverged { why, lr }) => {
            let key = match why {
                nnlab::descent::Divergence::NotFinite => Key::StatusDivergedNotFinite,
                nnlab::descent::Divergence::Exploding => Key::StatusDivergedExploding,
            };
            lang.fill(key, &[("lr", &format_rate(lr)), ("steps", &steps)])
        }
        None => match model.phase() {
            Phase::Ready => lang.text(Key::MomentumStatusReady).to_string(),
            Phase::Running => lang.text(Key::MomentumStatusRunning).to_string(),
            _ => lang.text(Key::StatusPaused).to_string(),
        },
    }
}

fn plain_text(lang: Lang, model: &Model) -> String {
    let plain = model.plain();
    let steps = plain.descent().steps().to_string();
    let loss = format_number(plain.loss());
    match plain.state() {
        PlainState::Walking => lang.fill(
            Key::MomentumSgdWalking,
            &[("steps", &steps), ("loss", &loss)],
        ),
        PlainState::Done => lang.fill(Key::MomentumSgdDone, &[("steps", &steps)]),
        PlainState::Stuck => lang.fill(Key::MomentumSgdStuck, &[("loss", &loss)]),
        PlainState::Diverged { why, lr } => {
            let key = match why {
                nnlab::descent::Divergence::NotFinite => Key::StatusDivergedNotFinite,
                nnlab::descent::Divergence::Exploding => Key::StatusDivergedExploding,
            };
            lang.fill(key, &[("lr", &format_rate(lr)), ("steps", &steps)])
        }
    }
}
