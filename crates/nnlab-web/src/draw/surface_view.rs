//! A loss surface on a canvas — a 1-D curve or a 2-D heat map with contours —
//! with paths and marks over it. The expensive background (the curve or heat
//! map, minima, axes: the same picture `nnlab-figures` draws for the CLI) is
//! drawn once per surface and size into an offscreen canvas; each frame copies
//! it and draws the moving parts on top. Both are drawn in the page's colour
//! theme ([`super::palette`]); the data colours are the same in every theme.

use nnlab::surfaces::Surface;
use nnlab_figures::{curve_plot, surface_plot, Field, Frame, Track};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use web_sys::HtmlCanvasElement;

use crate::draw::{context_2d, palette, text_size, FigureBackend};
use crate::error::{WebError, WebResult};
use crate::widgets::{dom, HiDpiCanvas};

/// The drawing area of one frame, over the copied background.
pub type Overlay = DrawingArea<FigureBackend<'static>, Shift>;

/// What the cached background shows; a change means redrawing it.
#[derive(Clone, Debug, PartialEq)]
struct BackgroundKey {
    surface: &'static str,
    css_size: (u32, u32),
    dpr: f64,
    theme: nnlab_figures::Theme,
    /// Presenter mode draws larger axis labels.
    min_text_px: u64,
}

/// A canvas showing a surface and what moves over it.
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

    /// The canvas drawn on.
    pub fn canvas(&self) -> &HiDpiCanvas {
        &self.canvas
    }

    /// The canvas drawn on, to resize it.
    pub fn canvas_mut(&mut self) -> &mut HiDpiCanvas {
        &mut self.canvas
    }

    /// The world ↔ pixel mapping of the last drawn picture (CSS pixels), for pointer handling.
    pub fn frame(&self) -> Option<Frame> {
        self.frame
    }

    /// Whether the next picture of `surface` has to redraw the background.
    pub fn needs_background(&self, surface: &Surface) -> bool {
        self.key.as_ref() != Some(&self.background_key(surface))
    }

    fn background_key(&self, surface: &Surface) -> BackgroundKey {
        BackgroundKey {
            surface: surface.name,
            css_size: self.canvas.css_size(),
            dpr: self.canvas.device_pixel_ratio(),
            theme: palette::current().figures,
            min_text_px: text_size::min_figure_px().to_bits(),
        }
    }

    /// Copies the background of `surface` (drawing it first if the surface or
    /// the size changed) and returns the area to draw on, with its frame;
    /// `None` while the canvas has no size. Call `present()` on the area when done.
    pub fn begin(&mut self, surface: &Surface) -> WebResult<Option<(Overlay, Frame)>> {
        let (width, height) = self.canvas.css_size();
        if width == 0 || height == 0 {
            return Ok(None);
        }
        if self.needs_background(surface) {
            self.render_background(surface)?;
        }
        let frame = self.frame.ok_or(WebError::Draw("no frame".into()))?;
        let context = context_2d(&self.canvas.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        context.draw_image_with_html_canvas_element(&self.background, 0.0, 0.0)?;
        Ok(Some((self.canvas.backend()?.into_drawing_area(), frame)))
    }

    /// Draws `surface` (from the cache when nothing changed) and `tracks` over it.
    pub fn draw(&mut self, surface: &Surface, tracks: &[Track]) -> WebResult<()> {
        let Some((area, frame)) = self.begin(surface)? else {
            return Ok(());
        };
        draw_tracks(&area, &frame, surface, tracks)?;
        present(&area)
    }

    fn render_background(&mut self, surface: &Surface) -> WebResult<()> {
        let (width, height) = self.canvas.css_size();
        let frame = Frame::new(width, height, surface.view)
            .with_theme(palette::current().figures)
            .with_min_text_px(text_size::min_figure_px());
        self.background.set_width(self.canvas.element.width());
        self.background.set_height(self.canvas.element.height());
        let backend = FigureBackend::canvas(
            &self.background,
            (width, height),
            self.canvas.device_pixel_ratio(),
        )?;
        let area = backend.into_drawing_area();
        if surface.dim == 1 {
            curve_plot::draw_background(&area, &frame, surface).map_err(WebError::Draw)?;
        } else {
            let field = web_field(surface, &frame);
            surface_plot::draw_background(&area, &frame, &field, surface)
                .map_err(WebError::Draw)?;
        }
        present(&area)?;
        self.frame = Some(frame);
        self.key = Some(self.background_key(surface));
        Ok(())
    }
}

/// Paths over a surface: along the curve for 1-D, as lines over the map for 2-D.
pub fn draw_tracks(
    area: &Overlay,
    frame: &Frame,
    surface: &Surface,
    tracks: &[Track],
) -> WebResult<()> {
    if surface.dim == 1 {
        curve_plot::draw_tracks(area, frame, surface, tracks).map_err(WebError::Draw)
    } else {
        surface_plot::draw_tracks(area, frame, tracks).map_err(WebError::Draw)
    }
}

/// Shows what was drawn on `area`.
pub fn present(area: &Overlay) -> WebResult<()> {
    area.present().map_err(|e| WebError::Draw(e.to_string()))
}

/// The surface sampled for the screen: one grid point per 2 CSS pixels of the
/// plot (the figures crate's default of 4 leaves visible kinks in contour lines
/// along Rosenbrock's narrow valley). Sampled once per surface and size.
fn web_field(surface: &Surface, frame: &Frame) -> Field {
    let (width, height) = frame.plot_size();
    let n = |px: u32| (px as usize / 2).clamp(64, 480);
    Field::sample(surface, frame.view, n(width), n(height))
}
