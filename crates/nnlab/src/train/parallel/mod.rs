//! Training one network on several workers (Web Workers, threads) at once,
//! each owning a slice of every layer: tensor parallelism, "split by output
//! rows", rather than splitting the batch.
//!
//! Why not split the batch (data parallelism)? The lecture's batch is 64
//! images. Split in two, every worker still needs *all* the weights before
//! each step and produces a gradient of *all* of them (1.6 MB each way for
//! the lecture's 401,518 parameters), and one of them runs Adam on all of
//! them. On a 2-core machine those copies and that Adam step ate the whole
//! gain (`docs/parallel-training.md` has the numbers). Split by rows, a
//! worker keeps its rows of each weight matrix, their gradients and their
//! optimiser state to itself; what crosses between workers per step is only
//! the activations of a layer (64 × 100 to 64 × 256 floats).
//!
//! One step on a team of `size` workers, every worker running the same code
//! ([`ShardedStep::train_batch`]) on the same mini-batch:
//! - forward, for each split layer: this worker's output columns
//!   `x·W[rows]ᵀ + b[rows]` and the activation, then an all-gather so every
//!   worker has the layer's whole output;
//! - the last layer (its outputs are the classes, too few to split) is
//!   computed whole by every worker, so every worker has the same logits,
//!   loss and gradient without talking;
//! - backward, for each split layer: the gradient of its own rows
//!   (`δ[:, rows]ᵀ·x`, nothing to add up: no other worker has those rows)
//!   and its share `δ[:, rows]·W[rows]` of the gradient of the layer below,
//!   summed over the workers by an all-reduce (in rank order, so every
//!   worker gets the same bits);
//! - each worker's optimiser updates its own rows (and the last layer, the
//!   same way on every worker). Every optimiser here is element-wise, so a
//!   slice updated alone moves exactly as it would inside the whole.
//!
//! The result is the lecture's step — batch 64, one gradient, one update —
//! equal to one worker's up to float rounding (the reductions group the sums
//! differently; `tests/sharded_training.rs` checks the weights after 100
//! steps). Worker 0 (the [`Trainer`](super::Trainer)) holds the whole
//! network; the others' rows reach it when it asks ([`Team::collect`]).
//!
//! - [`Shard`]: which rows of each layer a worker owns;
//! - [`Exchange`]: the all-gather and all-reduce between workers;
//! - [`ShardedStep`]: one worker's part of a step;
//! - [`Team`]: what worker 0 sees of the others; [`Follower`] is a worker
//!   that is not worker 0;
//! - [`FlatState`]: the optimiser's state moving between one worker and a
//!   team, so a run can change from one to the other between two steps;
//! - [`threads`]: a team of native threads (tests, and the CLI);
//! - [`Calibration`]: is the team faster than one worker on this machine?

mod calibration;
mod exchange;
mod follower;
mod shard;
mod sharded_step;
mod state;
mod team;
#[cfg(not(target_arch = "wasm32"))]
pub mod threads;

pub use calibration::{Calibration, MIN_GAIN};
pub use exchange::{Alone, Exchange};
pub use follower::Follower;
pub use shard::{flat_offsets, Piece, Shard};
pub use sharded_step::{PhaseTimes, ShardedStep};
pub use state::{own_state_pieces, FlatState, StateSink};
pub use team::{read_piece, slot_mut, write_flat, Team};
