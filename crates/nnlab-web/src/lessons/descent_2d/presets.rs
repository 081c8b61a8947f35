//! Prepared scenes for the lecture, on the digit keys 1–4 (and as buttons).

use nnlab::optim::OptimizerKind::{self, *};

use crate::i18n::Key;

/// A surface, who races, where they start (if not the surface's default),
/// and learning rates that differ from the suggested ones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// Its button's text.
    pub name: Key,
    /// The surface's core name.
    pub surface: &'static str,
    /// Who races.
    pub runners: &'static [OptimizerKind],
    /// Where they start; `None`: the surface's default.
    pub start: Option<[f64; 2]>,
    /// Learning rates that differ from the suggested ones.
    pub rates: &'static [(OptimizerKind, f64)],
}

/// In key order: preset 1 is `PRESETS[0]`.
pub const PRESETS: [Preset; 4] = [
    // The classic benchmark: how each method copes with a curved, flat-bottomed valley.
    Preset {
        name: Key::PresetAllSix,
        surface: "rosenbrock",
        runners: &OptimizerKind::ALL,
        start: None,
        rates: &[],
    },
    // f = 0.5(x² + 50y²): SGD (lr 0.035) zig-zags across the valley and crawls along it;
    // momentum at a smaller lr (0.005) builds up speed along the valley floor.
    Preset {
        name: Key::PresetValley,
        surface: "ill-conditioned",
        runners: &[Sgd, Momentum],
        start: None,
        rates: &[(Momentum, 0.005)],
    },
    // Starting 0.001 off the ridge y = 0: the walk first slides to the saddle, then must escape it.
    Preset {
        name: Key::PresetSaddle,
        surface: "saddle",
        runners: &[Sgd, Momentum, Adam],
        start: None,
        rates: &[],
    },
    // At (−6, 4) the gradient is (r/4)·e^(−r²/8) ≈ 0.0027: SGD's steps are tiny, Adam's are not.
    Preset {
        name: Key::PresetPlateau,
        surface: "plateau",
        runners: &[Sgd, Adam],
        start: Some([-6.0, 4.0]),
        rates: &[],
    },
];

/// Preset `number` (1-based, as on the keys).
pub fn preset(number: usize) -> Option<&'static Preset> {
    number.checked_sub(1).and_then(|i| PRESETS.get(i))
}

#[cfg(test)]
mod tests {
    use super::super::model::{Model, Phase};
    use super::super::runner::RunnerState;
    use super::*;
    use crate::lessons::kit::walk::Walk;

    /// Runs preset `n` for `steps` race steps and returns the model.
    fn played(n: usize, steps: usize) -> Model {
        let mut m = Model::new().unwrap();
        m.apply_preset(preset(n).unwrap()).unwrap();
        for _ in 0..steps {
            m.step_once();
        }
        m
    }

    fn loss(m: &Model, kind: OptimizerKind) -> f64 {
        m.runner(kind).descent().loss()
    }

    #[test]
    fn keys_one_to_four_and_no_more() {
        assert_eq!(preset(1).unwrap().surface, "rosenbrock");
        assert_eq!(preset(4).unwrap().surface, "plateau");
        assert!(preset(0).is_none() && preset(5).is_none());
    }

    #[test]
    fn in_the_narrow_valley_momentum_wins() {
        // After 100 steps SGD (lr 0.035) has shrunk x only by 0.965^100 ≈ 0.028 of its
        // start −8: x ≈ −0.227, loss ≈ 0.5·0.227² ≈ 0.026 (y is long gone: 0.75^100).
        // Momentum (lr 0.005, μ 0.9) is at loss ≈ 0.0004 (simulated by hand in Python).
        let m = played(2, 100);
        assert_eq!(m.enabled().count(), 2);
        assert_eq!(m.runner(Momentum).hyper().lr, 0.005);
        assert!(
            (loss(&m, Sgd) - 0.0257).abs() < 0.001,
            "SGD {}",
            loss(&m, Sgd)
        );
        assert!(
            loss(&m, Momentum) < 0.001,
            "momentum {}",
            loss(&m, Momentum)
        );
        assert_eq!(m.phase(), Phase::Paused);
    }

    #[test]
    fn adam_crosses_the_plateau_while_sgd_crawls() {
        // At (−6, 4) the gradient is (r/4)·e^(−r²/8) = 1.80·e^(−6.5) ≈ 0.0027, so SGD's
        // steps (lr 0.5) move 0.0014; Adam's move about lr = 0.1 per coordinate, and after
        // 100 steps it is at loss ≈ 2e-5 while SGD is still at ≈ 0.998.
        let m = played(4, 100);
        assert_eq!(m.start(), &[-6.0, 4.0]);
        assert!(loss(&m, Sgd) > 0.99, "SGD {}", loss(&m, Sgd));
        assert!(loss(&m, Adam) < 1e-3, "Adam {}", loss(&m, Adam));
    }

    #[test]
    fn momentum_and_adam_escape_the_saddle_first() {
        // Near y = 0 the curvature along y is −2: SGD (lr 0.05) multiplies y by 1.1 per step,
        // so from y = 0.001 it needs about ln(1000)/ln(1.1) ≈ 72 steps to leave.
        let m = played(3, 60);
        let y = |k| m.runner(k).descent().point()[1].abs();
        assert!(y(Sgd) < 0.5, "SGD y {}", y(Sgd));
        assert!(y(Momentum) > 0.5, "momentum y {}", y(Momentum));
        assert!(y(Adam) > 0.5, "Adam y {}", y(Adam));
        assert!(m
            .runners()
            .iter()
            .all(|r| !matches!(r.state(), RunnerState::Diverged { .. })));
    }
}
