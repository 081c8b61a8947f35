//! `TrainStep::weight_grad_norms` (and the trainer's): the L2 norm of each
//! layer's weight gradient, checked against central finite differences of
//! the loss, and the vanishing gradients of a deep sigmoid network started
//! from small weights against the same network with ReLU and He.

use nnlab::init::Init;
use nnlab::nn::step::TrainStep;
use nnlab::nn::{Activation, Mlp, MlpSpec, DEEP_HIDDEN};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::Tensor;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Mean softmax cross-entropy of `net` on `x`, computed in f64 from the logits.
fn loss(net: &Mlp, x: &Tensor, labels: &[usize]) -> f64 {
    let logits = net.logits(x);
    let classes = net.spec.classes();
    let rows = logits.data().chunks(classes);
    let total: f64 = rows
        .zip(labels)
        .map(|(row, &label)| {
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let sum: f64 = row.iter().map(|&v| f64::from(v - max).exp()).sum();
            sum.ln() - f64::from(row[label] - max)
        })
        .sum();
    total / labels.len() as f64
}

fn sgd() -> Box<dyn nnlab::optim::Optimizer<f32>> {
    optim::build::<f32>(OptimizerKind::Sgd, Hyper::defaults(OptimizerKind::Sgd)).unwrap()
}

#[test]
fn each_norm_is_the_length_of_the_finite_difference_gradient() {
    // 3 → 4 → 4 → 2 with sigmoid: three weight matrices of 12, 16 and 8.
    let spec = MlpSpec {
        input: 3,
        layers: vec![4, 4, 2],
        activation: Activation::Sigmoid,
    };
    let net = Mlp::new(spec, Init::XavierNormal, 5).unwrap();
    let x = Tensor::new(&[2, 3], vec![0.2, -0.7, 0.9, 1.0, 0.4, -0.3]);
    let labels = [1, 0];
    let mut stepped = net.clone();
    let mut step = TrainStep::new();
    assert!(step.weight_grad_norms().is_empty(), "no step yet");
    step.train_batch(&mut stepped, sgd().as_mut(), x.data(), &labels)
        .unwrap();
    let norms = step.weight_grad_norms();
    assert_eq!(norms.len(), 3);

    // ∂L/∂w ≈ (L(w + h) − L(w − h)) / 2h for every weight of the layer.
    let h = 1e-3f32;
    for (l, &norm) in norms.iter().enumerate() {
        let n = net.layers[l].weight.data().len();
        let squares: f64 = (0..n)
            .map(|i| {
                let at = |delta: f32| {
                    let mut moved = net.clone();
                    moved.layers[l].weight.data_mut()[i] += delta;
                    loss(&moved, &x, &labels)
                };
                let slope = (at(h) - at(-h)) / (2.0 * f64::from(h));
                slope * slope
            })
            .sum();
        let expected = squares.sqrt();
        assert!(
            (f64::from(norm) - expected).abs() < 1e-3 * expected.max(1e-3),
            "layer {l}: {norm} against {expected}"
        );
    }
}

#[test]
fn one_weight_by_hand() {
    // One layer, 1 input → 2 logits, weights 0, bias 0, input x = 2, label 0:
    // softmax = (½, ½), ∂L/∂z = p − onehot = (−½, ½), ∂L/∂W = (∂L/∂z)·x = (−1, 1),
    // whose length is √2.
    let spec = MlpSpec {
        input: 1,
        layers: vec![2],
        activation: Activation::Identity,
    };
    let mut net = Mlp::new(spec, Init::Zeros, 0).unwrap();
    let mut step = TrainStep::new();
    step.train_batch(&mut net, sgd().as_mut(), &[2.0], &[0])
        .unwrap();
    let norms = step.weight_grad_norms();
    assert_eq!(norms.len(), 1);
    assert!((norms[0] - 2f32.sqrt()).abs() < 1e-6, "{norms:?}");
}

/// Norms of the deep network's first step on 32 random "images".
fn first_step_norms(activation: Activation, init: Init) -> Vec<f32> {
    let mut net = Mlp::new(MlpSpec::deep_cifar(activation), init, 3).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let x: Vec<f32> = (0..32 * 3072).map(|_| rng.random::<f32>()).collect();
    let labels: Vec<usize> = (0..32).map(|i| i % 10).collect();
    let mut step = TrainStep::new();
    step.train_batch(&mut net, sgd().as_mut(), &x, &labels)
        .unwrap();
    step.weight_grad_norms()
}

#[test]
fn a_deep_sigmoid_net_from_small_weights_loses_its_gradient_towards_the_input() {
    let spec = MlpSpec::deep_cifar(Activation::Sigmoid);
    assert_eq!(spec.layers.len(), DEEP_HIDDEN + 1);
    assert_eq!(spec.layers.len(), 10, "ten dense layers");
    let small = first_step_norms(Activation::Sigmoid, Init::SmallNormal { std: 0.01 });
    assert_eq!(small.len(), 10);
    // Each step back through a hidden layer multiplies the signal by about
    // σ′ · ‖W‖ ≈ ¼ · 0.01 · √64 = 0.02: it shrinks at every layer, and the
    // first layer gets a vanishing share of the last one's.
    for w in small.windows(2).skip(1) {
        assert!(w[0] < w[1], "{small:?}");
    }
    assert!(small[0] < 1e-8 * small[9], "{small:?}");
    // ReLU with He: the signal keeps its size, within a couple of orders.
    let he = first_step_norms(Activation::Relu, Init::HeNormal);
    assert!(he[0] > 1e-2 * he[9], "{he:?}");
}
