//! The benchmark workload and its fixed-time loops.

use nnlab::init::Init;
use nnlab::nn::step::TrainStep;
use nnlab::nn::{Mlp, MlpSpec};
use nnlab::optim::{self, Hyper, Optimizer, OptimizerKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Samples per step, as in the lecture and the peer benchmark.
pub const BATCH: usize = 64;
/// Distinct samples, cycled (the peer benchmark's 2,048).
pub const SAMPLES: usize = 2048;
/// The peer harness's constants: a forward pass of the lecture's network is
/// 2·(3072·100 + 100·256 + 256·256 + 256·10) = 801,792 FLOP per sample, and
/// training counts three times that. (nnlab does less: it never computes the
/// gradient with respect to the images, 2·3072·100 FLOP of the three.)
pub const FORWARD_FLOP_PER_SAMPLE: f64 = 801_792.0;
/// Training per sample: forward and backward, three forward passes' worth.
pub const TRAIN_FLOP_PER_SAMPLE: f64 = 2_405_376.0;
/// What nnlab's training step actually computes per sample: the peer count
/// less the skipped ∂loss/∂images, 2·3072·100 = 614,400.
pub const TRAIN_FLOP_COMPUTED_PER_SAMPLE: f64 = TRAIN_FLOP_PER_SAMPLE - 614_400.0;
/// Untimed steps before the clock starts (buffers, caches, the optimiser's state).
const WARM_UP_STEPS: usize = 5;

/// A clock in seconds from an arbitrary origin (`Instant` natively,
/// `performance.now()` in the browser, where `Instant` is not available).
pub type Clock<'a> = &'a dyn Fn() -> f64;

/// The lecture's network, its optimiser, the training step and the data.
pub struct Workload {
    net: Mlp,
    optimizer: Box<dyn Optimizer<f32>>,
    step: TrainStep,
    /// `[SAMPLES, input]`.
    images: Vec<f32>,
    labels: Vec<usize>,
    /// The batch [`Workload::train_one`] trains on next.
    next: usize,
}

/// The outcome of one fixed-time run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// `"train"` or `"infer"`.
    pub what: &'static str,
    /// The matrix kernels' instruction set, e.g. `"avx512f"`, `"simd128+relaxed"`.
    pub isa: &'static str,
    /// Samples per step, [`BATCH`].
    pub batch: usize,
    /// Timed steps (the warm-up steps not counted).
    pub steps: usize,
    /// Seconds the timed steps took.
    pub seconds: f64,
    /// Samples processed per second of that time.
    pub samples_per_second: f64,
    /// At the peer harness's FLOP count per sample (comparable across libraries).
    pub gflops: f64,
    /// At the FLOP count nnlab actually computes (what to hold against the
    /// processor's peak).
    pub gflops_computed: f64,
    /// Training only: the loss of the first step (a warm-up step).
    pub loss_first: Option<f32>,
    /// Training only: the loss of the last timed step.
    pub loss_last: Option<f32>,
}

impl Workload {
    /// The network (PyTorch's default init), Adam and the data, all seeded.
    pub fn lecture(seed: u64) -> Workload {
        let spec = MlpSpec::lecture_cifar();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let images = (0..SAMPLES * spec.input).map(|_| rng.random()).collect();
        let labels = (0..SAMPLES)
            .map(|_| rng.random_range(0..spec.classes()))
            .collect();
        let kind = OptimizerKind::Adam;
        Workload {
            net: Mlp::new(spec, Init::PyTorchDefault, seed)
                .expect("the lecture's network is valid"),
            optimizer: optim::build(kind, Hyper::defaults(kind))
                .expect("Adam's defaults are valid"),
            step: TrainStep::new(),
            images,
            labels,
            next: 0,
        }
    }

    /// Trains for `seconds` (after a short warm-up), one batch at a time.
    pub fn train(&mut self, seconds: f64, clock: Clock) -> Report {
        let (mut first, mut last) = (None, None);
        let steps = self.timed(seconds, clock, |w, i| {
            let loss = w.train_step(i);
            first.get_or_insert(loss);
            last = Some(loss);
        });
        let flop = (TRAIN_FLOP_PER_SAMPLE, TRAIN_FLOP_COMPUTED_PER_SAMPLE);
        self.report("train", steps, flop, (first, last))
    }

    /// Runs the network forward on batches for `seconds`.
    pub fn infer(&mut self, seconds: f64, clock: Clock) -> Report {
        let steps = self.timed(seconds, clock, Workload::infer_step);
        let flop = (FORWARD_FLOP_PER_SAMPLE, FORWARD_FLOP_PER_SAMPLE);
        self.report("infer", steps, flop, (None, None))
    }

    /// One training step on the next batch (for [`crate::profile`]).
    pub fn train_one(&mut self) -> f32 {
        self.next = self.next.wrapping_add(1);
        self.train_step(self.next)
    }

    /// One training step on batch `i`; returns its loss.
    ///
    /// Never inlined, here and in [`Workload::infer_step`]: V8 first runs
    /// wasm on its baseline compiler and switches a function to optimised
    /// code only when it is called again (there is no on-stack replacement
    /// for wasm), so the work of a step must be a call, not part of the one
    /// long-running loop.
    #[inline(never)]
    fn train_step(&mut self, i: usize) -> f32 {
        let (x, labels) = batch(&self.images, &self.labels, self.net.spec.input, i);
        self.step
            .train_batch(&mut self.net, self.optimizer.as_mut(), x, labels)
            .expect("the benchmark's data is valid")
            .loss
    }

    /// The logits of batch `i` (see [`Workload::train_step`] on inlining).
    #[inline(never)]
    fn infer_step(&mut self, i: usize) {
        let (x, _) = batch(&self.images, &self.labels, self.net.spec.input, i);
        let logits = self
            .step
            .forward(&self.net, x, BATCH)
            .expect("the benchmark's data is valid");
        std::hint::black_box(logits);
    }

    /// Runs `step(self, i)` for the warm-up, then until `seconds` have
    /// passed; returns the timed steps and the time they took.
    fn timed(
        &mut self,
        seconds: f64,
        clock: Clock,
        mut step: impl FnMut(&mut Workload, usize),
    ) -> (usize, f64) {
        for i in 0..WARM_UP_STEPS {
            step(self, i);
        }
        let start = clock();
        let mut steps = 0;
        loop {
            step(self, WARM_UP_STEPS + steps);
            steps += 1;
            let elapsed = clock() - start;
            if elapsed >= seconds {
                return (steps, elapsed);
            }
        }
    }

    fn report(
        &self,
        what: &'static str,
        (steps, seconds): (usize, f64),
        (flop_per_sample, flop_computed_per_sample): (f64, f64),
        (loss_first, loss_last): (Option<f32>, Option<f32>),
    ) -> Report {
        let samples_per_second = (steps * BATCH) as f64 / seconds;
        Report {
            what,
            isa: self.step.gemm().isa().name(),
            batch: BATCH,
            steps,
            seconds,
            samples_per_second,
            gflops: samples_per_second * flop_per_sample / 1e9,
            gflops_computed: samples_per_second * flop_computed_per_sample / 1e9,
            loss_first,
            loss_last,
        }
    }
}

/// Batch `i` of the cycled data: images `[BATCH, input]` and labels.
fn batch<'a>(
    images: &'a [f32],
    labels: &'a [usize],
    input: usize,
    i: usize,
) -> (&'a [f32], &'a [usize]) {
    let start = (i * BATCH) % SAMPLES;
    (
        &images[start * input..(start + BATCH) * input],
        &labels[start..start + BATCH],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flop_constants_match_the_network() {
        // 2·(3072·100 + 100·256 + 256·256 + 256·10) = 2·400,896 = 801,792; training ×3.
        let macs: usize = MlpSpec::lecture_cifar()
            .layer_sizes()
            .map(|(i, o)| i * o)
            .sum();
        assert_eq!(2.0 * macs as f64, FORWARD_FLOP_PER_SAMPLE);
        assert_eq!(3.0 * FORWARD_FLOP_PER_SAMPLE, TRAIN_FLOP_PER_SAMPLE);
        // 2,405,376 − 2·3072·100 = 2,405,376 − 614,400 = 1,790,976.
        assert_eq!(TRAIN_FLOP_COMPUTED_PER_SAMPLE, 1_790_976.0);
    }

    #[test]
    fn batches_cycle_through_the_data() {
        // 2048 / 64 = 32 batches; batch 32 is batch 0 again, batch 33 starts at sample 64.
        let images: Vec<f32> = (0..SAMPLES * 2).map(|v| v as f32).collect();
        let labels: Vec<usize> = (0..SAMPLES).collect();
        let (x, l) = batch(&images, &labels, 2, 33);
        assert_eq!((x[0], x.len(), l[0], l.len()), (128.0, 128, 64, 64));
        assert_eq!(
            batch(&images, &labels, 2, 32),
            batch(&images, &labels, 2, 0)
        );
    }

    #[test]
    fn a_short_run_trains_and_reports() {
        let start = std::time::Instant::now();
        let clock = move || start.elapsed().as_secs_f64();
        let mut w = Workload::lecture(1);
        let train = w.train(0.05, &clock);
        assert!(train.steps >= 1 && train.seconds >= 0.05);
        let expected = (train.steps * BATCH) as f64 / train.seconds;
        assert!((train.samples_per_second - expected).abs() < 1e-6 * expected);
        // Random labels: the loss starts near ln 10 ≈ 2.30.
        assert!((train.loss_first.unwrap() - 10f32.ln()).abs() < 0.3);
        let infer = w.infer(0.02, &clock);
        assert_eq!((infer.what, infer.loss_last), ("infer", None));
    }
}
