//! Iso-lines (contour lines) of a [`Field`] by marching squares.
//!
//! Each grid cell is classified by which of its four corners lie above the level;
//! the line crosses the cell's edges where the linear interpolation between two
//! corners equals the level. Segments that share an edge crossing are then joined
//! into polylines, so a closed contour comes back as one closed polyline (its first
//! point repeated at the end) rather than hundreds of two-point pieces.

use crate::field::Field;

/// No segment attached (an edge crossing has at most two: one per neighbouring cell).
const NONE: usize = usize::MAX;

/// The polylines where `field` equals `level`, in world coordinates. Cells with a
/// NaN corner are skipped. Ambiguous saddle cells are resolved by the cell's mean.
pub fn iso_lines(field: &Field, level: f64) -> Vec<Vec<(f64, f64)>> {
    if !level.is_finite() {
        return Vec::new();
    }
    let grid = Grid { field, level };
    let segments = grid.segments();
    join(&segments, grid.edge_count())
        .into_iter()
        .map(|chain| chain.into_iter().map(|e| grid.crossing(e)).collect())
        .collect()
}

/// Edge numbering: horizontal edges (i, j)–(i+1, j) first, then vertical (i, j)–(i, j+1).
struct Grid<'a> {
    field: &'a Field,
    level: f64,
}

impl Grid<'_> {
    fn horizontal(&self, i: usize, j: usize) -> usize {
        j * (self.field.nx - 1) + i
    }

    fn vertical(&self, i: usize, j: usize) -> usize {
        self.field.ny * (self.field.nx - 1) + j * self.field.nx + i
    }

    fn edge_count(&self) -> usize {
        self.vertical(0, self.field.ny - 1)
    }

    /// The two corners an edge joins, as (i, j) grid indices.
    fn corners(&self, edge: usize) -> ((usize, usize), (usize, usize)) {
        let (nx, ny) = (self.field.nx, self.field.ny);
        let first_vertical = ny * (nx - 1);
        if edge < first_vertical {
            let (j, i) = (edge / (nx - 1), edge % (nx - 1));
            ((i, j), (i + 1, j))
        } else {
            let k = edge - first_vertical;
            let (j, i) = (k / nx, k % nx);
            ((i, j), (i, j + 1))
        }
    }

    /// Where the level crosses an edge, by linear interpolation between its corners.
    fn crossing(&self, edge: usize) -> (f64, f64) {
        let f = self.field;
        let ((i0, j0), (i1, j1)) = self.corners(edge);
        let (a, b) = (f.value(i0, j0), f.value(i1, j1));
        let t = (self.level - a) / (b - a);
        // An infinite corner: put the crossing at the finite end.
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else if a.is_finite() {
            0.0
        } else {
            1.0
        };
        let (x0, y0) = (f.x_at(i0), f.y_at(j0));
        let (x1, y1) = (f.x_at(i1), f.y_at(j1));
        (x0 + t * (x1 - x0), y0 + t * (y1 - y0))
    }

    /// All cell segments, each joining two edge crossings.
    fn segments(&self) -> Vec<(usize, usize)> {
        let f = self.field;
        let mut out = Vec::new();
        for j in 0..f.ny - 1 {
            for i in 0..f.nx - 1 {
                // Corners: top-left, top-right, bottom-right, bottom-left (row j is above row j + 1).
                let c = [
                    f.value(i, j),
                    f.value(i + 1, j),
                    f.value(i + 1, j + 1),
                    f.value(i, j + 1),
                ];
                if c.iter().any(|v| v.is_nan()) {
                    continue;
                }
                let above = |k: usize| c[k] > self.level;
                let case = (above(0) as u8) << 3
                    | (above(1) as u8) << 2
                    | (above(2) as u8) << 1
                    | above(3) as u8;
                let top = self.horizontal(i, j);
                let bottom = self.horizontal(i, j + 1);
                let left = self.vertical(i, j);
                let right = self.vertical(i + 1, j);
                let centre_above = (c[0] + c[1] + c[2] + c[3]) / 4.0 > self.level;
                match case {
                    1 | 14 => out.push((left, bottom)),
                    2 | 13 => out.push((bottom, right)),
                    3 | 12 => out.push((left, right)),
                    4 | 11 => out.push((top, right)),
                    6 | 9 => out.push((top, bottom)),
                    7 | 8 => out.push((top, left)),
                    // Saddles: top-right and bottom-left above (5) or the other diagonal (10).
                    // If the centre is above, the above corners connect through it and the
                    // lines cut off the two below corners; otherwise the reverse.
                    5 if centre_above => out.extend([(top, left), (bottom, right)]),
                    5 => out.extend([(top, right), (left, bottom)]),
                    10 if centre_above => out.extend([(top, right), (left, bottom)]),
                    10 => out.extend([(top, left), (bottom, right)]),
                    _ => {} // 0 and 15: all corners on one side, no line.
                }
            }
        }
        out
    }
}

/// Joins segments that share an edge crossing into chains of edge ids.
fn join(segments: &[(usize, usize)], edge_count: usize) -> Vec<Vec<usize>> {
    let mut at_edge = vec![[NONE, NONE]; edge_count];
    for (s, &(a, b)) in segments.iter().enumerate() {
        for e in [a, b] {
            let slot = if at_edge[e][0] == NONE { 0 } else { 1 };
            at_edge[e][slot] = s;
        }
    }
    let mut used = vec![false; segments.len()];
    // The unused segment at `edge`, and the crossing at its other end.
    let next = |edge: usize, used: &[bool]| -> Option<(usize, usize)> {
        at_edge[edge]
            .iter()
            .copied()
            .find(|&s| s != NONE && !used[s])
            .map(|s| {
                let (a, b) = segments[s];
                (s, if a == edge { b } else { a })
            })
    };
    let mut chains = Vec::new();
    for start in 0..segments.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let (a, b) = segments[start];
        let mut forward = vec![a, b];
        while let Some((s, e)) = next(*forward.last().expect("starts with two"), &used) {
            used[s] = true;
            forward.push(e);
        }
        let mut backward = Vec::new();
        let mut end = a;
        while let Some((s, e)) = next(end, &used) {
            used[s] = true;
            backward.push(e);
            end = e;
        }
        backward.reverse();
        backward.extend(forward);
        chains.push(backward);
    }
    chains
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab::surfaces::ViewBox;

    fn square(half: f64) -> ViewBox {
        ViewBox {
            x: (-half, half),
            y: (-half, half),
        }
    }

    fn radius((x, y): (f64, f64)) -> f64 {
        x.hypot(y)
    }

    #[test]
    fn paraboloid_level_is_one_closed_circle() {
        // f = x² + y² = 1 ⇔ r = 1. Grid step h = 4/80 = 0.05; interpolating x² linearly
        // over a step errs by at most h²/4 = 0.000625 in f, i.e. ~0.0003 in r.
        let f = Field::from_fn(square(2.0), 81, 81, |x, y| x * x + y * y);
        let lines = iso_lines(&f, 1.0);
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(
            line.first(),
            line.last(),
            "a closed contour repeats its first point"
        );
        // A circle of radius 1 crosses about 4·(2/h) = 160 grid edges.
        assert!(line.len() > 120, "only {} points", line.len());
        for &p in line {
            assert!(
                (radius(p) - 1.0).abs() < 1e-3,
                "point {p:?} at radius {}",
                radius(p)
            );
        }
    }

    #[test]
    fn cone_levels_are_concentric_circles() {
        // f = √(x² + y²): level c is the circle r = c.
        let f = Field::from_fn(square(3.0), 61, 61, |x, y| x.hypot(y));
        for c in [0.5, 1.5, 2.5] {
            let lines = iso_lines(&f, c);
            assert_eq!(lines.len(), 1, "level {c}");
            for &p in &lines[0] {
                assert!((radius(p) - c).abs() < 0.02, "level {c}: point {p:?}");
            }
        }
    }

    #[test]
    fn saddle_gives_two_open_hyperbola_branches() {
        // f = x·y = 0.5 on [−2, 2]²: branches in the 1st and 3rd quadrants, each running
        // from one edge of the box to another (open polylines).
        let f = Field::from_fn(square(2.0), 41, 41, |x, y| x * y);
        let lines = iso_lines(&f, 0.5);
        assert_eq!(lines.len(), 2);
        for line in &lines {
            assert_ne!(line.first(), line.last());
            let quadrant = line[0].0.signum();
            for &(x, y) in line {
                assert_eq!(x.signum(), quadrant);
                assert!((x * y - 0.5).abs() < 0.01, "({x}, {y})");
            }
        }
    }

    #[test]
    fn two_bowls_give_two_loops_and_out_of_range_levels_nothing() {
        // Two wells at x = ±1: f = min((x−1)², (x+1)²) + y², level 0.25 → two circles r = 0.5.
        let f = Field::from_fn(square(2.0), 81, 81, |x, y| {
            ((x - 1.0).powi(2)).min((x + 1.0).powi(2)) + y * y
        });
        let lines = iso_lines(&f, 0.25);
        assert_eq!(lines.len(), 2);
        for line in &lines {
            let cx = line[0].0.signum();
            for &(x, y) in line {
                assert!(((x - cx).hypot(y) - 0.5).abs() < 2e-3);
            }
        }
        assert!(iso_lines(&f, -1.0).is_empty());
        assert!(iso_lines(&f, 100.0).is_empty());
        assert!(iso_lines(&f, f64::NAN).is_empty());
    }

    #[test]
    fn nan_cells_are_skipped() {
        // The paraboloid with a NaN hole on the right half: the circle is cut, so it
        // comes back open, and no point has x > 0.05 (one grid step past the hole's edge).
        let f = Field::from_fn(square(2.0), 81, 81, |x, y| {
            if x > 0.0 {
                f64::NAN
            } else {
                x * x + y * y
            }
        });
        let lines = iso_lines(&f, 1.0);
        assert_eq!(lines.len(), 1);
        assert_ne!(lines[0].first(), lines[0].last());
        assert!(lines[0].iter().all(|&(x, _)| x <= 0.05));
    }
}
