//! A photo of the student's own, made into what the network reads: the
//! largest centred square ([`centre_square`]), shrunk to CIFAR-10's 32×32 by
//! an area average ([`AreaAverage`]), laid out as the R, G and B planes of a
//! CIFAR-10 record ([`rgba_to_planes`]) — 3072 bytes, which the network reads
//! as byte / 255 like every CIFAR-10 image.
//!
//! **Why here and not in the browser's canvas.** A canvas `drawImage` to
//! 32×32 with `imageSmoothingQuality = "high"` is quick, but what it computes
//! is up to each browser (Chrome samples a mipmap, others a bilinear filter
//! that skips most of a large photo's pixels), so the 32×32 a student sees
//! would differ between browsers and could not be tested. The area average is
//! the plain definition of shrinking — each of the 32×32 pixels is the mean of
//! the part of the photo it covers, partial pixels weighted by the share they
//! cover — exact in integers, the same everywhere, and tested here with
//! values worked out by hand. The browser only decodes the file and hands
//! over the crop's pixels, a band of rows at a time, so even a 40-megapixel
//! photo never needs its whole RGBA copy in memory at once.

mod area_average;
mod crop;
mod planes;

pub use area_average::{area_average, AreaAverage};
pub use crop::{centre_square, check_size, CropRect, MAX_PIXELS};
pub use planes::rgba_to_planes;

/// The side of a CIFAR-10 image, which a photo is shrunk to.
pub const CIFAR_SIDE: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_photo_becomes_a_cifar_record() {
        // A 6×4 photo: two columns of red on the left, two of green in the
        // middle, two of blue on the right. The centre square is the 4×4 from
        // column 1: one red column, two green, one blue.
        let (w, h) = (6, 4);
        let mut rgba = Vec::new();
        for _ in 0..h {
            for x in 0..w {
                let px = match x {
                    0 | 1 => [255, 0, 0, 255],
                    2 | 3 => [0, 255, 0, 255],
                    _ => [0, 0, 255, 255],
                };
                rgba.extend_from_slice(&px);
            }
        }
        let crop = centre_square(w, h).unwrap();
        assert_eq!(
            crop,
            CropRect {
                x: 1,
                y: 0,
                side: 4
            }
        );
        let mut shrink = AreaAverage::new(crop.side, crop.side, 2, 2).unwrap();
        for y in 0..crop.side {
            let start = (y * w + crop.x) * 4;
            shrink
                .add_rows(y, &rgba[start..start + crop.side * 4])
                .unwrap();
        }
        // Each output pixel covers 2×2: left = red + green → (128, 128, 0)
        // (127.5 rounds up), right = green + blue → (0, 128, 128).
        let small = shrink.finish().unwrap();
        assert_eq!(
            small,
            vec![
                128, 128, 0, 255, 0, 128, 128, 255, //
                128, 128, 0, 255, 0, 128, 128, 255,
            ]
        );
        // R plane, then G, then B, row by row.
        assert_eq!(
            rgba_to_planes(&small, 2, 2).unwrap(),
            vec![128, 0, 128, 0, 128, 128, 128, 128, 0, 128, 0, 128]
        );
    }
}
