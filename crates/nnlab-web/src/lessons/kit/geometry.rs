//! Pixel geometry for the lesson overlays: lines clipped to the plot
//! rectangle (a tangent or a big step may leave the picture) and arrow heads.

/// The part of the segment `a`–`b` inside the rectangle `(left, top, right, bottom)`,
/// or `None` if none of it is (Liang–Barsky). Non-finite ends give `None`.
pub fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (left, top, right, bottom): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    // Each edge as p·t ≤ q.
    for (p, q) in [
        (-dx, a.0 - left),
        (dx, right - a.0),
        (-dy, a.1 - top),
        (dy, bottom - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// The two back corners of an arrow head of length `size` at `tip`, for an
/// arrow coming from `from` (30° either side of the shaft). `None` for a zero-length arrow.
pub fn arrow_head(from: (f64, f64), tip: (f64, f64), size: f64) -> Option<[(f64, f64); 2]> {
    let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
    let len = dx.hypot(dy);
    if len <= 0.0 || !len.is_finite() {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (cos, sin) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
    let corner = |s: f64| {
        // The shaft direction turned by ±30°, pointing back from the tip.
        let (rx, ry) = (ux * cos - s * uy * sin, s * ux * sin + uy * cos);
        (tip.0 - size * rx, tip.1 - size * ry)
    };
    Some([corner(1.0), corner(-1.0)])
}

/// Rounds a pixel position for plotters.
pub fn px((x, y): (f64, f64)) -> (i32, i32) {
    (
        x.round().clamp(-1e7, 1e7) as i32,
        y.round().clamp(-1e7, 1e7) as i32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: (f64, f64, f64, f64) = (0.0, 0.0, 100.0, 50.0);

    #[test]
    fn clipping_keeps_inside_cuts_crossing_and_drops_outside() {
        assert_eq!(
            clip_segment((10.0, 10.0), (20.0, 30.0), BOX),
            Some(((10.0, 10.0), (20.0, 30.0)))
        );
        // From (−50, 25) to (150, 25): the horizontal line is cut at x = 0 and x = 100.
        assert_eq!(
            clip_segment((-50.0, 25.0), (150.0, 25.0), BOX),
            Some(((0.0, 25.0), (100.0, 25.0)))
        );
        // From (50, 25) to (50, 125): cut at the bottom, y = 50.
        assert_eq!(
            clip_segment((50.0, 25.0), (50.0, 125.0), BOX),
            Some(((50.0, 25.0), (50.0, 50.0)))
        );
        assert_eq!(clip_segment((200.0, 0.0), (300.0, 10.0), BOX), None);
        assert_eq!(clip_segment((f64::NAN, 0.0), (3.0, 10.0), BOX), None);
    }

    #[test]
    fn arrow_head_points_back_along_the_shaft() {
        // Arrow to the right, tip (10, 0), size 2: corners at 10 − 2·cos30° = 8.268, y = ±2·sin30° = ±1.
        let [a, b] = arrow_head((0.0, 0.0), (10.0, 0.0), 2.0).unwrap();
        assert!((a.0 - 8.2679).abs() < 1e-3 && (b.0 - 8.2679).abs() < 1e-3);
        assert!((a.1.abs() - 1.0).abs() < 1e-9 && (a.1 + b.1).abs() < 1e-9);
        assert!(arrow_head((1.0, 1.0), (1.0, 1.0), 2.0).is_none());
    }
}
