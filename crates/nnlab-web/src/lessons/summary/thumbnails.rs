//! A small drawing for each lesson of the map: a sketch of what its panel
//! shows (a tangent, contours with a path, layers of nodes…). Each sketch is
//! a few shapes as data in a 120 × 72 box, drawn by one routine, so the map
//! costs next to nothing in the page's size and needs no image files. A
//! lesson without a sketch of its own gets its number in a circle.

use std::f64::consts::PI;

use web_sys::CanvasRenderingContext2d;

use crate::draw::palette;
use crate::widgets::HiDpiCanvas;

/// Size of a thumbnail, CSS pixels (the sketches' coordinate box).
pub const WIDTH: u32 = 120;
/// Size of a thumbnail, CSS pixels.
pub const HEIGHT: u32 = 72;

/// Points of a polyline.
type Line = &'static [(u8, u8)];

/// The shapes of one drawing, in the 120 × 72 box.
pub struct Sketch {
    /// Blue strokes.
    lines: &'static [Line],
    /// Orange strokes (a path, a tangent, a second curve).
    warm: &'static [Line],
    /// Thin grey strokes (connections, axes).
    thin: &'static [Line],
    /// Blue dots (nodes).
    dots: &'static [(u8, u8)],
    /// Orange balls.
    balls: &'static [(u8, u8)],
    /// Blue rectangles: x, y, width, height.
    blocks: &'static [(u8, u8, u8, u8)],
    /// Pale ellipse outlines: centre, radii.
    rings: &'static [(u8, u8, u8, u8)],
}

const EMPTY: Sketch = Sketch {
    lines: &[],
    warm: &[],
    thin: &[],
    dots: &[],
    balls: &[],
    blocks: &[],
    rings: &[],
};

const PARABOLA: Line = &[
    (12, 22),
    (20, 33),
    (28, 42),
    (36, 49),
    (44, 54),
    (52, 57),
    (60, 58),
    (68, 57),
    (76, 54),
    (84, 49),
    (92, 42),
    (100, 33),
    (108, 22),
];
const CONTOURS: &[(u8, u8, u8, u8)] = &[
    (68, 38, 12, 7),
    (68, 38, 24, 14),
    (68, 38, 36, 21),
    (68, 38, 48, 28),
];
const AXES: Line = &[(12, 8), (12, 64), (112, 64)];

/// The sketch of the lesson at `slug`, if it has one.
pub fn sketch_of(slug: &str) -> Option<&'static Sketch> {
    Some(match slug {
        // AI ⊃ ML ⊃ DL.
        "what-is-dl" => &Sketch {
            rings: &[(60, 36, 52, 32), (66, 42, 35, 22), (72, 48, 18, 12)],
            ..EMPTY
        },
        // Three rising lines.
        "why-now" => &Sketch {
            lines: &[
                &[(12, 56), (36, 54), (60, 49), (84, 40), (108, 28)],
                &[(12, 50), (36, 48), (60, 42), (84, 31), (108, 16)],
                &[(12, 44), (36, 42), (60, 35), (84, 22), (108, 5)],
            ],
            ..EMPTY
        },
        // Layers, narrowing.
        // Gradient bars: vanishing toward the input (orange), even after (blue).
        "deep-training" => &Sketch {
            thin: &[AXES],
            warm: &[
                &[(20, 62), (20, 60)],
                &[(40, 62), (40, 54)],
                &[(60, 62), (60, 40)],
                &[(80, 62), (80, 22)],
            ],
            blocks: &[(94, 20, 6, 42), (104, 18, 6, 44)],
            ..EMPTY
        },
        "depth" => &Sketch {
            blocks: &[
                (18, 10, 14, 52),
                (44, 16, 14, 40),
                (70, 22, 14, 28),
                (96, 28, 14, 16),
            ],
            ..EMPTY
        },
        // A loop of three stages.
        "how-it-works" | "training" => &Sketch {
            rings: &[(60, 36, 24, 24)],
            dots: &[(60, 12), (81, 48), (39, 48)],
            warm: &[&[(76, 18), (84, 26)]],
            ..EMPTY
        },
        // The ReLU.
        "neurons" => &Sketch {
            thin: &[AXES],
            lines: &[&[(14, 50), (60, 50), (106, 10)]],
            ..EMPTY
        },
        // Nodes in layers, all connected.
        "network" => &Sketch {
            thin: &[
                &[
                    (24, 21),
                    (60, 14),
                    (24, 36),
                    (60, 29),
                    (24, 51),
                    (60, 44),
                    (24, 21),
                    (60, 59),
                ],
                &[
                    (60, 14),
                    (96, 29),
                    (60, 29),
                    (96, 44),
                    (60, 44),
                    (96, 29),
                    (60, 59),
                    (96, 44),
                ],
            ],
            dots: &[
                (24, 21),
                (24, 36),
                (24, 51),
                (60, 14),
                (60, 29),
                (60, 44),
                (60, 59),
                (96, 29),
                (96, 44),
            ],
            ..EMPTY
        },
        // Pixels.
        "input-data" => &Sketch {
            blocks: &[
                (24, 12, 11, 11),
                (49, 12, 11, 11),
                (74, 12, 11, 11),
                (36, 25, 11, 11),
                (61, 25, 11, 11),
                (86, 25, 11, 11),
                (24, 38, 11, 11),
                (49, 38, 11, 11),
                (74, 38, 11, 11),
                (36, 51, 11, 11),
                (61, 51, 11, 11),
                (86, 51, 11, 11),
            ],
            ..EMPTY
        },
        // A bell-shaped histogram.
        "weight-init" => &Sketch {
            blocks: &[
                (16, 59, 7, 3),
                (24, 55, 7, 7),
                (32, 47, 7, 15),
                (40, 35, 7, 27),
                (48, 21, 7, 41),
                (56, 12, 7, 50),
                (64, 21, 7, 41),
                (72, 35, 7, 27),
                (80, 47, 7, 15),
                (88, 55, 7, 7),
                (96, 59, 7, 3),
            ],
            ..EMPTY
        },
        // Loss falling, accuracy rising.
        "live-training" => &Sketch {
            thin: &[AXES],
            lines: &[&[
                (12, 14),
                (22, 28),
                (31, 38),
                (41, 45),
                (50, 49),
                (60, 52),
                (79, 56),
                (108, 58),
            ]],
            warm: &[&[
                (12, 50),
                (22, 39),
                (31, 31),
                (41, 27),
                (50, 23),
                (60, 21),
                (79, 18),
                (108, 17),
            ]],
            ..EMPTY
        },
        // Softmax: ten bars, one tall.
        "loss-and-optimizer" => &Sketch {
            blocks: &[
                (16, 56, 7, 6),
                (25, 53, 7, 9),
                (34, 50, 7, 12),
                (43, 14, 7, 48),
                (52, 53, 7, 9),
                (61, 50, 7, 12),
                (70, 56, 7, 6),
                (79, 53, 7, 9),
                (88, 50, 7, 12),
                (97, 56, 7, 6),
            ],
            ..EMPTY
        },
        // A curve and its tangent.
        "derivative-and-gradient" => &Sketch {
            lines: &[PARABOLA],
            warm: &[&[(55, 69), (108, 33)]],
            ..EMPTY
        },
        // Contours and the gradient's arrow.
        "gradient" => &Sketch {
            rings: CONTOURS,
            warm: &[&[(30, 14), (52, 28)], &[(44, 27), (52, 28), (47, 21)]],
            ..EMPTY
        },
        // Balls walking down a curve.
        "sgd" => &Sketch {
            lines: &[PARABOLA],
            balls: &[(24, 32), (36, 44), (47, 51), (54, 53)],
            ..EMPTY
        },
        // A double well, the ball stuck on the shallow side.
        "local-minima" => &Sketch {
            lines: &[&[
                (12, 35),
                (18, 53),
                (24, 61),
                (30, 63),
                (36, 60),
                (42, 56),
                (48, 52),
                (54, 48),
                (60, 46),
                (66, 46),
                (72, 47),
                (78, 49),
                (84, 52),
                (90, 52),
                (96, 48),
                (102, 37),
                (108, 17),
            ]],
            balls: &[(87, 47)],
            ..EMPTY
        },
        // Contours with a zig-zag path.
        "descent-2d" => &Sketch {
            rings: CONTOURS,
            warm: &[&[(26, 16), (48, 50), (58, 22), (72, 46), (78, 30), (70, 36)]],
            ..EMPTY
        },
        // Contours with a smooth, curving path.
        "momentum" => &Sketch {
            rings: CONTOURS,
            warm: &[&[
                (24, 14),
                (46, 16),
                (66, 22),
                (82, 34),
                (80, 46),
                (70, 48),
                (64, 42),
                (68, 38),
            ]],
            ..EMPTY
        },
        // A graph with an arrow pointing back.
        "backprop" => &Sketch {
            thin: &[&[(20, 36), (54, 18), (94, 36), (54, 54), (20, 36)]],
            warm: &[&[(88, 26), (62, 12)], &[(70, 11), (62, 12), (66, 19)]],
            dots: &[(20, 36), (54, 18), (54, 54), (94, 36)],
            ..EMPTY
        },
        // Hand-made orientation strokes in cells (a HOG-like feature).
        "feature-engineering" => &Sketch {
            thin: &[
                &[(20, 12), (100, 12), (100, 60), (20, 60), (20, 12)],
                &[(60, 12), (60, 60)],
                &[(20, 36), (100, 36)],
            ],
            lines: &[
                &[(32, 30), (48, 18)],
                &[(72, 18), (88, 30)],
                &[(40, 42), (40, 56)],
                &[(72, 48), (88, 48)],
            ],
            ..EMPTY
        },
        // Small cards: the map itself.
        "summary" => &Sketch {
            blocks: &[
                (14, 10, 20, 14),
                (62, 10, 20, 14),
                (38, 28, 20, 14),
                (86, 28, 20, 14),
                (14, 46, 20, 14),
                (62, 46, 20, 14),
            ],
            thin: &[
                &[(38, 10), (58, 10), (58, 24), (38, 24), (38, 10)],
                &[(86, 10), (106, 10), (106, 24), (86, 24), (86, 10)],
            ],
            ..EMPTY
        },
        _ => return None,
    })
}

/// One polyline of a sketch.
fn stroke(ctx: &CanvasRenderingContext2d, line: Line) {
    ctx.begin_path();
    for (i, &(x, y)) in line.iter().enumerate() {
        let (x, y) = (f64::from(x), f64::from(y));
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
}

/// A filled circle (a radius is never negative here, so `arc` cannot throw).
fn dot(ctx: &CanvasRenderingContext2d, (x, y): (u8, u8), r: f64) {
    ctx.begin_path();
    let _ = ctx.arc(f64::from(x), f64::from(y), r, 0.0, 2.0 * PI);
    ctx.fill();
}

/// Draws lesson `number`'s thumbnail (`sketch`, or its number) on `canvas`.
pub fn draw(canvas: &HiDpiCanvas, sketch: Option<&Sketch>, number: usize) {
    let Ok(Some((ctx, w, h))) = canvas.context() else {
        return;
    };
    ctx.set_fill_style_str("#f4f6fa");
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_line_width(2.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    let Some(s) = sketch else {
        ctx.set_stroke_style_str(palette::current().accent);
        ctx.set_fill_style_str(palette::current().accent);
        dot(&ctx, (60, 36), 22.0);
        ctx.set_fill_style_str(palette::current().on_accent);
        ctx.set_font("600 20px system-ui, sans-serif");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        let _ = ctx.fill_text(&number.to_string(), 60.0, 37.0);
        return;
    };
    ctx.set_stroke_style_str("#8c9af0");
    for &(x, y, rx, ry) in s.rings {
        ctx.begin_path();
        let (x, y, rx, ry) = (f64::from(x), f64::from(y), f64::from(rx), f64::from(ry));
        let _ = ctx.ellipse(x, y, rx, ry, 0.0, 0.0, 2.0 * PI);
        ctx.stroke();
    }
    ctx.set_fill_style_str(palette::current().accent);
    for &(x, y, bw, bh) in s.blocks {
        ctx.fill_rect(f64::from(x), f64::from(y), f64::from(bw), f64::from(bh));
    }
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str(palette::current().muted);
    s.thin.iter().for_each(|&l| stroke(&ctx, l));
    ctx.set_line_width(2.5);
    ctx.set_stroke_style_str(palette::current().accent);
    s.lines.iter().for_each(|&l| stroke(&ctx, l));
    ctx.set_stroke_style_str(palette::current().warm);
    s.warm.iter().for_each(|&l| stroke(&ctx, l));
    s.dots.iter().for_each(|&p| dot(&ctx, p, 5.0));
    ctx.set_fill_style_str(palette::current().warm);
    s.balls.iter().for_each(|&p| dot(&ctx, p, 5.0));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::LessonId;

    #[test]
    fn every_lesson_of_the_table_has_a_sketch_inside_the_box() {
        // A lesson added later still shows (its number) without one; this
        // test says which ones lack a drawing of their own.
        let missing: Vec<&str> = LessonId::all()
            .map(LessonId::slug)
            .filter(|slug| sketch_of(slug).is_none())
            .collect();
        assert!(missing.is_empty(), "no sketch for {missing:?}");
        for id in LessonId::all() {
            let s = sketch_of(id.slug()).unwrap();
            let points = s
                .lines
                .iter()
                .chain(s.warm)
                .chain(s.thin)
                .flat_map(|l| l.iter());
            for &(x, y) in points.chain(s.dots).chain(s.balls) {
                assert!(
                    u32::from(x) <= WIDTH && u32::from(y) <= HEIGHT,
                    "{}",
                    id.slug()
                );
            }
        }
    }
}
