//! The gradient lesson's state, free of browser types: a 2-D surface, the
//! point W₀ the user clicked, the step size, and the walk
//! W_{k+1} = W_k − step·∇f(W_k) (plain SGD on the core's [`Descent`], whose
//! gradients come from the autodiff tape). [`Model::preview`] is the next step
//! with both losses, which is what the lesson is about: for a small step
//! f(W₁) < f(W₀), for a big one f(W₁) > f(W₀).

use nnlab::descent::{Descent, Divergence, Status};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::surfaces::{self, Surface};

use crate::lessons::kit::clock::Clock;
use crate::lessons::kit::labels::SURFACES;
use crate::lessons::kit::walk::{Play, Walk};

/// The surface the lesson opens with: four valleys, so the arrows point many ways.
pub const DEFAULT_SURFACE: &str = "himmelblau";
/// The smallest step factor the slider (and a link) may set.
pub const STEP_MIN: f64 = 1e-4;
/// The largest step factor the slider (and a link) may set.
pub const STEP_MAX: f64 = 1.0;
/// Steps per second when playing: slow, every step is worth a look.
pub const DEFAULT_SPEED: f64 = 2.0;
/// The slowest speed the slider (and a link) may set, in steps per second.
pub const SPEED_MIN: f64 = 0.5;
/// The fastest speed the slider (and a link) may set.
pub const SPEED_MAX: f64 = 60.0;
/// A walk stops after this many steps (the lesson is about single steps).
pub const MAX_STEPS: usize = 500;

/// The state that defines what the lesson shows (what a shared link would carry).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// One of the 2-D surface names ([`SURFACES`]).
    pub surface: String,
    /// The clicked starting point W₀.
    pub start: [f64; 2],
    /// The scale factor `step` of W₁ = W₀ − step·∇f(W₀).
    pub step: f64,
    /// Steps per second when playing.
    pub speed: f64,
}

/// One step from the current point: W₀, f(W₀), ∇f(W₀), W₁, f(W₁).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepPreview {
    /// W₀, the current point.
    pub w0: [f64; 2],
    /// f(W₀).
    pub f0: f64,
    /// ∇f(W₀).
    pub grad: [f64; 2],
    /// W₁ = W₀ − step·∇f(W₀).
    pub w1: [f64; 2],
    /// May be huge or infinite for an absurd step; it is shown as it is.
    pub f1: f64,
}

impl StepPreview {
    /// Whether the step lowers the loss.
    pub fn goes_down(&self) -> bool {
        self.f1 < self.f0
    }
}

/// Where the walk is; a finished walk stopped (the gradient vanished, or
/// [`MAX_STEPS`]) unless [`Model::diverged`] says it diverged.
pub use crate::lessons::kit::walk::Play as Phase;

/// The gradient lesson's state: the surface, W₀, the step factor and the walk so far.
pub struct Model {
    surface: Surface,
    start: [f64; 2],
    step: f64,
    descent: Descent,
    path: Vec<Vec<f64>>,
    clock: Clock,
    phase: Phase,
    /// Why the walk ended, when it diverged.
    diverged: Option<Divergence>,
    revision: u64,
    controls_revision: u64,
}

impl Model {
    /// Opens on [`DEFAULT_SURFACE`] at its default start and learning rate.
    pub fn new() -> nnlab::Result<Model> {
        let surface = surfaces::by_name(DEFAULT_SURFACE)?;
        let start = [surface.default_start[0], surface.default_start[1]];
        let step = surface.default_lr;
        let descent = Descent::new(surface.clone(), sgd(step)?, &start)?;
        Ok(Model {
            surface,
            start,
            step,
            descent,
            path: vec![start.to_vec()],
            clock: Clock::new(DEFAULT_SPEED),
            phase: Phase::Ready,
            diverged: None,
            revision: 0,
            controls_revision: 0,
        })
    }

    /// The surface.
    pub fn surface(&self) -> &Surface {
        &self.surface
    }
    /// The step factor of W₁ = W₀ − step·∇f(W₀).
    pub fn step(&self) -> f64 {
        self.step
    }
    /// W₀, where the walk starts.
    pub fn start(&self) -> [f64; 2] {
        self.start
    }
    /// Where the walk is: ready, running, paused or finished.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Why the walk stopped, if it diverged.
    pub fn diverged(&self) -> Option<Divergence> {
        self.diverged
    }
    /// Steps taken since W₀.
    pub fn steps(&self) -> usize {
        self.descent.steps()
    }
    /// The points visited: W₀ first, the current point last.
    pub fn path(&self) -> &[Vec<f64>] {
        &self.path
    }
    /// Steps per second when playing.
    pub fn speed(&self) -> f64 {
        self.clock.speed
    }
    /// Bumped on every change the picture shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when code (not the user's hand) changes a control's value.
    pub fn controls_revision(&self) -> u64 {
        self.controls_revision
    }

    /// What a link carries.
    pub fn settings(&self) -> Settings {
        Settings {
            surface: self.surface.name.to_string(),
            start: self.start,
            step: self.step,
            speed: self.clock.speed,
        }
    }

    /// Restores saved settings (checked like user input).
    pub fn apply(&mut self, settings: &Settings) -> nnlab::Result<()> {
        self.set_surface(&settings.surface)?;
        self.set_step(settings.step)?;
        self.set_start(settings.start)?;
        self.set_speed(settings.speed);
        Ok(())
    }

    /// The next step from the current point.
    pub fn preview(&self) -> StepPreview {
        preview(&self.surface, self.descent.point(), self.step)
    }

    /// Another surface: back to its default start.
    pub fn set_surface(&mut self, name: &str) -> nnlab::Result<()> {
        let surface = surfaces::by_name(name)?;
        if surface.dim != 2 {
            return Err(nnlab::Error::unknown("2-D surface", name, &SURFACES));
        }
        self.start = [surface.default_start[0], surface.default_start[1]];
        self.step = surface.default_lr;
        self.descent = Descent::new(surface.clone(), sgd(self.step)?, &self.start)?;
        self.surface = surface;
        self.controls_revision += 1;
        self.restart();
        Ok(())
    }

    /// A new W₀ (a click on the map): the walk starts again there.
    pub fn set_start(&mut self, point: [f64; 2]) -> nnlab::Result<()> {
        self.surface.check_point(&point)?;
        self.descent.reset(&point)?;
        self.start = point;
        self.restart();
        Ok(())
    }

    /// A new step size; the walk keeps its place.
    pub fn set_step(&mut self, step: f64) -> nnlab::Result<()> {
        if !(STEP_MIN..=STEP_MAX).contains(&step) {
            return Err(nnlab::Error::OutOfRange {
                what: "step",
                detail: format!("between {STEP_MIN} and {STEP_MAX}, got {step}"),
            });
        }
        self.descent.optimizer_mut().set_hyper(hyper(step))?;
        self.step = step;
        self.revision += 1;
        Ok(())
    }

    /// Steps per second (clamped to ≥ 0).
    pub fn set_speed(&mut self, speed: f64) {
        self.clock.set_speed(speed);
    }

    /// Back to W₀ (keeps playing if it was).
    pub fn reset(&mut self) -> nnlab::Result<()> {
        self.descent.reset(&self.start)?;
        self.restart();
        Ok(())
    }

    fn restart(&mut self) {
        self.path = vec![self.start.to_vec()];
        self.diverged = None;
        self.clock.restart();
        if self.phase != Phase::Running {
            self.phase = Phase::Ready;
        }
        self.revision += 1;
    }
}

fn hyper(step: f64) -> Hyper {
    Hyper {
        lr: step,
        ..Hyper::defaults(OptimizerKind::Sgd)
    }
}

/// Plain SGD: exactly W ← W − step·∇f(W).
fn sgd(step: f64) -> nnlab::Result<Box<dyn optim::Optimizer<f64>>> {
    optim::build(OptimizerKind::Sgd, hyper(step))
}

/// The step W₁ = W₀ − step·∇f(W₀) on `surface` from `w0` (2 coordinates).
pub fn preview(surface: &Surface, w0: &[f64], step: f64) -> StepPreview {
    let (f0, g) = surface.value_and_grad(w0);
    let w1 = [w0[0] - step * g[0], w0[1] - step * g[1]];
    StepPreview {
        w0: [w0[0], w0[1]],
        f0,
        grad: [g[0], g[1]],
        w1,
        f1: surface.value(&w1),
    }
}

impl Walk for Model {
    const STEPS_PER_FRAME: usize = 50;

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
                    self.path.push(self.descent.point().to_vec());
                    let g = self.descent.grad();
                    if g[0].hypot(g[1]) < 1e-6 || self.descent.steps() >= MAX_STEPS {
                        self.phase = Phase::Finished;
                        break;
                    }
                }
                Status::Diverged(why) => {
                    self.phase = Phase::Finished;
                    self.diverged = Some(why);
                    break;
                }
            }
        }
        self.revision += 1;
    }

    /// R goes back to W₀; the lesson has no prepared scenes, so digits do nothing.
    fn rewind(&mut self) -> nnlab::Result<()> {
        self.reset()
    }

    fn changed(&mut self) {
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Command;
    use crate::lessons::LessonModel;

    #[test]
    fn a_small_step_goes_down_and_a_big_one_goes_up() {
        // f = 0.5(x² + 50y²), ∇f = (x, 50y). At W₀ = (1, 1): f = 25.5, ∇f = (1, 50).
        let s = surfaces::by_name("ill-conditioned").unwrap();
        let small = preview(&s, &[1.0, 1.0], 0.01);
        assert_eq!(small.f0, 25.5);
        assert_eq!(small.grad, [1.0, 50.0]);
        // W₁ = (0.99, 0.5): f = 0.5(0.9801 + 12.5) = 6.74005 < 25.5.
        assert!((small.w1[0] - 0.99).abs() < 1e-12 && (small.w1[1] - 0.5).abs() < 1e-12);
        assert!((small.f1 - 6.74005).abs() < 1e-9);
        assert!(small.goes_down());
        // step 0.05: W₁ = (0.95, −1.5): f = 0.5(0.9025 + 112.5) = 56.70125 > 25.5 — jumped past the valley.
        let big = preview(&s, &[1.0, 1.0], 0.05);
        assert!((big.f1 - 56.70125).abs() < 1e-9);
        assert!(!big.goes_down());
    }

    #[test]
    fn stepping_follows_the_preview() {
        let mut m = Model::new().unwrap();
        m.set_surface("ill-conditioned").unwrap();
        m.set_step(0.01).unwrap();
        m.set_start([1.0, 1.0]).unwrap();
        let next = m.preview();
        m.step_once();
        assert_eq!(m.steps(), 1);
        assert_eq!(m.path().len(), 2);
        assert_eq!(m.path()[1], next.w1.to_vec());
        assert_eq!(m.preview().w0, next.w1);
        m.reset().unwrap();
        assert_eq!(m.steps(), 0);
        assert_eq!(m.preview().w0, [1.0, 1.0]);
    }

    #[test]
    fn a_step_far_too_big_diverges() {
        // Along y each step multiplies y by (1 − 50·step); step 1 gives −49 per step: it explodes.
        let mut m = Model::new().unwrap();
        m.set_surface("ill-conditioned").unwrap();
        m.set_step(1.0).unwrap();
        m.set_speed(1000.0);
        m.toggle_play().unwrap();
        for _ in 0..20 {
            m.tick(100.0).unwrap();
        }
        assert!(m.diverged().is_some(), "{:?}", m.phase());
    }

    #[test]
    fn shared_keys_toggle_once_step_and_reset() {
        let mut m = Model::new().unwrap();
        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.phase(), Phase::Running);
        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.phase(), Phase::Paused);
        m.command(Command::Step).unwrap();
        m.command(Command::Preset(2)).unwrap();
        assert_eq!(m.steps(), 1);
        m.command(Command::Reset).unwrap();
        assert_eq!(m.steps(), 0);
    }

    #[test]
    fn bad_input_is_refused() {
        let mut m = Model::new().unwrap();
        assert!(m.set_surface("double-well").is_err());
        assert!(m.set_step(0.0).is_err());
        assert!(m.set_step(f64::NAN).is_err());
        assert!(m.set_start([f64::INFINITY, 0.0]).is_err());
        let s = m.settings();
        assert_eq!(s.surface, DEFAULT_SURFACE);
        m.apply(&s).unwrap();
    }
}
