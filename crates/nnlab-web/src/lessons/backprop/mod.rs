//! Lesson: the chain rule and backpropagation.
//!
//! A small expression — the chain rule's m(x) = f(g(x)), the lecture's
//! f(W₁, W₂, W₃) = a(W₁, b(W₂, c(W₃))), or one neuron's loss — is recorded on
//! the core's scalar tape and drawn as its graph. The backward pass then runs
//! node by node: the local derivative on each arrow, the running product on
//! each node, and at the end every parameter's gradient beside a central
//! finite difference.
//!
//! - [`presets`]: the expressions; [`trace`]: the recorded tape and its layout;
//! - [`replay`]: the backward pass one node at a time; [`model`]: the lesson's state;
//! - [`query`]: the expression and its values in a link;
//! - `graph`: the SVG graph; `view`: the page.

mod graph;
pub mod model;
pub mod presets;
pub mod query;
pub mod replay;
pub mod trace;
pub mod view;

pub use graph::draw as draw_graph;
