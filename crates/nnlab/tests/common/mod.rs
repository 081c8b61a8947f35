//! What several test files share (`mod common;` in each).

use nnlab::init::Init;
use nnlab::nn::{Activation, Mlp, MlpSpec};

/// A small tanh network, 3 → 4 → 2, always the same weights (seed 11):
/// what the model-file tests save and load.
pub fn small() -> Mlp {
    let spec = MlpSpec {
        input: 3,
        layers: vec![4, 2],
        activation: Activation::Tanh,
    };
    Mlp::new(spec, Init::PyTorchDefault, 11).unwrap()
}
