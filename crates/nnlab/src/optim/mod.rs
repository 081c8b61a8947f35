//! Optimisers: the rule that turns a gradient into a step.
//!
//! Every optimiser implements one trait, [`Optimizer`], generic over the float
//! type so the same code walks an f64 loss surface and trains an f32 network.
//! The update rules follow PyTorch's `torch.optim` with its defaults
//! (no weight decay, no dampening, not maximising), in PyTorch's order of
//! floating-point operations, so trajectories agree with PyTorch to rounding.
//! The one deliberate difference is [`Nesterov`], which is written in the
//! lecture's form (`velocity`, `past_velocity`) — it gives the same steps as
//! PyTorch's `SGD(nesterov=True)` while the learning rate is constant.
//!
//! Notation used in the doc comments: `w` a parameter, `g` its gradient,
//! `lr` the learning rate, `μ` the momentum factor, `t` the step count of the slot.
//!
//! ```
//! use nnlab::optim::{build, Hyper, OptimizerKind};
//! // f(w) = w², gradient 2w; one SGD step with lr 0.1 from w = 1: w ← 1 − 0.1·2 = 0.8.
//! let mut sgd = build::<f64>(OptimizerKind::Sgd, Hyper { lr: 0.1, ..Hyper::defaults(OptimizerKind::Sgd) })?;
//! let mut w = [1.0];
//! let g = [2.0 * w[0]];
//! sgd.update(0, &mut w, &g);
//! assert_eq!(w, [0.8]);
//! # Ok::<(), nnlab::Error>(())
//! ```

mod adagrad;
mod adam;
mod momentum;
mod nesterov;
mod rmsprop;
mod sgd;

pub use adagrad::Adagrad;
pub use adam::Adam;
pub use momentum::Momentum;
pub use nesterov::Nesterov;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

use crate::{Error, Result};
use num_traits::Float;
use serde::{Deserialize, Serialize};

/// An optimiser: owns per-parameter state (velocities, moments) and applies
/// one update at a time.
pub trait Optimizer<F: Float>: Send {
    /// Which optimiser this is.
    fn kind(&self) -> OptimizerKind;

    /// Update `params` in place from `grads`. `slot` names a parameter group (0 for a point on a surface;
    /// for networks 2*layer for the weight, 2*layer+1 for the bias). Per-slot state and per-slot step count
    /// are created (zeros) on first use, like PyTorch's per-parameter state.
    ///
    /// `params` and `grads` must have the same length (a programming error otherwise). If a slot is
    /// reused with a different length its state starts again from zeros.
    fn update(&mut self, slot: usize, params: &mut [F], grads: &[F]);

    /// The current hyper-parameters.
    fn hyper(&self) -> Hyper;

    /// Change hyper-parameters between steps (state kept). Validates (finite, lr > 0, 0 <= momentum < 1, ...).
    fn set_hyper(&mut self, hyper: Hyper) -> Result<()>;

    /// Forget all state (velocities, moments, step counts).
    fn reset(&mut self);

    /// Named state vectors of a slot, for lessons that show them: e.g. [("velocity", v)], [("m", m), ("v", v)].
    /// Empty before the first update of that slot.
    fn state(&self, slot: usize) -> Vec<(&'static str, Vec<f64>)>;

    /// The state of `slot` as it is, to move it (to another worker of a team,
    /// see `train::parallel`): `None` before its first update, and always for
    /// an optimiser without state.
    fn slot_state(&self, slot: usize) -> Option<SlotState<F>> {
        let _ = slot;
        None
    }

    /// Makes `state` the state of `slot` (`None`: as before its first update),
    /// so that the next update continues exactly where the one that took it
    /// with [`Optimizer::slot_state`] would have. An error if `state` has
    /// another number of vectors than [`OptimizerKind::state_vectors`], or
    /// vectors of unequal lengths.
    fn set_slot_state(&mut self, slot: usize, state: Option<SlotState<F>>) -> Result<()> {
        let _ = slot;
        match state {
            Some(s) if !s.vectors.is_empty() => Err(wrong_state(self.kind(), &s)),
            _ => Ok(()),
        }
    }
}

/// One slot's optimiser state as plain vectors, each as long as the
/// parameter, in the order [`Optimizer::state`] names them (Adam: `m`, `v`),
/// and its step count (Adam's `t`; 0 for optimisers that keep none).
#[derive(Clone, Debug, PartialEq)]
pub struct SlotState<F> {
    /// The state vectors.
    pub vectors: Vec<Vec<F>>,
    /// Updates of this slot so far, where the rule uses it.
    pub steps: u32,
}

/// A slot's state that moves as a [`SlotState`].
trait Movable<F>: Sized {
    fn to_state(&self) -> SlotState<F>;
    /// `None` if `state` does not have this type's vectors.
    fn from_state(state: SlotState<F>) -> Option<Self>;
}

/// One state vector (velocity, sum or mean of squares).
impl<F: Clone> Movable<F> for Vec<F> {
    fn to_state(&self) -> SlotState<F> {
        SlotState {
            vectors: vec![self.clone()],
            steps: 0,
        }
    }

    fn from_state(state: SlotState<F>) -> Option<Self> {
        let [v]: [Vec<F>; 1] = state.vectors.try_into().ok()?;
        Some(v)
    }
}

fn wrong_state<F>(kind: OptimizerKind, state: &SlotState<F>) -> Error {
    Error::InvalidData(format!(
        "{} keeps {} state vectors of equal length per parameter, not {}",
        kind.name(),
        kind.state_vectors(),
        state.vectors.len()
    ))
}

/// Hyper-parameters of every optimiser in one plain struct, so a UI can keep
/// one set of sliders. Each optimiser reads only the fields named by
/// [`OptimizerKind::hyper_names`]; the others keep their usual values so that
/// switching optimiser keeps every slider meaningful.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    /// Learning rate (step size), > 0.
    pub lr: f64,
    /// Momentum factor μ of momentum and Nesterov, in [0, 1).
    pub momentum: f64,
    /// Adam's decay rate of the first moment (mean of g), in [0, 1).
    pub beta1: f64,
    /// Adam's decay rate of the second moment (mean of g²), in [0, 1).
    pub beta2: f64,
    /// RMSProp's decay rate α of the mean of g², in [0, 1).
    pub alpha: f64,
    /// Small constant added to the denominator of adaptive methods, > 0.
    pub eps: f64,
}

impl Hyper {
    /// PyTorch's defaults for `kind` (lr 0.01 for SGD, momentum, Nesterov,
    /// Adagrad and RMSProp, 0.001 for Adam; eps 1e-10 for Adagrad, 1e-8 otherwise).
    pub fn defaults(kind: OptimizerKind) -> Hyper {
        let (lr, eps) = match kind {
            OptimizerKind::Sgd
            | OptimizerKind::Momentum
            | OptimizerKind::Nesterov
            | OptimizerKind::RmsProp => (0.01, 1e-8),
            OptimizerKind::Adagrad => (0.01, 1e-10),
            OptimizerKind::Adam => (0.001, 1e-8),
        };
        Hyper {
            lr,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            alpha: 0.99,
            eps,
        }
    }

    /// Checks every field: all finite, lr > 0, eps > 0, and momentum, beta1,
    /// beta2 and alpha in [0, 1) (at 1 the running averages never forget, or
    /// never learn, and the step is no longer what the formula promises).
    pub fn validate(&self) -> Result<()> {
        let fields = [
            ("learning rate", self.lr),
            ("momentum", self.momentum),
            ("beta1", self.beta1),
            ("beta2", self.beta2),
            ("alpha", self.alpha),
            ("eps", self.eps),
        ];
        for (what, value) in fields {
            if !value.is_finite() {
                return Err(Error::NotFinite { what, value });
            }
        }
        for (what, value) in [("learning rate", self.lr), ("eps", self.eps)] {
            if value <= 0.0 {
                return Err(Error::OutOfRange {
                    what,
                    detail: format!("must be greater than 0, got {value}"),
                });
            }
        }
        for (what, value) in [
            ("momentum", self.momentum),
            ("beta1", self.beta1),
            ("beta2", self.beta2),
            ("alpha", self.alpha),
        ] {
            if !(0.0..1.0).contains(&value) {
                return Err(Error::OutOfRange {
                    what,
                    detail: format!("must be at least 0 and less than 1, got {value}"),
                });
            }
        }
        Ok(())
    }

    /// [`Hyper::validate`], then the same checks on the values as an `F`
    /// optimiser holds them: in f32 a learning rate of 1e-50 is 0 (nothing
    /// would train), an eps of 1e-50 is 0, a β₂ of 0.99999999 is 1.
    pub fn validate_in<F: Float>(&self) -> Result<()> {
        self.validate()?;
        let precision = if std::mem::size_of::<F>() == 4 {
            "single precision (f32), which training computes in"
        } else {
            "double precision (f64)"
        };
        let held = |v: f64| F::from(v).and_then(|f| f.to_f64()).unwrap_or(f64::NAN);
        let (smallest, largest) = (F::min_positive_value(), F::max_value());
        let (smallest, largest) = (
            smallest.to_f64().unwrap_or(0.0),
            largest.to_f64().unwrap_or(0.0),
        );
        for (what, value) in [("learning rate", self.lr), ("eps", self.eps)] {
            let kept = held(value);
            if !(kept.is_finite() && kept > 0.0) {
                return Err(Error::OutOfRange {
                    what,
                    detail: format!(
                        "{value:e} is {kept} in {precision}; use a value from {smallest:.1e} to {largest:.1e}"
                    ),
                });
            }
        }
        for (what, value) in [
            ("momentum", self.momentum),
            ("beta1", self.beta1),
            ("beta2", self.beta2),
            ("alpha", self.alpha),
        ] {
            if held(value) >= 1.0 {
                return Err(Error::OutOfRange {
                    what,
                    detail: format!("{value} is 1 in {precision}; it must stay below 1"),
                });
            }
        }
        Ok(())
    }
}

/// Which optimiser. Serialised as its [`OptimizerKind::name`] ("rmsprop").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Plain stochastic gradient descent.
    Sgd,
    /// SGD with momentum (heavy ball).
    Momentum,
    /// Nesterov momentum, in the lecture's form.
    Nesterov,
    /// Adagrad: each step divided by the root of the sum of squared gradients.
    Adagrad,
    /// RMSProp: each step divided by the root of a decaying mean of squared gradients.
    RmsProp,
    /// Adam: momentum and RMSProp together, with bias correction.
    Adam,
}

impl OptimizerKind {
    /// Every optimiser, in the order the lecture introduces them (SGD first, Adam last).
    pub const ALL: [OptimizerKind; 6] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::Adagrad,
        OptimizerKind::RmsProp,
        OptimizerKind::Adam,
    ];

    /// The name used on the command line and in URLs.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::Adagrad => "adagrad",
            OptimizerKind::RmsProp => "rmsprop",
            OptimizerKind::Adam => "adam",
        }
    }

    /// The kind called `s` (exactly one of the [`OptimizerKind::name`]s).
    pub fn from_name(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| Error::unknown("optimizer", s, &Self::ALL.map(Self::name)))
    }

    /// How many vectors of state per parameter it keeps (see [`SlotState`]).
    pub fn state_vectors(self) -> usize {
        match self {
            OptimizerKind::Sgd => 0,
            OptimizerKind::Momentum | OptimizerKind::Adagrad | OptimizerKind::RmsProp => 1,
            OptimizerKind::Nesterov | OptimizerKind::Adam => 2,
        }
    }

    /// Which [`Hyper`] fields this optimiser reads.
    pub fn hyper_names(self) -> &'static [&'static str] {
        match self {
            OptimizerKind::Sgd => &["lr"],
            OptimizerKind::Momentum | OptimizerKind::Nesterov => &["lr", "momentum"],
            OptimizerKind::Adagrad => &["lr", "eps"],
            OptimizerKind::RmsProp => &["lr", "alpha", "eps"],
            OptimizerKind::Adam => &["lr", "beta1", "beta2", "eps"],
        }
    }
}

/// A new optimiser of `kind` with validated `hyper` and no state.
pub fn build<F: Float + Send + 'static>(
    kind: OptimizerKind,
    hyper: Hyper,
) -> Result<Box<dyn Optimizer<F>>> {
    hyper.validate_in::<F>()?;
    Ok(match kind {
        OptimizerKind::Sgd => Box::new(Sgd::new(hyper)),
        OptimizerKind::Momentum => Box::new(Momentum::<F>::new(hyper)),
        OptimizerKind::Nesterov => Box::new(Nesterov::<F>::new(hyper)),
        OptimizerKind::Adagrad => Box::new(Adagrad::<F>::new(hyper)),
        OptimizerKind::RmsProp => Box::new(RmsProp::<F>::new(hyper)),
        OptimizerKind::Adam => Box::new(Adam::<F>::new(hyper)),
    })
}

/// Per-slot state, created on first use — PyTorch's `optimizer.state[param]`.
#[derive(Clone, Debug)]
struct Slots<S> {
    slots: Vec<Option<S>>,
}

impl<S> Default for Slots<S> {
    fn default() -> Self {
        Slots { slots: Vec::new() }
    }
}

impl<S> Slots<S> {
    /// The state of `slot`, made by `fresh` if the slot is new or `fits` says
    /// the stored state belongs to a parameter of another size.
    fn get_or_insert(
        &mut self,
        slot: usize,
        fits: impl Fn(&S) -> bool,
        fresh: impl FnOnce() -> S,
    ) -> &mut S {
        if self.slots.len() <= slot {
            self.slots.resize_with(slot + 1, || None);
        }
        let entry = &mut self.slots[slot];
        if !entry.as_ref().is_some_and(fits) {
            *entry = Some(fresh());
        }
        entry.as_mut().expect("slot state was just created")
    }

    fn get(&self, slot: usize) -> Option<&S> {
        self.slots.get(slot).and_then(Option::as_ref)
    }

    fn clear(&mut self) {
        self.slots.clear();
    }

    /// [`Optimizer::slot_state`].
    fn export<F>(&self, slot: usize) -> Option<SlotState<F>>
    where
        S: Movable<F>,
    {
        self.get(slot).map(S::to_state)
    }

    /// [`Optimizer::set_slot_state`].
    fn import<F>(
        &mut self,
        kind: OptimizerKind,
        slot: usize,
        state: Option<SlotState<F>>,
    ) -> Result<()>
    where
        S: Movable<F>,
    {
        let value = match state {
            None => None,
            Some(state) => {
                let len = state.vectors.first().map(Vec::len);
                let even = state.vectors.iter().all(|v| Some(v.len()) == len);
                let error = wrong_state(kind, &state);
                Some(even.then(|| S::from_state(state)).flatten().ok_or(error)?)
            }
        };
        if self.slots.len() <= slot {
            self.slots.resize_with(slot + 1, || None);
        }
        self.slots[slot] = value;
        Ok(())
    }
}

/// `x` as F (the hyper-parameters are f64; networks compute in f32).
fn cast<F: Float>(x: f64) -> F {
    F::from(x).expect("an f64 hyper-parameter converts to any Float type")
}

/// A state vector as f64, for [`Optimizer::state`].
fn to_f64<F: Float>(v: &[F]) -> Vec<f64> {
    v.iter().map(|x| x.to_f64().unwrap_or(f64::NAN)).collect()
}

fn check_lengths<F>(params: &[F], grads: &[F]) {
    assert_eq!(
        params.len(),
        grads.len(),
        "optimizer update: {} parameters but {} gradients",
        params.len(),
        grads.len()
    );
}
