//! The lecture's multi-layer perceptron, end to end, in one page:
//! print its model table, then train it for a few Adam steps on one small
//! random batch and watch the loss fall.
//!
//! Run with `cargo run -p nnlab --example lecture_mlp --release`.

use nnlab::init::Init;
use nnlab::nn::{Mlp, MlpSpec, Summary};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::{loss, Tensor};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() -> nnlab::Result<()> {
    // The table from the lecture: 100×100 colour images, batch of 10.
    println!("The lecture's network on 3×100×100 images:");
    print!("{}", Summary::new(&MlpSpec::lecture(), 10));

    // The same layers on CIFAR-10's 3×32×32 images.
    let spec = MlpSpec::lecture_cifar();
    println!("\nThe same layers on CIFAR-10 (3×32×32 = 3072 inputs):");
    print!("{}", Summary::new(&spec, 10));
    let mut net = Mlp::new(spec, Init::PyTorchDefault, 42)?;

    // A batch of 16 random "images" (pixels in [0, 1)) with random labels.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let batch = 16;
    let pixels: Vec<f32> = (0..batch * 3072).map(|_| rng.random::<f32>()).collect();
    let images = Tensor::new(&[batch, 3072], pixels);
    let labels: Vec<usize> = (0..batch).map(|_| rng.random_range(0..10)).collect();

    // Adam with PyTorch's defaults (lr 0.001). Memorising 16 samples is easy:
    // the loss starts near ln 10 ≈ 2.30 (a uniform guess) and heads for 0.
    let mut adam = optim::build::<f32>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam))?;
    println!("\nAdam on one batch of {batch}:");
    for step in 0..15 {
        let out = net.loss_and_grads(&images, &labels)?;
        let acc = loss::accuracy(&out.logits, &labels);
        println!(
            "step {step:2}  loss {:.4}  accuracy {:.0}%",
            out.loss,
            100.0 * acc
        );
        net.apply_grads(adam.as_mut(), &out.grads);
    }
    Ok(())
}
