//! A small line chart drawn straight on a canvas: a loss against the step,
//! with a grid, the y values, the first and last step and the axis name.
//! The lessons that train in the page (how it works, the training loop) draw
//! their loss curves with it; the figures the CLI also draws use plotters.
//! What it drew goes to the chart's [`Hover`], which reads it under the pointer.

use std::f64::consts::TAU;

use super::hover::Hover;
use super::readout::{Curves, Panel, Plot, Series, Text};
use crate::draw::palette;
use crate::draw::{polyline, text_size};
use crate::error::WebResult;
use crate::widgets::HiDpiCanvas;

/// The text's family and size (larger in presenter mode: see [`text_size`]).
const FAMILY: &str = "system-ui, sans-serif";
const FONT_PX: f64 = 12.0;
/// Room for the y values on the left, the step numbers below (at 12 px text).
const LEFT: f64 = 50.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// One line: `(step, value)` points, a CSS colour and a width in CSS pixels.
pub struct Line<'a> {
    /// The points in step order; non-finite values are left out.
    pub points: &'a [(f64, f64)],
    /// A CSS colour.
    pub color: &'a str,
    /// The stroke width in CSS pixels.
    pub width: f64,
    /// Its name in the read-out ("" for a chart's only line).
    pub name: &'a str,
}

/// What to draw.
pub struct LineChart<'a> {
    /// The lines, drawn in order (the last on top).
    pub lines: &'a [Line<'a>],
    /// The name of the x axis ("iteration").
    pub x_label: &'a str,
    /// Said in the middle while there are no points.
    pub empty: &'a str,
    /// The x axis starts at step 0 (else at the first point's step).
    pub from_zero: bool,
    /// Written at the end of the last line (its latest value).
    pub last_label: Option<&'a str>,
    /// The values' name in the read-out ("loss"), and how it writes them.
    pub y_name: &'a str,
    /// How the read-out writes a value.
    pub y_text: Text,
}

/// Draws `chart` over the whole of `canvas` (cleared to the theme's paper
/// first) and gives `hover` what it drew.
pub fn draw(canvas: &HiDpiCanvas, chart: &LineChart, hover: &Hover) -> WebResult<()> {
    let panels = draw_lines(canvas, chart)?;
    hover.show(canvas, panels)
}

/// Draws `chart`; returns what the read-out can read on it.
fn draw_lines(canvas: &HiDpiCanvas, chart: &LineChart) -> WebResult<Vec<Panel>> {
    let Some((ctx, w, h)) = canvas.context()? else {
        return Ok(Vec::new());
    };
    let colors = palette::current();
    ctx.set_fill_style_str(colors.paper);
    ctx.fill_rect(0.0, 0.0, w, h);
    let font = text_size::font("", FONT_PX, FAMILY);
    // Margins and offsets grow with the text.
    let k = text_size::px(FONT_PX) / FONT_PX;
    ctx.set_font(&font);
    ctx.set_text_baseline("alphabetic");
    let finite = |&&(_, v): &&(f64, f64)| v.is_finite();
    let all = || {
        chart
            .lines
            .iter()
            .flat_map(|l| l.points.iter().filter(finite))
    };
    let Some(&(first, _)) = all().next() else {
        ctx.set_fill_style_str(colors.muted);
        ctx.set_text_align("center");
        ctx.fill_text(chart.empty, w / 2.0, h / 2.0)?;
        return Ok(Vec::new());
    };
    let first = if chart.from_zero { 0.0 } else { first };
    let last = all().map(|&(s, _)| s).fold(first + 1.0, f64::max);
    let top_value = (all().map(|&(_, v)| v).fold(0.1, f64::max) * 10.0).ceil() / 10.0;
    let (left, right, top, bottom) = (LEFT * k, w - RIGHT, TOP * k, h - BOTTOM * k);
    let x_of = |s: f64| left + (s - first) / (last - first) * (right - left);
    let y_of = |v: f64| bottom - (v / top_value).clamp(0.0, 1.05) * (bottom - top);

    ctx.set_line_width(1.0);
    ctx.set_text_align("right");
    for v in [0.0, top_value / 2.0, top_value] {
        let y = y_of(v).round() + 0.5;
        ctx.set_stroke_style_str(if v == 0.0 { colors.muted } else { colors.grid });
        polyline(&ctx, [(left, y), (right, y)]);
        ctx.set_fill_style_str(colors.muted);
        ctx.fill_text(&format!("{v:.2}"), left - 6.0, y + 4.0 * k)?;
    }
    let base = h - 8.0 * k;
    ctx.set_text_align("left");
    ctx.fill_text(&format!("{first}"), left, base)?;
    ctx.set_text_align("center");
    ctx.fill_text(chart.x_label, (left + right) / 2.0, base)?;
    ctx.set_text_align("right");
    ctx.fill_text(&format!("{last}"), right, base)?;

    for line in chart.lines {
        let mut points = line.points.iter().filter(finite);
        match (points.next(), points.next()) {
            // One point is no line: a dot, so the first update shows.
            (Some(&(s, v)), None) => {
                ctx.set_fill_style_str(line.color);
                ctx.begin_path();
                ctx.arc(x_of(s), y_of(v), (line.width * 1.5).max(3.0), 0.0, TAU)?;
                ctx.fill();
            }
            _ => {
                ctx.set_stroke_style_str(line.color);
                ctx.set_line_width(line.width);
                let points = line.points.iter().filter(finite);
                polyline(&ctx, points.map(|&(s, v)| (x_of(s), y_of(v))));
            }
        }
    }
    let end = chart
        .lines
        .last()
        .and_then(|l| l.points.iter().rev().find(|p| p.1.is_finite()));
    if let (Some(text), Some(&(s, v))) = (chart.last_label, end) {
        ctx.set_font(&format!("600 {font}"));
        ctx.set_fill_style_str(colors.ink);
        ctx.fill_text(text, x_of(s), (y_of(v) - 8.0).max(12.0 * k))?;
    }
    let plot = Plot::from_corners(
        (left, bottom),
        (right, top),
        (first, last),
        (0.0, top_value),
    );
    let series = chart
        .lines
        .iter()
        .map(|l| Series::new(l.name, l.color, l.points.iter().copied()))
        .collect();
    let curves = Curves::new(plot, chart.x_label, series).with_y(chart.y_name, chart.y_text);
    Ok(vec![Panel::Curves(curves)])
}
