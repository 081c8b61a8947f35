//! HOG on images small enough to work out by hand, and the properties any
//! HOG has (block norms at most 1, blind to brightness offsets and contrast).
//!
//! The by-hand images are exact in binary (multiples of 1/32 or 1/64), so
//! every gradient is exact and only the square roots round.

use nnlab::data::{FloatDataset, ImageShape, Samples};
use nnlab::features::colour_histogram::{hue_histogram, HUE_BINS};
use nnlab::features::hog::{
    cell_histograms, gradients, hog, l2_hys, normalise_blocks, HogParams, BLOCK_EPS,
};
use nnlab::features::{Standardised, Standardiser};
use proptest::prelude::*;

const SIDE: usize = 32;
const P: HogParams = HogParams::DALAL_TRIGGS;

/// A 32×32 grey image with pixel (r, c) = `f(r, c)`.
fn image(f: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    (0..SIDE * SIDE).map(|i| f(i / SIDE, i % SIDE)).collect()
}

fn close(a: f32, b: f64, what: &str) {
    assert!((f64::from(a) - b).abs() < 1e-6, "{what}: {a} vs {b}");
}

/// The index in the feature vector of `bin` of cell (`r`, `c`) within block
/// (`br`, `bc`): blocks row by row, 2×2 cells each, 9 bins per cell.
fn at(br: usize, bc: usize, r: usize, c: usize, bin: usize) -> usize {
    ((br * 3 + bc) * 4 + r * 2 + c) * 9 + bin
}

#[test]
fn a_vertical_step_edge_puts_everything_in_the_0_degree_bin() {
    // Dark (0) left of column 16, bright (1) from it. Only columns 15 and 16
    // have a gradient: g_col = I[c+1] − I[c−1] = 1 − 0 = 1, g_row = 0, so
    // orientation atan2(0, 1) = 0°: bin 0, magnitude 1. Column 15 lies in
    // cell column 1, column 16 in cell column 2; each of their cells holds
    // 8 such pixels, and a cell's bin is the mean over its 64 pixels: 1/8.
    let cells = cell_histograms(&image(|_, c| if c < 16 { 0.0 } else { 1.0 }), 32, 32, P).unwrap();
    for r in 0..4 {
        for c in 0..4 {
            let expected = if c == 1 || c == 2 { 0.125 } else { 0.0 };
            let cell = cells.cell(r, c);
            assert_eq!(cell[0], expected, "cell ({r}, {c})");
            assert!(
                cell[1..].iter().all(|&v| v == 0.0),
                "cell ({r}, {c}): {cell:?}"
            );
        }
    }
    // Blocks: one at block column 0 sees two non-zero values (its right
    // cells), v/‖v‖ = 1/√2 ≈ 0.707 each, clipped to 0.2, renormalised back
    // to 1/√2. Block column 1 sees four: 1/2 each, clipped and renormalised
    // to 1/2. (ε = 1e-5 shifts these by under 1e-9.)
    let features = normalise_blocks(&cells, 2);
    assert_eq!(features.len(), 324);
    let half_sqrt2 = std::f64::consts::FRAC_1_SQRT_2;
    for br in 0..3 {
        for r in 0..2 {
            close(
                features[at(br, 0, r, 0, 0)],
                0.0,
                "left cell of block column 0",
            );
            close(
                features[at(br, 0, r, 1, 0)],
                half_sqrt2,
                "right cell of block column 0",
            );
            close(features[at(br, 1, r, 0, 0)], 0.5, "block column 1");
            close(features[at(br, 1, r, 1, 0)], 0.5, "block column 1");
            close(
                features[at(br, 2, r, 0, 0)],
                half_sqrt2,
                "left cell of block column 2",
            );
            close(
                features[at(br, 2, r, 1, 0)],
                0.0,
                "right cell of block column 2",
            );
        }
    }
    let non_zero = features.iter().filter(|&&v| v != 0.0).count();
    assert_eq!(non_zero, 3 * (2 + 4 + 2));
}

#[test]
fn a_horizontal_edge_is_90_degrees_the_middle_bin() {
    // Dark above row 16, bright from it: g_row = 1 at rows 15 and 16, g_col
    // = 0; atan2(1, 0) = 90°, in bin 4 (80°–100°). Cell rows 1 and 2.
    let cells = cell_histograms(&image(|r, _| if r < 16 { 0.0 } else { 1.0 }), 32, 32, P).unwrap();
    for r in 0..4 {
        for c in 0..4 {
            let expected = if r == 1 || r == 2 { 0.125 } else { 0.0 };
            let mut want = [0.0; 9];
            want[4] = expected;
            assert_eq!(cells.cell(r, c), want, "cell ({r}, {c})");
        }
    }
    assert_eq!(cells.bin_centre_degrees(4), 90.0);
}

#[test]
fn a_diagonal_ramp_by_hand_including_the_border() {
    // I = (r + c)/64: inside, g_row = g_col = 2/64 = 1/32, so 45° (bin 2,
    // 40°–60°) with magnitude √2/32. On row 0 g_row is 0 (a border row):
    // 0°, magnitude 1/32 (except at column 0, where g_col is 0 too). On
    // column 0, g_col is 0: 90°, bin 4, magnitude 1/32.
    let cells = cell_histograms(&image(|r, c| (r + c) as f64 / 64.0), 32, 32, P).unwrap();
    let inside = std::f64::consts::SQRT_2 / 32.0;
    let edge = 1.0 / 32.0;
    // An inner cell: 64 pixels at 45°; the mean is √2/32.
    let mut want = [0.0f64; 9];
    want[2] = inside;
    cells
        .cell(1, 1)
        .iter()
        .zip(want)
        .for_each(|(&a, b)| close(a, b, "inner cell"));
    // The top-left cell: row 0 has 7 pixels at 0°, column 0 has 7 at 90°,
    // the corner none, the other 7×7 = 49 at 45°.
    let corner = cells.cell(0, 0);
    close(corner[0], 7.0 * edge / 64.0, "corner, 0°");
    close(corner[4], 7.0 * edge / 64.0, "corner, 90°");
    close(corner[2], 49.0 * inside / 64.0, "corner, 45°");
    assert_eq!(corner.iter().filter(|&&v| v != 0.0).count(), 3);
}

#[test]
fn orientations_are_unsigned() {
    // The ramp rising to the left, I = (r − c + 31)/64: g_col = −1/32,
    // g_row = 1/32, atan2 = 135° (bin 6, 120°–140°). Its negative rises to
    // the right and up: atan2(−1/32, 1/32) = −45°, which modulo 180 is 135°
    // again. Both images have the same HOG.
    let up_left = image(|r, c| (r as f64 - c as f64 + 31.0) / 64.0);
    let down_right: Vec<f64> = up_left.iter().map(|v| 1.0 - v).collect();
    let g = gradients(&up_left, 32, 32)[5 * 32 + 5];
    assert_eq!((g.row, g.col), (1.0 / 32.0, -1.0 / 32.0));
    assert!((g.orientation_degrees() - 135.0).abs() < 1e-12);
    let a = cell_histograms(&up_left, 32, 32, P).unwrap();
    let b = cell_histograms(&down_right, 32, 32, P).unwrap();
    assert!(a.cell(2, 2)[6] > 0.0);
    assert_eq!(a, b);
}

#[test]
fn a_flat_image_has_no_gradient_and_a_zero_hog() {
    // Every block is empty: 0 / sqrt(0 + ε²) = 0, no division by zero.
    let features = hog(&image(|_, _| 0.5), 32, 32, P).unwrap();
    assert_eq!(features, vec![0.0; 324]);
}

#[test]
fn l2_hys_clips_a_dominant_value() {
    // (3, 4): normalised (0.6, 0.8), clipped (0.2, 0.2), renormalised
    // (1/√2, 1/√2): one strong edge no longer outweighs the rest.
    let mut block = [3.0, 4.0];
    l2_hys(&mut block);
    let expected = 0.2 / (0.08 + BLOCK_EPS * BLOCK_EPS).sqrt();
    assert_eq!(block, [expected, expected]);
}

#[test]
fn sizes_and_bad_input() {
    assert_eq!(P.cells(32, 32), (4, 4));
    assert_eq!(P.blocks(32, 32), (3, 3));
    assert_eq!(P.feature_len(32, 32), 324);
    // 36×35: still 4×4 whole cells; the extra pixels are left out.
    assert_eq!(P.feature_len(36, 35), 324);
    assert!(
        hog(&[0.0; 8 * 8], 8, 8, P).is_err(),
        "one cell, no 2×2 block"
    );
    assert!(hog(&[0.0; 10], 32, 32, P).is_err());
    assert!(hog(&image(|_, _| f64::NAN), 32, 32, P).is_err());
    let no_bins = HogParams {
        orientations: 0,
        ..P
    };
    assert!(hog(&image(|_, _| 0.0), 32, 32, no_bins).is_err());
}

/// A 32×32 grey image of multiples of 1/256 (exact in binary).
fn dyadic_image() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(0u8..=255, SIDE * SIDE)
        .prop_map(|bytes| bytes.iter().map(|&b| f64::from(b) / 256.0).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_block_has_a_norm_of_at_most_1(grey in dyadic_image()) {
        let features = hog(&grey, 32, 32, P).unwrap();
        for block in features.chunks_exact(36) {
            let norm = block.iter().map(|&v| f64::from(v).powi(2)).sum::<f64>().sqrt();
            prop_assert!(norm <= 1.0 + 1e-6, "{norm}");
            prop_assert!(block.iter().all(|&v| v >= 0.0));
        }
    }

    #[test]
    fn a_brightness_offset_changes_nothing(grey in dyadic_image(), offset in 0u8..=255) {
        // Adding a constant leaves every difference, hence every gradient,
        // exactly as it was (the sums are exact in binary).
        let brighter: Vec<f64> = grey.iter().map(|v| v + f64::from(offset) / 256.0).collect();
        prop_assert_eq!(hog(&grey, 32, 32, P).unwrap(), hog(&brighter, 32, 32, P).unwrap());
    }

    #[test]
    fn contrast_changes_only_the_cells_not_the_normalised_blocks(grey in dyadic_image()) {
        // Doubling every value doubles every gradient: the cells double,
        // the directions stay, and block normalisation divides the factor out.
        let doubled: Vec<f64> = grey.iter().map(|v| 2.0 * v).collect();
        let (a, b) = (cell_histograms(&grey, 32, 32, P).unwrap(), cell_histograms(&doubled, 32, 32, P).unwrap());
        for (x, y) in a.values().iter().zip(b.values()) {
            prop_assert!((2.0 * x - y).abs() <= 1e-6 * y.abs().max(1e-6), "{x} {y}");
        }
        let (a, b) = (normalise_blocks(&a, 2), normalise_blocks(&b, 2));
        for (x, y) in a.iter().zip(&b) {
            prop_assert!((x - y).abs() < 1e-5, "{x} {y}");
        }
    }

    #[test]
    fn a_hue_histogram_adds_up_to_1(bytes in proptest::collection::vec(0u8..=255, 3 * 8 * 8)) {
        let shape = ImageShape { channels: 3, height: 8, width: 8 };
        let h = hue_histogram(&bytes, shape).unwrap();
        prop_assert_eq!(h.len(), HUE_BINS);
        // Counts of 64 pixels over 64: exact in binary.
        prop_assert_eq!(h.iter().sum::<f32>(), 1.0);
    }

    #[test]
    fn standardised_training_rows_have_mean_0_and_deviation_1(
        values in proptest::collection::vec(-100.0f32..100.0, 3 * 40),
    ) {
        let data = FloatDataset::new(values, vec![0; 40], 3, 1).unwrap();
        let standardiser = Standardiser::fit(&data).unwrap();
        let view = Standardised::new(&data, standardiser).unwrap();
        let mut rows = vec![0.0; 3 * 40];
        let mut labels = vec![0; 40];
        let indices: Vec<usize> = (0..40).collect();
        view.fill_batch(&indices, &mut rows, &mut labels).unwrap();
        for column in 0..3 {
            let column: Vec<f64> = rows.iter().skip(column).step_by(3).map(|&v| f64::from(v)).collect();
            let mean = column.iter().sum::<f64>() / 40.0;
            let var = column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 40.0;
            prop_assert!(mean.abs() < 1e-4, "{mean}");
            // A column of 40 equal values (no spread) would stay 0; random ones spread.
            prop_assert!((var - 1.0).abs() < 1e-3 || var == 0.0, "{var}");
        }
        prop_assert_eq!(view.len(), 40);
    }
}
