//! Image datasets kept in memory as bytes, and CIFAR-10 read from its
//! official binary distribution.
//!
//! A [`Dataset`] holds every image as its raw pixel bytes (one byte per
//! channel value, 0–255) and every label as one byte. Nothing is converted to
//! floats up front: the 50,000 CIFAR-10 training images are 153.6 MB as bytes
//! and would be four times that as `f32`. Floats exist only for the current
//! batch, written by [`Dataset::fill_batch`] into a buffer the caller reuses
//! (see [`Batch`]), so a training step allocates nothing for its data.
//!
//! Training reads any [`Samples`]: a `Dataset`, or a [`FloatDataset`] of
//! rows that are floats already (features computed from the images).
//!
//! [`Cifar10`] reads the archive `cifar-10-binary.tar.gz` as downloaded (from
//! bytes in memory, e.g. a file dropped on a web page, or from a path) or the
//! individual `.bin` files inside it. [`StreamDecoder`] decodes the same
//! archive from bytes pushed as they arrive (a download in a Web Worker),
//! delivering records as [`StreamEvent`]s; a [`Dataset`] grows with them
//! through [`Dataset::append`].
//!
//! **CIFAR-10 has 50,000 training images and 10,000 test images** (60,000 in
//! all). The lecture says the training set is `(60000, 3, 32, 32)`; that
//! counts the test set too. The epoch arithmetic in
//! [`train::schedule`](crate::train::schedule) shows both numbers.

mod archive;
mod batch;
mod cifar;
mod float_dataset;
mod gzip_stream;
mod samples;
mod stream;
mod tar_stream;

pub use archive::{Progress, PROGRESS_STEP};
pub use batch::Batch;
pub use cifar::{
    check_claim, parse_batch, parse_meta, BatchFile, Cifar10, BATCH_RECORDS, CLASS_NAMES,
    IMAGE_BYTES, RECORD_BYTES, TRAIN_BATCHES,
};
pub(crate) use float_dataset::check_batch;
pub use float_dataset::FloatDataset;
pub use samples::Samples;
pub use stream::{StreamDecoder, StreamEvent};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Channels, height and width of one image. Pixels are stored channel by
/// channel ("planar", as CIFAR-10 and PyTorch tensors do): all of channel 0
/// row by row, then all of channel 1, …
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageShape {
    /// Colour channels: 3 for RGB.
    pub channels: usize,
    /// Rows of pixels.
    pub height: usize,
    /// Pixels per row.
    pub width: usize,
}

impl ImageShape {
    /// CIFAR-10's 3 × 32 × 32 colour images.
    pub const CIFAR: ImageShape = ImageShape {
        channels: 3,
        height: 32,
        width: 32,
    };

    /// Bytes (and network inputs) per image: channels · height · width.
    pub fn len(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// True if any side is 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Labelled images as bytes: `images` is `len · shape.len()` bytes, image `i`
/// at `i · shape.len()`; `labels[i]` is the class of image `i`, an index into
/// the class names.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    images: Vec<u8>,
    labels: Vec<u8>,
    shape: ImageShape,
    class_names: Vec<String>,
}

impl Dataset {
    /// A dataset from its parts. Errors if the image bytes are not exactly one
    /// image per label, the shape is empty, there are no class names or more
    /// than 256, or a label is not the index of a class name.
    pub fn new(
        images: Vec<u8>,
        labels: Vec<u8>,
        shape: ImageShape,
        class_names: Vec<String>,
    ) -> Result<Dataset> {
        if shape.is_empty() {
            return Err(Error::InvalidData(format!(
                "an image shape needs every side at least 1, got {shape:?}"
            )));
        }
        if class_names.is_empty() || class_names.len() > 256 {
            return Err(Error::InvalidData(format!(
                "a dataset needs 1 to 256 class names (labels are one byte), got {}",
                class_names.len()
            )));
        }
        check_images(&labels, images.len(), shape, class_names.len(), 0)?;
        Ok(Dataset {
            images,
            labels,
            shape,
            class_names,
        })
    }

    /// A dataset with no images yet, to grow with [`Dataset::append`] (e.g.
    /// a training pool filled while an archive streams in). Errors like
    /// [`Dataset::new`].
    pub fn empty(shape: ImageShape, class_names: Vec<String>) -> Result<Dataset> {
        Dataset::new(Vec::new(), Vec::new(), shape, class_names)
    }

    /// Add images at the end: `labels`, and `images` with one image per
    /// label. Checked like [`Dataset::new`]; nothing is added on error.
    pub fn append(&mut self, labels: &[u8], images: &[u8]) -> Result<()> {
        check_images(labels, images.len(), self.shape, self.classes(), self.len())?;
        self.labels.extend_from_slice(labels);
        self.images.extend_from_slice(images);
        Ok(())
    }

    /// Room for `images` more images, so appending them does not reallocate.
    /// Exact, not rounded up: a pool sized from the files' record counts
    /// would otherwise grow to up to twice the 150 MB it needs.
    pub fn reserve(&mut self, images: usize) {
        self.labels.reserve_exact(images);
        self.images
            .reserve_exact(images.saturating_mul(self.shape.len()));
    }

    /// Replaces the class names (e.g. with those of `batches.meta.txt`) in
    /// place. Errors, changing nothing, unless there are as many as before.
    pub fn set_class_names(&mut self, names: Vec<String>) -> Result<()> {
        if names.len() != self.class_names.len() {
            return Err(Error::InvalidData(format!(
                "{} class names given for a dataset of {} classes",
                names.len(),
                self.class_names.len()
            )));
        }
        self.class_names = names;
        Ok(())
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True if the dataset holds no image.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The shape every image of the dataset has.
    pub fn shape(&self) -> ImageShape {
        self.shape
    }

    /// Values per image, the input size of a network fed by this dataset.
    pub fn sample_len(&self) -> usize {
        self.shape.len()
    }

    /// The pixel bytes of image `i` (planar, see [`ImageShape`]). Panics if
    /// `i >= len()`.
    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.shape.len();
        &self.images[i * n..(i + 1) * n]
    }

    /// The class of image `i`. Panics if `i >= len()`.
    pub fn label(&self, i: usize) -> usize {
        usize::from(self.labels[i])
    }

    /// Every label, one byte per image.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Every image's bytes, one after another.
    pub fn images(&self) -> &[u8] {
        &self.images
    }

    /// The class names, in label order.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.class_names.len()
    }

    /// How many images each class has, in label order.
    pub fn label_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes()];
        for &l in &self.labels {
            counts[usize::from(l)] += 1;
        }
        counts
    }

    /// Write the images `indices` as floats in [0, 1] (byte / 255, as
    /// PyTorch's `ToTensor` and the lecture's `img/255.0`) into `out`, one
    /// row of [`Dataset::sample_len`] values per index, and their labels into
    /// `labels_out`. Allocates nothing. Errors (and writes nothing) if `out`
    /// is not `indices.len() · sample_len()` long, `labels_out` not
    /// `indices.len()`, or an index is out of range.
    pub fn fill_batch(
        &self,
        indices: &[usize],
        out: &mut [f32],
        labels_out: &mut [usize],
    ) -> Result<()> {
        let n = self.shape.len();
        if out.len() != indices.len() * n || labels_out.len() != indices.len() {
            return Err(Error::InvalidData(format!(
                "a batch of {} images needs {} floats and {} labels, got buffers of {} and {}",
                indices.len(),
                indices.len() * n,
                indices.len(),
                out.len(),
                labels_out.len()
            )));
        }
        if let Some(&bad) = indices.iter().find(|&&i| i >= self.len()) {
            return Err(Error::OutOfRange {
                what: "image index",
                detail: format!("{bad} but the dataset has {} images", self.len()),
            });
        }
        for ((&i, row), label) in indices.iter().zip(out.chunks_exact_mut(n)).zip(labels_out) {
            for (x, &byte) in row.iter_mut().zip(self.image(i)) {
                *x = f32::from(byte) / 255.0;
            }
            *label = self.label(i);
        }
        Ok(())
    }

    /// Image `i` as interleaved RGBA bytes (height · width · 4), the layout
    /// of a canvas `ImageData`. One channel is drawn as grey, two as red and
    /// green; channels beyond the third are left out. Panics if `i >= len()`.
    pub fn image_rgba(&self, i: usize) -> Vec<u8> {
        let plane = self.shape.height * self.shape.width;
        let image = self.image(i);
        let mut rgba = Vec::with_capacity(plane * 4);
        for p in 0..plane {
            let channel = |c: usize| image[c * plane + p];
            let (r, g, b) = match self.shape.channels {
                1 => (channel(0), channel(0), channel(0)),
                2 => (channel(0), channel(1), 0),
                _ => (channel(0), channel(1), channel(2)),
            };
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
        rgba
    }
}

impl Samples for Dataset {
    fn len(&self) -> usize {
        Dataset::len(self)
    }

    fn sample_len(&self) -> usize {
        Dataset::sample_len(self)
    }

    fn classes(&self) -> usize {
        Dataset::classes(self)
    }

    /// Byte / 255, see [`Dataset::fill_batch`].
    fn fill_batch(
        &self,
        indices: &[usize],
        out: &mut [f32],
        labels_out: &mut [usize],
    ) -> Result<()> {
        Dataset::fill_batch(self, indices, out, labels_out)
    }
}

/// The checks [`Dataset::new`] and [`Dataset::append`] share: one image of
/// `shape` per label, every label a class. `first` is the index the first
/// image will have, for the message.
fn check_images(
    labels: &[u8],
    image_bytes: usize,
    shape: ImageShape,
    classes: usize,
    first: usize,
) -> Result<()> {
    let expected = labels.len() * shape.len();
    if image_bytes != expected {
        return Err(Error::InvalidData(format!(
            "{} labels need {expected} image bytes ({} per image), got {image_bytes}",
            labels.len(),
            shape.len(),
        )));
    }
    if let Some(i) = labels.iter().position(|&l| usize::from(l) >= classes) {
        return Err(Error::InvalidData(format!(
            "image {} has label {}, but there are only {classes} classes (0 to {})",
            first + i,
            labels[i],
            classes - 1
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    fn tiny() -> Dataset {
        // Two 1×1×2 images: [0, 255] label 1 and [51, 102] label 0.
        let shape = ImageShape {
            channels: 1,
            height: 1,
            width: 2,
        };
        Dataset::new(vec![0, 255, 51, 102], vec![1, 0], shape, names(2)).unwrap()
    }

    #[test]
    fn fill_batch_divides_by_255() {
        let data = tiny();
        let mut out = [9.0; 6];
        let mut labels = [9; 3];
        data.fill_batch(&[1, 0, 1], &mut out, &mut labels).unwrap();
        // 51/255 = 0.2, 102/255 = 0.4, 0/255 = 0, 255/255 = 1.
        assert_eq!(out, [0.2, 0.4, 0.0, 1.0, 0.2, 0.4]);
        assert_eq!(labels, [0, 1, 0]);
        assert_eq!(data.label_counts(), vec![1, 1]);
    }

    #[test]
    fn fill_batch_rejects_bad_buffers_and_indices() {
        let data = tiny();
        let err = data.fill_batch(&[0], &mut [0.0; 3], &mut [0]).unwrap_err();
        assert!(err.to_string().contains("needs 2 floats"), "{err}");
        let err = data.fill_batch(&[2], &mut [0.0; 2], &mut [0]).unwrap_err();
        assert!(
            err.to_string().contains("2 but the dataset has 2 images"),
            "{err}"
        );
    }

    #[test]
    fn new_checks_sizes_and_labels() {
        let shape = ImageShape {
            channels: 1,
            height: 1,
            width: 2,
        };
        let err = Dataset::new(vec![0; 3], vec![0, 0], shape, names(2)).unwrap_err();
        assert!(err.to_string().contains("need 4 image bytes"), "{err}");
        let err = Dataset::new(vec![0; 4], vec![0, 2], shape, names(2)).unwrap_err();
        assert!(err.to_string().contains("image 1 has label 2"), "{err}");
        assert!(Dataset::new(vec![], vec![], shape, vec![]).is_err());
    }

    #[test]
    fn append_grows_an_empty_dataset() {
        let shape = ImageShape {
            channels: 1,
            height: 1,
            width: 2,
        };
        let mut data = Dataset::empty(shape, names(3)).unwrap();
        assert!(data.is_empty());
        data.reserve(4);
        data.append(&[2, 0], &[1, 2, 3, 4]).unwrap();
        data.append(&[], &[]).unwrap();
        data.append(&[1], &[5, 6]).unwrap();
        assert_eq!(data.labels(), &[2, 0, 1]);
        assert_eq!(data.image(2), &[5, 6]);
        assert!(data.images.capacity() >= 8);
        // Wrong sizes or labels add nothing; the index counts what is there.
        let err = data.append(&[0], &[1]).unwrap_err();
        assert!(
            err.to_string().contains("1 labels need 2 image bytes"),
            "{err}"
        );
        let err = data.append(&[0, 3], &[0; 4]).unwrap_err();
        assert!(err.to_string().contains("image 4 has label 3"), "{err}");
        assert_eq!(data.len(), 3);
        assert_eq!(
            data,
            Dataset::new(vec![1, 2, 3, 4, 5, 6], vec![2, 0, 1], shape, names(3)).unwrap()
        );
        assert!(Dataset::empty(shape, vec![]).is_err());
    }

    #[test]
    fn class_names_are_replaced_in_place_only_by_as_many() {
        let mut data = tiny();
        data.set_class_names(vec!["zero".into(), "one".into()])
            .unwrap();
        assert_eq!(data.class_names(), ["zero", "one"]);
        assert!(data.set_class_names(vec!["only".into()]).is_err());
        assert_eq!(data.classes(), 2);
    }

    #[test]
    fn rgba_interleaves_planes() {
        // One 3×1×2 image: R plane [1, 2], G plane [3, 4], B plane [5, 6].
        let shape = ImageShape {
            channels: 3,
            height: 1,
            width: 2,
        };
        let data = Dataset::new(vec![1, 2, 3, 4, 5, 6], vec![0], shape, names(1)).unwrap();
        assert_eq!(data.image_rgba(0), vec![1, 3, 5, 255, 2, 4, 6, 255]);
    }
}
