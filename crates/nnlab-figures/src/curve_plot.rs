//! 1-D loss surfaces: the curve y = f(x) (the background) and a ball rolling on it
//! (the tracks): each step is a dot on the curve, the current point is the ball.
//!
//! Here the view's `y` range is the loss axis. The plot is the frame's paper (white
//! unless its [`crate::Theme`] is dark), so pick saturated track colours (e.g.
//! [`crate::colormap::track_color`] 0, 2 or 3, not white).

use crate::axes::draw_axes;
use crate::frame::Frame;
use crate::geometry::{clip_path, Rect};
use crate::labels::draw_labels;
use crate::marks::{draw_minimum, draw_path, PathLook};
use crate::theme::rgb;
use crate::{draw_err, fonts, Track};
use nnlab::surfaces::Surface;
use plotters::coord::Shift;
use plotters::prelude::*;

const BALL_LOOK: PathLook = PathLook {
    line_width: 1.0,
    dot_radius: 3.5,
    current_radius: 10.0,
};

/// The frame's paper, the region under the curve tinted, the curve, minima and axes.
pub fn draw_background<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    surface: &Surface,
) -> Result<(), String> {
    fonts::ensure_registered();
    area.fill(&rgb(frame.theme.paper)).map_err(draw_err)?;
    let (l, t, r, b) = frame.plot;
    // A sample every 3 pixel columns (and at the right edge): smooth at screen
    // resolution, and long enough segments that plotters' thick-line joins stay clean.
    let columns = (l..r).step_by(3).chain(std::iter::once(r));
    let curve: Vec<(f64, f64)> = columns
        .map(|px| {
            let x = frame.from_pixel((px as f64, 0.0)).0;
            frame.to_pixel_f((x, surface.value(&[x])))
        })
        .collect();
    let mut under: Vec<(i32, i32)> = curve
        .iter()
        .filter(|p| p.1.is_finite())
        .map(|p| {
            (
                p.0.round() as i32,
                p.1.round().clamp(t as f64, b as f64) as i32,
            )
        })
        .collect();
    if !under.is_empty() {
        under.extend([(r, b), (l, b)]);
        area.draw(&Polygon::new(under, rgb(frame.theme.under_curve).filled()))
            .map_err(draw_err)?;
    }
    let width = (3.0 * frame.scale()).round().max(1.0) as u32;
    for run in clip_path(&curve, Rect::from_plot(frame.plot)) {
        area.draw(&PathElement::new(
            run,
            rgb(frame.theme.curve).stroke_width(width),
        ))
        .map_err(draw_err)?;
    }
    for m in surface.minima.iter().filter(|m| m.point.len() == 1) {
        draw_minimum(area, frame, (m.point[0], m.value), m.global)?;
    }
    draw_axes(area, frame, "x", "loss")
}

/// Each track's positions as dots on the curve, joined by thin chords (they show
/// overshoot), a ring at the start and the ball at the current point.
pub fn draw_tracks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    surface: &Surface,
    tracks: &[Track],
) -> Result<(), String> {
    for track in tracks {
        let world: Vec<(f64, f64)> = track
            .points
            .iter()
            .map(|p| match p.as_slice() {
                [x] => (*x, surface.value(&[*x])),
                _ => (f64::NAN, f64::NAN),
            })
            .collect();
        draw_path(area, frame, &world, track.color, &BALL_LOOK)?;
    }
    Ok(())
}

/// A complete slide figure over the surface's default view: curve, tracks, title,
/// the formula (top left) and a legend of the labelled tracks.
pub fn draw_figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: &Surface,
    tracks: &[Track],
    title: &str,
) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    let frame = Frame::new(w, h, surface.view);
    draw_background(area, &frame, surface)?;
    draw_tracks(area, &frame, surface, tracks)?;
    let entries: Vec<([u8; 3], &str)> = tracks
        .iter()
        .filter(|t| !t.label.is_empty())
        .map(|t| (t.color, t.label))
        .collect();
    draw_labels(area, &frame, title, surface.formula_text, &entries)?;
    area.present().map_err(draw_err)
}
