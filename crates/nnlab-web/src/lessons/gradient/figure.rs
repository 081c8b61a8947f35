//! The gradient lesson's picture: over the contour map and the walk so far, the
//! arrow field of ∇f, ∇f(W₀) and the step from W₀ to W₁. One plotters drawing,
//! generic over the backend: the live canvas (over its cached map) and the
//! PNG/SVG slide ([`Slide`]) both call [`draw_marks`].

use nnlab::surfaces::Surface;
use nnlab_figures::{labels, surface_plot, Frame, HeatMap, Track};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::model::StepPreview;
use crate::export::SlideFigure;
use crate::lessons::kit::geometry::{arrow_head, clip_segment, px};

/// The arrow field: sky blue, which viridis never shows.
pub const FIELD_COLOR: [u8; 3] = [140, 210, 255];
/// The step −step·∇f(W₀): the red of the descent paths.
pub const STEP_COLOR: [u8; 3] = [240, 60, 60];
/// ∇f(W₀) itself, drawn at a fixed length (only its direction fits the map).
pub const GRAD_COLOR: [u8; 3] = [255, 150, 30];
/// The walk so far.
pub const PATH_COLOR: [u8; 3] = [255, 255, 255];
/// Arrows of the field, across the plot's width.
const FIELD_COLUMNS: usize = 18;

fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// The walk so far, as drawn over the map.
pub fn path_track(path: &[Vec<f64>]) -> Track<'_> {
    Track {
        points: path,
        color: PATH_COLOR,
        label: "",
    }
}

/// Draws, over the map already on `area`, the arrow field of ∇f (unit length:
/// only directions fit on one map), ∇f(W₀) at a fixed length, and the step from
/// W₀ to W₁ at its true length (clipped to the plot if it leaves it).
pub fn draw_marks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    surface: &Surface,
    next: &StepPreview,
) -> Result<(), String> {
    let s = frame.scale();
    let (l, t, r, b) = frame.plot;
    let rect = (f64::from(l), f64::from(t), f64::from(r), f64::from(b));
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();

    let arrow = |from: (f64, f64),
                 to: (f64, f64),
                 color: [u8; 3],
                 w: f64,
                 head: f64|
     -> Result<(), String> {
        let style = rgb(color).stroke_width((w * s).round().max(1.0) as u32);
        let Some((a, c)) = clip_segment(from, to, rect) else {
            return Ok(());
        };
        area.draw(&PathElement::new(vec![px(a), px(c)], style))
            .map_err(err)?;
        // A head only where the arrow really ends (not where it was clipped).
        if c == to {
            if let Some([p, q]) = arrow_head(from, to, head * s) {
                area.draw(&Polygon::new(
                    vec![px(to), px(p), px(q)],
                    rgb(color).filled(),
                ))
                .map_err(err)?;
            }
        }
        Ok(())
    };

    // The field: one arrow per cell, pointing along ∇f (uphill), in screen space.
    let (pw, ph) = frame.plot_size();
    let cell = f64::from(pw) / FIELD_COLUMNS as f64;
    let rows = (f64::from(ph) / cell).floor().max(1.0) as usize;
    for j in 0..rows {
        for i in 0..FIELD_COLUMNS {
            let centre = (
                rect.0 + (i as f64 + 0.5) * cell,
                rect.1 + (j as f64 + 0.5) * cell,
            );
            let (x, y) = frame.from_pixel(centre);
            let (_, g) = surface.value_and_grad(&[x, y]);
            // World y grows upwards, pixel y downwards.
            let (dx, dy) = (g[0] * frame_sx(frame), -g[1] * frame_sy(frame));
            let len = dx.hypot(dy);
            if len <= 0.0 || !len.is_finite() {
                continue;
            }
            let half = 0.36 * cell;
            let (ux, uy) = (dx / len * half, dy / len * half);
            arrow(
                (centre.0 - ux, centre.1 - uy),
                (centre.0 + ux, centre.1 + uy),
                FIELD_COLOR,
                1.5,
                6.0,
            )?;
        }
    }

    let w0 = frame.to_pixel_f((next.w0[0], next.w0[1]));
    // ∇f(W₀) at a fixed 70 px (scale 1): its size is in the read-out.
    let (gx, gy) = (
        next.grad[0] * frame_sx(frame),
        -next.grad[1] * frame_sy(frame),
    );
    let glen = gx.hypot(gy);
    if glen > 0.0 && glen.is_finite() {
        let k = 70.0 * s / glen;
        arrow(w0, (w0.0 + gx * k, w0.1 + gy * k), GRAD_COLOR, 3.0, 12.0)?;
    }
    // The step at its true length.
    let w1 = frame.to_pixel_f((next.w1[0], next.w1[1]));
    arrow(w0, w1, STEP_COLOR, 4.0, 14.0)?;
    let inside =
        w1.0.is_finite() && w1.0 >= rect.0 && w1.0 <= rect.2 && w1.1 >= rect.1 && w1.1 <= rect.3;
    if inside {
        let ring = rgb(STEP_COLOR).stroke_width((2.5 * s).round().max(1.0) as u32);
        area.draw(&Circle::new(px(w1), (8.0 * s).round() as i32, ring))
            .map_err(err)?;
    }
    Ok(())
}

/// Pixels per world unit along x.
fn frame_sx(frame: &Frame) -> f64 {
    let (pw, _) = frame.plot_size();
    f64::from(pw) / (frame.view.x.1 - frame.view.x.0)
}

/// Pixels per world unit along y.
fn frame_sy(frame: &Frame) -> f64 {
    let (_, ph) = frame.plot_size();
    f64::from(ph) / (frame.view.y.1 - frame.view.y.0)
}

/// The picture as a slide: the map with the walk, the marks, a title, the
/// formula and a legend naming the field, ∇f(W₀) and the step (in the page's language).
pub struct Slide<'a> {
    /// The surface, as a contour map with the gradient field.
    pub surface: &'a Surface,
    /// The points visited, W₀ first.
    pub path: &'a [Vec<f64>],
    /// The next step, drawn as ∇f(W₀) and the move to W₁.
    pub next: StepPreview,
    /// The figure's title.
    pub title: &'a str,
    /// The colours and labels of the field, ∇f(W₀) and the step.
    pub legend: [([u8; 3], &'a str); 3],
}

impl SlideFigure for Slide<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        heat: HeatMap,
    ) -> Result<(), String> {
        let (w, h) = area.dim_in_pixel();
        let frame = Frame::new(w, h, self.surface.view);
        let field = surface_plot::figure_field(self.surface, &frame);
        surface_plot::draw_background_with(area, &frame, &field, self.surface, heat)?;
        surface_plot::draw_tracks(area, &frame, &[path_track(self.path)])?;
        draw_marks(area, &frame, self.surface, &self.next)?;
        labels::draw_labels(
            area,
            &frame,
            self.title,
            self.surface.formula_text,
            &self.legend,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::to_svg;

    #[test]
    fn the_slide_has_the_map_the_arrows_and_the_legend() {
        let surface = nnlab::surfaces::by_name("himmelblau").unwrap();
        let w0 = [-1.0, 1.0];
        let (f0, grad) = surface.value_and_grad(&w0);
        let w1 = [w0[0] - 0.01 * grad[0], w0[1] - 0.01 * grad[1]];
        let next = StepPreview {
            w0,
            f0,
            grad: [grad[0], grad[1]],
            w1,
            f1: surface.value(&w1),
        };
        let path = vec![vec![-1.5, 1.5], w0.to_vec()];
        let svg = to_svg(&Slide {
            surface: &surface,
            path: &path,
            next,
            title: "Himmelblau",
            legend: [
                (FIELD_COLOR, "field"),
                (GRAD_COLOR, "gradient"),
                (STEP_COLOR, "step"),
            ],
        })
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        for text in ["Himmelblau", "field", "gradient", "step"] {
            assert!(svg.contains(text), "{text} missing");
        }
        // The field's sky blue arrows and the red step, as polygons (heads) and lines.
        assert!(svg.contains("#8CD2FF") && svg.contains("#F03C3C"));
        assert!(svg.contains("<polygon") && svg.contains("<polyline"));
    }
}
