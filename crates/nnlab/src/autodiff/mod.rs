//! Reverse-mode automatic differentiation, twice over:
//! [`scalar`] for f64 expressions (loss surfaces, the derivative lessons) and
//! [`graph`] for f32 tensors (networks). Both are a tape of nodes and a
//! backward pass that is one reverse loop.

pub mod graph;
pub mod scalar;

pub use graph::{Graph, TVar};
pub use scalar::{Grad, ScalarNode, ScalarOp, Tape, Var};
