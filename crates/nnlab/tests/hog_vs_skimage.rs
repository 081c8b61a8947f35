//! nnlab's HOG, cell histograms and hue histograms against scikit-image's,
//! on the synthetic images of `fixtures/hog_reference.json` (written by
//! `tools/hog_reference.py`; its docstring says how to regenerate it).
//!
//! Both sides compute the grey image, gradients, orientations and bins in
//! the same double-precision operations, so the values agree to far better
//! than the tolerance; it only absorbs rounding in sums that numpy orders
//! differently (and the 12 significant digits the file keeps).

use nnlab::data::ImageShape;
use nnlab::features::colour_histogram::hue_histogram;
use nnlab::features::extract::image_features;
use nnlab::features::grey::grey;
use nnlab::features::hog::{cell_histograms, hog, HogParams};
use serde::Deserialize;

const TOLERANCE: f64 = 1e-6;

#[derive(Deserialize)]
struct Reference {
    scikit_image: String,
    images: Vec<Image>,
}

#[derive(Deserialize)]
struct Image {
    name: String,
    height: usize,
    width: usize,
    planar_rgb_hex: String,
    cells: Vec<f64>,
    hog: Vec<f64>,
    hue_histogram: Vec<f64>,
}

impl Image {
    fn shape(&self) -> ImageShape {
        ImageShape {
            channels: 3,
            height: self.height,
            width: self.width,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let hex = self.planar_rgb_hex.as_bytes();
        hex.chunks_exact(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect()
    }
}

fn reference() -> Reference {
    let text = include_str!("fixtures/hog_reference.json");
    serde_json::from_str(text).expect("the fixture parses")
}

/// The largest difference between `ours` and `theirs`, which must be as long.
fn max_difference(ours: &[f32], theirs: &[f64]) -> f64 {
    assert_eq!(ours.len(), theirs.len());
    ours.iter()
        .zip(theirs)
        .map(|(&a, &b)| (f64::from(a) - b).abs())
        .fold(0.0, f64::max)
}

#[test]
fn hog_and_cells_match_scikit_image() {
    let reference = reference();
    assert!(reference.images.len() >= 7, "{}", reference.scikit_image);
    for image in &reference.images {
        let bytes = image.bytes();
        assert_eq!(bytes.len(), image.shape().len(), "{}", image.name);
        let grey = grey(&bytes, image.shape()).unwrap();
        let params = HogParams::DALAL_TRIGGS;
        let cells = cell_histograms(&grey, image.height, image.width, params).unwrap();
        let cells_diff = max_difference(cells.values(), &image.cells);
        let vector = hog(&grey, image.height, image.width, params).unwrap();
        let hog_diff = max_difference(&vector, &image.hog);
        println!(
            "{:<16} cells within {cells_diff:.1e}, hog within {hog_diff:.1e}",
            image.name
        );
        assert!(cells_diff < TOLERANCE, "{}: cells {cells_diff}", image.name);
        assert!(hog_diff < TOLERANCE, "{}: hog {hog_diff}", image.name);
    }
}

#[test]
fn hue_histograms_match_numpy_bin_for_bin() {
    for image in &reference().images {
        let ours = hue_histogram(&image.bytes(), image.shape()).unwrap();
        // Fractions of 1,024 pixels are exact in binary: equal, not close.
        let ours: Vec<f64> = ours.iter().map(|&v| f64::from(v)).collect();
        assert_eq!(ours, image.hue_histogram, "{}", image.name);
    }
}

#[test]
fn image_features_are_hog_then_hues() {
    let reference = reference();
    let image = &reference.images[0];
    let features = image_features(&image.bytes(), image.shape()).unwrap();
    assert_eq!(features.len(), 324 + 10);
    assert!(max_difference(&features[..324], &image.hog) < TOLERANCE);
    assert!(max_difference(&features[324..], &image.hue_histogram) < TOLERANCE);
}
