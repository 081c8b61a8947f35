//! Marks drawn over a plot: optimiser paths, minima, and the legend.

use crate::axes::{text_style, TICK_FONT};
use crate::draw_err;
use crate::frame::Frame;
use crate::geometry::{clip_path, split_at_sharp_turns, Rect};
use crate::theme::rgb as theme_rgb;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Above this many points, per-step dots are thinned to about this many (the line
/// itself keeps every point): keeps a frame of the animation cheap.
const MAX_DOTS: usize = 600;

/// How a path is drawn, in pixels at scale 1.
pub(crate) struct PathLook {
    pub line_width: f64,
    pub dot_radius: f64,
    pub current_radius: f64,
}

/// One path in world coordinates (non-finite points allowed): line, step dots, a
/// start marker (a ring) and the current point (a big dot with a rim of the paper's colour).
pub(crate) fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    world: &[(f64, f64)],
    color: [u8; 3],
    look: &PathLook,
) -> Result<(), String> {
    let s = frame.scale();
    let rgb = RGBColor(color[0], color[1], color[2]);
    let paper = theme_rgb(frame.theme.paper);
    let rect = Rect::from_plot(frame.plot);
    let pixels: Vec<(f64, f64)> = world.iter().map(|&p| frame.to_pixel_f(p)).collect();
    let width = (look.line_width * s).round().max(1.0) as u32;
    for run in clip_path(&pixels, rect) {
        for piece in split_at_sharp_turns(run) {
            area.draw(&PathElement::new(piece, rgb.stroke_width(width)))
                .map_err(draw_err)?;
        }
    }

    let visible = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite() && rect.contains(*p);
    let round = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    let stride = pixels.len().div_ceil(MAX_DOTS).max(1);
    let dot = (look.dot_radius * s).round().max(1.0) as i32;
    for p in pixels.iter().step_by(stride).filter(|p| visible(p)) {
        area.draw(&Circle::new(round(*p), dot, rgb.filled()))
            .map_err(draw_err)?;
    }

    if let Some(start) = pixels.first().filter(|p| visible(p)) {
        let r = (look.current_radius * 0.85 * s).round() as i32;
        area.draw(&Circle::new(round(*start), r, paper.filled()))
            .map_err(draw_err)?;
        let ring = rgb.stroke_width((2.5 * s).round().max(1.0) as u32);
        area.draw(&Circle::new(round(*start), r, ring))
            .map_err(draw_err)?;
    }
    let current = pixels
        .iter()
        .rev()
        .find(|p| p.0.is_finite() && p.1.is_finite());
    if let Some(current) = current.filter(|p| visible(p)) {
        let r = (look.current_radius * s).round() as i32;
        let rim = (1.5 * s).round().max(1.0) as i32;
        area.draw(&Circle::new(round(*current), r + rim, paper.filled()))
            .map_err(draw_err)?;
        area.draw(&Circle::new(round(*current), r, rgb.filled()))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// A minimum: a white "×" with a dark outline (global) or a white ring (local).
pub(crate) fn draw_minimum<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    at: (f64, f64),
    global: bool,
) -> Result<(), String> {
    let s = frame.scale();
    let p = frame.to_pixel_f(at);
    if !(p.0.is_finite() && p.1.is_finite() && Rect::from_plot(frame.plot).contains(p)) {
        return Ok(());
    }
    let (x, y) = (p.0.round() as i32, p.1.round() as i32);
    let outline = RGBColor(20, 20, 28);
    if global {
        let k = (7.0 * s).round() as i32;
        for (color, width) in [(outline, 5.0 * s), (WHITE, 2.5 * s)] {
            let style = color.stroke_width(width.round().max(1.0) as u32);
            area.draw(&PathElement::new(
                vec![(x - k, y - k), (x + k, y + k)],
                style,
            ))
            .map_err(draw_err)?;
            area.draw(&PathElement::new(
                vec![(x - k, y + k), (x + k, y - k)],
                style,
            ))
            .map_err(draw_err)?;
        }
    } else {
        let r = (6.0 * s).round() as i32;
        area.draw(&Circle::new(
            (x, y),
            r,
            outline.stroke_width((4.5 * s).round() as u32),
        ))
        .map_err(draw_err)?;
        area.draw(&Circle::new(
            (x, y),
            r,
            WHITE.stroke_width((2.0 * s).round().max(1.0) as u32),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// Dark translucent boxes for text over the heat map: the formula (top left) and
/// the legend (top right). Track colours are picked to stand out on dark viridis.
const BOX: RGBAColor = RGBAColor(40, 40, 48, 0.8);

/// The surface's formula in a box at the plot's top-left corner.
pub(crate) fn draw_formula<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    formula: &str,
) -> Result<(), String> {
    if formula.is_empty() {
        return Ok(());
    }
    let s = frame.text_scale();
    let font = TICK_FONT * s;
    let style = text_style(font, &WHITE, Pos::new(HPos::Left, VPos::Center));
    let (w, _) = area.estimate_text_size(formula, &style).map_err(draw_err)?;
    let pad = (10.0 * s) as i32;
    let (l, t, _, _) = frame.plot;
    let (x0, y0) = (l + pad, t + pad);
    let (x1, y1) = (x0 + 2 * pad + w as i32, y0 + 2 * pad + font as i32 * 5 / 6);
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], BOX.filled()))
        .map_err(draw_err)?;
    area.draw_text(formula, &style, (x0 + pad, (y0 + y1) / 2))
        .map_err(draw_err)
}

/// A legend box in the plot's top-right corner: a swatch and label per entry.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    entries: &[([u8; 3], &str)],
) -> Result<(), String> {
    if entries.is_empty() {
        return Ok(());
    }
    let s = frame.text_scale();
    let font = TICK_FONT * s;
    let style = text_style(font, &WHITE, Pos::new(HPos::Left, VPos::Center));
    let mut text_w = 0;
    for (_, label) in entries {
        let (w, _) = area.estimate_text_size(label, &style).map_err(draw_err)?;
        text_w = text_w.max(w as i32);
    }
    let pad = (10.0 * s) as i32;
    let swatch = (26.0 * s) as i32;
    let row = (font * 1.2) as i32;
    let (_, t, r, _) = frame.plot;
    let (x1, y0) = (r - pad, t + pad);
    let x0 = x1 - (pad * 3 + swatch + text_w);
    let y1 = y0 + 2 * pad + row * (entries.len() as i32 - 1) + font as i32 * 5 / 6;
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], BOX.filled()))
        .map_err(draw_err)?;
    for (k, (color, label)) in entries.iter().enumerate() {
        let y = y0 + pad + (font * 5.0 / 12.0) as i32 + row * k as i32;
        let rgb = RGBColor(color[0], color[1], color[2]);
        let sx = x0 + pad;
        let width = (2.5 * s).round().max(1.0) as u32;
        area.draw(&PathElement::new(
            vec![(sx, y), (sx + swatch, y)],
            rgb.stroke_width(width),
        ))
        .map_err(draw_err)?;
        area.draw(&Circle::new(
            (sx + swatch, y),
            (5.0 * s) as i32,
            rgb.filled(),
        ))
        .map_err(draw_err)?;
        area.draw_text(label, &style, (sx + swatch + pad, y))
            .map_err(draw_err)?;
    }
    Ok(())
}
