//! The fast kernels (`kernels::gemm`) against the reference loops
//! (`kernels::reference`) and against an exact (f64) product, on every code
//! path this machine can run, including the portable one forced explicitly.
//!
//! Tolerances are relative to Σ_p |a_ip|·|b_pj| for each output element, not
//! bitwise: the fast kernels group the sum differently. The bound for the fast
//! kernels follows from how they sum: a run of at most `KC = 256` fused (or
//! multiply-then-add) steps per slice of `k`, then one addition per slice, so
//! the error is at most (min(k, 256) + ⌈k/256⌉ + 2)·ε·Σ|a||b| with ε the f32
//! machine epsilon (= two unit roundoffs, covering a separate multiply and
//! add). Dropping or doubling a single term of a random product breaks it,
//! even at k = 3072: such a term is about Σ|a||b|/k ≈ 3·10⁻⁴·Σ, the bound
//! 3·10⁻⁵·Σ.

use nnlab::kernels::gemm::{self, Dims, Gemm, Isa, Product};
use nnlab::kernels::reference;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const PRODUCTS: [Product; 3] = [Product::AB, Product::ABt, Product::AtB];

/// Values uniform in [-1, 1), seeded.
fn random_vec(len: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    (0..len).map(|_| rng.random_range(-1.0f32..1.0)).collect()
}

/// Element `(i, p)` of the left factor and `(p, j)` of the right factor, as
/// stored for each product.
fn left_at(product: Product, a: &[f32], dims: Dims, i: usize, p: usize) -> f32 {
    match product {
        Product::AB | Product::ABt => a[i * dims.k + p],
        Product::AtB => a[p * dims.m + i],
    }
}

fn right_at(product: Product, b: &[f32], dims: Dims, p: usize, j: usize) -> f32 {
    match product {
        Product::AB | Product::AtB => b[p * dims.n + j],
        Product::ABt => b[j * dims.k + p],
    }
}

/// The exact product (in f64, exact for these f32 inputs up to 2⁻⁵³) and
/// Σ_p |a_ip|·|b_pj| for each output element.
fn exact(product: Product, a: &[f32], b: &[f32], dims: Dims) -> (Vec<f64>, Vec<f64>) {
    let Dims { m, k, n } = dims;
    let mut value = vec![0.0f64; m * n];
    let mut magnitude = vec![0.0f64; m * n];
    for i in 0..m {
        for j in 0..n {
            for p in 0..k {
                let x = f64::from(left_at(product, a, dims, i, p))
                    * f64::from(right_at(product, b, dims, p, j));
                value[i * n + j] += x;
                magnitude[i * n + j] += x.abs();
            }
        }
    }
    (value, magnitude)
}

fn run_reference(product: Product, a: &[f32], b: &[f32], out: &mut [f32], dims: Dims) {
    let Dims { m, k, n } = dims;
    match product {
        Product::AB => reference::matmul(a, b, out, m, k, n),
        Product::ABt => reference::matmul_bt(a, b, out, m, k, n),
        Product::AtB => reference::matmul_at(a, b, out, m, k, n),
    }
}

/// Every code path this machine runs; `Portable` is always among them.
fn isas() -> Vec<Isa> {
    let isas = Isa::available();
    assert!(isas.contains(&Isa::Portable));
    isas
}

/// Runs one product on `isa` and checks it against the exact product and the
/// reference kernel. With `accumulate`, `out` starts from random values that
/// must be added to; without, it starts as NaN, which must all be overwritten.
fn check(isa: Isa, product: Product, dims: Dims, accumulate: bool, seed: u64) {
    let Dims { m, k, n } = dims;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let a = random_vec(m * k, &mut rng);
    let b = random_vec(k * n, &mut rng);
    let start = if accumulate {
        random_vec(m * n, &mut rng)
    } else {
        vec![f32::NAN; m * n]
    };
    let mut fast = start.clone();
    let mut gemm = Gemm::with_isa(isa).expect("isa listed as available");
    gemm.product(product, &a, &b, &mut fast, dims, accumulate);
    let mut slow = vec![f32::NAN; m * n];
    run_reference(product, &a, &b, &mut slow, dims);
    let (value, magnitude) = exact(product, &a, &b, dims);

    let eps = f64::from(f32::EPSILON);
    let fast_steps = (k.min(256) + k.div_ceil(256) + 2) as f64;
    let reference_steps = (k + 2) as f64;
    for idx in 0..m * n {
        let base = if accumulate {
            f64::from(start[idx])
        } else {
            0.0
        };
        let want = base + value[idx];
        let scale = magnitude[idx] + base.abs();
        let tol = fast_steps * eps * scale + f64::from(f32::MIN_POSITIVE);
        let got = f64::from(fast[idx]);
        assert!(
            (got - want).abs() <= tol,
            "{isa} {product:?} {dims:?} acc={accumulate} out[{},{}] = {got}, exact {want} (tolerance {tol:e})",
            idx / n,
            idx % n
        );
        let slow_value = base + f64::from(slow[idx]);
        let tol_both = tol + reference_steps * eps * scale;
        assert!(
            (got - slow_value).abs() <= tol_both,
            "{isa} {product:?} {dims:?} acc={accumulate} out[{},{}] = {got}, reference {slow_value} (tolerance {tol_both:e})",
            idx / n,
            idx % n
        );
    }
}

fn dims(m: usize, k: usize, n: usize) -> Dims {
    Dims { m, k, n }
}

#[test]
fn odd_and_edge_shapes_on_every_path() {
    let shapes = [
        dims(1, 1, 1),
        dims(7, 13, 17),
        dims(31, 37, 41),
        dims(2, 1, 3),
        dims(5, 3, 15),
        // Exactly one tile of each kernel, and one past it.
        dims(4, 8, 8),
        dims(6, 16, 16),
        dims(12, 32, 32),
        dims(13, 33, 33),
        // k past one 256-deep slice, and not a multiple of it.
        dims(3, 257, 5),
        dims(9, 600, 19),
        // Several row blocks (m past the packed left block) and column
        // blocks (n past the packed right block).
        dims(300, 300, 20),
        dims(9, 300, 1100),
    ];
    for isa in isas() {
        for product in PRODUCTS {
            for (s, &shape) in shapes.iter().enumerate() {
                check(isa, product, shape, false, s as u64);
                check(isa, product, shape, true, 100 + s as u64);
            }
        }
    }
}

/// The products of one training step of the lecture's MLP
/// (3072 → 100 → 256 → 256 → 10, batch 64), each in the form training uses.
fn training_shapes() -> Vec<(Product, Dims)> {
    let layers = [3072, 100, 256, 256, 10];
    let mut shapes = Vec::new();
    for pair in layers.windows(2) {
        let (inp, out) = (pair[0], pair[1]);
        shapes.push((Product::ABt, dims(64, inp, out))); // forward X·Wᵀ
        shapes.push((Product::AtB, dims(out, 64, inp))); // weight gradient δᵀ·X
        shapes.push((Product::AB, dims(64, out, inp))); // input gradient δ·W
    }
    shapes
}

#[test]
fn training_step_shapes_on_every_path() {
    for isa in isas() {
        for (s, &(product, shape)) in training_shapes().iter().enumerate() {
            check(isa, product, shape, false, 200 + s as u64);
        }
    }
}

#[test]
fn accumulating_training_shapes_on_every_path() {
    for isa in isas() {
        for (s, &(product, shape)) in training_shapes()
            .iter()
            .enumerate()
            .filter(|(_, (_, d))| d.k * d.n <= 65_536)
        {
            check(isa, product, shape, true, 300 + s as u64);
        }
    }
}

#[test]
fn small_product_by_hand() {
    // a = [[1, 2, 3], [4, 5, 6]], b = [[7, 8], [9, 10], [11, 12]]:
    // a·b = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]]
    //     = [[58, 64], [139, 154]]; starting from 1 everywhere, += gives 59, 65, 140, 155.
    // Small integers: every path gets them exactly.
    let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let b = [7.0, 8.0, 9.0, 10.0, 11.0, 12.0];
    let bt = [7.0, 9.0, 11.0, 8.0, 10.0, 12.0]; // b stored as [n,k]
    let at = [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]; // a stored as [k,m]
    for isa in isas() {
        let mut gemm = Gemm::with_isa(isa).unwrap();
        let mut out = [f32::NAN; 4];
        gemm.matmul(&a, &b, &mut out, 2, 3, 2);
        assert_eq!(out, [58.0, 64.0, 139.0, 154.0], "{isa} matmul");
        let mut out = [f32::NAN; 4];
        gemm.matmul_bt(&a, &bt, &mut out, 2, 3, 2);
        assert_eq!(out, [58.0, 64.0, 139.0, 154.0], "{isa} matmul_bt");
        let mut out = [f32::NAN; 4];
        gemm.matmul_at(&at, &b, &mut out, 2, 3, 2);
        assert_eq!(out, [58.0, 64.0, 139.0, 154.0], "{isa} matmul_at");
        let mut out = [1.0; 4];
        gemm.product(Product::AtB, &at, &b, &mut out, dims(2, 3, 2), true);
        assert_eq!(
            out,
            [59.0, 65.0, 140.0, 155.0],
            "{isa} matmul_at accumulate"
        );
    }
}

#[test]
fn free_functions_match_reference() {
    // The thread-local engine behind the free functions, plain and accumulating.
    let (m, k, n) = (10, 70, 23);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let a = random_vec(m * k, &mut rng);
    let b = random_vec(k * n, &mut rng);
    type Kernel = fn(&[f32], &[f32], &mut [f32], usize, usize, usize);
    let cases: [(Kernel, Kernel, Kernel); 3] = [
        (gemm::matmul, gemm::matmul_acc, reference::matmul),
        (gemm::matmul_bt, gemm::matmul_bt_acc, reference::matmul_bt),
        (gemm::matmul_at, gemm::matmul_at_acc, reference::matmul_at),
    ];
    for (fast, fast_acc, slow) in cases {
        let mut want = vec![0.0; m * n];
        slow(&a, &b, &mut want, m, k, n);
        let mut got = vec![f32::NAN; m * n];
        fast(&a, &b, &mut got, m, k, n);
        let mut twice = got.clone();
        fast_acc(&a, &b, &mut twice, m, k, n);
        for ((&g, &t), &w) in got.iter().zip(&twice).zip(&want) {
            // |entries| ≤ 70 (k terms of magnitude < 1); 1e-4 is ~300 ε at that size.
            assert!((g - w).abs() <= 1e-4, "{g} vs reference {w}");
            assert!(
                (t - 2.0 * w).abs() <= 2e-4,
                "{t} vs twice the reference {w}"
            );
        }
    }
}

#[test]
fn empty_dimensions() {
    for isa in isas() {
        let mut gemm = Gemm::with_isa(isa).unwrap();
        // k = 0: the product of [3,0] and [0,2] is the zero matrix.
        let mut out = [f32::NAN; 6];
        gemm.matmul(&[], &[], &mut out, 3, 0, 2);
        assert_eq!(out, [0.0; 6]);
        let mut out = [5.0; 6];
        gemm.product(Product::ABt, &[], &[], &mut out, dims(3, 0, 2), true);
        assert_eq!(out, [5.0; 6]);
        // m = 0 or n = 0: nothing to write.
        gemm.matmul_at(&[], &[1.0, 2.0], &mut [], 0, 1, 2);
        gemm.matmul_bt(&[1.0, 2.0], &[], &mut [], 1, 2, 0);
    }
}

#[test]
fn training_step_allocates_only_once() {
    let mut gemm = Gemm::new();
    let shapes = training_shapes();
    let inputs: Vec<(Vec<f32>, Vec<f32>)> = shapes
        .iter()
        .map(|&(_, d)| {
            let mut rng = ChaCha8Rng::seed_from_u64(9);
            (
                random_vec(d.m * d.k, &mut rng),
                random_vec(d.k * d.n, &mut rng),
            )
        })
        .collect();
    let mut outs: Vec<Vec<f32>> = shapes.iter().map(|&(_, d)| vec![0.0; d.m * d.n]).collect();
    let mut step = |gemm: &mut Gemm| {
        for ((&(product, d), (a, b)), out) in shapes.iter().zip(&inputs).zip(&mut outs) {
            gemm.product(product, a, b, out, d, false);
        }
    };
    step(&mut gemm);
    let after_first = gemm.scratch_floats();
    assert!(after_first > 0);
    step(&mut gemm);
    step(&mut gemm);
    assert_eq!(
        gemm.scratch_floats(),
        after_first,
        "packing buffers grew after the first step"
    );
}

#[test]
fn availability_is_consistent() {
    assert!(Isa::Portable.is_available());
    assert!(Isa::best().is_available());
    assert_eq!(Gemm::new().isa(), Isa::best());
    for isa in Isa::ALL {
        assert_eq!(Gemm::with_isa(isa).is_some(), isa.is_available(), "{isa}");
    }
}

#[test]
#[should_panic(expected = "matmul_bt: slice lengths")]
fn wrong_sizes_panic() {
    let mut out = [0.0; 4];
    gemm::matmul_bt(&[1.0; 6], &[1.0; 6], &mut out, 2, 2, 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_shapes_match(
        m in 1usize..=70,
        k in 1usize..=70,
        n in 1usize..=70,
        product_index in 0usize..3,
        isa_index in 0usize..8,
        accumulate: bool,
        seed: u64,
    ) {
        let isas = isas();
        let isa = isas[isa_index % isas.len()];
        check(isa, PRODUCTS[product_index], dims(m, k, n), accumulate, seed);
    }
}
