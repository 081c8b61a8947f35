//! Rendering through real plotters backends: SVG text and an RGB bitmap.

use nnlab::surfaces::{by_name, ViewBox};
use nnlab_figures::{curve_plot, surface_plot, Field, Frame, HeatMap, Track};
use plotters::backend::{BitMapBackend, SVGBackend};
use plotters::prelude::*;

const RED: [u8; 3] = [240, 60, 60];

fn view() -> ViewBox {
    ViewBox {
        x: (-2.0, 2.0),
        y: (-1.0, 3.0),
    }
}

/// The `points` attribute of every `<polyline>` whose stroke is `color`.
fn polylines_with_stroke(svg: &str, color: &str) -> Vec<Vec<(i32, i32)>> {
    svg.split("<polyline")
        .skip(1)
        .filter(|tag| tag.contains(&format!("stroke=\"{color}\"")))
        .map(|tag| {
            let points = tag.split("points=\"").nth(1).expect("a points attribute");
            let points = &points[..points.find('"').expect("closing quote")];
            points
                .split_whitespace()
                .map(|xy| {
                    let (x, y) = xy.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect()
}

#[test]
fn svg_tracks_are_one_polyline_through_every_step() {
    let frame = Frame::new(800, 600, view());
    let points: Vec<Vec<f64>> = vec![
        vec![-1.5, 2.0],
        vec![-1.0, 1.5],
        vec![-0.5, 1.0],
        vec![0.0, 0.5],
        vec![0.5, 0.5],
    ];
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
        let tracks = [Track {
            points: &points,
            color: RED,
            label: "sgd",
        }];
        surface_plot::draw_tracks(&area, &frame, &tracks).unwrap();
        area.present().unwrap();
    }
    let lines = polylines_with_stroke(&svg, "#F03C3C");
    assert_eq!(lines.len(), 1, "{svg}");
    let expected: Vec<(i32, i32)> = points
        .iter()
        .map(|p| frame.to_pixel((p[0], p[1])))
        .collect();
    assert_eq!(lines[0], expected);
    // (−1.5, 2) on the 800×600 frame: x = 78 + 0.5/4·694 = 164.75 → 165, y = 538 − 3/4·482 = 176.5 → 177 (rounded half up).
    assert_eq!(lines[0][0], (165, 177));
    // Filled circles in the track colour: 5 step dots + the current point's big dot.
    assert_eq!(svg.matches("fill=\"#F03C3C\"").count(), 6);
}

#[test]
fn diverging_track_is_cut_at_the_plot_edge_and_at_nan() {
    let frame = Frame::new(800, 600, view());
    let points: Vec<Vec<f64>> = vec![
        vec![0.0, 0.0],
        vec![1.0, 0.0],
        vec![1e9, 0.0],
        vec![f64::NAN, f64::NAN],
    ];
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
        surface_plot::draw_tracks(
            &area,
            &frame,
            &[Track {
                points: &points,
                color: RED,
                label: "",
            }],
        )
        .unwrap();
    }
    let lines = polylines_with_stroke(&svg, "#F03C3C");
    // (0,0) → (78 + 2/4·694, 538 − 1/4·482) = (425, 417.5 → 418); (1,0) → (598.5 → 599, 418);
    // then on to the right edge x = 772, where the clipped segment to x = 10⁹ ends.
    assert_eq!(lines, vec![vec![(425, 418), (599, 418), (772, 418)]]);
}

#[test]
fn svg_slide_figure_stays_small_and_complete() {
    let surface = by_name("rosenbrock").unwrap();
    let points: Vec<Vec<f64>> = (0..=40)
        .map(|k| vec![-1.5 + 0.06 * k as f64, 2.0 - 0.025 * k as f64])
        .collect();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (1200, 900)).into_drawing_area();
        let tracks = [Track {
            points: &points,
            color: RED,
            label: "adam",
        }];
        surface_plot::draw_figure_with(
            &area,
            &surface,
            &tracks,
            "Adam on Rosenbrock",
            HeatMap::Cells,
        )
        .unwrap();
    }
    assert!(svg.starts_with("<svg"));
    assert!(svg.len() < 1_500_000, "SVG is {} bytes", svg.len());
    assert!(
        svg.len() > 50_000,
        "the heat map is missing: {} bytes",
        svg.len()
    );
    let lines = polylines_with_stroke(&svg, "#F03C3C");
    assert_eq!(lines.iter().map(Vec::len).max(), Some(41));
    assert!(svg.contains("Adam on Rosenbrock"));
    assert!(svg.contains("(1−x)² + 100(y−x²)²"));
    // plotters writes text content on its own line: `>\nadam\n</text>`.
    assert!(svg.contains("\nadam\n</text>"), "legend label");
    // Contour lines: translucent white polylines.
    assert!(polylines_with_stroke(&svg, "#FFFFFF").len() >= 10);
}

#[test]
fn bitmap_track_pixels_have_the_track_colour() {
    let surface = by_name("rosenbrock").unwrap();
    let (w, h) = (800u32, 600u32);
    // A horizontal run at y = 2.5 from x = −1.5 to 1.5 in 7 steps of 0.5.
    let points: Vec<Vec<f64>> = (0..=6).map(|k| vec![-1.5 + 0.5 * k as f64, 2.5]).collect();
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let tracks = [Track {
            points: &points,
            color: RED,
            label: "sgd",
        }];
        surface_plot::draw_figure(&area, &surface, &tracks, "SGD").unwrap();
    }
    let pixel = |(x, y): (i32, i32)| {
        let i = (y as usize * w as usize + x as usize) * 3;
        [buf[i], buf[i + 1], buf[i + 2]]
    };
    let frame = Frame::new(w, h, surface.view);
    // Midway between steps the line is 2 px wide: every such pixel is the track colour.
    for k in 0..6 {
        let x = -1.5 + 0.5 * k as f64 + 0.25;
        assert_eq!(pixel(frame.to_pixel((x, 2.5))), RED, "x = {x}");
    }
    // The heat map shows Rosenbrock's valley: at x = −0.5 the floor (y = x² = 0.25, f = 2.25)
    // is darker than the wall above it (y = 2, f ≈ 308).
    let luma = |c: [u8; 3]| 0.2126 * c[0] as f64 + 0.7152 * c[1] as f64 + 0.0722 * c[2] as f64;
    let floor = luma(pixel(frame.to_pixel((-0.5, 0.25))));
    let wall = luma(pixel(frame.to_pixel((-0.5, 2.0))));
    assert!(floor + 40.0 < wall, "floor {floor} vs wall {wall}");
    // Text was rasterised with the embedded font: ink left of the plot (tick labels and
    // "y"; the light font is anti-aliased, so count clearly grey pixels, not only black).
    let (l, t, _, b) = frame.plot;
    let ink = (t..b)
        .flat_map(|y| (0..l - 8).map(move |x| (x, y)))
        .filter(|&p| luma(pixel(p)) < 180.0)
        .count();
    assert!(ink > 100, "only {ink} dark pixels in the left margin");
}

#[test]
fn background_bitmap_blit_matches_the_field_colours() {
    let surface = by_name("ill-conditioned").unwrap();
    let (w, h) = (400u32, 300u32);
    let frame = Frame::new(w, h, surface.view);
    let field = Field::sample(&surface, surface.view, 80, 60);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        surface_plot::draw_background(&area, &frame, &field, &surface).unwrap();
    }
    // The top-left plot pixel shows the resampled field's first pixel.
    let (pw, ph) = frame.plot_size();
    let rgb = field.to_rgb_resized(pw as usize, ph as usize);
    let (l, t, _, _) = frame.plot;
    let i = ((t + 1) as usize * w as usize + (l + 1) as usize) * 3;
    let j = (pw as usize + 1) * 3;
    assert_eq!(&buf[i..i + 3], &rgb[j..j + 3]);
    // The margins are white.
    assert_eq!(&buf[0..3], &[255, 255, 255]);
}

#[test]
fn curve_figure_puts_the_ball_on_the_curve() {
    let surface = by_name("double-well").unwrap();
    let points: Vec<Vec<f64>> = vec![vec![1.9], vec![1.5], vec![1.2]];
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
        let tracks = [Track {
            points: &points,
            color: RED,
            label: "sgd",
        }];
        curve_plot::draw_figure(&area, &surface, &tracks, "Double well").unwrap();
    }
    let frame = Frame::new(800, 600, surface.view);
    let on_curve: Vec<(i32, i32)> = points
        .iter()
        .map(|p| frame.to_pixel((p[0], surface.value(&[p[0]]))))
        .collect();
    // The chords through the steps, then the legend's swatch.
    let lines = polylines_with_stroke(&svg, "#F03C3C");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], on_curve);
    // The ball: a circle of radius 10 (scale 1) centred on the last point.
    let ball = format!(
        "<circle cx=\"{}\" cy=\"{}\" r=\"10\"",
        on_curve[2].0, on_curve[2].1
    );
    assert!(svg.contains(&ball), "no {ball}");
    // The curve itself: one polyline in the curve colour, a point every 3 pixel columns
    // across the 694-pixel plot (232 points + the right edge; 1 px rounding dedupes none).
    let curve = polylines_with_stroke(&svg, "#2D3E6E");
    assert_eq!(curve.len(), 1);
    assert_eq!(curve[0].len(), 233);
}

#[test]
fn skipped_heat_map_keeps_what_the_caller_painted_in_the_plot() {
    // The web app puts its cached heat map ImageData into the plot rectangle, then
    // draws the rest with HeatMap::Skip: the plot keeps the caller's pixels (here
    // black), the margins become white.
    let surface = by_name("saddle").unwrap();
    let (w, h) = (400u32, 300u32);
    let frame = Frame::new(w, h, surface.view);
    let field = Field::sample(&surface, surface.view, 40, 30);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        surface_plot::draw_background_with(&area, &frame, &field, &surface, HeatMap::Skip).unwrap();
    }
    let pixel = |x: i32, y: i32| {
        let i = (y as usize * w as usize + x as usize) * 3;
        [buf[i], buf[i + 1], buf[i + 2]]
    };
    let (l, t, r, b) = frame.plot;
    assert_eq!(pixel(l + 3, t + 3), [0, 0, 0]);
    assert_eq!(pixel(r - 3, b - 3), [0, 0, 0]);
    assert_eq!(pixel(2, 2), [255, 255, 255]);
    assert_eq!(pixel(w as i32 - 2, h as i32 - 2), [255, 255, 255]);
}
