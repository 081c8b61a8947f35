//! A worker of a team that is not worker 0: it keeps its rows and columns
//! of the network and their optimiser state, and runs its part of every step.

use std::ops::Range;

use super::exchange::Exchange;
use super::shard::Shard;
use super::sharded_step::ShardedStep;
use super::state::{own_state_pieces, FlatState, StateSink};
use super::team::slot_mut;
use crate::error::{Error, Result};
use crate::init::Init;
use crate::kernels::fused::LossAndCorrect;
use crate::nn::{Mlp, MlpSpec};
use crate::optim::{self, Hyper, Optimizer, OptimizerKind};

/// Worker `rank` (≥ 1) of a team: what a helper Web Worker or thread keeps
/// between steps.
pub struct Follower {
    shard: Shard,
    net: Mlp,
    opt: Box<dyn Optimizer<f32>>,
    step: ShardedStep,
}

impl Follower {
    /// Worker `rank` of `size` for networks of `spec`, with no weights yet
    /// (they come with [`Follower::share`]).
    pub fn new(spec: MlpSpec, rank: usize, size: usize) -> Result<Follower> {
        let kind = OptimizerKind::Adam;
        Ok(Follower {
            shard: Shard::new(&spec, rank, size),
            net: Mlp::new(spec, Init::PyTorchDefault, 0)?,
            opt: optim::build(kind, Hyper::defaults(kind))?,
            step: ShardedStep::new(),
        })
    }

    /// Takes the whole network from `flat` (every parameter in slot order)
    /// and starts a fresh optimiser `kind` with `hyper`.
    pub fn share(&mut self, flat: &[f32], kind: OptimizerKind, hyper: Hyper) -> Result<()> {
        if flat.len() != self.net.spec.param_count() {
            return Err(Error::InvalidData(format!(
                "a network of {} parameters shared with a helper made for {}",
                flat.len(),
                self.net.spec.param_count()
            )));
        }
        let mut at = 0;
        for slot in 0..2 * self.net.layers.len() {
            let values = slot_mut(&mut self.net, slot);
            values.copy_from_slice(&flat[at..at + values.len()]);
            at += values.len();
        }
        self.opt = optim::build(kind, hyper)?;
        self.step.forget_own();
        Ok(())
    }

    /// Takes this worker's part of `state` as its optimiser's state (after
    /// [`Follower::share`] of the network it belongs to).
    pub fn share_state(&mut self, state: &FlatState) -> Result<()> {
        state.keep_own(self.opt.as_mut(), &self.shard, &self.net.spec)
    }

    /// Hands each run of its rows' optimiser state to `sink` (see
    /// [`own_state_pieces`]): which state vector, where in the flat layout,
    /// the values.
    pub fn own_state(&self, sink: &mut StateSink) -> Result<()> {
        own_state_pieces(self.opt.as_ref(), &self.shard, &self.net.spec, sink)
    }

    /// This worker's part of a step on the batch `x` / `labels` with
    /// learning rate `lr` (see [`ShardedStep::train_batch`]).
    pub fn step(
        &mut self,
        x: &[f32],
        labels: &[usize],
        lr: f64,
        ex: &mut dyn Exchange,
    ) -> Result<LossAndCorrect> {
        let hyper = self.opt.hyper();
        if hyper.lr.to_bits() != lr.to_bits() {
            self.opt.set_hyper(Hyper { lr, ..hyper })?;
        }
        self.step
            .train_batch(&self.shard, &mut self.net, self.opt.as_mut(), x, labels, ex)
    }

    /// Hands each run of values this worker alone keeps current to `sink`:
    /// where it sits in the flat layout, and the values.
    pub fn own_values(&mut self, sink: &mut dyn FnMut(Range<usize>, &[f32])) {
        self.step.write_own(&self.shard, &mut self.net);
        let net = &self.net;
        for piece in self.shard.pieces(self.shard.rank(), &net.spec) {
            let layer = &net.layers[piece.slot / 2];
            let values = match piece.slot % 2 {
                0 => layer.weight.data(),
                _ => layer.bias.data(),
            };
            sink(piece.flat.clone(), &values[piece.within.clone()]);
        }
    }

    /// The step's buffers (to measure where its time goes).
    pub fn sharded_step(&mut self) -> &mut ShardedStep {
        &mut self.step
    }
}
