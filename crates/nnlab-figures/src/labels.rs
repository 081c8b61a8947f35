//! The words on a slide figure, the same for curves and surfaces: the title in
//! the top margin, the formula in a box at the plot's top-left corner and a
//! legend box at its top-right corner.

use crate::axes::draw_title;
use crate::frame::Frame;
use crate::marks::{draw_formula, draw_legend};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws `title`, `formula` and one legend row per `(colour, label)` entry
/// (an empty formula or legend is left out).
pub fn draw_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    title: &str,
    formula: &str,
    legend: &[([u8; 3], &str)],
) -> Result<(), String> {
    draw_title(area, frame, title)?;
    draw_formula(area, frame, formula)?;
    draw_legend(area, frame, legend)
}
