//! Lesson: the network — building an MLP and reading its summary table.
//!
//! The lecture's `myMLP` (and its CIFAR-10 version) or any list of layer
//! sizes: the table `Layer (type) · Input Shape · Output Shape · Param #`
//! comes from the core's `nn::Summary`, the drawing shows the layers as
//! columns of neurons. Sizes are checked by `MlpSpec::validate` before
//! anything else happens, and no weights are ever allocated here.
//!
//! - [`model`]: the fields, the spec and its table (tested natively);
//! - [`drawing`]: the SVG drawing (with [`crate::lessons::kit::svg`]);
//! - [`query`]: the network in a link;
//! - [`view`]: the page.

pub mod drawing;
pub mod model;
pub mod query;
pub mod view;
