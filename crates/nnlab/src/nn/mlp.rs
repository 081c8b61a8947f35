//! The multi-layer perceptron of the lecture: dense layers with an activation
//! between them and raw logits at the end (softmax lives in the loss).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{Activation, Dense};
use crate::autodiff::{Graph, TVar};
use crate::error::{Error, Result};
use crate::init::Init;
use crate::optim::Optimizer;
use crate::tensor::Tensor;

/// The largest network [`MlpSpec::validate`] accepts, in parameters. The
/// lecture's network has about 3.1 million; this leaves room to experiment
/// while refusing sizes that could only end in an out-of-memory abort
/// (weights, gradients and optimiser state all scale with it).
pub const MAX_PARAMS: usize = 100_000_000;

/// Hidden layers of [`MlpSpec::deep_cifar`].
pub const DEEP_HIDDEN: usize = 9;
/// Neurons of each hidden layer of [`MlpSpec::deep_cifar`].
pub const DEEP_WIDTH: usize = 64;

/// The shape of a network: input size, the width of every layer (the last is
/// the number of classes) and the activation after every layer but the last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MlpSpec {
    /// Values per sample: 3072 for a CIFAR-10 image.
    pub input: usize,
    /// Neurons of each layer in order; the last is the number of classes.
    pub layers: Vec<usize>,
    /// The activation after every layer but the last.
    pub activation: Activation,
}

impl MlpSpec {
    /// The lecture's network on 100×100 colour images: 30000 → 100 → 256 → 256 → 10, ReLU.
    pub fn lecture() -> MlpSpec {
        MlpSpec {
            input: 3 * 100 * 100,
            layers: vec![100, 256, 256, 10],
            activation: Activation::Relu,
        }
    }

    /// The same layers on CIFAR-10's 32×32 colour images: 3072 → 100 → 256 → 256 → 10.
    pub fn lecture_cifar() -> MlpSpec {
        MlpSpec {
            input: 3 * 32 * 32,
            ..MlpSpec::lecture()
        }
    }

    /// The deep network of the "before and after 2009" lesson: ten dense
    /// layers on CIFAR-10 — nine hidden layers of [`DEEP_WIDTH`] neurons with
    /// `activation`, then the 10 classes. Deep enough for vanishing
    /// gradients to show, small enough to train in seconds.
    pub fn deep_cifar(activation: Activation) -> MlpSpec {
        let mut layers = vec![DEEP_WIDTH; DEEP_HIDDEN];
        layers.push(10);
        MlpSpec {
            input: 3 * 32 * 32,
            layers,
            activation,
        }
    }

    /// No hidden layer: one dense layer from `input` values straight to
    /// `classes` logits — softmax regression once the loss applies softmax.
    /// (The activation field is unused: it goes between layers.)
    pub fn linear(input: usize, classes: usize) -> MlpSpec {
        MlpSpec {
            input,
            layers: vec![classes],
            activation: Activation::Identity,
        }
    }

    /// Number of classes (the width of the last layer; 0 if there are no layers).
    pub fn classes(&self) -> usize {
        self.layers.last().copied().unwrap_or(0)
    }

    /// `(inputs, outputs)` of every layer, in order.
    pub fn layer_sizes(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let inputs = std::iter::once(self.input).chain(self.layers.iter().copied());
        inputs.zip(self.layers.iter().copied())
    }

    /// Σ (in·out + out) over the layers. Saturates at `usize::MAX` instead of
    /// overflowing, so it is safe to call on absurd specs before validating.
    pub fn param_count(&self) -> usize {
        self.layer_sizes().fold(0usize, |total, (i, o)| {
            total.saturating_add(i.saturating_mul(o).saturating_add(o))
        })
    }

    /// Every size at least 1, at least one layer, at most [`MAX_PARAMS`] parameters.
    pub fn validate(&self) -> Result<()> {
        if self.input == 0 {
            return Err(Error::OutOfRange {
                what: "input size",
                detail: "it must be at least 1".into(),
            });
        }
        if self.layers.is_empty() {
            return Err(Error::OutOfRange {
                what: "layer list",
                detail: "a network needs at least one layer (the output layer)".into(),
            });
        }
        if let Some(i) = self.layers.iter().position(|&n| n == 0) {
            return Err(Error::OutOfRange {
                what: "layer size",
                detail: format!(
                    "layer {} has 0 neurons; every layer needs at least 1",
                    i + 1
                ),
            });
        }
        let params = self.param_count();
        if params > MAX_PARAMS {
            return Err(Error::OutOfRange {
                what: "network size",
                detail: format!(
                    "{} parameters is more than the limit of {}",
                    super::count_text(params),
                    super::thousands(MAX_PARAMS)
                ),
            });
        }
        Ok(())
    }
}

/// A network: its spec and its layers (the last one has `Identity` activation).
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    /// The shape the layers were built from.
    pub spec: MlpSpec,
    /// The dense layers, input side first.
    pub layers: Vec<Dense>,
}

/// The result of one forward and backward pass over a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct LossAndGrads {
    /// Mean softmax cross-entropy over the batch.
    pub loss: f32,
    /// `[batch, classes]`, before softmax.
    pub logits: Tensor,
    /// ∂loss/∂parameter in slot order: weight 0, bias 0, weight 1, bias 1, …
    pub grads: Vec<Tensor>,
}

impl Mlp {
    /// A network shaped by `spec`, its weights drawn by `init` from a
    /// ChaCha8 stream seeded with `seed` (layer by layer, weight then bias).
    pub fn new(spec: MlpSpec, init: Init, seed: u64) -> Result<Mlp> {
        spec.validate()?;
        init.validate()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let last = spec.layers.len() - 1;
        let layers = spec
            .layer_sizes()
            .enumerate()
            .map(|(l, (i, o))| {
                let activation = if l == last {
                    Activation::Identity
                } else {
                    spec.activation
                };
                Dense::new(i, o, activation, init, &mut rng)
            })
            .collect();
        Ok(Mlp { spec, layers })
    }

    /// Record the network on `g` for the batch `x` `[batch, input]`. Returns
    /// the logits and the parameter nodes in slot order (w0, b0, w1, b1, …).
    pub fn forward(&self, g: &mut Graph, x: TVar) -> (TVar, Vec<TVar>) {
        let mut params = Vec::with_capacity(2 * self.layers.len());
        let mut h = x;
        for layer in &self.layers {
            let (out, wb) = layer.forward(g, h);
            params.extend(wb);
            h = out;
        }
        (h, params)
    }

    /// Loss, logits and the gradient of every parameter for a batch `x`
    /// `[batch, input]` with one label per row. Bad data (wrong width, empty
    /// batch, label count or range, NaN/∞ pixels) is an error, not a panic.
    pub fn loss_and_grads(&self, x: &Tensor, labels: &[usize]) -> Result<LossAndGrads> {
        self.check_batch(x, Some(labels))?;
        let mut g = Graph::new();
        let input = g.input(x.clone());
        let (logits, params) = self.forward(&mut g, input);
        let loss = g.softmax_cross_entropy(logits, labels);
        g.backward(loss);
        let grads = params
            .iter()
            .map(|&p| {
                g.grad(p)
                    .expect("parameters always receive a gradient")
                    .clone()
            })
            .collect();
        Ok(LossAndGrads {
            loss: g.value(loss).item(),
            logits: g.value(logits).clone(),
            grads,
        })
    }

    /// One optimiser step: `grads[slot]` updates weight `slot/2` (even slots)
    /// or bias `slot/2` (odd slots), as [`Mlp::loss_and_grads`] returns them.
    /// Panics if `grads` does not have the parameters' shapes.
    pub fn apply_grads(&mut self, opt: &mut dyn Optimizer<f32>, grads: &[Tensor]) {
        assert_eq!(
            grads.len(),
            2 * self.layers.len(),
            "one gradient per weight and bias"
        );
        for (slot, grad) in grads.iter().enumerate() {
            let layer = &mut self.layers[slot / 2];
            let param = if slot % 2 == 0 {
                &mut layer.weight
            } else {
                &mut layer.bias
            };
            assert_eq!(param.shape(), grad.shape(), "gradient shape of slot {slot}");
            opt.update(slot, param.data_mut(), grad.data());
        }
    }

    /// The logits `[batch, classes]` for a batch `x` `[batch, input]`, without
    /// gradients. Panics if `x` is not `[_, input]`; use [`Mlp::check_batch`]
    /// first on data from outside.
    pub fn logits(&self, x: &Tensor) -> Tensor {
        let (_, cols) = x.dims2();
        assert_eq!(
            cols, self.spec.input,
            "logits: the network expects {} inputs per row",
            self.spec.input
        );
        let mut g = Graph::new();
        let input = g.input(x.clone());
        let (logits, _) = self.forward(&mut g, input);
        g.value(logits).clone()
    }

    /// Check a batch (and its labels, if given) before it reaches the graph.
    pub fn check_batch(&self, x: &Tensor, labels: Option<&[usize]>) -> Result<()> {
        let [rows, cols] = *x.shape() else {
            return Err(Error::InvalidData(format!(
                "a batch must be a matrix [batch, {}], got shape {:?}",
                self.spec.input,
                x.shape()
            )));
        };
        if cols != self.spec.input {
            return Err(Error::WrongDimension {
                what: "input sample",
                expected: self.spec.input,
                got: cols,
            });
        }
        if rows == 0 {
            return Err(Error::InvalidData("the batch is empty".into()));
        }
        if let Some(&value) = x.data().iter().find(|v| !v.is_finite()) {
            return Err(Error::NotFinite {
                what: "input value",
                value: f64::from(value),
            });
        }
        let Some(labels) = labels else { return Ok(()) };
        if labels.len() != rows {
            return Err(Error::InvalidData(format!(
                "{rows} samples but {} labels",
                labels.len()
            )));
        }
        let classes = self.spec.classes();
        if let Some(&bad) = labels.iter().find(|&&l| l >= classes) {
            return Err(Error::OutOfRange {
                what: "label",
                detail: format!(
                    "{bad} is not one of the {classes} classes (0 to {})",
                    classes - 1
                ),
            });
        }
        Ok(())
    }

    /// Weights and biases of all layers together.
    pub fn param_count(&self) -> usize {
        self.layers.iter().map(Dense::param_count).sum()
    }
}
