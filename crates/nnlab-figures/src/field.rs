//! A loss surface sampled on a regular grid: what the heat map and the contour
//! lines are drawn from.
//!
//! Colours are *log-scaled above the minimum*: `shade(v) = ln(1 + (v − min)/s) /
//! ln(1 + R)` with `s = (max − min)/R` and `R` = [`DYNAMIC_RANGE`]. A linear scale
//! would paint Rosenbrock's curved valley (loss < 1 next to walls of 3000) in one
//! flat colour; with the log scale the valley floor stands out as a dark band.

use crate::colormap;
use nnlab::surfaces::{Surface, ViewBox};

/// Ratio between the largest loss on screen and the smallest loss difference the
/// shading still tells apart (four decades: Beale's and Rosenbrock's valleys show).
pub const DYNAMIC_RANGE: f64 = 1.0e4;

/// Grid samples of a function over a view box. Sample `(i, j)` lies at
/// `(x_at(i), y_at(j))`: column 0 on the left edge, **row 0 on the top edge (y max)**,
/// as in an image. Build it with [`Field::sample`], [`Field::from_fn`] or
/// [`Field::from_values`]; the shading range is computed once at construction.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Samples per row (≥ 2).
    pub nx: usize,
    /// Rows (≥ 2).
    pub ny: usize,
    /// The world rectangle the grid spans, edges included.
    pub view: ViewBox,
    /// `ny` rows of `nx` values, row-major, top row first. NaN/inf allowed.
    pub values: Vec<f64>,
    /// Smallest and largest finite value (the shading range).
    lo: f64,
    hi: f64,
}

impl Field {
    /// Samples `surface` at `nx × ny` grid points over `view` (each at least 2).
    /// A 1-D surface is sampled as `f(x)` on every row.
    pub fn sample(surface: &Surface, view: ViewBox, nx: usize, ny: usize) -> Field {
        if surface.dim == 1 {
            Field::from_fn(view, nx, ny, |x, _| surface.value(&[x]))
        } else {
            Field::from_fn(view, nx, ny, |x, y| surface.value(&[x, y]))
        }
    }

    /// Samples any function `f(x, y)`; `nx` and `ny` below 2 are raised to 2.
    pub fn from_fn(view: ViewBox, nx: usize, ny: usize, f: impl Fn(f64, f64) -> f64) -> Field {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let mut values = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let y = grid_coord(view.y.1, view.y.0, j, ny);
            for i in 0..nx {
                values.push(f(grid_coord(view.x.0, view.x.1, i, nx), y));
            }
        }
        Field::with_range(view, nx, ny, values)
    }

    /// Wraps precomputed samples (top row first).
    pub fn from_values(
        view: ViewBox,
        nx: usize,
        ny: usize,
        values: Vec<f64>,
    ) -> nnlab::Result<Field> {
        if nx < 2 || ny < 2 || values.len() != nx * ny {
            return Err(nnlab::Error::InvalidData(format!(
                "a field needs at least 2×2 samples and nx·ny values, got {nx}×{ny} and {} values",
                values.len()
            )));
        }
        Ok(Field::with_range(view, nx, ny, values))
    }

    fn with_range(view: ViewBox, nx: usize, ny: usize, values: Vec<f64>) -> Field {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        Field {
            nx,
            ny,
            view,
            values,
            lo,
            hi,
        }
    }

    /// World x of column `i` (0 = left edge, `nx − 1` = right edge).
    pub fn x_at(&self, i: usize) -> f64 {
        grid_coord(self.view.x.0, self.view.x.1, i, self.nx)
    }

    /// World y of row `j` (0 = top edge = y max).
    pub fn y_at(&self, j: usize) -> f64 {
        grid_coord(self.view.y.1, self.view.y.0, j, self.ny)
    }

    /// The sample in column `i`, row `j`.
    pub fn value(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.nx + i]
    }

    /// Smallest and largest finite sample; `(inf, −inf)` if there is none.
    pub fn range(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }

    /// Loss → colour position in [0, 1], log-scaled above the minimum (see the module
    /// doc). Below the minimum → 0; NaN and +inf → 1; a flat field → 0.
    pub fn shade(&self, v: f64) -> f64 {
        if v.is_nan() {
            return 1.0;
        }
        let span = self.hi - self.lo;
        if !(span > 0.0 && span.is_finite()) {
            return 0.0;
        }
        let scale = span / DYNAMIC_RANGE;
        let t = ((v - self.lo).max(0.0) / scale).ln_1p() / DYNAMIC_RANGE.ln_1p();
        t.min(1.0)
    }

    /// The loss whose shade is `t` (the inverse of [`Field::shade`] on [0, 1]).
    pub fn value_at_shade(&self, t: f64) -> f64 {
        let span = self.hi - self.lo;
        let scale = span / DYNAMIC_RANGE;
        self.lo + scale * (t * DYNAMIC_RANGE.ln_1p()).exp_m1()
    }

    /// `nx·ny` RGBA pixels (opaque), top row first: paint it into an `ImageData`
    /// of size `nx × ny` and stretch it over [`crate::Frame::plot`].
    pub fn to_rgba(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.values.len() * 4);
        for &v in &self.values {
            let [r, g, b] = colormap::color(self.shade(v));
            out.extend_from_slice(&[r, g, b, 255]);
        }
        out
    }

    /// The shades resampled (bilinearly) to `width × height` pixels whose centres
    /// span the view: pixel `(px, py)` shows world point
    /// `(x0 + (px + ½)/width·Δx, y1 − (py + ½)/height·Δy)`. Top row first.
    pub fn shades_resized(&self, width: usize, height: usize) -> Vec<f64> {
        let shades: Vec<f64> = self.values.iter().map(|&v| self.shade(v)).collect();
        let mut out = Vec::with_capacity(width * height);
        for py in 0..height {
            let gy = (py as f64 + 0.5) / height as f64 * (self.ny - 1) as f64;
            let (j0, fy) = split_index(gy, self.ny);
            for px in 0..width {
                let gx = (px as f64 + 0.5) / width as f64 * (self.nx - 1) as f64;
                let (i0, fx) = split_index(gx, self.nx);
                let at = |i: usize, j: usize| shades[j * self.nx + i];
                let top = at(i0, j0) * (1.0 - fx) + at(i0 + 1, j0) * fx;
                let bottom = at(i0, j0 + 1) * (1.0 - fx) + at(i0 + 1, j0 + 1) * fx;
                out.push(top * (1.0 - fy) + bottom * fy);
            }
        }
        out
    }

    /// [`Field::shades_resized`] in colour: `width·height` RGB pixels (a bitmap blit).
    pub fn to_rgb_resized(&self, width: usize, height: usize) -> Vec<u8> {
        self.shades_resized(width, height)
            .into_iter()
            .flat_map(colormap::color)
            .collect()
    }

    /// [`Field::shades_resized`] in colour: `width·height` opaque RGBA pixels, for an
    /// `ImageData` that exactly covers the plot rectangle.
    pub fn to_rgba_resized(&self, width: usize, height: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(width * height * 4);
        for t in self.shades_resized(width, height) {
            let [r, g, b] = colormap::color(t);
            out.extend_from_slice(&[r, g, b, 255]);
        }
        out
    }

    /// `n` contour levels, equally spaced in shade (so log-spaced in loss above the
    /// minimum): `value_at_shade(k/(n+1))` for k = 1..=n. Empty for a flat field.
    pub fn levels(&self, n: usize) -> Vec<f64> {
        let span = self.hi - self.lo;
        if !(span > 0.0 && span.is_finite()) {
            return Vec::new();
        }
        (1..=n)
            .map(|k| self.value_at_shade(k as f64 / (n + 1) as f64))
            .collect()
    }
}

/// Coordinate of grid line `k` of `n` running from `from` (k = 0) to `to` (k = n − 1).
fn grid_coord(from: f64, to: f64, k: usize, n: usize) -> f64 {
    if k + 1 == n {
        to
    } else {
        from + (to - from) * k as f64 / (n - 1) as f64
    }
}

/// Grid position `g` ∈ [0, n − 1] → (cell index ≤ n − 2, fraction within the cell).
fn split_index(g: f64, n: usize) -> (usize, f64) {
    let i = (g.floor().max(0.0) as usize).min(n - 2);
    (i, (g - i as f64).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> ViewBox {
        ViewBox {
            x: (-2.0, 2.0),
            y: (-1.0, 3.0),
        }
    }

    #[test]
    fn grid_spans_the_view_with_row_zero_on_top() {
        let f = Field::from_fn(view(), 5, 3, |x, y| 10.0 * x + y);
        assert_eq!((f.x_at(0), f.x_at(2), f.x_at(4)), (-2.0, 0.0, 2.0));
        assert_eq!((f.y_at(0), f.y_at(1), f.y_at(2)), (3.0, 1.0, -1.0));
        // value(i, j) = 10·x_i + y_j: top-left (−2, 3) → −17, bottom-right (2, −1) → 19.
        assert_eq!(f.value(0, 0), -17.0);
        assert_eq!(f.value(4, 2), 19.0);
        assert_eq!(f.range(), (-21.0, 23.0));
    }

    #[test]
    fn shade_is_log_scaled_above_the_minimum() {
        // Values 0 and 10⁴ → scale s = 10⁴/DYNAMIC_RANGE = 1, shade(v) = ln(1+v)/ln(10001).
        let f = Field::from_values(view(), 2, 2, vec![0.0, 10_000.0, 10.0, 1.0]).unwrap();
        assert_eq!(f.shade(0.0), 0.0);
        assert_eq!(f.shade(10_000.0), 1.0);
        let expect = 11f64.ln() / 10_001f64.ln(); // ≈ 0.2603
        assert!((f.shade(10.0) - expect).abs() < 1e-15);
        // Below the minimum → 0, NaN/inf → 1.
        assert_eq!(f.shade(-5.0), 0.0);
        assert_eq!(f.shade(f64::NAN), 1.0);
        assert_eq!(f.shade(f64::INFINITY), 1.0);
        // The inverse: shade(value_at_shade(t)) = t.
        for t in [0.1, 0.5, 0.9] {
            assert!((f.shade(f.value_at_shade(t)) - t).abs() < 1e-12);
        }
    }

    #[test]
    fn levels_are_log_spaced() {
        // With s = 1: level_k = 10001^(k/4) − 1 for k = 1, 2, 3: ≈ 9.0003, 99.005, 999.08.
        let f = Field::from_values(view(), 2, 2, vec![0.0, 10_000.0, 10.0, 1.0]).unwrap();
        let levels = f.levels(3);
        let expect = [
            10_001f64.powf(0.25) - 1.0,
            10_001f64.sqrt() - 1.0,
            10_001f64.powf(0.75) - 1.0,
        ];
        for (l, e) in levels.iter().zip(expect) {
            assert!((l - e).abs() < 1e-9, "{l} vs {e}");
        }
        let flat = Field::from_fn(view(), 3, 3, |_, _| 2.0);
        assert!(flat.levels(5).is_empty());
        assert_eq!(flat.shade(2.0), 0.0);
    }

    #[test]
    fn rgba_has_four_opaque_bytes_per_sample() {
        let f = Field::from_values(view(), 2, 2, vec![0.0, 1000.0, f64::NAN, 0.0]).unwrap();
        let rgba = f.to_rgba();
        assert_eq!(rgba.len(), 16);
        assert_eq!(&rgba[0..4], &[68, 1, 84, 255]); // minimum → darkest viridis
        assert_eq!(&rgba[4..8], &[254, 232, 37, 255]); // maximum → yellow
        assert_eq!(&rgba[8..12], &[254, 232, 37, 255]); // NaN → like the maximum
    }

    #[test]
    fn resizing_interpolates_between_samples() {
        // Values 0 | 1 on each row → shades 0 | 1 (min 0, max 1). 4 pixels across have
        // centres at grid x = (px + ½)/4 = 1/8, 3/8, 5/8, 7/8; linear in shade → the same numbers.
        let f = Field::from_values(view(), 2, 2, vec![0.0, 1.0, 0.0, 1.0]).unwrap();
        assert_eq!(f.shades_resized(4, 1), vec![0.125, 0.375, 0.625, 0.875]);
        assert_eq!(f.to_rgb_resized(4, 3).len(), 36);
        assert_eq!(f.to_rgba_resized(4, 3).len(), 48);
    }

    #[test]
    fn from_values_rejects_a_wrong_length() {
        assert!(Field::from_values(view(), 3, 3, vec![0.0; 8]).is_err());
        assert!(Field::from_values(view(), 1, 4, vec![0.0; 4]).is_err());
    }
}
