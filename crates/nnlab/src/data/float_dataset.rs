//! Labelled rows that are floats already: features computed from images
//! (HOG, colour histograms), kept in memory as they are trained on.

use super::Samples;
use crate::error::{Error, Result};

/// `len` rows of `sample_len` floats, row `i` at `i · sample_len`, and one
/// label per row (a class below `classes`).
#[derive(Clone, Debug, PartialEq)]
pub struct FloatDataset {
    values: Vec<f32>,
    labels: Vec<u8>,
    sample_len: usize,
    classes: usize,
}

impl FloatDataset {
    /// Rows from their values and labels. Errors unless `values` holds
    /// exactly one row of `sample_len ≥ 1` values per label, there are 1 to
    /// 256 classes and every label is one of them.
    pub fn new(
        values: Vec<f32>,
        labels: Vec<u8>,
        sample_len: usize,
        classes: usize,
    ) -> Result<FloatDataset> {
        if sample_len == 0 {
            return Err(Error::InvalidData(
                "a row of features needs at least one value".into(),
            ));
        }
        if classes == 0 || classes > 256 {
            return Err(Error::InvalidData(format!(
                "a dataset needs 1 to 256 classes (labels are one byte), got {classes}"
            )));
        }
        if values.len() != labels.len() * sample_len {
            return Err(Error::InvalidData(format!(
                "{} labels need {} values ({sample_len} per row), got {}",
                labels.len(),
                labels.len() * sample_len,
                values.len()
            )));
        }
        if let Some(i) = labels.iter().position(|&l| usize::from(l) >= classes) {
            return Err(Error::InvalidData(format!(
                "row {i} has label {}, but there are only {classes} classes (0 to {})",
                labels[i],
                classes - 1
            )));
        }
        Ok(FloatDataset {
            values,
            labels,
            sample_len,
            classes,
        })
    }

    /// Row `i`. Panics if `i >= len()`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.sample_len..(i + 1) * self.sample_len]
    }

    /// Every row, for changing values in place (e.g. standardising them).
    pub fn rows_mut(&mut self) -> std::slice::ChunksExactMut<'_, f32> {
        self.values.chunks_exact_mut(self.sample_len)
    }

    /// Every label, one byte per row.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }
}

impl Samples for FloatDataset {
    fn len(&self) -> usize {
        self.labels.len()
    }

    fn sample_len(&self) -> usize {
        self.sample_len
    }

    fn classes(&self) -> usize {
        self.classes
    }

    fn fill_batch(
        &self,
        indices: &[usize],
        out: &mut [f32],
        labels_out: &mut [usize],
    ) -> Result<()> {
        check_batch(self, indices, out, labels_out)?;
        for ((&i, row), label) in indices
            .iter()
            .zip(out.chunks_exact_mut(self.sample_len))
            .zip(labels_out)
        {
            row.copy_from_slice(self.row(i));
            *label = usize::from(self.labels[i]);
        }
        Ok(())
    }
}

/// The buffer and index checks every [`Samples::fill_batch`] makes before
/// writing anything.
pub(crate) fn check_batch(
    data: &dyn Samples,
    indices: &[usize],
    out: &[f32],
    labels_out: &[usize],
) -> Result<()> {
    let n = data.sample_len();
    if out.len() != indices.len() * n || labels_out.len() != indices.len() {
        return Err(Error::InvalidData(format!(
            "a batch of {} samples needs {} floats and {} labels, got buffers of {} and {}",
            indices.len(),
            indices.len() * n,
            indices.len(),
            out.len(),
            labels_out.len()
        )));
    }
    if let Some(&bad) = indices.iter().find(|&&i| i >= data.len()) {
        return Err(Error::OutOfRange {
            what: "sample index",
            detail: format!("{bad} but the dataset has {} samples", data.len()),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_copied_with_their_labels() {
        let data =
            FloatDataset::new(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], vec![2, 0, 1], 2, 3).unwrap();
        assert_eq!((data.len(), data.sample_len(), data.classes()), (3, 2, 3));
        let mut out = [0.0; 4];
        let mut labels = [9; 2];
        data.fill_batch(&[2, 0], &mut out, &mut labels).unwrap();
        assert_eq!(out, [5.0, 6.0, 1.0, 2.0]);
        assert_eq!(labels, [1, 2]);
    }

    #[test]
    fn bad_rows_labels_and_batches_are_refused() {
        let err = FloatDataset::new(vec![0.0; 3], vec![0, 0], 2, 2).unwrap_err();
        assert!(err.to_string().contains("2 labels need 4 values"), "{err}");
        let err = FloatDataset::new(vec![0.0; 4], vec![0, 2], 2, 2).unwrap_err();
        assert!(err.to_string().contains("row 1 has label 2"), "{err}");
        assert!(FloatDataset::new(vec![], vec![], 0, 2).is_err());
        let data = FloatDataset::new(vec![0.0; 4], vec![0, 1], 2, 2).unwrap();
        let err = data.fill_batch(&[2], &mut [0.0; 2], &mut [0]).unwrap_err();
        assert!(err.to_string().contains("2 but the dataset has 2"), "{err}");
        assert!(data.fill_batch(&[0], &mut [0.0; 3], &mut [0]).is_err());
    }
}
