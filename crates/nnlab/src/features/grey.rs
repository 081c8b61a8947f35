//! A colour image as one grey channel, the input of [`super::hog`].
//!
//! The weights are scikit-image's `rgb2gray` (ITU-R BT.709 luma: green
//! counts most, blue least), applied as it applies them: bytes scaled by
//! `1/255` into [0, 1] first (its `img_as_float`), then
//! `0.2125·R + 0.7154·G + 0.0721·B`. The weights add up to 1, so a grey
//! pixel keeps its value and brightening every channel by the same amount
//! brightens the grey by that amount. HOG then sees edges of brightness
//! only: a red–green border of equal luma is invisible to it (the hue
//! histogram sees colour instead).

use crate::data::ImageShape;
use crate::error::{Error, Result};

/// `rgb2gray`'s weights for red, green and blue.
pub const LUMA_WEIGHTS: [f64; 3] = [0.2125, 0.7154, 0.0721];

/// A byte in [0, 1] as scikit-image's `img_as_float` computes it: times
/// `1/255`, not divided by 255 (the two differ in the last bit for some
/// bytes, and the reference values come from the former).
pub fn unit(byte: u8) -> f64 {
    f64::from(byte) * (1.0 / 255.0)
}

/// The grey image, `height · width` values in [0, 1] row by row, of a planar
/// image of `shape` (channel by channel, as CIFAR-10 stores it). Three
/// channels are weighed with [`LUMA_WEIGHTS`]; one channel is grey already.
/// Other channel counts, or bytes that are not one image, are an error.
pub fn grey(image: &[u8], shape: ImageShape) -> Result<Vec<f64>> {
    if image.len() != shape.len() {
        return Err(Error::InvalidData(format!(
            "an image of {}×{}×{} needs {} bytes, got {}",
            shape.channels,
            shape.height,
            shape.width,
            shape.len(),
            image.len()
        )));
    }
    let plane = shape.height * shape.width;
    match shape.channels {
        1 => Ok(image.iter().map(|&b| unit(b)).collect()),
        3 => {
            let (r, rest) = image.split_at(plane);
            let (g, b) = rest.split_at(plane);
            let [wr, wg, wb] = LUMA_WEIGHTS;
            Ok(r.iter()
                .zip(g)
                .zip(b)
                .map(|((&r, &g), &b)| unit(r) * wr + unit(g) * wg + unit(b) * wb)
                .collect())
        }
        n => Err(Error::InvalidData(format!(
            "a grey image is made from 1 or 3 channels, not {n}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_PIXELS: ImageShape = ImageShape {
        channels: 3,
        height: 1,
        width: 2,
    };

    #[test]
    fn grey_pixels_keep_their_value_and_colours_are_weighed() {
        // Pixel 0 is grey 51 = 0.2 (the weights add up to 1); pixel 1 is pure
        // green, whose grey is green's weight.
        let image = [51, 0, 51, 255, 51, 0];
        let grey = grey(&image, TWO_PIXELS).unwrap();
        assert!((grey[0] - 0.2).abs() < 1e-15, "{grey:?}");
        assert!((grey[1] - 0.7154).abs() < 1e-15, "{grey:?}");
    }

    #[test]
    fn wrong_sizes_and_channel_counts_are_refused() {
        assert!(grey(&[0; 5], TWO_PIXELS).is_err());
        let two_channels = ImageShape {
            channels: 2,
            ..TWO_PIXELS
        };
        let err = grey(&[0; 4], two_channels).unwrap_err();
        assert!(err.to_string().contains("not 2"), "{err}");
    }
}
