//! Adam: momentum (a decaying mean `m` of gradients) divided by an RMSProp-like
//! scale (a decaying mean `v` of squared gradients), both bias-corrected for
//! starting at zero.
//!
//! Update rule, with `m`, `v` zeros and the step count `t` = 1 on the first step:
//!
//! ```text
//! m ← β1·m + (1−β1)·g
//! v ← β2·v + (1−β2)·g²
//! step  = lr / (1 − β1ᵗ)
//! denom = √v / √(1 − β2ᵗ) + eps
//! w ← w − step·m / denom
//! ```
//!
//! PyTorch: `torch.optim.Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-8,
//! amsgrad=False)`. Far from a minimum each step moves each coordinate by about
//! lr whatever the size of the gradient — which is why Adam crosses plateaus.

use super::{
    cast, check_lengths, to_f64, Hyper, Movable, Optimizer, OptimizerKind, SlotState, Slots,
};
use crate::Result;
use num_traits::Float;

/// Adam. State per slot: the moments `m` and `v` and the step count.
#[derive(Clone, Debug)]
pub struct Adam<F> {
    hyper: Hyper,
    slots: Slots<Moments<F>>,
}

#[derive(Clone, Debug)]
struct Moments<F> {
    m: Vec<F>,
    v: Vec<F>,
    t: u32,
}

impl<F: Clone> Movable<F> for Moments<F> {
    fn to_state(&self) -> SlotState<F> {
        SlotState {
            vectors: vec![self.m.clone(), self.v.clone()],
            steps: self.t,
        }
    }

    fn from_state(state: SlotState<F>) -> Option<Self> {
        let [m, v]: [Vec<F>; 2] = state.vectors.try_into().ok()?;
        Some(Moments {
            m,
            v,
            t: state.steps,
        })
    }
}

impl<F: Float> Adam<F> {
    /// Use [`super::build`] for validated construction.
    pub(crate) fn new(hyper: Hyper) -> Self {
        Adam {
            hyper,
            slots: Slots::default(),
        }
    }
}

/// The per-step constants of the update, in `F`.
struct Constants<F> {
    /// Moments smaller than this are set to zero (see [`Constants::update`]).
    tiny: F,
    beta2: F,
    one_minus_beta2: F,
    inv_bias_correction2_sqrt: F,
    eps: F,
    neg_step_size: F,
}

impl<F: Float> Constants<F> {
    /// Updates every parameter, `lerp(m, g)` being the new first moment.
    #[inline(always)]
    fn update(&self, params: &mut [F], grads: &[F], s: &mut Moments<F>, lerp: impl Fn(F, F) -> F) {
        // Flushing tiny moments to zero: a unit that stops getting gradient
        // (a dead ReLU) has its `m` shrink by β1 every step, into the
        // subnormal floats within a few hundred steps — and arithmetic on
        // subnormals is many times slower on x86, in wasm too (measured:
        // Adam took 40% of a real CIFAR-10 training step instead of 20%).
        // Below `tiny` a moment moves its weight by less than 1e-20·lr: zero
        // changes nothing visible, and keeps every step at full speed.
        let flush = |x: F| if x.abs() < self.tiny { F::zero() } else { x };
        for ((w, &g), (m, v)) in params
            .iter_mut()
            .zip(grads)
            .zip(s.m.iter_mut().zip(s.v.iter_mut()))
        {
            *m = flush(lerp(*m, g));
            // exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1 − β2)
            *v = flush(*v * self.beta2 + self.one_minus_beta2 * g * g);
            // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
            let denom = v.sqrt() * self.inv_bias_correction2_sqrt + self.eps;
            // param.addcdiv_(exp_avg, denom, value=-step_size)
            *w = *w + self.neg_step_size * (*m / denom);
        }
    }
}

impl<F: Float + Send> Optimizer<F> for Adam<F> {
    fn kind(&self) -> OptimizerKind {
        OptimizerKind::Adam
    }

    fn update(&mut self, slot: usize, params: &mut [F], grads: &[F]) {
        check_lengths(params, grads);
        let Hyper {
            lr,
            beta1,
            beta2,
            eps,
            ..
        } = self.hyper;
        let n = params.len();
        let s = self.slots.get_or_insert(
            slot,
            |s| s.m.len() == n,
            || Moments {
                m: vec![F::zero(); n],
                v: vec![F::zero(); n],
                t: 0,
            },
        );
        s.t = s.t.saturating_add(1);
        // The scalar factors in f64, as PyTorch computes them in Python floats.
        let t = f64::from(s.t);
        let bias_correction1 = 1.0 - beta1.powf(t);
        let bias_correction2 = 1.0 - beta2.powf(t);
        let neg_step_size: F = cast(-(lr / bias_correction1));
        // PyTorch divides √v by √(1 − β2ᵗ); we multiply by its reciprocal
        // (computed once, in f64): one division per parameter instead of
        // two, a difference in the last bit. The sqrt and the remaining
        // division are most of the update's time (about a tenth of a
        // training step of the lecture's network).
        let inv_bias_correction2_sqrt: F = cast(1.0 / bias_correction2.sqrt());
        let weight1: F = cast(1.0 - beta1);
        let beta2_f: F = cast(beta2);
        let one_minus_beta2: F = cast(1.0 - beta2);
        let eps: F = cast(eps);
        // PyTorch: exp_avg.lerp_(grad, 1 − β1); lerp with weight < 0.5 is
        // m + w·(g − m), else g − (g − m)·(1 − w). Chosen once, outside the
        // loop, so that the loop stays branch-free (vectorised).
        let moments = Constants {
            // 2²⁶ times the smallest normal float: about 1e-30 in f32. A
            // moment above it stays normal after the next step's ×β.
            tiny: F::min_positive_value() * cast(67_108_864.0),
            beta2: beta2_f,
            one_minus_beta2,
            inv_bias_correction2_sqrt,
            eps,
            neg_step_size,
        };
        if weight1 < cast(0.5) {
            moments.update(params, grads, s, |m, g| m + weight1 * (g - m));
        } else {
            let rest = F::one() - weight1;
            moments.update(params, grads, s, |m, g| g - (g - m) * rest);
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
            Some(s) => vec![("m", to_f64(&s.m)), ("v", to_f64(&s.v))],
            None => Vec::new(),
        }
    }

    fn slot_state(&self, slot: usize) -> Option<SlotState<F>> {
        self.slots.export(slot)
    }

    fn set_slot_state(&mut self, slot: usize, state: Option<SlotState<F>>) -> Result<()> {
        self.slots.import(OptimizerKind::Adam, slot, state)
    }
}
