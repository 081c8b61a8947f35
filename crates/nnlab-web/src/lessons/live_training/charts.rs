//! The live curves (plotters on a canvas) and the weight-image grid.

use plotters::prelude::*;
use web_sys::CanvasRenderingContext2d;

use crate::draw::{palette, text_size};
use crate::error::{WebError, WebResult};
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::pictures;
use crate::lessons::kit::readout::{Curves, Panel, Plot, Series, Text};
use crate::widgets::HiDpiCanvas;

/// One line of a chart: (x, y) points, colour, legend.
pub struct Line<'a> {
    /// (iteration, value) points.
    pub points: Vec<(f64, f64)>,
    /// The line's colour.
    pub color: [u8; 3],
    /// Its legend text.
    pub label: &'a str,
}

/// Colour of the training curves: the theme's accent blue.
pub fn train_color() -> [u8; 3] {
    palette::triple(palette::current().accent)
}
/// Colour of the test curves.
pub const TEST_COLOR: [u8; 3] = [230, 110, 20];

/// A loss as the page's read-outs write it ("1.234").
pub fn loss_text(v: f64) -> String {
    format!("{v:.3}")
}

/// Draws `lines` against iterations (x) with a y range fitted to them, the
/// legend at `legend` (where the curves are not: loss falls, accuracy rises),
/// and gives `hover` the lines, their values written by `value`.
pub fn draw_curves(
    canvas: &HiDpiCanvas,
    title: &str,
    x_label: &str,
    lines: &[Line],
    legend: SeriesLabelPosition,
    hover: &Hover,
    value: Text,
) -> WebResult<()> {
    let area = canvas.backend()?.into_drawing_area();
    let e = |err: &dyn std::fmt::Display| WebError::Draw(err.to_string());
    let colors = palette::current();
    let ink = palette::rgb(colors.ink);
    area.fill(&palette::rgb(colors.paper)).map_err(|x| e(&x))?;
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let ys: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite())
        .collect();
    let x_max = xs.fold(10.0f64, f64::max);
    let y_min = ys.iter().copied().fold(f64::INFINITY, f64::min).min(0.0);
    let y_max = ys
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .max(y_min + 0.1)
        * 1.05;
    let mut chart = ChartBuilder::on(&area)
        .caption(
            title,
            ("sans-serif", text_size::px(14.0)).into_font().color(&ink),
        )
        .margin(8)
        .x_label_area_size(text_size::px_u32(40.0))
        .y_label_area_size(text_size::px_u32(42.0))
        .build_cartesian_2d(0.0..x_max, y_min..y_max)
        .map_err(|x| e(&x))?;
    let plot = Plot::from_backend(
        chart.backend_coord(&(0.0, y_min)),
        chart.backend_coord(&(x_max, y_max)),
        (0.0, x_max),
        (y_min, y_max),
    );
    chart
        .configure_mesh()
        .x_desc(x_label)
        .label_style(("sans-serif", text_size::px(12.0)))
        .axis_desc_style(("sans-serif", text_size::px(12.0)))
        .x_labels(6)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_labels(5)
        .axis_style(ink.mix(0.6))
        .bold_line_style(palette::rgb(colors.line))
        .light_line_style(palette::rgb(colors.grid).mix(0.6))
        .label_style(("sans-serif", 12).into_font().color(&ink))
        .axis_desc_style(("sans-serif", 12).into_font().color(&ink))
        .draw()
        .map_err(|x| e(&x))?;
    for line in lines {
        let color = RGBColor(line.color[0], line.color[1], line.color[2]);
        let points: Vec<(f64, f64)> = line
            .points
            .iter()
            .copied()
            .filter(|p| p.1.is_finite())
            .collect();
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                color.stroke_width(2),
            ))
            .map_err(|x| e(&x))?
            .label(line.label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
        if points.len() < 30 {
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))
                .map_err(|x| e(&x))?;
        }
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", text_size::px(12.0)).into_font().color(&ink))
        .background_style(palette::rgb(colors.paper).mix(0.85))
        .border_style(palette::rgb(colors.line))
        .position(legend)
        .draw()
        .map_err(|x| e(&x))?;
    area.present().map_err(|x| e(&x))?;
    let series = lines
        .iter()
        .map(|l| {
            let [r, g, b] = l.color;
            Series::new(
                l.label,
                &format!("rgb({r}, {g}, {b})"),
                l.points.iter().copied(),
            )
        })
        .collect();
    let curves = Curves::new(plot, x_label, series).with_y(title, value);
    hover.show(canvas, vec![Panel::Curves(curves)])
}

/// The weight images in a grid of `columns`, each enlarged `scale` device pixels per weight.
pub fn draw_weight_grid(
    context: &CanvasRenderingContext2d,
    rgba: &[u8],
    count: usize,
    columns: usize,
    scale: usize,
    gap: usize,
) -> WebResult<()> {
    let per = 32 * 32 * 4;
    for k in 0..count.min(rgba.len() / per) {
        let (col, row) = (k % columns, k / columns);
        let at = (
            (col * (32 * scale + gap)) as f64,
            (row * (32 * scale + gap)) as f64,
        );
        pictures::blit(context, &rgba[k * per..(k + 1) * per], 32, 32, scale, at)?;
    }
    Ok(())
}

/// A cell colour for a share in [0, 1]: the theme's paper for none, its accent for all.
pub fn heat(share: f64) -> String {
    let s = share.clamp(0.0, 1.0);
    let colors = palette::current();
    let (from, to) = (
        palette::triple(colors.paper),
        palette::triple(colors.accent),
    );
    let mix = |k: usize| (f64::from(from[k]) + (f64::from(to[k]) - f64::from(from[k])) * s).round();
    format!("rgb({}, {}, {})", mix(0), mix(1), mix(2))
}

/// The text colour on a [`heat`] cell of `share`: the accent's own ink on strong cells.
pub fn heat_ink(share: f64) -> &'static str {
    let colors = palette::current();
    if share > 0.55 {
        colors.on_accent
    } else {
        colors.ink
    }
}
