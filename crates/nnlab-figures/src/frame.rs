//! The plot frame: where the plot rectangle sits in a figure of a given size, and
//! the one mapping between world coordinates and pixels. Every drawing function and
//! the web app's mouse handling go through it, so a click lands where it is drawn.

use nnlab::surfaces::ViewBox;

use crate::axes::{GLYPH_RATIO, TICK_FONT};
use crate::theme::Theme;

/// Margins (left, top, right, bottom) in pixels at scale 1 (an 800×600 figure):
/// room for tick labels and axis names on the left and bottom, a title on top.
const MARGINS: (f64, f64, f64, f64) = (78.0, 56.0, 28.0, 62.0);

/// A figure of `width × height` pixels whose plot rectangle shows `view`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Width of the figure in pixels.
    pub width: u32,
    /// Height of the figure in pixels.
    pub height: u32,
    /// The plot rectangle in pixels: (left, top, right, bottom). World `view.x.0`
    /// maps to `left`, `view.x.1` to `right`, `view.y.1` to `top`, `view.y.0` to `bottom`.
    pub plot: (i32, i32, i32, i32),
    /// The world region the plot rectangle shows.
    pub view: ViewBox,
    /// The colours of background, text and axes ([`Theme::LIGHT`] unless
    /// [`Frame::with_theme`] says otherwise).
    pub theme: Theme,
    /// Text is this much larger than the figure's size alone makes it (1 by
    /// default; a projector asks for more, see [`Frame::with_min_text_px`]).
    text_zoom: f64,
}

impl Frame {
    /// A frame with margins scaled to the figure size (see [`Frame::scale`]).
    pub fn new(width: u32, height: u32, view: ViewBox) -> Frame {
        Frame::with_margins_at(width, height, view, 1.0)
    }

    /// The same frame with text made larger, if needed, so that tick labels
    /// (the smallest text) are at least `px` pixels: the page's presenter mode
    /// asks for 20 so a lecture hall can read them. The margins that hold text
    /// (tick labels, axis names, the title) grow with it, so the plot
    /// rectangle shrinks; lines and markers keep their size.
    pub fn with_min_text_px(self, px: f64) -> Frame {
        let zoom = px * GLYPH_RATIO / (TICK_FONT * self.scale());
        let zoom = if zoom.is_finite() {
            zoom.clamp(1.0, 4.0)
        } else {
            1.0
        };
        Frame {
            theme: self.theme,
            ..Frame::with_margins_at(self.width, self.height, self.view, zoom)
        }
    }

    fn with_margins_at(width: u32, height: u32, view: ViewBox, text_zoom: f64) -> Frame {
        let s = scale_for(width, height) * text_zoom;
        let (w, h) = (width as i32, height as i32);
        let px = |m: f64| (m * s).round() as i32;
        // Tiny figures: keep at least a 1-pixel plot rectangle.
        let left = px(MARGINS.0).min((w - 2).max(0) / 2);
        let right = (w - px(MARGINS.2)).max(left + 1);
        let top = px(MARGINS.1).min((h - 2).max(0) / 2);
        let bottom = (h - px(MARGINS.3)).max(top + 1);
        Frame {
            width,
            height,
            plot: (left, top, right, bottom),
            view,
            theme: Theme::LIGHT,
            text_zoom,
        }
    }

    /// The same frame drawn in `theme` (the web app's dark page).
    pub fn with_theme(self, theme: Theme) -> Frame {
        Frame { theme, ..self }
    }

    /// Size factor for text, markers and line widths: 1 for 800×600, 1.5 for
    /// 1200×900 (clamped to [0.5, 4]).
    pub fn scale(&self) -> f64 {
        scale_for(self.width, self.height)
    }

    /// Size factor for text and the margins around it: [`Frame::scale`]
    /// times the text zoom (see [`Frame::with_min_text_px`]).
    pub fn text_scale(&self) -> f64 {
        self.scale() * self.text_zoom
    }

    /// Width and height of the plot rectangle in pixels.
    pub fn plot_size(&self) -> (u32, u32) {
        let (l, t, r, b) = self.plot;
        ((r - l) as u32, (b - t) as u32)
    }

    /// World point → exact (fractional) pixel position.
    pub fn to_pixel_f(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let (l, t, r, b) = self.plot;
        let (x0, x1) = span(self.view.x);
        let (y0, y1) = span(self.view.y);
        (
            l as f64 + (x - x0) / (x1 - x0) * (r - l) as f64,
            b as f64 - (y - y0) / (y1 - y0) * (b - t) as f64,
        )
    }

    /// World point → nearest pixel. Far-away points saturate at ±10⁷ px (still off
    /// screen, never overflowing); NaN maps to 0, so skip non-finite points first.
    pub fn to_pixel(&self, p: (f64, f64)) -> (i32, i32) {
        let (x, y) = self.to_pixel_f(p);
        let round = |v: f64| v.round().clamp(-1e7, 1e7) as i32;
        (round(x), round(y))
    }

    /// Pixel position (fractional allowed) → world point: the inverse of
    /// [`Frame::to_pixel_f`], and `to_pixel(from_pixel(p)) == p` for whole pixels.
    pub fn from_pixel(&self, (px, py): (f64, f64)) -> (f64, f64) {
        let (l, t, r, b) = self.plot;
        let (x0, x1) = span(self.view.x);
        let (y0, y1) = span(self.view.y);
        (
            x0 + (px - l as f64) / (r - l) as f64 * (x1 - x0),
            y0 + (b as f64 - py) / (b - t) as f64 * (y1 - y0),
        )
    }

    /// Whether a fractional pixel position lies inside the plot rectangle (edges included).
    pub fn in_plot(&self, (px, py): (f64, f64)) -> bool {
        let (l, t, r, b) = self.plot;
        px >= l as f64 && px <= r as f64 && py >= t as f64 && py <= b as f64
    }
}

fn scale_for(width: u32, height: u32) -> f64 {
    (width as f64 / 800.0)
        .min(height as f64 / 600.0)
        .clamp(0.5, 4.0)
}

/// A usable axis range: an empty or non-finite one becomes 0..1 so that nothing divides by zero.
fn span((a, b): (f64, f64)) -> (f64, f64) {
    if a.is_finite() && b.is_finite() && b > a {
        (a, b)
    } else {
        (0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> ViewBox {
        ViewBox {
            x: (-2.0, 2.0),
            y: (-1.0, 3.0),
        }
    }

    #[test]
    fn margins_scale_with_the_figure() {
        // 800×600 → scale 1: plot = (78, 56, 800 − 28, 600 − 62).
        let f = Frame::new(800, 600, view());
        assert_eq!(f.plot, (78, 56, 772, 538));
        assert_eq!(f.plot_size(), (694, 482));
        // 1200×900 → scale 1.5: (117, 84, 1200 − 42, 900 − 93).
        assert_eq!(Frame::new(1200, 900, view()).plot, (117, 84, 1158, 807));
        assert_eq!(Frame::new(1200, 900, view()).scale(), 1.5);
    }

    #[test]
    fn text_zoom_grows_text_and_its_margins_only() {
        // Ticks are 18 / 1.24 = 14.52 px at scale 1; asking for 21.77 px
        // (27 / 1.24) zooms text 1.5×: margins as a 1200×900 figure's,
        // (117, 84, 42, 93), inside the same 800×600; lines keep scale 1.
        let f = Frame::new(800, 600, view()).with_min_text_px(27.0 / 1.24);
        assert_eq!(f.plot, (117, 84, 758, 507));
        assert_eq!(f.scale(), 1.0);
        assert!((f.text_scale() - 1.5).abs() < 1e-12);
        // Text already that large (or a request that is not a number) is left as it is.
        let big = Frame::new(1600, 1200, view());
        assert_eq!(big.with_min_text_px(20.0), big);
        assert_eq!(
            Frame::new(800, 600, view())
                .with_min_text_px(f64::NAN)
                .text_scale(),
            1.0
        );
    }

    #[test]
    fn corners_map_to_the_plot_rectangle() {
        let f = Frame::new(800, 600, view());
        assert_eq!(f.to_pixel((-2.0, -1.0)), (78, 538));
        assert_eq!(f.to_pixel((2.0, 3.0)), (772, 56));
        // Centre (0, 1) → ((78 + 772)/2, (56 + 538)/2) = (425, 297).
        assert_eq!(f.to_pixel((0.0, 1.0)), (425, 297));
    }

    #[test]
    fn pixel_round_trip_is_exact() {
        for (w, h) in [(800, 600), (1200, 900), (333, 217), (40, 30)] {
            let f = Frame::new(w, h, view());
            let (l, t, r, b) = f.plot;
            for py in t..=b {
                for px in l..=r {
                    let world = f.from_pixel((px as f64, py as f64));
                    assert_eq!(f.to_pixel(world), (px, py), "{w}×{h}");
                }
            }
        }
    }

    #[test]
    fn world_round_trip_is_exact_to_rounding() {
        let f = Frame::new(1200, 900, view());
        for k in 0..=100 {
            let p = (-2.0 + 0.04 * k as f64, 3.0 - 0.037 * k as f64);
            let back = f.from_pixel(f.to_pixel_f(p));
            assert!(
                (back.0 - p.0).abs() < 1e-12 && (back.1 - p.1).abs() < 1e-12,
                "{p:?} → {back:?}"
            );
        }
    }

    #[test]
    fn far_and_broken_inputs_stay_finite() {
        let f = Frame::new(800, 600, view());
        assert_eq!(f.to_pixel((1e300, -1e300)), (10_000_000, 10_000_000));
        assert_eq!(f.to_pixel((f64::NAN, 0.0)).0, 0);
        let flat = Frame::new(
            800,
            600,
            ViewBox {
                x: (1.0, 1.0),
                y: (f64::NAN, 2.0),
            },
        );
        let p = flat.to_pixel_f((0.5, 0.5));
        assert!(p.0.is_finite() && p.1.is_finite());
        let tiny = Frame::new(3, 2, view());
        assert!(tiny.plot.2 > tiny.plot.0 && tiny.plot.3 > tiny.plot.1);
    }
}
