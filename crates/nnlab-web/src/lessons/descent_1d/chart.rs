//! The loss-vs-step chart under the curve, drawn with plotters: the loss after
//! each step, with the losses of the two minima as dashed reference levels.
//! Generic over the backend: the page's canvas and the PNG/SVG slide.

use nnlab::surfaces::Surface;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::draw::palette::{rgb, Palette};
use crate::lessons::kit::readout::Plot;

/// The loss line's colour: the ball's red.
pub const LOSS_LINE_COLOR: [u8; 3] = [240, 60, 60];
const GLOBAL_COLOR: RGBColor = RGBColor(30, 150, 70);
const LOCAL_COLOR: RGBColor = RGBColor(130, 130, 150);

/// Texts on the chart, in the page's language.
pub struct ChartLabels<'a> {
    /// Title of the step axis.
    pub step: &'a str,
    /// Title of the loss axis.
    pub loss: &'a str,
    /// Label of the global minimum.
    pub global: &'a str,
    /// Label of a local minimum.
    pub local: &'a str,
}

/// Draws `losses` (`[step, loss]` pairs) on `area` (without presenting it) in
/// `colors` (the page's theme; slides are light). The loss axis is the curve's
/// loss range, so a diverging run leaves the chart at the top instead of squashing it.
/// Returns where the plot lies (for the read-out under the pointer).
pub fn draw_loss_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: &Surface,
    losses: &[Vec<f64>],
    labels: &ChartLabels,
    scale: f64,
    colors: &Palette,
) -> Result<Plot, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let ink = rgb(colors.ink);
    area.fill(&rgb(colors.paper)).map_err(err)?;
    let last_step = losses.last().map_or(0.0, |p| p[0]);
    // At least 20 steps wide, and a little room after the last step.
    let x_max = (last_step * 1.08).max(20.0);
    let (y0, y1) = surface.view.y;
    let font = |size: f64| ("sans-serif", size * scale).into_font().color(&ink);
    let mut chart = ChartBuilder::on(area)
        .margin((10.0 * scale) as i32)
        .margin_right((24.0 * scale) as i32)
        .x_label_area_size((44.0 * scale) as i32)
        .y_label_area_size((52.0 * scale) as i32)
        .build_cartesian_2d(0.0..x_max, y0..y1)
        .map_err(err)?;
    let plot = Plot::from_backend(
        chart.backend_coord(&(0.0, y0)),
        chart.backend_coord(&(x_max, y1)),
        (0.0, x_max),
        (y0, y1),
    );
    chart
        .configure_mesh()
        .x_desc(labels.step)
        .y_desc(labels.loss)
        .x_labels(6)
        .y_labels(5)
        // Steps are whole numbers; losses need one decimal.
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .label_style(font(13.0))
        .axis_desc_style(font(14.0))
        .axis_style(ink.mix(0.6))
        .light_line_style(rgb(colors.grid).mix(0.6))
        .bold_line_style(rgb(colors.grid))
        .draw()
        .map_err(err)?;

    for m in &surface.minima {
        let (color, text) = if m.global {
            (GLOBAL_COLOR, labels.global)
        } else {
            (LOCAL_COLOR, labels.local)
        };
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, m.value), (x_max, m.value)],
                (6.0 * scale) as u32,
                (4.0 * scale) as u32,
                color.stroke_width((1.5 * scale).round().max(1.0) as u32),
            ))
            .map_err(err)?
            .label(text)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
    }

    let [r, g, b] = LOSS_LINE_COLOR;
    let line = RGBColor(r, g, b);
    // Clamped into the axis range (plotters does not clip lines).
    let points: Vec<(f64, f64)> = losses
        .iter()
        .filter(|p| p[1].is_finite())
        .map(|p| (p[0], p[1].clamp(y0, y1)))
        .collect();
    chart
        .draw_series(LineSeries::new(
            points.iter().copied(),
            line.stroke_width((2.5 * scale).round().max(1.0) as u32),
        ))
        .map_err(err)?;
    if let Some(&last) = points.last() {
        chart
            .draw_series([Circle::new(last, (4.0 * scale) as i32, line.filled())])
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(rgb(colors.paper).mix(0.85))
        .border_style(rgb(colors.line))
        .label_font(font(13.0))
        .draw()
        .map_err(err)?;
    Ok(plot)
}
