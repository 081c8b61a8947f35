//! Initialisers: shapes, bounds, spread and determinism, checked statistically
//! on a 600×400 weight matrix (240,000 samples).
//!
//! With n = 240,000 samples the standard error of an empirical standard
//! deviation is about σ/√(2n) ≈ 0.15% of σ (less for uniform draws), so "within
//! 2%" is more than ten standard errors wide yet tight enough to tell apart
//! every formula here (they differ by ≥ 15%). The runs are seeded anyway.

use nnlab::init::{Init, NAMES};
use nnlab::nn::{Mlp, MlpSpec};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const FAN_IN: usize = 400;
const FAN_OUT: usize = 600;

struct Stats {
    mean: f64,
    std: f64,
    max_abs: f64,
    /// Fraction of samples within one standard deviation of 0: 68.3% for a
    /// normal distribution, 1/√3 ≈ 57.7% for a uniform one.
    within_one_std: f64,
}

fn stats(data: &[f32]) -> Stats {
    let n = data.len() as f64;
    let mean = data.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let var = data
        .iter()
        .map(|&x| (f64::from(x) - mean).powi(2))
        .sum::<f64>()
        / n;
    let std = var.sqrt();
    Stats {
        mean,
        std,
        max_abs: data.iter().map(|&x| f64::from(x).abs()).fold(0.0, f64::max),
        within_one_std: data.iter().filter(|&&x| f64::from(x).abs() <= std).count() as f64 / n,
    }
}

fn weights(init: Init) -> Vec<f32> {
    let w = init.weight(FAN_IN, FAN_OUT, &mut ChaCha8Rng::seed_from_u64(1));
    assert_eq!(w.shape(), &[FAN_OUT, FAN_IN]);
    w.into_data()
}

/// U(−b, b): std b/√3, nothing beyond b, the extremes nearly reached.
fn assert_uniform(init: Init, bound: f64) {
    let s = stats(&weights(init));
    let std = bound / 3f64.sqrt();
    assert!(
        (s.std / std - 1.0).abs() < 0.02,
        "{init:?}: std {} vs {std}",
        s.std
    );
    assert!(s.mean.abs() < 0.01 * std, "{init:?}: mean {}", s.mean);
    assert!(
        s.max_abs <= bound && s.max_abs > 0.999 * bound,
        "{init:?}: max {} vs bound {bound}",
        s.max_abs
    );
    assert!(
        (s.within_one_std - 1.0 / 3f64.sqrt()).abs() < 0.01,
        "{init:?}: {}",
        s.within_one_std
    );
}

/// N(0, σ²): std σ, 68.3% within one σ.
fn assert_normal(init: Init, std: f64) {
    let s = stats(&weights(init));
    assert!(
        (s.std / std - 1.0).abs() < 0.02,
        "{init:?}: std {} vs {std}",
        s.std
    );
    assert!(s.mean.abs() < 0.01 * std, "{init:?}: mean {}", s.mean);
    assert!(
        (s.within_one_std - 0.6827).abs() < 0.01,
        "{init:?}: {}",
        s.within_one_std
    );
}

#[test]
fn xavier() {
    // fan_in + fan_out = 1000: bound √(6/1000) ≈ 0.0775, std √(2/1000) ≈ 0.0447.
    assert_uniform(Init::XavierUniform, (6.0f64 / 1000.0).sqrt());
    assert_normal(Init::XavierNormal, (2.0f64 / 1000.0).sqrt());
}

#[test]
fn he() {
    // fan_in = 400: bound √(6/400) ≈ 0.1225, std √(2/400) ≈ 0.0707.
    assert_uniform(Init::HeUniform, (6.0f64 / 400.0).sqrt());
    assert_normal(Init::HeNormal, (2.0f64 / 400.0).sqrt());
}

#[test]
fn pytorch_default_weight_and_bias() {
    // nn.Linear: U(−1/√400, 1/√400) = U(−0.05, 0.05) for the weight and for the bias.
    assert_uniform(Init::PyTorchDefault, 0.05);
    let b = Init::PyTorchDefault.bias(FAN_IN, FAN_OUT, &mut ChaCha8Rng::seed_from_u64(1));
    assert_eq!(b.shape(), &[FAN_OUT]);
    let s = stats(b.data());
    assert!(s.max_abs <= 0.05 && s.max_abs > 0.04, "{}", s.max_abs);
    // Only 600 samples: std 0.05/√3 ≈ 0.0289 to within 10% (about 5 standard errors).
    assert!(
        (s.std / (0.05 / 3f64.sqrt()) - 1.0).abs() < 0.1,
        "{}",
        s.std
    );
}

#[test]
fn small_random() {
    assert_uniform(Init::SmallUniform { scale: 0.01 }, 0.01);
    assert_normal(Init::SmallNormal { std: 0.01 }, 0.01);
    assert_eq!(
        Init::from_name("small-normal").unwrap(),
        Init::SmallNormal { std: 0.01 }
    );
}

#[test]
fn zeros_and_zero_biases() {
    assert!(weights(Init::Zeros).iter().all(|&w| w == 0.0));
    for name in NAMES.iter().filter(|&&n| n != "pytorch") {
        let init = Init::from_name(name).unwrap();
        let b = init.bias(FAN_IN, FAN_OUT, &mut ChaCha8Rng::seed_from_u64(1));
        assert!(b.data().iter().all(|&x| x == 0.0), "{name} bias");
    }
}

#[test]
fn same_seed_same_weights() {
    for name in NAMES {
        let init = Init::from_name(name).unwrap();
        assert_eq!(weights(init), weights(init), "{name}");
    }
    let spec = MlpSpec::lecture_cifar();
    let a = Mlp::new(spec.clone(), Init::HeNormal, 7).unwrap();
    let b = Mlp::new(spec.clone(), Init::HeNormal, 7).unwrap();
    let c = Mlp::new(spec, Init::HeNormal, 8).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.layers[0].weight, c.layers[0].weight);
}
