//! One layer's 2-D PCA cloud as a small scatter plot: a dot per test image,
//! coloured by its class, with the probed image ringed.

use super::model::ScatterFrame;
use crate::draw::{context_2d, palette};
use crate::error::WebResult;
use crate::lessons::kit::pictures::{self, CLASS_COLORS};
use crate::widgets::HiDpiCanvas;

/// Dot radius and plot margin, CSS pixels.
const DOT: f64 = 2.6;
const MARGIN: f64 = 8.0;

/// Draws `points` (labels in `labels`, same order) filling the square
/// `canvas` (already sized). `ring` names the point to circle (the probed
/// image), if it is in the cloud. Points beyond `labels` are skipped.
pub fn draw_scatter(
    canvas: &HiDpiCanvas,
    points: &[[f32; 2]],
    labels: &[u8],
    ring: Option<usize>,
) -> WebResult<()> {
    let (w, h) = canvas.css_size();
    let size = f64::from(w.min(h));
    let dpr = canvas.device_pixel_ratio();
    let context = context_2d(&canvas.element)?;
    context.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    let colors = palette::current();
    context.set_fill_style_str(colors.paper);
    context.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    context.set_stroke_style_str(colors.line);
    context.set_line_width(1.0);
    context.stroke_rect(0.5, 0.5, f64::from(w) - 1.0, f64::from(h) - 1.0);

    let n = points.len().min(labels.len());
    let frame = ScatterFrame::fit(&points[..n], size, MARGIN);
    // Faint axes through the cloud's centre of box: PC1 across, PC2 up.
    context.set_stroke_style_str(colors.grid);
    context.begin_path();
    context.move_to(size / 2.0, MARGIN / 2.0);
    context.line_to(size / 2.0, size - MARGIN / 2.0);
    context.move_to(MARGIN / 2.0, size / 2.0);
    context.line_to(size - MARGIN / 2.0, size / 2.0);
    context.stroke();

    context.set_global_alpha(0.8);
    for (p, &label) in points[..n].iter().zip(labels) {
        if !(p[0].is_finite() && p[1].is_finite()) {
            continue;
        }
        let (x, y) = frame.to_pixel(*p);
        let color = CLASS_COLORS[usize::from(label) % CLASS_COLORS.len()];
        context.set_fill_style_str(&pictures::css(color));
        context.begin_path();
        context.arc(x, y, DOT, 0.0, std::f64::consts::TAU)?;
        context.fill();
    }
    context.set_global_alpha(1.0);
    if let Some(p) = ring.and_then(|i| points[..n].get(i)) {
        if p[0].is_finite() && p[1].is_finite() {
            let (x, y) = frame.to_pixel(*p);
            context.set_stroke_style_str(colors.ink);
            context.set_line_width(2.0);
            context.begin_path();
            context.arc(x, y, DOT + 4.0, 0.0, std::f64::consts::TAU)?;
            context.stroke();
        }
    }
    Ok(())
}
