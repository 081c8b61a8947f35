//! A plotters backend that draws in CSS pixels on a high-DPI canvas, and
//! blits bitmaps in one `putImageData` instead of one rectangle per pixel.
//!
//! plotters-canvas sizes its drawing area by the canvas's *device* pixels and
//! blits pixel by pixel. We want figures laid out in CSS pixels (so text has
//! the same size on every screen) and drawn crisply at `devicePixelRatio`:
//! the canvas context carries a `dpr` scale transform, this backend reports the
//! CSS size, and every vector operation is passed through to plotters-canvas.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::figure_backend::{lift, FigureError};
use crate::error::{WebError, WebResult};

/// Draws on `canvas` in CSS pixels; see the module docs.
pub struct CssCanvasBackend {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    css_size: (u32, u32),
    dpr: f64,
}

impl CssCanvasBackend {
    /// A backend over a canvas whose bitmap is `css_size × dpr` device pixels.
    /// Sets the context's transform to scale CSS pixels to device pixels.
    pub fn new(canvas: &HtmlCanvasElement, css_size: (u32, u32), dpr: f64) -> WebResult<Self> {
        let context = context_2d(canvas)?;
        context.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
        let inner = CanvasBackend::with_canvas_object(canvas.clone())
            .ok_or(WebError::MissingElement("2-D canvas context"))?;
        Ok(CssCanvasBackend {
            inner,
            context,
            css_size,
            dpr,
        })
    }
}

/// The canvas's 2-D context (an error, not a panic, if the browser refuses one).
pub fn context_2d(canvas: &HtmlCanvasElement) -> WebResult<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")?
        .ok_or(WebError::MissingElement("2-D canvas context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| WebError::MissingElement("2-D canvas context"))
}

type DrawResult<T> = Result<T, DrawingErrorKind<FigureError>>;

/// A thrown JavaScript value as a drawing error.
fn js_error(e: JsValue) -> DrawingErrorKind<FigureError> {
    DrawingErrorKind::DrawingError(FigureError(crate::error::js_message(&e)))
}

/// Passes a call on to plotters-canvas's backend.
macro_rules! to_inner {
    ($self:ident, $backend:ident => $call:expr) => {
        match $self {
            CssCanvasBackend {
                inner: $backend, ..
            } => lift($call),
        }
    };
}

impl DrawingBackend for CssCanvasBackend {
    type ErrorType = FigureError;

    fn get_size(&self) -> (u32, u32) {
        self.css_size
    }

    pass_on_drawing!(to_inner);

    /// One `putImageData` at device resolution: `putImageData` ignores the
    /// context transform, so the CSS-pixel bitmap is scaled up by `dpr` here
    /// (nearest neighbour; the heat map is smooth at this scale).
    /// Accepts RGB (plotters' `BitMapElement`) or RGBA rows.
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> DrawResult<()> {
        let pixels = (iw as usize) * (ih as usize);
        let channels = if src.len() == pixels * 4 { 4 } else { 3 };
        if pixels == 0 || src.len() < pixels * channels {
            return Ok(());
        }
        let scale = self.dpr.max(1.0);
        let dw = ((iw as f64) * scale).round().max(1.0) as u32;
        let dh = ((ih as f64) * scale).round().max(1.0) as u32;
        let mut rgba = vec![0u8; (dw as usize) * (dh as usize) * 4];
        for dy in 0..dh as usize {
            let sy = ((dy as f64 / scale) as usize).min(ih as usize - 1);
            for dx in 0..dw as usize {
                let sx = ((dx as f64 / scale) as usize).min(iw as usize - 1);
                let s = (sy * iw as usize + sx) * channels;
                let d = (dy * dw as usize + dx) * 4;
                rgba[d..d + 3].copy_from_slice(&src[s..s + 3]);
                rgba[d + 3] = if channels == 4 { src[s + 3] } else { 255 };
            }
        }
        let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), dw, dh)
            .map_err(js_error)?;
        let x = (f64::from(pos.0) * self.dpr).round();
        let y = (f64::from(pos.1) * self.dpr).round();
        self.context.put_image_data(&image, x, y).map_err(js_error)
    }
}
