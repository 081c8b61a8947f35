//! Mini-batch noise: a real mini-batch gives the gradient of *its* examples'
//! loss, which scatters around the full gradient. The lesson imitates that by
//! adding seeded Gaussian noise to each gradient before the SGD update, so a
//! run is random but the same every time it is replayed (the page says so).

use nnlab::optim::{Hyper, Optimizer, OptimizerKind};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// The seed every run starts from (a reset replays the same noise).
pub const NOISE_SEED: u64 = 4;

/// An optimiser that sees `gradient + sigma·ξ`, ξ ~ N(0, 1) drawn from a seeded generator.
pub struct NoisyGradient {
    inner: Box<dyn Optimizer<f64>>,
    sigma: f64,
    seed: u64,
    rng: ChaCha8Rng,
}

impl NoisyGradient {
    /// `inner` with noise of standard deviation `sigma` (< 0 or not finite: none), seeded by `seed`.
    pub fn new(inner: Box<dyn Optimizer<f64>>, sigma: f64, seed: u64) -> NoisyGradient {
        NoisyGradient {
            inner,
            sigma: if sigma.is_finite() {
                sigma.max(0.0)
            } else {
                0.0
            },
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }
}

impl Optimizer<f64> for NoisyGradient {
    fn kind(&self) -> OptimizerKind {
        self.inner.kind()
    }

    fn update(&mut self, slot: usize, params: &mut [f64], grads: &[f64]) {
        if self.sigma == 0.0 {
            return self.inner.update(slot, params, grads);
        }
        let noisy: Vec<f64> = grads
            .iter()
            .map(|g| {
                let xi: f64 = StandardNormal.sample(&mut self.rng);
                g + self.sigma * xi
            })
            .collect();
        self.inner.update(slot, params, &noisy);
    }

    fn hyper(&self) -> Hyper {
        self.inner.hyper()
    }

    fn set_hyper(&mut self, hyper: Hyper) -> nnlab::Result<()> {
        self.inner.set_hyper(hyper)
    }

    /// Forgets the inner state and rewinds the noise to its seed.
    fn reset(&mut self) {
        self.inner.reset();
        self.rng = ChaCha8Rng::seed_from_u64(self.seed);
    }

    fn state(&self, slot: usize) -> Vec<(&'static str, Vec<f64>)> {
        self.inner.state(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab::optim::build;

    fn sgd(lr: f64) -> Box<dyn Optimizer<f64>> {
        build(
            OptimizerKind::Sgd,
            Hyper {
                lr,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
        )
        .unwrap()
    }

    #[test]
    fn without_noise_it_is_plain_sgd() {
        // w ← 1 − 0.1·2 = 0.8.
        let mut opt = NoisyGradient::new(sgd(0.1), 0.0, NOISE_SEED);
        let mut w = [1.0];
        opt.update(0, &mut w, &[2.0]);
        assert_eq!(w, [0.8]);
    }

    #[test]
    fn noise_is_seeded_and_rewound_by_reset() {
        let mut opt = NoisyGradient::new(sgd(0.1), 1.0, NOISE_SEED);
        let run = |opt: &mut NoisyGradient| {
            let mut w = [0.0];
            for _ in 0..5 {
                opt.update(0, &mut w, &[0.0]);
            }
            w[0]
        };
        let first = run(&mut opt);
        // With a zero gradient the walk is −0.1·(ξ₁ + … + ξ₅): random, so not 0 …
        assert!(first != 0.0);
        // … but the same again after a reset.
        opt.reset();
        assert_eq!(run(&mut opt), first);
    }
}
