//! Saving the current figure for slides, as PNG or SVG. Both are drawn by the
//! same plotters code as the canvas (for the race and the momentum lesson the
//! figures crate's `draw_figure`, as in `nnlab descend --format svg`; other
//! lessons implement [`SlideFigure`] with their own marks) with a title and a
//! legend: the PNG on an offscreen canvas at twice the size, the SVG with
//! plotters' SVG backend.

use std::cell::RefCell;

use nnlab::surfaces::Surface;
use nnlab_figures::{curve_plot, surface_plot, HeatMap, Track};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};

use crate::draw::FigureBackend;
use crate::error::{WebError, WebResult};
use crate::widgets::{dom, ExportFormat};

/// The usual figure size, in SVG units and CSS pixels of the PNG (the CLI's
/// default scale: fonts and lines at their designed size).
pub const SVG_SIZE: (u32, u32) = (800, 600);
/// Device pixels of the PNG per CSS pixel.
pub const PNG_PIXEL_RATIO: f64 = 2.0;

thread_local! {
    /// The object URL of the last SVG download, released on the next one.
    static LAST_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A figure of a lesson.
pub enum Figure<'a> {
    /// A 2-D surface: heat map, contours, paths.
    Surface {
        /// The surface drawn.
        surface: &'a Surface,
        /// The walks drawn on it.
        tracks: &'a [Track<'a>],
        /// The figure's title.
        title: &'a str,
    },
    /// A 1-D surface: the curve and the balls rolling on it.
    Curve {
        /// The surface drawn.
        surface: &'a Surface,
        /// The balls drawn on the curve.
        tracks: &'a [Track<'a>],
        /// The figure's title.
        title: &'a str,
    },
}

/// A figure that draws itself on any plotters backend: the offscreen canvas
/// for the PNG, the SVG backend for the SVG.
pub trait SlideFigure {
    /// Size in CSS pixels (the PNG has [`PNG_PIXEL_RATIO`] device pixels per CSS pixel).
    fn size(&self) -> (u32, u32) {
        SVG_SIZE
    }

    /// Draws the whole figure over `area` (without presenting it). `heat` says
    /// how to paint a heat map, if the figure has one.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        heat: HeatMap,
    ) -> Result<(), String>;
}

impl SlideFigure for Figure<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        heat: HeatMap,
    ) -> Result<(), String> {
        match *self {
            Figure::Surface {
                surface,
                tracks,
                title,
            } => surface_plot::draw_figure_with(area, surface, tracks, title, heat),
            Figure::Curve {
                surface,
                tracks,
                title,
            } => curve_plot::draw_figure(area, surface, tracks, title),
        }
    }
}

/// The figure as an SVG document.
pub fn to_svg(figure: &impl SlideFigure) -> WebResult<String> {
    let mut svg = String::new();
    {
        let area = FigureBackend::svg(&mut svg, figure.size()).into_drawing_area();
        // Rectangles, not a bitmap: a per-pixel blit would write one <rect> per pixel.
        figure.draw(&area, HeatMap::Cells).map_err(WebError::Draw)?;
        area.present().map_err(|e| WebError::Draw(e.to_string()))?;
    }
    Ok(svg)
}

/// The figure drawn on an offscreen canvas, as a `data:image/png` URL.
pub fn to_png_data_url(figure: &impl SlideFigure) -> WebResult<String> {
    let canvas: HtmlCanvasElement = dom::create("canvas", "")?;
    let (w, h) = figure.size();
    canvas.set_width((f64::from(w) * PNG_PIXEL_RATIO) as u32);
    canvas.set_height((f64::from(h) * PNG_PIXEL_RATIO) as u32);
    let area = FigureBackend::canvas(&canvas, (w, h), PNG_PIXEL_RATIO)?.into_drawing_area();
    figure
        .draw(&area, HeatMap::Bitmap)
        .map_err(WebError::Draw)?;
    area.present().map_err(|e| WebError::Draw(e.to_string()))?;
    Ok(canvas.to_data_url_with_type("image/png")?)
}

/// Draws `figure` in `format` and hands it to the browser as a download named `stem.png`/`stem.svg`.
pub fn save(figure: &impl SlideFigure, format: ExportFormat, stem: &str) -> WebResult<()> {
    match format {
        ExportFormat::Png => download(&to_png_data_url(figure)?, &format!("{stem}.png")),
        ExportFormat::Svg => {
            let svg = to_svg(figure)?;
            let options = BlobPropertyBag::new();
            options.set_type("image/svg+xml");
            let parts = js_sys::Array::of1(&JsValue::from_str(&svg));
            let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
            let url = Url::create_object_url_with_blob(&blob)?;
            download(&url, &format!("{stem}.svg"))?;
            if let Some(old) = LAST_URL.with(|last| last.replace(Some(url))) {
                Url::revoke_object_url(&old)?;
            }
            Ok(())
        }
    }
}

/// Clicks a temporary `<a download>` for `url`.
fn download(url: &str, filename: &str) -> WebResult<()> {
    let link: HtmlAnchorElement = dom::create("a", "")?;
    link.set_href(url);
    link.set_download(filename);
    link.unchecked_ref::<web_sys::HtmlElement>().click();
    Ok(())
}

/// A file name from a title-like text: lowercase ASCII letters, digits and dashes.
pub fn file_stem(parts: &[&str]) -> String {
    let joined = parts.join("-").to_ascii_lowercase();
    let mut stem = String::new();
    for c in joined.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c);
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-').to_string();
    if stem.is_empty() {
        "nnlab".into()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        assert_eq!(
            file_stem(&["nnlab", "rosenbrock", "race"]),
            "nnlab-rosenbrock-race"
        );
        assert_eq!(
            file_stem(&["ill-conditioned", "step 12"]),
            "ill-conditioned-step-12"
        );
        assert_eq!(file_stem(&["<script>", ""]), "script");
        assert_eq!(file_stem(&["中文"]), "nnlab");
    }

    #[test]
    fn the_svg_is_the_figures_crate_drawing() {
        let surface = nnlab::surfaces::by_name("saddle").unwrap();
        let path = vec![vec![-2.0, 0.001], vec![-1.8, 0.0011]];
        let tracks = [Track {
            points: &path,
            color: [240, 60, 60],
            label: "SGD",
        }];
        let svg = to_svg(&Figure::Surface {
            surface: &surface,
            tracks: &tracks,
            title: "saddle",
        })
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("SGD") && svg.contains("<polyline"));
    }
}
