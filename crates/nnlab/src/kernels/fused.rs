//! The cheap element-wise passes of a dense layer, fused so each runs once
//! over memory that is still in cache right after its matrix product.
//!
//! The autodiff [`Graph`](crate::autodiff::Graph) records `x·Wᵀ`, `+ b` and
//! the activation as three nodes and makes a new tensor for each; the
//! allocation-free training step ([`crate::nn::step`]) calls these instead,
//! in place on buffers it owns. Each pass does the same floating-point
//! operations in the same order as the graph's nodes, so both paths give the
//! same numbers (bit for bit with ReLU; sigmoid is written differently in the
//! graph and may differ in the last place).
//!
//! All matrices are row-major `[rows, width]` slices.

use crate::loss::{cross_entropy_term, log_sum_exp_parts};
use crate::nn::Activation;

/// `z[i, j] ← f(z[i, j] + bias[j])` for every row of `z` `[rows, bias.len()]`:
/// a layer's pre-activation turned into its output in one pass.
///
/// # Panics
/// If `z.len()` is not a multiple of `bias.len()` (a bug in the caller).
pub fn bias_activation(z: &mut [f32], bias: &[f32], activation: Activation) {
    check_rows("bias_activation", z.len(), bias.len());
    // One loop per activation, so the common ones compile to plain vector code.
    match activation {
        Activation::Relu => for_each_row(z, bias, |v, b| (v + b).max(0.0)),
        Activation::Identity => for_each_row(z, bias, |v, b| v + b),
        other => for_each_row(z, bias, |v, b| other.apply(v + b)),
    }
}

/// `delta ← delta ∘ f′`, where `f′` is computed from the activation's own
/// output `y` (the same shape as `delta`): the chain rule back through the
/// activation, without keeping the pre-activation values.
///
/// ReLU passes `delta` where `y > 0` (the input was positive; 0 at exactly 0,
/// as in PyTorch), sigmoid multiplies by `y(1 − y)`, tanh by `1 − y²`.
///
/// # Panics
/// If the lengths differ.
pub fn activation_backward(delta: &mut [f32], y: &[f32], activation: Activation) {
    assert_eq!(
        delta.len(),
        y.len(),
        "activation_backward: delta and output lengths differ"
    );
    let pairs = delta.iter_mut().zip(y);
    match activation {
        Activation::Relu => pairs.for_each(|(d, &y)| *d = if y > 0.0 { *d } else { 0.0 }),
        Activation::Sigmoid => pairs.for_each(|(d, &s)| *d = *d * s * (1.0 - s)),
        Activation::Tanh => pairs.for_each(|(d, &t)| *d *= 1.0 - t * t),
        Activation::Identity => {}
    }
}

/// `grad[j] = Σᵢ delta[i, j]`: the bias gradient (every row used the bias
/// once). Rows are added in order, starting from zero.
///
/// # Panics
/// If `delta.len()` is not a multiple of `grad.len()`.
pub fn bias_grad(delta: &[f32], grad: &mut [f32]) {
    check_rows("bias_grad", delta.len(), grad.len());
    grad.fill(0.0);
    for row in delta.chunks_exact(grad.len()) {
        grad.iter_mut().zip(row).for_each(|(g, &d)| *g += d);
    }
}

/// What [`softmax_cross_entropy`] measured on a batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossAndCorrect {
    /// Mean over the rows of `−log softmax(z)[label]`.
    pub loss: f32,
    /// Rows whose largest logit (the first one on ties) is at the label.
    pub correct: usize,
}

/// Softmax cross-entropy forward and backward in one pass over the logits
/// `[rows, classes]`: returns the mean loss and the number of rows predicted
/// right, and writes `dlogits = (softmax(z) − one_hot(label)) / rows`, the
/// gradient of the mean loss.
///
/// Stable for any finite logits: the log-sum-exp is shifted by the row
/// maximum, so nothing overflows (see [`log_sum_exp_parts`]).
///
/// # Panics
/// If the shapes disagree or a label is not below `classes` (validate user
/// data before it gets here).
pub fn softmax_cross_entropy(
    logits: &[f32],
    labels: &[usize],
    dlogits: &mut [f32],
    classes: usize,
) -> LossAndCorrect {
    let rows = labels.len();
    assert!(
        classes > 0 && rows > 0 && logits.len() == rows * classes && dlogits.len() == logits.len(),
        "softmax_cross_entropy: {} logits and {} gradients for {rows} labels of {classes} classes",
        logits.len(),
        dlogits.len()
    );
    let scale = 1.0 / rows as f32;
    let mut total = 0.0f64;
    let mut correct = 0;
    for ((z, dz), &label) in logits
        .chunks_exact(classes)
        .zip(dlogits.chunks_exact_mut(classes))
        .zip(labels)
    {
        assert!(
            label < classes,
            "softmax_cross_entropy: label {label} but only {classes} classes"
        );
        let parts = log_sum_exp_parts(z);
        let lse = parts.0 + parts.1;
        for (d, &zj) in dz.iter_mut().zip(z) {
            *d = (zj - lse).exp();
        }
        dz[label] -= 1.0;
        dz.iter_mut().for_each(|d| *d *= scale);
        total += f64::from(cross_entropy_term(z, label, parts));
        correct += usize::from(argmax(z) == label);
    }
    LossAndCorrect {
        loss: (total / rows as f64) as f32,
        correct,
    }
}

/// Index of the largest value, the first one on ties (0 for an empty row).
pub fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    for (j, &z) in row.iter().enumerate() {
        if z > row[best] {
            best = j;
        }
    }
    best
}

/// Applies `f(value, bias[j])` to every element of every row.
#[inline(always)]
fn for_each_row(z: &mut [f32], bias: &[f32], f: impl Fn(f32, f32) -> f32) {
    for row in z.chunks_exact_mut(bias.len()) {
        row.iter_mut().zip(bias).for_each(|(v, &b)| *v = f(*v, b));
    }
}

fn check_rows(what: &str, len: usize, width: usize) {
    assert!(
        width > 0 && len.is_multiple_of(width),
        "{what}: {len} values do not make whole rows of {width}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bias_relu_by_hand() {
        // Rows [1, −3] and [−1, 0.5] plus bias [0.5, 2]: [1.5, −1] and [−0.5, 2.5];
        // ReLU keeps the positives: [1.5, 0], [0, 2.5].
        let mut z = [1.0, -3.0, -1.0, 0.5];
        bias_activation(&mut z, &[0.5, 2.0], Activation::Relu);
        assert_eq!(z, [1.5, 0.0, 0.0, 2.5]);
        let mut z = [1.0, -3.0, -1.0, 0.5];
        bias_activation(&mut z, &[0.5, 2.0], Activation::Identity);
        assert_eq!(z, [1.5, -1.0, -0.5, 2.5]);
        // sigmoid(−1 + 1) = 1/2, tanh(0 + 0) = 0.
        let mut z = [-1.0];
        bias_activation(&mut z, &[1.0], Activation::Sigmoid);
        assert_eq!(z, [0.5]);
    }

    #[test]
    fn activation_backward_by_hand() {
        // ReLU outputs [2, 0, 3]: the gradient passes where the output is positive.
        let mut d = [10.0, 20.0, 30.0];
        activation_backward(&mut d, &[2.0, 0.0, 3.0], Activation::Relu);
        assert_eq!(d, [10.0, 0.0, 30.0]);
        // Sigmoid output 1/2: σ′ = 1/2·1/2 = 1/4, so 8 → 2. Tanh output 1/2: 1 − 1/4 = 3/4, 8 → 6.
        let mut d = [8.0];
        activation_backward(&mut d, &[0.5], Activation::Sigmoid);
        assert_eq!(d, [2.0]);
        let mut d = [8.0];
        activation_backward(&mut d, &[0.5], Activation::Tanh);
        assert_eq!(d, [6.0]);
    }

    #[test]
    fn bias_grad_sums_columns() {
        // [[1, 2], [3, 4], [5, 6]]: column sums 1+3+5 = 9, 2+4+6 = 12 (old contents ignored).
        let mut g = [100.0, 100.0];
        bias_grad(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &mut g);
        assert_eq!(g, [9.0, 12.0]);
    }

    #[test]
    fn softmax_cross_entropy_by_hand() {
        // Row 0: z = [0, ln 3], label 0: softmax [1/4, 3/4], loss ln 4, predicted 1 (wrong).
        // Row 1: z = [0, 0], label 0: softmax [1/2, 1/2], loss ln 2, predicted 0 (tie → first, right).
        // Mean loss (ln 4 + ln 2)/2 = 1.5 ln 2; gradient (p − one_hot)/2:
        // row 0 [(1/4 − 1)/2, (3/4)/2] = [−3/8, 3/8], row 1 [(1/2 − 1)/2, (1/2)/2] = [−1/4, 1/4].
        let logits = [0.0, 3f32.ln(), 0.0, 0.0];
        let mut d = [f32::NAN; 4];
        let r = softmax_cross_entropy(&logits, &[0, 0], &mut d, 2);
        assert!((r.loss - 1.5 * 2f32.ln()).abs() < 1e-6, "{}", r.loss);
        assert_eq!(r.correct, 1);
        for (got, want) in d.iter().zip([-0.375, 0.375, -0.25, 0.25]) {
            assert!((got - want).abs() < 1e-6, "{d:?}");
        }
    }

    #[test]
    fn softmax_cross_entropy_is_stable() {
        // z = [1000, 0, −1000], label 1: loss = 1000 − 0; softmax ≈ [1, 0, 0], so the
        // gradient is [1, −1, 0] (one row, no averaging), all finite.
        let mut d = [f32::NAN; 3];
        let r = softmax_cross_entropy(&[1000.0, 0.0, -1000.0], &[1], &mut d, 3);
        assert_eq!((r.loss, r.correct), (1000.0, 0));
        assert_eq!(d, [1.0, -1.0, 0.0]);
    }

    #[test]
    #[should_panic(expected = "label 2 but only 2 classes")]
    fn label_out_of_range_panics() {
        softmax_cross_entropy(&[0.0, 0.0], &[2], &mut [0.0; 2], 2);
    }
}
