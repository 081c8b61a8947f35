//! Finite-difference gradient checks for every op of the tensor graph, as
//! property tests over random shapes (1 to 4 per dimension) and values.
//!
//! How the check works: for an op `y = op(p₁, p₂, …)` we take a random weight
//! tensor `R` and the scalar `L = Σ R ∘ y`, so every output element matters
//! with its own weight (a plain `Σ y` would hide mistakes that swap or mix
//! elements). The analytic gradient comes from `Graph::backward`; the numeric
//! one, per element, from central differences `D(ε) = (L(p + ε) − L(p − ε)) / 2ε`
//! combined by Richardson extrapolation, `(4·D(ε/2) − D(ε)) / 3`, which
//! cancels the ε² error term of `D` and leaves O(ε⁴).
//!
//! Doing this in f32 with care:
//! - Every random value sits on a coarse binary grid (multiples of 1/16 in
//!   [−2, 2], weights multiples of 1/8 in [−1, 1]) and ε = 1/64 is a power of
//!   two. Then `p ± ε` and `p ± ε/2` are exact, and products and short sums
//!   of grid values need ≤ 20 significant bits, so f32 computes them
//!   *exactly*. For ops that are linear in each argument (matmul, add, mul,
//!   scale, relu away from its kink, sum) the differences are then exact too,
//!   and analytic and numeric gradients must agree to the last bit:
//!   tolerance [`EXACT`].
//! - `L` is summed in f64 from the f32 outputs, and only the output elements
//!   that depend on the perturbed entry change between `L(p+ε)` and `L(p−ε)`,
//!   so the only error left is f32 rounding of those few outputs.
//! - For smooth nonlinear ops (sigmoid, tanh, softmax cross-entropy, mean and
//!   the small network) truncation is now O(ε⁴) ≈ 10⁻⁷·|f⁽⁵⁾|, negligible.
//!   Rounding remains: a few f32 ulps of values ≤ 4 (≈ 10⁻⁶) divided by
//!   2·(ε/2) = 1/64 and weighted 4/3 by the extrapolation, ≈ 10⁻⁴ at worst,
//!   usually far less. Tolerance [`SMOOTH`] = 2·10⁻⁴ + 1% is above that, and
//!   far below the size of any real mistake (a wrong sign, a missing factor,
//!   a transposed index). Plain central differences were not enough for the
//!   network: with weights near 2 their ε² error reached 3·10⁻⁴.
//! - ReLU inputs stay at least 2/16 away from 0, so ±ε never crosses the kink.

use nnlab::autodiff::{Graph, TVar};
use nnlab::Tensor;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const EPS: f32 = 1.0 / 64.0;

/// `|analytic − numeric| ≤ abs + rel·|numeric|`.
#[derive(Clone, Copy, Debug)]
struct Tolerance {
    abs: f64,
    rel: f64,
}

/// Grid values make linear ops exact in f32 (see the module comment).
const EXACT: Tolerance = Tolerance {
    abs: 1e-9,
    rel: 0.0,
};
const SMOOTH: Tolerance = Tolerance {
    abs: 2e-4,
    rel: 1e-2,
};

/// Build the op under test from its operands (all trainable parameters).
trait Op: Fn(&mut Graph, &[TVar]) -> TVar {}
impl<T: Fn(&mut Graph, &[TVar]) -> TVar> Op for T {}

/// `L = Σ R ∘ y` computed in f64 from the f32 output of the op.
fn weighted_output(operands: &[Tensor], op: &impl Op, weights: &[f32]) -> f64 {
    let mut g = Graph::new();
    let vars: Vec<TVar> = operands.iter().map(|t| g.param(t.clone())).collect();
    let y = op(&mut g, &vars);
    let y = g.value(y).data();
    y.iter()
        .zip(weights)
        .map(|(&y, &r)| f64::from(y) * f64::from(r))
        .sum()
}

/// Compare `backward` with central differences for every element of every operand.
fn check(
    operands: &[Tensor],
    op: impl Op,
    weights: &[f32],
    tol: Tolerance,
) -> Result<(), TestCaseError> {
    // Analytic: the same op, then L = sum(y ∘ R) on the graph.
    let mut g = Graph::new();
    let vars: Vec<TVar> = operands.iter().map(|t| g.param(t.clone())).collect();
    let y = op(&mut g, &vars);
    let n_out = g.value(y).len();
    prop_assert!(weights.len() >= n_out, "need {n_out} weights");
    let shape = g.value(y).shape().to_vec();
    let r = g.input(Tensor::new(&shape, weights[..n_out].to_vec()));
    let weighted = g.mul(y, r);
    let loss = g.sum(weighted);
    g.backward(loss);

    for (i, operand) in operands.iter().enumerate() {
        let analytic = g.grad(vars[i]).expect("parameters get gradients");
        prop_assert_eq!(analytic.shape(), operand.shape());
        for j in 0..operand.len() {
            let nudged = |delta: f32| {
                let mut ops = operands.to_vec();
                ops[i].data_mut()[j] += delta;
                weighted_output(&ops, &op, weights)
            };
            let central = |e: f32| (nudged(e) - nudged(-e)) / (2.0 * f64::from(e));
            // Richardson: D(ε) = f′ + cε² + O(ε⁴), so (4·D(ε/2) − D(ε))/3 = f′ + O(ε⁴).
            let numeric = (4.0 * central(EPS / 2.0) - central(EPS)) / 3.0;
            let a = f64::from(analytic.data()[j]);
            prop_assert!(
                (a - numeric).abs() <= tol.abs + tol.rel * numeric.abs(),
                "operand {i} element {j}: analytic {a} vs numeric {numeric} (operands {operands:?})"
            );
        }
    }
    Ok(())
}

/// A multiple of 1/16 in [−2, 2].
fn grid_value() -> impl Strategy<Value = f32> {
    (-32i32..=32).prop_map(|k| k as f32 / 16.0)
}

/// A multiple of 1/16 in [−2, −1/8] ∪ [1/8, 2]: safely away from ReLU's kink.
fn value_away_from_zero() -> impl Strategy<Value = f32> {
    (2i32..=32, any::<bool>()).prop_map(|(k, neg)| {
        if neg {
            -k as f32 / 16.0
        } else {
            k as f32 / 16.0
        }
    })
}

fn tensor_of(
    shape: Vec<usize>,
    value: impl Strategy<Value = f32>,
) -> impl Strategy<Value = Tensor> {
    let n: usize = shape.iter().product();
    prop::collection::vec(value, n).prop_map(move |d| Tensor::new(&shape, d))
}

fn grid_tensor(shape: Vec<usize>) -> impl Strategy<Value = Tensor> {
    tensor_of(shape, grid_value())
}

/// Loss weights R: multiples of 1/8 in [−1, 1]; 16 cover any output here.
fn weights() -> impl Strategy<Value = Vec<f32>> {
    prop::collection::vec((-8i32..=8).prop_map(|k| k as f32 / 8.0), 16)
}

fn dim() -> impl Strategy<Value = usize> {
    1usize..5
}

/// One matrix of random shape.
fn matrix() -> impl Strategy<Value = Tensor> {
    (dim(), dim()).prop_flat_map(|(m, n)| grid_tensor(vec![m, n]))
}

/// Two matrices of the same random shape.
fn same_shape_pair() -> impl Strategy<Value = (Tensor, Tensor)> {
    (dim(), dim()).prop_flat_map(|(m, n)| (grid_tensor(vec![m, n]), grid_tensor(vec![m, n])))
}

proptest! {
    #[test]
    fn matmul((a, b) in (dim(), dim(), dim()).prop_flat_map(|(m, k, n)| (grid_tensor(vec![m, k]), grid_tensor(vec![k, n]))), r in weights()) {
        check(&[a, b], |g: &mut Graph, p: &[TVar]| g.matmul(p[0], p[1]), &r, EXACT)?;
    }

    #[test]
    fn matmul_bt((x, w) in (dim(), dim(), dim()).prop_flat_map(|(m, k, n)| (grid_tensor(vec![m, k]), grid_tensor(vec![n, k]))), r in weights()) {
        check(&[x, w], |g: &mut Graph, p: &[TVar]| g.matmul_bt(p[0], p[1]), &r, EXACT)?;
    }

    #[test]
    fn add_bias((x, b) in (dim(), dim()).prop_flat_map(|(m, n)| (grid_tensor(vec![m, n]), grid_tensor(vec![n]))), r in weights()) {
        check(&[x, b], |g: &mut Graph, p: &[TVar]| g.add_bias(p[0], p[1]), &r, EXACT)?;
    }

    #[test]
    fn add((a, b) in same_shape_pair(), r in weights()) {
        check(&[a, b], |g: &mut Graph, p: &[TVar]| g.add(p[0], p[1]), &r, EXACT)?;
    }

    #[test]
    fn sub((a, b) in same_shape_pair(), r in weights()) {
        check(&[a, b], |g: &mut Graph, p: &[TVar]| g.sub(p[0], p[1]), &r, EXACT)?;
    }

    #[test]
    fn mul((a, b) in same_shape_pair(), r in weights()) {
        check(&[a, b], |g: &mut Graph, p: &[TVar]| g.mul(p[0], p[1]), &r, EXACT)?;
    }

    #[test]
    fn scale(a in matrix(), c in grid_value(), r in weights()) {
        check(&[a], |g: &mut Graph, p: &[TVar]| g.scale(p[0], c), &r, EXACT)?;
    }

    #[test]
    fn relu(a in (dim(), dim()).prop_flat_map(|(m, n)| tensor_of(vec![m, n], value_away_from_zero())), r in weights()) {
        check(&[a], |g: &mut Graph, p: &[TVar]| g.relu(p[0]), &r, EXACT)?;
    }

    #[test]
    fn sigmoid(a in matrix(), r in weights()) {
        check(&[a], |g: &mut Graph, p: &[TVar]| g.sigmoid(p[0]), &r, SMOOTH)?;
    }

    #[test]
    fn tanh(a in matrix(), r in weights()) {
        check(&[a], |g: &mut Graph, p: &[TVar]| g.tanh(p[0]), &r, SMOOTH)?;
    }

    #[test]
    fn softmax_cross_entropy(
        (z, labels) in (dim(), 2usize..5).prop_flat_map(|(m, c)| (grid_tensor(vec![m, c]), prop::collection::vec(0..c, m))),
        r in weights(),
    ) {
        check(&[z], |g: &mut Graph, p: &[TVar]| g.softmax_cross_entropy(p[0], &labels), &r, SMOOTH)?;
    }

    #[test]
    fn mean(a in matrix(), r in weights()) {
        check(&[a], |g: &mut Graph, p: &[TVar]| g.mean(p[0]), &r, SMOOTH)?;
    }

    #[test]
    fn sum(a in matrix(), r in weights()) {
        check(&[a], |g: &mut Graph, p: &[TVar]| g.sum(p[0]), &r, EXACT)?;
    }

    /// A two-layer network end to end: every op's gradient flowing through the others.
    #[test]
    fn small_network(
        (x, w1, b1, w2, b2, labels) in (dim(), dim(), dim(), 2usize..5).prop_flat_map(|(m, i, h, c)| (
            grid_tensor(vec![m, i]), grid_tensor(vec![h, i]), grid_tensor(vec![h]),
            grid_tensor(vec![c, h]), grid_tensor(vec![c]), prop::collection::vec(0..c, m),
        )),
        r in weights(),
    ) {
        let net = |g: &mut Graph, p: &[TVar]| {
            let z1 = g.matmul_bt(p[0], p[1]);
            let z1 = g.add_bias(z1, p[2]);
            let h = g.tanh(z1);
            let z2 = g.matmul_bt(h, p[3]);
            let z2 = g.add_bias(z2, p[4]);
            g.softmax_cross_entropy(z2, &labels)
        };
        check(&[x, w1, b1, w2, b2], net, &r, SMOOTH)?;
    }

    /// The same operand used in several places: contributions must add up.
    #[test]
    fn reuse(a in matrix(), r in weights()) {
        // f(a) = a∘a + tanh(a) − 2a  (a appears four times)
        let f = |g: &mut Graph, p: &[TVar]| {
            let sq = g.mul(p[0], p[0]);
            let t = g.tanh(p[0]);
            let s = g.add(sq, t);
            let twice = g.scale(p[0], 2.0);
            g.sub(s, twice)
        };
        check(&[a], f, &r, SMOOTH)?;
    }
}
