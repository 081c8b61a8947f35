//! The 1-D descent lesson as a slide: the curve with the ball's path above the
//! loss-vs-step chart, drawn by the same plotters code as the page's two
//! canvases (the figures crate's curve plot and [`super::chart`]).

use nnlab::surfaces::Surface;
use nnlab_figures::{curve_plot, labels, Frame, HeatMap, Track};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{draw_loss_chart, ChartLabels};
use crate::draw::palette;
use crate::export::SlideFigure;

/// The slide's size in CSS pixels: the curve on top, the chart under it.
const SIZE: (u32, u32) = (800, 620);
/// Height of the curve's part (the canvas's aspect 0.5 at 800 wide).
const CURVE_HEIGHT: u32 = 400;

pub struct Slide<'a> {
    pub surface: &'a Surface,
    /// The ball's path, labelled with its settings for the legend.
    pub track: Track<'a>,
    /// `[step, loss]` after each step.
    pub losses: &'a [Vec<f64>],
    pub title: &'a str,
    pub chart: ChartLabels<'a>,
}

impl SlideFigure for Slide<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        _heat: HeatMap,
    ) -> Result<(), String> {
        let (curve, chart) = area.split_vertically(CURVE_HEIGHT);
        let (w, h) = curve.dim_in_pixel();
        let frame = Frame::new(w, h, self.surface.view);
        curve_plot::draw_background(&curve, &frame, self.surface)?;
        curve_plot::draw_tracks(&curve, &frame, self.surface, &[self.track])?;
        let legend = [(self.track.color, self.track.label)];
        labels::draw_labels(
            &curve,
            &frame,
            self.title,
            self.surface.formula_text,
            &legend,
        )?;
        draw_loss_chart(
            &chart,
            self.surface,
            self.losses,
            &self.chart,
            1.0,
            &palette::LIGHT,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::to_svg;

    #[test]
    fn the_slide_has_the_ball_and_the_loss_chart() {
        let surface = nnlab::surfaces::by_name("double-well").unwrap();
        let path = vec![vec![-0.5], vec![-0.8], vec![-1.1]];
        let losses: Vec<Vec<f64>> = path
            .iter()
            .enumerate()
            .map(|(i, x)| vec![i as f64, surface.value(x)])
            .collect();
        let svg = to_svg(&Slide {
            surface: &surface,
            track: Track {
                points: &path,
                color: [240, 60, 60],
                label: "lr 0.05",
            },
            losses: &losses,
            title: "SGD",
            chart: ChartLabels {
                step: "step",
                loss: "loss",
                global: "global minimum",
                local: "local minimum",
            },
        })
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains(r#"width="800" height="620""#));
        for text in ["SGD", "lr 0.05", "global minimum", "step"] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert!(svg.contains("<polyline"));
    }
}
