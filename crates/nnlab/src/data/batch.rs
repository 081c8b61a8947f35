//! The buffers one mini-batch lives in, allocated once and refilled every
//! step.

use super::Samples;
use crate::error::Result;
use crate::tensor::Tensor;

/// A batch of `size` images as a `[size, sample_len]` tensor of floats in
/// [0, 1], and their labels. [`Batch::fill`] overwrites both in place.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    x: Tensor,
    labels: Vec<usize>,
}

impl Batch {
    /// Zeroed buffers for `size` images of `sample_len` values each.
    pub fn new(size: usize, sample_len: usize) -> Batch {
        Batch {
            x: Tensor::zeros(&[size, sample_len]),
            labels: vec![0; size],
        }
    }

    /// Number of images the batch holds.
    pub fn size(&self) -> usize {
        self.labels.len()
    }

    /// Overwrite the batch with the samples `indices` of `data` (see
    /// [`Samples::fill_batch`]); `indices.len()` must equal [`Batch::size`]
    /// and `data`'s rows must be `sample_len` values.
    pub fn fill(&mut self, data: &dyn Samples, indices: &[usize]) -> Result<()> {
        data.fill_batch(indices, self.x.data_mut(), &mut self.labels)
    }

    /// The images, `[size, sample_len]`.
    pub fn x(&self) -> &Tensor {
        &self.x
    }

    /// The labels, one per image.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }
}
