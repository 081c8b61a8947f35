//! # nnlab-figures — the pictures of nnlab, drawn once for every screen
//!
//! The web app (canvas) and the CLI (SVG/PNG for slides) draw the same loss-surface
//! and optimiser-path figures from this crate, so a slide and the live demo never
//! disagree. Everything is generic over plotters' [`DrawingBackend`].
//!
//! - [`colormap`]: a perceptual viridis map (dark = low loss) and track colours.
//! - [`field`]: a surface sampled on a grid, with log shading so narrow valleys show.
//! - [`contour`]: iso-lines by marching squares.
//! - [`frame`]: the one world ↔ pixel mapping (fixed margins for the axes).
//! - [`surface_plot`]: 2-D surfaces: heat map + contours + paths.
//! - [`curve_plot`]: 1-D surfaces: the curve y = f(x) with a ball rolling on it.
//! - [`labels`]: a slide's title, formula and legend, over either plot.
//! - [`theme`]: background, text and curve colours (light unless the caller asks for dark).
//!
//! Drawing is split into an expensive *background* (drawn once per surface, view and
//! size; the web app caches it) and cheap *tracks* (drawn every animation frame).
//!
//! ```
//! use nnlab::surfaces::by_name;
//! use nnlab_figures::{colormap, surface_plot, Field, Frame, HeatMap, Track};
//! use plotters::prelude::*;
//!
//! let surface = by_name("rosenbrock")?;
//! let path = vec![vec![-1.5, 2.0], vec![-1.2, 1.6], vec![-0.9, 1.0]];
//! let tracks = [Track { points: &path, color: colormap::track_color(0), label: "sgd" }];
//!
//! let mut svg = String::new();
//! {
//!     let area = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
//!     // Once per surface, view and size (the web app caches this layer) …
//!     let frame = Frame::new(800, 600, surface.view);
//!     let field = Field::sample(&surface, surface.view, 160, 120);
//!     surface_plot::draw_background_with(&area, &frame, &field, &surface, HeatMap::Cells)?;
//!     // … and every animation frame.
//!     surface_plot::draw_tracks(&area, &frame, &tracks)?;
//!     // A mouse click at pixel (425, 297) is world point (0, 1):
//!     assert_eq!(frame.from_pixel((425.0, 297.0)), (0.0, 1.0));
//! }
//! assert!(svg.contains("<polyline"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`DrawingBackend`]: plotters::prelude::DrawingBackend

#![warn(missing_docs)]

pub mod colormap;
pub mod contour;
pub mod curve_plot;
pub mod field;
pub mod fonts;
pub mod frame;
pub mod labels;
pub mod surface_plot;
pub mod theme;

mod axes;
mod geometry;
mod marks;

pub use field::Field;
pub use frame::Frame;
pub use theme::Theme;

/// One optimiser's path, as drawn over a surface or curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Track<'a> {
    /// Positions from the start (index 0) to the current point (last). Points with
    /// NaN/infinite coordinates end the drawn line there (a diverged run).
    pub points: &'a [Vec<f64>],
    /// Line, dot and marker colour (RGB).
    pub color: [u8; 3],
    /// Legend text (e.g. the optimiser's name); empty = not listed in the legend.
    pub label: &'a str,
}

/// How [`surface_plot::draw_background_with`] paints the heat map.
///
/// Raster backends want one bitmap blit; SVG wants a few thousand rectangles (a
/// per-pixel blit would write one `<rect>` per pixel); the web app may paint
/// [`Field::to_rgba`] into its own cached canvas and skip it here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatMap {
    /// Bilinearly upsampled to the plot's pixels and blitted (PNG, canvas).
    Bitmap,
    /// Rectangles over merged runs of equal colour bands (vector output: SVG).
    Cells,
    /// Not painted (the caller already did): contours, markers and axes only.
    Skip,
}

/// plotters errors carry the backend's error type; the figures API reports them as text.
pub(crate) fn draw_err<E: std::fmt::Display>(e: E) -> String {
    format!("drawing failed: {e}")
}
