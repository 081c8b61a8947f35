//! A small drawing for each lesson of the map: a sketch of what its panel
//! shows (a tangent, contours with a path, layers of nodes…), drawn with a
//! few canvas strokes so it costs next to nothing in the page's size and
//! needs no image files. A lesson without a sketch of its own gets its
//! number in a circle.

use std::f64::consts::PI;

use web_sys::CanvasRenderingContext2d;

use crate::draw::palette::{ACCENT, GRID, INK, MUTED, WARM};
use crate::draw::polyline;
use crate::error::WebResult;
use crate::widgets::HiDpiCanvas;

/// Size of a thumbnail, CSS pixels.
pub const WIDTH: u32 = 120;
/// Size of a thumbnail, CSS pixels.
pub const HEIGHT: u32 = 72;

/// What a lesson's thumbnail shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sketch {
    /// Three nested ellipses (AI ⊃ ML ⊃ DL).
    Nested,
    /// Three rising lines on a log scale.
    Rising,
    /// Layers as columns, narrowing.
    Layers,
    /// Weights → loss → optimiser, in a loop.
    Loop,
    /// The ReLU.
    Relu,
    /// Nodes in layers, all connected.
    Network,
    /// A grid of coloured pixels.
    Pixels,
    /// A bell-shaped histogram.
    Histogram,
    /// A loss curve falling.
    Curve,
    /// Ten bars, one tall (softmax).
    Bars,
    /// A parabola with its tangent.
    Tangent,
    /// Contours with the gradient's arrow.
    Arrow,
    /// Balls walking down a parabola.
    Walk,
    /// A double well with a ball stuck in the shallow side.
    Well,
    /// Contours with a zig-zag path.
    Zigzag,
    /// Contours with a smooth curving path.
    Swirl,
    /// A graph with arrows pointing back.
    Backward,
    /// Small cards: the map itself.
    Map,
    /// Cells of hand-made orientation strokes (a HOG-like feature).
    Features,
}

/// The sketch of the lesson at `slug`, if it has one.
pub fn sketch_of(slug: &str) -> Option<Sketch> {
    Some(match slug {
        "what-is-dl" => Sketch::Nested,
        "why-now" => Sketch::Rising,
        "depth" => Sketch::Layers,
        "how-it-works" | "training" => Sketch::Loop,
        "neurons" => Sketch::Relu,
        "network" => Sketch::Network,
        "input-data" => Sketch::Pixels,
        "weight-init" => Sketch::Histogram,
        "live-training" => Sketch::Curve,
        "loss-and-optimizer" => Sketch::Bars,
        "derivative-and-gradient" => Sketch::Tangent,
        "gradient" => Sketch::Arrow,
        "sgd" => Sketch::Walk,
        "local-minima" => Sketch::Well,
        "descent-2d" => Sketch::Zigzag,
        "momentum" => Sketch::Swirl,
        "backprop" => Sketch::Backward,
        "summary" => Sketch::Map,
        // The lessons planned between these (issue 13).
        "feature-engineering" => Sketch::Features,
        "deep-training" => Sketch::Layers,
        _ => return None,
    })
}

/// Draws lesson `number`'s thumbnail (`sketch`, or its number) on `canvas`.
pub fn draw(canvas: &HiDpiCanvas, sketch: Option<Sketch>, number: usize) -> WebResult<()> {
    let Some((ctx, w, h)) = canvas.context()? else {
        return Ok(());
    };
    ctx.set_fill_style_str("#f4f6fa");
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_line_width(2.0);
    ctx.set_line_cap("round");
    ctx.set_stroke_style_str(ACCENT);
    ctx.set_fill_style_str(ACCENT);
    let Some(sketch) = sketch else {
        ctx.begin_path();
        ctx.arc(w / 2.0, h / 2.0, 22.0, 0.0, 2.0 * PI)?;
        ctx.stroke();
        ctx.set_font("600 20px system-ui, sans-serif");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.fill_text(&number.to_string(), w / 2.0, h / 2.0 + 1.0)?;
        return Ok(());
    };
    match sketch {
        Sketch::Nested => {
            for (k, fill) in ["#e8ebfd", "#b9c3fa", ACCENT].iter().enumerate() {
                let k = k as f64;
                ctx.set_fill_style_str(fill);
                ctx.begin_path();
                ctx.ellipse(
                    w / 2.0 + 6.0 * k,
                    h / 2.0 + 6.0 * k,
                    52.0 - 17.0 * k,
                    32.0 - 10.0 * k,
                    0.0,
                    0.0,
                    2.0 * PI,
                )?;
                ctx.fill();
            }
        }
        Sketch::Rising => {
            for (k, color) in ["#2f9e44", "#e67700", ACCENT].iter().enumerate() {
                ctx.set_stroke_style_str(color);
                let k = k as f64;
                curve(&ctx, w, h, |x| 0.15 + 0.1 * k + x * x * (0.5 + 0.1 * k));
            }
        }
        Sketch::Layers => {
            for (k, height) in [52.0, 40.0, 28.0, 16.0].iter().enumerate() {
                let x = 18.0 + k as f64 * 26.0;
                ctx.set_global_alpha(0.35 + 0.2 * k as f64);
                ctx.fill_rect(x, (h - height) / 2.0, 14.0, *height);
            }
            ctx.set_global_alpha(1.0);
        }
        Sketch::Loop => {
            ctx.begin_path();
            ctx.arc(w / 2.0, h / 2.0, 24.0, 0.3, 2.0 * PI - 0.3)?;
            ctx.stroke();
            for k in 0..3 {
                let a = -PI / 2.0 + f64::from(k) * 2.0 * PI / 3.0;
                ctx.begin_path();
                ctx.arc(
                    w / 2.0 + 24.0 * a.cos(),
                    h / 2.0 + 24.0 * a.sin(),
                    6.0,
                    0.0,
                    2.0 * PI,
                )?;
                ctx.fill();
            }
        }
        Sketch::Relu => {
            axes(&ctx, w, h);
            polyline(
                &ctx,
                [(14.0, h - 22.0), (w / 2.0, h - 22.0), (w - 16.0, 10.0)],
            );
        }
        Sketch::Network => {
            let layers = [3, 4, 2];
            let at = |l: usize, i: usize| {
                let x = 24.0 + l as f64 * 36.0;
                let n = layers[l] as f64;
                (x, h / 2.0 + (i as f64 - (n - 1.0) / 2.0) * 15.0)
            };
            ctx.set_stroke_style_str(MUTED);
            ctx.set_line_width(0.8);
            for l in 0..layers.len() - 1 {
                for i in 0..layers[l] {
                    for j in 0..layers[l + 1] {
                        polyline(&ctx, [at(l, i), at(l + 1, j)]);
                    }
                }
            }
            for (l, &n) in layers.iter().enumerate() {
                for i in 0..n {
                    let (x, y) = at(l, i);
                    ctx.begin_path();
                    ctx.arc(x, y, 5.0, 0.0, 2.0 * PI)?;
                    ctx.fill();
                }
            }
        }
        Sketch::Pixels => {
            let colours = [
                "#d9622b", "#3b4fd8", "#1f9d55", "#e67700", "#6b7487", "#b9c3fa",
            ];
            for r in 0..4 {
                for c in 0..6 {
                    ctx.set_fill_style_str(colours[(r * 7 + c * 5) % colours.len()]);
                    ctx.fill_rect(24.0 + c as f64 * 12.5, 12.0 + r as f64 * 12.5, 11.0, 11.0);
                }
            }
        }
        Sketch::Histogram => {
            for k in 0..11 {
                let x = (f64::from(k) - 5.0) / 2.2;
                let height = 50.0 * (-x * x / 2.0).exp();
                ctx.fill_rect(16.0 + f64::from(k) * 8.0, h - 10.0 - height, 7.0, height);
            }
        }
        Sketch::Curve => {
            axes(&ctx, w, h);
            curve(&ctx, w, h, |x| 0.1 + 0.8 * (-4.0 * x).exp());
            ctx.set_stroke_style_str(WARM);
            curve(&ctx, w, h, |x| 0.85 - 0.6 * (-4.0 * x).exp());
        }
        Sketch::Bars => {
            for k in 0..10 {
                let height = if k == 3 {
                    48.0
                } else {
                    6.0 + f64::from(k % 3) * 3.0
                };
                ctx.set_fill_style_str(if k == 3 { ACCENT } else { MUTED });
                ctx.fill_rect(16.0 + f64::from(k) * 9.0, h - 10.0 - height, 7.0, height);
            }
        }
        Sketch::Tangent => {
            curve(&ctx, w, h, |x| 0.1 + 2.6 * (x - 0.5) * (x - 0.5));
            ctx.set_stroke_style_str(WARM);
            // f(x) = 0.1 + 2.6(x − 0.5)², tangent at x = 0.72: slope 5.2·0.22 = 1.144.
            curve(&ctx, w, h, |x| 0.226 + 1.144 * (x - 0.72));
        }
        Sketch::Arrow | Sketch::Zigzag | Sketch::Swirl => {
            contours(&ctx, w, h)?;
            ctx.set_stroke_style_str(WARM);
            ctx.set_line_width(2.5);
            let path: &[(f64, f64)] = match sketch {
                Sketch::Arrow => &[
                    (24.0, 14.0),
                    (44.0, 26.0),
                    (38.0, 22.0),
                    (44.0, 26.0),
                    (40.0, 30.0),
                ],
                Sketch::Zigzag => &[
                    (18.0, 16.0),
                    (40.0, 50.0),
                    (50.0, 22.0),
                    (64.0, 46.0),
                    (70.0, 30.0),
                    (62.0, 36.0),
                ],
                _ => &[
                    (16.0, 14.0),
                    (48.0, 20.0),
                    (76.0, 40.0),
                    (66.0, 50.0),
                    (56.0, 38.0),
                    (61.0, 36.0),
                ],
            };
            polyline(
                &ctx,
                path.iter()
                    .map(|&(x, y)| (x * w / 120.0 + 8.0, y * h / 72.0)),
            );
        }
        Sketch::Walk => {
            curve(&ctx, w, h, |x| 0.1 + 2.6 * (x - 0.5) * (x - 0.5));
            ctx.set_fill_style_str(WARM);
            for &x in &[0.12, 0.25, 0.36, 0.44] {
                ball(&ctx, w, h, x, 0.1 + 2.6 * (x - 0.5) * (x - 0.5))?;
            }
        }
        Sketch::Well => {
            let f = |x: f64| {
                let u = 4.0 * x - 2.0;
                0.12 + 0.09 * (u * u - 1.5).powi(2) + 0.08 * u
            };
            curve(&ctx, w, h, f);
            ctx.set_fill_style_str(WARM);
            ball(&ctx, w, h, 0.83, f(0.83))?;
        }
        Sketch::Backward => {
            let nodes = [(20.0, 36.0), (54.0, 18.0), (54.0, 54.0), (94.0, 36.0)];
            ctx.set_stroke_style_str(MUTED);
            for (a, b) in [(0, 1), (0, 2), (1, 3), (2, 3)] {
                polyline(&ctx, [nodes[a], nodes[b]]);
            }
            ctx.set_stroke_style_str(WARM);
            polyline(&ctx, [(88.0, 26.0), (62.0, 12.0)]);
            polyline(&ctx, [(62.0, 12.0), (70.0, 11.0)]);
            polyline(&ctx, [(62.0, 12.0), (66.0, 19.0)]);
            for (x, y) in nodes {
                ctx.begin_path();
                ctx.arc(x, y, 7.0, 0.0, 2.0 * PI)?;
                ctx.fill();
            }
        }
        Sketch::Features => {
            ctx.set_stroke_style_str(GRID);
            ctx.set_line_width(1.0);
            for r in 0..3 {
                for c in 0..5 {
                    let (x, y) = (20.0 + c as f64 * 16.0, 12.0 + r as f64 * 16.0);
                    ctx.stroke_rect(x, y, 16.0, 16.0);
                }
            }
            ctx.set_stroke_style_str(ACCENT);
            ctx.set_line_width(2.0);
            for r in 0..3 {
                for c in 0..5 {
                    let a = f64::from(r * 5 + c) * 0.7;
                    let (x, y) = (28.0 + f64::from(c) * 16.0, 20.0 + f64::from(r) * 16.0);
                    polyline(
                        &ctx,
                        [
                            (x - 6.0 * a.cos(), y - 6.0 * a.sin()),
                            (x + 6.0 * a.cos(), y + 6.0 * a.sin()),
                        ],
                    );
                }
            }
        }
        Sketch::Map => {
            for r in 0..3 {
                for c in 0..4 {
                    ctx.set_fill_style_str(if (r + c) % 3 == 0 { ACCENT } else { GRID });
                    ctx.fill_rect(14.0 + c as f64 * 24.0, 10.0 + r as f64 * 18.0, 20.0, 14.0);
                }
            }
        }
    }
    Ok(())
}

/// `f` on [0, 1] → [0, 1] (0 at the bottom), drawn inside a margin.
fn curve(ctx: &CanvasRenderingContext2d, w: f64, h: f64, f: impl Fn(f64) -> f64) {
    let points = (0..=40).map(|i| {
        let x = f64::from(i) / 40.0;
        (
            12.0 + x * (w - 24.0),
            h - 8.0 - f(x).clamp(-0.1, 1.1) * (h - 16.0),
        )
    });
    polyline(ctx, points);
}

/// A ball on the curve at (x, y) in the units of [`curve`].
fn ball(ctx: &CanvasRenderingContext2d, w: f64, h: f64, x: f64, y: f64) -> WebResult<()> {
    ctx.begin_path();
    ctx.arc(
        12.0 + x * (w - 24.0),
        h - 8.0 - y * (h - 16.0) - 5.0,
        5.0,
        0.0,
        2.0 * PI,
    )?;
    ctx.fill();
    Ok(())
}

/// Two thin axes.
fn axes(ctx: &CanvasRenderingContext2d, w: f64, h: f64) {
    ctx.set_stroke_style_str(INK);
    ctx.set_line_width(1.0);
    polyline(ctx, [(12.0, 8.0), (12.0, h - 8.0), (w - 8.0, h - 8.0)]);
    ctx.set_stroke_style_str(ACCENT);
    ctx.set_line_width(2.0);
}

/// Nested ellipses: a bowl seen from above.
fn contours(ctx: &CanvasRenderingContext2d, w: f64, h: f64) -> WebResult<()> {
    ctx.set_stroke_style_str("#b9c3fa");
    ctx.set_line_width(1.2);
    for k in 1..=4 {
        let r = f64::from(k);
        ctx.begin_path();
        ctx.ellipse(
            w / 2.0 + 8.0,
            h / 2.0 + 4.0,
            12.0 * r,
            7.0 * r,
            -0.3,
            0.0,
            2.0 * PI,
        )?;
        ctx.stroke();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::LessonId;

    #[test]
    fn every_lesson_of_the_table_has_a_sketch() {
        // A lesson added later still shows (its number) without one; this
        // test says which ones lack a drawing of their own.
        let missing: Vec<&str> = LessonId::all()
            .map(LessonId::slug)
            .filter(|slug| sketch_of(slug).is_none())
            .collect();
        assert!(missing.is_empty(), "no sketch for {missing:?}");
    }
}
