//! The lecture's table as a chart: one column per decade, a log₁₀ axis from
//! 10¹ to 10¹⁶, a line each for data, memory and compute, the chosen decade
//! shaded, and this browser's measured speed as a marked point on the
//! compute scale.

use std::f64::consts::PI;

use super::decades::{DECADES, SERIES};
use crate::draw::palette;
use crate::draw::polyline;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::lessons::kit::readout::{Axis, Curves, Panel, Plot, Series};
use crate::widgets::HiDpiCanvas;

const FONT: &str = "12px system-ui, sans-serif";
const LEFT: f64 = 46.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 28.0;
/// The log₁₀ range of the axis.
const LOW: f64 = 1.0;
const HIGH: f64 = 16.0;
/// The colour of "your browser", #c2255c (the e2e test looks for it).
pub const BROWSER_RGB: [u8; 3] = [0xc2, 0x25, 0x5c];

/// `rgb(r, g, b)` for the canvas.
fn css([r, g, b]: [u8; 3]) -> String {
    format!("rgb({r}, {g}, {b})")
}

/// What the chart shows besides the table.
pub struct ChartState<'a> {
    /// The shaded column.
    pub decade: usize,
    /// This browser: (year on the compute line, log₁₀ FLOP/s, label), once measured.
    pub browser: Option<(f64, f64, &'a str)>,
}

/// The width of one decade's column on a chart `width` wide.
fn column_width(width: f64) -> f64 {
    (width - LEFT - RIGHT) / DECADES.len() as f64
}

/// The x of the middle of the column of `year` (fractional years between columns).
fn x_of_year(width: f64, year: f64) -> f64 {
    let first = DECADES[0] as f64;
    LEFT + ((year - first) / 10.0 + 0.5) * column_width(width)
}

/// The decade whose column holds x (CSS pixels), if any.
pub fn column_at(width: f64, x: f64) -> Option<usize> {
    let i = ((x - LEFT) / column_width(width)).floor();
    (i >= 0.0 && (i as usize) < DECADES.len()).then_some(i as usize)
}

/// "10¹²": a power of ten with a superscript exponent.
pub fn power_of_ten(exponent: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let sup: String = exponent
        .to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => DIGITS[d as usize],
            None => '⁻',
        })
        .collect();
    format!("10{sup}")
}

/// What the read-out reads on a chart `width × height`: each decade's three
/// powers of ten.
pub fn readout(width: f64, height: f64, lang: Lang) -> Panel {
    let first = DECADES[0] as f64;
    let last = DECADES[DECADES.len() - 1] as f64;
    let plot = Plot {
        x: Axis::linear(
            (x_of_year(width, first), x_of_year(width, last)),
            (first, last),
        ),
        y: Axis::linear((height - BOTTOM, TOP), (LOW, HIGH)),
    };
    let series = SERIES
        .iter()
        .map(|s| {
            let points = DECADES.iter().zip(s.log10).map(|(&y, l)| (y as f64, l));
            Series::new(lang.text(s.name), &css(s.rgb), points)
        })
        .collect();
    let mut curves = Curves::new(plot, "", series);
    curves.y_text = |level| power_of_ten(level.round() as i32);
    Panel::Curves(curves)
}

/// Draws the chart over the whole of `canvas`.
pub fn draw(canvas: &HiDpiCanvas, state: &ChartState) -> WebResult<()> {
    let Some((ctx, w, h)) = canvas.context()? else {
        return Ok(());
    };
    ctx.set_fill_style_str(palette::current().paper);
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_font(FONT);
    let (top, bottom) = (TOP, h - BOTTOM);
    let y_of = |level: f64| bottom - (level - LOW) / (HIGH - LOW) * (bottom - top);
    let col = column_width(w);

    // The chosen decade.
    ctx.set_fill_style_str("#e8ebfd");
    ctx.fill_rect(LEFT + state.decade as f64 * col, top, col, bottom - top);

    // Powers of ten, every other one labelled.
    ctx.set_line_width(1.0);
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for exponent in (LOW as i32)..=(HIGH as i32) {
        let y = y_of(f64::from(exponent)).round() + 0.5;
        ctx.set_stroke_style_str(palette::current().grid);
        polyline(&ctx, [(LEFT, y), (w - RIGHT, y)]);
        if exponent % 3 == 0 {
            ctx.set_fill_style_str(palette::current().muted);
            ctx.fill_text(&power_of_ten(exponent), LEFT - 6.0, y)?;
        }
    }
    ctx.set_text_align("center");
    ctx.set_text_baseline("alphabetic");
    for (i, year) in DECADES.iter().enumerate() {
        ctx.set_fill_style_str(if i == state.decade {
            palette::current().accent
        } else {
            palette::current().ink
        });
        ctx.fill_text(&year.to_string(), LEFT + (i as f64 + 0.5) * col, h - 9.0)?;
    }

    for series in SERIES {
        let color = css(series.rgb);
        ctx.set_stroke_style_str(&color);
        ctx.set_fill_style_str(&color);
        ctx.set_line_width(2.5);
        let points: Vec<(f64, f64)> = series
            .log10
            .iter()
            .enumerate()
            .map(|(i, &l)| (LEFT + (i as f64 + 0.5) * col, y_of(l)))
            .collect();
        polyline(&ctx, points.iter().copied());
        for &(x, y) in &points {
            ctx.begin_path();
            ctx.arc(x, y, 4.0, 0.0, 2.0 * PI)?;
            ctx.fill();
        }
    }

    if let Some((year, level, label)) = state.browser {
        let (x, y) = (x_of_year(w, year), y_of(level.clamp(LOW, HIGH)));
        let color = css(BROWSER_RGB);
        ctx.set_stroke_style_str(&color);
        ctx.set_line_width(1.5);
        ctx.set_line_dash(&js_sys::Array::of2(&4.0.into(), &4.0.into()))?;
        polyline(&ctx, [(LEFT, y), (w - RIGHT, y)]);
        ctx.set_line_dash(&js_sys::Array::new())?;
        // A diamond, bigger than the table's dots.
        ctx.set_fill_style_str(&color);
        ctx.begin_path();
        ctx.move_to(x, y - 9.0);
        ctx.line_to(x + 9.0, y);
        ctx.line_to(x, y + 9.0);
        ctx.line_to(x - 9.0, y);
        ctx.close_path();
        ctx.fill();
        ctx.set_font(&format!("600 {FONT}"));
        // The label on the side with room.
        let left_half = x < w / 2.0;
        ctx.set_text_align(if left_half { "left" } else { "right" });
        let lx = if left_half { x + 12.0 } else { x - 12.0 };
        ctx.fill_text(label, lx, (y - 10.0).max(top + 10.0))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_powers() {
        // 46 + 6·100 + 12 = 658 wide: columns of 100 from x = 46.
        assert_eq!(column_at(658.0, 46.0), Some(0));
        assert_eq!(column_at(658.0, 545.9), Some(4));
        assert_eq!(column_at(658.0, 646.0), None);
        assert_eq!(column_at(658.0, 45.0), None);
        // 2005 sits halfway between the 2000 and 2010 columns' middles (396 and 496).
        assert_eq!(x_of_year(658.0, 2005.0), 446.0);
        assert_eq!(power_of_ten(12), "10¹²");
        assert_eq!(power_of_ten(3), "10³");
    }

    #[test]
    fn the_read_out_names_a_decade_and_its_three_powers() {
        // On the chart 658 × 400, 1970's middle is at 96 and 1990's at 296:
        // x = 300 reads 1990 (data 10⁴, memory 10⁷, compute 10⁷).
        let panel = readout(658.0, 400.0, Lang::En);
        let reading = panel.reading(panel.stop_at(300.0), Lang::En);
        assert_eq!(reading.title, "1990");
        assert_eq!(reading.span, (296.0, 296.0));
        let texts: Vec<&str> = reading.lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Data (samples): 10⁴",
                "Memory: 10⁷",
                "Compute (FLOP/s): 10⁷"
            ]
        );
        // 10⁴ of 10¹…10¹⁶ on the y axis from 372 (bottom) to 14 (top): 3/15 of 358 up.
        assert!((reading.markers[0].0 .1 - (372.0 - 358.0 * 3.0 / 15.0)).abs() < 1e-9);
    }
}
