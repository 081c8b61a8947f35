//! Where the three bar charts sit on the canvas, in CSS pixels: logits on
//! top (the ones you drag), softmax probabilities, the gradient. Pure
//! geometry, so the drag arithmetic is tested natively.

use super::model::{CLASSES, LOGIT_RANGE};

/// Room for the y-axis labels on the left, and the margin on the right.
const LEFT: f64 = 46.0;
const RIGHT: f64 = 10.0;
/// Height of a panel's title line.
const TITLE: f64 = 20.0;
/// Height of the class names under the last panel.
const NAMES: f64 = 26.0;

/// A horizontal band of the canvas holding one chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Panel {
    /// Where the title is written (its baseline).
    pub title_y: f64,
    /// Top of the bars' area.
    pub top: f64,
    /// Bottom of the bars' area.
    pub bottom: f64,
    /// The value at the top of the area.
    pub max: f64,
    /// The value at the bottom of the area.
    pub min: f64,
}

impl Panel {
    /// The y pixel of `value` (clamped to the panel).
    pub fn y_of(&self, value: f64) -> f64 {
        let t = ((value - self.min) / (self.max - self.min)).clamp(0.0, 1.0);
        self.bottom - t * (self.bottom - self.top)
    }

    /// The value at y pixel `y` (clamped to the panel's range).
    pub fn value_at(&self, y: f64) -> f64 {
        let t = ((self.bottom - y) / (self.bottom - self.top)).clamp(0.0, 1.0);
        self.min + t * (self.max - self.min)
    }

    /// Whether `y` falls on this panel (title line included, so a grab just above a bar works).
    pub fn holds(&self, y: f64) -> bool {
        y >= self.top - 6.0 && y <= self.bottom + 6.0
    }
}

/// Where the three bar charts sit on a canvas, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BarLayout {
    /// The canvas width.
    pub width: f64,
    /// The canvas height.
    pub height: f64,
    /// The logits (the bars to drag).
    pub logits: Panel,
    /// The softmax probabilities.
    pub probs: Panel,
    /// The gradient ∂loss/∂logits.
    pub grad: Panel,
    /// Baseline of the class names.
    pub names_y: f64,
}

impl BarLayout {
    /// The layout for a `width × height` canvas: the logits get 40 % of the
    /// chart height, the probabilities and the gradient 30 % each.
    pub fn new(width: f64, height: f64) -> BarLayout {
        let charts = (height - 3.0 * TITLE - NAMES - 3.0 * 8.0).max(60.0);
        let (hl, hp) = (charts * 0.4, charts * 0.3);
        let hg = charts - hl - hp;
        let mut y = 0.0;
        let mut panel = |h: f64, max: f64, min: f64| {
            let p = Panel {
                title_y: y + TITLE - 5.0,
                top: y + TITLE + 4.0,
                bottom: y + TITLE + h,
                max,
                min,
            };
            y += TITLE + h + 8.0;
            p
        };
        let logits = panel(hl, *LOGIT_RANGE.end(), *LOGIT_RANGE.start());
        let probs = panel(hp, 1.0, 0.0);
        let grad = panel(hg, 1.0, -1.0);
        BarLayout {
            width,
            height,
            logits,
            probs,
            grad,
            names_y: y + NAMES - 10.0,
        }
    }

    /// Left edge of the bars (room for the y-axis labels).
    pub fn left(&self) -> f64 {
        LEFT
    }

    /// Width of one class's column (at least 1).
    pub fn column_width(&self) -> f64 {
        ((self.width - LEFT - RIGHT) / CLASSES as f64).max(1.0)
    }

    /// The centre x of class `j`'s column.
    pub fn column_centre(&self, j: usize) -> f64 {
        LEFT + (j as f64 + 0.5) * self.column_width()
    }

    /// The class whose column holds x pixel `x`, if any.
    pub fn column_at(&self, x: f64) -> Option<usize> {
        if x < LEFT {
            return None;
        }
        let j = ((x - LEFT) / self.column_width()).floor() as usize;
        (j < CLASSES).then_some(j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_and_values_agree() {
        let l = BarLayout::new(846.0, 420.0);
        // 846 − 46 − 10 = 790 px for ten columns: 79 px each.
        assert_eq!(l.column_width(), 79.0);
        assert_eq!(l.column_at(46.0), Some(0));
        assert_eq!(l.column_at(46.0 + 79.0 * 3.5), Some(3));
        assert_eq!(l.column_at(845.0), None);
        assert_eq!(l.column_at(10.0), None);
        let p = l.logits;
        // The logits panel runs from +12 at its top to −12 at its bottom; 0 is halfway.
        assert!((p.y_of(0.0) - (p.top + p.bottom) / 2.0).abs() < 1e-9);
        assert!((p.value_at(p.y_of(4.5)) - 4.5).abs() < 1e-9);
        assert_eq!(p.value_at(p.top - 50.0), 12.0);
        assert!(l.logits.bottom < l.probs.top && l.probs.bottom < l.grad.top);
        assert!(l.names_y <= 420.0);
    }
}
