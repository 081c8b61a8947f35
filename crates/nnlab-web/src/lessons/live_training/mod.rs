//! Lesson: live training on CIFAR-10 — the lecture's MLP trained in a Web
//! Worker while the page shows the curves, counters, confusion matrix, first
//! layer weight images and test predictions; pause, change the learning
//! rate, resume; save and load the model; and show it a photo of one's own.
//!
//! - [`model`]: formats and choices (tested natively);
//! - [`query`]: the choices in a link;
//! - `charts`: the curves and the weight grid;
//! - [`photo`]: the student's own photo, classified by the network being trained;
//! - [`view`]: the page.

pub mod charts;
pub mod model;
pub mod photo;
pub mod query;
pub mod view;
