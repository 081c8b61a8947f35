//! The colour feature: how the image's pixels spread over 10 hues.
//!
//! HOG sees only brightness edges; a histogram of hues says "mostly blue
//! and green" (sky, sea, grass) without saying where. The hue is HSV's, as
//! scikit-image's `rgb2hsv` computes it on bytes scaled by `1/255`: the
//! position on the colour wheel as a fraction of a turn, 0 red, 1/6 yellow,
//! 1/3 green, 1/2 cyan, 2/3 blue, 5/6 magenta. A grey pixel (all channels
//! equal) has no hue; like `rgb2hsv` it counts as 0, red's bin. The bins are
//! `numpy.histogram(hue, bins=10, range=(0, 1))`'s, and the counts are
//! divided by the number of pixels, so the histogram adds up to 1 whatever
//! the image size.

use super::grey::unit;
use crate::data::ImageShape;
use crate::error::{Error, Result};

/// Bins of the hue histogram, each a tenth of the colour wheel.
pub const HUE_BINS: usize = 10;

/// The HSV hue in [0, 1) of a pixel, exactly as `rgb2hsv` computes it (so
/// pixels on a bin's edge fall in the same bin): with `max` and `delta` the
/// largest channel and the spread, the hue is `(g − b)/delta` if red is the
/// largest, `2 + (b − r)/delta` if green is, `4 + (r − g)/delta` if blue is
/// (the last of these that holds wins a tie), over 6, modulo 1. 0 for grey.
pub fn hue(red: u8, green: u8, blue: u8) -> f64 {
    let (r, g, b) = (unit(red), unit(green), unit(blue));
    let max = r.max(g).max(b);
    let delta = max - r.min(g).min(b);
    if delta == 0.0 {
        return 0.0;
    }
    let sextant = if b == max {
        4.0 + (r - g) / delta
    } else if g == max {
        2.0 + (b - r) / delta
    } else {
        (g - b) / delta
    };
    (sextant / 6.0).rem_euclid(1.0)
}

/// The bin of a hue in [0, 1]: as `numpy.histogram` finds it, by the edges
/// `i · 0.1` (`numpy.linspace(0, 1, 11)`, the last edge 1 exactly), the
/// last bin closed on the right.
pub fn hue_bin(hue: f64) -> usize {
    let edge = |i: usize| if i == HUE_BINS { 1.0 } else { i as f64 * 0.1 };
    let mut bin = ((hue * HUE_BINS as f64) as usize).min(HUE_BINS - 1);
    if hue < edge(bin) {
        bin -= 1;
    } else if bin + 1 < HUE_BINS && hue >= edge(bin + 1) {
        bin += 1;
    }
    bin
}

/// The fraction of the pixels of a planar RGB image of `shape` (three
/// channels, as CIFAR-10 stores them) whose hue falls in each bin. Errors
/// for other channel counts or a wrong byte count.
pub fn hue_histogram(image: &[u8], shape: ImageShape) -> Result<[f32; HUE_BINS]> {
    if shape.channels != 3 || image.len() != shape.len() || shape.is_empty() {
        return Err(Error::InvalidData(format!(
            "a hue histogram needs an RGB image: {}×{}×{} is {} bytes, got {}",
            shape.channels,
            shape.height,
            shape.width,
            shape.len(),
            image.len()
        )));
    }
    let plane = shape.height * shape.width;
    let (r, rest) = image.split_at(plane);
    let (g, b) = rest.split_at(plane);
    let mut counts = [0usize; HUE_BINS];
    for ((&r, &g), &b) in r.iter().zip(g).zip(b) {
        counts[hue_bin(hue(r, g, b))] += 1;
    }
    Ok(counts.map(|c| (c as f64 / plane as f64) as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_pure_colours_and_grey() {
        // Red 0, yellow 1/6, green 1/3, cyan 1/2, blue 2/3, magenta 5/6.
        let cases = [
            ((255, 0, 0), 0.0, 0),
            ((255, 255, 0), 1.0 / 6.0, 1),
            ((0, 255, 0), 1.0 / 3.0, 3),
            ((0, 255, 255), 0.5, 5),
            ((0, 0, 255), 2.0 / 3.0, 6),
            ((255, 0, 255), 5.0 / 6.0, 8),
            ((128, 128, 128), 0.0, 0),
        ];
        for ((r, g, b), expected, bin) in cases {
            let h = hue(r, g, b);
            assert!((h - expected).abs() < 1e-15, "{r},{g},{b}: {h}");
            assert_eq!(hue_bin(h), bin, "{r},{g},{b}");
        }
    }

    #[test]
    fn bins_follow_numpy_edges() {
        assert_eq!(hue_bin(0.0), 0);
        assert_eq!(hue_bin(0.0999), 0);
        assert_eq!(hue_bin(0.1), 1);
        // 3 · 0.1 is 0.30000000000000004 in binary, so 0.3 is still bin 2.
        assert_eq!(hue_bin(0.3), 2);
        assert_eq!(hue_bin(0.30000000000000004), 3);
        assert_eq!(hue_bin(0.9999), 9);
        assert_eq!(hue_bin(1.0), 9);
    }

    #[test]
    fn histogram_of_a_two_colour_image_by_hand() {
        // 2×2: three blue pixels (bin 6) and one yellow (bin 1).
        let shape = ImageShape {
            channels: 3,
            height: 2,
            width: 2,
        };
        let image = [0, 0, 0, 200, 0, 0, 0, 200, 90, 90, 90, 0];
        let h = hue_histogram(&image, shape).unwrap();
        let mut expected = [0.0; HUE_BINS];
        expected[6] = 0.75;
        expected[1] = 0.25;
        assert_eq!(h, expected);
        assert!(hue_histogram(&image[..11], shape).is_err());
    }
}
