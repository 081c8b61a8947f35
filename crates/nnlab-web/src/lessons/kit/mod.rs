//! What lessons share, so no lesson imports another (the start of the
//! lesson kit): [`clock`] (play at a speed), [`geometry`] (clipping and arrow
//! heads), [`curve_view`] (a cached 1-D curve), [`drag`] (pointer drags on a
//! canvas) and [`page`] (heading, picture, read-outs, buttons of the
//! optimisation lessons: derivative, gradient, 1-D descent).

pub mod clock;
pub mod curve_view;
pub mod drag;
pub mod geometry;
pub mod page;
