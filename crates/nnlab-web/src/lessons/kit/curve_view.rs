//! A 1-D loss curve on a canvas: the curve, its minima and axes (from
//! `nnlab_figures::curve_plot`, the same picture the CLI draws) are drawn once
//! per surface and size into an offscreen canvas; each frame copies it and the
//! lesson draws its marks on top.

use nnlab::surfaces::{Surface, ViewBox};
use nnlab_figures::{curve_plot, Frame};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use web_sys::HtmlCanvasElement;

use crate::draw::{context_2d, FigureBackend};
use crate::error::{WebError, WebResult};
use crate::widgets::{dom, HiDpiCanvas};

/// What the cached background shows; a change means redrawing it.
#[derive(Clone, Debug, PartialEq)]
struct BackgroundKey {
    surface: &'static str,
    view: (f64, f64, f64, f64),
    css_size: (u32, u32),
    dpr: f64,
}

/// A canvas showing a curve, with a cached background.
pub struct CurveView {
    canvas: HiDpiCanvas,
    background: HtmlCanvasElement,
    key: Option<BackgroundKey>,
    frame: Option<Frame>,
}

/// The drawing area of one frame, over the copied background.
pub type Overlay = DrawingArea<FigureBackend<'static>, Shift>;

impl CurveView {
    pub fn new(canvas: HiDpiCanvas) -> WebResult<CurveView> {
        Ok(CurveView {
            canvas,
            background: dom::create("canvas", "")?,
            key: None,
            frame: None,
        })
    }

    pub fn canvas(&self) -> &HiDpiCanvas {
        &self.canvas
    }

    pub fn canvas_mut(&mut self) -> &mut HiDpiCanvas {
        &mut self.canvas
    }

    /// The world ↔ pixel mapping of the last drawn picture (CSS pixels).
    pub fn frame(&self) -> Option<Frame> {
        self.frame
    }

    /// Copies the background of `surface` seen through `view` (drawing it first
    /// if the surface, view or size changed) and returns the area to draw marks
    /// on, with its frame. `None` while the canvas has no size yet.
    /// Call `present()` on the area when done.
    pub fn begin(
        &mut self,
        surface: &Surface,
        view: ViewBox,
    ) -> WebResult<Option<(Overlay, Frame)>> {
        let (width, height) = self.canvas.css_size();
        if width == 0 || height == 0 {
            return Ok(None);
        }
        let key = BackgroundKey {
            surface: surface.name,
            view: (view.x.0, view.x.1, view.y.0, view.y.1),
            css_size: (width, height),
            dpr: self.canvas.device_pixel_ratio(),
        };
        if self.key.as_ref() != Some(&key) {
            let frame = Frame::new(width, height, view);
            self.background.set_width(self.canvas.element.width());
            self.background.set_height(self.canvas.element.height());
            let backend = FigureBackend::canvas(&self.background, (width, height), key.dpr)?;
            let area = backend.into_drawing_area();
            curve_plot::draw_background(&area, &frame, surface).map_err(WebError::Draw)?;
            area.present().map_err(|e| WebError::Draw(e.to_string()))?;
            self.frame = Some(frame);
            self.key = Some(key);
        }
        let frame = self.frame.ok_or(WebError::Draw("no frame".into()))?;
        let context = context_2d(&self.canvas.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        context.draw_image_with_html_canvas_element(&self.background, 0.0, 0.0)?;
        Ok(Some((self.canvas.backend()?.into_drawing_area(), frame)))
    }
}
