//! How good a classifier is, class by class: the confusion matrix.
//!
//! Row = true class, column = predicted class (the convention of
//! scikit-learn's `confusion_matrix`). The diagonal holds the correct
//! predictions; row `c` summed is how many images of class `c` were seen,
//! column `c` summed is how often `c` was predicted.

use serde::{Deserialize, Serialize};

/// Counts of (true class, predicted class) pairs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    classes: usize,
    /// `classes × classes`, row-major: `counts[label · classes + pred]`.
    counts: Vec<u64>,
}

impl ConfusionMatrix {
    /// All zeros for `classes` classes.
    pub fn new(classes: usize) -> ConfusionMatrix {
        ConfusionMatrix {
            classes,
            counts: vec![0; classes * classes],
        }
    }

    /// Number of classes (rows, and columns).
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Count one prediction. Panics if `pred` or `label` is not a class
    /// (they come from an argmax and a validated dataset, so that is a bug).
    pub fn add(&mut self, pred: usize, label: usize) {
        assert!(
            pred < self.classes && label < self.classes,
            "prediction {pred} / label {label} outside {} classes",
            self.classes
        );
        self.counts[label * self.classes + pred] += 1;
    }

    /// Add every count of `other` (same number of classes; panics otherwise).
    pub fn merge(&mut self, other: &ConfusionMatrix) {
        assert_eq!(
            self.classes, other.classes,
            "merging different class counts"
        );
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// How many images of class `label` were predicted as `pred`.
    pub fn count(&self, label: usize, pred: usize) -> u64 {
        self.counts[label * self.classes + pred]
    }

    /// All counts, row-major (row = true class).
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Number of predictions counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Number of correct predictions (the diagonal).
    pub fn correct(&self) -> u64 {
        (0..self.classes).map(|c| self.count(c, c)).sum()
    }

    /// Correct / total; `None` before anything was counted.
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.correct(), self.total())
    }

    /// Images per true class: the sum of each row.
    pub fn row_sums(&self) -> Vec<u64> {
        self.counts
            .chunks(self.classes.max(1))
            .map(|row| row.iter().sum())
            .collect()
    }

    /// Predictions per class: the sum of each column.
    pub fn col_sums(&self) -> Vec<u64> {
        (0..self.classes)
            .map(|pred| (0..self.classes).map(|label| self.count(label, pred)).sum())
            .collect()
    }

    /// Of the images of class `c`, the fraction predicted as `c` (recall,
    /// the per-class accuracy); `None` if no image of class `c` was seen.
    pub fn recall(&self, c: usize) -> Option<f64> {
        ratio(self.count(c, c), self.row_sums()[c])
    }

    /// Of the predictions `c`, the fraction that were right; `None` if `c`
    /// was never predicted.
    pub fn precision(&self, c: usize) -> Option<f64> {
        ratio(self.count(c, c), self.col_sums()[c])
    }

    /// [`ConfusionMatrix::recall`] of every class, in class order.
    pub fn per_class_accuracy(&self) -> Vec<Option<f64>> {
        (0..self.classes).map(|c| self.recall(c)).collect()
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
