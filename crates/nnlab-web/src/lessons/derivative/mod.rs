//! Lesson: the derivative as a slope. Drag the point p along the curve; the
//! tangent with slope a = f′(p) (from the autodiff tape) goes through it, and
//! the ε slider shows f(p+ε) against the linear guess y + a·ε, the gap
//! between them vanishing as ε shrinks. Play halves ε step by step.
//!
//! - [`model`]: the state and the maths, free of browser types (tested natively);
//! - [`query`]: the lesson in a link;
//! - [`figure`]: the tangent, secant and gap, drawn on the canvas and on the PNG/SVG slide;
//! - [`view`]: the page, the picture and the export buttons.

pub mod figure;
pub mod model;
pub mod query;
pub mod view;

pub use figure::TANGENT_COLOR;
pub use view::draw_picture;
