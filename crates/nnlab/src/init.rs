//! Weight initialisers: where training starts from.
//!
//! The lecture's point: all-zero weights make every neuron of a layer compute
//! the same thing forever; too-large or too-small random weights make signals
//! (and gradients) explode or vanish layer after layer. Xavier/Glorot keeps
//! the variance of activations roughly constant for tanh/sigmoid, He/Kaiming
//! does so for ReLU, and `PyTorchDefault` is what `nn.Linear` does out of the
//! box. Everything is seeded: the same seed gives the same weights.
//!
//! For a dense layer, `fan_in` is its number of inputs and `fan_out` its
//! number of outputs; the weight is `[fan_out, fan_in]` (PyTorch layout).

use rand::Rng;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// How a layer's weights and biases start, before training.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Init {
    /// Every weight 0: the symmetry that never breaks.
    Zeros,
    /// Weights `U(−scale, scale)`.
    SmallUniform {
        /// Half the width of the range, ≥ 0 (0 gives all zeros).
        scale: f32,
    },
    /// Weights `N(0, std²)`.
    SmallNormal {
        /// Standard deviation, ≥ 0 (0 gives all zeros).
        std: f32,
    },
    /// Glorot: `U(−b, b)` with `b = √(6 / (fan_in + fan_out))`.
    XavierUniform,
    /// Glorot: `N(0, σ²)` with `σ = √(2 / (fan_in + fan_out))`.
    XavierNormal,
    /// Kaiming: `U(−b, b)` with `b = √(6 / fan_in)`.
    HeUniform,
    /// Kaiming: `N(0, σ²)` with `σ = √(2 / fan_in)`.
    HeNormal,
    /// `torch.nn.Linear`'s default: weight *and bias* `U(−1/√fan_in, 1/√fan_in)`.
    PyTorchDefault,
}

/// The names [`Init::name`] returns and [`Init::from_name`] accepts.
pub const NAMES: [&str; 8] = [
    "zeros",
    "small-uniform",
    "small-normal",
    "xavier-uniform",
    "xavier-normal",
    "he-uniform",
    "he-normal",
    "pytorch",
];

/// What `small-uniform` and `small-normal` mean when given by name: the
/// classic "small random numbers" of 0.01.
pub const SMALL_DEFAULT: f32 = 0.01;

/// A weight distribution, before it is sampled.
enum Dist {
    Zero,
    Uniform(f32),
    Normal(f32),
}

impl Init {
    /// The short name (see [`NAMES`]).
    pub fn name(&self) -> &'static str {
        match self {
            Init::Zeros => "zeros",
            Init::SmallUniform { .. } => "small-uniform",
            Init::SmallNormal { .. } => "small-normal",
            Init::XavierUniform => "xavier-uniform",
            Init::XavierNormal => "xavier-normal",
            Init::HeUniform => "he-uniform",
            Init::HeNormal => "he-normal",
            Init::PyTorchDefault => "pytorch",
        }
    }

    /// Parse a name from [`NAMES`]; the small initialisers get [`SMALL_DEFAULT`].
    pub fn from_name(name: &str) -> Result<Init> {
        Ok(match name {
            "zeros" => Init::Zeros,
            "small-uniform" => Init::SmallUniform {
                scale: SMALL_DEFAULT,
            },
            "small-normal" => Init::SmallNormal { std: SMALL_DEFAULT },
            "xavier-uniform" => Init::XavierUniform,
            "xavier-normal" => Init::XavierNormal,
            "he-uniform" => Init::HeUniform,
            "he-normal" => Init::HeNormal,
            "pytorch" => Init::PyTorchDefault,
            _ => return Err(Error::unknown("initialiser", name, &NAMES)),
        })
    }

    /// The scale of the small initialisers must be finite and ≥ 0.
    pub fn validate(&self) -> Result<()> {
        let (what, v) = match *self {
            Init::SmallUniform { scale } => ("initialiser scale", scale),
            Init::SmallNormal { std } => ("initialiser std", std),
            _ => return Ok(()),
        };
        if !v.is_finite() {
            return Err(Error::NotFinite {
                what,
                value: f64::from(v),
            });
        }
        if v < 0.0 {
            return Err(Error::OutOfRange {
                what,
                detail: format!("{v} is negative"),
            });
        }
        Ok(())
    }

    /// A `[fan_out, fan_in]` weight matrix. (A scale that fails [`Init::validate`] gives zeros.)
    pub fn weight(&self, fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Tensor {
        let (i, o) = (fan_in as f32, fan_out as f32);
        let dist = match *self {
            Init::Zeros => Dist::Zero,
            Init::SmallUniform { scale } => Dist::Uniform(scale),
            Init::SmallNormal { std } => Dist::Normal(std),
            Init::XavierUniform => Dist::Uniform((6.0 / (i + o)).sqrt()),
            Init::XavierNormal => Dist::Normal((2.0 / (i + o)).sqrt()),
            Init::HeUniform => Dist::Uniform((6.0 / i).sqrt()),
            Init::HeNormal => Dist::Normal((2.0 / i).sqrt()),
            Init::PyTorchDefault => Dist::Uniform(1.0 / i.sqrt()),
        };
        sample(&dist, &[fan_out, fan_in], rng)
    }

    /// A `[fan_out]` bias: zeros, except `PyTorchDefault`'s `U(−1/√fan_in, 1/√fan_in)`.
    pub fn bias(&self, fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Tensor {
        let dist = match self {
            Init::PyTorchDefault => Dist::Uniform(1.0 / (fan_in as f32).sqrt()),
            _ => Dist::Zero,
        };
        sample(&dist, &[fan_out], rng)
    }
}

fn sample(dist: &Dist, shape: &[usize], rng: &mut impl Rng) -> Tensor {
    let n = shape.iter().product();
    let data = match *dist {
        // A zero-width range (or fan_in 0 giving ∞) is treated as all zeros.
        Dist::Uniform(b) if b > 0.0 && b.is_finite() => {
            (0..n).map(|_| rng.random_range(-b..b)).collect()
        }
        Dist::Normal(std) if std > 0.0 && std.is_finite() => {
            let normal = Normal::new(0.0, std).expect("std is finite and positive");
            (0..n).map(|_| normal.sample(rng)).collect()
        }
        Dist::Zero | Dist::Uniform(_) | Dist::Normal(_) => vec![0.0; n],
    };
    Tensor::new(shape, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in NAMES {
            assert_eq!(Init::from_name(name).unwrap().name(), name);
        }
        let err = Init::from_name("glorot").unwrap_err();
        assert!(
            err.to_string().contains("unknown initialiser 'glorot'"),
            "{err}"
        );
    }

    #[test]
    fn validate_rejects_bad_scales() {
        assert!(Init::SmallUniform { scale: f32::NAN }.validate().is_err());
        assert!(Init::SmallNormal { std: -0.1 }.validate().is_err());
        assert!(Init::SmallNormal { std: 0.0 }.validate().is_ok());
    }
}
