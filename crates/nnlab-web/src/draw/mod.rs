//! Drawing: a plotters backend for high-DPI canvases and the cached
//! surface view that lessons draw loss landscapes and paths with. The
//! pictures themselves come from `nnlab-figures`, shared with the CLI.

mod css_backend;
mod surface_view;

pub use css_backend::{context_2d, CssCanvasBackend, CssCanvasError};
pub use surface_view::SurfaceView;
