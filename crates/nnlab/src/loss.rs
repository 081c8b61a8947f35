//! Softmax cross-entropy and accuracy on plain logits (no graph): what the
//! training loop reports and the evaluation on the test set computes.
//!
//! Logits are `[rows, classes]`; `labels[i]` is the class of row `i`. A label
//! out of range or a row count that differs from the label count is a
//! programming error and panics; user data is validated earlier (see
//! [`Mlp::loss_and_grads`](crate::nn::Mlp::loss_and_grads)).

use crate::tensor::Tensor;

/// `log Σⱼ exp(zⱼ)` in two parts, `(max, log Σⱼ exp(zⱼ − max))`: every
/// exponent is ≤ 0, so nothing overflows, and the largest term is exactly 1,
/// so the sum never underflows to 0. An empty row gives `(−∞, 0)`.
pub fn log_sum_exp_parts(row: &[f32]) -> (f32, f32) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !max.is_finite() {
        return (max, 0.0);
    }
    let sum: f32 = row.iter().map(|&z| (z - max).exp()).sum();
    (max, sum.ln())
}

/// `log Σⱼ exp(zⱼ)`, computed stably (see [`log_sum_exp_parts`]).
pub fn log_sum_exp(row: &[f32]) -> f32 {
    let (max, log_sum) = log_sum_exp_parts(row);
    max + log_sum
}

/// `−log softmax(z)[label] = log Σⱼ exp(zⱼ) − z[label]`, summed as
/// `(max − z[label]) + log Σⱼ exp(zⱼ − max)` from `parts` (see
/// [`log_sum_exp_parts`]): the large `max` cancels against `z[label]` before
/// the small logarithm is added, so huge logits (weights of 1e30) keep the
/// ln 10 of a uniform guess instead of rounding the loss to 0.
pub fn cross_entropy_term(row: &[f32], label: usize, (max, log_sum): (f32, f32)) -> f32 {
    (max - row[label]) + log_sum
}

/// Mean over rows of `−log softmax(z)[label]` (see [`cross_entropy_term`]).
pub fn softmax_cross_entropy(logits: &Tensor, labels: &[usize]) -> f32 {
    let (rows, classes) = check(logits, labels);
    let total: f64 = logits
        .data()
        .chunks(classes)
        .zip(labels)
        .map(|(row, &label)| f64::from(cross_entropy_term(row, label, log_sum_exp_parts(row))))
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
        // Ten equal huge logits: a uniform guess, loss ln 10 = 2.302585 —
        // (max + ln 10) − z would round to 0 in f32.
        let huge = Tensor::new(&[1, 10], vec![1e30; 10]);
        let loss = softmax_cross_entropy(&huge, &[3]);
        assert!((loss - 10f32.ln()).abs() < 1e-6, "{loss}");
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
