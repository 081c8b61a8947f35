//! Where the time of one training step goes: each matrix product of the
//! step at its real shape, the optimiser's updates and the fused passes,
//! timed one by one (like TF.js's kernel profile in the peer harness), next
//! to a whole step. The parts do not quite add up to the whole: a step runs
//! them back to back, with its operands still in cache.

use nnlab::kernels::fused;
use nnlab::kernels::gemm::Gemm;
use nnlab::nn::{Activation, MlpSpec};
use nnlab::optim::{self, Hyper, OptimizerKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::workload::{Clock, Workload, BATCH};

/// One timed part.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Part {
    /// What was timed, e.g. `"whole training step"` or one layer's matrix product.
    pub what: String,
    /// Milliseconds per call (the median of several timings).
    pub ms: f64,
    /// Floating-point operations per call (0 for memory-bound passes).
    pub flop: f64,
}

/// Times each part of a training step of the lecture's network; `reps`
/// calls per timing.
pub fn measure(reps: usize, clock: Clock) -> Vec<Part> {
    let spec = MlpSpec::lecture_cifar();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut random = |n: usize| -> Vec<f32> { (0..n).map(|_| rng.random::<f32>() - 0.5).collect() };
    let mut gemm = Gemm::new();
    let mut parts = Vec::new();
    let b = BATCH;

    let mut workload = Workload::lecture(1234);
    parts.push(time("whole training step", 0.0, reps, clock, || {
        workload.train_one();
    }));

    for (l, (ins, outs)) in spec.layer_sizes().enumerate() {
        let (x, w) = (random(b * ins), random(outs * ins));
        let mut y = vec![0.0; b * outs];
        let flop = 2.0 * (b * ins * outs) as f64;
        parts.push(time(
            &format!("layer {} forward  X[{b}x{ins}]·Wᵀ[{ins}x{outs}]", l + 1),
            flop,
            reps,
            clock,
            || gemm.matmul_bt(&x, &w, &mut y, b, ins, outs),
        ));
    }
    let sizes: Vec<(usize, usize)> = spec.layer_sizes().collect();
    for (l, &(ins, outs)) in sizes.iter().enumerate().rev() {
        let (delta, x, w) = (random(b * outs), random(b * ins), random(outs * ins));
        let (mut dw, mut dx) = (vec![0.0; outs * ins], vec![0.0; b * ins]);
        let flop = 2.0 * (b * ins * outs) as f64;
        parts.push(time(
            &format!("layer {} ∂W  δᵀ[{outs}x{b}]·X[{b}x{ins}]", l + 1),
            flop,
            reps,
            clock,
            || gemm.matmul_at(&delta, &x, &mut dw, outs, b, ins),
        ));
        if l > 0 {
            parts.push(time(
                &format!("layer {} ∂X  δ[{b}x{outs}]·W[{outs}x{ins}]", l + 1),
                flop,
                reps,
                clock,
                || gemm.matmul(&delta, &w, &mut dx, b, outs, ins),
            ));
        }
    }

    let params: usize = spec.layer_sizes().map(|(i, o)| i * o + o).sum();
    let (mut w, g) = (random(params), random(params));
    let kind = OptimizerKind::Adam;
    let mut adam = optim::build::<f32>(kind, Hyper::defaults(kind)).expect("Adam's defaults");
    parts.push(time(
        &format!("Adam update, all {params} parameters"),
        0.0,
        reps,
        clock,
        || adam.update(0, &mut w, &g),
    ));

    let hidden: usize = spec.layers[..spec.layers.len() - 1].iter().sum();
    let (mut z, bias) = (random(b * hidden), random(hidden));
    parts.push(time(
        "bias + ReLU, all hidden layers",
        0.0,
        reps,
        clock,
        || {
            let mut at = 0;
            for &width in &spec.layers[..spec.layers.len() - 1] {
                let layer = &mut z[at * b..(at + width) * b];
                fused::bias_activation(layer, &bias[at..at + width], Activation::Relu);
                at += width;
            }
        },
    ));
    let classes = spec.classes();
    let logits = random(b * classes);
    let labels: Vec<usize> = (0..b).map(|i| i % classes).collect();
    let mut delta = vec![0.0; b * classes];
    parts.push(time("softmax + cross-entropy", 0.0, reps, clock, || {
        std::hint::black_box(fused::softmax_cross_entropy(
            &logits, &labels, &mut delta, classes,
        ));
    }));
    parts
}

/// The median over 5 timings of `reps` calls of `f`, per call, after one
/// untimed call.
fn time(what: &str, flop: f64, reps: usize, clock: Clock, mut f: impl FnMut()) -> Part {
    f();
    let mut ms: Vec<f64> = (0..5)
        .map(|_| {
            let start = clock();
            for _ in 0..reps {
                f();
            }
            (clock() - start) * 1000.0 / reps as f64
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    Part {
        what: what.into(),
        ms: ms[2],
        flop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_product_of_a_step_is_timed_once() {
        let start = std::time::Instant::now();
        let clock = move || start.elapsed().as_secs_f64();
        let parts = measure(1, &clock);
        // The step, 4 forward products, 4 weight gradients, 3 input
        // gradients (none for the images), Adam, bias + ReLU, softmax.
        assert_eq!(parts.len(), 1 + 4 + 4 + 3 + 3);
        let flop: f64 = parts.iter().map(|p| p.flop).sum();
        // The FLOP nnlab computes per sample, times the batch.
        let expected = crate::workload::TRAIN_FLOP_COMPUTED_PER_SAMPLE * BATCH as f64;
        assert_eq!(flop, expected);
        assert!(parts.iter().all(|p| p.ms >= 0.0 && p.ms.is_finite()));
    }
}
