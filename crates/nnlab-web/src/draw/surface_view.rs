//! A 2-D loss surface on a canvas: the expensive background (heat map,
//! contours, minima, axes) is drawn once per surface and size into an
//! offscreen canvas; each frame copies it and draws the paths on top.

use nnlab::surfaces::Surface;
use nnlab_figures::{surface_plot, Field, Frame, Track};
use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlCanvasElement;

use crate::draw::{context_2d, FigureBackend};
use crate::error::{WebError, WebResult};
use crate::widgets::{dom, HiDpiCanvas};

/// What the cached background shows; a change means redrawing it.
#[derive(Clone, Debug, PartialEq)]
struct BackgroundKey {
    surface: &'static str,
    css_size: (u32, u32),
    dpr: f64,
}

/// A canvas showing a surface and paths over it.
pub struct SurfaceView {
    canvas: HiDpiCanvas,
    background: HtmlCanvasElement,
    key: Option<BackgroundKey>,
    frame: Option<Frame>,
}

impl SurfaceView {
    /// A view drawing on `canvas` (already sized with [`HiDpiCanvas::resize`] or `fit_to_parent`).
    pub fn new(canvas: HiDpiCanvas) -> WebResult<SurfaceView> {
        Ok(SurfaceView {
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

    /// The world ↔ pixel mapping of the last drawn picture (CSS pixels), for mouse handling.
    pub fn frame(&self) -> Option<&Frame> {
        self.frame.as_ref()
    }

    /// Whether the next [`SurfaceView::draw`] of `surface` has to redraw the background.
    pub fn needs_background(&self, surface: &Surface) -> bool {
        self.key.as_ref() != Some(&self.background_key(surface))
    }

    fn background_key(&self, surface: &Surface) -> BackgroundKey {
        BackgroundKey {
            surface: surface.name,
            css_size: self.canvas.css_size(),
            dpr: self.canvas.device_pixel_ratio(),
        }
    }

    /// Draws `surface` (from the cache when nothing changed) and `tracks` over it.
    pub fn draw(&mut self, surface: &Surface, tracks: &[Track]) -> WebResult<()> {
        let (width, height) = self.canvas.css_size();
        if width == 0 || height == 0 {
            return Ok(());
        }
        if self.needs_background(surface) {
            self.render_background(surface)?;
        }
        let frame = self.frame.ok_or(WebError::Draw("no frame".into()))?;

        let context = context_2d(&self.canvas.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        context.draw_image_with_html_canvas_element(&self.background, 0.0, 0.0)?;

        let area = self.canvas.backend()?.into_drawing_area();
        surface_plot::draw_tracks(&area, &frame, tracks).map_err(WebError::Draw)?;
        area.present().map_err(|e| WebError::Draw(e.to_string()))
    }

    fn render_background(&mut self, surface: &Surface) -> WebResult<()> {
        let (width, height) = self.canvas.css_size();
        let frame = Frame::new(width, height, surface.view);
        self.background.set_width(self.canvas.element.width());
        self.background.set_height(self.canvas.element.height());
        let backend = FigureBackend::canvas(
            &self.background,
            (width, height),
            self.canvas.device_pixel_ratio(),
        )?;
        let area = backend.into_drawing_area();
        let field = web_field(surface, &frame);
        surface_plot::draw_background(&area, &frame, &field, surface).map_err(WebError::Draw)?;
        area.present().map_err(|e| WebError::Draw(e.to_string()))?;
        self.frame = Some(frame);
        self.key = Some(self.background_key(surface));
        Ok(())
    }
}

/// The surface sampled for the screen: one grid point per 2 CSS pixels of the
/// plot (the figures crate's default of 4 leaves visible kinks in contour lines
/// along Rosenbrock's narrow valley). Sampled once per surface and size.
fn web_field(surface: &Surface, frame: &Frame) -> Field {
    let (width, height) = frame.plot_size();
    let n = |px: u32| (px as usize / 2).clamp(64, 480);
    Field::sample(surface, frame.view, n(width), n(height))
}
