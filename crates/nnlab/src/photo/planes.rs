//! Interleaved RGBA pixels (a canvas's `ImageData`) into the planar layout of
//! a CIFAR-10 record: all red bytes row by row, then all green, then all blue.

use crate::error::{Error, Result};

/// `rgba` (`width × height` pixels, 4 bytes each) as its R plane, G plane and
/// B plane, `width · height` bytes each — for a 32×32 image the 3072 bytes of
/// a CIFAR-10 record. Alpha is dropped: the page draws a photo on white
/// first, so a transparent part arrives as white. Errors if `rgba` is not
/// `width · height · 4` bytes.
pub fn rgba_to_planes(rgba: &[u8], width: usize, height: usize) -> Result<Vec<u8>> {
    let plane = width * height;
    if rgba.len() != plane * 4 {
        return Err(Error::InvalidData(format!(
            "{width} × {height} RGBA pixels are {} bytes, got {}",
            plane * 4,
            rgba.len()
        )));
    }
    let mut out = vec![0u8; plane * 3];
    for (p, px) in rgba.chunks_exact(4).enumerate() {
        for c in 0..3 {
            out[c * plane + p] = px[c];
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgba_becomes_three_planes() {
        // 2×1: (1, 2, 3, a) and (4, 5, 6, a) → R [1, 4], G [2, 5], B [3, 6].
        let rgba = [1, 2, 3, 255, 4, 5, 6, 0];
        assert_eq!(rgba_to_planes(&rgba, 2, 1).unwrap(), vec![1, 4, 2, 5, 3, 6]);
        let err = rgba_to_planes(&rgba, 3, 1).unwrap_err().to_string();
        assert!(err.contains("are 12 bytes, got 8"), "{err}");
    }

    #[test]
    fn a_cifar_sized_image_is_3072_bytes_in_record_order() {
        // Pixel p of a 32×32 image has R = p % 256, G = 1, B = 2: the R plane is
        // 0, 1, …, 255, 0, …; byte 1024 starts the G plane, byte 2048 the B plane.
        let rgba: Vec<u8> = (0..1024)
            .flat_map(|p| [(p % 256) as u8, 1, 2, 255])
            .collect();
        let planes = rgba_to_planes(&rgba, 32, 32).unwrap();
        assert_eq!(planes.len(), 3072);
        assert_eq!(&planes[..3], &[0, 1, 2]);
        assert_eq!(planes[1023], 255);
        assert_eq!(&planes[1022..1026], &[254, 255, 1, 1]);
        assert_eq!(&planes[2046..2050], &[1, 1, 2, 2]);
    }
}
