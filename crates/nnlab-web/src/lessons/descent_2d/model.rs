//! The state of the 2-D descent race, free of any browser type so it can be
//! tested natively: one surface, one start point, one step budget, and one
//! [`Runner`] per optimiser. The enabled runners step together (one step each
//! per race step), so after `k` steps every one of them has had the same
//! budget. A runner that diverges stops alone; the others go on.
//!
//! With a single runner enabled this is the classic one-optimiser picture.

use nnlab::optim::{Hyper, OptimizerKind};
use nnlab::surfaces::{self, Surface};

use super::presets::Preset;
use super::runner::{Memory, Runner, RunnerState};
use crate::lessons::kit::clock::Clock;
use crate::lessons::kit::walk::{Play, Walk};

pub use crate::lessons::kit::labels::SURFACES;
/// Most race steps taken in one animation frame, whatever the speed,
/// so a frame stays within a few milliseconds.
pub const MAX_STEPS_PER_FRAME: usize = 400;
/// Steps per second when the lesson opens: slow enough to follow each step.
pub const DEFAULT_SPEED: f64 = 60.0;
/// Steps each runner may take before the race ends.
pub const DEFAULT_BUDGET: usize = 2000;
/// The smallest step budget (also for a link).
pub const MIN_BUDGET: usize = 1;
/// The largest step budget (also for a link).
pub const MAX_BUDGET: usize = 100_000;

/// Where the race is: ready, running, paused or finished.
pub use crate::lessons::kit::walk::Play as Phase;

/// The race: the surface, the start, one runner per optimiser, the clock and the step budget.
pub struct Model {
    surface: Surface,
    start: Vec<f64>,
    /// One per optimiser, in the order of [`OptimizerKind::ALL`].
    runners: Vec<Runner>,
    phase: Phase,
    /// Race steps per second of wall-clock time.
    clock: Clock,
    budget: usize,
    /// Race steps taken since the start.
    steps: usize,
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

/// PyTorch's defaults for `kind` with the learning rate that suits `surface`.
pub fn suggested_hyper(surface: &Surface, kind: OptimizerKind) -> Hyper {
    Hyper {
        lr: suggested_lr(surface, kind),
        ..Hyper::defaults(kind)
    }
}

impl Model {
    /// All six optimisers on Rosenbrock's banana valley (the first preset).
    pub fn new() -> nnlab::Result<Model> {
        Model::on_surface(SURFACES[0], &OptimizerKind::ALL)
    }

    /// A race on `surface` from its default start between the `enabled`
    /// optimisers, each at its suggested settings.
    pub fn on_surface(surface: &str, enabled: &[OptimizerKind]) -> nnlab::Result<Model> {
        let surface = two_d_surface(surface)?;
        let start = surface.default_start.clone();
        let runners = OptimizerKind::ALL
            .into_iter()
            .map(|kind| {
                let hyper = suggested_hyper(&surface, kind);
                Runner::new(&surface, kind, hyper, &start, enabled.contains(&kind))
            })
            .collect::<nnlab::Result<Vec<Runner>>>()?;
        Ok(Model {
            surface,
            start,
            runners,
            phase: Phase::Ready,
            clock: Clock::new(DEFAULT_SPEED),
            budget: DEFAULT_BUDGET,
            steps: 0,
            revision: 0,
            controls_revision: 0,
        })
    }

    /// The surface raced on.
    pub fn surface(&self) -> &Surface {
        &self.surface
    }
    /// Where every runner starts.
    pub fn start(&self) -> &[f64] {
        &self.start
    }
    /// Every runner, enabled or not, in the order of [`OptimizerKind::ALL`].
    pub fn runners(&self) -> &[Runner] {
        &self.runners
    }
    /// The runner of `kind`.
    pub fn runner(&self, kind: OptimizerKind) -> &Runner {
        &self.runners[index_of(kind)]
    }
    /// Race steps per second.
    pub fn speed(&self) -> f64 {
        self.clock.speed
    }
    /// Steps each runner may take before the race ends.
    pub fn budget(&self) -> usize {
        self.budget
    }
    /// Race steps taken since the start.
    pub fn steps(&self) -> usize {
        self.steps
    }
    /// Where the race is: ready, running, paused or finished.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Bumped whenever the picture changes.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when code (not the user's hand) changes a control's value.
    pub fn controls_revision(&self) -> u64 {
        self.controls_revision
    }
    /// The runners taking part, in menu order.
    pub fn enabled(&self) -> impl Iterator<Item = &Runner> {
        self.runners.iter().filter(|r| r.enabled())
    }

    /// Switches surface: back to its default start, every learning rate set to one that suits it.
    pub fn set_surface(&mut self, name: &str) -> nnlab::Result<()> {
        let surface = two_d_surface(name)?;
        self.start = surface.default_start.clone();
        for runner in &mut self.runners {
            let enabled = runner.enabled();
            *runner = Runner::new(
                &surface,
                runner.kind(),
                suggested_hyper(&surface, runner.kind()),
                &self.start,
                enabled,
            )?;
        }
        self.surface = surface;
        self.phase = Phase::Ready;
        self.restart()?;
        self.controls_revision += 1;
        Ok(())
    }

    /// Takes `kind` into the race or out of it. Joining restarts the race, so
    /// that everyone starts together with the same budget.
    pub fn set_enabled(&mut self, kind: OptimizerKind, enabled: bool) -> nnlab::Result<()> {
        let runner = &mut self.runners[index_of(kind)];
        if runner.enabled() == enabled {
            return Ok(());
        }
        runner.set_enabled(enabled);
        if enabled {
            self.restart()?;
        } else {
            self.finish_if_all_stopped();
            self.revision += 1;
        }
        Ok(())
    }

    /// Changes one runner's learning rate between steps (its state is kept).
    pub fn set_lr(&mut self, kind: OptimizerKind, lr: f64) -> nnlab::Result<()> {
        let runner = &mut self.runners[index_of(kind)];
        runner.set_hyper(Hyper {
            lr,
            ..runner.hyper()
        })
    }

    /// Changes one runner's momentum, α or β₁ (see [`Memory`]) between steps.
    pub fn set_memory(&mut self, kind: OptimizerKind, value: f64) -> nnlab::Result<()> {
        let runner = &mut self.runners[index_of(kind)];
        let Some(memory) = Memory::of(kind) else {
            return Err(nnlab::Error::OutOfRange {
                what: "memory setting",
                detail: format!("{} has no momentum or decay factor", kind.name()),
            });
        };
        runner.set_hyper(memory.with(runner.hyper(), value))
    }

    /// Race steps per second (a speed that is not a number is the default one).
    pub fn set_speed(&mut self, steps_per_second: f64) {
        self.clock.set_speed(if steps_per_second.is_finite() {
            steps_per_second
        } else {
            DEFAULT_SPEED
        });
    }

    /// The steps each runner may take; a budget already used up ends the race.
    pub fn set_budget(&mut self, steps: f64) {
        self.budget = if steps.is_finite() {
            (steps.round().max(MIN_BUDGET as f64) as usize).min(MAX_BUDGET)
        } else {
            DEFAULT_BUDGET
        };
        if self.steps >= self.budget {
            for runner in &mut self.runners {
                runner.out_of_steps();
            }
            self.finish_if_all_stopped();
        }
    }

    /// Starts again from `point` (a click or drag on the map).
    pub fn set_start(&mut self, point: [f64; 2]) -> nnlab::Result<()> {
        self.surface.check_point(&point)?;
        self.start = point.to_vec();
        self.reset()
    }

    /// Back to the start point with fresh optimisers; keeps playing if it was.
    pub fn reset(&mut self) -> nnlab::Result<()> {
        self.restart()
    }

    /// Becomes `fresh` (e.g. a race read from a link); the page redraws everything.
    pub fn replace_with(&mut self, fresh: Model) {
        let (revision, controls) = (self.revision, self.controls_revision);
        *self = fresh;
        self.revision = revision + 1;
        self.controls_revision = controls + 1;
    }

    /// Loads a prepared scene.
    pub fn apply_preset(&mut self, preset: &Preset) -> nnlab::Result<()> {
        let mut fresh = Model::on_surface(preset.surface, preset.runners)?;
        if let Some(start) = preset.start {
            fresh.set_start(start)?;
        }
        for &(kind, lr) in preset.rates {
            fresh.set_lr(kind, lr)?;
        }
        fresh.set_speed(self.speed());
        self.replace_with(fresh);
        Ok(())
    }

    /// Everyone back to the start; the phase is kept unless the race had finished.
    fn restart(&mut self) -> nnlab::Result<()> {
        for runner in &mut self.runners {
            runner.restart(&self.start)?;
        }
        self.steps = 0;
        self.clock.restart();
        if self.phase != Phase::Running {
            self.phase = Phase::Ready;
        }
        self.revision += 1;
        Ok(())
    }

    fn finish_if_all_stopped(&mut self) {
        let anyone = self.enabled().next().is_some();
        if anyone && !self.runners.iter().any(Runner::is_walking) {
            self.phase = Phase::Finished;
        }
    }

    /// Whether any enabled runner stopped on divergence.
    pub fn any_diverged(&self) -> bool {
        self.enabled()
            .any(|r| matches!(r.state(), RunnerState::Diverged { .. }))
    }
}

/// Position of `kind` in [`OptimizerKind::ALL`] (and in the runner list).
pub fn index_of(kind: OptimizerKind) -> usize {
    OptimizerKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(0)
}

/// The 2-D surface called `name`.
fn two_d_surface(name: &str) -> nnlab::Result<Surface> {
    let surface = surfaces::by_name(name)?;
    if surface.dim != 2 {
        return Err(nnlab::Error::unknown("2-D surface", name, &SURFACES));
    }
    Ok(surface)
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

    /// Up to `n` race steps: every walking runner takes one step per race step.
    fn advance(&mut self, n: usize) {
        for _ in 0..n {
            if !self.runners.iter().any(Runner::is_walking) {
                break;
            }
            for runner in &mut self.runners {
                runner.step();
            }
            self.steps += 1;
            if self.steps >= self.budget {
                for runner in &mut self.runners {
                    runner.out_of_steps();
                }
            }
        }
        self.finish_if_all_stopped();
        self.revision += 1;
    }

    fn rewind(&mut self) -> nnlab::Result<()> {
        self.restart()
    }

    fn changed(&mut self) {
        self.revision += 1;
    }

    /// The digits load the prepared scenes (see [`super::presets`]).
    fn preset(&mut self, n: usize) -> nnlab::Result<()> {
        match super::presets::preset(n) {
            Some(preset) => self.apply_preset(preset),
            None => Ok(()),
        }
    }

    /// Nothing walks while no optimiser takes part.
    fn can_walk(&self) -> bool {
        self.enabled().next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::LessonModel;
    use nnlab::descent::Divergence;
    use OptimizerKind::*;

    fn solo(surface: &str, kind: OptimizerKind) -> Model {
        Model::on_surface(surface, &[kind]).unwrap()
    }

    fn run(m: &mut Model, ticks: usize) {
        m.set_speed(1e6);
        m.toggle_play().unwrap();
        for _ in 0..ticks {
            m.tick(100.0).unwrap();
        }
    }

    #[test]
    fn plays_at_the_chosen_speed() {
        let mut m = solo("ill-conditioned", Sgd);
        m.set_speed(60.0);
        m.toggle_play().unwrap();
        // 60 steps/s for 250 ms = 15 steps; then 10 ms = 0.6 step (carried), then 10 ms more = 1.2 → 1 step.
        m.tick(250.0).unwrap();
        assert_eq!(m.steps(), 15);
        m.tick(10.0).unwrap();
        assert_eq!(m.steps(), 15);
        m.tick(10.0).unwrap();
        assert_eq!(m.steps(), 16);
        // The path holds the start plus every step so far; so does the loss history.
        assert_eq!(m.runner(Sgd).path().points().len(), 17);
        assert_eq!(m.runner(Sgd).history().points().len(), 17);
        // A runner that is not enabled does not move.
        assert_eq!(m.runner(Adam).descent().steps(), 0);
    }

    #[test]
    fn a_frame_never_takes_more_than_the_cap() {
        let mut m = solo("ill-conditioned", Sgd);
        m.set_speed(1e6);
        m.toggle_play().unwrap();
        m.tick(100.0).unwrap();
        assert_eq!(m.steps(), MAX_STEPS_PER_FRAME);
    }

    #[test]
    fn every_runner_gets_the_same_budget() {
        let mut m = Model::new().unwrap();
        m.set_budget(25.0);
        run(&mut m, 3);
        assert_eq!(m.phase(), Phase::Finished);
        assert_eq!(m.steps(), 25);
        for r in m.runners() {
            assert_eq!(r.descent().steps(), 25, "{:?}", r.kind());
            assert_eq!(r.state(), RunnerState::OutOfSteps);
        }
        // Playing a finished race starts it again.
        m.toggle_play().unwrap();
        assert_eq!((m.phase(), m.steps()), (Phase::Running, 0));
    }

    #[test]
    fn one_runner_diverges_and_the_others_go_on() {
        // f = 0.5(x² + 50y²): along y the curvature is 50, so SGD is stable only for lr < 2/50 = 0.04.
        // At lr = 0.1 each step multiplies y by (1 − 0.1·50) = −4 and the walk explodes.
        let mut m = Model::on_surface("ill-conditioned", &[Sgd, Adam]).unwrap();
        m.set_lr(Sgd, 0.1).unwrap();
        m.set_speed(60.0);
        m.toggle_play().unwrap();
        m.tick(1000.0).unwrap(); // 60 steps
        assert!(
            matches!(
                m.runner(Sgd).state(),
                RunnerState::Diverged {
                    why: Divergence::Exploding | Divergence::NotFinite,
                    lr
                } if lr == 0.1
            ),
            "{:?}",
            m.runner(Sgd).state()
        );
        let sgd_steps = m.runner(Sgd).descent().steps();
        assert!(sgd_steps < 30, "SGD stopped early: {sgd_steps}");
        assert_eq!(m.phase(), Phase::Running);
        assert_eq!(m.runner(Adam).descent().steps(), m.steps());
        assert!(m.any_diverged());
        // A new rate does not rewrite history: the state names the rate that diverged.
        m.set_lr(Sgd, 0.02).unwrap();
        assert!(matches!(m.runner(Sgd).state(), RunnerState::Diverged { lr, .. } if lr == 0.1));
        // Reset brings it back into the race.
        m.reset().unwrap();
        assert_eq!(m.runner(Sgd).state(), RunnerState::Walking);
    }

    #[test]
    fn a_learning_rate_changed_mid_run_keeps_the_walk() {
        let mut m = solo("ill-conditioned", Momentum);
        m.set_speed(10.0);
        m.toggle_play().unwrap();
        m.tick(1000.0).unwrap();
        let point = m.runner(Momentum).descent().point().to_vec();
        m.set_lr(Momentum, 0.001).unwrap();
        assert_eq!(m.steps(), 10);
        assert_eq!(m.runner(Momentum).descent().point(), point.as_slice());
        assert_eq!(m.runner(Momentum).hyper().lr, 0.001);
        m.set_memory(Momentum, 0.5).unwrap();
        assert_eq!(m.runner(Momentum).hyper().momentum, 0.5);
        assert!(m.set_memory(Sgd, 0.5).is_err());
        assert!(m.set_memory(Momentum, 1.0).is_err());
    }

    #[test]
    fn joining_restarts_the_race_and_leaving_does_not() {
        let mut m = solo("beale", Adam);
        m.step_once();
        m.step_once();
        m.set_enabled(Sgd, true).unwrap();
        assert_eq!(m.steps(), 0);
        m.step_once();
        m.set_enabled(Sgd, false).unwrap();
        assert_eq!(m.steps(), 1);
        m.set_enabled(Adam, false).unwrap();
        // Nobody left: play does nothing.
        m.toggle_play().unwrap();
        assert_eq!(m.phase(), Phase::Paused);
        m.step_once();
        assert_eq!(m.steps(), 1);
    }

    #[test]
    fn starting_on_the_ridge_of_the_saddle_converges_to_the_saddle_point() {
        // f = x² + ½(y² − 1)²: on y = 0 the y-gradient is 2y(y² − 1) = 0, so SGD only slides
        // down x towards (0, 0), where the gradient vanishes although it is no minimum.
        let mut m = solo("saddle", Sgd);
        m.set_start([-2.0, 0.0]).unwrap();
        run(&mut m, 10);
        assert_eq!(m.runner(Sgd).state(), RunnerState::Converged);
        assert_eq!(m.phase(), Phase::Finished);
        let p = m.runner(Sgd).descent().point();
        assert!(p[0].abs() < 1e-6 && p[1] == 0.0);
    }

    #[test]
    fn bad_input_is_refused() {
        let mut m = Model::new().unwrap();
        assert!(m.set_start([f64::NAN, 0.0]).is_err());
        assert!(m.set_surface("double-well").is_err());
        assert!(m.set_surface("lbfgs").is_err());
        assert!(m.set_lr(Adam, -1.0).is_err());
        assert!(m.set_lr(Adam, f64::NAN).is_err());
        m.set_budget(1e300);
        assert_eq!(m.budget(), MAX_BUDGET);
        m.set_budget(f64::NAN);
        assert_eq!(m.budget(), DEFAULT_BUDGET);
    }

    #[test]
    fn every_optimiser_makes_progress_on_every_surface_at_its_suggested_rate() {
        let mut failures = Vec::new();
        for surface in SURFACES {
            let mut m = Model::on_surface(surface, &OptimizerKind::ALL).unwrap();
            m.set_budget(4000.0);
            run(&mut m, 10); // 10 × 400 steps
            for r in m.runners() {
                let start_loss = r.history().points()[0][1];
                let report = format!(
                    "{surface}/{}: lr {}, {:?} after {} steps, loss {} → {}",
                    r.kind().name(),
                    r.hyper().lr,
                    r.state(),
                    r.descent().steps(),
                    start_loss,
                    r.descent().loss()
                );
                if matches!(r.state(), RunnerState::Diverged { .. })
                    || r.descent().loss() >= start_loss
                {
                    failures.push(report);
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
