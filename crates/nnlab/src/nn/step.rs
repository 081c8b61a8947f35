//! The fast path through an [`Mlp`]: forward, backward and the optimiser
//! update on buffers made once and reused, so a training step allocates
//! nothing after the first.
//!
//! [`Mlp::loss_and_grads`] records every step on a fresh autodiff
//! [`Graph`](crate::autodiff::Graph): clear and general, but it allocates a
//! tensor per node and copies the weights in. [`TrainStep`] runs the same
//! computation layer by layer, in the same order of floating-point
//! operations, and differs only in what it leaves out:
//! - every activation, gradient and packing buffer lives in the `TrainStep`
//!   and is only ever grown (the optimiser keeps its own state the same way);
//! - bias and activation are one pass after each product, and softmax and
//!   cross-entropy one pass at the end ([`crate::kernels::fused`]);
//! - the gradient with respect to the input images is never computed (no
//!   parameter needs it; in the lecture's network it is the largest
//!   product of the backward pass);
//! - each layer's weights are updated as soon as their gradient and the
//!   gradient flowing back through them are known, while they are still in
//!   cache.
//!
//! `tests/step_vs_graph.rs` checks it against the graph: same loss, same
//! gradients, same weights after several Adam steps, and no allocation.
//!
//! ```
//! use nnlab::init::Init;
//! use nnlab::nn::{step::TrainStep, Activation, Mlp, MlpSpec};
//! use nnlab::optim::{self, Hyper, OptimizerKind};
//!
//! let spec = MlpSpec { input: 4, layers: vec![8, 3], activation: Activation::Relu };
//! let mut net = Mlp::new(spec, Init::PyTorchDefault, 1)?;
//! let mut adam = optim::build::<f32>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam))?;
//! let mut step = TrainStep::new();
//! // Two samples of 4 values, classes 0 and 2.
//! let x = [0.1, 0.9, 0.3, 0.5, 0.8, 0.2, 0.7, 0.0];
//! let first = step.train_batch(&mut net, adam.as_mut(), &x, &[0, 2])?;
//! for _ in 0..20 {
//!     step.train_batch(&mut net, adam.as_mut(), &x, &[0, 2])?;
//! }
//! let logits = step.forward(&net, &x, 2)?;
//! assert_eq!(logits.len(), 2 * 3);
//! let last = step.train_batch(&mut net, adam.as_mut(), &x, &[0, 2])?;
//! assert!(last.loss < first.loss);
//! # Ok::<(), nnlab::Error>(())
//! ```

use super::Mlp;
use crate::error::{Error, Result};
use crate::kernels::fused::{self, LossAndCorrect};
use crate::kernels::gemm::Gemm;
use crate::optim::Optimizer;

/// Buffers for training and running an [`Mlp`] without allocating.
///
/// Sized on first use for the network and batch it is given, and grown (never
/// shrunk) if a later call needs more, so one `TrainStep` can serve batches
/// of different sizes (a smaller last batch of an epoch) and even different
/// networks; only growing allocates.
#[derive(Debug, Default)]
pub struct TrainStep {
    gemm: Gemm,
    layers: Vec<LayerBuffers>,
}

/// What one dense layer needs between its forward and backward pass.
#[derive(Debug, Default, Clone)]
struct LayerBuffers {
    /// The layer's output after its activation, `[batch, out]` (the logits
    /// for the last layer). The backward pass needs it twice: as the next
    /// layer's input and for this activation's derivative.
    output: Vec<f32>,
    /// ∂loss/∂(pre-activation), `[batch, out]`.
    delta: Vec<f32>,
    /// ∂loss/∂weight, `[out, in]`.
    weight_grad: Vec<f32>,
    /// ∂loss/∂bias, `[out]`.
    bias_grad: Vec<f32>,
}

impl TrainStep {
    /// An empty workspace on the fastest matrix kernels of this machine.
    pub fn new() -> TrainStep {
        TrainStep::default()
    }

    /// An empty workspace on a given matrix engine (e.g. one forced to an
    /// instruction set for a benchmark).
    pub fn with_gemm(gemm: Gemm) -> TrainStep {
        TrainStep {
            gemm,
            layers: Vec::new(),
        }
    }

    /// The matrix engine (its instruction set, its scratch size).
    pub fn gemm(&self) -> &Gemm {
        &self.gemm
    }

    /// The logits `[batch, classes]` of `net` for `x` `[batch, input]`,
    /// row-major. Valid until the next call on this `TrainStep`.
    ///
    /// A wrong `x` length or an empty batch is an error. Values are not
    /// checked: NaN in gives NaN out.
    pub fn forward(&mut self, net: &Mlp, x: &[f32], batch: usize) -> Result<&[f32]> {
        check_input(net, x, batch)?;
        self.run_forward(net, x, batch);
        let last = self.layers.last().expect("a valid network has a layer");
        Ok(&last.output[..batch * net.spec.classes()])
    }

    /// One training step on the batch `x` `[labels.len(), input]`: forward,
    /// mean softmax cross-entropy, backward, and `opt.update` for every
    /// weight and bias (slot 2l for the weight of layer l, 2l + 1 for its
    /// bias, as [`Mlp::apply_grads`] numbers them).
    ///
    /// Returns the loss *before* the update and how many samples the network
    /// classified right. Bad data (wrong width, empty batch, labels out of
    /// range or miscounted, NaN or ∞ inputs) is an error, as in
    /// [`Mlp::loss_and_grads`], and leaves `net` unchanged.
    pub fn train_batch(
        &mut self,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        x: &[f32],
        labels: &[usize],
    ) -> Result<LossAndCorrect> {
        let batch = labels.len();
        check_input(net, x, batch)?;
        check_labels(net, labels)?;
        check_finite(x)?;
        self.run_forward(net, x, batch);
        let result = self.loss_gradient(net, labels);
        self.backward_and_update(net, opt, x, batch);
        Ok(result)
    }

    /// The gradients of the last [`TrainStep::train_batch`], in slot order
    /// (weight 0, bias 0, weight 1, …), for tests and lessons that show them.
    pub fn grads(&self) -> impl Iterator<Item = &[f32]> {
        self.layers
            .iter()
            .flat_map(|l| [l.weight_grad.as_slice(), l.bias_grad.as_slice()])
    }

    /// The L2 norm ‖∂loss/∂W‖ of each layer's weight gradient from the last
    /// step, input side first — how much learning signal reaches each layer.
    /// In a deep sigmoid network started from small weights it shrinks
    /// layer by layer towards the input (vanishing gradients). Empty before
    /// the first step.
    pub fn weight_grad_norms(&self) -> Vec<f32> {
        self.layers
            .iter()
            .map(|l| l2_norm(&l.weight_grad))
            .collect()
    }

    /// Grows the buffers to fit `net` on `batch` samples.
    fn reserve(&mut self, net: &Mlp, batch: usize) {
        self.layers
            .resize_with(net.layers.len(), LayerBuffers::default);
        for (buffers, layer) in self.layers.iter_mut().zip(&net.layers) {
            let (outs, ins) = (layer.outputs(), layer.inputs());
            fit(&mut buffers.output, batch * outs);
            fit(&mut buffers.delta, batch * outs);
            // Exactly the parameters' sizes, so `grads` hands out whole
            // gradients (resizing within capacity does not allocate).
            buffers.weight_grad.resize(outs * ins, 0.0);
            buffers.bias_grad.resize(outs, 0.0);
        }
    }

    /// `output = f(input·Wᵀ + b)` layer by layer, `input` starting at `x`.
    fn run_forward(&mut self, net: &Mlp, x: &[f32], batch: usize) {
        self.reserve(net, batch);
        for (l, layer) in net.layers.iter().enumerate() {
            let (outs, ins) = (layer.outputs(), layer.inputs());
            let (before, rest) = self.layers.split_at_mut(l);
            let input = match before.last() {
                Some(previous) => &previous.output[..batch * ins],
                None => x,
            };
            let output = &mut rest[0].output[..batch * outs];
            self.gemm
                .matmul_bt(input, layer.weight.data(), output, batch, ins, outs);
            fused::bias_activation(output, layer.bias.data(), layer.activation);
        }
    }

    /// Loss and correct count from the logits, and ∂loss/∂logits into the
    /// last layer's `delta`.
    fn loss_gradient(&mut self, net: &Mlp, labels: &[usize]) -> LossAndCorrect {
        let classes = net.spec.classes();
        let n = labels.len() * classes;
        let last = self.layers.last_mut().expect("a valid network has a layer");
        fused::softmax_cross_entropy(&last.output[..n], labels, &mut last.delta[..n], classes)
    }

    /// From the last layer down: weight and bias gradients, the delta of the
    /// layer below (through this layer's weights, before they change), then
    /// the update of this layer's weights and bias.
    fn backward_and_update(
        &mut self,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        x: &[f32],
        batch: usize,
    ) {
        for l in (0..net.layers.len()).rev() {
            self.backward_layer(net, l, x, batch);
            let (layer, buffers) = (&mut net.layers[l], &self.layers[l]);
            opt.update(2 * l, layer.weight.data_mut(), &buffers.weight_grad);
            opt.update(2 * l + 1, layer.bias.data_mut(), &buffers.bias_grad);
        }
    }

    /// Layer `l`'s weight and bias gradients from its `delta`, and the delta
    /// of the layer below (through this layer's weights, before they change).
    fn backward_layer(&mut self, net: &Mlp, l: usize, x: &[f32], batch: usize) {
        let below_activation = l.checked_sub(1).map(|b| net.layers[b].activation);
        let layer = &net.layers[l];
        let (outs, ins) = (layer.outputs(), layer.inputs());
        let (before, rest) = self.layers.split_at_mut(l);
        let this = &mut rest[0];
        let delta = &this.delta[..batch * outs];
        let input = match before.last() {
            Some(previous) => &previous.output[..batch * ins],
            None => x,
        };
        // ∂L/∂W = δᵀ·input, ∂L/∂b = column sums of δ.
        self.gemm
            .matmul_at(delta, input, &mut this.weight_grad, outs, batch, ins);
        fused::bias_grad(delta, &mut this.bias_grad);
        // ∂L/∂input = δ·W, then back through the activation below. Not
        // for the first layer: its input is the images.
        if let (Some(below), Some(activation)) = (before.last_mut(), below_activation) {
            let below_delta = &mut below.delta[..batch * ins];
            self.gemm
                .matmul(delta, layer.weight.data(), below_delta, batch, outs, ins);
            fused::activation_backward(below_delta, &below.output[..batch * ins], activation);
        }
    }
}

/// √(Σ v²), summed in f64 so that tiny gradients (1e-20 and below) neither
/// underflow when squared nor lose precision over many terms.
fn l2_norm(values: &[f32]) -> f32 {
    values
        .iter()
        .map(|&v| f64::from(v) * f64::from(v))
        .sum::<f64>()
        .sqrt() as f32
}

/// Makes `buffer` at least `len` long (allocating only when it grows).
fn fit(buffer: &mut Vec<f32>, len: usize) {
    if buffer.len() < len {
        buffer.resize(len, 0.0);
    }
}

/// `x` must hold `batch ≥ 1` rows of the network's input width.
pub(crate) fn check_input(net: &Mlp, x: &[f32], batch: usize) -> Result<()> {
    if batch == 0 {
        return Err(Error::InvalidData("the batch is empty".into()));
    }
    let input = net.spec.input;
    if x.len() != batch * input {
        return Err(Error::InvalidData(format!(
            "a batch of {batch} samples of {input} values needs {} values, got {}",
            batch * input,
            x.len()
        )));
    }
    Ok(())
}

/// Every label must name one of the network's classes.
pub(crate) fn check_labels(net: &Mlp, labels: &[usize]) -> Result<()> {
    let classes = net.spec.classes();
    match labels.iter().find(|&&l| l >= classes) {
        Some(&bad) => Err(Error::OutOfRange {
            what: "label",
            detail: format!(
                "{bad} is not one of the {classes} classes (0 to {})",
                classes - 1
            ),
        }),
        None => Ok(()),
    }
}

/// NaN or ∞ in the input would poison every weight in one step.
pub(crate) fn check_finite(x: &[f32]) -> Result<()> {
    // A branch-free count vectorises; the slow search runs only on bad data.
    if x.iter().filter(|v| !v.is_finite()).count() == 0 {
        return Ok(());
    }
    let value = x
        .iter()
        .copied()
        .find(|v| !v.is_finite())
        .unwrap_or(f32::NAN);
    Err(Error::NotFinite {
        what: "input value",
        value: f64::from(value),
    })
}
