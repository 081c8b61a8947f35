//! What lessons share, so that no lesson imports another:
//!
//! - page building: [`page`] (the figure/controls columns, read-outs, legends,
//!   status lines, redraw on change or resize), [`stage`] (a surface picture
//!   with its status, transport and export), [`line_chart`] (a loss curve),
//!   [`readout`] and [`hover`] (the values under the pointer or the arrow
//!   keys on any chart),
//!   [`labels`] (surface, optimiser and activation menus), [`svg`];
//! - behaviour: [`bind`] (handlers that change the model, one line each),
//!   [`walk`] (what the shared keys and time mean for the lessons that walk
//!   step by step), [`clock`] (play at a speed, a frame's budget), [`drag`]
//!   (pointer drags on a plot);
//! - numbers: [`format`](mod@format) (as lessons print them) and [`number`]
//!   (as people type them), [`geometry`], [`path`] (a walk's points, thinned);
//! - CIFAR-10: [`data_panel`] (getting the data, its progress, the copy on
//!   the device) and [`pictures`] (class names, colours, blits);
//! - a photo of one's own: [`own_photo`] (the card: choose, take, drop or
//!   paste; the centre square and its 32×32) and [`photo_decode`] (the file
//!   into the core's area average).

pub mod bind;
pub mod clock;
pub mod data_panel;
pub mod drag;
pub mod format;
pub mod geometry;
pub mod hover;
pub mod labels;
pub mod line_chart;
pub mod number;
pub mod own_photo;
pub mod page;
pub mod path;
pub mod photo_decode;
pub mod pictures;
pub mod readout;
pub mod stage;
pub mod svg;
pub mod walk;
