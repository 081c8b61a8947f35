//! The activation function and its derivative on one chart, with the
//! layer's current pre-activations z marked on the curve: where each neuron
//! sits decides what it passes on, and how much gradient flows back.

use nnlab::nn::Activation;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::draw::palette;
use crate::lessons::kit::readout::{Curves, Panel, Plot, Series};

/// The derivative's colour.
pub const SLOPE: RGBColor = RGBColor(222, 120, 18);

/// The function's colour: the theme's accent blue.
pub fn curve_color() -> RGBColor {
    palette::rgb(palette::current().accent)
}

/// The markers of the pre-activations: the theme's red, which no curve uses.
pub fn marker_color() -> RGBColor {
    palette::rgb(palette::current().mistake)
}

/// The x range shown: at least [−4, 4], wide enough for every marker.
pub fn x_range(pre: &[f32]) -> f64 {
    let widest = pre.iter().map(|z| f64::from(z.abs())).fold(0.0, f64::max);
    (widest * 1.15).max(4.0)
}

/// The y range shown for `activation` on [−r, r].
pub fn y_range(activation: Activation, r: f64) -> (f64, f64) {
    match activation {
        Activation::Relu | Activation::Identity => (-0.12 * r, 1.08 * r),
        Activation::Sigmoid => (-0.15, 1.12),
        Activation::Tanh => (-1.15, 1.15),
    }
}

/// Texts of the chart, in the page's language.
pub struct Labels<'a> {
    /// Legend of the activation.
    pub function: &'a str,
    /// Legend of its derivative.
    pub derivative: &'a str,
    /// One per marker: "z₁", "z₂".
    pub markers: &'a [String],
}

/// What [`draw`] drew.
pub struct Drawn {
    /// Where each marker landed, in the area's pixels.
    pub markers: Vec<(i32, i32)>,
    /// The two curves, for the read-out under the pointer.
    pub readout: Panel,
}

/// Points of each curve the read-out stops at, from −r to r.
const READOUT_POINTS: usize = 80;

/// Draws the chart in the page's theme.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    activation: Activation,
    pre: &[f32],
    labels: &Labels,
) -> Result<Drawn, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let colors = palette::current();
    let (ink, grid) = (palette::rgb(colors.ink), palette::rgb(colors.grid));
    let (curve, marker) = (curve_color(), marker_color());
    area.fill(&palette::rgb(colors.paper)).map_err(err)?;
    let r = x_range(pre);
    let (y0, y1) = y_range(activation, r);
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(34)
        .y_label_area_size(46)
        .build_cartesian_2d(-r..r, y0..y1)
        .map_err(err)?;
    let plot = Plot::from_backend(
        chart.backend_coord(&(-r, y0)),
        chart.backend_coord(&(r, y1)),
        (-r, r),
        (y0, y1),
    );
    chart
        .configure_mesh()
        .light_line_style(grid)
        .bold_line_style(grid)
        .axis_style(ink)
        .label_style(("sans-serif", 14).into_font().color(&ink))
        .x_labels(9)
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .draw()
        .map_err(err)?;
    // The axes through the origin.
    chart
        .draw_series(LineSeries::new([(-r, 0.0), (r, 0.0)], ink.mix(0.5)))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new([(0.0, y0), (0.0, y1)], ink.mix(0.5)))
        .map_err(err)?;

    let samples = 400;
    let xs = (0..=samples).map(|k| -r + 2.0 * r * k as f64 / samples as f64);
    let f = |x: f64| f64::from(activation.apply(x as f32));
    let df = |x: f64| f64::from(activation.derivative(x as f32));
    chart
        .draw_series(LineSeries::new(
            xs.clone().map(|x| (x, f(x))),
            curve.stroke_width(3),
        ))
        .map_err(err)?
        .label(labels.function)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 22, y)], curve.stroke_width(3)));
    // ReLU's derivative jumps from 0 to 1 at 0: draw it as two pieces, not a
    // vertical line. (The smooth derivatives change by < 0.02 between samples.)
    let slope_points: Vec<(f64, f64)> = xs.map(|x| (x, df(x))).collect();
    let pieces: Vec<&[(f64, f64)]> = slope_points
        .chunk_by(|a, b| (a.1 - b.1).abs() < 0.2)
        .collect();
    for (k, piece) in pieces.into_iter().enumerate() {
        let series = chart
            .draw_series(DashedLineSeries::new(
                piece.iter().copied(),
                8,
                5,
                SLOPE.stroke_width(3),
            ))
            .map_err(err)?;
        if k == 0 {
            series
                .label(labels.derivative)
                .legend(|(x, y)| PathElement::new([(x, y), (x + 22, y)], SLOPE.stroke_width(3)));
        }
    }

    let mut placed = Vec::new();
    for (j, &z) in pre.iter().enumerate() {
        let z = f64::from(z);
        let (x, y) = (z, f(z));
        chart
            .draw_series(DashedLineSeries::new(
                [(x, 0.0), (x, y)],
                3,
                3,
                marker.mix(0.7).stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series([Circle::new((x, y), 7, marker.filled())])
            .map_err(err)?;
        chart
            .draw_series([Circle::new((x, df(z)), 5, marker.stroke_width(2))])
            .map_err(err)?;
        let at = chart.backend_coord(&(x, y));
        if let Some(label) = labels.markers.get(j) {
            // Alternate sides so two markers at the same place stay readable.
            let dx = if j % 2 == 0 { -30 } else { 10 };
            area.draw(&Text::new(
                label.clone(),
                (at.0 + dx, at.1 - 26),
                ("sans-serif", 17).into_font().color(&marker),
            ))
            .map_err(err)?;
        }
        placed.push(at);
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(palette::rgb(colors.paper).mix(0.9))
        .border_style(grid)
        .label_font(("sans-serif", 15).into_font().color(&ink))
        .draw()
        .map_err(err)?;
    let zs = (0..=READOUT_POINTS).map(|k| -r + 2.0 * r * k as f64 / READOUT_POINTS as f64);
    let line = |name: &str, color: RGBColor, g: &dyn Fn(f64) -> f64| {
        let RGBColor(red, green, blue) = color;
        let css = format!("rgb({red}, {green}, {blue})");
        Series::new(name, &css, zs.clone().map(|z| (z, g(z))))
    };
    let series = vec![
        line(labels.function, curve, &f),
        line(labels.derivative, SLOPE, &df),
    ];
    let mut curves = Curves::new(plot, "z", series);
    curves.x_text = tick;
    curves.y_text = |v| tick((v * 1000.0).round() / 1000.0);
    Ok(Drawn {
        markers: placed,
        readout: Panel::Curves(curves),
    })
}

/// A tick label: short, with a true minus sign.
fn tick(v: f64) -> String {
    let text = if v.abs() >= 1000.0 {
        format!("{v:.0e}")
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    text.replace('-', "−")
}
