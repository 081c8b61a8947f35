//! One optimiser in the race: its settings, its walk, the path it drew, its
//! loss history, and why it stopped (if it did). Free of browser types.

use nnlab::descent::{Descent, Divergence, Status};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::surfaces::Surface;

use crate::lessons::kit::path::Path;

/// Points kept per runner's path: six paths of this many (each point a dot)
/// stay within the frame budget (the e2e test measures it). Thinning keeps
/// the whole path's shape; only the spacing of the dots grows on long runs.
pub const PATH_POINTS: usize = 400;
/// Points kept per loss history (the chart is a few hundred pixels wide).
pub const HISTORY_POINTS: usize = 500;

/// The second setting a runner's row offers, besides the learning rate: the
/// one that decides how much of the past each method remembers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
    /// Momentum and the lecture's Nesterov form: the momentum factor μ.
    Momentum,
    /// RMSProp: the decay α of the running mean of g².
    Alpha,
    /// Adam: the decay β₁ of the running mean of g.
    Beta1,
}

impl Memory {
    /// Which memory setting `kind` has, if any (SGD and Adagrad have none).
    pub fn of(kind: OptimizerKind) -> Option<Memory> {
        match kind {
            OptimizerKind::Momentum | OptimizerKind::Nesterov => Some(Memory::Momentum),
            OptimizerKind::RmsProp => Some(Memory::Alpha),
            OptimizerKind::Adam => Some(Memory::Beta1),
            OptimizerKind::Sgd | OptimizerKind::Adagrad => None,
        }
    }

    /// This memory setting's value in `hyper`.
    pub fn get(self, hyper: &Hyper) -> f64 {
        match self {
            Memory::Momentum => hyper.momentum,
            Memory::Alpha => hyper.alpha,
            Memory::Beta1 => hyper.beta1,
        }
    }

    /// `hyper` with this memory setting at `value`.
    pub fn with(self, hyper: Hyper, value: f64) -> Hyper {
        match self {
            Memory::Momentum => Hyper {
                momentum: value,
                ..hyper
            },
            Memory::Alpha => Hyper {
                alpha: value,
                ..hyper
            },
            Memory::Beta1 => Hyper {
                beta1: value,
                ..hyper
            },
        }
    }
}

/// Where a runner is in the race.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RunnerState {
    /// Still walking (or waiting for Play).
    Walking,
    /// The gradient is (almost) zero: nothing more will happen.
    Converged,
    /// The core stopped this walk; the point is the last good one. `lr` is the
    /// learning rate it diverged at (its field may have changed since).
    Diverged {
        /// Why the core stopped it.
        why: Divergence,
        /// The learning rate it diverged at.
        lr: f64,
    },
    /// Used the whole step budget.
    OutOfSteps,
}

/// One optimiser's walk in the race.
pub struct Runner {
    kind: OptimizerKind,
    enabled: bool,
    hyper: Hyper,
    descent: Descent,
    path: Path,
    /// Points `[step, loss]`, thinned like the path.
    history: Path,
    state: RunnerState,
}

impl Runner {
    /// A runner of `kind` at `start` with `hyper` (validated by the core).
    pub fn new(
        surface: &Surface,
        kind: OptimizerKind,
        hyper: Hyper,
        start: &[f64],
        enabled: bool,
    ) -> nnlab::Result<Runner> {
        let descent = Descent::new(surface.clone(), optim::build(kind, hyper)?, start)?;
        let loss = descent.loss();
        Ok(Runner {
            kind,
            enabled,
            hyper,
            path: Path::with_capacity(start, PATH_POINTS),
            history: Path::with_capacity(&[0.0, loss], HISTORY_POINTS),
            descent,
            state: RunnerState::Walking,
        })
    }

    /// The optimiser.
    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }
    /// Whether it takes part.
    pub fn enabled(&self) -> bool {
        self.enabled
    }
    /// Its settings.
    pub fn hyper(&self) -> Hyper {
        self.hyper
    }
    /// The core's walk: point, steps and status.
    pub fn descent(&self) -> &Descent {
        &self.descent
    }
    /// The points visited, thinned, the start first.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// `[step, loss]` points from the start to now.
    pub fn history(&self) -> &Path {
        &self.history
    }
    /// Walking or why it stopped.
    pub fn state(&self) -> RunnerState {
        self.state
    }
    /// Whether this runner takes part and has not stopped.
    pub fn is_walking(&self) -> bool {
        self.enabled && self.state == RunnerState::Walking
    }

    /// Lets it take part, or not.
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
    }

    /// New settings between steps; the optimiser keeps its velocities and moments.
    pub fn set_hyper(&mut self, hyper: Hyper) -> nnlab::Result<()> {
        self.descent.optimizer_mut().set_hyper(hyper)?;
        self.hyper = hyper;
        Ok(())
    }

    /// Back to `start` with fresh optimiser state.
    pub fn restart(&mut self, start: &[f64]) -> nnlab::Result<()> {
        self.descent.reset(start)?;
        self.path = Path::with_capacity(start, PATH_POINTS);
        self.history = Path::with_capacity(&[0.0, self.descent.loss()], HISTORY_POINTS);
        self.state = RunnerState::Walking;
        Ok(())
    }

    /// One step, unless stopped; records the point and loss, and notes convergence or divergence.
    pub fn step(&mut self) {
        if !self.is_walking() {
            return;
        }
        match self.descent.step() {
            Status::Running => {
                let step = self.descent.steps();
                self.path.push(step, self.descent.point());
                self.history.push(step, &[step as f64, self.descent.loss()]);
                if self.descent.converged() {
                    self.state = RunnerState::Converged;
                }
            }
            Status::Diverged(why) => {
                self.state = RunnerState::Diverged {
                    why,
                    lr: self.hyper.lr,
                };
            }
        }
    }

    /// Marks a walking runner as having used its budget.
    pub fn out_of_steps(&mut self) {
        if self.state == RunnerState::Walking {
            self.state = RunnerState::OutOfSteps;
        }
    }
}
