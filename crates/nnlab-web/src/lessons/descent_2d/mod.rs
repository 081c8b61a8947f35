//! Lesson: gradient descent on a 2-D loss surface — a race.
//!
//! A heat map with contour lines shows the surface; a click (or drag) picks
//! the start, and the chosen optimisers — SGD, momentum, the lecture's
//! Nesterov form, Adagrad, RMSProp, Adam — walk downhill from it together,
//! each with the same step budget, its own colour, path and settings, while a
//! second picture plots every loss against the step number. With one
//! optimiser ticked it is the classic single-walk picture. A learning rate
//! too large for the curvature stops that walk with a plain-words message;
//! the others carry on.
//!
//! - [`model`]: the race, free of browser types (tested natively);
//! - [`runner`]: one optimiser's walk, settings and fate;
//! - [`presets`]: prepared scenes on the digit keys;
//! - [`query`]: the race in a link;
//! - the visited points are a [`Path`](crate::lessons::kit::path::Path) of the kit;
//! - [`loss_chart`]: the loss-vs-step chart (log scale);
//! - [`text`]: labels, the status line and number formats;
//! - [`view`]: the page; handlers only change the model, and each frame the
//!   view catches up with it, so there is one way state reaches the page.

pub mod loss_chart;
pub mod model;
pub mod presets;
pub mod query;
pub mod runner;
pub mod text;
pub mod view;

pub use view::runner_color;
