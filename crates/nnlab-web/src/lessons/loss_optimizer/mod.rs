//! Lesson: loss functions and optimisers.
//!
//! Softmax cross-entropy made tangible: ten logits (the CIFAR-10 classes) to
//! drag, the true class to pick, the softmax probabilities, the loss
//! `−ln p_true` and its gradient `p − onehot` — computed by the core's
//! autodiff graph — redrawn as you drag. Presets show a confident right
//! answer, an untrained network (loss ln 10) and a confident wrong answer;
//! accuracy is set beside the loss. Below, the lecture's
//! `model.prepare(Adam, CrossEntropyLoss, Accuracy)`, the optimisers it names
//! with their update rules and links to race them, and its advice.
//!
//! - [`model`]: logits, truth and what the core computes (tested natively);
//! - [`bars`]: where the three charts sit on the canvas;
//! - [`optimizers`]: the optimiser cards and their race links;
//! - [`view`]: the page.

pub mod bars;
pub mod model;
pub mod optimizers;
pub mod view;
