//! Shrinking an image by area averaging: each output pixel is the mean of
//! the part of the input it covers, an input pixel that straddles two output
//! pixels counting in each by the share of it that falls there.
//!
//! The arithmetic is exact in integers. Scaled by the output size, input
//! column `i` spans `[i · out_w, (i + 1) · out_w)` and output column `o`
//! spans `[o · in_w, (o + 1) · in_w)`; their overlap is the column's weight,
//! and an output pixel's weights add up to `in_w · in_h`. Rows likewise.

use super::crop::check_size;
use crate::error::{Error, Result};

/// An area average fed a band of input rows at a time, top to bottom (the
/// page reads a large photo's pixels in bands, never all at once).
#[derive(Clone, Debug)]
pub struct AreaAverage {
    in_w: usize,
    in_h: usize,
    out_w: usize,
    out_h: usize,
    /// Σ weight · value per output pixel and channel (RGBA).
    sums: Vec<u64>,
    /// One input row's weighted sums per output column (reused).
    row: Vec<u64>,
    /// Input rows added so far (the next one expected).
    rows_done: usize,
}

/// The output cells (and their weights) that input cell `i` overlaps, with
/// `n_in` input cells shrunk to `n_out`.
fn overlaps(i: usize, n_in: usize, n_out: usize) -> impl Iterator<Item = (usize, u64)> {
    let (start, end) = (i * n_out, (i + 1) * n_out);
    let first = start / n_in;
    let last = (end - 1) / n_in;
    (first..=last).map(move |o| {
        let weight = end.min((o + 1) * n_in) - start.max(o * n_in);
        (o, weight as u64)
    })
}

impl AreaAverage {
    /// An average of an `in_w × in_h` image into `out_w × out_h` pixels.
    /// Errors if a side is 0 or the input is larger than
    /// [`MAX_PIXELS`](super::MAX_PIXELS).
    pub fn new(in_w: usize, in_h: usize, out_w: usize, out_h: usize) -> Result<AreaAverage> {
        check_size(in_w, in_h)?;
        if out_w == 0 || out_h == 0 {
            return Err(Error::OutOfRange {
                what: "output size",
                detail: format!("{out_w} × {out_h}: every side needs at least 1 pixel"),
            });
        }
        Ok(AreaAverage {
            in_w,
            in_h,
            out_w,
            out_h,
            sums: vec![0; out_w * out_h * 4],
            row: vec![0; out_w * 4],
            rows_done: 0,
        })
    }

    /// Adds input rows `first, first + 1, …` (`rgba` holds whole rows of
    /// `in_w · 4` bytes). Errors, adding nothing, unless `first` is the row
    /// after the last one added and the rows fit in the image.
    pub fn add_rows(&mut self, first: usize, rgba: &[u8]) -> Result<()> {
        let stride = self.in_w * 4;
        if first != self.rows_done || !rgba.len().is_multiple_of(stride) {
            return Err(Error::InvalidData(format!(
                "expected whole rows of {stride} bytes from row {}, got {} bytes from row {first}",
                self.rows_done,
                rgba.len()
            )));
        }
        let rows = rgba.len() / stride;
        if first + rows > self.in_h {
            return Err(Error::OutOfRange {
                what: "image row",
                detail: format!("rows up to {} of an image of {}", first + rows, self.in_h),
            });
        }
        for (k, pixels) in rgba.chunks_exact(stride).enumerate() {
            self.add_row(first + k, pixels);
        }
        self.rows_done += rows;
        Ok(())
    }

    fn add_row(&mut self, y: usize, pixels: &[u8]) {
        self.row.fill(0);
        for (x, px) in pixels.chunks_exact(4).enumerate() {
            for (o, w) in overlaps(x, self.in_w, self.out_w) {
                for (sum, &v) in self.row[o * 4..o * 4 + 4].iter_mut().zip(px) {
                    *sum += w * u64::from(v);
                }
            }
        }
        for (oy, wy) in overlaps(y, self.in_h, self.out_h) {
            let line = &mut self.sums[oy * self.out_w * 4..(oy + 1) * self.out_w * 4];
            for (sum, &r) in line.iter_mut().zip(&self.row) {
                *sum += wy * r;
            }
        }
    }

    /// The `out_w × out_h` RGBA result, each value rounded to the nearest
    /// byte (halves up). Errors unless every input row was added.
    pub fn finish(self) -> Result<Vec<u8>> {
        if self.rows_done != self.in_h {
            return Err(Error::InvalidData(format!(
                "{} of the image's {} rows were added",
                self.rows_done, self.in_h
            )));
        }
        let total = (self.in_w * self.in_h) as u64;
        Ok(self
            .sums
            .iter()
            .map(|&s| ((s + total / 2) / total).min(255) as u8)
            .collect())
    }
}

/// `rgba` (`in_w × in_h`) area-averaged to `out_w × out_h` in one call.
pub fn area_average(
    rgba: &[u8],
    in_w: usize,
    in_h: usize,
    out_w: usize,
    out_h: usize,
) -> Result<Vec<u8>> {
    let mut average = AreaAverage::new(in_w, in_h, out_w, out_h)?;
    average.add_rows(0, rgba)?;
    average.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Grey pixels of the given values, opaque.
    fn grey(values: &[u8]) -> Vec<u8> {
        values.iter().flat_map(|&v| [v, v, v, 255]).collect()
    }

    /// The red channel of an RGBA result.
    fn reds(rgba: &[u8]) -> Vec<u8> {
        rgba.chunks_exact(4).map(|p| p[0]).collect()
    }

    #[test]
    fn two_by_two_into_one_is_the_mean() {
        // (10 + 20 + 30 + 40) / 4 = 25.
        let out = area_average(&grey(&[10, 20, 30, 40]), 2, 2, 1, 1).unwrap();
        assert_eq!(out, vec![25, 25, 25, 255]);
    }

    #[test]
    fn straddling_pixels_count_by_the_share_they_cover() {
        // 3 → 2: output 0 covers input 0 whole and half of input 1; with the
        // scaled weights, input 0 counts 2, input 1 counts 1 (and 1, 2 for
        // output 1). Rows the same. The 3×3 image
        //     0  30  60
        //    90 120 150
        //   180 210 240
        // top-left:     2·(2·0 + 30)   + 1·(2·90 + 120)  = 360  → 360 / 9 = 40
        // top-right:    2·(30 + 2·60)  + 1·(120 + 2·150) = 720  → 80
        // bottom-left:  1·(2·90 + 120) + 2·(2·180 + 210) = 1440 → 160
        // bottom-right: 1·(120 + 2·150) + 2·(210 + 2·240) = 1800 → 200
        let image = grey(&[0, 30, 60, 90, 120, 150, 180, 210, 240]);
        let out = area_average(&image, 3, 3, 2, 2).unwrap();
        assert_eq!(reds(&out), vec![40, 80, 160, 200]);
    }

    #[test]
    fn a_smaller_image_is_enlarged_in_blocks() {
        // 2×1 → 4×2: each input pixel fills two columns of both rows.
        let out = area_average(&grey(&[7, 200]), 2, 1, 4, 2).unwrap();
        assert_eq!(reds(&out), vec![7, 7, 200, 200, 7, 7, 200, 200]);
    }

    #[test]
    fn halves_round_up_and_channels_stay_apart() {
        // (255, 0, 10, 255) and (0, 255, 11, 255) → (127.5, 127.5, 10.5, 255) → (128, 128, 11, 255).
        let rgba = [255, 0, 10, 255, 0, 255, 11, 255];
        assert_eq!(
            area_average(&rgba, 2, 1, 1, 1).unwrap(),
            vec![128, 128, 11, 255]
        );
    }

    #[test]
    fn bands_give_the_same_result_as_the_whole() {
        // 5×7 → 2×3 (nothing divides evenly): rows 0–2, 3, 4–6 in three bands.
        let values: Vec<u8> = (0..35).map(|v| (v * 7) as u8).collect();
        let image = grey(&values);
        let whole = area_average(&image, 5, 7, 2, 3).unwrap();
        let mut banded = AreaAverage::new(5, 7, 2, 3).unwrap();
        let stride = 5 * 4;
        banded.add_rows(0, &image[..3 * stride]).unwrap();
        banded.add_rows(3, &image[3 * stride..4 * stride]).unwrap();
        banded.add_rows(4, &image[4 * stride..]).unwrap();
        assert_eq!(banded.finish().unwrap(), whole);
        // Top-left covers columns 0, 1 and half of 2, rows 0, 1 and a third of 2
        // (weights 2, 2, 1 across and 3, 3, 1 down, of 5 · 7 = 35):
        // row 0: 2·0 + 2·7 + 14 = 28; row 1: 2·35 + 2·42 + 49 = 203; row 2: 2·70 + 2·77 + 84 = 378
        // (3·28 + 3·203 + 378) / 35 = 1071 / 35 = 30.6 → 31.
        assert_eq!(whole[0], 31);
    }

    #[test]
    fn rows_out_of_order_or_missing_are_errors() {
        let image = grey(&[1, 2, 3, 4]);
        let mut average = AreaAverage::new(2, 2, 1, 1).unwrap();
        // Not whole rows; not the next row; past the end.
        assert!(average.add_rows(0, &image[..4]).is_err());
        assert!(average.add_rows(1, &image[..8]).is_err());
        assert!(average
            .add_rows(0, &[image.clone(), image.clone()].concat())
            .is_err());
        average.add_rows(0, &image[..8]).unwrap();
        let err = average.finish().unwrap_err().to_string();
        assert!(err.contains("1 of the image's 2 rows"), "{err}");
        assert!(AreaAverage::new(2, 2, 0, 32).is_err());
        assert!(AreaAverage::new(0, 2, 32, 32).is_err());
    }
}
