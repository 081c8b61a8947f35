//! The allocation-free [`TrainStep`] against the autodiff graph it replaces
//! (`Mlp::loss_and_grads` + `Mlp::apply_grads`): same loss, same gradients,
//! same weights after several optimiser steps — on odd shapes, batch 1 and
//! the lecture's network — and no heap allocation once warmed up.
//!
//! Both paths run the same fast matrix kernels in the same order, so with
//! ReLU they agree bit for bit; the tolerances below only leave room for
//! sigmoid, which the graph writes differently (a last-place difference).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use nnlab::init::Init;
use nnlab::nn::step::TrainStep;
use nnlab::nn::{Activation, Mlp, MlpSpec};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::{Error, Tensor};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The system allocator, counting the allocations this thread makes while
/// counting is switched on (other tests run on other threads meanwhile).
struct CountingAllocator;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn note_allocation() {
    // `try_with`: the allocator may run while this thread's locals are torn down.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Allocations made on this thread while `f` runs.
fn allocations_during(f: impl FnOnce()) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|on| on.set(true));
    f();
    COUNTING.with(|on| on.set(false));
    ALLOCATIONS.with(Cell::get)
}

/// `batch` seeded samples with pixels in [0, 1) and labels below `classes`.
fn data(batch: usize, input: usize, classes: usize, seed: u64) -> (Vec<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = (0..batch * input).map(|_| rng.random::<f32>()).collect();
    let labels = (0..batch).map(|_| rng.random_range(0..classes)).collect();
    (x, labels)
}

fn spec(input: usize, layers: &[usize], activation: Activation) -> MlpSpec {
    MlpSpec {
        input,
        layers: layers.to_vec(),
        activation,
    }
}

/// Largest |a − b| relative to the largest |b| (or 1 if that is smaller).
fn relative_gap(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    let scale = b.iter().fold(1f32, |m, v| m.max(v.abs()));
    let gap = a.iter().zip(b).fold(0f32, |m, (x, y)| m.max((x - y).abs()));
    gap / scale
}

const TOLERANCE: f32 = 1e-5;

/// One step on a copy of the network both ways; compares loss, correct
/// count, logits, every gradient and the updated weights.
fn compare_one_step(spec: MlpSpec, batch: usize, seed: u64) {
    let net = Mlp::new(spec.clone(), Init::PyTorchDefault, seed).unwrap();
    let (x, labels) = data(batch, spec.input, spec.classes(), seed + 100);
    let expected = net
        .loss_and_grads(&Tensor::new(&[batch, spec.input], x.clone()), &labels)
        .unwrap();

    let mut fast = net.clone();
    let mut sgd =
        optim::build::<f32>(OptimizerKind::Sgd, Hyper::defaults(OptimizerKind::Sgd)).unwrap();
    let mut step = TrainStep::new();
    let logits = step.forward(&fast, &x, batch).unwrap().to_vec();
    assert!(relative_gap(&logits, expected.logits.data()) <= TOLERANCE);
    let got = step
        .train_batch(&mut fast, sgd.as_mut(), &x, &labels)
        .unwrap();

    assert!(
        (got.loss - expected.loss).abs() <= TOLERANCE * expected.loss.abs().max(1.0),
        "{spec:?} batch {batch}: loss {} vs graph {}",
        got.loss,
        expected.loss
    );
    let predicted = nnlab::loss::predictions(&expected.logits);
    let correct = predicted
        .iter()
        .zip(&labels)
        .filter(|(p, l)| p == l)
        .count();
    assert_eq!(got.correct, correct);
    let grads: Vec<&[f32]> = step.grads().collect();
    assert_eq!(grads.len(), expected.grads.len());
    for (slot, (g, e)) in grads.iter().zip(&expected.grads).enumerate() {
        let gap = relative_gap(g, e.data());
        assert!(
            gap <= TOLERANCE,
            "{spec:?} batch {batch}: slot {slot} differs by {gap}"
        );
    }

    let mut slow = net;
    let mut sgd =
        optim::build::<f32>(OptimizerKind::Sgd, Hyper::defaults(OptimizerKind::Sgd)).unwrap();
    slow.apply_grads(sgd.as_mut(), &expected.grads);
    assert_same_weights(&fast, &slow);
}

fn assert_same_weights(fast: &Mlp, slow: &Mlp) {
    for (l, (f, s)) in fast.layers.iter().zip(&slow.layers).enumerate() {
        let gap_w = relative_gap(f.weight.data(), s.weight.data());
        let gap_b = relative_gap(f.bias.data(), s.bias.data());
        assert!(
            gap_w <= TOLERANCE && gap_b <= TOLERANCE,
            "layer {l}: weights differ by {gap_w}, biases by {gap_b}"
        );
    }
}

#[test]
fn one_step_matches_the_graph_on_odd_shapes() {
    for activation in Activation::ALL {
        for batch in [1, 2, 5] {
            compare_one_step(spec(7, &[5, 3], activation), batch, 1);
            compare_one_step(spec(9, &[6, 4, 5], activation), batch, 2);
        }
    }
    // One layer: the input goes straight to the logits. One class: loss 0.
    compare_one_step(spec(3, &[4], Activation::Relu), 3, 3);
    compare_one_step(spec(3, &[2, 1], Activation::Relu), 3, 4);
}

#[test]
fn one_step_matches_the_graph_on_the_lecture_network() {
    compare_one_step(MlpSpec::lecture_cifar(), 64, 5);
}

/// One `TrainStep` reused for a bigger network and then a smaller one, as a
/// front end that rebuilds its network would: the stale, larger buffers must
/// not leak into the small network's results.
#[test]
fn one_workspace_serves_networks_of_any_size() {
    let mut step = TrainStep::new();
    let mut sgd =
        optim::build::<f32>(OptimizerKind::Sgd, Hyper::defaults(OptimizerKind::Sgd)).unwrap();
    for (spec, batch) in [
        (spec(20, &[16, 12, 4], Activation::Relu), 8),
        (spec(7, &[5, 3], Activation::Relu), 3),
    ] {
        let mut net = Mlp::new(spec.clone(), Init::PyTorchDefault, 6).unwrap();
        let (x, labels) = data(batch, spec.input, spec.classes(), 7);
        let expected = net
            .loss_and_grads(&Tensor::new(&[batch, spec.input], x.clone()), &labels)
            .unwrap();
        sgd.reset();
        let got = step
            .train_batch(&mut net, sgd.as_mut(), &x, &labels)
            .unwrap();
        assert!((got.loss - expected.loss).abs() <= TOLERANCE);
        let grads: Vec<&[f32]> = step.grads().collect();
        assert_eq!(grads.len(), expected.grads.len());
        for (g, e) in grads.iter().zip(&expected.grads) {
            assert!(relative_gap(g, e.data()) <= TOLERANCE);
        }
    }
}

/// `steps` Adam steps both ways from the same start; the weights must stay together.
fn compare_adam_steps(spec: MlpSpec, batch: usize, steps: usize) {
    let start = Mlp::new(spec.clone(), Init::PyTorchDefault, 11).unwrap();
    let adam =
        || optim::build::<f32>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam)).unwrap();
    let (mut fast, mut fast_opt, mut step) = (start.clone(), adam(), TrainStep::new());
    let (mut slow, mut slow_opt) = (start, adam());
    for s in 0..steps as u64 {
        let (x, labels) = data(batch, spec.input, spec.classes(), 200 + s);
        let got = step
            .train_batch(&mut fast, fast_opt.as_mut(), &x, &labels)
            .unwrap();
        let expected = slow
            .loss_and_grads(&Tensor::new(&[batch, spec.input], x), &labels)
            .unwrap();
        slow.apply_grads(slow_opt.as_mut(), &expected.grads);
        assert!(
            (got.loss - expected.loss).abs() <= TOLERANCE * expected.loss.abs().max(1.0),
            "step {s}: loss {} vs graph {}",
            got.loss,
            expected.loss
        );
        assert_same_weights(&fast, &slow);
    }
    for slot in 0..2 * spec.layers.len() {
        assert_eq!(
            fast_opt.state(slot),
            slow_opt.state(slot),
            "Adam state of slot {slot}"
        );
    }
}

#[test]
fn adam_steps_match_the_graph() {
    compare_adam_steps(spec(7, &[5, 3], Activation::Relu), 1, 8);
    compare_adam_steps(spec(7, &[5, 3], Activation::Tanh), 4, 8);
    compare_adam_steps(MlpSpec::lecture_cifar(), 64, 3);
}

#[test]
fn no_allocation_after_warm_up() {
    let spec = spec(300, &[40, 30, 10], Activation::Relu);
    let mut net = Mlp::new(spec.clone(), Init::PyTorchDefault, 3).unwrap();
    let mut adam =
        optim::build::<f32>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam)).unwrap();
    let (x, labels) = data(16, spec.input, spec.classes(), 4);
    let mut step = TrainStep::new();
    // Warm-up: buffers, packing scratch and Adam's moments are made here.
    step.train_batch(&mut net, adam.as_mut(), &x, &labels)
        .unwrap();
    let mut losses = [0f32; 5];
    let count = allocations_during(|| {
        for loss in &mut losses {
            *loss = step
                .train_batch(&mut net, adam.as_mut(), &x, &labels)
                .unwrap()
                .loss;
        }
        // A smaller batch (the end of an epoch) fits in the same buffers.
        step.train_batch(&mut net, adam.as_mut(), &x[..5 * 300], &labels[..5])
            .unwrap();
        step.forward(&net, &x, 16).unwrap();
    });
    assert_eq!(count, 0, "allocations during warmed-up steps");
    // The counter works: the graph path allocates on every step.
    let graph_count = allocations_during(|| {
        net.loss_and_grads(&Tensor::new(&[16, 300], x.clone()), &labels)
            .unwrap();
    });
    assert!(graph_count > 0);
    // And the steps did train: the loss on the repeated batch fell every time.
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
}

#[test]
fn bad_batches_are_errors_and_change_nothing() {
    let spec = spec(3, &[4, 2], Activation::Relu);
    let mut net = Mlp::new(spec, Init::PyTorchDefault, 9).unwrap();
    let before = net.clone();
    let mut sgd =
        optim::build::<f32>(OptimizerKind::Sgd, Hyper::defaults(OptimizerKind::Sgd)).unwrap();
    let mut step = TrainStep::new();
    let x = [0.5; 6];
    let mut train = |x: &[f32], labels: &[usize]| {
        step.train_batch(&mut net, sgd.as_mut(), x, labels)
            .unwrap_err()
    };
    // Two labels need 2·3 = 6 values.
    assert!(matches!(train(&x[..5], &[0, 1]), Error::InvalidData(_)));
    assert!(matches!(train(&[], &[]), Error::InvalidData(_)));
    assert_eq!(
        train(&x, &[0, 2]).to_string(),
        Error::OutOfRange {
            what: "label",
            detail: "2 is not one of the 2 classes (0 to 1)".into()
        }
        .to_string()
    );
    let mut with_nan = x;
    with_nan[4] = f32::NAN;
    assert!(matches!(
        train(&with_nan, &[0, 1]),
        Error::NotFinite {
            what: "input value",
            ..
        }
    ));
    assert_eq!(net, before);
    assert!(matches!(
        step.forward(&net, &x[..4], 2),
        Err(Error::InvalidData(_))
    ));
}
