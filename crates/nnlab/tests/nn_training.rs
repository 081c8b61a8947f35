//! Training end to end on a tiny problem that is easy on purpose: three
//! clusters of 2-D points, one per class, far enough apart to be separable.
//! If the loss did not fall and the accuracy did not reach 100% here, some
//! piece (gradients, slots, optimiser wiring) would be broken.

use nnlab::init::Init;
use nnlab::loss;
use nnlab::nn::{Activation, Mlp, MlpSpec};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::Tensor;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 60 points per class around the corners of a triangle: centres at radius 2
/// and angles 90°, 210°, 330° (pairwise 2√3 ≈ 3.46 apart), each coordinate
/// jittered by up to ±0.6, so the clusters never touch.
fn clusters(seed: u64) -> (Tensor, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut data = Vec::new();
    let mut labels = Vec::new();
    for i in 0..180 {
        let class = i % 3;
        let angle = (90.0f32 + 120.0 * class as f32).to_radians();
        data.push(2.0 * angle.cos() + rng.random_range(-0.6..0.6));
        data.push(2.0 * angle.sin() + rng.random_range(-0.6..0.6));
        labels.push(class);
    }
    (Tensor::new(&[180, 2], data), labels)
}

/// Full-batch training; returns (loss, accuracy) before and after.
fn train(
    activation: Activation,
    init: Init,
    kind: OptimizerKind,
    lr: f64,
    steps: usize,
) -> ((f32, f32), (f32, f32)) {
    let spec = MlpSpec {
        input: 2,
        layers: vec![16, 3],
        activation,
    };
    let mut net = Mlp::new(spec, init, 5).unwrap();
    let mut opt = optim::build::<f32>(
        kind,
        Hyper {
            lr,
            ..Hyper::defaults(kind)
        },
    )
    .unwrap();
    let (x, labels) = clusters(9);
    let measure = |net: &Mlp| {
        let logits = net.logits(&x);
        (
            loss::softmax_cross_entropy(&logits, &labels),
            loss::accuracy(&logits, &labels),
        )
    };
    let before = measure(&net);
    for _ in 0..steps {
        let step = net.loss_and_grads(&x, &labels).unwrap();
        net.apply_grads(opt.as_mut(), &step.grads);
    }
    (before, measure(&net))
}

#[test]
fn adam_relu_separates_three_clusters() {
    let (before, after) = train(
        Activation::Relu,
        Init::HeNormal,
        OptimizerKind::Adam,
        0.01,
        150,
    );
    println!("adam/relu: {before:?} → {after:?}");
    assert!(before.0 > 0.5 && before.1 < 0.9, "{before:?}");
    assert!(after.0 < 0.05, "{after:?}");
    assert_eq!(after.1, 1.0);
}

#[test]
fn sgd_tanh_separates_three_clusters() {
    let (before, after) = train(
        Activation::Tanh,
        Init::XavierUniform,
        OptimizerKind::Sgd,
        0.5,
        150,
    );
    println!("sgd/tanh: {before:?} → {after:?}");
    assert!(before.0 > 0.5 && before.1 < 0.9, "{before:?}");
    assert!(after.0 < 0.05, "{after:?}");
    assert_eq!(after.1, 1.0);
}

#[test]
fn loss_of_the_graph_equals_the_plain_loss() {
    let (x, labels) = clusters(1);
    let net = Mlp::new(
        MlpSpec {
            input: 2,
            layers: vec![4, 3],
            activation: Activation::Sigmoid,
        },
        Init::HeUniform,
        2,
    )
    .unwrap();
    let out = net.loss_and_grads(&x, &labels).unwrap();
    assert_eq!(out.loss, loss::softmax_cross_entropy(&out.logits, &labels));
}
