//! A fully connected layer: `y = f(x·Wᵀ + b)`.

use rand::Rng;

use super::Activation;
use crate::autodiff::{Graph, TVar};
use crate::init::Init;
use crate::tensor::Tensor;

/// A fully connected layer: weights, biases and the activation after them.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// `[out, in]`, as in PyTorch's `nn.Linear`: row `j` holds the weights
    /// into output neuron `j` (one "template" per neuron, drawable as an image).
    pub weight: Tensor,
    /// `[out]`.
    pub bias: Tensor,
    /// Applied to every output, after the bias.
    pub activation: Activation,
}

impl Dense {
    /// A layer from `inputs` to `outputs` neurons, initialised by `init`.
    pub fn new(
        inputs: usize,
        outputs: usize,
        activation: Activation,
        init: Init,
        rng: &mut impl Rng,
    ) -> Dense {
        Dense {
            weight: init.weight(inputs, outputs, rng),
            bias: init.bias(inputs, outputs, rng),
            activation,
        }
    }

    /// Number of inputs (`in`).
    pub fn inputs(&self) -> usize {
        self.weight.dims2().1
    }

    /// Number of outputs, that is neurons (`out`).
    pub fn outputs(&self) -> usize {
        self.weight.dims2().0
    }

    /// Weights plus biases: `out·in + out`.
    pub fn param_count(&self) -> usize {
        self.weight.len() + self.bias.len()
    }

    /// Record the layer on `g` for a batch `x` `[batch, in]`. Returns the
    /// output `[batch, out]` and the weight and bias nodes (whose gradients
    /// `backward` fills in).
    pub fn forward(&self, g: &mut Graph, x: TVar) -> (TVar, [TVar; 2]) {
        let w = g.param(self.weight.clone());
        let b = g.param(self.bias.clone());
        let z = g.matmul_bt(x, w);
        let z = g.add_bias(z, b);
        (self.activation.on_graph(g, z), [w, b])
    }
}
