//! The hand-made description of an image the feature pipeline learns from:
//! the HOG of its grey image (shapes, edges) followed by its hue histogram
//! (colours) — 324 + 10 = 334 values for a CIFAR-10 image, where the raw
//! pixels are 3,072.

use super::colour_histogram::{hue_histogram, HUE_BINS};
use super::grey::grey;
use super::hog::{hog, HogParams};
use crate::data::{Dataset, FloatDataset, ImageShape};
use crate::error::Result;

/// Images between two calls of the progress callback of [`features_of`].
pub const PROGRESS_EVERY: usize = 1000;

/// Values per image: the HOG's ([`HogParams::DALAL_TRIGGS`]) then the
/// [`HUE_BINS`] of the hue histogram.
pub fn feature_len(shape: ImageShape) -> usize {
    HogParams::DALAL_TRIGGS.feature_len(shape.height, shape.width) + HUE_BINS
}

/// The features of one planar RGB image of `shape`: [`hog`] of its
/// [`grey`] image, then its [`hue_histogram`].
pub fn image_features(image: &[u8], shape: ImageShape) -> Result<Vec<f32>> {
    let grey = grey(image, shape)?;
    let mut features = hog(&grey, shape.height, shape.width, HogParams::DALAL_TRIGGS)?;
    features.extend(hue_histogram(image, shape)?);
    Ok(features)
}

/// The features of every image of `data`, with its labels and classes.
/// `progress` is told how many images are done every [`PROGRESS_EVERY`]
/// images and at the end. Errors if the images are not RGB or too small
/// for one HOG block.
pub fn features_of(data: &Dataset, progress: &mut dyn FnMut(usize)) -> Result<FloatDataset> {
    let shape = data.shape();
    let width = feature_len(shape);
    let mut values = Vec::with_capacity(data.len() * width);
    for i in 0..data.len() {
        values.extend(image_features(data.image(i), shape)?);
        if (i + 1) % PROGRESS_EVERY == 0 {
            progress(i + 1);
        }
    }
    progress(data.len());
    FloatDataset::new(values, data.labels().to_vec(), width, data.classes())
}
