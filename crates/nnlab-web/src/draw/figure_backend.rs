//! The one plotters backend every figure of the page is drawn through: a
//! high-DPI canvas ([`CssCanvasBackend`]) or, for "Export SVG", plotters'
//! SVG writer.
//!
//! Why one type for both: figures are drawn by generic plotters code (ours
//! in `nnlab-figures` and the lessons, and plotters' own), and wasm gets a
//! whole copy of it for every backend type it is used with. A second type
//! for the SVG export cost about 17 KB of the gzipped wasm; a `match` per
//! drawing call costs nothing visible.

use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::fmt;
use web_sys::HtmlCanvasElement;

use super::CssCanvasBackend;
use crate::error::WebResult;

/// A canvas or an SVG document; see the module docs.
pub enum FigureBackend<'a> {
    /// The page's high-DPI canvas.
    Canvas(CssCanvasBackend),
    /// An SVG document, for "Export SVG".
    Svg(SVGBackend<'a>),
}

impl FigureBackend<'static> {
    /// Draws on `canvas` in CSS pixels (see [`CssCanvasBackend::new`]).
    pub fn canvas(
        canvas: &HtmlCanvasElement,
        css_size: (u32, u32),
        dpr: f64,
    ) -> WebResult<FigureBackend<'static>> {
        CssCanvasBackend::new(canvas, css_size, dpr).map(FigureBackend::Canvas)
    }
}

impl<'a> FigureBackend<'a> {
    /// Writes an SVG document of `size` into `svg`.
    pub fn svg(svg: &'a mut String, size: (u32, u32)) -> FigureBackend<'a> {
        FigureBackend::Svg(SVGBackend::with_string(svg, size))
    }
}

/// What went wrong while drawing (plotters-canvas's or the SVG writer's
/// error, or a thrown JavaScript value).
#[derive(Debug)]
pub struct FigureError(pub(super) String);

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FigureError {}

type DrawResult<T> = Result<T, DrawingErrorKind<FigureError>>;

/// Any backend's result as ours.
pub(super) fn lift<T, E: std::error::Error + Send + Sync>(
    result: Result<T, DrawingErrorKind<E>>,
) -> DrawResult<T> {
    result.map_err(|e| match e {
        DrawingErrorKind::DrawingError(inner) => {
            DrawingErrorKind::DrawingError(FigureError(inner.to_string()))
        }
        DrawingErrorKind::FontError(font) => DrawingErrorKind::FontError(font),
    })
}

/// Calls the same method on whichever backend this is.
macro_rules! forward {
    ($self:ident, $backend:ident => $call:expr) => {
        match $self {
            FigureBackend::Canvas($backend) => lift($call),
            FigureBackend::Svg($backend) => lift($call),
        }
    };
}

impl DrawingBackend for FigureBackend<'_> {
    type ErrorType = FigureError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            FigureBackend::Canvas(b) => b.get_size(),
            FigureBackend::Svg(b) => b.get_size(),
        }
    }

    pass_on_drawing!(forward);

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> DrawResult<()> {
        forward!(self, b => b.blit_bitmap(pos, size, src))
    }
}
