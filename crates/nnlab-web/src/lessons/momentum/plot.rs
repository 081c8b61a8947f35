//! One picture of the momentum lesson: the surface (a heat map for the 2-D
//! valley, the curve for the 1-D double well, cached by [`SurfaceView`]),
//! and every frame the walk and two arrows at the current point.

use nnlab::surfaces::Surface;
use nnlab_figures::{Frame, Track};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::draw::surface_view::{draw_tracks, present};
use crate::draw::SurfaceView;
use crate::error::{WebError, WebResult};

/// Arrows shorter than this (CSS pixels) are drawn longer, all by the same factor.
pub const MIN_ARROW_PX: f64 = 36.0;

/// An arrow in world coordinates (for 1-D, `y` is the loss axis).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrow {
    /// Where it starts.
    pub from: (f64, f64),
    /// Its length and direction.
    pub delta: (f64, f64),
    /// Its colour.
    pub color: [u8; 3],
}

/// The factor that makes the longest arrow at least [`MIN_ARROW_PX`] long: 1, 2, 5, 10, 20, …
pub fn arrow_scale(frame: &Frame, arrows: &[Arrow]) -> f64 {
    let longest = arrows
        .iter()
        .map(|a| {
            let p = frame.to_pixel_f(a.from);
            let q = frame.to_pixel_f((a.from.0 + a.delta.0, a.from.1 + a.delta.1));
            (q.0 - p.0).hypot(q.1 - p.1)
        })
        .filter(|l| l.is_finite())
        .fold(0.0, f64::max);
    if longest <= 0.0 || longest >= MIN_ARROW_PX {
        return 1.0;
    }
    let mut scale = 1.0;
    for step in [2.0, 2.5, 2.0].into_iter().cycle().take(60) {
        if longest * scale >= MIN_ARROW_PX {
            break;
        }
        scale *= step;
    }
    scale
}

/// Draws the picture: the surface (cached), the walk's track and the arrows
/// at the current point, each multiplied by `scale`.
pub fn draw(
    view: &mut SurfaceView,
    surface: &Surface,
    tracks: &[Track],
    arrows: &[Arrow],
    scale: f64,
) -> WebResult<()> {
    let Some((area, frame)) = view.begin(surface)? else {
        return Ok(());
    };
    draw_tracks(&area, &frame, surface, tracks)?;
    for arrow in arrows {
        draw_arrow(&area, &frame, arrow, scale).map_err(WebError::Draw)?;
    }
    present(&area)
}

/// An arrow with a dark outline, so it reads on the dark heat map and on the light curve plot.
fn draw_arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    arrow: &Arrow,
    scale: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let p = frame.to_pixel_f(arrow.from);
    let q = frame.to_pixel_f((
        arrow.from.0 + arrow.delta.0 * scale,
        arrow.from.1 + arrow.delta.1 * scale,
    ));
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let length = dx.hypot(dy);
    if !(length.is_finite() && length >= 2.0) {
        return Ok(());
    }
    let (ux, uy) = (dx / length, dy / length);
    let head = 11.0_f64.min(length * 0.6);
    let base = (q.0 - ux * head, q.1 - uy * head);
    let wing = head * 0.55;
    let triangle = vec![
        (q.0.round() as i32, q.1.round() as i32),
        (
            (base.0 - uy * wing).round() as i32,
            (base.1 + ux * wing).round() as i32,
        ),
        (
            (base.0 + uy * wing).round() as i32,
            (base.1 - ux * wing).round() as i32,
        ),
    ];
    let shaft = vec![
        (p.0.round() as i32, p.1.round() as i32),
        (base.0.round() as i32, base.1.round() as i32),
    ];
    let outline = RGBColor(20, 20, 28);
    let color = RGBColor(arrow.color[0], arrow.color[1], arrow.color[2]);
    area.draw(&PathElement::new(shaft.clone(), outline.stroke_width(6)))
        .map_err(err)?;
    area.draw(&Polygon::new(triangle.clone(), outline.stroke_width(3)))
        .map_err(err)?;
    area.draw(&PathElement::new(shaft, color.stroke_width(3)))
        .map_err(err)?;
    area.draw(&Polygon::new(triangle, color.filled()))
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab::surfaces::ViewBox;

    #[test]
    fn short_arrows_are_scaled_up_together() {
        // 800×600 frame over x ∈ [0, 100]: the plot is 694 px wide, so 1 unit ≈ 6.94 px.
        let frame = Frame::new(
            800,
            600,
            ViewBox {
                x: (0.0, 100.0),
                y: (0.0, 100.0),
            },
        );
        let arrow = |dx| Arrow {
            from: (50.0, 50.0),
            delta: (dx, 0.0),
            color: [0; 3],
        };
        assert_eq!(arrow_scale(&frame, &[arrow(10.0)]), 1.0);
        // 1 unit ≈ 6.9 px → ×2 = 13.9, ×5 = 34.7, ×10 = 69 ≥ 36.
        assert_eq!(arrow_scale(&frame, &[arrow(1.0), arrow(0.5)]), 10.0);
        assert_eq!(arrow_scale(&frame, &[]), 1.0);
    }
}
