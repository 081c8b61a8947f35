//! The Depth lesson's arithmetic, free of browser types: which test image is
//! probed, how a 2-D cloud maps onto a square plot, how well the classes
//! separate in it, and a layer's activations summarised for the page.

use crate::lessons::{LessonModel, LinkState};

/// Test images offered as thumbnails to probe (the first ones of the test
/// set, so each is also a point of every cloud, which holds the first 300).
pub const PROBE_CHOICES: usize = 16;

/// Which image the page wants probed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// Index of the probed image in the test set (below [`PROBE_CHOICES`]).
    pub selected: usize,
    /// Bumped when the selection changes.
    pub revision: u64,
}

impl Model {
    /// Probes the test image `index`.
    pub fn select(&mut self, index: usize) {
        if self.selected != index {
            self.selected = index;
            self.revision += 1;
        }
    }
}

/// Maps cloud points into a square plot of `size` pixels with a `margin`,
/// keeping the aspect (one unit is as long on both axes, so a cloud is
/// not stretched) and centring the points' bounding box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScatterFrame {
    centre: (f32, f32),
    scale: f64,
    size: f64,
}

impl ScatterFrame {
    /// The frame for `points` (non-finite points are ignored; a single point
    /// or no point at all sits in the middle).
    pub fn fit(points: &[[f32; 2]], size: f64, margin: f64) -> ScatterFrame {
        let finite = points
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite());
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in finite {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        if lo[0] > hi[0] {
            return ScatterFrame {
                centre: (0.0, 0.0),
                scale: 1.0,
                size,
            };
        }
        let span = (hi[0] - lo[0]).max(hi[1] - lo[1]);
        let inner = (size - 2.0 * margin).max(1.0);
        ScatterFrame {
            centre: ((lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0),
            scale: if span > 0.0 {
                inner / f64::from(span)
            } else {
                1.0
            },
            size,
        }
    }

    /// Pixel position of `p` (y grows downwards on the canvas, upwards in the plot).
    pub fn to_pixel(&self, p: [f32; 2]) -> (f64, f64) {
        let mid = self.size / 2.0;
        (
            mid + f64::from(p[0] - self.centre.0) * self.scale,
            mid - f64::from(p[1] - self.centre.1) * self.scale,
        )
    }
}

/// How much of the cloud's spread lies *between* the class centres: the
/// between-class sum of squares over the total sum of squares (the
/// correlation ratio η²). 0 when the classes are mixed evenly (every class
/// centre at the overall centre), 1 when each class is a single point. The
/// page shows it under each layer's picture: the lecture's "purity".
/// `None` without at least two finite points with labels.
pub fn class_separation(points: &[[f32; 2]], labels: &[u8]) -> Option<f64> {
    let pairs: Vec<([f64; 2], usize)> = points
        .iter()
        .zip(labels)
        .filter(|(p, _)| p[0].is_finite() && p[1].is_finite())
        .map(|(p, &l)| ([f64::from(p[0]), f64::from(p[1])], usize::from(l)))
        .collect();
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mean = [0, 1].map(|k| pairs.iter().map(|(p, _)| p[k]).sum::<f64>() / n);
    let classes = pairs.iter().map(|&(_, l)| l).max().unwrap_or(0) + 1;
    let mut sums = vec![[0.0f64; 2]; classes];
    let mut counts = vec![0usize; classes];
    let mut total = 0.0;
    for &(p, l) in &pairs {
        sums[l][0] += p[0];
        sums[l][1] += p[1];
        counts[l] += 1;
        total += (p[0] - mean[0]).powi(2) + (p[1] - mean[1]).powi(2);
    }
    if total <= 0.0 {
        return None;
    }
    let between: f64 = sums
        .iter()
        .zip(&counts)
        .filter(|(_, &c)| c > 0)
        .map(|(s, &c)| {
            let c = c as f64;
            c * ((s[0] / c - mean[0]).powi(2) + (s[1] / c - mean[1]).powi(2))
        })
        .sum();
    Some((between / total).clamp(0.0, 1.0))
}

/// A layer's activations in a few numbers for its caption.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActivationSummary {
    /// Number of values in the layer.
    pub units: usize,
    /// Units that are exactly 0 (switched off by the ReLU).
    pub zeros: usize,
    /// Largest finite value (0 for none).
    pub max: f32,
}

impl ActivationSummary {
    /// The summary of one layer's `values`.
    pub fn of(values: &[f32]) -> ActivationSummary {
        ActivationSummary {
            units: values.len(),
            zeros: values.iter().filter(|&&v| v == 0.0).count(),
            max: values
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(0.0, f32::max),
        }
    }
}

/// The class with the highest probability (lowest class on ties), if any.
pub fn predicted(probabilities: &[f32]) -> Option<usize> {
    probabilities
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_finite())
        .fold(None, |best: Option<(usize, f32)>, (c, &p)| match best {
            Some((_, bp)) if bp >= p => best,
            _ => Some((c, p)),
        })
        .map(|(c, _)| c)
}

/// The probe is picked with the mouse; what it shows comes from the training Worker.
impl LessonModel for Model {}

impl LinkState for Model {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_keeps_the_aspect_and_centres_the_box() {
        // Points span x ∈ [0, 4], y ∈ [0, 2]: the longer side (4) fills
        // 100 − 2·10 = 80 px → 20 px per unit; the centre (2, 1) is at (50, 50).
        let frame = ScatterFrame::fit(&[[0.0, 0.0], [4.0, 2.0], [f32::NAN, 1.0]], 100.0, 10.0);
        assert_eq!(frame.to_pixel([2.0, 1.0]), (50.0, 50.0));
        assert_eq!(frame.to_pixel([0.0, 0.0]), (10.0, 70.0));
        assert_eq!(frame.to_pixel([4.0, 2.0]), (90.0, 30.0));
        // Nothing finite: the middle, no division by zero.
        let empty = ScatterFrame::fit(&[[f32::NAN, 0.0]], 100.0, 10.0);
        assert_eq!(empty.to_pixel([0.0, 0.0]), (50.0, 50.0));
    }

    #[test]
    fn separation_is_the_between_class_share_of_the_spread() {
        // Class 0 at (−1, 0) twice, class 1 at (1, 0) twice: all the spread
        // is between the classes → 1.
        let points = [[-1.0, 0.0], [-1.0, 0.0], [1.0, 0.0], [1.0, 0.0]];
        assert_eq!(class_separation(&points, &[0, 0, 1, 1]), Some(1.0));
        // The same points, each class holding one −1 and one +1: both
        // centres are at 0 → 0.
        assert_eq!(class_separation(&points, &[0, 1, 0, 1]), Some(0.0));
        // Class 0: (0,0), (2,0) → centre (1,0); class 1: (4,0) alone.
        // Mean x = 2; total = 4 + 0 + 4 = 8; between = 2·(1−2)² + 1·(4−2)² = 6 → 0.75.
        let uneven = [[0.0, 0.0], [2.0, 0.0], [4.0, 0.0]];
        assert_eq!(class_separation(&uneven, &[0, 0, 1]), Some(0.75));
        assert_eq!(class_separation(&[[1.0, 1.0]], &[0]), None);
        assert_eq!(class_separation(&[[1.0, 1.0], [1.0, 1.0]], &[0, 1]), None);
    }

    #[test]
    fn summaries_and_predictions() {
        let s = ActivationSummary::of(&[0.0, 2.5, 0.0, 1.0]);
        assert_eq!((s.units, s.zeros, s.max), (4, 2, 2.5));
        assert_eq!(predicted(&[0.1, 0.6, 0.3]), Some(1));
        assert_eq!(predicted(&[0.5, 0.5]), Some(0));
        assert_eq!(predicted(&[]), None);
        let mut model = Model::default();
        model.select(3);
        model.select(3);
        assert_eq!((model.selected, model.revision), (3, 1));
    }
}
