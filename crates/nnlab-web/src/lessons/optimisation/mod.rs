//! The optimisation lessons of the lecture's "derivatives and gradients" and
//! "stochastic gradient descent" sections:
//!
//! - [`derivative`]: the derivative as the slope of the tangent, against the secant;
//! - [`gradient`]: the gradient of a 2-D function and one step W₁ = W₀ − step·∇f(W₀);
//! - [`descent_1d`]: SGD on the lecture's double-well curve, with its local minimum
//!   (two instances: the SGD section and the local-minima section).
//!
//! Shared by the three: [`clock`] (play at a speed), [`geometry`] (clipping
//! and arrow heads), [`curve_view`] (the cached 1-D curve) and [`page`]
//! (heading, picture, read-outs, buttons).
//! Each lesson keeps its state in a browser-free `model.rs` (tested natively),
//! its link in `query.rs`, and takes the app's shared keys (Space, →, R,
//! digits) through `Lesson::command`.

pub mod clock;
pub mod curve_view;
pub mod derivative;
pub mod descent_1d;
pub mod drag;
pub mod geometry;
pub mod gradient;
pub mod page;

pub use derivative::DerivativeLesson;
pub use descent_1d::Descent1dLesson;
pub use gradient::GradientLesson;
