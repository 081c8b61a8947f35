//! One image's journey through the network, a row per stage: the 3072 input
//! numbers as a strip, each hidden layer's units as bars, and the output's
//! ten probabilities as labelled bars.

use crate::draw::context_2d;
use crate::draw::palette;
use crate::error::WebResult;
use crate::lessons::kit::pictures::{self, CLASS_COLORS};
use crate::widgets::HiDpiCanvas;

/// A stage of the network for [`draw_activations`].
pub enum Row<'a> {
    /// The input row: 3072 planar bytes (R plane, G plane, B plane).
    Pixels {
        /// The row's caption.
        title: String,
        /// The image, planar.
        bytes: &'a [u8],
    },
    /// A hidden layer after its ReLU.
    Bars {
        /// The row's caption.
        title: String,
        /// One value per unit.
        values: &'a [f32],
    },
    /// The output probabilities with the class names; `truth` is the true class.
    Probabilities {
        /// The row's caption.
        title: String,
        /// One probability per class.
        values: &'a [f32],
        /// The class names, in the page's language.
        names: Vec<String>,
        /// Index of the true class.
        truth: usize,
    },
}

const TITLE: f64 = 20.0;
const GAP: f64 = 10.0;
const STRIP: f64 = 26.0;
const BARS: f64 = 46.0;
const PROBS: f64 = 60.0;
const NAMES: f64 = 16.0;

impl Row<'_> {
    /// Height of the row in CSS pixels.
    pub fn height(&self) -> f64 {
        TITLE
            + GAP
            + match self {
                Row::Pixels { .. } => STRIP,
                Row::Bars { .. } => BARS,
                Row::Probabilities { .. } => PROBS + NAMES,
            }
    }
}

/// Total height of `rows`.
pub fn height(rows: &[Row]) -> f64 {
    rows.iter().map(Row::height).sum()
}

/// Draws `rows` one under the other across the canvas (already sized to
/// [`height`]).
pub fn draw_activations(canvas: &HiDpiCanvas, rows: &[Row]) -> WebResult<()> {
    let (w, h) = canvas.css_size();
    let width = f64::from(w);
    let dpr = canvas.device_pixel_ratio();
    let context = context_2d(&canvas.element)?;
    context.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    context.clear_rect(0.0, 0.0, width, f64::from(h));
    let colors = palette::current();
    let mut top = 0.0;
    for row in rows {
        context.set_font("600 13px system-ui, sans-serif");
        context.set_text_align("left");
        context.set_fill_style_str(colors.ink);
        let (Row::Pixels { title, .. }
        | Row::Bars { title, .. }
        | Row::Probabilities { title, .. }) = row;
        context.fill_text(title, 0.0, top + 14.0)?;
        let y = top + TITLE;
        match row {
            Row::Pixels { bytes, .. } => {
                // Each CSS column shows the entry it covers, in its plane's colour.
                let columns = width.floor() as usize;
                for x in 0..columns {
                    let i = (x * bytes.len() / columns.max(1)).min(bytes.len().saturating_sub(1));
                    let Some(&b) = bytes.get(i) else { break };
                    let mut rgb = [0u8; 3];
                    rgb[(i * 3 / bytes.len().max(1)).min(2)] = b;
                    context.set_fill_style_str(&pictures::css(rgb));
                    context.fill_rect(x as f64, y, 1.0, STRIP);
                }
            }
            Row::Bars { values, .. } => {
                let max = values
                    .iter()
                    .copied()
                    .filter(|v| v.is_finite())
                    .fold(0.0f32, f32::max);
                context.set_fill_style_str(colors.panel);
                context.fill_rect(0.0, y, width, BARS);
                context.set_fill_style_str(colors.accent);
                let each = width / values.len().max(1) as f64;
                for (k, &v) in values.iter().enumerate() {
                    if max > 0.0 && v.is_finite() && v > 0.0 {
                        let bar = f64::from(v / max) * BARS;
                        context.fill_rect(k as f64 * each, y + BARS - bar, each.max(1.0), bar);
                    }
                }
            }
            Row::Probabilities {
                values,
                names,
                truth,
                ..
            } => {
                let each = width / values.len().max(1) as f64;
                context.set_fill_style_str(colors.panel);
                context.fill_rect(0.0, y, width, PROBS);
                context.set_font("11px system-ui, sans-serif");
                context.set_text_align("center");
                for (c, &p) in values.iter().enumerate() {
                    let p = if p.is_finite() {
                        f64::from(p.clamp(0.0, 1.0))
                    } else {
                        0.0
                    };
                    let color = CLASS_COLORS[c % CLASS_COLORS.len()];
                    context.set_fill_style_str(&pictures::css(color));
                    let bar = p * (PROBS - 12.0);
                    let x = c as f64 * each;
                    context.fill_rect(x + 3.0, y + PROBS - bar, (each - 6.0).max(1.0), bar);
                    let cx = x + each / 2.0;
                    context.set_fill_style_str(colors.ink);
                    if p >= 0.005 {
                        context.fill_text(
                            &format!("{:.0}%", p * 100.0),
                            cx,
                            y + PROBS - bar - 2.0,
                        )?;
                    }
                    let name = names.get(c).map_or("", String::as_str);
                    context.set_font(if c == *truth {
                        "700 11px system-ui, sans-serif"
                    } else {
                        "11px system-ui, sans-serif"
                    });
                    context.fill_text(name, cx, y + PROBS + 13.0)?;
                    context.set_font("11px system-ui, sans-serif");
                }
            }
        }
        top += row.height();
    }
    Ok(())
}
