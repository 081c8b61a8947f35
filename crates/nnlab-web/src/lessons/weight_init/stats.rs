//! Numbers that summarise a pile of weights or activations: mean, standard
//! deviation, the share of exact zeros, and a histogram over a given range.

/// Mean, standard deviation (population, as `torch.std(unbiased=False)`),
/// extremes and the share of values that are exactly 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub count: usize,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
    /// Smallest finite value (0 for none).
    pub min: f64,
    /// Largest finite value (0 for none).
    pub max: f64,
    /// Share of values that are exactly 0, in [0, 1] (dead ReLUs, zero init).
    pub zero_fraction: f64,
    /// True if some value is NaN or ±∞ (then mean and std are not finite either).
    pub has_non_finite: bool,
}

impl Summary {
    /// Two passes in `f64`, so millions of `f32` values sum without drift.
    pub fn of(values: &[f32]) -> Summary {
        let count = values.len();
        if count == 0 {
            return Summary {
                count,
                mean: 0.0,
                std: 0.0,
                min: 0.0,
                max: 0.0,
                zero_fraction: 0.0,
                has_non_finite: false,
            };
        }
        let n = count as f64;
        let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = values
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n;
        let (mut min, mut max, mut zeros, mut non_finite) =
            (f64::INFINITY, f64::NEG_INFINITY, 0, false);
        for &v in values {
            let v = f64::from(v);
            if v.is_finite() {
                min = min.min(v);
                max = max.max(v);
            } else {
                non_finite = true;
            }
            if v == 0.0 {
                zeros += 1;
            }
        }
        if min > max {
            (min, max) = (0.0, 0.0);
        }
        Summary {
            count,
            mean,
            std: var.sqrt(),
            min,
            max,
            zero_fraction: zeros as f64 / n,
            has_non_finite: non_finite,
        }
    }

    /// Where most values lie: mean ± 3 std, cut to the values' extremes.
    pub fn bulk(&self) -> (f64, f64) {
        if !(self.mean.is_finite() && self.std.is_finite()) {
            return (self.min, self.max);
        }
        (
            (self.mean - 3.0 * self.std).max(self.min),
            (self.mean + 3.0 * self.std).min(self.max),
        )
    }
}

/// One range for several histograms, so their widths compare at a glance:
/// the union of every summary's [`Summary::bulk`], widened if it is a point.
pub fn shared_range(summaries: &[Summary]) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for s in summaries.iter().filter(|s| s.count > 0) {
        let (a, b) = s.bulk();
        lo = lo.min(a);
        hi = hi.max(b);
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return (-1.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1e-30) {
        let pad = (hi.abs() * 0.5).max(1e-3);
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

/// Counts of values in equal bins over `[lo, hi]`. Exact zeros are not
/// binned (they are reported by [`Summary::zero_fraction`]; for ReLU they
/// are half the values and would flatten every other bar). Values outside
/// the range are counted apart, never silently dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// Lower end of the range.
    pub lo: f64,
    /// Upper end of the range.
    pub hi: f64,
    /// Values per bin, low to high.
    pub counts: Vec<u32>,
    /// Values below `lo`.
    pub below: u32,
    /// Values above `hi`.
    pub above: u32,
}

impl Histogram {
    /// `bins` ≥ 1 bins over `[lo, hi]` (`lo < hi`); NaNs are skipped.
    pub fn new(values: &[f32], lo: f64, hi: f64, bins: usize) -> Histogram {
        let bins = bins.max(1);
        let mut h = Histogram {
            lo,
            hi,
            counts: vec![0; bins],
            below: 0,
            above: 0,
        };
        let width = (hi - lo) / bins as f64;
        for &v in values {
            let v = f64::from(v);
            if v == 0.0 || v.is_nan() {
                continue;
            }
            if v < lo {
                h.below += 1;
            } else if v > hi {
                h.above += 1;
            } else {
                let bin = (((v - lo) / width) as usize).min(bins - 1);
                h.counts[bin] += 1;
            }
        }
        h
    }

    /// The tallest bar (0 for an empty histogram).
    pub fn peak(&self) -> u32 {
        self.counts.iter().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_by_hand() {
        // Values 0, 0, 1, 3: mean 1, deviations −1 −1 0 2 → variance (1+1+0+4)/4 = 1.5.
        let s = Summary::of(&[0.0, 0.0, 1.0, 3.0]);
        assert_eq!(s.count, 4);
        assert_eq!(s.mean, 1.0);
        assert!((s.std - 1.5f64.sqrt()).abs() < 1e-12);
        assert_eq!((s.min, s.max), (0.0, 3.0));
        assert_eq!(s.zero_fraction, 0.5);
        assert!(!s.has_non_finite);
        assert!(Summary::of(&[1.0, f32::NAN]).has_non_finite);
    }

    #[test]
    fn histogram_bins_skip_zeros_and_count_outsiders() {
        // Range [−1, 1] in 4 bins of width 0.5: −0.9 → bin 0, 0.1 and 0.4 → bin 2, 1.0 → last bin.
        let h = Histogram::new(&[-0.9, 0.0, 0.1, 0.4, 1.0, 5.0, -2.0], -1.0, 1.0, 4);
        assert_eq!(h.counts, vec![1, 0, 2, 1]);
        assert_eq!((h.below, h.above), (1, 1));
        assert_eq!(h.peak(), 2);
    }

    #[test]
    fn shared_range_covers_every_bulk_and_widens_a_point() {
        let a = Summary::of(&[0.0, 1.0]); // mean 0.5, std 0.5 → bulk cut to [0, 1]
        let b = Summary::of(&[-4.0, -2.0]); // mean −3, std 1 → bulk [−4, −2]
        assert_eq!(shared_range(&[a, b]), (-4.0, 1.0));
        let zeros = Summary::of(&[0.0; 8]);
        let (lo, hi) = shared_range(&[zeros]);
        assert!(lo < 0.0 && hi > 0.0);
    }
}
