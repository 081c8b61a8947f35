//! Every input on the same scale: minus its mean, over its standard
//! deviation, both measured on the training set only.
//!
//! A linear classifier trained by Adam on raw values would have to learn
//! around their different scales (a HOG value is at most about 0.7, a hue
//! fraction often 0); standardised, each input is about 0 ± 1. The test set
//! is scaled with the *training* set's mean and deviation, as if its images
//! were unseen — measuring them on the test set would leak it into training.

use crate::data::{check_batch, FloatDataset, Samples};
use crate::error::{Error, Result};

/// Rows read at a time while fitting.
const CHUNK: usize = 256;

/// The per-input mean and standard deviation of a training set.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardiser {
    mean: Vec<f32>,
    std: Vec<f32>,
}

impl Standardiser {
    /// The mean and the (population) standard deviation of every input over
    /// the rows of `data`, in two passes in f64. An input with no spread
    /// (the same value in every row) keeps a deviation of 1, as in
    /// scikit-learn's `StandardScaler`: it becomes 0 everywhere rather than
    /// 0/0. Errors if `data` is empty.
    pub fn fit(data: &dyn Samples) -> Result<Standardiser> {
        let n = data.len();
        if n == 0 {
            return Err(Error::InvalidData(
                "there is nothing to measure a mean on".into(),
            ));
        }
        let width = data.sample_len();
        let mut sums = vec![0.0f64; width];
        for_each_row(data, |row| {
            sums.iter_mut()
                .zip(row)
                .for_each(|(s, &v)| *s += f64::from(v));
        })?;
        let mean: Vec<f64> = sums.iter().map(|s| s / n as f64).collect();
        let mut squares = vec![0.0f64; width];
        for_each_row(data, |row| {
            for ((s, &v), m) in squares.iter_mut().zip(row).zip(&mean) {
                let d = f64::from(v) - m;
                *s += d * d;
            }
        })?;
        let std = squares
            .iter()
            .map(|s| match (s / n as f64).sqrt() as f32 {
                d if d > 0.0 && d.is_finite() => d,
                _ => 1.0,
            })
            .collect();
        Ok(Standardiser {
            mean: mean.iter().map(|&m| m as f32).collect(),
            std,
        })
    }

    /// Values per row this standardiser was fitted to.
    pub fn width(&self) -> usize {
        self.mean.len()
    }

    /// The training mean of every input.
    pub fn mean(&self) -> &[f32] {
        &self.mean
    }

    /// The training standard deviation of every input (1 where there was none).
    pub fn std(&self) -> &[f32] {
        &self.std
    }

    /// `(v − mean) / std` for every value of `row`. Panics if `row` is not
    /// [`Standardiser::width`] values.
    pub fn apply(&self, row: &mut [f32]) {
        assert_eq!(row.len(), self.width(), "a row of {} values", self.width());
        for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
            *v = (*v - m) / s;
        }
    }

    /// Every row of `data` standardised in place. Errors if its rows are
    /// not [`Standardiser::width`] values.
    pub fn apply_to(&self, data: &mut FloatDataset) -> Result<()> {
        self.check_width(data.sample_len())?;
        data.rows_mut().for_each(|row| self.apply(row));
        Ok(())
    }

    fn check_width(&self, width: usize) -> Result<()> {
        if width != self.width() {
            return Err(Error::WrongDimension {
                what: "standardised row",
                expected: self.width(),
                got: width,
            });
        }
        Ok(())
    }
}

/// Another source's rows standardised as they are read: pixels of 50,000
/// images stay bytes (150 MB) instead of becoming floats (600 MB).
pub struct Standardised<'a> {
    data: &'a dyn Samples,
    standardiser: Standardiser,
}

impl<'a> Standardised<'a> {
    /// `data` seen through `standardiser`. Errors if the widths differ.
    pub fn new(data: &'a dyn Samples, standardiser: Standardiser) -> Result<Standardised<'a>> {
        standardiser.check_width(data.sample_len())?;
        Ok(Standardised { data, standardiser })
    }

    /// The mean and deviation applied.
    pub fn standardiser(&self) -> &Standardiser {
        &self.standardiser
    }
}

impl Samples for Standardised<'_> {
    fn len(&self) -> usize {
        self.data.len()
    }

    fn sample_len(&self) -> usize {
        self.data.sample_len()
    }

    fn classes(&self) -> usize {
        self.data.classes()
    }

    fn fill_batch(
        &self,
        indices: &[usize],
        out: &mut [f32],
        labels_out: &mut [usize],
    ) -> Result<()> {
        check_batch(self, indices, out, labels_out)?;
        self.data.fill_batch(indices, out, labels_out)?;
        out.chunks_exact_mut(self.sample_len())
            .for_each(|row| self.standardiser.apply(row));
        Ok(())
    }
}

/// Calls `f` on every row of `data`, read `CHUNK` rows at a time.
fn for_each_row(data: &dyn Samples, mut f: impl FnMut(&[f32])) -> Result<()> {
    let width = data.sample_len();
    let mut indices = Vec::with_capacity(CHUNK);
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for start in (0..data.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(data.len());
        indices.clear();
        indices.extend(start..end);
        rows.resize(indices.len() * width, 0.0);
        labels.resize(indices.len(), 0);
        data.fill_batch(&indices, &mut rows, &mut labels)?;
        rows.chunks_exact(width).for_each(&mut f);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FloatDataset {
        // Column 0: 1, 3 (mean 2, std 1); column 1: 5, 5 (no spread).
        FloatDataset::new(vec![1.0, 5.0, 3.0, 5.0], vec![0, 1], 2, 2).unwrap()
    }

    #[test]
    fn mean_and_deviation_by_hand() {
        let s = Standardiser::fit(&table()).unwrap();
        assert_eq!(s.mean(), [2.0, 5.0]);
        assert_eq!(s.std(), [1.0, 1.0]);
        let mut row = [4.0, 7.0];
        s.apply(&mut row);
        assert_eq!(row, [2.0, 2.0]);
    }

    #[test]
    fn a_view_and_an_in_place_copy_agree() {
        let data = table();
        let s = Standardiser::fit(&data).unwrap();
        let view = Standardised::new(&data, s.clone()).unwrap();
        let mut out = [0.0; 4];
        let mut labels = [0; 2];
        view.fill_batch(&[0, 1], &mut out, &mut labels).unwrap();
        assert_eq!(out, [-1.0, 0.0, 1.0, 0.0]);
        let mut copy = data.clone();
        s.apply_to(&mut copy).unwrap();
        assert_eq!([copy.row(0), copy.row(1)].concat(), out);
        assert!(Standardiser::fit(&FloatDataset::new(vec![], vec![], 2, 2).unwrap()).is_err());
        let narrow = FloatDataset::new(vec![1.0], vec![0], 1, 2).unwrap();
        assert!(Standardised::new(&narrow, s).is_err());
    }
}
