//! Nesterov momentum, written exactly as the lecture's pseudo-code:
//!
//! ```text
//! velocity = past_velocity * momentum - learning_rate * gradient
//! w = w + momentum * velocity - learning_rate * gradient
//! past_velocity = velocity
//! ```
//!
//! In the notation of this module, with `v` zeros before the first step:
//! `v ← μ·v − lr·g;  w ← w + μ·v − lr·g`, μ = 0.9 by default.
//!
//! PyTorch: `torch.optim.SGD(params, lr=0.01, momentum=0.9, nesterov=True)`
//! keeps `b ← μ·b + g` and steps `w ← w − lr·(g + μ·b)`. With `v = −lr·b` the
//! two are the same algorithm, so they agree (to rounding) while the learning
//! rate stays constant; if lr changes mid-run they differ, because here the
//! velocity already carries the old learning rate.

use super::{
    cast, check_lengths, to_f64, Hyper, Movable, Optimizer, OptimizerKind, SlotState, Slots,
};
use crate::Result;
use num_traits::Float;

/// Lecture-form Nesterov. State per slot: `past_velocity` (v before the
/// latest step) and `velocity` (v after it), as the momentum lesson shows them.
#[derive(Clone, Debug)]
pub struct Nesterov<F> {
    hyper: Hyper,
    slots: Slots<Velocities<F>>,
}

#[derive(Clone, Debug)]
struct Velocities<F> {
    past: Vec<F>,
    current: Vec<F>,
}

impl<F: Clone> Movable<F> for Velocities<F> {
    fn to_state(&self) -> SlotState<F> {
        SlotState {
            vectors: vec![self.past.clone(), self.current.clone()],
            steps: 0,
        }
    }

    fn from_state(state: SlotState<F>) -> Option<Self> {
        let [past, current]: [Vec<F>; 2] = state.vectors.try_into().ok()?;
        Some(Velocities { past, current })
    }
}

impl<F: Float> Nesterov<F> {
    /// Use [`super::build`] for validated construction.
    pub(crate) fn new(hyper: Hyper) -> Self {
        Nesterov {
            hyper,
            slots: Slots::default(),
        }
    }
}

impl<F: Float + Send> Optimizer<F> for Nesterov<F> {
    fn kind(&self) -> OptimizerKind {
        OptimizerKind::Nesterov
    }

    fn update(&mut self, slot: usize, params: &mut [F], grads: &[F]) {
        check_lengths(params, grads);
        let mu: F = cast(self.hyper.momentum);
        let lr: F = cast(self.hyper.lr);
        let n = params.len();
        let s = self.slots.get_or_insert(
            slot,
            |s| s.current.len() == n,
            || Velocities {
                past: vec![F::zero(); n],
                current: vec![F::zero(); n],
            },
        );
        // past_velocity = velocity (of the previous step)
        s.past.copy_from_slice(&s.current);
        for ((w, &g), (v, &past)) in params
            .iter_mut()
            .zip(grads)
            .zip(s.current.iter_mut().zip(&s.past))
        {
            *v = past * mu - lr * g;
            *w = *w + mu * *v - lr * g;
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
        self.slots.clear();
    }

    fn state(&self, slot: usize) -> Vec<(&'static str, Vec<f64>)> {
        match self.slots.get(slot) {
            Some(s) => vec![
                ("past_velocity", to_f64(&s.past)),
                ("velocity", to_f64(&s.current)),
            ],
            None => Vec::new(),
        }
    }

    fn slot_state(&self, slot: usize) -> Option<SlotState<F>> {
        self.slots.export(slot)
    }

    fn set_slot_state(&mut self, slot: usize, state: Option<SlotState<F>>) -> Result<()> {
        self.slots.import(OptimizerKind::Nesterov, slot, state)
    }
}
