//! The MLP: construction, validation, a forward/backward pass by hand, the
//! optimiser slot order and error handling of bad batches.

use nnlab::autodiff::Graph;
use nnlab::init::Init;
use nnlab::nn::{Activation, Dense, Mlp, MlpSpec, MAX_PARAMS};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::{Error, Tensor};

fn spec(input: usize, layers: &[usize]) -> MlpSpec {
    MlpSpec {
        input,
        layers: layers.to_vec(),
        activation: Activation::Relu,
    }
}

fn out_of_range_what(result: nnlab::Result<()>) -> &'static str {
    match result {
        Err(Error::OutOfRange { what, .. }) => what,
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}

#[test]
fn lecture_specs() {
    let lecture = MlpSpec::lecture();
    assert_eq!(
        (lecture.input, lecture.layers.as_slice(), lecture.activation),
        (30000, &[100, 256, 256, 10][..], Activation::Relu)
    );
    assert_eq!(MlpSpec::lecture_cifar().input, 3072);
    assert_eq!(MlpSpec::lecture_cifar().param_count(), 401_518);
    assert_eq!(lecture.classes(), 10);
    assert!(lecture.validate().is_ok());
}

#[test]
fn validate_rejects_bad_shapes_with_clear_errors() {
    assert_eq!(out_of_range_what(spec(0, &[10]).validate()), "input size");
    assert_eq!(out_of_range_what(spec(4, &[]).validate()), "layer list");
    assert_eq!(
        out_of_range_what(spec(4, &[8, 0, 3]).validate()),
        "layer size"
    );
    let err = spec(4, &[8, 0, 3]).validate().unwrap_err().to_string();
    assert_eq!(
        err,
        "layer size is out of range: layer 2 has 0 neurons; every layer needs at least 1"
    );

    // 1,000,000 inputs × 1000 neurons ≈ 10⁹ parameters.
    let huge = spec(1_000_000, &[1000, 10]);
    assert_eq!(out_of_range_what(huge.validate()), "network size");
    let err = huge.validate().unwrap_err().to_string();
    assert_eq!(
        err,
        "network size is out of range: 1,000,011,010 parameters is more than the limit of 100,000,000"
    );
    // Sizes whose product overflows usize saturate instead of wrapping around to a small number.
    let absurd = spec(usize::MAX, &[usize::MAX, usize::MAX]);
    assert_eq!(absurd.param_count(), usize::MAX);
    assert_eq!(out_of_range_what(absurd.validate()), "network size");
    // Just at the limit is fine: 99,999,999 inputs → 1 output = 100,000,000 parameters.
    assert!(spec(MAX_PARAMS - 1, &[1]).validate().is_ok());
    assert!(spec(MAX_PARAMS, &[1]).validate().is_err());
}

#[test]
fn new_refuses_before_allocating() {
    // Would need ≈ 4 GB of weights if it tried; it must fail fast instead.
    assert!(Mlp::new(spec(1_000_000, &[1000, 10]), Init::HeNormal, 0).is_err());
    assert!(Mlp::new(spec(2, &[3]), Init::SmallNormal { std: f32::NAN }, 0).is_err());
}

#[test]
fn layers_follow_the_spec() {
    let net = Mlp::new(spec(5, &[4, 3, 2]), Init::XavierUniform, 3).unwrap();
    let shapes: Vec<(&[usize], &[usize], Activation)> = net
        .layers
        .iter()
        .map(|l| (l.weight.shape(), l.bias.shape(), l.activation))
        .collect();
    assert_eq!(
        shapes,
        vec![
            (&[4, 5][..], &[4][..], Activation::Relu),
            (&[3, 4][..], &[3][..], Activation::Relu),
            (&[2, 3][..], &[2][..], Activation::Identity), // logits: no activation
        ]
    );
    assert_eq!(net.param_count(), 4 * 5 + 4 + 3 * 4 + 3 + 2 * 3 + 2);
    assert_eq!(net.param_count(), net.spec.param_count());

    let mut g = Graph::new();
    let x = g.input(Tensor::zeros(&[7, 5]));
    let (logits, params) = net.forward(&mut g, x);
    assert_eq!(g.value(logits).shape(), &[7, 2]);
    let param_shapes: Vec<&[usize]> = params.iter().map(|&p| g.value(p).shape()).collect();
    assert_eq!(
        param_shapes,
        vec![&[4, 5][..], &[4], &[3, 4], &[3], &[2, 3], &[2]]
    );
}

/// input 2 → 2 (ReLU) → 2 logits, with weights picked to make the arithmetic easy.
fn hand_net() -> Mlp {
    let layer = |w: Vec<f32>, b: Vec<f32>, activation| Dense {
        weight: Tensor::new(&[2, 2], w),
        bias: Tensor::new(&[2], b),
        activation,
    };
    Mlp {
        spec: spec(2, &[2, 2]),
        layers: vec![
            layer(vec![1.0, 0.0, 0.0, 1.0], vec![0.0, 0.0], Activation::Relu),
            layer(
                vec![1.0, 2.0, 3.0, 4.0],
                vec![-1.0, 3f32.ln() - 3.0],
                Activation::Identity,
            ),
        ],
    }
}

#[test]
fn loss_and_grads_by_hand() {
    // x = [1, −1], label 0.
    // Layer 1: a = W1·x + b1 = [1, −1]; h = relu(a) = [1, 0].
    // Layer 2: z = W2·h + b2 = [1, 3] + [−1, ln 3 − 3] = [0, ln 3].
    // Softmax [1/4, 3/4], loss = ln 4, ∂L/∂z = [−3/4, 3/4].
    // ∂L/∂W2 = ∂L/∂z ⊗ h = [[−3/4, 0], [3/4, 0]]; ∂L/∂b2 = [−3/4, 3/4].
    // ∂L/∂h = W2ᵀ·∂L/∂z = [−3/4·1 + 3/4·3, −3/4·2 + 3/4·4] = [3/2, 3/2].
    // ∂L/∂a = [3/2, 0] (relu passes only a > 0).
    // ∂L/∂W1 = ∂L/∂a ⊗ x = [[3/2, −3/2], [0, 0]]; ∂L/∂b1 = [3/2, 0].
    let net = hand_net();
    let x = Tensor::new(&[1, 2], vec![1.0, -1.0]);
    let out = net.loss_and_grads(&x, &[0]).unwrap();
    assert!((out.loss - 4f32.ln()).abs() < 1e-6, "{}", out.loss);
    assert!((out.logits.data()[0]).abs() < 1e-6 && (out.logits.data()[1] - 3f32.ln()).abs() < 1e-6);
    let expected: [&[f32]; 4] = [
        &[1.5, -1.5, 0.0, 0.0],
        &[1.5, 0.0],
        &[-0.75, 0.0, 0.75, 0.0],
        &[-0.75, 0.75],
    ];
    assert_eq!(out.grads.len(), 4);
    for (slot, (grad, want)) in out.grads.iter().zip(expected).enumerate() {
        for (g, w) in grad.data().iter().zip(want) {
            assert!(
                (g - w).abs() < 1e-6,
                "slot {slot}: {:?} vs {want:?}",
                grad.data()
            );
        }
    }
    assert_eq!(net.logits(&x), out.logits);
}

#[test]
fn apply_grads_uses_slots_2l_and_2l_plus_1() {
    // Momentum's first step stores the gradient itself as the velocity (b = g), so the
    // optimiser's state per slot shows which tensor went to which slot.
    let mut net = hand_net();
    let x = Tensor::new(&[1, 2], vec![1.0, -1.0]);
    let grads = net.loss_and_grads(&x, &[0]).unwrap().grads;
    let hyper = Hyper {
        lr: 0.1,
        ..Hyper::defaults(OptimizerKind::Momentum)
    };
    let mut opt = optim::build::<f32>(OptimizerKind::Momentum, hyper).unwrap();
    net.apply_grads(opt.as_mut(), &grads);
    for (slot, grad) in grads.iter().enumerate() {
        let state = opt.state(slot);
        let velocity: Vec<f32> = state[0].1.iter().map(|&v| v as f32).collect();
        assert_eq!(velocity, grad.data(), "slot {slot}");
    }
    // w ← w − 0.1·g: W1 = [[1 − 0.15, 0 + 0.15], [0, 1]], b2 = [−1 + 0.075, ln 3 − 3 − 0.075].
    let w1 = net.layers[0].weight.data();
    assert!((w1[0] - 0.85).abs() < 1e-6 && (w1[1] - 0.15).abs() < 1e-6 && w1[2..] == [0.0, 1.0]);
    let b2 = net.layers[1].bias.data();
    assert!((b2[0] + 0.925).abs() < 1e-6 && (b2[1] - (3f32.ln() - 3.075)).abs() < 1e-6);
}

#[test]
fn rows_are_independent() {
    // The logits of a batch are the logits of each row on its own.
    let net = Mlp::new(spec(3, &[4, 2]), Init::HeNormal, 11).unwrap();
    let batch = Tensor::new(&[2, 3], vec![0.5, -1.0, 2.0, 1.5, 0.0, -0.5]);
    let both = net.logits(&batch);
    for i in 0..2 {
        let one = net.logits(&Tensor::new(&[1, 3], batch.row(i).to_vec()));
        assert_eq!(one.data(), both.row(i));
    }
}

#[test]
fn the_lecture_network_runs() {
    let net = Mlp::new(MlpSpec::lecture(), Init::PyTorchDefault, 1).unwrap();
    assert_eq!(net.param_count(), 3_094_318);
    let x = Tensor::full(&[2, 30000], 0.5);
    let out = net.loss_and_grads(&x, &[3, 9]).unwrap();
    assert!(out.loss.is_finite());
    assert_eq!(out.logits.shape(), &[2, 10]);
    let shapes: Vec<&[usize]> = out.grads.iter().map(Tensor::shape).collect();
    assert_eq!(
        shapes,
        vec![
            &[100, 30000][..],
            &[100],
            &[256, 100],
            &[256],
            &[256, 256],
            &[256],
            &[10, 256],
            &[10]
        ]
    );
}

#[test]
fn bad_batches_are_errors() {
    let net = Mlp::new(spec(3, &[4, 2]), Init::HeNormal, 0).unwrap();
    let ok = Tensor::zeros(&[2, 3]);
    assert!(net.loss_and_grads(&ok, &[0, 1]).is_ok());

    let wrong_width = net
        .loss_and_grads(&Tensor::zeros(&[2, 4]), &[0, 1])
        .unwrap_err();
    assert_eq!(
        wrong_width,
        Error::WrongDimension {
            what: "input sample",
            expected: 3,
            got: 4
        }
    );
    assert!(matches!(
        net.loss_and_grads(&Tensor::zeros(&[6]), &[0]),
        Err(Error::InvalidData(_))
    ));
    assert!(matches!(
        net.loss_and_grads(&Tensor::zeros(&[0, 3]), &[]),
        Err(Error::InvalidData(_))
    ));
    assert!(matches!(
        net.loss_and_grads(&ok, &[0]),
        Err(Error::InvalidData(_))
    ));
    let label = net.loss_and_grads(&ok, &[0, 2]).unwrap_err().to_string();
    assert_eq!(
        label,
        "label is out of range: 2 is not one of the 2 classes (0 to 1)"
    );
    let nan = Tensor::new(&[1, 3], vec![0.0, f32::NAN, 0.0]);
    assert!(matches!(
        net.loss_and_grads(&nan, &[0]),
        Err(Error::NotFinite {
            what: "input value",
            ..
        })
    ));
    assert!(net.check_batch(&ok, None).is_ok());
}
