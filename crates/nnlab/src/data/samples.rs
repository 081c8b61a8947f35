//! What training and evaluation read: labelled rows of floats, however they
//! are stored.
//!
//! A [`Dataset`](super::Dataset) keeps images as bytes and writes byte / 255
//! into each batch; a [`FloatDataset`](super::FloatDataset) keeps rows that
//! are floats already (computed features); a
//! [`Standardised`](crate::features::Standardised) view rescales another
//! source's rows as they are read. The [`Trainer`](crate::train::Trainer)
//! and the [`Evaluator`](crate::train::Evaluator) take any of them, so a
//! linear classifier on HOG features trains with the same loop, schedule and
//! counters as the lecture's network on pixels.

use crate::error::Result;

/// Labelled samples, each a row of [`Samples::sample_len`] floats and a class
/// below [`Samples::classes`].
pub trait Samples {
    /// Number of samples.
    fn len(&self) -> usize;

    /// True if there is no sample.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values per sample: the input size of a network fed by these samples.
    fn sample_len(&self) -> usize;

    /// Number of classes; every label is below it.
    fn classes(&self) -> usize;

    /// Write the rows `indices` into `out` (one row of
    /// [`Samples::sample_len`] values per index) and their labels into
    /// `labels_out`. Allocates nothing. Errors (writing nothing) if `out` is
    /// not `indices.len() · sample_len()` long, `labels_out` not
    /// `indices.len()`, or an index is out of range.
    fn fill_batch(
        &self,
        indices: &[usize],
        out: &mut [f32],
        labels_out: &mut [usize],
    ) -> Result<()>;
}

/// A borrowed, boxed or shared source reads as the source (a page keeps
/// its images in an `Rc<Dataset>`).
macro_rules! forward_samples {
    ($($pointer:ty),*) => {$(
        impl<T: Samples + ?Sized> Samples for $pointer {
            fn len(&self) -> usize {
                (**self).len()
            }

            fn sample_len(&self) -> usize {
                (**self).sample_len()
            }

            fn classes(&self) -> usize {
                (**self).classes()
            }

            fn fill_batch(
                &self,
                indices: &[usize],
                out: &mut [f32],
                labels_out: &mut [usize],
            ) -> Result<()> {
                (**self).fill_batch(indices, out, labels_out)
            }
        }
    )*};
}

forward_samples!(&T, Box<T>, std::rc::Rc<T>, std::sync::Arc<T>);
