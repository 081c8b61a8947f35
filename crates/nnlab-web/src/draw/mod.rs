//! Drawing: a plotters backend for high-DPI canvases (and the one backend
//! type every figure is drawn through, canvas or SVG), and the cached
//! surface view that lessons draw loss landscapes and paths with. The
//! pictures themselves come from `nnlab-figures`, shared with the CLI.

/// The plotters `DrawingBackend` methods our two backends pass on unchanged
/// to the backend underneath: `$via!(self, b => b.method(args))` says how
/// to reach it (and lifts its error into ours).
macro_rules! pass_on_drawing {
    ($via:ident) => {
        fn ensure_prepared(&mut self) -> DrawResult<()> {
            $via!(self, b => b.ensure_prepared())
        }

        fn present(&mut self) -> DrawResult<()> {
            $via!(self, b => b.present())
        }

        fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> DrawResult<()> {
            $via!(self, b => b.draw_pixel(point, color))
        }

        fn draw_line<S: BackendStyle>(
            &mut self,
            from: BackendCoord,
            to: BackendCoord,
            style: &S,
        ) -> DrawResult<()> {
            $via!(self, b => b.draw_line(from, to, style))
        }

        fn draw_rect<S: BackendStyle>(
            &mut self,
            upper_left: BackendCoord,
            bottom_right: BackendCoord,
            style: &S,
            fill: bool,
        ) -> DrawResult<()> {
            $via!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
        }

        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> DrawResult<()> {
            $via!(self, b => b.draw_path(path, style))
        }

        fn draw_circle<S: BackendStyle>(
            &mut self,
            center: BackendCoord,
            radius: u32,
            style: &S,
            fill: bool,
        ) -> DrawResult<()> {
            $via!(self, b => b.draw_circle(center, radius, style, fill))
        }

        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            vert: I,
            style: &S,
        ) -> DrawResult<()> {
            $via!(self, b => b.fill_polygon(vert, style))
        }

        fn draw_text<S: BackendTextStyle>(
            &mut self,
            text: &str,
            style: &S,
            pos: BackendCoord,
        ) -> DrawResult<()> {
            $via!(self, b => b.draw_text(text, style, pos))
        }

        fn estimate_text_size<S: BackendTextStyle>(
            &self,
            text: &str,
            style: &S,
        ) -> DrawResult<(u32, u32)> {
            $via!(self, b => b.estimate_text_size(text, style))
        }
    };
}

mod css_backend;
mod figure_backend;
mod lines;
pub mod palette;
pub mod surface_view;
pub mod text_size;

pub use css_backend::{context_2d, CssCanvasBackend};
pub use figure_backend::{FigureBackend, FigureError};
pub use lines::polyline;
pub use surface_view::{Overlay, SurfaceView};
