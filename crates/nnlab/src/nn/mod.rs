//! Networks: an [`Activation`], the [`Dense`] layer, the [`Mlp`] built from
//! an [`MlpSpec`], and the lecture's model table ([`Summary`]).
//!
//! The lecture's CIFAR-10 network, trained for a few Adam steps on one small
//! random batch — the loss on that batch goes down:
//!
//! ```
//! use nnlab::init::Init;
//! use nnlab::nn::{Mlp, MlpSpec, Summary};
//! use nnlab::optim::{self, Hyper, OptimizerKind};
//! use nnlab::Tensor;
//! use rand::{Rng, SeedableRng};
//!
//! // 3072 → 100 → 256 → 256 → 10 with ReLU, as in the lecture.
//! let spec = MlpSpec::lecture_cifar();
//! assert_eq!(Summary::new(&spec, 10).total_params, 401_518);
//! let mut net = Mlp::new(spec, Init::PyTorchDefault, 42)?;
//!
//! // 8 "images" with pixels in [0, 1) and their labels, all seeded.
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
//! let pixels: Vec<f32> = (0..8 * 3072).map(|_| rng.random::<f32>()).collect();
//! let images = Tensor::new(&[8, 3072], pixels);
//! let labels = [0, 1, 2, 3, 4, 5, 6, 7];
//!
//! let mut adam = optim::build::<f32>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam))?;
//! let mut losses = Vec::new();
//! for _ in 0..10 {
//!     let step = net.loss_and_grads(&images, &labels)?;
//!     losses.push(step.loss);
//!     net.apply_grads(adam.as_mut(), &step.grads);
//! }
//! // Starts near ln 10 ≈ 2.30 (about uniform over 10 classes) and falls every step.
//! assert!((losses[0] - 10f32.ln()).abs() < 0.2);
//! assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
//! assert!(losses[9] < 0.3 * losses[0], "{losses:?}");
//! # Ok::<(), nnlab::Error>(())
//! ```

mod activation;
mod dense;
mod mlp;
pub mod saved;
pub mod state_dict;
pub mod step;
mod summary;

pub use activation::Activation;
pub use dense::Dense;
pub use mlp::{LossAndGrads, Mlp, MlpSpec, DEEP_HIDDEN, DEEP_WIDTH, MAX_PARAMS};
pub use summary::{Summary, SummaryRow};

/// `n` with a comma every three digits: `3094318` → `"3,094,318"`. Any
/// unsigned integer (`usize` counts, `u64` byte offsets — 32 vs 64 bits in wasm).
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A parameter count for people: [`thousands`], or "more than
/// 18,446,744,073,709,551,615" when the count saturated (see
/// [`MlpSpec::param_count`]) and the true number is larger still.
pub fn count_text(n: usize) -> String {
    if n == usize::MAX {
        format!("more than {}", thousands(n))
    } else {
        thousands(n)
    }
}

impl Mlp {
    /// The lecture's table for this network fed batches of `batch` samples.
    pub fn summary(&self, batch: usize) -> Summary {
        Summary::new(&self.spec, batch)
    }
}
