//! The state of the 2-D descent lesson, free of any browser type so it can be
//! tested natively: which surface, which optimiser with which settings, where
//! the walk started, the walk itself, and whether it is playing.

use nnlab::descent::{Descent, Divergence, Status};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::surfaces::{self, Surface};

use super::path::Path;

/// The 2-D surfaces offered, in menu order.
pub const SURFACES: [&str; 6] = [
    "rosenbrock",
    "beale",
    "himmelblau",
    "ill-conditioned",
    "saddle",
    "plateau",
];
/// Below this gradient size the walk has effectively stopped.
pub const CONVERGED_GRAD: f64 = 1e-6;
/// Most optimiser steps taken in one animation frame, whatever the speed,
/// so a frame stays within a few milliseconds.
pub const MAX_STEPS_PER_FRAME: usize = 400;
/// Steps per second when the lesson opens: slow enough to follow each step.
pub const DEFAULT_SPEED: f64 = 60.0;

/// What the lesson is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// At the start point, not yet started.
    Ready,
    Running,
    Paused,
    /// The gradient is (almost) zero: nothing more will happen.
    Converged,
    /// The core stopped the walk; the point is the last good one. `lr` is the
    /// learning rate it diverged at (the slider may have moved since).
    Diverged {
        why: Divergence,
        lr: f64,
    },
}

pub struct Model {
    surface: Surface,
    kind: OptimizerKind,
    hyper: Hyper,
    start: Vec<f64>,
    descent: Descent,
    path: Path,
    phase: Phase,
    /// Optimiser steps per second of wall-clock time.
    speed: f64,
    /// Fraction of a step owed from earlier frames.
    carry: f64,
    /// Bumped whenever the picture changes.
    revision: u64,
    /// Bumped whenever code (rather than the user's hand on a control) changes
    /// a control's value, so the view knows to show the new value.
    controls_revision: u64,
}

/// A learning rate that works for `kind` on `surface` from its default start.
///
/// SGD uses the surface's own `default_lr`. Momentum and Nesterov use half of
/// it: their velocity builds up to lr/(1 − μ) per step, and at the full rate
/// they overshoot the steep walls of Beale and the ill-conditioned bowl (the
/// unit tests check every pair). The adaptive methods take steps of about `lr`
/// in each coordinate whatever the gradient's size, so their rate follows the
/// view's size instead: about a hundredth of its shorter side (Adagrad more,
/// since its steps shrink as 1/√t; RMSProp less, since without bias
/// correction its first steps are 1/√(1 − α) = 10 times lr).
pub fn suggested_lr(surface: &Surface, kind: OptimizerKind) -> f64 {
    let side = (surface.view.x.1 - surface.view.x.0).min(surface.view.y.1 - surface.view.y.0);
    match kind {
        OptimizerKind::Sgd => surface.default_lr,
        OptimizerKind::Momentum | OptimizerKind::Nesterov => surface.default_lr * 0.5,
        OptimizerKind::Adagrad => side * 0.1,
        OptimizerKind::RmsProp => side * 0.002,
        OptimizerKind::Adam => side * 0.01,
    }
}

impl Model {
    /// SGD with momentum on Rosenbrock's banana valley: the lecture's optimiser on the classic surface.
    pub fn new() -> nnlab::Result<Model> {
        let surface = surfaces::by_name(SURFACES[0])?;
        let kind = OptimizerKind::Momentum;
        let hyper = Hyper {
            lr: suggested_lr(&surface, kind),
            ..Hyper::defaults(kind)
        };
        let start = surface.default_start.clone();
        let descent = Descent::new(surface.clone(), optim::build(kind, hyper)?, &start)?;
        Ok(Model {
            path: Path::new(&start),
            surface,
            kind,
            hyper,
            start,
            descent,
            phase: Phase::Ready,
            speed: DEFAULT_SPEED,
            carry: 0.0,
            revision: 0,
            controls_revision: 0,
        })
    }

    pub fn surface(&self) -> &Surface {
        &self.surface
    }
    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }
    pub fn hyper(&self) -> Hyper {
        self.hyper
    }
    pub fn speed(&self) -> f64 {
        self.speed
    }
    pub fn phase(&self) -> Phase {
        self.phase
    }
    pub fn descent(&self) -> &Descent {
        &self.descent
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
    pub fn revision(&self) -> u64 {
        self.revision
    }
    pub fn controls_revision(&self) -> u64 {
        self.controls_revision
    }
    /// Whether the optimiser uses a momentum factor (the slider is shown only then).
    pub fn uses_momentum(&self) -> bool {
        self.kind.hyper_names().contains(&"momentum")
    }

    /// Switches surface: back to its default start, with a learning rate that suits it.
    pub fn set_surface(&mut self, name: &str) -> nnlab::Result<()> {
        let surface = surfaces::by_name(name)?;
        if surface.dim != 2 {
            return Err(nnlab::Error::unknown("2-D surface", name, &SURFACES));
        }
        self.hyper.lr = suggested_lr(&surface, self.kind);
        self.start = surface.default_start.clone();
        self.surface = surface;
        self.rebuild()?;
        self.phase = Phase::Ready;
        self.controls_revision += 1;
        Ok(())
    }

    /// Switches optimiser (learning rate set to one that suits it here), restarting the walk.
    pub fn set_kind(&mut self, name: &str) -> nnlab::Result<()> {
        let kind = OptimizerKind::from_name(name)?;
        let defaults = Hyper::defaults(kind);
        self.hyper = Hyper {
            lr: suggested_lr(&self.surface, kind),
            momentum: self.hyper.momentum,
            ..defaults
        };
        self.kind = kind;
        self.rebuild()?;
        self.controls_revision += 1;
        Ok(())
    }

    /// Changes the learning rate between steps (the optimiser keeps its state).
    pub fn set_lr(&mut self, lr: f64) -> nnlab::Result<()> {
        self.set_hyper(Hyper { lr, ..self.hyper })
    }

    pub fn set_momentum(&mut self, momentum: f64) -> nnlab::Result<()> {
        self.set_hyper(Hyper {
            momentum,
            ..self.hyper
        })
    }

    fn set_hyper(&mut self, hyper: Hyper) -> nnlab::Result<()> {
        self.descent.optimizer_mut().set_hyper(hyper)?;
        self.hyper = hyper;
        Ok(())
    }

    pub fn set_speed(&mut self, steps_per_second: f64) {
        self.speed = steps_per_second.max(0.0);
    }

    /// Starts again from `point` (a click on the map).
    pub fn set_start(&mut self, point: [f64; 2]) -> nnlab::Result<()> {
        self.surface.check_point(&point)?;
        self.start = point.to_vec();
        self.reset()
    }

    /// Back to the start point with a fresh optimiser; keeps playing if it was.
    pub fn reset(&mut self) -> nnlab::Result<()> {
        self.descent.reset(&self.start)?;
        self.path = Path::new(&self.start);
        self.carry = 0.0;
        self.phase = if self.phase == Phase::Running {
            Phase::Running
        } else {
            Phase::Ready
        };
        self.revision += 1;
        Ok(())
    }

    /// New optimiser with the current settings, from the start point.
    fn rebuild(&mut self) -> nnlab::Result<()> {
        let optimizer = optim::build(self.kind, self.hyper)?;
        self.descent = Descent::new(self.surface.clone(), optimizer, &self.start)?;
        self.path = Path::new(&self.start);
        self.carry = 0.0;
        if !matches!(self.phase, Phase::Running) {
            self.phase = Phase::Ready;
        }
        self.revision += 1;
        Ok(())
    }

    /// Play ↔ pause. Playing a finished walk (converged or diverged) starts it again.
    pub fn toggle_play(&mut self) -> nnlab::Result<()> {
        match self.phase {
            Phase::Running => self.phase = Phase::Paused,
            Phase::Ready | Phase::Paused => self.phase = Phase::Running,
            Phase::Converged | Phase::Diverged { .. } => {
                self.phase = Phase::Ready;
                self.reset()?;
                self.phase = Phase::Running;
            }
        }
        self.carry = 0.0;
        self.revision += 1;
        Ok(())
    }

    /// One step by hand (pauses a running walk first).
    pub fn step_once(&mut self) {
        if matches!(self.phase, Phase::Converged | Phase::Diverged { .. }) {
            return;
        }
        self.phase = Phase::Paused;
        self.advance(1);
    }

    /// Advances a playing walk by the steps `dt_ms` of wall-clock time is worth.
    pub fn tick(&mut self, dt_ms: f64) {
        if self.phase != Phase::Running {
            return;
        }
        self.carry += self.speed * dt_ms / 1000.0;
        let steps = (self.carry.floor() as usize).min(MAX_STEPS_PER_FRAME);
        self.carry = (self.carry - steps as f64).min(1.0);
        if steps > 0 {
            self.advance(steps);
        }
    }

    /// Up to `n` optimiser steps, stopping on convergence or divergence.
    fn advance(&mut self, n: usize) {
        for _ in 0..n {
            match self.descent.step() {
                Status::Running => {
                    self.path.push(self.descent.steps(), self.descent.point());
                    if grad_norm(self.descent.grad()) < CONVERGED_GRAD {
                        self.phase = Phase::Converged;
                        break;
                    }
                }
                Status::Diverged(why) => {
                    self.phase = Phase::Diverged {
                        why,
                        lr: self.hyper.lr,
                    };
                    break;
                }
            }
        }
        self.revision += 1;
    }
}

/// Euclidean length of a gradient.
pub fn grad_norm(grad: &[f64]) -> f64 {
    grad.iter().map(|g| g * g).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_on(surface: &str, kind: &str) -> Model {
        let mut m = Model::new().unwrap();
        m.set_surface(surface).unwrap();
        m.set_kind(kind).unwrap();
        m
    }

    #[test]
    fn plays_at_the_chosen_speed() {
        let mut m = model_on("ill-conditioned", "sgd");
        m.set_speed(60.0);
        m.toggle_play().unwrap();
        // 60 steps/s for 250 ms = 15 steps; then 10 ms = 0.6 step (carried), then 10 ms more = 1.2 → 1 step.
        m.tick(250.0);
        assert_eq!(m.descent().steps(), 15);
        m.tick(10.0);
        assert_eq!(m.descent().steps(), 15);
        m.tick(10.0);
        assert_eq!(m.descent().steps(), 16);
        // The path holds the start plus every step so far.
        assert_eq!(m.path().points().len(), 17);
    }

    #[test]
    fn a_frame_never_takes_more_than_the_cap() {
        let mut m = model_on("ill-conditioned", "sgd");
        m.set_speed(1e6);
        m.toggle_play().unwrap();
        m.tick(100.0);
        assert_eq!(m.descent().steps(), MAX_STEPS_PER_FRAME);
    }

    #[test]
    fn a_too_large_learning_rate_stops_with_divergence() {
        // f = 0.5(x² + 50y²): along y the curvature is 50, so SGD is stable only for lr < 2/50 = 0.04.
        // At lr = 0.1 each step multiplies y by (1 − 0.1·50) = −4 and the walk explodes.
        let mut m = model_on("ill-conditioned", "sgd");
        m.set_lr(0.1).unwrap();
        m.toggle_play().unwrap();
        for _ in 0..100 {
            m.tick(1000.0);
        }
        assert!(
            matches!(m.phase(), Phase::Diverged { .. }),
            "phase {:?}",
            m.phase()
        );
        // Playing again restarts from the start point.
        m.set_lr(0.01).unwrap();
        m.toggle_play().unwrap();
        assert_eq!(m.phase(), Phase::Running);
        assert_eq!(m.descent().steps(), 0);
    }

    #[test]
    fn starting_on_the_ridge_of_the_saddle_converges_to_the_saddle_point() {
        // f = x² + ½(y² − 1)²: on y = 0 the y-gradient is 2y(y² − 1) = 0, so SGD only slides
        // down x towards (0, 0), where the gradient vanishes although it is no minimum.
        let mut m = model_on("saddle", "sgd");
        m.set_start([-2.0, 0.0]).unwrap();
        m.set_speed(1e6);
        m.toggle_play().unwrap();
        for _ in 0..10 {
            m.tick(100.0);
        }
        assert_eq!(m.phase(), Phase::Converged);
        assert!(m.descent().point()[0].abs() < 1e-6 && m.descent().point()[1] == 0.0);
    }

    #[test]
    fn a_click_outside_the_numbers_is_refused() {
        let mut m = Model::new().unwrap();
        assert!(m.set_start([f64::NAN, 0.0]).is_err());
        assert!(m.set_surface("double-well").is_err());
        assert!(m.set_kind("lbfgs").is_err());
        assert!(m.set_lr(-1.0).is_err());
    }

    #[test]
    fn every_optimiser_makes_progress_on_every_surface_at_its_suggested_rate() {
        let mut failures = Vec::new();
        for surface in SURFACES {
            for kind in OptimizerKind::ALL {
                let mut m = model_on(surface, kind.name());
                let start_loss = m.descent().loss();
                m.set_speed(1e6);
                m.toggle_play().unwrap();
                for _ in 0..10 {
                    m.tick(100.0); // 10 × 400 steps
                }
                let report = format!(
                    "{surface}/{}: lr {}, {:?} after {} steps, loss {} → {}",
                    kind.name(),
                    m.hyper().lr,
                    m.phase(),
                    m.descent().steps(),
                    start_loss,
                    m.descent().loss()
                );
                eprintln!("{report}");
                if matches!(m.phase(), Phase::Diverged { .. }) || m.descent().loss() >= start_loss {
                    failures.push(report);
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
