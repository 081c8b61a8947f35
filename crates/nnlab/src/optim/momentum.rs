//! Gradient descent with (heavy-ball) momentum, in PyTorch's form.
//!
//! Update rule, with a velocity `b` per parameter (zeros before the first step):
//!
//! ```text
//! b ← μ·b + g          (on the very first step b = g)
//! w ← w − lr·b
//! ```
//!
//! PyTorch: `torch.optim.SGD(params, lr=0.01, momentum=0.9)` (dampening 0,
//! nesterov False). The velocity is a running sum of past gradients that
//! decays by μ each step: along a consistent slope steps grow up to 1/(1−μ) =
//! 10 times the plain step, while gradients that flip sign cancel out.

use super::{cast, check_lengths, to_f64, Hyper, Optimizer, OptimizerKind, SlotState, Slots};
use crate::Result;
use num_traits::Float;

/// Momentum SGD. State per slot: `velocity` (PyTorch's `momentum_buffer`).
#[derive(Clone, Debug)]
pub struct Momentum<F> {
    hyper: Hyper,
    velocity: Slots<Vec<F>>,
}

impl<F: Float> Momentum<F> {
    /// Use [`super::build`] for validated construction.
    pub(crate) fn new(hyper: Hyper) -> Self {
        Momentum {
            hyper,
            velocity: Slots::default(),
        }
    }
}

impl<F: Float + Send> Optimizer<F> for Momentum<F> {
    fn kind(&self) -> OptimizerKind {
        OptimizerKind::Momentum
    }

    fn update(&mut self, slot: usize, params: &mut [F], grads: &[F]) {
        check_lengths(params, grads);
        let mu: F = cast(self.hyper.momentum);
        let neg_lr: F = cast(-self.hyper.lr);
        let mut first = false;
        let b = self.velocity.get_or_insert(
            slot,
            |b| b.len() == params.len(),
            || {
                first = true;
                grads.to_vec()
            },
        );
        for ((w, &g), b) in params.iter_mut().zip(grads).zip(b.iter_mut()) {
            if !first {
                // PyTorch: buf.mul_(momentum).add_(grad, alpha=1 − dampening)
                *b = *b * mu + g;
            }
            // PyTorch: param.add_(buf, alpha=-lr)
            *w = *w + neg_lr * *b;
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

    fn reset(&mut self) {
        self.velocity.clear();
    }

    fn state(&self, slot: usize) -> Vec<(&'static str, Vec<f64>)> {
        match self.velocity.get(slot) {
            Some(b) => vec![("velocity", to_f64(b))],
            None => Vec::new(),
        }
    }

    fn slot_state(&self, slot: usize) -> Option<SlotState<F>> {
        self.velocity.export(slot)
    }

    fn set_slot_state(&mut self, slot: usize, state: Option<SlotState<F>>) -> Result<()> {
        self.velocity.import(OptimizerKind::Momentum, slot, state)
    }
}
