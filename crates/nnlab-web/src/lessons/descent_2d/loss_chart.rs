//! The race's second picture: every runner's loss against the step number, on
//! a logarithmic loss axis (losses fall by orders of magnitude, and a log
//! axis shows a steady rate of progress as a straight line). Dark like the
//! heat map, so the same track colours stand out on both.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::draw::text_size;
use crate::lessons::kit::readout::Plot;

/// Losses at or below this are drawn at it (a log axis has no zero).
pub const LOSS_FLOOR: f64 = 1e-12;
const BACKGROUND: RGBColor = RGBColor(34, 36, 46);
const GRID: RGBColor = RGBColor(80, 84, 100);
const INK: RGBColor = RGBColor(225, 228, 238);

/// One runner's history: `[step, loss]` points, its colour.
pub struct Series<'a> {
    /// `[step, loss]` points, the start first.
    pub points: &'a [Vec<f64>],
    /// The runner's colour.
    pub color: [u8; 3],
}

/// Axis titles, in the reader's language.
pub struct Labels<'a> {
    /// Title of the step axis.
    pub step: &'a str,
    /// Title of the loss axis.
    pub loss: &'a str,
}

/// The y range shown: whole decades around the finite, floored losses, at
/// least two of them, so the log axis always has three labelled ticks (before
/// a run, one start loss alone would give a one-decade axis labelled once).
pub fn loss_range(series: &[Series]) -> (f64, f64) {
    let losses = series
        .iter()
        .flat_map(|s| s.points.iter())
        .filter_map(|p| p.get(1).copied())
        .filter(|l| l.is_finite())
        .map(|l| l.max(LOSS_FLOOR));
    let (lo, hi) = losses.fold((f64::INFINITY, 0.0_f64), |(lo, hi), l| {
        (lo.min(l), hi.max(l))
    });
    if !lo.is_finite() || hi <= 0.0 {
        return (1e-3, 1.0);
    }
    // A little room, then out to the next whole decades.
    let mut low = (lo / 1.2).log10().floor();
    let mut high = (hi * 1.2).log10().ceil();
    while high - low < 2.0 {
        // Widen on the side with less room, so the losses sit mid-axis.
        if lo.log10() - low < high - hi.log10() {
            low -= 1.0;
        } else {
            high += 1.0;
        }
    }
    (10f64.powf(low), 10f64.powf(high))
}

/// A tick label of the loss axis: plain for everyday sizes (0.01 … 1000), a
/// power of ten otherwise.
pub fn loss_label(y: f64) -> String {
    if (1e-3..=1e4).contains(&y) {
        let digits = (-y.log10().floor()).max(0.0) as usize;
        format!("{y:.digits$}")
    } else {
        format!("{y:.0e}")
    }
}

/// Draws the chart over the whole `area`; `last_step` sets the x axis (at
/// least 10). Returns where the plot lies (for the read-out under the pointer).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    last_step: usize,
    labels: &Labels,
) -> Result<Plot, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&BACKGROUND).map_err(err)?;
    let (lo, hi) = loss_range(series);
    let x_max = last_step.max(10) as f64;
    // Larger in presenter mode, with room for it.
    let font = ("sans-serif", text_size::px(13.0)).into_font().color(&INK);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(text_size::px_u32(34.0))
        .y_label_area_size(text_size::px_u32(58.0))
        .build_cartesian_2d(0.0..x_max, (lo..hi).log_scale())
        .map_err(err)?;
    let plot = Plot::from_backend(
        chart.backend_coord(&(0.0, lo)),
        chart.backend_coord(&(x_max, hi)),
        (0.0, x_max),
        (lo, hi),
    )
    .log_y();
    chart
        .configure_mesh()
        .light_line_style(GRID.mix(0.35))
        .bold_line_style(GRID.mix(0.8))
        .axis_style(GRID)
        .label_style(font.clone())
        .axis_desc_style(font)
        .x_desc(labels.step)
        .y_desc(labels.loss)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| loss_label(*y))
        .draw()
        .map_err(err)?;
    for s in series {
        let color = RGBColor(s.color[0], s.color[1], s.color[2]);
        let points = s
            .points
            .iter()
            .filter(|p| p.len() >= 2 && p[1].is_finite())
            .map(|p| (p[0], p[1].max(LOSS_FLOOR)));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(err)?;
    }
    Ok(plot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_covers_every_finite_loss_with_room() {
        let a = vec![vec![0.0, 100.0], vec![1.0, 1.0]];
        let b = vec![vec![0.0, 100.0], vec![1.0, f64::NAN], vec![2.0, 0.0]];
        let range = loss_range(&[
            Series {
                points: &a,
                color: [0; 3],
            },
            Series {
                points: &b,
                color: [0; 3],
            },
        ]);
        // Lowest: 0 floored to 1e-12, then its decade below; highest 100·1.2 → 1000.
        let near = |a: f64, b: f64| (a / b - 1.0).abs() < 1e-12;
        assert!(near(range.0, 1e-13) && near(range.1, 1000.0), "{range:?}");
        // One start loss of 3 alone: 3/1.2 = 2.5 → 1 and 3·1.2 = 3.6 → 10 is one
        // decade; log 3 = 0.48 lies 0.48 above its bottom and 0.52 below its
        // top, so the bottom widens (less room there):
        // 0.1 .. 10, labelled 0.1, 1, 10.
        let flat = vec![vec![0.0, 3.0]];
        let (lo, hi) = loss_range(&[Series {
            points: &flat,
            color: [0; 3],
        }]);
        assert!(near(lo, 0.1) && near(hi, 10.0), "{lo} {hi}");
        assert_eq!(loss_range(&[]), (1e-3, 1.0));
    }

    #[test]
    fn loss_labels_are_plain_for_everyday_sizes() {
        assert_eq!(loss_label(100.0), "100");
        assert_eq!(loss_label(1.0), "1");
        assert_eq!(loss_label(0.01), "0.01");
        assert_eq!(loss_label(1e-6), "1e-6");
        assert_eq!(loss_label(1e5), "1e5");
    }
}
