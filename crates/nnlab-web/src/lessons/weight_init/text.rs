//! What the initialisation lesson writes: menu labels, the verdict and
//! numbers that span many orders of magnitude.

use nnlab::nn::Activation;

use super::model::{Depth, Verdict};
use crate::i18n::Key;
use crate::lessons::kit::format::{exponent_minus, percent_to, significant};

/// Menu label of each initialiser, in menu order (names from `nnlab::init::NAMES`).
pub const INIT_LABELS: [(&str, Key); 8] = [
    ("small-normal", Key::InitSmallNormal),
    ("small-uniform", Key::InitSmallUniform),
    ("xavier-uniform", Key::InitXavierUniform),
    ("xavier-normal", Key::InitXavierNormal),
    ("he-uniform", Key::InitHeUniform),
    ("he-normal", Key::InitHeNormal),
    ("pytorch", Key::InitPyTorch),
    ("zeros", Key::InitZeros),
];

/// Menu label of a network.
pub fn depth_label(depth: Depth) -> Key {
    match depth {
        Depth::Lecture => Key::InitNetLecture,
        Depth::Deep => Key::InitNetDeep,
    }
}

/// Menu label of an activation.
pub fn activation_label(activation: Activation) -> Key {
    match activation {
        Activation::Relu => Key::InitActRelu,
        Activation::Tanh => Key::InitActTanh,
        Activation::Sigmoid => Key::InitActSigmoid,
        Activation::Identity => Key::InitActIdentity,
    }
}

/// The sentence that states a verdict.
pub fn verdict_text(verdict: Verdict) -> Key {
    match verdict {
        Verdict::Symmetric => Key::InitVerdictSymmetric,
        Verdict::Vanishing => Key::InitVerdictVanishing,
        Verdict::Exploding => Key::InitVerdictExploding,
        Verdict::Healthy => Key::InitVerdictHealthy,
    }
}

/// A mean or std: 3 significant digits, scientific below 0.001 or from
/// 10,000 up, with a true minus in the exponent.
pub fn format_stat(v: f64) -> String {
    exponent_minus(&significant(v, 3, 1e4))
}

/// A share in [0, 1] as a whole percentage.
pub fn format_percent(v: f64) -> String {
    percent_to(v, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_read_well_at_every_size() {
        assert_eq!(format_stat(0.025516), "0.0255");
        assert_eq!(format_stat(0.18), "0.180");
        assert_eq!(format_stat(12.345), "12.3");
        assert_eq!(format_stat(-0.5), "-0.500");
        assert_eq!(format_stat(1.5e-7), "1.50e−7");
        assert_eq!(format_stat(3.0e6), "3.00e6");
        assert_eq!(format_stat(0.0), "0");
        assert_eq!(format_percent(0.513), "51%");
    }

    #[test]
    fn every_initialiser_has_a_label() {
        for name in nnlab::init::NAMES {
            assert!(INIT_LABELS.iter().any(|(n, _)| *n == name), "{name}");
        }
    }
}
