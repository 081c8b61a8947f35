//! The state of the backprop lesson, free of browser types: which
//! expression, the values of its inputs, the recorded tape ([`Trace`]), the
//! backward pass shown so far ([`Replay`]), and the finite-difference check.

use super::presets::{evaluate, Preset, PresetId};
use super::replay::Replay;
use super::trace::{Kind, Trace};
use crate::commands::Command;
use crate::error::WebResult;
use crate::lessons::kit::number::{NumberProblem, Refusals};
use crate::lessons::{LessonModel, Playback};

/// Largest input value accepted.
pub const LIMIT: f64 = 1e6;
/// Time between two steps while playing.
pub const PLAY_INTERVAL_MS: f64 = 900.0;
/// Agreement needed between backprop and the finite difference.
pub const CHECK_TOLERANCE: f64 = 1e-6;

/// Backprop's gradient of one parameter beside a central finite difference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Check {
    /// Index of the leaf among the preset's leaves.
    pub leaf: usize,
    /// ∂f/∂leaf from the core's backward pass.
    pub backprop: f64,
    /// ∂f/∂leaf from [`central_difference`].
    pub finite_difference: f64,
    /// |backprop − fd| / max(|backprop|, |fd|, 1e-12).
    pub relative: f64,
}

impl Check {
    /// Whether the two agree within [`CHECK_TOLERANCE`].
    pub fn passes(&self) -> bool {
        self.relative < CHECK_TOLERANCE
    }
}

/// The slope of `f` at `x` from `(f(x + h) − f(x − h)) / 2h`, with a step
/// scaled to `x` (h = 10⁻⁵·max(1, |x|)): its error shrinks as h², while
/// rounding error grows as ε/h, and this h balances the two for f64.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = 1e-5 * x.abs().max(1.0);
    (f(x + h) - f(x - h)) / (2.0 * h)
}

/// The backprop lesson's state: the expression, its values, the tape and the replayed backward pass.
pub struct Model {
    preset: Preset,
    values: Vec<f64>,
    /// Leaves whose typed text was refused.
    problems: Refusals<usize>,
    trace: Trace,
    replay: Replay,
    checks: Vec<Check>,
    playing: bool,
    /// Time since the last step while playing.
    waited_ms: f64,
    revision: u64,
    controls_revision: u64,
}

impl Model {
    /// Opens on the lecture's composition f = a(W₁, b(W₂, c(W₃))).
    pub fn new() -> Model {
        let preset = PresetId::Lecture.preset();
        let values: Vec<f64> = preset.leaves.iter().map(|l| l.default).collect();
        let trace = Trace::record(&preset, &values);
        let mut m = Model {
            replay: Replay::new(&trace),
            checks: Vec::new(),
            trace,
            preset,
            values,
            problems: Refusals::default(),
            playing: false,
            waited_ms: 0.0,
            revision: 0,
            controls_revision: 0,
        };
        m.rerecord();
        m
    }

    /// Switches to another expression, with its default values.
    pub fn choose(&mut self, id: PresetId) {
        self.preset = id.preset();
        self.values = self.preset.leaves.iter().map(|l| l.default).collect();
        self.problems.clear();
        self.controls_revision += 1;
        self.rerecord();
    }

    /// Takes the text typed for leaf `leaf`; a valid number re-records the
    /// tape (and restarts the backward pass), anything else is reported.
    pub fn set_text(&mut self, leaf: usize, text: &str) {
        match self.problems.read(leaf, text, LIMIT) {
            Some(v) => {
                self.values[leaf] = v;
                self.rerecord();
            }
            None => self.revision += 1,
        }
    }

    /// Sets every leaf at once to numbers already checked (|v| ≤ [`LIMIT`],
    /// one per leaf of the current expression); other lengths change nothing.
    pub fn set_values(&mut self, values: &[f64]) {
        if values.len() == self.values.len() {
            self.values = values.to_vec();
            self.problems.clear();
            self.controls_revision += 1;
            self.rerecord();
        }
    }

    /// One node of the backward pass.
    pub fn step(&mut self) {
        self.replay.step(&self.trace);
        if self.replay.finished() {
            self.playing = false;
        }
        self.revision += 1;
    }

    /// The whole backward pass at once.
    pub fn finish(&mut self) {
        while self.replay.step(&self.trace) {}
        self.playing = false;
        self.revision += 1;
    }

    /// Back to the forward values, before any backward step.
    pub fn rewind(&mut self) {
        self.replay = Replay::new(&self.trace);
        self.playing = false;
        self.revision += 1;
    }

    /// Play or pause; playing from the end starts over.
    pub fn toggle_play(&mut self) {
        if self.playing {
            self.playing = false;
        } else {
            if self.replay.finished() {
                self.replay = Replay::new(&self.trace);
            }
            self.playing = true;
            self.waited_ms = PLAY_INTERVAL_MS; // the first step right away
        }
        self.revision += 1;
    }

    /// The expression shown.
    pub fn preset(&self) -> &Preset {
        &self.preset
    }
    /// The leaves' values, in [`Preset::leaves`] order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
    /// Why the text typed for `leaf` was refused, if it was.
    pub fn problem(&self, leaf: usize) -> Option<NumberProblem> {
        self.problems.of(leaf)
    }
    /// The first refused leaf and why, for the message under the fields.
    pub fn first_problem(&self) -> Option<(usize, NumberProblem)> {
        self.problems.first(0..self.values.len())
    }
    /// The tape recorded for the current values.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }
    /// The backward pass so far.
    pub fn replay(&self) -> &Replay {
        &self.replay
    }
    /// One check per parameter (data leaves are not checked).
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }
    /// Whether every parameter's check passes.
    pub fn all_checks_pass(&self) -> bool {
        self.checks.iter().all(Check::passes)
    }
    /// Whether the backward pass plays by itself.
    pub fn playing(&self) -> bool {
        self.playing
    }
    /// Bumped on every change the picture shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when code (not the user's hand) changes a field, so the view shows the new values.
    pub fn controls_revision(&self) -> u64 {
        self.controls_revision
    }

    fn rerecord(&mut self) {
        self.trace = Trace::record(&self.preset, &self.values);
        self.replay = Replay::new(&self.trace);
        self.playing = false;
        let preset = &self.preset;
        let values = &self.values;
        self.checks = self
            .trace
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(node, n)| match n.kind {
                Kind::Param(leaf) => Some((node, leaf)),
                _ => None,
            })
            .map(|(node, leaf)| {
                let backprop = self.trace.adjoints[node];
                let finite_difference = central_difference(
                    |x| {
                        let mut moved = values.to_vec();
                        moved[leaf] = x;
                        evaluate(preset, &moved)
                    },
                    values[leaf],
                );
                let scale = backprop.abs().max(finite_difference.abs()).max(1e-12);
                Check {
                    leaf,
                    backprop,
                    finite_difference,
                    relative: (backprop - finite_difference).abs() / scale,
                }
            })
            .collect();
        self.revision += 1;
    }
}

impl Default for Model {
    fn default() -> Self {
        Model::new()
    }
}

impl LessonModel for Model {
    fn tick(&mut self, dt_ms: f64) -> WebResult<()> {
        if !self.playing {
            return Ok(());
        }
        self.waited_ms += dt_ms;
        if self.waited_ms >= PLAY_INTERVAL_MS {
            self.waited_ms = 0.0;
            self.step();
        }
        Ok(())
    }

    /// The shared keys: Space plays or pauses the backward pass, → takes one
    /// node, R rewinds to the forward values, digits pick an expression.
    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::PlayPause => self.toggle_play(),
            Command::Step => {
                self.playing = false;
                self.step();
            }
            Command::Reset => self.rewind(),
            Command::Preset(n) => {
                if let Some(&id) = n.checked_sub(1).and_then(|i| PresetId::ALL.get(i)) {
                    self.choose(id);
                }
            }
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        Playback::full(self.playing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12 * b.abs().max(1.0)
    }

    /// The adjoint of the leaf named `name` once the pass is over.
    fn grad_of(m: &Model, name: &str) -> f64 {
        let i = m
            .trace()
            .nodes
            .iter()
            .position(|n| n.label == name)
            .unwrap();
        m.replay().adjoint(i)
    }

    #[test]
    fn shared_keys_play_step_rewind_and_choose() {
        let mut m = Model::new();
        m.command(Command::PlayPause).unwrap();
        assert!(m.playing());
        m.command(Command::PlayPause).unwrap();
        assert!(!m.playing());
        let fresh = m.replay().clone();
        m.command(Command::Step).unwrap();
        assert_ne!(m.replay(), &fresh);
        m.command(Command::Reset).unwrap();
        assert_eq!(m.replay(), &fresh);
        m.command(Command::Preset(3)).unwrap();
        assert_eq!(m.preset().id, PresetId::Neuron);
        m.command(Command::Preset(9)).unwrap();
        assert_eq!(m.preset().id, PresetId::Neuron);
        m.set_values(&[1.0]);
        assert_eq!(m.values().len(), 4, "a list of the wrong length is ignored");
    }

    #[test]
    fn the_lecture_composition_by_the_chain_rule() {
        // W₁ = 2, W₂ = ln 2, W₃ = 1: c = W₃² = 1, W₂·c = ln 2,
        // b = tanh(ln 2) = (2 − ½)/(2 + ½) = 3/5, tanh′ = 1 − 9/25 = 16/25, f = W₁·b = 6/5.
        // ∂f/∂W₁ = b = 3/5
        // ∂f/∂W₂ = W₁ · tanh′ · c = 2 · 16/25 · 1 = 32/25
        // ∂f/∂W₃ = W₁ · tanh′ · W₂ · 2W₃ = 2 · 16/25 · ln 2 · 2 = (64/25) ln 2
        let mut m = Model::new();
        m.set_text(0, "2");
        m.set_text(1, &std::f64::consts::LN_2.to_string());
        m.set_text(2, "1");
        let t = m.trace();
        assert!(close(t.nodes[t.output].value, 1.2));
        m.finish();
        assert!(close(grad_of(&m, "W₁"), 0.6));
        assert!(close(grad_of(&m, "W₂"), 1.28));
        assert!(close(grad_of(&m, "W₃"), 2.56 * std::f64::consts::LN_2));
        assert!(m.all_checks_pass(), "{:?}", m.checks());
        assert_eq!(m.checks().len(), 3);
    }

    #[test]
    fn the_neuron_loss_by_the_chain_rule() {
        // w = 0.5, x = 2, b = −1, y = 1: z = 0, σ = ½, L = (½ − 1)² = ¼.
        // ∂L/∂σ = 2(σ − y) = −1, σ′(0) = ¼, so ∂L/∂z = −¼;
        // ∂L/∂w = −¼ · x = −½, ∂L/∂b = −¼.
        let mut m = Model::new();
        m.choose(PresetId::Neuron);
        for (leaf, text) in ["0.5", "2", "-1", "1"].into_iter().enumerate() {
            m.set_text(leaf, text);
        }
        let t = m.trace();
        assert_eq!(t.nodes[t.output].value, 0.25);
        m.finish();
        assert!(close(grad_of(&m, "w"), -0.5));
        assert!(close(grad_of(&m, "b"), -0.25));
        // Only the parameters are checked, not the data x and y.
        let checked: Vec<usize> = m.checks().iter().map(|c| c.leaf).collect();
        assert_eq!(checked, vec![0, 2]);
        assert!(m.all_checks_pass(), "{:?}", m.checks());
    }

    #[test]
    fn the_replay_ends_with_the_cores_adjoints() {
        for id in PresetId::ALL {
            let mut m = Model::new();
            m.choose(id);
            let total = m.replay().steps_total();
            for k in 0..total {
                assert!(!m.replay().finished());
                m.step();
                assert_eq!(m.replay().steps_done(), k + 1);
            }
            assert!(m.replay().finished());
            let t = m.trace();
            for i in 0..t.nodes.len() {
                assert_eq!(m.replay().adjoint(i), t.adjoints[i], "{id:?} node {i}");
            }
            assert!(m.all_checks_pass(), "{id:?}: {:?}", m.checks());
        }
    }

    #[test]
    fn the_first_step_seeds_the_output_and_reaches_its_parents() {
        // m = sin(x²) at x = 1.2: the output's adjoint is 1, and its parent g = x²
        // receives 1 · cos(1.44) = 0.130424… in the first step.
        let mut m = Model::new();
        m.choose(PresetId::Chain);
        let out = m.trace().output;
        assert_eq!(m.replay().current(), None);
        m.step();
        assert_eq!(m.replay().current(), Some(out));
        assert_eq!(m.replay().adjoint(out), 1.0);
        let g = m.trace().nodes[out].parents[0].0;
        assert!(close(m.replay().adjoint(g), 1.44f64.cos()));
        assert!(m.replay().is_reached(m.trace(), g));
        assert!(!m.replay().is_final(g));
        // x is not reached until g passes its adjoint on.
        assert!(!m.replay().is_reached(m.trace(), 0));
    }

    #[test]
    fn layout_puts_leaves_left_and_the_output_right() {
        let m = Model::new();
        let t = m.trace();
        // Columns: W₃ | c, W₂ | W₂·c | tanh, W₁ | W₁·b — each weight enters
        // where it enters the formula f = a(W₁, b(W₂, c(W₃))).
        let depths: Vec<usize> = t.nodes.iter().map(|n| n.depth).collect();
        assert_eq!(depths, vec![3, 1, 0, 1, 2, 3, 4]);
        assert_eq!(t.nodes[t.output].depth, 4);
        assert_eq!((t.depth(), t.height()), (5, 2));
        // Operations above leaves in a shared column.
        assert_eq!((t.nodes[3].row, t.nodes[1].row), (0, 1));
    }

    #[test]
    fn playing_steps_on_a_timer_and_stops_at_the_end() {
        let mut m = Model::new();
        m.toggle_play();
        m.tick(16.0).unwrap();
        assert_eq!(m.replay().steps_done(), 1);
        m.tick(PLAY_INTERVAL_MS / 2.0).unwrap();
        assert_eq!(m.replay().steps_done(), 1);
        for _ in 0..100 {
            m.tick(PLAY_INTERVAL_MS).unwrap();
        }
        assert!(m.replay().finished());
        assert!(!m.playing());
    }

    #[test]
    fn bad_values_are_reported_and_overflow_is_detected() {
        let mut m = Model::new();
        m.set_text(1, "abc");
        assert_eq!(m.first_problem(), Some((1, NumberProblem::NotANumber)));
        m.set_text(1, "0.5");
        assert_eq!(m.first_problem(), None);
        // The neuron with w·x = −10⁶: e^(10⁶) overflows to ∞.
        m.choose(PresetId::Neuron);
        m.set_text(0, "-1000");
        m.set_text(1, "1000");
        assert!(!m.trace().is_finite());
    }

    #[test]
    fn central_difference_of_a_cubic() {
        // d/dx x³ at 2 is 12; the central difference's error is h² = 10⁻¹⁰·4 here.
        let d = central_difference(|x| x * x * x, 2.0);
        assert!((d - 12.0).abs() < 1e-8, "{d}");
    }
}
