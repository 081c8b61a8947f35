//! What worker 0 (the [`Trainer`](crate::train::Trainer)) sees of the other
//! workers of its team.

use super::exchange::Exchange;
use super::shard::Piece;
use super::sharded_step::PhaseTimes;
use super::state::FlatState;
use crate::nn::Mlp;
use crate::optim::{Hyper, OptimizerKind};
use crate::Result;

/// The other workers, from worker 0's side. Worker 0 runs its own part of
/// each step itself ([`ShardedStep`](super::ShardedStep)) on
/// [`Team::exchange`].
pub trait Team {
    /// Workers training, worker 0 included (1: it trains alone).
    fn size(&self) -> usize;

    /// How many times [`Team::share`] has run: a trainer that shared the
    /// network sees from a changed count that someone else (another
    /// trainer on the same team) has since, and shares again.
    fn shares(&self) -> u64;

    /// Gives every other worker the whole network `net` (each keeps its
    /// rows) and a fresh optimiser `kind` with `hyper`. Returns when all have it.
    fn share(&mut self, net: &Mlp, kind: OptimizerKind, hyper: Hyper) -> Result<()>;

    /// Hands the others the next batch and the learning rate, and starts
    /// their part of the step; worker 0 then runs its part. With `staged`,
    /// `x` and `labels` are the batch [`Team::stage`] handed over last, and
    /// the others take it from there.
    fn begin_step(&mut self, x: &[f32], labels: &[usize], lr: f64, staged: bool) -> Result<()>;

    /// Hands the others the batch of the step after this one early, inside
    /// this step (after its last exchange), so that they copy it in while
    /// they finish their part instead of waiting for it between steps.
    /// Returns false if this team takes batches only in
    /// [`Team::begin_step`]. Nothing starts until `begin_step(…, true)`.
    fn stage(&mut self, x: &[f32], labels: &[usize]) -> Result<bool> {
        let _ = (x, labels);
        Ok(false)
    }

    /// Worker 0's end of the step's exchanges.
    fn exchange(&mut self) -> &mut dyn Exchange;

    /// Copies the other workers' rows, as they are after their last step,
    /// into `net`.
    fn collect(&mut self, net: &mut Mlp) -> Result<()>;

    /// Gives every other worker its part of `state`, the state of the
    /// optimiser of the network last shared ([`Team::share`]) as a worker
    /// alone kept it (see [`FlatState::keep_own`]). Returns when all have it.
    fn share_state(&mut self, state: &FlatState) -> Result<()>;

    /// Writes the other workers' rows of their optimisers' state, as it is
    /// after their last step, into `state` (see [`own_state_pieces`](super::own_state_pieces)).
    fn collect_state(&mut self, state: &mut FlatState) -> Result<()>;

    /// Where the other workers' steps went, in rank order from worker 1
    /// (summed since they began; empty if they are not timed).
    fn follower_times(&self) -> Vec<PhaseTimes> {
        Vec::new()
    }
}

/// Every parameter of `net` one after the other in slot order (see
/// [`flat_offsets`](super::flat_offsets)) into `flat`.
///
/// # Panics
/// If `flat` is not exactly the network's parameter count.
pub fn write_flat(net: &Mlp, flat: &mut [f32]) {
    let mut rest = flat;
    for layer in &net.layers {
        for values in [layer.weight.data(), layer.bias.data()] {
            let (head, tail) = rest.split_at_mut(values.len());
            head.copy_from_slice(values);
            rest = tail;
        }
    }
    assert!(rest.is_empty(), "a flat buffer of the network's size");
}

/// The values of `net`'s parameter `slot` (2l weight, 2l + 1 bias).
pub fn slot_mut(net: &mut Mlp, slot: usize) -> &mut [f32] {
    let layer = &mut net.layers[slot / 2];
    match slot % 2 {
        0 => layer.weight.data_mut(),
        _ => layer.bias.data_mut(),
    }
}

/// Copies `piece` of the flat layout `flat` into `net`.
pub fn read_piece(net: &mut Mlp, piece: &Piece, flat: &[f32]) {
    slot_mut(net, piece.slot)[piece.within.clone()].copy_from_slice(&flat[piece.flat.clone()]);
}
