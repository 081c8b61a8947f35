//! Lesson: SGD along the lecture's 1-D loss curve f(x) = x⁴ − 3x² + x, a
//! double well with a shallow local minimum and a deeper global one. A ball
//! takes SGD steps; presets show a learning rate that is too small (crawls and
//! gets stuck in the local minimum), good, and too large (lands anywhere, then
//! diverges); a noise slider makes the descent stochastic, as mini-batches do.
//! A loss-vs-step chart sits under the curve.
//!
//! Two sections use it: "Stochastic gradient descent" opens with the good
//! preset, "Local minima" with the too-small one.
//!
//! - [`model`]: the state, free of browser types (tested natively);
//! - [`noise`]: seeded mini-batch noise on the gradient;
//! - [`text`]: the status line;
//! - [`query`]: the lesson in a link;
//! - `view` and `chart`: the page, the curve with the ball, the loss chart;
//! - `figure`: both as one PNG/SVG slide.

mod chart;
mod figure;
pub mod model;
pub mod noise;
pub mod query;
pub mod text;
pub mod view;

pub use chart::{draw_loss_chart, ChartLabels, LOSS_LINE_COLOR};
pub use view::{draw_curve, BALL_COLOR};
