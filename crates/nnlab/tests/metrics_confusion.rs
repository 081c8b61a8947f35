//! The confusion matrix on predictions worked out by hand.

use nnlab::metrics::ConfusionMatrix;

/// 3 classes, 8 predictions as (pred, label):
/// label 0: predicted 0, 0, 1      → row 0 = [2, 1, 0]
/// label 1: predicted 1, 2         → row 1 = [0, 1, 1]
/// label 2: predicted 2, 2, 0      → row 2 = [1, 0, 2]
fn example() -> ConfusionMatrix {
    let mut m = ConfusionMatrix::new(3);
    for (pred, label) in [
        (0, 0),
        (0, 0),
        (1, 0),
        (1, 1),
        (2, 1),
        (2, 2),
        (2, 2),
        (0, 2),
    ] {
        m.add(pred, label);
    }
    m
}

#[test]
fn counts_and_sums() {
    let m = example();
    assert_eq!(m.counts(), &[2, 1, 0, 0, 1, 1, 1, 0, 2]);
    assert_eq!(m.count(2, 0), 1);
    assert_eq!(m.total(), 8);
    // Diagonal 2 + 1 + 2 = 5.
    assert_eq!(m.correct(), 5);
    assert_eq!(m.row_sums(), vec![3, 2, 3]);
    // Columns: predicted 0 three times, 1 twice, 2 three times.
    assert_eq!(m.col_sums(), vec![3, 2, 3]);
}

#[test]
fn accuracy_recall_precision() {
    let m = example();
    assert_eq!(m.accuracy(), Some(5.0 / 8.0));
    // Recall (per-class accuracy) = diagonal / row sum: 2/3, 1/2, 2/3.
    assert_eq!(
        m.per_class_accuracy(),
        vec![Some(2.0 / 3.0), Some(0.5), Some(2.0 / 3.0)]
    );
    // Precision = diagonal / column sum: 2/3, 1/2, 2/3 — equal here only
    // because the row and column sums happen to agree.
    assert_eq!(m.precision(1), Some(0.5));
    let mut lopsided = ConfusionMatrix::new(2);
    // Three class-0 images all predicted 1; one class-1 image predicted 1.
    for (pred, label) in [(1, 0), (1, 0), (1, 0), (1, 1)] {
        lopsided.add(pred, label);
    }
    assert_eq!(lopsided.recall(1), Some(1.0));
    assert_eq!(lopsided.precision(1), Some(0.25));
    assert_eq!(lopsided.recall(0), Some(0.0));
    assert_eq!(lopsided.precision(0), None, "class 0 was never predicted");
}

#[test]
fn empty_and_merged() {
    let empty = ConfusionMatrix::new(10);
    assert_eq!(empty.accuracy(), None);
    assert_eq!(empty.per_class_accuracy(), vec![None; 10]);
    let mut m = example();
    m.merge(&example());
    assert_eq!((m.total(), m.correct(), m.count(0, 0)), (16, 10, 4));
}

#[test]
#[should_panic(expected = "prediction 3 / label 0 outside 3 classes")]
fn out_of_range_is_a_bug() {
    ConfusionMatrix::new(3).add(3, 0);
}
