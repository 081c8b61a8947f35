//! Pixel-space helpers: clipping paths to the plot rectangle and a bitmap element.

use plotters::element::{Drawable, PointCollection};
use plotters_backend::{BackendCoord, DrawingBackend, DrawingErrorKind};

/// An axis-aligned rectangle in fractional pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub fn from_plot((l, t, r, b): (i32, i32, i32, i32)) -> Rect {
        Rect {
            left: l as f64,
            top: t as f64,
            right: r as f64,
            bottom: b as f64,
        }
    }

    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.left && x <= self.right && y >= self.top && y <= self.bottom
    }
}

/// The part of segment p→q inside `rect` (Liang–Barsky), or None.
pub(crate) fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    rect: Rect,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (denom, dist) in [
        (-dx, p.0 - rect.left),
        (dx, rect.right - p.0),
        (-dy, p.1 - rect.top),
        (dy, rect.bottom - p.1),
    ] {
        if denom == 0.0 {
            if dist < 0.0 {
                return None; // parallel to this edge and outside it
            }
        } else {
            let t = dist / denom;
            if denom < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some({
        (
            (p.0 + t0 * dx, p.1 + t0 * dy),
            (p.0 + t1 * dx, p.1 + t1 * dy),
        )
    })
}

/// Splits a pixel path into the visible polylines inside `rect`: a non-finite point
/// ends a run, and so does leaving the rectangle. Repeated pixels are dropped.
pub(crate) fn clip_path(points: &[(f64, f64)], rect: Rect) -> Vec<Vec<(i32, i32)>> {
    let mut runs: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::new();
    let round = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let finite = p.0.is_finite() && p.1.is_finite() && q.0.is_finite() && q.1.is_finite();
        let clipped = if finite {
            clip_segment(p, q, rect)
        } else {
            None
        };
        match clipped {
            Some((a, b)) => {
                let (a, b) = (round(a), round(b));
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        runs.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                // Steps that land on the same pixel add nothing but length to the path
                // (a million-step run stays a few thousand vertices).
                if current.last() != Some(&b) {
                    current.push(b);
                }
            }
            None => {
                if current.len() > 1 {
                    runs.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        runs.push(current);
    }
    runs
}

/// Splits a polyline where it turns back on itself by more than 120°. plotters draws
/// thick polylines with mitred joins, and a mitre at a near-reversal (momentum
/// overshooting, a zig-zag) shoots out as a long spike; separate pieces have no join.
pub(crate) fn split_at_sharp_turns(run: Vec<(i32, i32)>) -> Vec<Vec<(i32, i32)>> {
    let mut pieces = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::with_capacity(run.len());
    for (i, &p) in run.iter().enumerate() {
        current.push(p);
        if i == 0 || i + 1 == run.len() {
            continue;
        }
        let (a, b) = (run[i - 1], run[i + 1]);
        let v1 = ((p.0 - a.0) as f64, (p.1 - a.1) as f64);
        let v2 = ((b.0 - p.0) as f64, (b.1 - p.1) as f64);
        let dot = v1.0 * v2.0 + v1.1 * v2.1;
        // cos(turn) < −½ ⇔ the direction changes by more than 120°.
        if dot < -0.5 * v1.0.hypot(v1.1) * v2.0.hypot(v2.1) {
            pieces.push(std::mem::replace(&mut current, vec![p]));
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// An RGB image blitted at a pixel position: one backend call, however big.
pub(crate) struct RgbImage {
    pub pos: BackendCoord,
    pub size: (u32, u32),
    pub rgb: Vec<u8>,
}

impl<'a> PointCollection<'a, BackendCoord> for &'a RgbImage {
    type Point = &'a BackendCoord;
    type IntoIter = std::iter::Once<&'a BackendCoord>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.pos)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for RgbImage {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _parent_dim: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match points.next() {
            Some(pos) => backend.blit_bitmap(pos, self.size, &self.rgb),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: Rect = Rect {
        left: 0.0,
        top: 0.0,
        right: 100.0,
        bottom: 50.0,
    };

    #[test]
    fn segments_are_cut_at_the_edges() {
        // Inside: unchanged.
        assert_eq!(
            clip_segment((10.0, 10.0), (20.0, 30.0), R),
            Some(((10.0, 10.0), (20.0, 30.0)))
        );
        // Horizontal line y = 25 from x = −50 to 150 → cut to x ∈ [0, 100].
        assert_eq!(
            clip_segment((-50.0, 25.0), (150.0, 25.0), R),
            Some(((0.0, 25.0), (100.0, 25.0)))
        );
        // Diagonal (−10, −10)→(60, 60): enters at (0, 0), leaves through the bottom at (50, 50).
        assert_eq!(
            clip_segment((-10.0, -10.0), (60.0, 60.0), R),
            Some(((0.0, 0.0), (50.0, 50.0)))
        );
        // Entirely outside.
        assert_eq!(clip_segment((-10.0, 60.0), (200.0, 60.0), R), None);
        assert_eq!(clip_segment((120.0, 0.0), (130.0, 40.0), R), None);
    }

    #[test]
    fn paths_break_at_nan_and_at_excursions() {
        let pts = [
            (10.0, 10.0),
            (20.0, 10.0),
            (30.0, 10.0),
            (30.0, 500.0), // leaves through the bottom at (30, 50)
            (40.0, 10.0),  // re-enters at about (39.1, 50)
            (50.0, 10.0),
            (f64::NAN, 3.0),
            (60.0, 10.0),
            (70.0, 10.0),
        ];
        let runs = clip_path(&pts, R);
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0], vec![(10, 10), (20, 10), (30, 10), (30, 50)]);
        assert_eq!(runs[1], vec![(39, 50), (40, 10), (50, 10)]);
        assert_eq!(runs[2], vec![(60, 10), (70, 10)]);
    }

    #[test]
    fn reversals_split_the_line_and_gentle_turns_do_not() {
        // Right, then a 90° turn down (kept), then back up (a 180° reversal: split there).
        let run = vec![(0, 0), (10, 0), (10, 10), (10, 2)];
        assert_eq!(
            split_at_sharp_turns(run),
            vec![vec![(0, 0), (10, 0), (10, 10)], vec![(10, 10), (10, 2)]]
        );
        // A straight line stays whole.
        assert_eq!(
            split_at_sharp_turns(vec![(0, 0), (5, 5), (9, 9)]),
            vec![vec![(0, 0), (5, 5), (9, 9)]]
        );
    }

    #[test]
    fn steps_within_one_pixel_collapse() {
        // 1001 points creeping from x = 10 to x = 11: after rounding only 10 and 11 remain.
        let pts: Vec<(f64, f64)> = (0..=1000)
            .map(|k| (10.0 + k as f64 / 1000.0, 20.0))
            .collect();
        assert_eq!(clip_path(&pts, R), vec![vec![(10, 20), (11, 20)]]);
    }
}
