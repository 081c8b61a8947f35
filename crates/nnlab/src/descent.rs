//! An optimiser walking down a loss surface, one step at a time.
//!
//! [`Descent`] is what the interactive lessons hold: the current point, its
//! loss and gradient, and the optimiser with its state. When a step would go
//! somewhere meaningless (NaN or infinity) or is plainly running away, it stops
//! at the last good point and says so with a [`Divergence`] — a too-large
//! learning rate is a lesson, not a crash.
//!
//! [`trajectory`] is the raw version for the command line: exactly N steps,
//! every point recorded as computed, NaN and infinity included.
//!
//! ```
//! use nnlab::descent::{trajectory, Descent, Status};
//! use nnlab::optim::{build, Hyper, OptimizerKind};
//! use nnlab::surfaces::by_name;
//!
//! let surface = by_name("ill-conditioned")?;
//! let hyper = Hyper { lr: 0.01, ..Hyper::defaults(OptimizerKind::Sgd) };
//! let mut descent = Descent::new(surface.clone(), build(OptimizerKind::Sgd, hyper)?, &[1.0, 0.0])?;
//! // f = 0.5(x² + 50y²), ∂f/∂x = x: one step from (1, 0) gives x = 1 − 0.01·1 = 0.99.
//! assert_eq!(descent.step(), Status::Running);
//! assert_eq!(descent.point(), &[0.99, 0.0]);
//!
//! let path = trajectory(&surface, OptimizerKind::Sgd, hyper, &[1.0, 0.0], 3)?;
//! assert_eq!(path.points.len(), 4);
//! # Ok::<(), nnlab::Error>(())
//! ```

use crate::optim::{build, Hyper, Optimizer, OptimizerKind};
use crate::surfaces::Surface;
use crate::{Error, Result};
use serde::Serialize;

/// Whether a [`Descent`] can still step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    /// Can take another step.
    Running,
    /// Stopped; the point, loss and gradient are those of the last good step.
    Diverged(Divergence),
}

/// Why a descent stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Divergence {
    /// The step produced NaN or infinity in the point, the loss or the gradient.
    NotFinite,
    /// The loss grew past [`EXPLODING_LOSS_FACTOR`]·(1 + |start loss|), or the point left the
    /// view box enlarged [`EXPLODING_VIEW_FACTOR`] times about its centre.
    Exploding,
}

/// A loss this many times (1 + |start loss|) counts as exploding.
pub const EXPLODING_LOSS_FACTOR: f64 = 1e6;
/// A point this many view-box half-widths from the view's centre counts as exploding.
pub const EXPLODING_VIEW_FACTOR: f64 = 1000.0;
/// The most steps [`trajectory`] records in one call (about 16 MB of points).
pub const MAX_TRAJECTORY_STEPS: usize = 1_000_000;
/// Below this gradient length a walk has effectively stopped: the lessons call
/// it converged (every surface's minima have |∇f| = 0 exactly).
pub const CONVERGED_GRAD: f64 = 1e-6;

/// A surface, an optimiser and the current point.
pub struct Descent {
    surface: Surface,
    optimizer: Box<dyn Optimizer<f64>>,
    point: Vec<f64>,
    loss: f64,
    grad: Vec<f64>,
    start_loss: f64,
    steps: usize,
    status: Status,
}

impl Descent {
    /// Starts at `start` (checked: right dimension, finite). The optimiser's
    /// state is cleared so the walk starts fresh.
    pub fn new(
        surface: Surface,
        optimizer: Box<dyn Optimizer<f64>>,
        start: &[f64],
    ) -> Result<Descent> {
        let mut descent = Descent {
            surface,
            optimizer,
            point: Vec::new(),
            loss: f64::NAN,
            grad: Vec::new(),
            start_loss: f64::NAN,
            steps: 0,
            status: Status::Running,
        };
        descent.reset(start)?;
        Ok(descent)
    }

    /// One optimiser step (slot 0). Does nothing once diverged.
    pub fn step(&mut self) -> Status {
        if self.status != Status::Running {
            return self.status;
        }
        let mut next = self.point.clone();
        self.optimizer.update(0, &mut next, &self.grad);
        if next.iter().any(|c| !c.is_finite()) {
            self.status = Status::Diverged(Divergence::NotFinite);
            return self.status;
        }
        let (loss, grad) = self.surface.value_and_grad(&next);
        if !loss.is_finite() || grad.iter().any(|g| !g.is_finite()) {
            self.status = Status::Diverged(Divergence::NotFinite);
            return self.status;
        }
        if loss > EXPLODING_LOSS_FACTOR * (1.0 + self.start_loss.abs()) || self.far_away(&next) {
            self.status = Status::Diverged(Divergence::Exploding);
            return self.status;
        }
        self.point = next;
        self.loss = loss;
        self.grad = grad;
        self.steps += 1;
        self.status
    }

    /// Up to `n` steps; stops early if the descent diverges.
    pub fn step_n(&mut self, n: usize) -> Status {
        for _ in 0..n {
            if self.step() != Status::Running {
                break;
            }
        }
        self.status
    }

    /// Where the walk is now.
    pub fn point(&self) -> &[f64] {
        &self.point
    }

    /// The loss at [`Descent::point`].
    pub fn loss(&self) -> f64 {
        self.loss
    }

    /// The gradient at [`Descent::point`].
    pub fn grad(&self) -> &[f64] {
        &self.grad
    }

    /// The length of [`Descent::grad`]; below [`CONVERGED_GRAD`] the walk has stopped.
    pub fn grad_norm(&self) -> f64 {
        self.grad.iter().map(|g| g * g).sum::<f64>().sqrt()
    }

    /// Whether the gradient has (all but) vanished: the walk stands still.
    pub fn converged(&self) -> bool {
        self.grad_norm() < CONVERGED_GRAD
    }

    /// Steps taken successfully since the start.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Running, or why the walk stopped.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The surface being walked down.
    pub fn surface(&self) -> &Surface {
        &self.surface
    }

    /// The optimiser taking the steps, with its state.
    pub fn optimizer(&self) -> &dyn Optimizer<f64> {
        self.optimizer.as_ref()
    }

    /// For changing hyper-parameters between steps ([`Optimizer::set_hyper`]).
    pub fn optimizer_mut(&mut self) -> &mut dyn Optimizer<f64> {
        self.optimizer.as_mut()
    }

    /// Starts again from `start` with the optimiser's state cleared
    /// (hyper-parameters kept). On error nothing changes.
    pub fn reset(&mut self, start: &[f64]) -> Result<()> {
        self.surface.check_point(start)?;
        let (loss, grad) = self.surface.value_and_grad(start);
        if !loss.is_finite() {
            return Err(Error::NotFinite {
                what: "the loss at the start point",
                value: loss,
            });
        }
        if let Some(&bad) = grad.iter().find(|g| !g.is_finite()) {
            return Err(Error::NotFinite {
                what: "the gradient at the start point",
                value: bad,
            });
        }
        self.optimizer.reset();
        self.point = start.to_vec();
        self.loss = loss;
        self.grad = grad;
        self.start_loss = loss;
        self.steps = 0;
        self.status = Status::Running;
        Ok(())
    }

    /// True if `p` is more than [`EXPLODING_VIEW_FACTOR`] half-widths of the
    /// view from its centre in some coordinate (for 1-D surfaces only x counts:
    /// the view's y is the loss range).
    fn far_away(&self, p: &[f64]) -> bool {
        let view = self.surface.view;
        let ranges = [view.x, view.y];
        p.iter().zip(ranges).any(|(&c, (lo, hi))| {
            let centre = 0.5 * (lo + hi);
            let half = 0.5 * (hi - lo);
            (c - centre).abs() > EXPLODING_VIEW_FACTOR * half
        })
    }
}

/// N steps recorded raw (NaN/inf kept as they are) for the CLI: points.len() == losses.len() == steps + 1.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trajectory {
    /// Every point visited, `start` first.
    pub points: Vec<Vec<f64>>,
    /// The loss at each point of `points`.
    pub losses: Vec<f64>,
}

/// Runs `steps` steps of a fresh `kind` optimiser from `start`; the first
/// point is `start` itself. Nothing stops early: a diverging run shows its
/// NaNs. Errors on invalid hyper-parameters, a bad start point or more than
/// [`MAX_TRAJECTORY_STEPS`] steps.
pub fn trajectory(
    surface: &Surface,
    kind: OptimizerKind,
    hyper: Hyper,
    start: &[f64],
    steps: usize,
) -> Result<Trajectory> {
    if steps > MAX_TRAJECTORY_STEPS {
        return Err(Error::OutOfRange {
            what: "number of steps",
            detail: format!("at most {MAX_TRAJECTORY_STEPS}, got {steps}"),
        });
    }
    surface.check_point(start)?;
    let mut optimizer = build::<f64>(kind, hyper)?;
    let mut points = Vec::with_capacity(steps + 1);
    let mut losses = Vec::with_capacity(steps + 1);
    let mut point = start.to_vec();
    for step in 0..=steps {
        let (loss, grad) = surface.value_and_grad(&point);
        points.push(point.clone());
        losses.push(loss);
        if step < steps {
            optimizer.update(0, &mut point, &grad);
        }
    }
    Ok(Trajectory { points, losses })
}
