//! RMSProp: like Adagrad, but the squared gradients are averaged with decay,
//! so old history fades and the step size does not shrink forever.
//!
//! Update rule, with `v` zeros before the first step:
//!
//! ```text
//! v ← α·v + (1−α)·g²
//! w ← w − lr·g / (√v + eps)
//! ```
//!
//! PyTorch: `torch.optim.RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8,
//! momentum=0, centered=False)`. There is no bias correction: `v` starts at 0,
//! so the first steps are large (about lr/√(1−α) = 10·lr per coordinate).

use super::{cast, check_lengths, to_f64, Hyper, Optimizer, OptimizerKind, SlotState, Slots};
use crate::Result;
use num_traits::Float;

/// RMSProp. State per slot: `v`, the decaying mean of squared gradients.
#[derive(Clone, Debug)]
pub struct RmsProp<F> {
    hyper: Hyper,
    square_avg: Slots<Vec<F>>,
}

impl<F: Float> RmsProp<F> {
    /// Use [`super::build`] for validated construction.
    pub(crate) fn new(hyper: Hyper) -> Self {
        RmsProp {
            hyper,
            square_avg: Slots::default(),
        }
    }
}

impl<F: Float + Send> Optimizer<F> for RmsProp<F> {
    fn kind(&self) -> OptimizerKind {
        OptimizerKind::RmsProp
    }

    fn update(&mut self, slot: usize, params: &mut [F], grads: &[F]) {
        check_lengths(params, grads);
        let alpha: F = cast(self.hyper.alpha);
        let one_minus_alpha: F = cast(1.0 - self.hyper.alpha);
        let neg_lr: F = cast(-self.hyper.lr);
        let eps: F = cast(self.hyper.eps);
        let n = params.len();
        let v = self
            .square_avg
            .get_or_insert(slot, |v| v.len() == n, || vec![F::zero(); n]);
        for ((w, &g), v) in params.iter_mut().zip(grads).zip(v.iter_mut()) {
            // PyTorch: square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
            *v = *v * alpha + one_minus_alpha * g * g;
            // avg = square_avg.sqrt().add_(eps); param.addcdiv_(grad, avg, value=-lr)
            let avg = v.sqrt() + eps;
            *w = *w + neg_lr * (g / avg);
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
        self.square_avg.clear();
    }

    fn state(&self, slot: usize) -> Vec<(&'static str, Vec<f64>)> {
        match self.square_avg.get(slot) {
            Some(v) => vec![("v", to_f64(v))],
            None => Vec::new(),
        }
    }

    fn slot_state(&self, slot: usize) -> Option<SlotState<F>> {
        self.square_avg.export(slot)
    }

    fn set_slot_state(&mut self, slot: usize, state: Option<SlotState<F>>) -> Result<()> {
        self.square_avg.import(OptimizerKind::RmsProp, slot, state)
    }
}
