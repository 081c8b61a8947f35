//! Adagrad: each coordinate gets its own step size, shrinking with the sum of
//! all its squared gradients so far.
//!
//! Update rule, with `s` zeros before the first step:
//!
//! ```text
//! s ← s + g²
//! w ← w − lr·g / (√s + eps)
//! ```
//!
//! PyTorch: `torch.optim.Adagrad(params, lr=0.01, lr_decay=0,
//! initial_accumulator_value=0, eps=1e-10)` — eps is added outside the square
//! root. Because `s` only grows, steps only shrink: steep directions are tamed
//! at once, but on long runs Adagrad slows to a halt.

use super::{cast, check_lengths, to_f64, Hyper, Optimizer, OptimizerKind, SlotState, Slots};
use crate::Result;
use num_traits::Float;

/// Adagrad. State per slot: `s`, the running sum of squared gradients.
#[derive(Clone, Debug)]
pub struct Adagrad<F> {
    hyper: Hyper,
    sum_sq: Slots<Vec<F>>,
}

impl<F: Float> Adagrad<F> {
    /// Use [`super::build`] for validated construction.
    pub(crate) fn new(hyper: Hyper) -> Self {
        Adagrad {
            hyper,
            sum_sq: Slots::default(),
        }
    }
}

impl<F: Float + Send> Optimizer<F> for Adagrad<F> {
    fn kind(&self) -> OptimizerKind {
        OptimizerKind::Adagrad
    }

    fn update(&mut self, slot: usize, params: &mut [F], grads: &[F]) {
        check_lengths(params, grads);
        let neg_lr: F = cast(-self.hyper.lr);
        let eps: F = cast(self.hyper.eps);
        let n = params.len();
        let s = self
            .sum_sq
            .get_or_insert(slot, |s| s.len() == n, || vec![F::zero(); n]);
        for ((w, &g), s) in params.iter_mut().zip(grads).zip(s.iter_mut()) {
            // PyTorch: state_sum.addcmul_(grad, grad, value=1)
            *s = *s + g * g;
            // std = state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr)
            let std = s.sqrt() + eps;
            *w = *w + neg_lr * (g / std);
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
        self.sum_sq.clear();
    }

    fn state(&self, slot: usize) -> Vec<(&'static str, Vec<f64>)> {
        match self.sum_sq.get(slot) {
            Some(s) => vec![("s", to_f64(s))],
            None => Vec::new(),
        }
    }

    fn slot_state(&self, slot: usize) -> Option<SlotState<F>> {
        self.sum_sq.export(slot)
    }

    fn set_slot_state(&mut self, slot: usize, state: Option<SlotState<F>>) -> Result<()> {
        self.sum_sq.import(OptimizerKind::Adagrad, slot, state)
    }
}
