//! Lesson: weight initialisation.
//!
//! The lecture's MLP (or a deeper one) is filled by the chosen initialiser
//! and a batch of 64 images runs forward through it. For every layer the
//! lesson shows the histogram of its weights and of the activations they
//! produce, with their standard deviation, so a signal that vanishes or
//! explodes on its way through the layers is visible before training starts.
//!
//! - [`stats`]: mean, std and histograms;
//! - [`model`]: the lesson's state and the sliced forward pass (tested natively);
//! - [`text`]: labels and number formats;
//! - [`query`]: the settings in a link;
//! - [`view`]: the page.

pub mod model;
pub mod query;
pub mod stats;
pub mod text;
pub mod view;
