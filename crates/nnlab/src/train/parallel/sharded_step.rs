//! One worker's part of a training step on a team (see the [module
//! docs](super)): the same forward, loss, backward and update as
//! [`TrainStep`](crate::nn::step::TrainStep), on this worker's rows of each
//! split layer, with the team's exchanges in between.

use super::exchange::Exchange;
use super::shard::{Shard, Split};
use crate::error::{Error, Result};
use crate::kernels::fused::{self, LossAndCorrect};
use crate::kernels::gemm::Gemm;
use crate::nn::step::{check_finite, check_input, check_labels};
use crate::nn::Mlp;
use crate::optim::Optimizer;

/// Where a worker's steps spent their time (milliseconds, summed over
/// `steps`), when a clock was given ([`ShardedStep::set_clock`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PhaseTimes {
    /// Steps measured.
    pub steps: u64,
    /// Whole steps.
    pub total_ms: f64,
    /// Inside the exchanges: publishing, waiting for the others, reading
    /// their parts (and adding them up).
    pub exchange_ms: f64,
    /// The optimiser's updates of this worker's rows.
    pub update_ms: f64,
    /// Getting the batch ready before the step (worker 0: taking the images
    /// from the data set and handing them to the others; the others:
    /// copying them in). Not part of `total_ms`.
    pub batch_ms: f64,
}

impl PhaseTimes {
    /// Matrix products and the fused passes: the rest of the step.
    pub fn compute_ms(&self) -> f64 {
        (self.total_ms - self.exchange_ms - self.update_ms).max(0.0)
    }
}

/// Buffers and kernels of one worker's sharded steps, made on the first step
/// and reused (only growing allocates), and this worker's columns of the
/// layers split by inputs.
#[derive(Debug, Default)]
pub struct ShardedStep {
    gemm: Gemm,
    layers: Vec<LayerBuffers>,
    /// This worker's columns of the images, `[batch, columns]`, when the
    /// first layer is split by inputs.
    image_columns: Vec<f32>,
    /// This worker's part of an all-reduce.
    partial: Vec<f32>,
    /// Whether `own_weights` hold this worker's columns (taken from the
    /// network at the first step, see [`ShardedStep::write_own`]).
    loaded: bool,
    clock: Option<fn() -> f64>,
    times: PhaseTimes,
    /// When the step under way began (with a clock).
    started: Option<f64>,
}

#[derive(Debug, Default, Clone)]
struct LayerBuffers {
    /// The layer's output after its activation, `[batch, out]`, or this
    /// worker's columns of it `[batch, rows]` if split by outputs.
    output: Vec<f32>,
    /// ∂loss/∂(pre-activation), the same columns as `output`.
    delta: Vec<f32>,
    /// ∂loss/∂weight of the values this worker updates: its rows `[rows,
    /// in]`, its columns `[out, columns]`, or the whole weight.
    weight_grad: Vec<f32>,
    /// ∂loss/∂bias of this worker's rows, or of the whole bias.
    bias_grad: Vec<f32>,
    /// A layer split by inputs: this worker's columns of the weight,
    /// `[out, columns]`, kept here between steps so that the matrix
    /// products and the optimiser read them contiguous; the network's copy
    /// is brought up to date by [`ShardedStep::write_own`].
    own_weights: Vec<f32>,
}

impl ShardedStep {
    /// Empty buffers on the fastest matrix kernels of this machine.
    pub fn new() -> ShardedStep {
        ShardedStep::default()
    }

    /// Measure where the time goes with `clock` (milliseconds; the wasm
    /// Worker passes `performance.now`), or stop measuring with `None`.
    pub fn set_clock(&mut self, clock: Option<fn() -> f64>) {
        self.clock = clock;
    }

    /// The time measured so far (zeros without a clock).
    pub fn times(&self) -> PhaseTimes {
        self.times
    }

    /// The clock given to [`ShardedStep::set_clock`], for the caller to time
    /// the batch with.
    pub fn clock(&self) -> Option<fn() -> f64> {
        self.clock
    }

    /// Adds `ms` of getting a batch ready ([`PhaseTimes::batch_ms`]).
    pub fn add_batch_time(&mut self, ms: f64) {
        self.times.batch_ms += ms;
    }

    /// Adds `ms` of staging the next batch inside the step under way
    /// (between [`ShardedStep::train_upper_layers`] and
    /// [`ShardedStep::train_first_layer`]) to the batch's time, not the step's.
    pub fn add_staging_time(&mut self, ms: f64) {
        self.times.batch_ms += ms;
        if let Some(started) = &mut self.started {
            *started += ms;
        }
    }

    /// One training step of the batch `x` / `labels` for worker
    /// `shard.rank()`: `net` must hold the whole network's shape, with this
    /// worker's values (and the unsplit layers) current; the others' are
    /// not read. `opt` updates this worker's values only (in the order of
    /// [`Shard::own_runs`]), as slots 2l and 2l + 1.
    ///
    /// This worker's columns of the layers split by inputs are taken from
    /// `net` at the first step (the first after [`ShardedStep::forget_own`])
    /// and from then on live here: [`ShardedStep::write_own`] copies them
    /// back into `net`.
    ///
    /// Every worker of the team calls this with the same batch. Bad data is
    /// refused before any exchange (as [`TrainStep::train_batch`](crate::nn::step::TrainStep::train_batch)
    /// refuses it), so every worker refuses it alike and the team stays in step.
    pub fn train_batch(
        &mut self,
        shard: &Shard,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        x: &[f32],
        labels: &[usize],
        ex: &mut dyn Exchange,
    ) -> Result<LossAndCorrect> {
        ShardedStep::check(net, x, labels)?;
        self.train_checked(shard, net, opt, x, labels, ex)
    }

    /// What [`ShardedStep::train_batch`] refuses, checked without running:
    /// worker 0 checks a batch once, before the others see it.
    pub fn check(net: &Mlp, x: &[f32], labels: &[usize]) -> Result<()> {
        check_input(net, x, labels.len())?;
        check_labels(net, labels)?;
        check_finite(x)
    }

    /// [`ShardedStep::train_batch`] of a batch [`ShardedStep::check`] passed.
    pub(crate) fn train_checked(
        &mut self,
        shard: &Shard,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        x: &[f32],
        labels: &[usize],
        ex: &mut dyn Exchange,
    ) -> Result<LossAndCorrect> {
        let result = self.train_upper_layers(shard, net, opt, x, labels, ex)?;
        self.train_first_layer(shard, net, opt, x, labels.len())?;
        Ok(result)
    }

    /// The first part of [`ShardedStep::train_checked`]: the forward pass,
    /// the loss, and every layer's gradients and update but the first
    /// layer's. Every exchange of the step is then done: worker 0 uses the
    /// moment to hand over the next batch ([`Team::stage`](super::Team::stage)),
    /// while the others compute the first layer's gradients.
    pub(crate) fn train_upper_layers(
        &mut self,
        shard: &Shard,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        x: &[f32],
        labels: &[usize],
        ex: &mut dyn Exchange,
    ) -> Result<LossAndCorrect> {
        let batch = labels.len();
        self.started = self.now();
        self.reserve(net, shard, batch);
        for l in 0..net.layers.len() {
            self.forward_layer(shard, net, l, x, batch, ex)?;
        }
        let classes = net.spec.classes();
        let n = batch * classes;
        let last = self.layers.last_mut().expect("a valid network has a layer");
        let result =
            fused::softmax_cross_entropy(&last.output[..n], labels, &mut last.delta[..n], classes);
        for l in (1..net.layers.len()).rev() {
            self.backward_layer(shard, net, l, x, batch, Some(&mut *ex))?;
            self.update_layer(shard, net, opt, l);
        }
        Ok(result)
    }

    /// The rest of the step after [`ShardedStep::train_upper_layers`] (on the
    /// same `x` of `batch` images): the first layer's gradients (of this
    /// worker's rows; nothing flows below the images, so no exchange) and update.
    pub(crate) fn train_first_layer(
        &mut self,
        shard: &Shard,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        x: &[f32],
        batch: usize,
    ) -> Result<()> {
        self.backward_layer(shard, net, 0, x, batch, None)?;
        self.update_layer(shard, net, opt, 0);
        if let Some(start) = self.started.take() {
            self.times.total_ms += self.now().unwrap_or(start) - start;
            self.times.steps += 1;
        }
        Ok(())
    }

    fn now(&self) -> Option<f64> {
        self.clock.map(|clock| clock())
    }

    /// Brings `net` up to date with this worker's columns of the layers
    /// split by inputs, which its steps update here (its rows of the layers
    /// split by outputs are updated in `net` itself). Call before reading
    /// this worker's values from `net`.
    pub fn write_own(&self, shard: &Shard, net: &mut Mlp) {
        if !self.loaded {
            return;
        }
        for (l, (layer, buffers)) in net.layers.iter_mut().zip(&self.layers).enumerate() {
            if let (Split::Inputs(_), Some(cols)) = (shard.split(l), shard.own(l)) {
                let ins = layer.inputs();
                let width = cols.len();
                for (row, own) in layer
                    .weight
                    .data_mut()
                    .chunks_exact_mut(ins)
                    .zip(buffers.own_weights.chunks_exact(width))
                {
                    row[cols.clone()].copy_from_slice(own);
                }
            }
        }
    }

    /// Forgets this worker's columns: the next step takes them from its
    /// network again (after the network was replaced).
    pub fn forget_own(&mut self) {
        self.loaded = false;
    }

    /// Grows the buffers to fit `net`, split as `shard`, on `batch` samples,
    /// and takes this worker's columns from `net` if it has not yet.
    fn reserve(&mut self, net: &Mlp, shard: &Shard, batch: usize) {
        self.layers
            .resize_with(net.layers.len(), LayerBuffers::default);
        let mut widest = 0;
        for (l, (buffers, layer)) in self.layers.iter_mut().zip(&net.layers).enumerate() {
            let (outs, ins) = (layer.outputs(), layer.inputs());
            let own = shard.own(l);
            let (width, weights, biases) = match (shard.split(l), own.clone()) {
                (Split::Outputs(_), Some(rows)) => (rows.len(), rows.len() * ins, rows.len()),
                (Split::Inputs(_), Some(cols)) => (outs, outs * cols.len(), outs),
                _ => (outs, outs * ins, outs),
            };
            fit(&mut buffers.output, batch * width);
            fit(&mut buffers.delta, batch * width);
            fit(&mut buffers.weight_grad, weights);
            fit(&mut buffers.bias_grad, biases);
            if let (Split::Inputs(_), Some(cols)) = (shard.split(l), own) {
                if l == 0 {
                    fit(&mut self.image_columns, batch * cols.len());
                }
                if !self.loaded {
                    buffers.own_weights.clear();
                    for row in layer.weight.data().chunks_exact(ins) {
                        buffers.own_weights.extend_from_slice(&row[cols.clone()]);
                    }
                }
            }
            // An all-reduce adds up an output (split by inputs) or the
            // delta of the layer below (split by outputs).
            widest = widest.max(outs).max(if l > 0 { ins } else { 0 });
        }
        fit(&mut self.partial, batch * widest);
        self.loaded = true;
    }

    /// Layer `l`'s output (this worker's columns of it, if the layer is
    /// split by outputs).
    fn forward_layer(
        &mut self,
        shard: &Shard,
        net: &Mlp,
        l: usize,
        x: &[f32],
        batch: usize,
        ex: &mut dyn Exchange,
    ) -> Result<()> {
        let layer = &net.layers[l];
        let (outs, ins) = (layer.outputs(), layer.inputs());
        let (before, rest) = self.layers.split_at_mut(l);
        let this = &mut rest[0];
        let split = shard.split(l);
        let own = shard.own(l);
        if let (0, Split::Inputs(_), Some(cols)) = (l, split, &own) {
            // This worker's columns of the images, for this step's products.
            let width = cols.len();
            for (mine, image) in self.image_columns[..batch * width]
                .chunks_exact_mut(width)
                .zip(x.chunks_exact(ins))
            {
                mine.copy_from_slice(&image[cols.clone()]);
            }
        }
        let input = match before.last() {
            Some(previous) => &previous.output[..],
            None if matches!(split, Split::Inputs(_)) => &self.image_columns[..],
            None => x,
        };
        match (split, own) {
            (Split::Outputs(_), Some(rows)) => {
                // This worker's columns x·W[rows]ᵀ + b[rows].
                let output = &mut this.output[..batch * rows.len()];
                let weights = &layer.weight.data()[rows.start * ins..rows.end * ins];
                self.gemm.matmul_bt(
                    &input[..batch * ins],
                    weights,
                    output,
                    batch,
                    ins,
                    rows.len(),
                );
                fused::bias_activation(output, &layer.bias.data()[rows], layer.activation);
            }
            (Split::Inputs(_), Some(cols)) => {
                // Σ over the team of x[:, cols]·W[:, cols]ᵀ, then + b.
                let width = cols.len();
                let partial = &mut self.partial[..batch * outs];
                self.gemm.matmul_bt(
                    &input[..batch * width],
                    &this.own_weights,
                    partial,
                    batch,
                    width,
                    outs,
                );
                let output = &mut this.output[..batch * outs];
                self.times.exchange_ms += timed(self.clock, || ex.all_reduce(partial, output))?;
                fused::bias_activation(output, layer.bias.data(), layer.activation);
            }
            _ => {
                let output = &mut this.output[..batch * outs];
                self.gemm.matmul_bt(
                    &input[..batch * ins],
                    layer.weight.data(),
                    output,
                    batch,
                    ins,
                    outs,
                );
                fused::bias_activation(output, layer.bias.data(), layer.activation);
            }
        }
        Ok(())
    }

    /// Layer `l`'s gradients (of the values this worker updates) and the
    /// delta of the layer below, through the weights before they change
    /// (summed over the team on `ex` if the layer is split by outputs; the
    /// first layer has no delta below, and needs no `ex`).
    fn backward_layer(
        &mut self,
        shard: &Shard,
        net: &Mlp,
        l: usize,
        x: &[f32],
        batch: usize,
        ex: Option<&mut dyn Exchange>,
    ) -> Result<()> {
        let below_activation = l.checked_sub(1).map(|b| net.layers[b].activation);
        let layer = &net.layers[l];
        let (outs, ins) = (layer.outputs(), layer.inputs());
        let (before, rest) = self.layers.split_at_mut(l);
        let this = &mut rest[0];
        let split = shard.split(l);
        // The columns of the input this worker multiplied, and their width.
        let (input, width) = match (before.last(), split, shard.own(l)) {
            (_, Split::Inputs(_), Some(cols)) if l == 0 => {
                (&self.image_columns[..batch * cols.len()], cols.len())
            }
            (Some(previous), Split::Inputs(_), Some(cols)) => {
                (&previous.output[..batch * cols.len()], cols.len())
            }
            (Some(previous), _, _) => (&previous.output[..batch * ins], ins),
            (None, _, _) => (x, ins),
        };
        // δ of this worker's output columns ([batch, rows]), or of all.
        let rows = match (split, shard.own(l)) {
            (Split::Outputs(_), Some(rows)) => rows,
            _ => 0..outs,
        };
        let delta = &this.delta[..batch * rows.len()];
        // ∂L/∂W = δᵀ·input over the values this worker updates, ∂L/∂b = column sums.
        self.gemm.matmul_at(
            delta,
            input,
            &mut this.weight_grad[..rows.len() * width],
            rows.len(),
            batch,
            width,
        );
        fused::bias_grad(delta, &mut this.bias_grad[..rows.len()]);
        let (Some(below), Some(activation)) = (before.last_mut(), below_activation) else {
            return Ok(());
        };
        match split {
            Split::Outputs(_) => {
                // This worker's share δ[:, rows]·W[rows] of ∂L/∂input, summed over the team.
                let weights = &layer.weight.data()[rows.start * ins..rows.end * ins];
                let partial = &mut self.partial[..batch * ins];
                self.gemm
                    .matmul(delta, weights, partial, batch, rows.len(), ins);
                let ex = ex.ok_or_else(|| {
                    Error::InvalidData("a split layer's backward pass needs the team".into())
                })?;
                let below_delta = &mut below.delta[..batch * ins];
                self.times.exchange_ms +=
                    timed(self.clock, || ex.all_reduce(partial, below_delta))?;
            }
            Split::Inputs(_) => {
                // ∂L/∂input[:, cols] = δ·W[:, cols]: the columns the layer
                // below (split by outputs) owns.
                self.gemm.matmul(
                    delta,
                    &this.own_weights,
                    &mut below.delta[..batch * width],
                    batch,
                    outs,
                    width,
                );
            }
            Split::Whole => {
                // ∂L/∂input = δ·W, whole, on every worker alike.
                self.gemm.matmul(
                    delta,
                    layer.weight.data(),
                    &mut below.delta[..batch * ins],
                    batch,
                    outs,
                    ins,
                );
            }
        }
        fused::activation_backward(
            &mut below.delta[..batch * width],
            &below.output[..batch * width],
            activation,
        );
        Ok(())
    }

    /// The optimiser's update of the values of layer `l` this worker updates.
    fn update_layer(
        &mut self,
        shard: &Shard,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        l: usize,
    ) {
        let t = self.now();
        let layer = &mut net.layers[l];
        let ins = layer.inputs();
        let buffers = &mut self.layers[l];
        let (weights, bias) = match (shard.split(l), shard.own(l)) {
            (Split::Outputs(_), Some(rows)) => (
                &mut layer.weight.data_mut()[rows.start * ins..rows.end * ins],
                &mut layer.bias.data_mut()[rows],
            ),
            (Split::Inputs(_), Some(_)) => (&mut buffers.own_weights[..], layer.bias.data_mut()),
            _ => (layer.weight.data_mut(), layer.bias.data_mut()),
        };
        opt.update(2 * l, weights, &buffers.weight_grad[..weights.len()]);
        opt.update(2 * l + 1, bias, &buffers.bias_grad[..bias.len()]);
        if let Some(t) = t {
            self.times.update_ms += self.now().unwrap_or(t) - t;
        }
    }
}

/// Runs `exchange`, and how long it took by `clock` (0 without one).
fn timed(clock: Option<fn() -> f64>, exchange: impl FnOnce() -> Result<()>) -> Result<f64> {
    let start = clock.map(|c| c());
    exchange()?;
    Ok(match (start, clock) {
        (Some(start), Some(clock)) => clock() - start,
        _ => 0.0,
    })
}

/// Makes `buffer` at least `len` long (allocating only when it grows).
fn fit(buffer: &mut Vec<f32>, len: usize) {
    if buffer.len() < len {
        buffer.resize(len, 0.0);
    }
}
