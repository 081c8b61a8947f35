//! What lessons share, so no lesson imports another (the start of the
//! lesson kit): [`clock`] (play at a speed), [`geometry`] (clipping and arrow
//! heads), [`drag`] (pointer drags on a
//! canvas), [`labels`] (surface and optimiser menu labels), [`format`] (numbers as lessons print them), [`path`] (a descent's visited points, thinned), [`page`]
//! (heading, picture, read-outs, buttons of the optimisation lessons), and
//! for the CIFAR-10 lessons [`data_panel`] (getting the data, its progress,
//! the copy on the device) and [`pictures`] (class names, colours, blits).

pub mod bind;
pub mod clock;
pub mod data_panel;
pub mod drag;
pub mod format;
pub mod geometry;
pub mod labels;
pub mod line_chart;
pub mod number;
pub mod page;
pub mod path;
pub mod pictures;
pub mod stage;
pub mod svg;
pub mod walk;
