//! The lecture's three pictures as one loop, free of browser types: a tiny
//! network parameterised by its weights (2 inputs → a hidden layer → 2
//! classes, an `nnlab::nn::Mlp`), a loss comparing its predictions with the
//! targets (softmax cross-entropy), and an optimiser that uses the loss as a
//! feedback signal to adjust the weights (`nnlab::optim`). One training step
//! is four stages — weights → prediction → loss → update → weights — which
//! the page can walk one at a time or run many times a second.

use std::ops::RangeInclusive;

use nnlab::init::Init;
use nnlab::nn::{Activation, Mlp, MlpSpec};
use nnlab::optim::{build, Hyper, Optimizer, OptimizerKind};
use nnlab::tensor::Tensor;

use super::toy_data::{Shape, ToyData};
use crate::commands::Command;
use crate::error::WebResult;
use crate::lessons::kit::clock::{Budget, Clock};
use crate::lessons::FromLink;
use crate::lessons::{LessonModel, Playback};
use crate::url_state::{format_value, Notice, Problem, Query, QueryReader};

/// Longest a frame may spend training, in ms (one unit of work always runs).
const WORK_BUDGET_MS: f64 = 8.0;

/// Points per class: 200 dots in all, each visible.
pub const PER_CLASS: usize = 100;
/// Seed of the data (the weights have their own, changed by "re-initialise").
pub const DATA_SEED: u64 = 2024;
/// Widths of the hidden layer offered.
pub const HIDDEN_CHOICES: [usize; 4] = [3, 8, 16, 32];
/// The two optimisers the lecture recommends first.
pub const OPTIMIZERS: [OptimizerKind; 2] = [OptimizerKind::Sgd, OptimizerKind::Adam];
/// The learning rates a link may set.
pub const LR_RANGE: RangeInclusive<f64> = 1e-4..=1.0;
/// The speeds a link may set, in steps per second.
pub const SPEED_RANGE: RangeInclusive<f64> = 1.0..=3000.0;
/// The seeds a link may set.
pub const SEED_RANGE: RangeInclusive<f64> = 0.0..=999_999.0;
/// At or below this many steps per second the loop runs stage by stage, so
/// the highlight can be followed; above it whole steps run.
pub const STAGED_SPEED: f64 = 4.0;
/// The x range of the plane shown (the data fit inside with a margin).
pub const VIEW_X: (f64, f64) = (-2.0, 2.0);
/// The y range of the plane shown.
pub const VIEW_Y: (f64, f64) = (-1.5, 1.5);
/// Longest loss history kept (older points are thinned away).
const HISTORY_CAP: usize = 4000;

/// Where the loop is: the stage just done (and lit on the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Picture one: the weights are set (initialised, or just updated).
    Weights,
    /// The network has mapped every input to a prediction.
    Prediction,
    /// Picture two: the loss compares the predictions with the targets.
    Loss,
    /// Picture three: the optimiser has used the loss's gradient to adjust the weights.
    Update,
}

impl Stage {
    /// The stages in the loop's order.
    pub const ALL: [Stage; 4] = [
        Stage::Weights,
        Stage::Prediction,
        Stage::Loss,
        Stage::Update,
    ];

    /// The stage after this one (after the update, the weights again).
    pub fn next(self) -> Stage {
        match self {
            Stage::Weights => Stage::Prediction,
            Stage::Prediction => Stage::Loss,
            Stage::Loss => Stage::Update,
            Stage::Update => Stage::Weights,
        }
    }
}

/// Everything a link can set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Which data set.
    pub shape: Shape,
    /// Neurons of the hidden layer.
    pub hidden: usize,
    /// The optimiser.
    pub optimizer: OptimizerKind,
    /// Its learning rate.
    pub lr: f64,
    /// Seed of the random initial weights.
    pub seed: u64,
    /// Training steps per second while playing.
    pub speed: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shape: Shape::Moons,
            hidden: 16,
            optimizer: OptimizerKind::Adam,
            lr: 0.02,
            seed: 1,
            speed: 30.0,
        }
    }
}

/// What the page shows about the current weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Readouts {
    /// The loss of the latest prediction (before the update it fed).
    pub loss: Option<f32>,
    /// Predicted class of every point, once predicted.
    pub predictions: Option<Vec<usize>>,
    /// Steps (weight updates) since the weights were initialised.
    pub steps: usize,
}

/// The loop's state: the toy data, the network and its optimiser, and where the loop is.
pub struct Model {
    settings: Settings,
    data: ToyData,
    inputs: Tensor,
    net: Mlp,
    optimizer: Box<dyn Optimizer<f32>>,
    stage: Stage,
    grads: Option<Vec<Tensor>>,
    readouts: Readouts,
    /// (step, loss) of every step taken, thinned when long.
    history: Vec<(usize, f32)>,
    running: bool,
    diverged: bool,
    /// Steps (or stages, when [`Model::staged`]) per second, and the fraction owed.
    clock: Clock,
    revision: u64,
    /// Changes when the weights change (the decision map must be redrawn).
    weights_revision: u64,
}

impl Model {
    /// A fresh network for `settings` on its data set.
    pub fn new(settings: Settings) -> nnlab::Result<Model> {
        let data = ToyData::generate(settings.shape, PER_CLASS, noise(settings.shape), DATA_SEED);
        let inputs = Tensor::new(&[data.len(), 2], data.flat());
        let net = network(&settings)?;
        let optimizer = optimizer(&settings)?;
        Ok(Model {
            settings,
            data,
            inputs,
            net,
            optimizer,
            stage: Stage::Weights,
            grads: None,
            readouts: Readouts {
                loss: None,
                predictions: None,
                steps: 0,
            },
            history: Vec::new(),
            running: false,
            diverged: false,
            clock: Clock::new(units_per_second(&settings)),
            revision: 0,
            weights_revision: 0,
        })
    }

    /// What a link carries.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    /// The toy data set.
    pub fn data(&self) -> &ToyData {
        &self.data
    }
    /// The network.
    pub fn net(&self) -> &Mlp {
        &self.net
    }
    /// The stage just done (lit on the page).
    pub fn stage(&self) -> Stage {
        self.stage
    }
    /// What the page shows about the current weights.
    pub fn readouts(&self) -> &Readouts {
        &self.readouts
    }
    /// (step, loss) of every step taken, thinned when long.
    pub fn history(&self) -> &[(usize, f32)] {
        &self.history
    }
    /// Whether the loop runs by itself.
    pub fn is_running(&self) -> bool {
        self.running
    }
    /// Whether the loss stopped being finite (the loop then stays stopped).
    pub fn diverged(&self) -> bool {
        self.diverged
    }
    /// Whether the loop runs stage by stage (slow enough to follow).
    pub fn staged(&self) -> bool {
        self.settings.speed <= STAGED_SPEED
    }
    /// Bumped on every change the page shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when the weights change (the decision map must be redrawn).
    pub fn weights_revision(&self) -> u64 {
        self.weights_revision
    }

    /// Points the latest prediction got wrong.
    pub fn mistakes(&self) -> Option<usize> {
        let predictions = self.readouts.predictions.as_ref()?;
        Some(
            predictions
                .iter()
                .zip(&self.data.labels)
                .filter(|(p, l)| p != l)
                .count(),
        )
    }

    /// All the weights and biases as one list of numbers — "a string of
    /// floating-point numbers", layer by layer, weight then bias.
    pub fn parameters(&self) -> Vec<f32> {
        self.net
            .layers
            .iter()
            .flat_map(|l| l.weight.data().iter().chain(l.bias.data()).copied())
            .collect()
    }

    /// Does the next stage of the loop.
    pub fn advance_stage(&mut self) -> nnlab::Result<()> {
        if self.diverged {
            self.running = false;
            return Ok(());
        }
        match self.stage.next() {
            Stage::Weights => {}
            Stage::Prediction => {
                let logits = self.net.logits(&self.inputs);
                self.readouts.predictions = Some(nnlab::loss::predictions(&logits));
            }
            Stage::Loss => {
                let lg = self.net.loss_and_grads(&self.inputs, &self.data.labels)?;
                self.readouts.predictions = Some(nnlab::loss::predictions(&lg.logits));
                self.readouts.loss = Some(lg.loss);
                if !lg.loss.is_finite()
                    || lg
                        .grads
                        .iter()
                        .any(|g| g.data().iter().any(|v| !v.is_finite()))
                {
                    self.diverged = true;
                    self.running = false;
                }
                self.grads = Some(lg.grads);
            }
            Stage::Update => {
                if let Some(grads) = self.grads.take() {
                    self.net.apply_grads(self.optimizer.as_mut(), &grads);
                    self.readouts.steps += 1;
                    self.weights_revision += 1;
                    if let Some(loss) = self.readouts.loss {
                        self.record(loss);
                    }
                }
            }
        }
        if !self.diverged {
            self.stage = self.stage.next();
        }
        self.revision += 1;
        Ok(())
    }

    /// Finishes the current step (or does a whole one): stages until an update is done.
    pub fn step(&mut self) -> nnlab::Result<()> {
        loop {
            self.advance_stage()?;
            if self.stage == Stage::Update || self.diverged {
                return Ok(());
            }
        }
    }

    /// How many steps (or stages, when [`Model::staged`]) the clock owes after `dt_ms`.
    pub fn due(&mut self, dt_ms: f64) -> usize {
        if !self.running {
            self.clock.restart();
            return 0;
        }
        self.clock.due(dt_ms, usize::MAX)
    }

    /// One unit of clock work: a stage when slow, a whole step when fast.
    pub fn work(&mut self) -> nnlab::Result<()> {
        if self.staged() {
            self.advance_stage()
        } else {
            self.step()
        }
    }

    /// Drops work the frame had no time for, so a slow machine does not fall ever further behind.
    pub fn forgive(&mut self) {
        self.clock.restart();
    }

    /// Runs or pauses the loop (a diverged one stays stopped).
    pub fn toggle_run(&mut self) {
        if self.diverged {
            self.running = false;
        } else {
            self.running = !self.running;
        }
        self.revision += 1;
    }

    /// Stops the loop if it runs.
    pub fn pause(&mut self) {
        if self.running {
            self.running = false;
            self.revision += 1;
        }
    }

    /// Back to the initial weights of the current seed (step 0).
    pub fn reset(&mut self) -> nnlab::Result<()> {
        let fresh = Model::new(self.settings)?;
        self.replace_with(fresh);
        Ok(())
    }

    /// Takes over `fresh` (e.g. from a link), making sure the page redraws everything.
    pub fn replace_with(&mut self, mut fresh: Model) {
        fresh.revision = self.revision + 1;
        fresh.weights_revision = self.weights_revision + 1;
        *self = fresh;
    }

    /// New random initial weights (the next seed): "training starts from random weights".
    pub fn reinitialise(&mut self) -> nnlab::Result<()> {
        self.settings.seed = (self.settings.seed + 1) % (*SEED_RANGE.end() as u64 + 1);
        self.reset()
    }

    /// Applies new settings. The data, the width or the seed start training
    /// again; the optimiser and learning rate take effect at the next step
    /// (a changed optimiser starts with fresh state).
    pub fn set(&mut self, settings: Settings) -> nnlab::Result<()> {
        check(&settings)?;
        let old = self.settings;
        if (settings.shape, settings.hidden, settings.seed) != (old.shape, old.hidden, old.seed) {
            self.settings = settings;
            return self.reset();
        }
        if settings.optimizer != old.optimizer {
            self.optimizer = optimizer(&settings)?;
        } else if settings.lr != old.lr {
            let hyper = Hyper {
                lr: settings.lr,
                ..self.optimizer.hyper()
            };
            self.optimizer.set_hyper(hyper)?;
        }
        self.settings = settings;
        self.clock.set_speed(units_per_second(&settings));
        self.revision += 1;
        Ok(())
    }

    /// P(class 1) on an `nx × ny` grid over the plane, top row first: the
    /// network's decision regions. One batched forward pass.
    pub fn decision_map(&self, nx: usize, ny: usize) -> Vec<f32> {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let mut xy = Vec::with_capacity(nx * ny * 2);
        for j in 0..ny {
            let y = VIEW_Y.1 + (VIEW_Y.0 - VIEW_Y.1) * j as f64 / (ny - 1) as f64;
            for i in 0..nx {
                let x = VIEW_X.0 + (VIEW_X.1 - VIEW_X.0) * i as f64 / (nx - 1) as f64;
                xy.push(x as f32);
                xy.push(y as f32);
            }
        }
        let logits = self.net.logits(&Tensor::new(&[nx * ny, 2], xy));
        logits
            .data()
            .chunks(2)
            .map(|z| {
                // softmax of two logits: p₁ = 1 / (1 + e^(z₀ − z₁)).
                let p = 1.0 / (1.0 + (z[0] - z[1]).exp());
                if p.is_finite() {
                    p
                } else {
                    0.5
                }
            })
            .collect()
    }

    fn record(&mut self, loss: f32) {
        self.history.push((self.readouts.steps, loss));
        if self.history.len() > HISTORY_CAP {
            // Keep every other point: the curve's shape survives, memory stays bounded.
            let mut i = 0;
            self.history.retain(|_| {
                i += 1;
                i % 2 == 1
            });
        }
    }
}

/// What the clock counts per second: stages when the loop runs stage by
/// stage (four to a step), whole steps otherwise.
fn units_per_second(s: &Settings) -> f64 {
    if s.speed <= STAGED_SPEED {
        s.speed * Stage::ALL.len() as f64
    } else {
        s.speed
    }
}

fn noise(shape: Shape) -> f64 {
    match shape {
        Shape::Moons => 0.12,
        Shape::Circles => 0.1,
    }
}

/// 2 → hidden (tanh) → 2, Xavier-initialised from the settings' seed.
fn network(s: &Settings) -> nnlab::Result<Mlp> {
    let spec = MlpSpec {
        input: 2,
        layers: vec![s.hidden, 2],
        activation: Activation::Tanh,
    };
    Mlp::new(spec, Init::XavierUniform, s.seed)
}

fn optimizer(s: &Settings) -> nnlab::Result<Box<dyn Optimizer<f32>>> {
    let hyper = Hyper {
        lr: s.lr,
        ..Hyper::defaults(s.optimizer)
    };
    build::<f32>(s.optimizer, hyper)
}

fn check(s: &Settings) -> nnlab::Result<()> {
    if !HIDDEN_CHOICES.contains(&s.hidden) {
        return Err(nnlab::Error::OutOfRange {
            what: "hidden layer width",
            detail: format!("{} is not one of {HIDDEN_CHOICES:?}", s.hidden),
        });
    }
    for (what, v, range) in [
        ("learning rate", s.lr, LR_RANGE),
        ("speed", s.speed, SPEED_RANGE),
    ] {
        if !v.is_finite() {
            return Err(nnlab::Error::NotFinite { what, value: v });
        }
        if !range.contains(&v) {
            return Err(nnlab::Error::OutOfRange {
                what,
                detail: format!("{v} is outside {} … {}", range.start(), range.end()),
            });
        }
    }
    if !OPTIMIZERS.contains(&s.optimizer) {
        return Err(nnlab::Error::OutOfRange {
            what: "optimizer",
            detail: format!("{} is not offered here", s.optimizer.name()),
        });
    }
    Ok(())
}

impl LessonModel for Model {
    /// Runs the steps (or stages) the clock owes, within the frame's budget
    /// (one unit of work always runs).
    fn tick(&mut self, dt_ms: f64) -> WebResult<()> {
        let due = self.due(dt_ms);
        let budget = Budget::start(WORK_BUDGET_MS);
        for _ in 0..due {
            self.work()?;
            if !self.is_running() {
                break;
            }
            if budget.spent() {
                self.forgive();
                break;
            }
        }
        Ok(())
    }

    /// A shared control: Space plays, → walks one stage of the loop, R starts
    /// again from the same initial weights.
    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::PlayPause => self.toggle_run(),
            Command::Step => {
                self.pause();
                self.advance_stage()?;
            }
            Command::Reset => self.reset()?,
            Command::Preset(_) => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        Playback::full(self.is_running())
    }

    fn hidden(&mut self) {
        self.pause();
    }
}

impl FromLink for Model {
    /// The settings as link pairs.
    fn to_query(&self) -> Query {
        let s = &self.settings;
        vec![
            ("data".into(), s.shape.name().into()),
            ("hidden".into(), s.hidden.to_string()),
            ("opt".into(), s.optimizer.name().into()),
            ("lr".into(), format_value(s.lr)),
            ("seed".into(), s.seed.to_string()),
            ("speed".into(), format_value(s.speed)),
        ]
    }

    /// Settings from a link on top of the defaults; what cannot be used is reported.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut s = Settings::default();
        if let Some(shape) = r.name("data", Shape::from_name) {
            s.shape = shape;
        }
        if let Some(h) = r.number("hidden", 1.0..=64.0) {
            match HIDDEN_CHOICES.into_iter().find(|&c| c as f64 == h) {
                Some(c) => s.hidden = c,
                None => r.report("hidden", &format_value(h), Problem::OutOfRange),
            }
        }
        if let Some(kind) = r.offered("opt", OptimizerKind::from_name, &OPTIMIZERS) {
            s.optimizer = kind;
        }
        r.number_into("lr", LR_RANGE, &mut s.lr);
        if let Some(seed) = r.whole("seed", SEED_RANGE) {
            s.seed = seed;
        }
        r.number_into("speed", SPEED_RANGE, &mut s.speed);
        Ok((Model::new(s)?, r.finish()))
    }

    /// The revisions keep counting, so the page redraws everything.
    fn take_place(&mut self, fresh: Model) {
        self.replace_with(fresh);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trained(settings: Settings, steps: usize) -> Model {
        let mut m = Model::new(settings).unwrap();
        for _ in 0..steps {
            m.step().unwrap();
        }
        m
    }

    #[test]
    fn a_step_walks_the_four_stages() {
        let mut m = Model::new(Settings::default()).unwrap();
        assert_eq!(m.stage(), Stage::Weights);
        let before = m.parameters();
        m.advance_stage().unwrap();
        assert_eq!(m.stage(), Stage::Prediction);
        assert!(m.readouts().predictions.is_some() && m.readouts().loss.is_none());
        m.advance_stage().unwrap();
        assert_eq!(m.stage(), Stage::Loss);
        assert!(m.readouts().loss.is_some());
        assert_eq!(m.parameters(), before, "the loss alone changes no weight");
        m.advance_stage().unwrap();
        assert_eq!(m.stage(), Stage::Update);
        assert_ne!(m.parameters(), before);
        assert_eq!(m.readouts().steps, 1);
        m.advance_stage().unwrap();
        assert_eq!(m.stage(), Stage::Weights);
        // 2·16 + 16 + 16·2 + 2 = 82 numbers.
        assert_eq!(before.len(), 82);
    }

    #[test]
    fn training_lowers_the_loss_on_the_moons() {
        let s = Settings::default();
        let m = trained(s, 600);
        let first = m.history()[0].1;
        let last = m.history().last().unwrap().1;
        // Random weights: about ln 2 ≈ 0.69 or worse; after 600 Adam steps the moons are separated.
        assert!(first > 0.3, "initial loss {first}");
        assert!(last < 0.08, "loss after 600 steps {last}");
        assert!(m.mistakes().unwrap() <= 4, "{:?}", m.mistakes());
    }

    #[test]
    fn sgd_also_learns_the_circles() {
        let s = Settings {
            shape: Shape::Circles,
            optimizer: OptimizerKind::Sgd,
            lr: 0.5,
            ..Settings::default()
        };
        let m = trained(s, 1500);
        let last = m.history().last().unwrap().1;
        assert!(last < 0.15, "loss after 1500 SGD steps {last}");
    }

    #[test]
    fn the_same_seed_gives_the_same_run_and_reinitialising_changes_it() {
        let a = trained(Settings::default(), 20);
        let b = trained(Settings::default(), 20);
        assert_eq!(a.history(), b.history());
        let mut c = Model::new(Settings::default()).unwrap();
        let w = c.parameters();
        c.reinitialise().unwrap();
        assert_eq!(c.settings().seed, 2);
        assert_ne!(c.parameters(), w);
        assert_eq!(c.readouts().steps, 0);
    }

    #[test]
    fn the_clock_runs_stages_when_slow_and_steps_when_fast() {
        let mut m = Model::new(Settings::default()).unwrap();
        assert_eq!(m.due(1000.0), 0, "paused: nothing due");
        m.toggle_run();
        // 30 steps/s for 100 ms: 3 steps.
        assert_eq!(m.due(100.0), 3);
        let slow = Settings {
            speed: 2.0,
            ..Settings::default()
        };
        m.set(slow).unwrap();
        assert!(m.staged());
        // 2 steps/s = 8 stages/s; 500 ms → 4 stages.
        assert_eq!(m.due(500.0), 4);
    }

    #[test]
    fn the_decision_map_is_probabilities() {
        let m = trained(Settings::default(), 300);
        let map = m.decision_map(20, 15);
        assert_eq!(map.len(), 300);
        assert!(map.iter().all(|p| (0.0..=1.0).contains(p)));
        // A trained network is sure somewhere of each class.
        assert!(map.iter().any(|&p| p < 0.1) && map.iter().any(|&p| p > 0.9));
    }

    #[test]
    fn bad_settings_are_refused() {
        let mut m = Model::new(Settings::default()).unwrap();
        let bad = |f: fn(&mut Settings)| {
            let mut s = Settings::default();
            f(&mut s);
            s
        };
        assert!(m.set(bad(|s| s.lr = f64::NAN)).is_err());
        assert!(m.set(bad(|s| s.lr = 5.0)).is_err());
        assert!(m.set(bad(|s| s.hidden = 1000)).is_err());
        assert!(m
            .set(bad(|s| s.optimizer = OptimizerKind::Adagrad))
            .is_err());
        assert_eq!(m.settings(), &Settings::default());
    }

    #[test]
    fn links_round_trip_and_report_bad_values() {
        let s = Settings {
            shape: Shape::Circles,
            hidden: 8,
            optimizer: OptimizerKind::Sgd,
            lr: 0.3,
            seed: 42,
            speed: 100.0,
        };
        let m = Model::new(s).unwrap();
        let (back, notices) = Model::from_query(&m.to_query()).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.settings(), &s);

        let q: Query = [
            ("data", "spiral"),
            ("hidden", "5"),
            ("opt", "nesterov"),
            ("lr", "NaN"),
            ("seed", "1.5"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (m, notices) = Model::from_query(&q).unwrap();
        let problems: Vec<Problem> = notices.iter().map(|n| n.problem).collect();
        assert_eq!(
            problems,
            vec![
                Problem::UnknownName,
                Problem::OutOfRange,
                Problem::UnknownName,
                Problem::NotANumber,
                Problem::NotANumber
            ]
        );
        assert_eq!(m.settings(), &Settings::default());
    }
}
