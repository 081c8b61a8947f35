//! Which rows (output units) of each layer a worker owns.

use std::ops::Range;

use crate::nn::MlpSpec;

/// Row boundaries are multiples of this (one SIMD128 vector of floats), and
/// no worker gets fewer rows than [`MIN_ROWS`]. Not the kernels' whole
/// register tile (16 columns on wasm SIMD128): 100 rows on four workers
/// would then be 32, 16, 32, 20 — the slowest doing twice the fastest's
/// work, and every exchange waits for the slowest.
const ALIGN: usize = 4;
/// A layer is split only if every worker gets at least this many rows.
const MIN_ROWS: usize = 16;

/// The rows of every layer owned by worker `rank` of a team of `size`.
///
/// A hidden layer is split into `size` contiguous row ranges of about equal
/// size; the last layer (one row per class) is not split: every worker
/// computes it whole (see the [module docs](super)). A layer too narrow to
/// give every worker [`MIN_ROWS`] rows is not split either.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    rank: usize,
    size: usize,
    /// Per layer: the row ranges of every worker in rank order, or `None`
    /// when every worker computes the layer whole.
    splits: Vec<Option<Vec<Range<usize>>>>,
}

impl Shard {
    /// Worker `rank`'s shard of a network of `spec` trained by `size`
    /// workers (`size` ≥ 1, `rank` < `size`; out-of-range values are clamped).
    pub fn new(spec: &MlpSpec, rank: usize, size: usize) -> Shard {
        let size = size.max(1);
        let last = spec.layers.len().saturating_sub(1);
        let splits = spec
            .layers
            .iter()
            .enumerate()
            .map(|(l, &outs)| {
                (l < last && size > 1 && outs >= size * MIN_ROWS).then(|| split(outs, size))
            })
            .collect();
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

    /// The row ranges of layer `l` of every worker, or `None` if every
    /// worker computes it whole.
    pub fn split(&self, l: usize) -> Option<&[Range<usize>]> {
        self.splits.get(l)?.as_deref()
    }

    /// This worker's rows of layer `l`, if the layer is split.
    pub fn own_rows(&self, l: usize) -> Option<Range<usize>> {
        self.split(l).map(|rows| rows[self.rank].clone())
    }

    /// The values of parameter `slot` (2l weight `[out, in]`, 2l + 1 bias) of
    /// a network of `spec` that this worker updates: its rows of a split
    /// layer, all of a layer every worker computes whole.
    pub fn own_within(&self, slot: usize, spec: &MlpSpec) -> Range<usize> {
        let l = slot / 2;
        let (ins, outs) = spec.layer_sizes().nth(l).unwrap_or((0, 0));
        let rows = self.own_rows(l).unwrap_or(0..outs);
        match slot % 2 {
            0 => rows.start * ins..rows.end * ins,
            _ => rows,
        }
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
    /// The parameters worker `rank` alone keeps current (its rows of each
    /// split layer's weight and bias) in a network of `spec`.
    pub fn pieces(&self, rank: usize, spec: &MlpSpec) -> Vec<Piece> {
        let offsets = flat_offsets(spec);
        let mut pieces = Vec::new();
        for (l, (ins, _)) in spec.layer_sizes().enumerate() {
            let Some(rows) = self.split(l).and_then(|rows| rows.get(rank)) else {
                continue;
            };
            for (slot, within) in [
                (2 * l, rows.start * ins..rows.end * ins),
                (2 * l + 1, rows.clone()),
            ] {
                let at = offsets[slot];
                pieces.push(Piece {
                    slot,
                    flat: at + within.start..at + within.end,
                    within,
                });
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

/// `outs` rows in `size` contiguous ranges of about equal shares, inner
/// boundaries rounded down to multiples of [`ALIGN`], each at least
/// [`MIN_ROWS`] long: what does not divide evenly goes to the last workers,
/// and worker 0 gets the least (48 of the first layer's 100 rows on two).
///
/// Worker 0 also takes each next batch from the data set, inside the step
/// ([`Trainer`](crate::train::Trainer)'s `stage_next`, about 0.2 ms in the
/// page), where the others compute their first-layer gradients: with fewer
/// rows it finishes that stretch with them. Measured in the page on two Web
/// Workers, six 5 s windows each (`docs/parallel-training.md`): 21,700
/// samples/s with 48 rows for worker 0, 20,000 with 52.
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
    fn the_lecture_network_splits_its_hidden_layers_and_keeps_the_last_whole() {
        let spec = MlpSpec::lecture_cifar();
        let shard = Shard::new(&spec, 1, 2);
        // About equal shares, boundaries rounded down to multiples of 4:
        // 50 → 48 rows of the first layer for worker 0; the others halved.
        assert_eq!(shard.split(0), Some(&[0..48, 48..100][..]));
        assert_eq!(shard.split(1), Some(&[0..128, 128..256][..]));
        assert_eq!(shard.own_rows(2), Some(128..256));
        assert_eq!(shard.split(3), None, "10 classes: computed whole");
        // Of three: thirds of 100 (33 → 32, 66 → 64) and of 256 (85 → 84,
        // 170 → 168); the last worker gets what is left.
        let three = Shard::new(&spec, 2, 3);
        assert_eq!(three.split(0), Some(&[0..32, 32..64, 64..100][..]));
        assert_eq!(three.own_rows(1), Some(168..256));
        // Of four: 25 → 24, 50 → 48, 75 → 72.
        let four = Shard::new(&spec, 0, 4);
        assert_eq!(four.split(0), Some(&[0..24, 24..48, 48..72, 72..100][..]));
    }

    #[test]
    fn pieces_are_the_rows_of_weight_and_bias_in_the_flat_layout() {
        let spec = MlpSpec {
            input: 3,
            layers: vec![32, 2],
            ..MlpSpec::lecture_cifar()
        };
        let shard = Shard::new(&spec, 0, 2);
        // Weight 0 is [32, 3] at 0..96, bias 0 at 96..128, weight 1 at 128..192, bias 1 at 192..194.
        assert_eq!(flat_offsets(&spec), vec![0, 96, 128, 192, 194]);
        let second = shard.pieces(1, &spec);
        assert_eq!(
            second,
            vec![
                Piece {
                    slot: 0,
                    within: 48..96,
                    flat: 48..96
                },
                Piece {
                    slot: 1,
                    within: 16..32,
                    flat: 112..128
                },
            ]
        );
    }

    #[test]
    fn one_worker_or_narrow_layers_are_not_split() {
        let spec = MlpSpec::lecture_cifar();
        let alone = Shard::new(&spec, 0, 1);
        assert!((0..4).all(|l| alone.split(l).is_none()));
        let spec = MlpSpec {
            input: 3,
            layers: vec![20, 40, 2],
            ..MlpSpec::lecture_cifar()
        };
        let pair = Shard::new(&spec, 0, 2);
        assert_eq!(pair.split(0), None, "20 < 2 × 16 rows");
        assert_eq!(pair.split(1), Some(&[0..20, 20..40][..]));
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
}
