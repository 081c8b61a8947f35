//! Histograms of oriented gradients (HOG), the hand-made image feature of
//! Dalal and Triggs (CVPR 2005), as scikit-image computes it:
//!
//! ```python
//! skimage.feature.hog(rgb2gray(image), orientations=9, pixels_per_cell=(8, 8),
//!                     cells_per_block=(2, 2), block_norm='L2-Hys', feature_vector=True)
//! ```
//!
//! 1. **Gradients**, centred and unscaled: `g_row = I[r+1, c] − I[r−1, c]`,
//!    `g_col = I[r, c+1] − I[r, c−1]`, 0 on the border rows (columns). Rows
//!    count downwards, as in the image.
//! 2. **Orientation histograms per cell**: each pixel's magnitude
//!    `hypot(g_col, g_row)` goes, whole, into the bin of its unsigned
//!    orientation `atan2(g_row, g_col)` in degrees modulo 180 (bin `i` holds
//!    [20·i, 20·(i+1)) for 9 bins). A cell's bins are the *mean* over its
//!    8 × 8 pixels. The bins are those of the gradient's direction, across
//!    the edge: a vertical edge (brightness changing from left to right) has
//!    a horizontal gradient, 0°.
//! 3. **Blocks** of 2 × 2 cells, overlapping by one cell, each normalised by
//!    L2-Hys: divide by the L2 norm, clip every value at 0.2, divide by the
//!    L2 norm again (ε = 1e-5 under both roots). Local contrast no longer
//!    matters, only the shape of the histograms.
//! 4. The **feature vector** is the blocks one after another (block row,
//!    block column, cell row, cell column, bin): 3 × 3 blocks · 4 cells · 9
//!    bins = 324 values for a 32 × 32 image.
//!
//! Like scikit-image, a pixel's vote is not shared between neighbouring
//! bins or cells (Dalal and Triggs interpolate; scikit-image does not), a
//! cell's sum is kept in single precision, and pixels beyond the last whole
//! cell are left out. `tests/hog_vs_skimage.rs` compares against values
//! printed by scikit-image (`tools/hog_reference.py`).

use crate::error::{Error, Result};

/// Where L2-Hys clips the once-normalised block values.
pub const L2_HYS_CLIP: f64 = 0.2;

/// scikit-image's ε in the block norms: `v / sqrt(‖v‖² + ε²)`, so an empty
/// (flat) block stays 0 instead of dividing by 0.
pub const BLOCK_EPS: f64 = 1e-5;

/// The shape of a HOG: bins per histogram, pixels per cell side, cells per
/// block side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HogParams {
    /// Unsigned orientation bins over 0–180°.
    pub orientations: usize,
    /// A cell is `cell × cell` pixels.
    pub cell: usize,
    /// A block is `block × block` cells.
    pub block: usize,
}

impl HogParams {
    /// 9 orientations, 8 × 8-pixel cells, 2 × 2-cell blocks: the lesson's
    /// HOG of a 32 × 32 CIFAR-10 image (4 × 4 cells, 3 × 3 blocks).
    pub const DALAL_TRIGGS: HogParams = HogParams {
        orientations: 9,
        cell: 8,
        block: 2,
    };

    /// Whole cells along the rows and columns of a `height × width` image.
    pub fn cells(&self, height: usize, width: usize) -> (usize, usize) {
        (height / self.cell.max(1), width / self.cell.max(1))
    }

    /// Blocks along the rows and columns (0 if a block does not fit).
    pub fn blocks(&self, height: usize, width: usize) -> (usize, usize) {
        let (rows, cols) = self.cells(height, width);
        let fit = |n: usize| (n + 1).saturating_sub(self.block);
        (fit(rows), fit(cols))
    }

    /// Values in the feature vector of a `height × width` image.
    pub fn feature_len(&self, height: usize, width: usize) -> usize {
        let (rows, cols) = self.blocks(height, width);
        rows * cols * self.block * self.block * self.orientations
    }

    /// Every size at least 1, and at least one block in a `height × width` image.
    pub fn validate(&self, height: usize, width: usize) -> Result<()> {
        for (what, value) in [
            ("HOG orientations", self.orientations),
            ("HOG cell size", self.cell),
            ("HOG block size", self.block),
        ] {
            if value == 0 {
                return Err(Error::OutOfRange {
                    what,
                    detail: "it must be at least 1".into(),
                });
            }
        }
        if self.feature_len(height, width) == 0 {
            return Err(Error::OutOfRange {
                what: "HOG block size",
                detail: format!(
                    "a block of {0}×{0} cells of {1}×{1} pixels does not fit in a {height}×{width} image",
                    self.block, self.cell
                ),
            });
        }
        Ok(())
    }

    /// The lower edge of bin `i` in degrees, as scikit-image computes it
    /// (in single precision: `(180 / orientations) · i`).
    fn bin_start(&self, i: usize) -> f64 {
        let width = 180.0f32 / self.orientations as f32;
        f64::from(width * i as f32)
    }

    /// The bin of an orientation in [0, 180], or `None` for one at the
    /// upper edge (180°, which scikit-image leaves out).
    fn bin(&self, degrees: f64) -> Option<usize> {
        let n = self.orientations;
        let width = 180.0 / n as f64;
        let mut i = ((degrees / width) as usize).min(n - 1);
        // The division can round across an edge; the edges decide.
        while i > 0 && degrees < self.bin_start(i) {
            i -= 1;
        }
        while i < n && degrees >= self.bin_start(i + 1) {
            i += 1;
        }
        (i < n).then_some(i)
    }
}

/// The centred gradient at one pixel (row axis downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gradient {
    /// `I[r+1, c] − I[r−1, c]` (0 on the first and last rows).
    pub row: f64,
    /// `I[r, c+1] − I[r, c−1]` (0 on the first and last columns).
    pub col: f64,
}

impl Gradient {
    /// `hypot(col, row)`: how strongly brightness changes here.
    pub fn magnitude(&self) -> f64 {
        self.col.hypot(self.row)
    }

    /// The unsigned direction of steepest change in degrees, in [0, 180]:
    /// `atan2(row, col)` modulo 180 (180 itself only from rounding, for a
    /// direction a hair below 0°).
    pub fn orientation_degrees(&self) -> f64 {
        self.row.atan2(self.col).to_degrees().rem_euclid(180.0)
    }
}

/// The gradient of every pixel of a `height × width` grey image, row by row.
/// Panics if `grey` is not `height · width` values.
pub fn gradients(grey: &[f64], height: usize, width: usize) -> Vec<Gradient> {
    assert_eq!(grey.len(), height * width, "a {height}×{width} grey image");
    let at = |r: usize, c: usize| grey[r * width + c];
    let mut out = Vec::with_capacity(grey.len());
    for r in 0..height {
        for c in 0..width {
            let inside_rows = r > 0 && r + 1 < height;
            let inside_cols = c > 0 && c + 1 < width;
            out.push(Gradient {
                row: if inside_rows {
                    at(r + 1, c) - at(r - 1, c)
                } else {
                    0.0
                },
                col: if inside_cols {
                    at(r, c + 1) - at(r, c - 1)
                } else {
                    0.0
                },
            });
        }
    }
    out
}

/// One orientation histogram per cell: what the lesson draws as a glyph of
/// strokes, one per bin.
#[derive(Clone, Debug, PartialEq)]
pub struct CellHistograms {
    rows: usize,
    cols: usize,
    orientations: usize,
    /// `rows · cols · orientations`, cell by cell, row by row.
    values: Vec<f32>,
}

impl CellHistograms {
    /// Cells along the image's rows (top to bottom).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Cells along the image's columns (left to right).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Bins per cell.
    pub fn orientations(&self) -> usize {
        self.orientations
    }

    /// The histogram of cell (`row`, `col`): the mean gradient magnitude per
    /// pixel of the cell that fell in each bin. Panics outside the grid.
    pub fn cell(&self, row: usize, col: usize) -> &[f32] {
        assert!(row < self.rows && col < self.cols, "cell ({row}, {col})");
        let start = (row * self.cols + col) * self.orientations;
        &self.values[start..start + self.orientations]
    }

    /// Every bin of every cell, cell by cell, row by row.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// The middle of bin `bin` in degrees (10°, 30°, … for 9 bins): the
    /// direction a glyph draws it at.
    pub fn bin_centre_degrees(&self, bin: usize) -> f64 {
        (bin as f64 + 0.5) * 180.0 / self.orientations as f64
    }
}

/// The orientation histogram of every whole cell of a `height × width` grey
/// image (step 2). Errors if `grey` is not that size or `params` does not fit.
pub fn cell_histograms(
    grey: &[f64],
    height: usize,
    width: usize,
    params: HogParams,
) -> Result<CellHistograms> {
    check_grey(grey, height, width)?;
    params.validate(height, width)?;
    let gradients = gradients(grey, height, width);
    let (rows, cols) = params.cells(height, width);
    let n = params.orientations;
    let pixels_per_cell = (params.cell * params.cell) as f32;
    let mut values = vec![0.0f32; rows * cols * n];
    let mut totals = vec![0.0f32; n];
    for (cell, histogram) in values.chunks_exact_mut(n).enumerate() {
        let (cell_row, cell_col) = (cell / cols, cell % cols);
        totals.fill(0.0);
        for r in cell_row * params.cell..(cell_row + 1) * params.cell {
            for c in cell_col * params.cell..(cell_col + 1) * params.cell {
                let g = gradients[r * width + c];
                if let Some(bin) = params.bin(g.orientation_degrees()) {
                    // Summed in single precision, in scikit-image's order.
                    totals[bin] = (f64::from(totals[bin]) + g.magnitude()) as f32;
                }
            }
        }
        for (h, total) in histogram.iter_mut().zip(&totals) {
            *h = total / pixels_per_cell;
        }
    }
    Ok(CellHistograms {
        rows,
        cols,
        orientations: n,
        values,
    })
}

/// The feature vector (steps 3 and 4): every `block × block` group of
/// cells, L2-Hys normalised, one after another. Panics if `block` is 0.
pub fn normalise_blocks(cells: &CellHistograms, block: usize) -> Vec<f32> {
    assert!(block > 0, "a block of at least one cell");
    let n = cells.orientations;
    let block_rows = (cells.rows + 1).saturating_sub(block);
    let block_cols = (cells.cols + 1).saturating_sub(block);
    let mut out = Vec::with_capacity(block_rows * block_cols * block * block * n);
    let mut values: Vec<f64> = Vec::with_capacity(block * block * n);
    for br in 0..block_rows {
        for bc in 0..block_cols {
            values.clear();
            for r in br..br + block {
                for c in bc..bc + block {
                    values.extend(cells.cell(r, c).iter().map(|&v| f64::from(v)));
                }
            }
            l2_hys(&mut values);
            out.extend(values.iter().map(|&v| v as f32));
        }
    }
    out
}

/// L2-Hys in place: `v / sqrt(‖v‖² + ε²)`, values above 0.2 cut to 0.2,
/// then normalised again the same way. The result's norm is below 1.
pub fn l2_hys(block: &mut [f64]) {
    let normalise = |block: &mut [f64]| {
        let norm = (block.iter().map(|v| v * v).sum::<f64>() + BLOCK_EPS * BLOCK_EPS).sqrt();
        block.iter_mut().for_each(|v| *v /= norm);
    };
    normalise(block);
    block.iter_mut().for_each(|v| *v = v.min(L2_HYS_CLIP));
    normalise(block);
}

/// The HOG feature vector of a `height × width` grey image: cell
/// histograms, then normalised blocks.
pub fn hog(grey: &[f64], height: usize, width: usize, params: HogParams) -> Result<Vec<f32>> {
    let cells = cell_histograms(grey, height, width, params)?;
    Ok(normalise_blocks(&cells, params.block))
}

fn check_grey(grey: &[f64], height: usize, width: usize) -> Result<()> {
    if grey.len() != height * width {
        return Err(Error::InvalidData(format!(
            "a {height}×{width} grey image needs {} values, got {}",
            height * width,
            grey.len()
        )));
    }
    if let Some(&bad) = grey.iter().find(|v| !v.is_finite()) {
        return Err(Error::NotFinite {
            what: "grey value",
            value: bad,
        });
    }
    Ok(())
}
