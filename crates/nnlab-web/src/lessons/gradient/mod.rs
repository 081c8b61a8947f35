//! Lesson: the gradient of a 2-D function. A contour map with the gradient's
//! arrow field; a click picks W₀, and the lesson shows ∇f(W₀) and the step
//! W₁ = W₀ − step·∇f(W₀) with f(W₀) beside f(W₁), so a step too big to trust
//! the gradient shows itself as f(W₁) > f(W₀). Play keeps stepping.
//!
//! - [`model`]: the state and the maths, free of browser types (tested natively);
//! - [`query`]: the lesson in a link;
//! - [`figure`]: the arrows over the map, drawn on the canvas and on the PNG/SVG slide;
//! - [`view`]: the page, the picture and the export buttons.

pub mod figure;
pub mod model;
pub mod query;
pub mod view;

pub use figure::{FIELD_COLOR, STEP_COLOR};
pub use view::draw_picture;
