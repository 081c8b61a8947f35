//! Plain (stochastic) gradient descent: step straight down the slope.
//!
//! Update rule: `w ← w − lr·g`.
//!
//! PyTorch: `torch.optim.SGD(params, lr=0.01)` with momentum 0 (the lecture's
//! lr default 0.01; PyTorch's SGD requires you to choose one).
//! No state: every step forgets the previous one.

use super::{cast, check_lengths, Hyper, Optimizer, OptimizerKind};
use crate::Result;
use num_traits::Float;

/// Plain gradient descent. Stateless.
#[derive(Clone, Debug)]
pub struct Sgd {
    hyper: Hyper,
}

impl Sgd {
    /// Use [`super::build`] for validated construction.
    pub(crate) fn new(hyper: Hyper) -> Self {
        Sgd { hyper }
    }
}

impl<F: Float> Optimizer<F> for Sgd {
    fn kind(&self) -> OptimizerKind {
        OptimizerKind::Sgd
    }

    fn update(&mut self, _slot: usize, params: &mut [F], grads: &[F]) {
        check_lengths(params, grads);
        // PyTorch: param.add_(grad, alpha=-lr)  →  w + (−lr)·g
        let neg_lr: F = cast(-self.hyper.lr);
        for (w, &g) in params.iter_mut().zip(grads) {
            *w = *w + neg_lr * g;
        }
    }

    fn hyper(&self) -> Hyper {
        self.hyper
    }

    fn set_hyper(&mut self, hyper: Hyper) -> Result<()> {
        hyper.validate_in::<F>()?;
        self.hyper = hyper;
        Ok(())
    }

    fn reset(&mut self) {}

    fn state(&self, _slot: usize) -> Vec<(&'static str, Vec<f64>)> {
        Vec::new()
    }
}
