//! GFLOP/s of the matrix products in one training step of the lecture's MLP
//! (3072 → 100 → 256 → 256 → 10, batch 64), on every code path this machine
//! has, and the training speed the products alone would allow.
//!
//! Run with `cargo run -p nnlab --release --example gemm_bench`. Timings are the best
//! of several repetitions, so noise from other processes mostly drops out.

use std::time::Instant;

use nnlab::kernels::gemm::{Dims, Gemm, Isa, Product};

const BATCH: usize = 64;
const LAYERS: [usize; 5] = [3072, 100, 256, 256, 10];

/// One product of the training step.
struct Shape {
    what: String,
    product: Product,
    dims: Dims,
}

/// Forward X·Wᵀ for each layer, weight gradients δᵀ·X for each layer, input
/// gradients δ·W for layers 2–4 (never with respect to the images).
fn training_step() -> Vec<Shape> {
    let mut shapes = Vec::new();
    for (l, pair) in LAYERS.windows(2).enumerate() {
        let (inp, out) = (pair[0], pair[1]);
        shapes.push(Shape {
            what: format!("fwd  L{} X·Wᵀ", l + 1),
            product: Product::ABt,
            dims: Dims {
                m: BATCH,
                k: inp,
                n: out,
            },
        });
    }
    for (l, pair) in LAYERS.windows(2).enumerate() {
        let (inp, out) = (pair[0], pair[1]);
        shapes.push(Shape {
            what: format!("dW   L{} δᵀ·X", l + 1),
            product: Product::AtB,
            dims: Dims {
                m: out,
                k: BATCH,
                n: inp,
            },
        });
    }
    for (l, pair) in LAYERS.windows(2).enumerate().skip(1) {
        let (inp, out) = (pair[0], pair[1]);
        shapes.push(Shape {
            what: format!("dX   L{} δ·W", l + 1),
            product: Product::AB,
            dims: Dims {
                m: BATCH,
                k: out,
                n: inp,
            },
        });
    }
    shapes
}

/// Deterministic pseudo-random values in [-1, 1) (no dependency needed here).
fn filled(len: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32) * 2.0 - 1.0
        })
        .collect()
}

/// Best time in seconds of `reps` runs of `f`, after one warm-up run.
fn best_of(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    (0..reps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let shapes = training_step();
    let isas = Isa::available();
    print!("{:<16} {:>16}", "product", "m×k×n");
    for isa in &isas {
        print!(" {:>10}", isa.name());
    }
    println!("   (GFLOP/s, best of {reps})");
    let mut totals = vec![0.0f64; isas.len()];
    let mut flops_total = 0.0;
    for shape in &shapes {
        let Dims { m, k, n } = shape.dims;
        let a = filled(m * k, 1);
        let b = filled(k * n, 2);
        let mut out = vec![0.0f32; m * n];
        let flops = 2.0 * (m * k * n) as f64;
        flops_total += flops;
        print!("{:<16} {:>16}", shape.what, format!("{m}×{k}×{n}"));
        for (isa, total) in isas.iter().zip(&mut totals) {
            let mut gemm = Gemm::with_isa(*isa).expect("listed as available");
            let seconds = best_of(reps, || {
                gemm.product(shape.product, &a, &b, &mut out, shape.dims, false)
            });
            *total += seconds;
            print!(" {:>10.1}", flops / seconds / 1e9);
        }
        println!();
    }
    print!(
        "{:<16} {:>16}",
        "whole step",
        format!("{:.1} MFLOP", flops_total / 1e6)
    );
    for total in &totals {
        print!(" {:>10.1}", flops_total / total / 1e9);
    }
    println!();
    print!("{:<16} {:>16}", "samples/s", "(matmuls only)");
    for total in &totals {
        print!(" {:>10.0}", BATCH as f64 / total);
    }
    println!();
}
