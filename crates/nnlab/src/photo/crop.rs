//! The largest centred square of a photo: CIFAR-10's images are square, and
//! squeezing a 4:3 photo into a square would make everything in it thinner.

use crate::error::{Error, Result};

/// The most pixels a photo may have: 40 megapixels (a 7,300 × 5,500 photo),
/// more than phones take by default. Past that the decoded image alone would
/// take 160 MB of the browser's memory.
pub const MAX_PIXELS: u64 = 40_000_000;

/// A square part of an image: `side × side` pixels from column `x`, row `y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CropRect {
    /// The left column.
    pub x: usize,
    /// The top row.
    pub y: usize,
    /// Width and height.
    pub side: usize,
}

/// Errors unless a `width × height` image is at least 1×1 and at most
/// [`MAX_PIXELS`].
pub fn check_size(width: usize, height: usize) -> Result<()> {
    if width == 0 || height == 0 {
        return Err(Error::InvalidData(format!(
            "an image of {width} × {height} pixels has nothing to show"
        )));
    }
    let pixels = width as u64 * height as u64;
    if pixels > MAX_PIXELS {
        return Err(Error::OutOfRange {
            what: "image size",
            detail: format!("{width} × {height} is {pixels} pixels; at most {MAX_PIXELS} are read"),
        });
    }
    Ok(())
}

/// The largest square centred in a `width × height` image (the side is the
/// shorter side; an odd leftover pixel goes to the right or the bottom).
/// Errors like [`check_size`].
pub fn centre_square(width: usize, height: usize) -> Result<CropRect> {
    check_size(width, height)?;
    let side = width.min(height);
    Ok(CropRect {
        x: (width - side) / 2,
        y: (height - side) / 2,
        side,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_square_is_the_shorter_side_centred() {
        // A phone's 4032 × 3024 photo: (4032 − 3024) / 2 = 504 columns off each side.
        assert_eq!(
            centre_square(4032, 3024).unwrap(),
            CropRect {
                x: 504,
                y: 0,
                side: 3024
            }
        );
        // Portrait 3 × 8: (8 − 3) / 2 = 2 rows above, 3 below.
        assert_eq!(
            centre_square(3, 8).unwrap(),
            CropRect {
                x: 0,
                y: 2,
                side: 3
            }
        );
        // Square already: all of it.
        assert_eq!(
            centre_square(32, 32).unwrap(),
            CropRect {
                x: 0,
                y: 0,
                side: 32
            }
        );
    }

    #[test]
    fn empty_and_huge_images_are_refused() {
        assert!(centre_square(0, 10).is_err());
        assert!(centre_square(10, 0).is_err());
        // 8000 × 5001 = 40,008,000 > 40,000,000; 8000 × 5000 is allowed.
        let err = centre_square(8000, 5001).unwrap_err().to_string();
        assert!(err.contains("40008000 pixels"), "{err}");
        assert!(centre_square(8000, 5000).is_ok());
    }
}
