//! Data-parallel training ([`nnlab::train::helpers`]): a batch cut in parts
//! whose gradients are added up must train like the whole batch.
//!
//! The parts' sums are grouped differently from one product over all rows,
//! so "like" means equal up to float32 rounding, except where nothing is
//! regrouped (one part = the whole batch), which must agree bit for bit.

use nnlab::data::{Dataset, ImageShape};
use nnlab::init::Init;
use nnlab::nn::step::TrainStep;
use nnlab::nn::{Activation, Mlp, MlpSpec};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::train::{InlineHelper, TrainConfig, Trainer};
use nnlab::Error;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn spec() -> MlpSpec {
    MlpSpec {
        input: 7,
        layers: vec![5, 4, 3],
        activation: Activation::Relu,
    }
}

fn data(rows: usize, seed: u64) -> (Vec<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = (0..rows * 7).map(|_| rng.random::<f32>() - 0.5).collect();
    let labels = (0..rows).map(|_| rng.random_range(0..3)).collect();
    (x, labels)
}

fn adam() -> Box<dyn optim::Optimizer<f32>> {
    optim::build(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam)).unwrap()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1e-3)
}

#[test]
fn two_parts_add_up_to_the_batch() {
    let net = Mlp::new(spec(), Init::PyTorchDefault, 3).unwrap();
    let (x, labels) = data(9, 1);
    let mut whole = TrainStep::new();
    let all = whole.part_gradients(&net, &x, &labels, 9).unwrap();
    // Rows 0..5 here, 5..9 in the other part.
    let (mut first, mut second) = (TrainStep::new(), TrainStep::new());
    let a = first
        .part_gradients(&net, &x[..5 * 7], &labels[..5], 9)
        .unwrap();
    let b = second
        .part_gradients(&net, &x[5 * 7..], &labels[5..], 9)
        .unwrap();
    // The mean loss of the batch from the parts' means.
    assert!(close(all.loss, (a.loss * 5.0 + b.loss * 4.0) / 9.0));
    assert_eq!(all.correct, a.correct + b.correct);
    // The second part's gradients added into the first's.
    let theirs: Vec<Vec<f32>> = second.grads().map(<[f32]>::to_vec).collect();
    assert_eq!(theirs.len(), 6);
    for (slot, part) in theirs.iter().enumerate() {
        first.add_to_grad(slot, part);
    }
    for (slot, (sum, expected)) in first.grads().zip(whole.grads()).enumerate() {
        assert!(
            expected.iter().any(|&g| g != 0.0),
            "slot {slot} has a gradient"
        );
        for (s, e) in sum.iter().zip(expected.iter()) {
            assert!(close(*s, *e), "slot {slot}: {s} vs {e}");
        }
    }
}

#[test]
fn one_part_that_is_the_whole_batch_trains_bit_for_bit_like_train_batch() {
    let (x, labels) = data(6, 2);
    let mut net_a = Mlp::new(spec(), Init::PyTorchDefault, 4).unwrap();
    let mut net_b = net_a.clone();
    let (mut opt_a, mut opt_b) = (adam(), adam());
    let (mut step_a, mut step_b) = (TrainStep::new(), TrainStep::new());
    for _ in 0..3 {
        let a = step_a
            .train_batch(&mut net_a, opt_a.as_mut(), &x, &labels)
            .unwrap();
        let b = step_b.part_gradients(&net_b, &x, &labels, 6).unwrap();
        step_b.apply_gradients(&mut net_b, opt_b.as_mut());
        assert_eq!(a, b);
    }
    for (la, lb) in net_a.layers.iter().zip(&net_b.layers) {
        assert_eq!(la.weight.data(), lb.weight.data());
        assert_eq!(la.bias.data(), lb.bias.data());
    }
}

#[test]
fn a_part_larger_than_its_batch_is_an_error() {
    let net = Mlp::new(spec(), Init::PyTorchDefault, 3).unwrap();
    let (x, labels) = data(4, 1);
    let err = TrainStep::new()
        .part_gradients(&net, &x, &labels, 3)
        .unwrap_err();
    assert!(matches!(err, Error::InvalidData(_)), "{err}");
}

fn dataset(n: usize) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let shape = ImageShape {
        channels: 1,
        height: 1,
        width: 7,
    };
    let pixels = (0..n * 7).map(|_| rng.random::<u8>()).collect();
    let labels = (0..n).map(|_| rng.random_range(0..3u8)).collect();
    Dataset::new(
        pixels,
        labels,
        shape,
        vec!["a".into(), "b".into(), "c".into()],
    )
    .unwrap()
}

fn trainer(data: &Dataset) -> Trainer {
    let config = TrainConfig {
        spec: spec(),
        batch_size: 8,
        ..TrainConfig::lecture()
    };
    Trainer::new(&config, data).unwrap()
}

#[test]
fn a_trainer_with_a_helper_trains_like_one_without_and_repeats_itself() {
    let data = dataset(40);
    let (mut alone, mut helped, mut again) = (trainer(&data), trainer(&data), trainer(&data));
    let counters = *alone.train_steps(&data, 12).unwrap();
    let mut helper = InlineHelper::default();
    let helped_counters = *helped.train_steps_with(&data, 12, &mut helper).unwrap();
    let mut helper = InlineHelper::default();
    again.train_steps_with(&data, 12, &mut helper).unwrap();

    assert_eq!(helped_counters.updates, counters.updates);
    assert_eq!(helped_counters.samples_seen, counters.samples_seen);
    assert_eq!(helped_counters.epoch, counters.epoch);
    assert!(close(helped_counters.running_loss, counters.running_loss));
    for ((a, h), g) in alone
        .net()
        .layers
        .iter()
        .zip(&helped.net().layers)
        .zip(&again.net().layers)
    {
        for (x, y) in a.weight.data().iter().zip(h.weight.data()) {
            // Adam's steps are about lr = 0.001 whatever the gradient, so
            // rounding in the gradient moves a weight by far less than that.
            assert!((x - y).abs() < 1e-4, "{x} vs {y}");
        }
        // The same helpers give the same run, bit for bit.
        assert_eq!(h.weight.data(), g.weight.data());
        assert_eq!(h.bias.data(), g.bias.data());
    }
}
