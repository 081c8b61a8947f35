//! # nnlab — the maths behind the lecture "First look at neural networks"
//!
//! Pure Rust, no browser or terminal code: the web app and the CLI are thin
//! front ends over this crate.
//!
//! - [`autodiff`]: reverse-mode autodiff for f64 expressions and f32 tensors.
//! - [`surfaces`]: named 1-D and 2-D loss surfaces (Rosenbrock, the double well, …).
//! - [`optim`]: SGD, momentum, the lecture's Nesterov form, Adagrad, RMSProp, Adam.
//! - [`descent`]: an optimiser walking down a surface, step by step.
//! - [`nn`], [`init`], [`loss`]: dense layers, the MLP, initialisers, cross-entropy.
//! - [`kernels`]: the matrix products everything above runs on.
//! - [`photo`]: a photo of the student's own cropped and shrunk to a CIFAR-10 input.
//! - [`features`]: hand-made image features (HOG, hue histogram) and the
//!   pipelines that race them against end-to-end learning.
//!
//! ## The lecture's network in a few lines
//!
//! ```
//! use nnlab::{init::Init, nn::{Mlp, MlpSpec}, optim::{self, Hyper, OptimizerKind}, Tensor};
//!
//! // 3072 → 100 → 256 → 256 → 10 with ReLU (CIFAR-10 sized), PyTorch's default init.
//! let mut net = Mlp::new(MlpSpec::lecture_cifar(), Init::PyTorchDefault, 42)?;
//! let images = Tensor::full(&[4, 3072], 0.5);
//! let labels = [0, 3, 5, 9];
//! let mut adam = optim::build::<f32>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam))?;
//! let first = net.loss_and_grads(&images, &labels)?; // mean softmax cross-entropy + ∂loss/∂(w, b)
//! net.apply_grads(adam.as_mut(), &first.grads);      // slot 2l = weight of layer l, 2l+1 = its bias
//! let second = net.loss_and_grads(&images, &labels)?;
//! assert!(second.loss < first.loss);
//! print!("{}", net.summary(10)); // the lecture's model table
//! # Ok::<(), nnlab::Error>(())
//! ```

#![warn(missing_docs)]

pub mod autodiff;
pub mod data;
pub mod descent;
pub mod error;
pub mod features;
pub mod init;
pub mod kernels;
pub mod loss;
pub mod metrics;
pub mod nn;
pub mod optim;
pub mod pca;
pub mod photo;
pub mod python;
pub mod surfaces;
pub mod tensor;
pub mod train;

pub use error::{printable, Error, Result};
pub use tensor::Tensor;
