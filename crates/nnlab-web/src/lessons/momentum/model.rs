//! The momentum lesson's state, free of browser types: the lecture's code
//! running with momentum (a [`Program`]) and, beside it, plain SGD from the
//! same start with the same learning rate, one SGD step per iteration of the
//! code. Two scenes: the narrow valley (momentum is faster) and the double
//! well (momentum rolls through the local minimum where SGD gets stuck).

use nnlab::descent::{Descent, Divergence, Status};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::surfaces::{self, Surface};

use super::program::{loss_offset, Program, Stop, LINES, LOSS_TARGET, MAX_ITERATIONS};
use crate::lessons::kit::clock::Clock;
use crate::lessons::kit::path::Path;
use crate::lessons::kit::walk::{Play, Walk};

/// Lines run per second when the lesson opens: slow enough to read each one.
pub const DEFAULT_SPEED: f64 = 4.0;
/// Most lines run in one animation frame.
pub const MAX_LINES_PER_FRAME: usize = 600;

/// Where the two walks happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scene {
    /// x⁴ − 3x² + x from x = 1.95 at lr 0.025: momentum rolls over the hump into
    /// the global minimum; SGD settles in the local one.
    DoubleWell,
    /// 0.5(x² + 50y²) from (−8, 2) at lr 0.015: SGD needs 268 iterations, momentum 18.
    Valley,
}

impl Scene {
    /// Both scenes, in key order.
    pub const ALL: [Scene; 2] = [Scene::DoubleWell, Scene::Valley];

    /// The surface's core name (also the scene's name in links).
    pub fn surface_name(self) -> &'static str {
        match self {
            Scene::DoubleWell => "double-well",
            Scene::Valley => "ill-conditioned",
        }
    }

    /// The scene whose surface is called `name`, if any.
    pub fn from_name(name: &str) -> Option<Scene> {
        Scene::ALL.into_iter().find(|s| s.surface_name() == name)
    }

    /// The start and learning rate that tell this scene's story (tested below).
    pub fn start(self) -> Vec<f64> {
        match self {
            Scene::DoubleWell => vec![1.95],
            Scene::Valley => vec![-8.0, 2.0],
        }
    }

    /// The learning rate that tells this scene's story (tested below).
    pub fn lr(self) -> f64 {
        match self {
            Scene::DoubleWell => 0.025,
            Scene::Valley => 0.015,
        }
    }
}

/// Where the lesson is: ready, running, paused, or finished (both loops have ended).
pub use crate::lessons::kit::walk::Play as Phase;

/// Plain SGD's fate, iteration by iteration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlainState {
    /// Still walking.
    Walking,
    /// loss ≤ 0.01: its loop ended too.
    Done,
    /// The gradient vanished with loss still above 0.01: a local minimum (or the budget ran out).
    Stuck,
    /// The core stopped the walk (learning rate too large); `lr` is the one used.
    Diverged {
        /// Why the core stopped it.
        why: Divergence,
        /// The learning rate it diverged at.
        lr: f64,
    },
}

/// Plain SGD from the same start: `w = w − learning_rate · gradient`.
pub struct Plain {
    descent: Descent,
    path: Path,
    state: PlainState,
    offset: f64,
}

impl Plain {
    fn new(surface: &Surface, lr: f64, start: &[f64]) -> nnlab::Result<Plain> {
        let hyper = Hyper {
            lr,
            ..Hyper::defaults(OptimizerKind::Sgd)
        };
        let descent = Descent::new(
            surface.clone(),
            optim::build(OptimizerKind::Sgd, hyper)?,
            start,
        )?;
        let mut plain = Plain {
            offset: loss_offset(surface),
            path: Path::new(start),
            state: PlainState::Walking,
            descent,
        };
        plain.check();
        Ok(plain)
    }

    /// The core's walk: point, steps and status.
    pub fn descent(&self) -> &Descent {
        &self.descent
    }
    /// The points visited, start first.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// Walking, or why it stopped.
    pub fn state(&self) -> PlainState {
        self.state
    }
    /// The code's `loss` (f − f(global minimum)).
    pub fn loss(&self) -> f64 {
        self.descent.loss() - self.offset
    }

    fn step(&mut self) {
        if self.state != PlainState::Walking {
            return;
        }
        match self.descent.step() {
            Status::Running => {
                self.path.push(self.descent.steps(), self.descent.point());
                self.check();
            }
            Status::Diverged(why) => {
                let lr = self.descent.optimizer().hyper().lr;
                self.state = PlainState::Diverged { why, lr };
            }
        }
    }

    fn check(&mut self) {
        if self.loss() <= LOSS_TARGET {
            self.state = PlainState::Done;
        } else if self.descent.converged() || self.descent.steps() >= MAX_ITERATIONS {
            self.state = PlainState::Stuck;
        }
    }
}

/// The momentum lesson's state: the scene and two walks, the code with momentum and plain SGD.
pub struct Model {
    scene: Scene,
    surface: Surface,
    lr: f64,
    momentum: f64,
    start: Vec<f64>,
    program: Program,
    plain: Plain,
    phase: Phase,
    /// Lines of code per second.
    clock: Clock,
    revision: u64,
    controls_revision: u64,
}

impl Model {
    /// Opens on the double well.
    pub fn new() -> nnlab::Result<Model> {
        Model::for_scene(Scene::DoubleWell)
    }

    /// `scene` with its own start and learning rate and the lecture's momentum 0.9.
    pub fn for_scene(scene: Scene) -> nnlab::Result<Model> {
        let surface = surfaces::by_name(scene.surface_name())?;
        let (lr, momentum, start) = (scene.lr(), 0.9, scene.start());
        Ok(Model {
            program: Program::new(&surface, hyper(lr, momentum), &start)?,
            plain: Plain::new(&surface, lr, &start)?,
            scene,
            surface,
            lr,
            momentum,
            start,
            phase: Phase::Ready,
            clock: Clock::new(DEFAULT_SPEED),
            revision: 0,
            controls_revision: 0,
        })
    }

    /// The scene shown.
    pub fn scene(&self) -> Scene {
        self.scene
    }
    /// Its surface.
    pub fn surface(&self) -> &Surface {
        &self.surface
    }
    /// The learning rate of both walks.
    pub fn lr(&self) -> f64 {
        self.lr
    }
    /// The momentum factor.
    pub fn momentum(&self) -> f64 {
        self.momentum
    }
    /// Where both walks start.
    pub fn start(&self) -> &[f64] {
        &self.start
    }
    /// The lecture's code, with momentum.
    pub fn program(&self) -> &Program {
        &self.program
    }
    /// Plain SGD beside it.
    pub fn plain(&self) -> &Plain {
        &self.plain
    }
    /// Where the walk is: ready, running, paused or finished.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Lines of code per second.
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

    /// The code's lines with the momentum factor in use.
    pub fn code_line(&self, line: usize) -> String {
        LINES
            .get(line)
            .map(|l| l.replace("{momentum}", &format!("{}", self.momentum)))
            .unwrap_or_default()
    }

    /// Switches scene: its start and learning rate, back to the first line.
    pub fn set_scene(&mut self, scene: Scene) -> nnlab::Result<()> {
        let mut fresh = Model::for_scene(scene)?;
        fresh.momentum = self.momentum;
        fresh.set_speed(self.speed());
        fresh.restart()?;
        self.replace_with(fresh);
        Ok(())
    }

    /// Becomes `fresh` (a scene, a link); the page redraws everything.
    pub fn replace_with(&mut self, fresh: Model) {
        let (revision, controls) = (self.revision, self.controls_revision);
        *self = fresh;
        self.revision = revision + 1;
        self.controls_revision = controls + 1;
    }

    /// A new learning rate for both walks, between lines (their state is kept).
    pub fn set_lr(&mut self, lr: f64) -> nnlab::Result<()> {
        let h = hyper(lr, self.momentum);
        h.validate()?;
        self.program.set_hyper(h)?;
        self.plain.descent.optimizer_mut().set_hyper(Hyper {
            lr,
            ..Hyper::defaults(OptimizerKind::Sgd)
        })?;
        self.lr = lr;
        Ok(())
    }

    /// A new momentum factor, between lines. `momentum = …` shows it from the next run on.
    pub fn set_momentum(&mut self, momentum: f64) -> nnlab::Result<()> {
        self.program.set_hyper(hyper(self.lr, momentum))?;
        self.momentum = momentum;
        self.revision += 1;
        Ok(())
    }

    /// Lines per second (a speed that is not a number changes nothing).
    pub fn set_speed(&mut self, lines_per_second: f64) {
        if lines_per_second.is_finite() {
            self.clock.set_speed(lines_per_second);
        }
    }

    /// Starts again from `point` (a click on either picture).
    pub fn set_start(&mut self, point: &[f64]) -> nnlab::Result<()> {
        self.surface.check_point(point)?;
        self.start = point.to_vec();
        self.restart()
    }

    /// Back to the first line with fresh walks; keeps playing if it was.
    pub fn reset(&mut self) -> nnlab::Result<()> {
        self.restart()
    }

    fn restart(&mut self) -> nnlab::Result<()> {
        self.program = Program::new(&self.surface, hyper(self.lr, self.momentum), &self.start)?;
        self.plain = Plain::new(&self.surface, self.lr, &self.start)?;
        self.clock.restart();
        if self.phase != Phase::Running {
            self.phase = Phase::Ready;
        }
        self.revision += 1;
        Ok(())
    }

    /// Runs to the end (tests, and a reader in a hurry).
    pub fn run_to_end(&mut self) {
        while self.phase != Phase::Finished {
            self.advance(MAX_LINES_PER_FRAME);
        }
    }

    /// Why the program stopped, once it has.
    pub fn stop(&self) -> Option<Stop> {
        self.program.stop()
    }
}

fn hyper(lr: f64, momentum: f64) -> Hyper {
    Hyper {
        lr,
        momentum,
        ..Hyper::defaults(OptimizerKind::Nesterov)
    }
}

impl Walk for Model {
    const STEPS_PER_FRAME: usize = MAX_LINES_PER_FRAME;

    fn play(&self) -> Play {
        self.phase
    }

    fn set_running(&mut self, running: bool) {
        self.phase = Play::running(running);
    }

    fn clock(&mut self) -> &mut Clock {
        &mut self.clock
    }

    /// `n` lines of code; plain SGD steps with every completed iteration. Once
    /// the code has ended, plain SGD goes on alone (one step per 6 lines, the
    /// length of an iteration) until it too is done or stuck.
    fn advance(&mut self, n: usize) {
        for k in 0..n {
            if self.program.is_running() {
                if self.program.run_line() {
                    self.plain.step();
                }
            } else if self.plain.state() == PlainState::Walking {
                if k % 6 == 0 {
                    self.plain.step();
                }
            } else {
                break;
            }
        }
        if !self.program.is_running() && self.plain.state() != PlainState::Walking {
            self.phase = Phase::Finished;
        }
        self.revision += 1;
    }

    fn rewind(&mut self) -> nnlab::Result<()> {
        self.restart()
    }

    fn changed(&mut self) {
        self.revision += 1;
    }

    /// 1 and 2 pick the double well and the valley.
    fn preset(&mut self, n: usize) -> nnlab::Result<()> {
        match Scene::ALL.get(n.wrapping_sub(1)) {
            Some(&scene) => self.set_scene(scene),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::LessonModel;

    #[test]
    fn on_the_double_well_momentum_rolls_through_and_sgd_gets_stuck() {
        // f = x⁴ − 3x² + x: a local minimum at x ≈ 1.1309 (f ≈ −1.0702) behind a hump at
        // x ≈ 0.169, and the global one at x ≈ −1.3008 (f ≈ −3.5139). From x = 1.95 at lr 0.025
        // (simulated by hand in Python with the same formulas): momentum 0.9 carries the ball over
        // the hump (x: 1.049, 0.697, …, 0.068, −0.138, …) and after 14 updates it is at −1.2761
        // with loss 0.0043. The code's `while` tests the loss read at the start of the iteration,
        // so it notices one iteration later and ends after 15, at x = −1.23376.
        // SGD settles at 1.1309, where its loss f − f* = −1.0702 + 3.5139 = 2.4437 stays above 0.01.
        let mut m = Model::new().unwrap();
        assert_eq!(m.scene(), Scene::DoubleWell);
        m.run_to_end();
        assert_eq!(m.stop(), Some(Stop::Done));
        assert_eq!(m.program().iterations(), 15);
        let x = m.program().path().points().last().unwrap()[0];
        assert!((x + 1.233_759_4).abs() < 1e-6, "momentum ended at {x}");
        assert_eq!(m.plain().state(), PlainState::Stuck);
        let x_sgd = m.plain().descent().point()[0];
        assert!((x_sgd - 1.130_901).abs() < 1e-5, "SGD at {x_sgd}");
        assert!((m.plain().loss() - 2.443_675).abs() < 1e-5);
    }

    #[test]
    fn without_momentum_the_double_well_traps_the_code_too() {
        // With momentum 0 the lecture's update is plain SGD: it stops in the local minimum,
        // and the while loop runs until it is given up.
        let mut m = Model::new().unwrap();
        m.set_momentum(0.0).unwrap();
        m.reset().unwrap();
        m.set_speed(1e9);
        m.run_to_end();
        assert_eq!(m.stop(), Some(Stop::GaveUp));
        assert_eq!(m.program().iterations(), MAX_ITERATIONS);
    }

    #[test]
    fn in_the_narrow_valley_momentum_needs_far_fewer_iterations() {
        // 0.5(x² + 50y²) from (−8, 2) at lr 0.015 (Python, same formulas): momentum reaches
        // loss ≤ 0.01 after 17 updates (the code's `while` sees it one iteration later, 18),
        // plain SGD after 268 (x shrinks by 0.985 per step).
        let mut m = Model::for_scene(Scene::Valley).unwrap();
        m.run_to_end();
        assert_eq!(m.program().iterations(), 18);
        assert_eq!(m.plain().state(), PlainState::Done);
        assert_eq!(m.plain().descent().steps(), 268);
    }

    #[test]
    fn one_line_at_a_time_and_sgd_steps_once_per_iteration() {
        let mut m = Model::for_scene(Scene::Valley).unwrap();
        m.step_once();
        assert_eq!(m.program().last_line(), Some(0));
        assert_eq!(m.phase(), Phase::Paused);
        for _ in 0..7 {
            m.step_once();
        }
        assert_eq!(m.program().iterations(), 1);
        assert_eq!(m.plain().descent().steps(), 1);
        // At 4 lines per second, half a second runs 2 lines.
        m.toggle_play().unwrap();
        m.tick(500.0).unwrap();
        assert_eq!(m.program().last_line(), Some(3));
    }

    #[test]
    fn bad_input_is_refused() {
        let mut m = Model::new().unwrap();
        assert!(m.set_lr(f64::NAN).is_err());
        assert!(m.set_lr(0.0).is_err());
        assert!(m.set_momentum(1.0).is_err());
        assert!(m.set_start(&[f64::INFINITY]).is_err());
        assert!(m.set_start(&[0.0, 0.0]).is_err(), "the double well is 1-D");
        assert_eq!(m.lr(), 0.025);
        assert_eq!(m.code_line(1), "momentum = 0.9");
    }
}
