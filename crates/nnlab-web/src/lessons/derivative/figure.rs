//! The derivative lesson's picture: the tangent at p, the secant to p + ε, the
//! ε step and the gap at p + ε over the curve. One plotters drawing, generic
//! over the backend: the live canvas (over its cached curve) and the PNG/SVG
//! slide ([`Slide`]) both call [`draw_marks`].

use nnlab::surfaces::Surface;
use nnlab_figures::{curve_plot, labels, Frame, HeatMap};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::model::Tangent;
use crate::export::SlideFigure;
use crate::lessons::kit::geometry::{clip_segment, px};

/// The tangent's colour: orange, unlike anything in the curve picture.
pub const TANGENT_COLOR: [u8; 3] = [255, 140, 0];
/// The secant through p and p + ε (the finite-difference slope).
pub const SECANT_COLOR: [u8; 3] = [30, 150, 70];
/// The gap between the curve and the linear guess.
pub const GAP_COLOR: [u8; 3] = [220, 40, 40];

fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// Draws, over the curve already on `area`, the tangent at p across the plot,
/// the secant to p + ε, the ε step along y = f(p), the gap at p + ε and the points.
pub fn draw_marks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    surface: &Surface,
    t: &Tangent,
) -> Result<(), String> {
    let s = frame.scale();
    // The point and the ε step in the figure's ink, rims in its paper (light or dark).
    let (point_color, rim) = (frame.theme.ink, rgb(frame.theme.paper));
    let (l, top, r, b) = frame.plot;
    let rect = (f64::from(l), f64::from(top), f64::from(r), f64::from(b));
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let width = |w: f64| (w * s).round().max(1.0) as u32;
    let line = |a: (f64, f64), b: (f64, f64), color: [u8; 3], w: f64| -> Result<(), String> {
        if let Some((a, b)) = clip_segment(frame.to_pixel_f(a), frame.to_pixel_f(b), rect) {
            area.draw(&PathElement::new(
                vec![px(a), px(b)],
                rgb(color).stroke_width(width(w)),
            ))
            .map_err(err)?;
        }
        Ok(())
    };

    // The tangent across the whole view: y + a·(x − p).
    let (x0, x1) = surface.view.x;
    let at = |x: f64| t.y + t.slope * (x - t.p);
    line((x0, at(x0)), (x1, at(x1)), TANGENT_COLOR, 3.0)?;
    // The secant through (p, y) and (p + ε, f(p + ε)), extended the same way.
    let k = t.secant_slope();
    let sec = |x: f64| t.y + k * (x - t.p);
    line((x0, sec(x0)), (x1, sec(x1)), SECANT_COLOR, 1.5)?;
    // ε along the level y, then the gap straight up or down at p + ε.
    let q = t.p + t.eps;
    line((t.p, t.y), (q, t.y), point_color, 1.5)?;
    line((q, t.linear_at), (q, t.curve_at), GAP_COLOR, 4.0)?;

    let dot = |p: (f64, f64), r: f64, color: [u8; 3]| -> Result<(), String> {
        let c = frame.to_pixel_f(p);
        let inside = c.0 >= rect.0 && c.0 <= rect.2 && c.1 >= rect.1 && c.1 <= rect.3;
        if inside {
            let r = (r * s).round() as i32;
            area.draw(&Circle::new(px(c), r + width(1.5) as i32, rim.filled()))
                .map_err(err)?;
            area.draw(&Circle::new(px(c), r, rgb(color).filled()))
                .map_err(err)?;
        }
        Ok(())
    };
    dot((q, t.linear_at), 5.0, TANGENT_COLOR)?;
    dot((q, t.curve_at), 5.0, SECANT_COLOR)?;
    dot((t.p, t.y), 9.0, point_color)
}

/// The picture as a slide: the curve, the marks, a title, the formula and a
/// legend naming the tangent, the secant and the gap (in the page's language).
pub struct Slide<'a> {
    /// The curve.
    pub surface: &'a Surface,
    /// The tangent at p and the comparison at p + ε.
    pub tangent: Tangent,
    /// The figure's title.
    pub title: &'a str,
    /// The colours and labels of the tangent, the secant and the gap.
    pub legend: [([u8; 3], &'a str); 3],
}

impl SlideFigure for Slide<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        _heat: HeatMap,
    ) -> Result<(), String> {
        let (w, h) = area.dim_in_pixel();
        let frame = Frame::new(w, h, self.surface.view);
        curve_plot::draw_background(area, &frame, self.surface)?;
        draw_marks(area, &frame, self.surface, &self.tangent)?;
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
    fn the_slide_has_the_curve_the_lines_and_the_legend() {
        let surface = nnlab::surfaces::by_name("double-well").unwrap();
        let tangent = Tangent {
            p: 0.5,
            y: surface.value(&[0.5]),
            slope: surface.value_and_grad(&[0.5]).1[0],
            eps: 0.5,
            curve_at: surface.value(&[1.0]),
            linear_at: 0.0,
        };
        let svg = to_svg(&Slide {
            surface: &surface,
            tangent,
            title: "slope",
            legend: [
                (TANGENT_COLOR, "tangent"),
                (SECANT_COLOR, "secant"),
                (GAP_COLOR, "gap"),
            ],
        })
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        for text in ["slope", "tangent", "secant", "gap"] {
            assert!(svg.contains(text), "{text} missing");
        }
        // The tangent's orange and the gap's red are drawn as lines.
        assert!(svg.contains("#FF8C00") && svg.contains("#DC2828"));
        assert!(svg.contains("<polyline"));
    }
}
