//! 2-D loss surfaces: a heat map with contour lines, minima and axes (the
//! background), and optimiser paths on top (the tracks).
//!
//! The web app calls [`draw_background_with`] once per surface/view/size into a
//! cached canvas and [`draw_tracks`] every animation frame; the CLI calls
//! [`draw_figure_with`] for slides.

use crate::axes::{draw_axes, line_width};
use crate::contour::iso_lines;
use crate::field::Field;
use crate::frame::Frame;
use crate::geometry::RgbImage;
use crate::labels::draw_labels;
use crate::marks::{draw_minimum, draw_path, PathLook};
use crate::theme::rgb;
use crate::{colormap, draw_err, fonts, HeatMap, Track};
use nnlab::surfaces::Surface;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Contour lines per background (equally spaced in shade, see [`Field::levels`]).
pub const CONTOUR_LEVELS: usize = 14;

/// Colour bands of the [`HeatMap::Cells`] rendering: enough that neighbouring bands
/// are barely distinguishable, few enough that runs of equal colour merge.
pub const CELL_BANDS: usize = 48;

const TRACK_LOOK: PathLook = PathLook {
    line_width: 2.0,
    dot_radius: 2.0,
    current_radius: 7.0,
};

/// The field [`draw_figure`] samples: about one grid point per 4 plot pixels
/// (64 to 320 per side) — the heat map is interpolated between them.
pub fn figure_field(surface: &Surface, frame: &Frame) -> Field {
    let (pw, ph) = frame.plot_size();
    let n = |px: u32| (px as usize / 4).clamp(64, 320);
    Field::sample(surface, frame.view, n(pw), n(ph))
}

/// The background with a bitmap heat map ([`HeatMap::Bitmap`]).
pub fn draw_background<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    field: &Field,
    surface: &Surface,
) -> Result<(), String> {
    draw_background_with(area, frame, field, surface, HeatMap::Bitmap)
}

/// Clears `area` to the frame's paper, then draws the heat map of `field` (as `heat` says),
/// contour lines, the surface's minima and the axes. `field` should cover
/// `frame.view` (e.g. [`Field::sample`] with that view).
///
/// With [`HeatMap::Skip`] only the margins are cleared and the plot rectangle is left
/// as it is: paint [`Field::to_rgba_resized`]`(plot width, plot height)` at
/// `(frame.plot.0, frame.plot.1)` first (e.g. `putImageData`), then call this.
pub fn draw_background_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    field: &Field,
    surface: &Surface,
    heat: HeatMap,
) -> Result<(), String> {
    fonts::ensure_registered();
    match heat {
        HeatMap::Bitmap => {
            area.fill(&rgb(frame.theme.paper)).map_err(draw_err)?;
            draw_heat_bitmap(area, frame, field)?;
        }
        HeatMap::Cells => {
            area.fill(&rgb(frame.theme.paper)).map_err(draw_err)?;
            draw_heat_cells(area, frame, field)?;
        }
        HeatMap::Skip => clear_margins(area, frame)?,
    }
    draw_contours(area, frame, field)?;
    for m in surface.minima.iter().filter(|m| m.point.len() >= 2) {
        draw_minimum(area, frame, (m.point[0], m.point[1]), m.global)?;
    }
    draw_axes(area, frame, "x", "y")
}

/// Every track's path: a line, a small dot per step, a ring at the start and a big
/// dot at the current (last finite) point. Clipped to the plot rectangle.
pub fn draw_tracks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    tracks: &[Track],
) -> Result<(), String> {
    for track in tracks {
        let world: Vec<(f64, f64)> = track
            .points
            .iter()
            .map(|p| {
                if p.len() >= 2 {
                    (p[0], p[1])
                } else {
                    (f64::NAN, f64::NAN)
                }
            })
            .collect();
        draw_path(area, frame, &world, track.color, &TRACK_LOOK)?;
    }
    Ok(())
}

/// A complete slide figure with a bitmap heat map (PNG): see [`draw_figure_with`].
pub fn draw_figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: &Surface,
    tracks: &[Track],
    title: &str,
) -> Result<(), String> {
    draw_figure_with(area, surface, tracks, title, HeatMap::Bitmap)
}

/// Background over the surface's default view, tracks, a title, the formula (top
/// left) and a legend of the labelled tracks, filling the whole `area`.
pub fn draw_figure_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: &Surface,
    tracks: &[Track],
    title: &str,
    heat: HeatMap,
) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    let frame = Frame::new(w, h, surface.view);
    let field = figure_field(surface, &frame);
    draw_background_with(area, &frame, &field, surface, heat)?;
    draw_tracks(area, &frame, tracks)?;
    let entries: Vec<([u8; 3], &str)> = tracks
        .iter()
        .filter(|t| !t.label.is_empty())
        .map(|t| (t.color, t.label))
        .collect();
    draw_labels(area, &frame, title, surface.formula_text, &entries)?;
    area.present().map_err(draw_err)
}

/// The frame's paper over everything outside the plot rectangle (the plot's border line is
/// drawn later by the axes, so overlapping it by a pixel does not matter).
fn clear_margins<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
) -> Result<(), String> {
    let (w, h) = (frame.width as i32, frame.height as i32);
    let (l, t, r, b) = frame.plot;
    for corners in [
        [(0, 0), (w, t)],
        [(0, b), (w, h)],
        [(0, t), (l, b)],
        [(r, t), (w, b)],
    ] {
        area.draw(&Rectangle::new(corners, rgb(frame.theme.paper).filled()))
            .map_err(draw_err)?;
    }
    Ok(())
}

fn draw_heat_bitmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    field: &Field,
) -> Result<(), String> {
    let (pw, ph) = frame.plot_size();
    let rgb = field.to_rgb_resized(pw as usize, ph as usize);
    let image = RgbImage {
        pos: (frame.plot.0, frame.plot.1),
        size: (pw, ph),
        rgb,
    };
    area.draw(&image).map_err(draw_err)
}

/// The heat map as rectangles: the field is resampled to cells of about 4.5×4.5 px at
/// scale 1, shades are rounded to [`CELL_BANDS`] bands, and each run of equal bands
/// in a row becomes one rectangle (overlapping its neighbours by a pixel so that
/// anti-aliasing SVG viewers show no seams).
fn draw_heat_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    field: &Field,
) -> Result<(), String> {
    let (l, t, r, b) = frame.plot;
    let (pw, ph) = frame.plot_size();
    let cell = 4.5 * frame.scale();
    let cols = ((pw as f64 / cell).round() as usize).clamp(16, 480);
    let rows = ((ph as f64 / cell).round() as usize).clamp(16, 480);
    let shades = field.shades_resized(cols, rows);
    let band = |t: f64| (t * (CELL_BANDS - 1) as f64).round() as usize;
    let edge_x = |c: usize| l + (c as f64 * pw as f64 / cols as f64).round() as i32;
    let edge_y = |k: usize| t + (k as f64 * ph as f64 / rows as f64).round() as i32;
    for k in 0..rows {
        let row = &shades[k * cols..(k + 1) * cols];
        let mut start = 0;
        for c in 1..=cols {
            if c < cols && band(row[c]) == band(row[start]) {
                continue;
            }
            let [cr, cg, cb] = colormap::color(band(row[start]) as f64 / (CELL_BANDS - 1) as f64);
            let x1 = (edge_x(c) + 1).min(r);
            let y1 = (edge_y(k + 1) + 1).min(b);
            let rect = Rectangle::new(
                [(edge_x(start), edge_y(k)), (x1, y1)],
                RGBColor(cr, cg, cb).filled(),
            );
            area.draw(&rect).map_err(draw_err)?;
            start = c;
        }
    }
    Ok(())
}

fn draw_contours<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    field: &Field,
) -> Result<(), String> {
    let style = WHITE.mix(0.4).stroke_width(line_width(frame.scale() * 0.8));
    for level in field.levels(CONTOUR_LEVELS) {
        for line in iso_lines(field, level) {
            let pixels: Vec<(i32, i32)> = line.into_iter().map(|p| frame.to_pixel(p)).collect();
            area.draw(&PathElement::new(pixels, style))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}
