//! Small pictures shared by the CIFAR-10 lessons: class names and colours,
//! and 32×32 images blitted (nearest-neighbour, crisp) onto a canvas.

use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, ImageData};

use crate::error::WebResult;
use crate::i18n::Key;

/// The class names in label order (飞机 汽车 鸟 猫 鹿 狗 青蛙 马 船 卡车).
pub const CLASS_KEYS: [Key; 10] = [
    Key::ClassAirplane,
    Key::ClassAutomobile,
    Key::ClassBird,
    Key::ClassCat,
    Key::ClassDeer,
    Key::ClassDog,
    Key::ClassFrog,
    Key::ClassHorse,
    Key::ClassShip,
    Key::ClassTruck,
];

/// One colour per class (the "tab10" palette: distinct, and readable on white).
pub const CLASS_COLORS: [[u8; 3]; 10] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [127, 127, 127],
    [188, 189, 34],
    [23, 190, 207],
];

/// The class name key for a label (labels beyond ten have none).
pub fn class_key(label: usize) -> Option<Key> {
    CLASS_KEYS.get(label).copied()
}

/// `rgba` (`width × height` pixels) enlarged `scale` times, each pixel a `scale × scale` block.
pub fn upscale(rgba: &[u8], width: usize, height: usize, scale: usize) -> Vec<u8> {
    let (w, h) = (width * scale, height * scale);
    let mut out = vec![0u8; w * h * 4];
    for y in 0..h {
        for x in 0..w {
            let src = ((y / scale) * width + x / scale) * 4;
            let dst = (y * w + x) * 4;
            out[dst..dst + 4].copy_from_slice(&rgba[src..src + 4]);
        }
    }
    out
}

/// Puts `rgba` enlarged `scale` times at device pixel (`x`, `y`).
pub fn blit(
    context: &CanvasRenderingContext2d,
    rgba: &[u8],
    width: usize,
    height: usize,
    scale: usize,
    at: (f64, f64),
) -> WebResult<()> {
    let scale = scale.max(1);
    let big = upscale(rgba, width, height, scale);
    let image = ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&big),
        (width * scale) as u32,
        (height * scale) as u32,
    )?;
    context.put_image_data(&image, at.0.round(), at.1.round())?;
    Ok(())
}

/// A CSS colour for `rgb`.
pub fn css(rgb: [u8; 3]) -> String {
    format!("rgb({}, {}, {})", rgb[0], rgb[1], rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upscale_repeats_each_pixel_in_a_block() {
        // 2×1 image: red, blue → 4×2 at scale 2.
        let rgba = [255, 0, 0, 255, 0, 0, 255, 255];
        let big = upscale(&rgba, 2, 1, 2);
        let red = [255, 0, 0, 255];
        let blue = [0, 0, 255, 255];
        let expect: Vec<u8> = [red, red, blue, blue, red, red, blue, blue].concat();
        assert_eq!(big, expect);
    }
}
