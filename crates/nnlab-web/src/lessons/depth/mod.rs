//! Lesson: the depth in deep learning — successive layers of representations.
//! One test image followed through the lecture's network layer by layer, and
//! 300 test images as each layer represents them (2-D PCA, coloured by
//! class), live while the network trains: the lecture's "multi-stage
//! information distillation" made visible.
//!
//! - [`model`]: the probed image, scatter geometry, class separation (tested natively);
//! - [`scatter`]: one layer's cloud on a canvas;
//! - [`activations`]: one image's activations, layer by layer;
//! - [`view`]: the page.

pub mod activations;
pub mod model;
pub mod scatter;
pub mod view;
