//! The 1-D descent lesson's state, free of browser types: SGD on the lecture's
//! double-well curve f(x) = x⁴ − 3x² + x, with three learning-rate presets
//! (too small, good, too large), optional mini-batch noise, the ball's path
//! and the loss after every step.

use nnlab::descent::{Descent, Divergence, Status};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::surfaces::{self, Minimum, Surface};

use super::noise::{NoisyGradient, NOISE_SEED};
use crate::lessons::kit::clock::Clock;
use crate::lessons::kit::path::Path;
use crate::lessons::kit::walk::{Play, Walk};

/// The lecture's double well f(x) = x⁴ − 3x² + x, by its core name.
pub const SURFACE: &str = "double-well";
/// Below this slope size (without noise) the ball has stopped.
pub const SETTLED_GRAD: f64 = 1e-6;
/// A run that neither settles nor diverges (noise, or endless bouncing) stops here.
pub const MAX_STEPS: usize = 2000;
/// Most steps in one animation frame, whatever the speed.
pub const MAX_STEPS_PER_FRAME: usize = 200;
/// Steps per second when the lesson opens.
pub const DEFAULT_SPEED: f64 = 30.0;
/// The slowest speed the slider (and a link) may set, in steps per second.
pub const SPEED_MIN: f64 = 1.0;
/// The fastest speed the slider (and a link) may set.
pub const SPEED_MAX: f64 = 1000.0;
/// The smallest learning rate the slider (and a link) may set.
pub const LR_MIN: f64 = 1e-4;
/// The largest learning rate the slider (and a link) may set.
pub const LR_MAX: f64 = 1.0;
/// The largest noise (standard deviation) the slider (and a link) may set.
pub const NOISE_MAX: f64 = 30.0;

/// The lecture's three cases for the step size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Crawls down and stays in the local minimum.
    TooSmall,
    /// Jumps over the hump into the deeper valley and settles in the global minimum.
    Good,
    /// Overshoots further every step: lands anywhere on the curve, then diverges.
    TooLarge,
}

impl Preset {
    /// In key order: 1, 2, 3.
    pub const ALL: [Preset; 3] = [Preset::TooSmall, Preset::Good, Preset::TooLarge];

    /// The learning rate, from the default start x = 1.9 (f′(1.9) = 17.036):
    /// - 0.01: first step to 1.730, then 152 small steps into the local minimum x ≈ 1.131;
    /// - 0.12: first step to −0.144, past the hump at x ≈ 0.170, then into the global
    ///   minimum x ≈ −1.301, where f″ ≈ 14.3 and 0.12 < 2/14.3 keeps it stable;
    /// - 0.25: first step to −2.359, then 6.98, −322.9: the loss explodes.
    pub fn lr(self) -> f64 {
        match self {
            Preset::TooSmall => 0.01,
            Preset::Good => 0.12,
            Preset::TooLarge => 0.25,
        }
    }

    /// A stable name (for saved state and tests).
    pub fn name(self) -> &'static str {
        match self {
            Preset::TooSmall => "too-small",
            Preset::Good => "good",
            Preset::TooLarge => "too-large",
        }
    }

    /// The preset called `name` (see [`Preset::name`]), if any.
    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The preset whose learning rate is exactly `lr`, if any.
    pub fn of_lr(lr: f64) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.lr() == lr)
    }
}

impl Settings {
    /// What the lesson opens with: `preset` from the curve's default start.
    pub fn opening(preset: Preset, surface: &Surface) -> Settings {
        Settings {
            preset: Some(preset),
            lr: preset.lr(),
            noise: 0.0,
            start: surface.default_start[0],
            speed: DEFAULT_SPEED,
        }
    }
}

/// The state that defines what the lesson shows (what a shared link would carry).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The preset the learning rate came from, if it was not moved since.
    pub preset: Option<Preset>,
    /// The learning rate.
    pub lr: f64,
    /// Standard deviation of the noise added to each gradient (0 = plain gradient descent).
    pub noise: f64,
    /// Where the ball starts.
    pub start: f64,
    /// Steps per second.
    pub speed: f64,
}

/// Where the run is; a finished run says how it ended in [`Model::end`].
pub use crate::lessons::kit::walk::Play as Phase;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum End {
    /// The slope is (practically) zero: the ball has stopped.
    Settled,
    /// [`MAX_STEPS`] taken without settling.
    OutOfSteps,
    /// The core stopped the run; `lr` is the learning rate it diverged at.
    Diverged {
        /// What went wrong.
        why: Divergence,
        /// The learning rate of the run.
        lr: f64,
    },
}

/// The state of the 1-D descent (SGD and local minima): the curve, the settings, the ball's run.
pub struct Model {
    /// The preset the section opens with (and a link falls back to).
    opening: Preset,
    surface: Surface,
    settings: Settings,
    descent: Descent,
    /// The ball's positions.
    path: Path,
    /// (step, loss) after every recorded step, for the chart.
    losses: Path,
    clock: Clock,
    phase: Phase,
    end: Option<End>,
    revision: u64,
    controls_revision: u64,
}

impl Model {
    /// Starts with `preset` from the curve's default start x = 1.9.
    pub fn new(preset: Preset) -> nnlab::Result<Model> {
        let surface = surfaces::by_name(SURFACE)?;
        let settings = Settings::opening(preset, &surface);
        let descent = build(&surface, &settings)?;
        let mut model = Model {
            opening: preset,
            path: Path::new(&[settings.start]),
            losses: Path::new(&[0.0, descent.loss()]),
            surface,
            settings,
            descent,
            clock: Clock::new(DEFAULT_SPEED),
            phase: Phase::Ready,
            end: None,
            revision: 0,
            controls_revision: 0,
        };
        model.restart();
        Ok(model)
    }

    /// The curve.
    pub fn surface(&self) -> &Surface {
        &self.surface
    }
    /// The preset the section opens with.
    pub fn opening(&self) -> Preset {
        self.opening
    }

    /// What a link carries.
    pub fn settings(&self) -> Settings {
        self.settings
    }
    /// Where the run is: ready, running, paused or finished.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// How the run ended, once it has.
    pub fn end(&self) -> Option<End> {
        self.end
    }
    /// The core's walk: the ball's point, steps and status.
    pub fn descent(&self) -> &Descent {
        &self.descent
    }
    /// The points the ball visited, the start first.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// `[step, loss]` pairs, thinned on long runs, the start first.
    pub fn losses(&self) -> &Path {
        &self.losses
    }
    /// Bumped on every change the picture shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when code (not the user's hand) changes a control's value.
    pub fn controls_revision(&self) -> u64 {
        self.controls_revision
    }

    /// The point x of the ball.
    pub fn x(&self) -> f64 {
        self.descent.point()[0]
    }

    /// The known minimum nearest to the ball (the bottom of the valley it is in).
    pub fn nearest_minimum(&self) -> &Minimum {
        nearest_minimum(&self.surface, self.x())
    }

    /// Restores saved settings (checked like user input); the run starts again.
    pub fn apply(&mut self, settings: Settings) -> nnlab::Result<()> {
        self.surface.check_point(&[settings.start])?;
        check_range("learning rate", settings.lr, LR_MIN, LR_MAX)?;
        check_range("noise", settings.noise, 0.0, NOISE_MAX)?;
        let descent = build(&self.surface, &settings)?;
        self.descent = descent;
        self.settings = settings;
        self.clock.set_speed(settings.speed);
        self.settings.speed = self.clock.speed;
        self.controls_revision += 1;
        self.restart();
        Ok(())
    }

    /// Picks a preset: its learning rate, the ball back at the start, noise kept.
    pub fn set_preset(&mut self, preset: Preset) -> nnlab::Result<()> {
        self.apply(Settings {
            preset: Some(preset),
            lr: preset.lr(),
            ..self.settings
        })
    }

    /// A learning rate of the user's own (no preset any more); the run starts again.
    pub fn set_lr(&mut self, lr: f64) -> nnlab::Result<()> {
        let preset = Preset::of_lr(lr);
        self.apply(Settings {
            preset,
            lr,
            ..self.settings
        })
    }

    /// A new noise level (checked); the run starts again.
    pub fn set_noise(&mut self, noise: f64) -> nnlab::Result<()> {
        self.apply(Settings {
            noise,
            ..self.settings
        })
    }

    /// A new start (a click or drag on the curve), kept inside the picture.
    pub fn set_start(&mut self, x: f64) -> nnlab::Result<()> {
        self.surface.check_point(&[x])?;
        let (lo, hi) = self.surface.view.x;
        self.apply(Settings {
            start: x.clamp(lo, hi),
            ..self.settings
        })
    }

    /// Steps per second (clamped to ≥ 0).
    pub fn set_speed(&mut self, speed: f64) {
        self.clock.set_speed(speed);
        self.settings.speed = self.clock.speed;
    }

    /// Back to the start with fresh noise (keeps playing if it was).
    pub fn reset(&mut self) -> nnlab::Result<()> {
        self.descent.reset(&[self.settings.start])?;
        self.restart();
        Ok(())
    }

    fn restart(&mut self) {
        self.path = Path::new(&[self.settings.start]);
        self.losses = Path::new(&[0.0, self.descent.loss()]);
        self.clock.restart();
        self.end = None;
        if self.phase != Phase::Running {
            self.phase = Phase::Ready;
        }
        self.revision += 1;
    }

    fn finish(&mut self, end: End) {
        self.phase = Phase::Finished;
        self.end = Some(end);
    }

    /// Runs until the run ends (at most [`MAX_STEPS`]); for tests and the CLI-like use.
    pub fn run_to_end(&mut self) {
        self.phase = Phase::Running;
        while self.phase == Phase::Running {
            self.advance(MAX_STEPS_PER_FRAME);
        }
    }
}

fn check_range(what: &'static str, v: f64, lo: f64, hi: f64) -> nnlab::Result<()> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(nnlab::Error::OutOfRange {
            what,
            detail: format!("between {lo} and {hi}, got {v}"),
        })
    }
}

/// SGD (with the chosen noise) from the settings' start.
fn build(surface: &Surface, settings: &Settings) -> nnlab::Result<Descent> {
    let hyper = Hyper {
        lr: settings.lr,
        ..Hyper::defaults(OptimizerKind::Sgd)
    };
    let sgd = optim::build(OptimizerKind::Sgd, hyper)?;
    let noisy = NoisyGradient::new(sgd, settings.noise, NOISE_SEED);
    Descent::new(surface.clone(), Box::new(noisy), &[settings.start])
}

/// The known minimum of a 1-D `surface` closest to `x`.
pub fn nearest_minimum(surface: &Surface, x: f64) -> &Minimum {
    surface
        .minima
        .iter()
        .min_by(|a, b| (a.point[0] - x).abs().total_cmp(&(b.point[0] - x).abs()))
        .expect("the double well has two minima")
}

impl Walk for Model {
    const STEPS_PER_FRAME: usize = MAX_STEPS_PER_FRAME;

    fn play(&self) -> Play {
        self.phase
    }

    fn set_running(&mut self, running: bool) {
        self.phase = Play::running(running);
    }

    fn clock(&mut self) -> &mut Clock {
        &mut self.clock
    }

    fn advance(&mut self, n: usize) {
        for _ in 0..n {
            match self.descent.step() {
                Status::Running => {
                    let step = self.descent.steps();
                    self.path.push(step, self.descent.point());
                    self.losses.push(step, &[step as f64, self.descent.loss()]);
                    if self.settings.noise == 0.0 && self.descent.grad()[0].abs() < SETTLED_GRAD {
                        self.finish(End::Settled);
                        break;
                    }
                    if step >= MAX_STEPS {
                        self.finish(End::OutOfSteps);
                        break;
                    }
                }
                Status::Diverged(why) => {
                    self.finish(End::Diverged {
                        why,
                        lr: self.settings.lr,
                    });
                    break;
                }
            }
        }
        self.revision += 1;
    }

    /// R puts the ball back.
    fn rewind(&mut self) -> nnlab::Result<()> {
        self.reset()
    }

    fn changed(&mut self) {
        self.revision += 1;
    }

    /// 1, 2, 3 pick the too-small, good and too-large presets.
    fn preset(&mut self, n: usize) -> nnlab::Result<()> {
        match n.checked_sub(1).and_then(|i| Preset::ALL.get(i)) {
            Some(&preset) => self.set_preset(preset),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Command;
    use crate::lessons::LessonModel;

    fn run(preset: Preset) -> Model {
        let mut m = Model::new(preset).unwrap();
        m.run_to_end();
        m
    }

    #[test]
    fn too_small_gets_stuck_in_the_local_minimum() {
        let m = run(Preset::TooSmall);
        assert_eq!(m.end(), Some(End::Settled));
        assert!((m.x() - 1.1309).abs() < 1e-4, "x = {}", m.x());
        assert!(!m.nearest_minimum().global);
        // It crawls: 152 steps (worked out by iterating x ← x − 0.01(4x³ − 6x + 1) from 1.9).
        assert_eq!(m.descent().steps(), 152);
    }

    #[test]
    fn good_reaches_the_global_minimum() {
        let m = run(Preset::Good);
        assert_eq!(m.end(), Some(End::Settled));
        assert!((m.x() - -1.3008).abs() < 1e-4, "x = {}", m.x());
        assert!(m.nearest_minimum().global);
        assert_eq!(m.descent().steps(), 47);
        // The first step jumps from 1.9 to 1.9 − 0.12·17.036 = −0.14432, over the hump.
        assert!((m.path().points()[1][0] - -0.14432).abs() < 1e-9);
    }

    #[test]
    fn too_large_diverges() {
        let m = run(Preset::TooLarge);
        // 1.9 → −2.359 → 6.980 → −322.9, where the loss (about 1.1e10) is far past
        // 1e6·(1 + f(1.9)) = 1e6·5.1: the third step is refused, two were taken.
        assert!(
            matches!(m.end(), Some(End::Diverged { why: Divergence::Exploding, lr }) if lr == 0.25),
            "{:?}",
            m.phase()
        );
        assert_eq!(m.descent().steps(), 2);
        assert!((m.x() - 6.980054279).abs() < 1e-6);
    }

    #[test]
    fn noise_makes_the_run_stochastic_but_replayable() {
        let mut m = Model::new(Preset::TooSmall).unwrap();
        m.set_noise(5.0).unwrap();
        for _ in 0..30 {
            m.step_once();
        }
        let noisy = m.x();
        m.reset().unwrap();
        for _ in 0..30 {
            m.step_once();
        }
        assert_eq!(m.x(), noisy, "the same seed replays the same noise");
        let mut plain = Model::new(Preset::TooSmall).unwrap();
        for _ in 0..30 {
            plain.step_once();
        }
        assert!((plain.x() - noisy).abs() > 1e-6, "noise changed the walk");
        // With noise the ball never counts as settled; the run ends at the step limit.
        m.run_to_end();
        assert_eq!(m.end(), Some(End::OutOfSteps));
        assert_eq!(m.descent().steps(), MAX_STEPS);
    }

    #[test]
    fn presets_keys_and_bad_input() {
        let mut m = Model::new(Preset::Good).unwrap();
        m.set_lr(0.05).unwrap();
        assert_eq!(m.settings().preset, None);
        m.set_lr(0.01).unwrap();
        assert_eq!(m.settings().preset, Some(Preset::TooSmall));
        assert!(m.set_lr(0.0).is_err());
        assert!(m.set_lr(f64::NAN).is_err());
        assert!(m.set_noise(-1.0).is_err());
        assert!(m.set_start(f64::NAN).is_err());
        m.set_start(-9.0).unwrap();
        assert_eq!(m.settings().start, -2.0);
        assert_eq!(
            m.settings().lr,
            0.01,
            "a refused change leaves the settings alone"
        );
    }

    #[test]
    fn shared_keys_toggle_once_and_pick_presets() {
        let mut m = Model::new(Preset::Good).unwrap();
        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.phase(), Phase::Running);
        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.phase(), Phase::Paused);
        m.command(Command::Step).unwrap();
        assert_eq!(m.descent().steps(), 1);
        m.command(Command::Reset).unwrap();
        assert_eq!(m.descent().steps(), 0);
        m.command(Command::Preset(3)).unwrap();
        assert_eq!(m.settings().preset, Some(Preset::TooLarge));
        m.command(Command::Preset(1)).unwrap();
        assert_eq!(m.settings().lr, 0.01);
        // No fourth preset.
        m.command(Command::Preset(4)).unwrap();
        assert_eq!(m.settings().preset, Some(Preset::TooSmall));
    }

    #[test]
    fn plays_at_the_chosen_speed_and_records_the_loss() {
        let mut m = Model::new(Preset::TooSmall).unwrap();
        m.set_speed(20.0);
        m.toggle_play().unwrap();
        // 20 steps/s for 500 ms = 10 steps.
        m.tick(500.0).unwrap();
        assert_eq!(m.descent().steps(), 10);
        assert_eq!(m.losses().points().len(), 11);
        // The first recorded loss is f(1.9) = 13.0321 − 10.83 + 1.9 = 4.1021.
        assert!((m.losses().points()[0][1] - 4.1021).abs() < 1e-9);
    }
}
