//! Colours: loss → a perceptual colour map, and a palette for optimiser tracks.
//!
//! The heat map uses viridis (matplotlib's default): its lightness rises steadily,
//! so "darker = lower loss" reads the same in colour, in grey-scale print and for
//! colour-blind students. The control points come from plotters' own `ViridisRGB`.

use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
use std::sync::OnceLock;

/// Entries in the lookup table; more than the 8-bit channels can tell apart.
const LUT_SIZE: usize = 256;

fn lut() -> &'static [[u8; 3]; LUT_SIZE] {
    static LUT: OnceLock<[[u8; 3]; LUT_SIZE]> = OnceLock::new();
    LUT.get_or_init(|| {
        let mut table = [[0u8; 3]; LUT_SIZE];
        for (i, entry) in table.iter_mut().enumerate() {
            let c = ViridisRGB.get_color(i as f64 / (LUT_SIZE - 1) as f64);
            *entry = [c.0, c.1, c.2];
        }
        table
    })
}

/// Viridis colour of `t` ∈ [0, 1]: 0 = dark purple (low loss), 1 = yellow (high loss).
/// Values outside are clamped; NaN counts as "high" (it is not a valid low loss).
pub fn color(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 1.0 } else { t.clamp(0.0, 1.0) };
    lut()[(t * (LUT_SIZE - 1) as f64).round() as usize]
}

/// Track colours that stand out on every part of viridis (none is purple, teal,
/// green or yellow). Indexed by the caller, e.g. by optimiser.
pub const TRACK_COLORS: [[u8; 3]; 6] = [
    [240, 60, 60],   // red
    [255, 255, 255], // white
    [255, 150, 30],  // orange
    [235, 90, 235],  // magenta
    [140, 210, 255], // sky blue
    [255, 175, 175], // pink
];

/// The `i`-th track colour, cycling through [`TRACK_COLORS`].
pub fn track_color(i: usize) -> [u8; 3] {
    TRACK_COLORS[i % TRACK_COLORS.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance (Rec. 709 weights) of an sRGB colour, in 0..=255 units.
    fn luma(c: [u8; 3]) -> f64 {
        0.2126 * c[0] as f64 + 0.7152 * c[1] as f64 + 0.0722 * c[2] as f64
    }

    #[test]
    fn ends_are_viridis_purple_and_yellow() {
        // First and last control points of matplotlib's viridis (as in plotters).
        assert_eq!(color(0.0), [68, 1, 84]);
        assert_eq!(color(1.0), [254, 232, 37]);
    }

    #[test]
    fn lightness_rises_with_loss() {
        let mut last = -1.0;
        for k in 0..=20 {
            let l = luma(color(k as f64 / 20.0));
            assert!(l > last, "luma not increasing at t = {}", k as f64 / 20.0);
            last = l;
        }
    }

    #[test]
    fn out_of_range_and_nan_are_clamped() {
        assert_eq!(color(-3.0), color(0.0));
        assert_eq!(color(7.0), color(1.0));
        assert_eq!(color(f64::NAN), color(1.0));
        assert_eq!(color(f64::NEG_INFINITY), color(0.0));
    }

    #[test]
    fn track_colours_cycle() {
        assert_eq!(track_color(0), [240, 60, 60]);
        assert_eq!(track_color(6), track_color(0));
        assert_eq!(track_color(8), [255, 150, 30]);
    }
}
