//! Softmax cross-entropy and accuracy on plain logits (no graph): what the
//! training loop reports and the evaluation on the test set computes.
//!
//! Logits are `[rows, classes]`; `labels[i]` is the class of row `i`. A label
//! out of range or a row count that differs from the label count is a
//! programming error and panics; user data is validated earlier (see
//! [`Mlp::loss_and_grads`](crate::nn::Mlp::loss_and_grads)).

use crate::tensor::Tensor;

/// `log Σⱼ exp(zⱼ)`, computed stably as `max + log Σⱼ exp(zⱼ − max)`: every
/// exponent is ≤ 0, so nothing overflows, and the largest term is exactly 1,
/// so the sum never underflows to 0. An empty row gives −∞.
pub fn log_sum_exp(row: &[f32]) -> f32 {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !max.is_finite() {
        return max;
    }
    let sum: f32 = row.iter().map(|&z| (z - max).exp()).sum();
    max + sum.ln()
}

/// Mean over rows of `−log softmax(z)[label] = log Σ exp(z) − z[label]`.
pub fn softmax_cross_entropy(logits: &Tensor, labels: &[usize]) -> f32 {
    let (rows, classes) = check(logits, labels);
    let total: f64 = logits
        .data()
        .chunks(classes)
        .zip(labels)
        .map(|(row, &label)| f64::from(log_sum_exp(row) - row[label]))
        .sum();
    (total / rows as f64) as f32
}

/// The predicted class of each row: the index of its largest logit (the
/// first one on ties).
pub fn predictions(logits: &Tensor) -> Vec<usize> {
    let (_, classes) = logits.dims2();
    logits
        .data()
        .chunks(classes)
        .map(|row| {
            let mut best = 0;
            for (j, &z) in row.iter().enumerate() {
                if z > row[best] {
                    best = j;
                }
            }
            best
        })
        .collect()
}

/// Fraction of rows whose predicted class equals the label, in `[0, 1]`.
pub fn accuracy(logits: &Tensor, labels: &[usize]) -> f32 {
    let (rows, _) = check(logits, labels);
    let correct = predictions(logits)
        .iter()
        .zip(labels)
        .filter(|(p, l)| p == l)
        .count();
    correct as f32 / rows as f32
}

fn check(logits: &Tensor, labels: &[usize]) -> (usize, usize) {
    let (rows, classes) = logits.dims2();
    assert!(rows > 0, "no rows to average over");
    assert_eq!(
        rows,
        labels.len(),
        "{rows} rows of logits but {} labels",
        labels.len()
    );
    if let Some(bad) = labels.iter().find(|&&l| l >= classes) {
        panic!("label {bad} but only {classes} classes");
    }
    (rows, classes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_entropy_by_hand() {
        // Row 1: z = [0, ln 3], label 0: softmax = [1/4, 3/4], loss = −ln(1/4) = ln 4.
        // Row 2: z = [0, 0], label 1: softmax = [1/2, 1/2], loss = ln 2.
        // Mean = (ln 4 + ln 2)/2 = (3/2) ln 2.
        let logits = Tensor::new(&[2, 2], vec![0.0, 3f32.ln(), 0.0, 0.0]);
        let loss = softmax_cross_entropy(&logits, &[0, 1]);
        assert!((loss - 1.5 * 2f32.ln()).abs() < 1e-6, "{loss}");
    }

    #[test]
    fn cross_entropy_is_stable_for_huge_logits() {
        // z = [1000, 0, −1000], label 1: log Σ exp = 1000 + ln(1 + e⁻¹⁰⁰⁰ + e⁻²⁰⁰⁰) = 1000
        // (in f32), loss = 1000 − 0 = 1000. Label 0 gives ln(1 + …) = 0.
        let logits = Tensor::new(&[2, 3], vec![1000.0, 0.0, -1000.0, 1000.0, 0.0, -1000.0]);
        assert_eq!(softmax_cross_entropy(&logits, &[1, 1]), 1000.0);
        assert_eq!(softmax_cross_entropy(&logits, &[0, 0]), 0.0);
    }

    #[test]
    fn log_sum_exp_by_hand() {
        // ln(e¹ + e¹) = 1 + ln 2.
        assert!((log_sum_exp(&[1.0, 1.0]) - (1.0 + 2f32.ln())).abs() < 1e-6);
        assert_eq!(log_sum_exp(&[]), f32::NEG_INFINITY);
    }

    #[test]
    fn accuracy_counts_argmax_matches() {
        // Predictions: row 0 → 2, row 1 → 0, row 2 → 1 (tie 1 vs 1 → first), row 3 → 1.
        let logits = Tensor::new(
            &[4, 3],
            vec![
                0.1, 0.2, 0.9, 5.0, -1.0, 0.0, 0.0, 1.0, 1.0, -3.0, -1.0, -2.0,
            ],
        );
        assert_eq!(predictions(&logits), vec![2, 0, 1, 1]);
        // Labels [2, 0, 2, 0]: rows 0 and 1 right → 2/4.
        assert_eq!(accuracy(&logits, &[2, 0, 2, 0]), 0.5);
    }

    #[test]
    #[should_panic(expected = "label 3 but only 3 classes")]
    fn label_out_of_range_panics() {
        softmax_cross_entropy(&Tensor::zeros(&[1, 3]), &[3]);
    }
}
