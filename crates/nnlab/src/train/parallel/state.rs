//! Moving the optimiser's state between one worker and a team, so that a run
//! can change from one to the other between two steps and go on exactly as
//! if it had not (the page re-measures during a run which is faster).
//!
//! On a team each worker's optimiser keeps the state of its own rows only
//! (see the [module docs](super)). Leaving the team, worker 0 gathers the
//! others' rows of every state vector ([`Team::collect_state`](super::Team::collect_state))
//! and [`merges`](FlatState::merge_into) them with its own; joining, it hands
//! the whole state over ([`Team::share_state`](super::Team::share_state)) and
//! every worker [keeps its part](FlatState::keep_own).

use std::ops::Range;

use super::shard::{flat_offsets, Shard};
use crate::error::{Error, Result};
use crate::nn::MlpSpec;
use crate::optim::{Optimizer, OptimizerKind, SlotState};

/// An optimiser's state of a whole network, laid out flat the way
/// parameters cross between workers ([`flat_offsets`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlatState {
    /// The state vectors ([`OptimizerKind::state_vectors`] of them; Adam:
    /// `m`, then `v`), each one value per parameter.
    pub vectors: Vec<Vec<f32>>,
    /// Per slot: its step count, or `None` before its first update.
    pub steps: Vec<Option<u32>>,
}

impl FlatState {
    /// Zeros for the state of optimiser `kind` on a network of `spec`, no
    /// slot updated yet.
    pub fn empty(spec: &MlpSpec, kind: OptimizerKind) -> FlatState {
        FlatState {
            vectors: vec![vec![0.0; spec.param_count()]; kind.state_vectors()],
            steps: vec![None; 2 * spec.layers.len()],
        }
    }

    /// The state of `opt`, which keeps every parameter of `spec` whole (a
    /// worker training alone).
    pub fn whole(opt: &dyn Optimizer<f32>, spec: &MlpSpec) -> Result<FlatState> {
        let mut state = FlatState::empty(spec, opt.kind());
        let offsets = flat_offsets(spec);
        for (slot, steps) in state.steps.iter_mut().enumerate() {
            let Some(slot_state) = opt.slot_state(slot) else {
                continue;
            };
            let at = offsets[slot]..offsets[slot + 1];
            for (flat, vector) in state.vectors.iter_mut().zip(&slot_state.vectors) {
                fits(vector.len(), at.len())?;
                flat[at.clone()].copy_from_slice(vector);
            }
            *steps = Some(slot_state.steps);
        }
        Ok(state)
    }

    /// True if no slot has been updated yet (a fresh optimiser).
    pub fn is_fresh(&self) -> bool {
        self.steps.iter().all(Option::is_none)
    }

    /// Makes `opt`'s state the part of this one that `shard`'s worker
    /// updates ([`Shard::own_runs`]): its runs of the split layers one after
    /// the other, the whole of the slots every worker keeps whole.
    pub fn keep_own(
        &self,
        opt: &mut dyn Optimizer<f32>,
        shard: &Shard,
        spec: &MlpSpec,
    ) -> Result<()> {
        let offsets = flat_offsets(spec);
        for (slot, &steps) in self.steps.iter().enumerate() {
            let whole = offsets[slot]..offsets[slot + 1];
            let runs = shard
                .own_runs(slot, spec)
                .unwrap_or_else(|| std::iter::once(0..whole.len()).collect());
            let state = steps.map(|steps| SlotState {
                vectors: self
                    .vectors
                    .iter()
                    .map(|v| {
                        let slot_values = &v[whole.clone()];
                        runs.iter()
                            .flat_map(|run| &slot_values[run.clone()])
                            .copied()
                            .collect()
                    })
                    .collect(),
                steps,
            });
            opt.set_slot_state(slot, state)?;
        }
        Ok(())
    }

    /// Worker 0 leaving the team: its `opt` kept its own runs' state (split
    /// as `shard`); this holds the others' ([`own_state_pieces`]).
    /// Afterwards `opt` keeps every parameter whole, as if it had trained alone.
    pub fn merge_into(
        &self,
        opt: &mut dyn Optimizer<f32>,
        shard: &Shard,
        spec: &MlpSpec,
    ) -> Result<()> {
        let offsets = flat_offsets(spec);
        for slot in 0..self.steps.len() {
            let (Some(own), Some(runs)) = (opt.slot_state(slot), shard.own_runs(slot, spec)) else {
                // Not updated yet, or a slot every worker kept whole.
                continue;
            };
            let vectors = self
                .vectors
                .iter()
                .zip(own.vectors)
                .map(|(flat, part)| {
                    fits(part.len(), runs.iter().map(Range::len).sum())?;
                    let mut whole = flat[offsets[slot]..offsets[slot + 1]].to_vec();
                    let mut at = 0;
                    for run in &runs {
                        whole[run.clone()].copy_from_slice(&part[at..at + run.len()]);
                        at += run.len();
                    }
                    Ok(whole)
                })
                .collect::<Result<Vec<_>>>()?;
            let steps = own.steps;
            opt.set_slot_state(slot, Some(SlotState { vectors, steps }))?;
        }
        Ok(())
    }
}

/// Takes runs of optimiser state: which state vector, where the run sits
/// in the flat layout, and the values.
pub type StateSink<'a> = dyn FnMut(usize, Range<usize>, &[f32]) + 'a;

/// Hands each run of the state of the rows `shard`'s worker alone keeps
/// current (its [`Shard::pieces`]) in its `opt` to `sink`: which state
/// vector, where the run sits in the flat layout, and the values — a
/// worker's answer to [`Team::collect_state`](super::Team::collect_state).
pub fn own_state_pieces(
    opt: &dyn Optimizer<f32>,
    shard: &Shard,
    spec: &MlpSpec,
    sink: &mut StateSink,
) -> Result<()> {
    let pieces = shard.pieces(shard.rank(), spec);
    for slot_pieces in pieces.chunk_by(|a, b| a.slot == b.slot) {
        let Some(state) = opt.slot_state(slot_pieces[0].slot) else {
            continue;
        };
        let own: usize = slot_pieces.iter().map(|p| p.within.len()).sum();
        for (i, vector) in state.vectors.iter().enumerate() {
            fits(vector.len(), own)?;
            // The slot's state is its pieces one after the other.
            let mut at = 0;
            for piece in slot_pieces {
                sink(i, piece.flat.clone(), &vector[at..at + piece.within.len()]);
                at += piece.within.len();
            }
        }
    }
    Ok(())
}

/// A slot's state must be as long as the values it belongs to.
fn fits(len: usize, expected: usize) -> Result<()> {
    if len == expected {
        Ok(())
    } else {
        Err(Error::InvalidData(format!(
            "optimiser state of {len} values for {expected} parameters: the team changed under it"
        )))
    }
}
