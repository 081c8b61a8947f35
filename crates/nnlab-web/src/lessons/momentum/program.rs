//! The lecture's code for SGD with momentum, run one line at a time against
//! the core's Nesterov optimiser (the lecture's form), so every variable the
//! code names has a value to show. Free of browser types.
//!
//! The core updates `w` in one call (lines 5 and 6 together); the values it
//! keeps — `past_velocity` and `velocity` in `state(0)` — are revealed line by
//! line, and the plotted point moves only at `update_parameter(w)`.

use nnlab::descent::{Descent, Divergence, Status};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::surfaces::Surface;

use crate::lessons::kit::path::Path;

/// The code as in the lecture (line 2 shows the momentum factor actually used).
pub const LINES: [&str; 8] = [
    "past_velocity = 0",
    "momentum = {momentum}",
    "while loss > 0.01",
    "    w, loss, gradient = get_current_parameters()",
    "    velocity = past_velocity * momentum - learning_rate * gradient",
    "    w = w + momentum * velocity - learning_rate * gradient",
    "    past_velocity = velocity",
    "    update_parameter(w)",
];
/// `while loss > 0.01`: the loop's threshold.
pub const LOSS_TARGET: f64 = 0.01;
/// The loop is given up after this many iterations (a walk stuck above the target).
pub const MAX_ITERATIONS: usize = 5000;
/// Index of the `while` line: where each iteration returns to.
const WHILE_LINE: usize = 2;

/// The variables, as the code has assigned them so far (`None` = not yet).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vars {
    /// `past_velocity`.
    pub past_velocity: Option<Vec<f64>>,
    /// `momentum`.
    pub momentum: Option<f64>,
    /// `loss`.
    pub loss: Option<f64>,
    /// `w`.
    pub w: Option<Vec<f64>>,
    /// `gradient`.
    pub gradient: Option<Vec<f64>>,
    /// `velocity`.
    pub velocity: Option<Vec<f64>>,
    /// The value of `loss > 0.01` at the last test.
    pub condition: Option<bool>,
}

/// Why the program stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stop {
    /// `loss > 0.01` became false: the loop ended as written.
    Done,
    /// Still above the target after [`MAX_ITERATIONS`].
    GaveUp,
    /// The core stopped the walk (learning rate too large); `lr` is the one used.
    Diverged {
        /// Why the core stopped it.
        why: Divergence,
        /// The learning rate used.
        lr: f64,
    },
}

/// The lecture's code for SGD with momentum, run one line at a time.
pub struct Program {
    descent: Descent,
    /// Subtracted from f(w) to give the code's `loss` (0 at the global minimum).
    offset: f64,
    /// The line to run next; `None` once stopped.
    next: Option<usize>,
    /// The line that ran last (the highlighted one).
    last: Option<usize>,
    vars: Vars,
    iterations: usize,
    path: Path,
    stop: Option<Stop>,
}

impl Program {
    /// The code ready to run from line 1 at `start`.
    pub fn new(surface: &Surface, hyper: Hyper, start: &[f64]) -> nnlab::Result<Program> {
        let optimizer = optim::build(OptimizerKind::Nesterov, hyper)?;
        Ok(Program {
            descent: Descent::new(surface.clone(), optimizer, start)?,
            offset: loss_offset(surface),
            next: Some(0),
            last: None,
            vars: Vars::default(),
            iterations: 0,
            path: Path::new(start),
            stop: None,
        })
    }

    /// The variables assigned so far.
    pub fn vars(&self) -> &Vars {
        &self.vars
    }
    /// The line that ran last (0-based), if any.
    pub fn last_line(&self) -> Option<usize> {
        self.last
    }
    /// Iterations of the `while` loop begun.
    pub fn iterations(&self) -> usize {
        self.iterations
    }
    /// Why the program stopped, once it has.
    pub fn stop(&self) -> Option<Stop> {
        self.stop
    }
    /// Whether there are lines left to run.
    pub fn is_running(&self) -> bool {
        self.next.is_some()
    }
    /// The points `update_parameter` has applied, start first.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The optimiser's settings (learning rate, momentum).
    pub fn hyper(&self) -> Hyper {
        self.descent.optimizer().hyper()
    }
    /// The code's `loss` at the plotted point (f − f(global minimum)).
    pub fn loss_now(&self) -> f64 {
        self.descent.loss() - self.offset
    }

    /// New learning rate or momentum between lines (the velocity is kept).
    pub fn set_hyper(&mut self, hyper: Hyper) -> nnlab::Result<()> {
        self.descent.optimizer_mut().set_hyper(hyper)
    }

    /// Runs one line. Returns whether an iteration just completed (`update_parameter`).
    pub fn run_line(&mut self) -> bool {
        let Some(line) = self.next else {
            return false;
        };
        self.last = Some(line);
        let dim = self.descent.point().len();
        let mut completed = false;
        self.next = Some(line + 1);
        match line {
            0 => self.vars.past_velocity = Some(vec![0.0; dim]),
            1 => self.vars.momentum = Some(self.hyper().momentum),
            2 => {
                // Before the first iteration the code's `loss` is the one at the start.
                let loss = *self.vars.loss.get_or_insert(self.loss_now());
                let go_on = loss > LOSS_TARGET;
                self.vars.condition = Some(go_on);
                if !go_on {
                    self.finish(Stop::Done);
                } else if self.iterations >= MAX_ITERATIONS {
                    self.finish(Stop::GaveUp);
                }
            }
            3 => {
                self.vars.w = Some(self.descent.point().to_vec());
                self.vars.loss = Some(self.loss_now());
                self.vars.gradient = Some(self.descent.grad().to_vec());
            }
            4 => match self.descent.step() {
                Status::Running => {
                    self.vars.velocity = self.state("velocity");
                    self.vars.past_velocity = self.state("past_velocity");
                }
                Status::Diverged(why) => {
                    let lr = self.hyper().lr;
                    self.finish(Stop::Diverged { why, lr });
                }
            },
            5 => self.vars.w = Some(self.descent.point().to_vec()),
            6 => self.vars.past_velocity = self.vars.velocity.clone(),
            _ => {
                self.iterations += 1;
                self.path.push(self.iterations, self.descent.point());
                self.next = Some(WHILE_LINE);
                completed = true;
            }
        }
        completed
    }

    /// Runs lines until an iteration completes or the program stops.
    pub fn run_iteration(&mut self) {
        while self.is_running() && !self.run_line() {}
    }

    fn finish(&mut self, stop: Stop) {
        self.stop = Some(stop);
        self.next = None;
    }

    fn state(&self, name: &str) -> Option<Vec<f64>> {
        self.descent
            .optimizer()
            .state(0)
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// The value of the surface's lowest (global) minimum, so that the code's
/// `loss` is 0 there: `while loss > 0.01` then means "not yet at the bottom".
pub fn loss_offset(surface: &Surface) -> f64 {
    surface
        .minima
        .iter()
        .filter(|m| m.global)
        .map(|m| m.value)
        .fold(f64::INFINITY, f64::min)
        .min(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab::surfaces::by_name;

    fn hyper(lr: f64) -> Hyper {
        Hyper {
            lr,
            ..Hyper::defaults(OptimizerKind::Nesterov)
        }
    }

    #[test]
    fn the_first_iteration_line_by_line() {
        // f = 0.5(x² + 50y²) from (−8, 2): loss 0.5(64 + 200) = 132, gradient (−8, 100).
        // velocity = 0·0.9 − 0.015·(−8, 100) = (0.12, −1.5);
        // w = (−8, 2) + 0.9·(0.12, −1.5) − 0.015·(−8, 100) = (−7.772, −0.85).
        let surface = by_name("ill-conditioned").unwrap();
        let mut p = Program::new(&surface, hyper(0.015), &[-8.0, 2.0]).unwrap();
        assert_eq!(p.last_line(), None);
        p.run_line();
        assert_eq!(p.vars().past_velocity, Some(vec![0.0, 0.0]));
        p.run_line();
        assert_eq!(p.vars().momentum, Some(0.9));
        p.run_line();
        assert_eq!(
            (p.vars().loss, p.vars().condition),
            (Some(132.0), Some(true))
        );
        p.run_line();
        assert_eq!(p.vars().gradient, Some(vec![-8.0, 100.0]));
        assert_eq!(p.vars().w, Some(vec![-8.0, 2.0]));
        assert!(p.vars().velocity.is_none());
        p.run_line();
        let v = p.vars().velocity.clone().unwrap();
        assert!(
            (v[0] - 0.12).abs() < 1e-12 && (v[1] + 1.5).abs() < 1e-12,
            "{v:?}"
        );
        // w is not reassigned before its own line, and the plot has not moved.
        assert_eq!(p.vars().w, Some(vec![-8.0, 2.0]));
        p.run_line();
        let w = p.vars().w.clone().unwrap();
        assert!(
            (w[0] + 7.772).abs() < 1e-12 && (w[1] + 0.85).abs() < 1e-12,
            "{w:?}"
        );
        assert_eq!(p.path().points().len(), 1);
        p.run_line();
        assert_eq!(p.vars().past_velocity, Some(v));
        assert!(p.run_line(), "update_parameter completes the iteration");
        assert_eq!(p.iterations(), 1);
        assert_eq!(p.path().points().last().unwrap(), &w);
        assert_eq!(p.last_line(), Some(7));
        p.run_line();
        assert_eq!(p.last_line(), Some(2), "back to the while test");
    }

    #[test]
    fn the_loop_ends_when_loss_is_small() {
        // Simulated by hand (Python, the same two update lines): at lr 0.015, μ 0.9 from
        // (−8, 2) the loss first drops to ≤ 0.01 after the 17th update. `loss` is read at the
        // start of an iteration (line 4 of the lecture), so the `while` sees it after the 18th.
        let surface = by_name("ill-conditioned").unwrap();
        let mut p = Program::new(&surface, hyper(0.015), &[-8.0, 2.0]).unwrap();
        while p.is_running() {
            p.run_line();
        }
        assert_eq!(p.stop(), Some(Stop::Done));
        assert!(p.vars().loss.unwrap() <= LOSS_TARGET);
        assert_eq!(p.vars().condition, Some(false));
        assert_eq!(p.iterations(), 18);
    }

    #[test]
    fn a_too_large_rate_stops_with_divergence() {
        // Along y the curvature is 50; Nesterov's form is unstable here at lr 0.1.
        let surface = by_name("ill-conditioned").unwrap();
        let mut p = Program::new(&surface, hyper(0.1), &[-8.0, 2.0]).unwrap();
        for _ in 0..1000 {
            p.run_line();
        }
        assert!(matches!(p.stop(), Some(Stop::Diverged { lr, .. }) if lr == 0.1));
        assert!(!p.is_running());
    }

    #[test]
    fn on_the_double_well_loss_is_measured_from_the_global_minimum() {
        let surface = by_name("double-well").unwrap();
        assert!((loss_offset(&surface) + 3.513_905_038_934_79).abs() < 1e-12);
        assert_eq!(loss_offset(&by_name("ill-conditioned").unwrap()), 0.0);
    }
}
