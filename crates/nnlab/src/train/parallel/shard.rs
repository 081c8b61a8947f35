//! How each layer is split between the workers of a team: by its outputs
//! (each worker owns some rows of the weight matrix) or by its inputs (each
//! worker owns some columns), alternating so that a layer split by outputs
//! hands the next layer exactly the input columns each worker owns.

use std::ops::Range;

use crate::nn::MlpSpec;

/// Range boundaries are multiples of this (one SIMD128 vector of floats),
/// and no worker gets fewer than [`MIN_ROWS`]. Not the kernels' whole
/// register tile (16 columns on wasm SIMD128): 100 rows on four workers
/// would then be 32, 16, 32, 20 — the slowest doing twice the fastest's
/// work, and every exchange waits for the slowest.
const ALIGN: usize = 4;
/// A layer is split only if every worker gets at least this many rows (or
/// columns).
const MIN_ROWS: usize = 16;

/// How one layer's work is shared by the team (see the [module docs](super)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Split {
    /// Every worker computes the layer whole: the last layer when its input
    /// is whole (one row per class, too few to split), or a layer too narrow.
    Whole,
    /// Worker q owns the output rows `ranges[q]` of the weight and bias: from
    /// the whole input it computes its columns of the output, which only the
    /// next layer (split by the same [`Split::Inputs`]) reads.
    Outputs(Vec<Range<usize>>),
    /// Worker q owns the input columns `ranges[q]` of the weight (every
    /// worker keeps the bias whole): it multiplies its columns of the input
    /// by them, and the team adds the parts up (an all-reduce) into the
    /// whole output.
    Inputs(Vec<Range<usize>>),
}

impl Split {
    /// The ranges of every worker in rank order, if the layer is split.
    pub fn ranges(&self) -> Option<&[Range<usize>]> {
        match self {
            Split::Whole => None,
            Split::Outputs(ranges) | Split::Inputs(ranges) => Some(ranges),
        }
    }
}

/// How every layer is split, seen by worker `rank` of a team of `size`.
///
/// The first layer is split by its inputs: each worker reads only its
/// columns of the images and of the first weight matrix, the largest reads
/// of a step (split by outputs, every worker read every image whole). Then
/// by outputs and by inputs in turn, the pair exchanging once each way
/// (Megatron-LM's MLP split); the last layer, one row per class, is computed
/// whole when its input is whole. A layer too narrow to give every worker
/// [`MIN_ROWS`] is not split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    rank: usize,
    size: usize,
    splits: Vec<Split>,
}

impl Shard {
    /// Worker `rank`'s shard of a network of `spec` trained by `size`
    /// workers (`size` ≥ 1, `rank` < `size`; out-of-range values are clamped).
    pub fn new(spec: &MlpSpec, rank: usize, size: usize) -> Shard {
        let size = size.max(1);
        let last = spec.layers.len().saturating_sub(1);
        let wide = |n: usize| size > 1 && n >= size * MIN_ROWS;
        let mut splits = Vec::with_capacity(spec.layers.len());
        for (l, (ins, outs)) in spec.layer_sizes().enumerate() {
            let split = match splits.last() {
                // Its input is split: the columns each worker computed.
                Some(Split::Outputs(ranges)) => Split::Inputs(ranges.clone()),
                _ if l == 0 && wide(ins) => Split::Inputs(split(ins, size)),
                _ if l < last && wide(outs) => Split::Outputs(split(outs, size)),
                _ => Split::Whole,
            };
            splits.push(split);
        }
        Shard {
            rank: rank.min(size - 1),
            size,
            splits,
        }
    }

    /// This worker's place in the team, from 0.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// Workers in the team.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Layers of the network.
    pub fn layers(&self) -> usize {
        self.splits.len()
    }

    /// How layer `l` is split ([`Split::Whole`] past the last layer).
    pub fn split(&self, l: usize) -> &Split {
        self.splits.get(l).unwrap_or(&Split::Whole)
    }

    /// This worker's range of layer `l` (its rows or its columns), if the
    /// layer is split.
    pub fn own(&self, l: usize) -> Option<Range<usize>> {
        self.split(l).ranges().map(|r| r[self.rank].clone())
    }

    /// The runs of parameter `slot`'s values (2l weight `[out, in]`, 2l + 1
    /// bias) this worker alone updates, in order, or `None` if every worker
    /// keeps the slot whole. Its optimiser's state of the slot is these
    /// runs one after the other.
    pub fn own_runs(&self, slot: usize, spec: &MlpSpec) -> Option<Vec<Range<usize>>> {
        let mut runs = self
            .pieces(self.rank, spec)
            .into_iter()
            .filter(|p| p.slot == slot)
            .map(|p| p.within)
            .peekable();
        runs.peek().is_some().then(|| runs.collect())
    }
}

/// A run of parameters one worker alone keeps current: values `within` of
/// parameter `slot` (2l: the weight of layer l, row-major `[out, in]`;
/// 2l + 1: its bias), which sit at `flat` when every parameter is laid out
/// one after the other in slot order (see [`flat_offsets`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The parameter.
    pub slot: usize,
    /// Its values.
    pub within: Range<usize>,
    /// Where they sit in the flat layout.
    pub flat: Range<usize>,
}

impl Shard {
    /// The parameters worker `rank` alone keeps current in a network of
    /// `spec`, in slot order and, within a slot, in the order of its values:
    /// its rows of the weight and bias of a layer split by outputs (one run
    /// each), one run per row of its columns of a layer split by inputs.
    pub fn pieces(&self, rank: usize, spec: &MlpSpec) -> Vec<Piece> {
        let offsets = flat_offsets(spec);
        let mut pieces = Vec::new();
        let mut push = |slot: usize, within: Range<usize>| {
            let at = offsets[slot];
            pieces.push(Piece {
                slot,
                flat: at + within.start..at + within.end,
                within,
            });
        };
        for (l, (ins, outs)) in spec.layer_sizes().enumerate() {
            match self.split(l) {
                Split::Whole => {}
                Split::Outputs(ranges) => {
                    let rows = ranges[rank].clone();
                    push(2 * l, rows.start * ins..rows.end * ins);
                    push(2 * l + 1, rows);
                }
                Split::Inputs(ranges) => {
                    let cols = &ranges[rank];
                    for row in 0..outs {
                        push(2 * l, row * ins + cols.start..row * ins + cols.end);
                    }
                }
            }
        }
        pieces
    }
}

/// Where each parameter starts when all are laid out one after the other in
/// slot order (weight 0, bias 0, weight 1, …), the way they cross between
/// workers; one more entry at the end: the total.
pub fn flat_offsets(spec: &MlpSpec) -> Vec<usize> {
    let mut at = 0;
    let mut offsets = vec![0];
    for (ins, outs) in spec.layer_sizes() {
        for len in [outs * ins, outs] {
            at += len;
            offsets.push(at);
        }
    }
    offsets
}

/// `outs` rows (or columns) in `size` contiguous ranges of about equal
/// shares, inner boundaries rounded down to multiples of [`ALIGN`], each at
/// least [`MIN_ROWS`] long: what does not divide evenly goes to the last
/// workers.
fn split(outs: usize, size: usize) -> Vec<Range<usize>> {
    let boundary = |q: usize| {
        (outs * q / size / ALIGN * ALIGN).clamp(q * MIN_ROWS, outs - (size - q) * MIN_ROWS)
    };
    (0..size)
        .map(|q| {
            let from = if q == 0 { 0 } else { boundary(q) };
            let to = if q + 1 == size { outs } else { boundary(q + 1) };
            from..to
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lecture_network_splits_inputs_outputs_inputs_and_keeps_the_last_whole() {
        let spec = MlpSpec::lecture_cifar();
        let shard = Shard::new(&spec, 1, 2);
        // 3072 → 100 → 256 → 256 → 10: the images' columns halved, then the
        // second layer's 256 rows, whose halves are the third layer's columns.
        assert_eq!(shard.split(0), &Split::Inputs(vec![0..1536, 1536..3072]));
        assert_eq!(shard.split(1), &Split::Outputs(vec![0..128, 128..256]));
        assert_eq!(shard.split(2), &Split::Inputs(vec![0..128, 128..256]));
        assert_eq!(shard.split(3), &Split::Whole, "10 classes: computed whole");
        assert_eq!(shard.own(0), Some(1536..3072));
        // Of three: thirds rounded down to multiples of 4 (1024, 2048; 85 →
        // 84, 170 → 168); the last worker gets what is left.
        let three = Shard::new(&spec, 2, 3);
        assert_eq!(three.own(0), Some(2048..3072));
        assert_eq!(
            three.split(1).ranges(),
            Some(&[0..84, 84..168, 168..256][..])
        );
        assert_eq!(three.own(2), Some(168..256));
    }

    #[test]
    fn pieces_are_rows_of_an_output_split_and_row_runs_of_an_input_split() {
        let spec = MlpSpec {
            input: 32,
            layers: vec![3, 32, 2, 2],
            ..MlpSpec::lecture_cifar()
        };
        let shard = Shard::new(&spec, 0, 2);
        // Layer 0 [3, 32] by inputs (16 + 16 columns), layer 1 [32, 3] by
        // outputs (16 + 16 rows), layer 2 [2, 32] by inputs (the same
        // halves); the last [2, 2] whole.
        assert_eq!(shard.split(0), &Split::Inputs(vec![0..16, 16..32]));
        assert_eq!(shard.split(1), &Split::Outputs(vec![0..16, 16..32]));
        assert_eq!(shard.split(2), &Split::Inputs(vec![0..16, 16..32]));
        assert_eq!(shard.split(3), &Split::Whole);
        // Weight 0 at 0..96, bias 0 at 96..99, weight 1 at 99..195, bias 1
        // at 195..227, weight 2 at 227..291, bias 2, weight 3, bias 3.
        assert_eq!(
            flat_offsets(&spec),
            vec![0, 96, 99, 195, 227, 291, 293, 297, 299]
        );
        let piece = |slot, within: Range<usize>, at: usize| Piece {
            slot,
            flat: at + within.start..at + within.end,
            within,
        };
        assert_eq!(
            shard.pieces(1, &spec),
            vec![
                // Worker 1's columns 16..32 of each of weight 0's three rows.
                piece(0, 16..32, 0),
                piece(0, 48..64, 0),
                piece(0, 80..96, 0),
                // Its rows 16..32 of weight 1 ([32, 3]) and bias 1.
                piece(2, 48..96, 99),
                piece(3, 16..32, 195),
                // Its columns of weight 2's two rows; bias 2 is kept whole.
                piece(4, 16..32, 227),
                piece(4, 48..64, 227),
            ]
        );
        assert_eq!(shard.own_runs(0, &spec), Some(vec![0..16, 32..48, 64..80]));
        assert_eq!(
            shard.own_runs(5, &spec),
            None,
            "an input split's bias is whole"
        );
        assert_eq!(shard.own_runs(6, &spec), None, "the last layer is whole");
    }

    #[test]
    fn one_worker_or_narrow_layers_are_not_split() {
        let spec = MlpSpec::lecture_cifar();
        let alone = Shard::new(&spec, 0, 1);
        assert!((0..4).all(|l| alone.split(l) == &Split::Whole));
        let spec = MlpSpec {
            input: 3,
            layers: vec![20, 40, 2],
            ..MlpSpec::lecture_cifar()
        };
        let pair = Shard::new(&spec, 0, 2);
        assert_eq!(pair.split(0), &Split::Whole, "3 inputs < 2 × 16");
        assert_eq!(pair.split(1), &Split::Outputs(vec![0..20, 20..40]));
        assert_eq!(pair.split(2), &Split::Inputs(vec![0..20, 20..40]));
    }

    #[test]
    fn every_split_covers_every_row_once_and_leaves_no_worker_empty() {
        for outs in 32..300 {
            for size in 2..=4 {
                if outs < size * MIN_ROWS {
                    continue;
                }
                let rows = split(outs, size);
                assert_eq!(rows.first().unwrap().start, 0);
                assert_eq!(rows.last().unwrap().end, outs);
                for pair in rows.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start, "{outs} rows on {size}");
                }
                assert!(
                    rows.iter().all(|r| r.len() >= ALIGN),
                    "{outs} on {size}: {rows:?}"
                );
            }
        }
    }

    #[test]
    fn the_workers_pieces_cover_every_split_parameter_once() {
        let spec = MlpSpec::lecture_cifar();
        for size in 2..=4 {
            let shard = Shard::new(&spec, 0, size);
            let mut covered = vec![0u8; spec.param_count()];
            for rank in 0..size {
                for piece in shard.pieces(rank, &spec) {
                    covered[piece.flat].iter_mut().for_each(|c| *c += 1);
                }
            }
            let offsets = flat_offsets(&spec);
            for slot in 0..2 * spec.layers.len() {
                let shared = shard.own_runs(slot, &spec).is_none();
                let want = if shared { 0 } else { 1 };
                let values = &covered[offsets[slot]..offsets[slot + 1]];
                assert!(values.iter().all(|&c| c == want), "slot {slot} on {size}");
            }
        }
    }
}
