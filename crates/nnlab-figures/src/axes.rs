//! Axes: the plot border, "nice" ticks (1, 2, 5 × 10ᵏ) with labels, axis names, title.

use crate::draw_err;
use crate::frame::Frame;
use crate::theme::rgb;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Font sizes at scale 1 (800×600), as plotters takes them (it draws glyphs at
/// size / 1.24 px, so 18 here is a 14.5 px font; 21.8 px on a 1200×900 slide).
pub(crate) const TICK_FONT: f64 = 18.0;
pub(crate) const NAME_FONT: f64 = 21.0;
pub(crate) const TITLE_FONT: f64 = 27.0;
/// A font size as plotters takes it, per pixel of glyph height (see above).
pub(crate) const GLYPH_RATIO: f64 = 1.24;

/// A text style in the embedded sans-serif font at `size` px, anchored at `pos`.
pub(crate) fn text_style<'a>(size: f64, color: &'a RGBColor, pos: Pos) -> TextStyle<'a> {
    TextStyle::from(("sans-serif", size).into_font())
        .color(color)
        .pos(pos)
}

/// Tick positions in [lo, hi] about `target` apart: multiples of 1, 2 or 5 × 10ᵏ.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) || target == 0 {
        return Vec::new();
    }
    let step = nice_step(span / target as f64);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// The smallest of 1, 2, 5 × 10ᵏ that is ≥ `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let factor = [1.0, 2.0, 5.0]
        .into_iter()
        .find(|&f| f >= norm * (1.0 - 1e-9))
        .unwrap_or(10.0);
    factor * magnitude
}

/// A tick label with as many decimals as the step needs ("−0" shown as "0").
pub(crate) fn tick_label(v: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let text = format!("{v:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text.replace('-', "−")
    }
}

/// The plot border, ticks and labels on the left and bottom, and axis names.
pub(crate) fn draw_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    frame: &Frame,
    x_name: &str,
    y_name: &str,
) -> Result<(), String> {
    let (l, t, r, b) = frame.plot;
    let ink = rgb(frame.theme.ink);
    let stroke = ink.stroke_width(line_width(frame.scale()));
    area.draw(&Rectangle::new([(l, t), (r, b)], stroke))
        .map_err(draw_err)?;
    // Text, and the room and spacing it needs, follow the text scale.
    let s = frame.text_scale();
    let tick_len = (6.0 * s).round() as i32;
    let gap = (4.0 * s).round() as i32;
    let font = TICK_FONT * s;

    let (pw, ph) = frame.plot_size();
    let xs = nice_ticks(
        frame.view.x.0,
        frame.view.x.1,
        (pw as f64 / (90.0 * s)).clamp(2.0, 10.0) as usize,
    );
    let x_step = step_of(&xs);
    for &x in &xs {
        let (px, _) = frame.to_pixel((x, frame.view.y.0));
        area.draw(&PathElement::new(vec![(px, b), (px, b + tick_len)], stroke))
            .map_err(draw_err)?;
        let style = text_style(font, &ink, Pos::new(HPos::Center, VPos::Top));
        area.draw_text(&tick_label(x, x_step), &style, (px, b + tick_len + gap))
            .map_err(draw_err)?;
    }
    let ys = nice_ticks(
        frame.view.y.0,
        frame.view.y.1,
        (ph as f64 / (70.0 * s)).clamp(2.0, 10.0) as usize,
    );
    let y_step = step_of(&ys);
    for &y in &ys {
        let (_, py) = frame.to_pixel((frame.view.x.0, y));
        area.draw(&PathElement::new(vec![(l - tick_len, py), (l, py)], stroke))
            .map_err(draw_err)?;
        let style = text_style(font, &ink, Pos::new(HPos::Right, VPos::Center));
        area.draw_text(&tick_label(y, y_step), &style, (l - tick_len - gap, py))
            .map_err(draw_err)?;
    }

    let name = NAME_FONT * s;
    let x_name_at = ((l + r) / 2, b + tick_len + gap + (font * 1.15) as i32);
    let style = text_style(name, &ink, Pos::new(HPos::Center, VPos::Top));
    area.draw_text(x_name, &style, x_name_at)
        .map_err(draw_err)?;
    let style = text_style(name, &ink, Pos::new(HPos::Left, VPos::Center));
    area.draw_text(y_name, &style, ((6.0 * s) as i32, (t + b) / 2))
        .map_err(draw_err)?;
    Ok(())
}

/// The title, left-aligned in the top margin.
pub(crate) fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    frame: &Frame,
    title: &str,
) -> Result<(), String> {
    let s = frame.text_scale();
    let (l, t, _, _) = frame.plot;
    let ink = rgb(frame.theme.ink);
    let style = text_style(TITLE_FONT * s, &ink, Pos::new(HPos::Left, VPos::Center));
    area.draw_text(title, &style, (l, t / 2)).map_err(draw_err)
}

/// Line width in whole pixels for scale `s` (at least 1).
pub(crate) fn line_width(s: f64) -> u32 {
    s.round().max(1.0) as u32
}

fn step_of(ticks: &[f64]) -> f64 {
    match ticks {
        [a, b, ..] => b - a,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers_inside_the_range() {
        // Span 4, about 5 ticks → raw step 0.8 → 1: −2, −1, 0, 1, 2.
        assert_eq!(nice_ticks(-2.0, 2.0, 5), vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
        // Span 4.5 (−4.5..0), 8 ticks → raw 0.5625 → 1: −4 … 0.
        assert_eq!(nice_ticks(-4.5, 0.0, 8), vec![-4.0, -3.0, -2.0, -1.0, 0.0]);
        // Span 3000, 6 ticks → raw 500 → 500: 0, 500, …, 3000.
        assert_eq!(nice_ticks(0.0, 3000.0, 6).len(), 7);
        // Span 0.3, 3 ticks → raw 0.1 → 0.1; 0.3/0.1 = 2.9999999999999996 still counts as 3.
        assert_eq!(nice_ticks(0.0, 0.3, 3).len(), 4);
        assert!(nice_ticks(1.0, 1.0, 5).is_empty());
        assert!(nice_ticks(0.0, f64::NAN, 5).is_empty());
    }

    #[test]
    fn labels_use_the_step_precision() {
        assert_eq!(tick_label(2.0, 1.0), "2");
        assert_eq!(tick_label(-1.5, 0.5), "−1.5");
        assert_eq!(tick_label(0.25, 0.05), "0.25");
        assert_eq!(tick_label(-0.0, 0.5), "0.0");
        assert_eq!(tick_label(1500.0, 500.0), "1500");
    }
}
