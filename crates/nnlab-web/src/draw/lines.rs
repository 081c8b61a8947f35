//! Plain Canvas 2D drawing for the charts the lessons draw by hand (where a
//! plotters chart would cost more wasm than the picture is worth).

use web_sys::CanvasRenderingContext2d;

/// Strokes one line through `points` (in the context's units) with the
/// context's current stroke style; nothing for fewer than two points.
pub fn polyline(context: &CanvasRenderingContext2d, points: impl IntoIterator<Item = (f64, f64)>) {
    let mut points = points.into_iter();
    let Some((x, y)) = points.next() else {
        return;
    };
    context.begin_path();
    context.move_to(x, y);
    for (x, y) in points {
        context.line_to(x, y);
    }
    context.stroke();
}
