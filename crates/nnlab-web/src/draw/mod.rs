//! Drawing: a plotters backend for high-DPI canvases (and the one backend
//! type every figure is drawn through, canvas or SVG), and the cached
//! surface view that lessons draw loss landscapes and paths with. The
//! pictures themselves come from `nnlab-figures`, shared with the CLI.

mod css_backend;
mod figure_backend;
mod lines;
pub mod surface_view;

pub use css_backend::{context_2d, CssCanvasBackend};
pub use figure_backend::{FigureBackend, FigureError};
pub use lines::polyline;
pub use surface_view::{Overlay, SurfaceView};
