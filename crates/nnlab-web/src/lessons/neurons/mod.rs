//! Lesson: the neuron and the dense layer.
//!
//! `output = relu(dot(W, input) + b)` with a 3-input, 2-neuron layer whose
//! every number is an editable field. Each neuron's multiply-adds are written
//! out, the forward pass runs on the core's tensor graph, and the chosen
//! activation and its derivative are plotted with each neuron's z marked.
//!
//! - [`model`]: the layer and its forward pass (tested natively);
//! - [`plot`]: the activation chart (plotters);
//! - [`query`]: the layer in a link;
//! - [`view`]: the page.

pub mod model;
pub mod plot;
pub mod query;
pub mod view;
