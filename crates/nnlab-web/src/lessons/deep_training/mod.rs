//! Lesson: 针对梯度传播的改进 — why deep networks only became trainable
//! around 2009–2010. Two ten-layer networks train side by side in the
//! Worker on CIFAR-10: the recipe before 2009 (sigmoid, small random
//! weights, plain SGD) and the one after (ReLU, He/Xavier, Adam), with each
//! layer's gradient norm as a bar (vanishing gradients shrink towards the
//! input) and both loss and accuracy curves. Switches swap one ingredient
//! at a time, so the student finds out which matters.
//!
//! - [`model`]: the recipes, the switches and what to ask of the Worker (tested natively);
//! - [`query`]: the recipes in a link;
//! - [`bars`]: the gradient bars' log scale and labels (tested natively);
//! - [`view`]: the page.

pub mod bars;
pub mod model;
pub mod query;
pub mod view;
