//! One worker's part of a training step on a team (see the [module
//! docs](super)): the same forward, loss, backward and update as
//! [`TrainStep`](crate::nn::step::TrainStep), on this worker's rows of each
//! split layer, with the team's exchanges in between.

use super::exchange::Exchange;
use super::shard::Shard;
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
/// and reused (only growing allocates).
#[derive(Debug, Default)]
pub struct ShardedStep {
    gemm: Gemm,
    layers: Vec<LayerBuffers>,
    /// This worker's output columns, or its columns of a delta, `[batch, rows]`.
    block: Vec<f32>,
    /// An all-gather's parts, one after the other.
    gathered: Vec<f32>,
    /// This worker's share of the delta of the layer below, `[batch, in]`.
    partial: Vec<f32>,
    /// Part lengths of an all-gather.
    lens: Vec<usize>,
    clock: Option<fn() -> f64>,
    times: PhaseTimes,
    /// When the step under way began (with a clock).
    started: Option<f64>,
}

#[derive(Debug, Default, Clone)]
struct LayerBuffers {
    /// The whole layer's output after its activation, `[batch, out]`.
    output: Vec<f32>,
    /// ∂loss/∂(pre-activation) of the whole layer, `[batch, out]`.
    delta: Vec<f32>,
    /// ∂loss/∂weight of this worker's rows, `[rows, in]`.
    weight_grad: Vec<f32>,
    /// ∂loss/∂bias of this worker's rows.
    bias_grad: Vec<f32>,
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
    /// worker's rows (and the unsplit layers) current; the other rows are
    /// not read. `opt` updates this worker's rows only, as slots 2l and 2l + 1.
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

    /// Grows the buffers to fit `net`, split as `shard`, on `batch` samples.
    fn reserve(&mut self, net: &Mlp, shard: &Shard, batch: usize) {
        self.layers
            .resize_with(net.layers.len(), LayerBuffers::default);
        let mut widest = 0;
        for (l, (buffers, layer)) in self.layers.iter_mut().zip(&net.layers).enumerate() {
            let (outs, ins) = (layer.outputs(), layer.inputs());
            let rows = shard.own_rows(l).map_or(outs, |r| r.len());
            fit(&mut buffers.output, batch * outs);
            fit(&mut buffers.delta, batch * outs);
            fit(&mut buffers.weight_grad, rows * ins);
            fit(&mut buffers.bias_grad, rows);
            widest = widest.max(outs).max(ins);
        }
        // The images never go through `partial` (no delta below layer 0).
        let hidden = net.layers.iter().map(|l| l.outputs()).max().unwrap_or(0);
        fit(&mut self.block, batch * widest);
        fit(&mut self.gathered, batch * hidden);
        fit(&mut self.partial, batch * hidden);
    }

    /// Layer `l`'s output: this worker's columns, then the all-gather of
    /// every worker's (or the whole layer, if it is not split).
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
        let input = match before.last() {
            Some(previous) => &previous.output[..batch * ins],
            None => x,
        };
        let output = &mut rest[0].output[..batch * outs];
        let Some(rows) = shard.split(l) else {
            self.gemm
                .matmul_bt(input, layer.weight.data(), output, batch, ins, outs);
            fused::bias_activation(output, layer.bias.data(), layer.activation);
            return Ok(());
        };
        let own = &rows[shard.rank()];
        let block = &mut self.block[..batch * own.len()];
        let weights = &layer.weight.data()[own.start * ins..own.end * ins];
        self.gemm
            .matmul_bt(input, weights, block, batch, ins, own.len());
        fused::bias_activation(block, &layer.bias.data()[own.clone()], layer.activation);
        self.lens.clear();
        self.lens.extend(rows.iter().map(|r| batch * r.len()));
        let gathered = &mut self.gathered[..batch * outs];
        let t = self.clock.map(|c| c());
        ex.all_gather(block, &self.lens, gathered)?;
        if let Some(t) = t {
            self.times.exchange_ms += self.clock.map_or(t, |c| c()) - t;
        }
        // Parts are [batch, rows of worker q]; the output is [batch, outs].
        let mut at = 0;
        for r in rows {
            let width = r.len();
            for (i, part_row) in gathered[at..at + batch * width]
                .chunks_exact(width)
                .enumerate()
            {
                output[i * outs + r.start..i * outs + r.end].copy_from_slice(part_row);
            }
            at += batch * width;
        }
        Ok(())
    }

    /// Layer `l`'s gradients (of this worker's rows) and the delta of the
    /// layer below, through the weights before they change (summed over the
    /// team on `ex`; the first layer has none, and needs no `ex`).
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
        let input = match before.last() {
            Some(previous) => &previous.output[..batch * ins],
            None => x,
        };
        let rows = shard.own_rows(l).unwrap_or(0..outs);
        let s = rows.len();
        // δ of this worker's rows, [batch, s] (all of δ if the layer is whole).
        let delta: &[f32] = if s == outs {
            &this.delta[..batch * outs]
        } else {
            let block = &mut self.block[..batch * s];
            for (own, row) in block
                .chunks_exact_mut(s)
                .zip(this.delta[..batch * outs].chunks_exact(outs))
            {
                own.copy_from_slice(&row[rows.clone()]);
            }
            block
        };
        // ∂L/∂W[rows] = δ[:, rows]ᵀ·input, ∂L/∂b[rows] = column sums.
        self.gemm.matmul_at(
            delta,
            input,
            &mut this.weight_grad[..s * ins],
            s,
            batch,
            ins,
        );
        fused::bias_grad(delta, &mut this.bias_grad[..s]);
        let (Some(below), Some(activation)) = (before.last_mut(), below_activation) else {
            return Ok(());
        };
        let weights = &layer.weight.data()[rows.start * ins..rows.end * ins];
        let below_delta = &mut below.delta[..batch * ins];
        if s == outs {
            // ∂L/∂input = δ·W, whole, on every worker alike.
            self.gemm
                .matmul(delta, weights, below_delta, batch, outs, ins);
        } else {
            // This worker's share δ[:, rows]·W[rows], summed over the team.
            let partial = &mut self.partial[..batch * ins];
            self.gemm.matmul(delta, weights, partial, batch, s, ins);
            let ex = ex.ok_or_else(|| {
                Error::InvalidData("a split layer's backward pass needs the team".into())
            })?;
            let t = self.clock.map(|c| c());
            ex.all_reduce(partial, below_delta)?;
            if let Some(t) = t {
                self.times.exchange_ms += self.clock.map_or(t, |c| c()) - t;
            }
        }
        fused::activation_backward(below_delta, &below.output[..batch * ins], activation);
        Ok(())
    }

    /// The optimiser's update of layer `l`'s rows of this worker.
    fn update_layer(
        &mut self,
        shard: &Shard,
        net: &mut Mlp,
        opt: &mut dyn Optimizer<f32>,
        l: usize,
    ) {
        let t = self.now();
        // The same parts as the optimiser's state that moves between workers.
        let weights = shard.own_within(2 * l, &net.spec);
        let bias = shard.own_within(2 * l + 1, &net.spec);
        let layer = &mut net.layers[l];
        let buffers = &self.layers[l];
        opt.update(
            2 * l,
            &mut layer.weight.data_mut()[weights.clone()],
            &buffers.weight_grad[..weights.len()],
        );
        opt.update(
            2 * l + 1,
            &mut layer.bias.data_mut()[bias.clone()],
            &buffers.bias_grad[..bias.len()],
        );
        if let Some(t) = t {
            self.times.update_ms += self.now().unwrap_or(t) - t;
        }
    }
}

/// Makes `buffer` at least `len` long (allocating only when it grows).
fn fit(buffer: &mut Vec<f32>, len: usize) {
    if buffer.len() < len {
        buffer.resize(len, 0.0);
    }
}
