//! The tensor graph on small cases worked out by hand.

use nnlab::autodiff::Graph;
use nnlab::Tensor;

fn close(actual: &[f32], expected: &[f32], tol: f32) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= tol, "{actual:?} vs {expected:?}");
    }
}

#[test]
fn matmul_2x2() {
    // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]].
    // A·B = [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]] = [[19, 22], [43, 50]]; L = Σ = 134.
    // ∂L/∂A = 1·Bᵀ (all-ones upstream): ∂L/∂A[i][k] = Σⱼ B[k][j] → rows of B summed: [[11, 15], [11, 15]].
    // ∂L/∂B = Aᵀ·1: ∂L/∂B[k][j] = Σᵢ A[i][k] → columns of A summed: [[4, 4], [6, 6]].
    let mut g = Graph::new();
    let a = g.param(Tensor::new(&[2, 2], vec![1.0, 2.0, 3.0, 4.0]));
    let b = g.param(Tensor::new(&[2, 2], vec![5.0, 6.0, 7.0, 8.0]));
    let y = g.matmul(a, b);
    let loss = g.sum(y);
    g.backward(loss);
    assert_eq!(g.value(y).data(), &[19.0, 22.0, 43.0, 50.0]);
    assert_eq!(g.value(loss).item(), 134.0);
    assert_eq!(g.grad(a).unwrap().data(), &[11.0, 15.0, 11.0, 15.0]);
    assert_eq!(g.grad(b).unwrap().data(), &[4.0, 4.0, 6.0, 6.0]);
    assert_eq!(g.grad(y).unwrap().data(), &[1.0; 4]);
}

#[test]
fn dense_layer_with_relu() {
    // x = [1, 2], W = [[3, −1], [0.5, 2], [−1, −1]] ([out=3, in=2]), b = [0.5, −1, 0].
    // z = x·Wᵀ + b = [3−2+0.5, 0.5+4−1, −1−2+0] = [1.5, 3.5, −3]; relu → [1.5, 3.5, 0]; L = Σ = 5.
    // ∂L/∂z = [1, 1, 0] (the third unit is off). ∂L/∂W[j] = ∂L/∂z[j]·x → [[1, 2], [1, 2], [0, 0]];
    // ∂L/∂b = ∂L/∂z = [1, 1, 0].
    let mut g = Graph::new();
    let x = g.input(Tensor::new(&[1, 2], vec![1.0, 2.0]));
    let w = g.param(Tensor::new(&[3, 2], vec![3.0, -1.0, 0.5, 2.0, -1.0, -1.0]));
    let b = g.param(Tensor::new(&[3], vec![0.5, -1.0, 0.0]));
    let z = g.matmul_bt(x, w);
    let z = g.add_bias(z, b);
    let h = g.relu(z);
    let loss = g.sum(h);
    g.backward(loss);
    assert_eq!(g.value(z).data(), &[1.5, 3.5, -3.0]);
    assert_eq!(g.value(loss).item(), 5.0);
    assert_eq!(g.grad(w).unwrap().data(), &[1.0, 2.0, 1.0, 2.0, 0.0, 0.0]);
    assert_eq!(g.grad(b).unwrap().data(), &[1.0, 1.0, 0.0]);
    assert!(g.grad(x).is_none());
}

#[test]
fn softmax_cross_entropy_of_zero_and_ln3() {
    // z = [0, ln 3], label 0: softmax = [1, 3]/(1 + 3) = [1/4, 3/4]; loss = −ln(1/4) = ln 4.
    // ∂loss/∂z = softmax − one_hot(0) = [1/4 − 1, 3/4] = [−3/4, 3/4].
    let mut g = Graph::new();
    let z = g.param(Tensor::new(&[1, 2], vec![0.0, 3f32.ln()]));
    let loss = g.softmax_cross_entropy(z, &[0]);
    g.backward(loss);
    assert!((g.value(loss).item() - 4f32.ln()).abs() < 1e-6);
    assert_eq!(g.value(loss).shape(), &[] as &[usize]);
    close(g.grad(z).unwrap().data(), &[-0.75, 0.75], 1e-6);
}

#[test]
fn softmax_cross_entropy_averages_over_rows() {
    // Row 0 as above (loss ln 4, gradient [−3/4, 3/4]); row 1: z = [0, 0], label 1:
    // softmax [1/2, 1/2], loss ln 2, gradient [1/2, −1/2]. The mean halves everything:
    // loss (ln 4 + ln 2)/2 = 1.5 ln 2, gradients [[−3/8, 3/8], [1/4, −1/4]].
    let mut g = Graph::new();
    let z = g.param(Tensor::new(&[2, 2], vec![0.0, 3f32.ln(), 0.0, 0.0]));
    let loss = g.softmax_cross_entropy(z, &[0, 1]);
    g.backward(loss);
    assert!((g.value(loss).item() - 1.5 * 2f32.ln()).abs() < 1e-6);
    close(
        g.grad(z).unwrap().data(),
        &[-0.375, 0.375, 0.25, -0.25],
        1e-6,
    );
}

#[test]
fn softmax_cross_entropy_is_stable_at_1000() {
    // z = [1000, −1000], label 1: log Σ exp = 1000 + ln(1 + e⁻²⁰⁰⁰) = 1000 (in f32),
    // loss = 1000 − (−1000) = 2000; softmax = [1, 0] → gradient [1, −1].
    // Row 2: z = [−1000, 1000], label 1: loss 0, gradient [0, 0]. Mean over 2 rows.
    let mut g = Graph::new();
    let z = g.param(Tensor::new(&[2, 2], vec![1000.0, -1000.0, -1000.0, 1000.0]));
    let loss = g.softmax_cross_entropy(z, &[1, 1]);
    g.backward(loss);
    assert_eq!(g.value(loss).item(), 1000.0);
    assert_eq!(g.grad(z).unwrap().data(), &[0.5, -0.5, 0.0, 0.0]);
}

#[test]
fn value_used_twice_accumulates() {
    // y = x∘x + x at x = [3, −1]: ∂Σy/∂x = 2x + 1 = [7, −1]. Three uses of x, one gradient.
    let mut g = Graph::new();
    let x = g.param(Tensor::new(&[2], vec![3.0, -1.0]));
    let sq = g.mul(x, x);
    let y = g.add(sq, x);
    let loss = g.sum(y);
    g.backward(loss);
    assert_eq!(g.value(loss).item(), 9.0 + 3.0 + 1.0 - 1.0);
    assert_eq!(g.grad(x).unwrap().data(), &[7.0, -1.0]);
}

#[test]
fn scale_sub_and_mean() {
    // L = mean(3·(a − b)) over 4 elements: ∂L/∂a = 3/4, ∂L/∂b = −3/4 everywhere.
    // a − b = [1, 1, 1, 1] → L = 3.
    let mut g = Graph::new();
    let a = g.param(Tensor::new(&[2, 2], vec![2.0, 3.0, 4.0, 5.0]));
    let b = g.param(Tensor::new(&[2, 2], vec![1.0, 2.0, 3.0, 4.0]));
    let d = g.sub(a, b);
    let s = g.scale(d, 3.0);
    let loss = g.mean(s);
    g.backward(loss);
    assert_eq!(g.value(loss).item(), 3.0);
    assert_eq!(g.grad(a).unwrap().data(), &[0.75; 4]);
    assert_eq!(g.grad(b).unwrap().data(), &[-0.75; 4]);
}

#[test]
fn sigmoid_and_tanh_by_hand() {
    // σ(0) = 1/2, σ′(0) = 1/4; tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5, tanh′ = 1 − 9/25 = 16/25.
    let mut g = Graph::new();
    let a = g.param(Tensor::new(&[1], vec![0.0]));
    let b = g.param(Tensor::new(&[1], vec![2f32.ln()]));
    let s = g.sigmoid(a);
    let t = g.tanh(b);
    let both = g.add(s, t);
    let loss = g.sum(both);
    g.backward(loss);
    close(g.value(loss).data(), &[0.5 + 0.6], 1e-6);
    close(g.grad(a).unwrap().data(), &[0.25], 1e-7);
    close(g.grad(b).unwrap().data(), &[0.64], 1e-6);
}

#[test]
fn sigmoid_does_not_overflow() {
    // σ(−1000) = 0 and σ(1000) = 1, no NaN from e¹⁰⁰⁰; both gradients are 0.
    let mut g = Graph::new();
    let a = g.param(Tensor::new(&[2], vec![-1000.0, 1000.0]));
    let s = g.sigmoid(a);
    let loss = g.sum(s);
    g.backward(loss);
    assert_eq!(g.value(s).data(), &[0.0, 1.0]);
    assert_eq!(g.grad(a).unwrap().data(), &[0.0, 0.0]);
}

#[test]
fn inputs_and_what_depends_only_on_them_get_no_gradient() {
    // x is data; relu(x) depends only on data; w is a parameter.
    let mut g = Graph::new();
    let x = g.input(Tensor::new(&[1, 2], vec![-1.0, 2.0]));
    let hx = g.relu(x);
    let w = g.param(Tensor::new(&[1, 2], vec![1.0, 1.0]));
    let y = g.mul(hx, w);
    let loss = g.sum(y);
    g.backward(loss);
    assert!(g.grad(x).is_none());
    assert!(g.grad(hx).is_none());
    // ∂L/∂w = relu(x) = [0, 2].
    assert_eq!(g.grad(w).unwrap().data(), &[0.0, 2.0]);
    assert_eq!(g.len(), 5);
}

#[test]
fn a_loss_of_data_alone_has_no_gradients() {
    let mut g = Graph::new();
    let x = g.input(Tensor::new(&[2], vec![1.0, 2.0]));
    let loss = g.sum(x);
    g.backward(loss);
    assert_eq!(g.value(loss).item(), 3.0);
    assert!(g.grad(loss).is_none());
    assert!(g.grad(x).is_none());
}

#[test]
fn nodes_not_on_the_way_to_the_loss_get_no_gradient() {
    // `other` uses the parameter but the loss does not use `other`.
    let mut g = Graph::new();
    let p = g.param(Tensor::new(&[2], vec![1.0, 2.0]));
    let other = g.scale(p, 10.0);
    let loss = g.sum(p);
    g.backward(loss);
    assert!(g.grad(other).is_none());
    assert_eq!(g.grad(p).unwrap().data(), &[1.0, 1.0]);
}

#[test]
fn backward_twice_does_not_double() {
    let mut g = Graph::new();
    let p = g.param(Tensor::new(&[2], vec![1.0, 2.0]));
    let y = g.scale(p, 2.0);
    let loss = g.sum(y);
    g.backward(loss);
    g.backward(loss);
    assert_eq!(g.grad(p).unwrap().data(), &[2.0, 2.0]);
}

#[test]
#[should_panic(expected = "matmul: inner dimensions differ (2×3 · 2×2)")]
fn shape_mismatch_panics_with_shapes() {
    let mut g = Graph::new();
    let a = g.param(Tensor::zeros(&[2, 3]));
    let b = g.param(Tensor::zeros(&[2, 2]));
    g.matmul(a, b);
}

#[test]
#[should_panic(expected = "the loss must have one element")]
fn backward_needs_a_scalar() {
    let mut g = Graph::new();
    let a = g.param(Tensor::zeros(&[2]));
    g.backward(a);
}
