//! A small, learnable stand-in for CIFAR-10 while the real images are not
//! loaded: 32 × 32 colour images of noise, each with one coloured patch whose
//! colour and place are set by its class. Made like CIFAR-10 (bytes, planar
//! channels, ten classes), so the training loop runs on it unchanged.

use nnlab::data::{Dataset, ImageShape};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Images in the stand-in set.
pub const SAMPLES: usize = 2000;
/// Side of the coloured patch, in pixels.
const PATCH: usize = 8;
/// How far (in pixels, each way) a patch may wander from its class's place.
const JITTER: usize = 2;
/// The colour of each class's patch.
pub const COLORS: [[u8; 3]; 10] = [
    [230, 40, 40],
    [40, 200, 60],
    [50, 80, 230],
    [240, 220, 40],
    [220, 60, 220],
    [40, 210, 220],
    [250, 140, 30],
    [250, 250, 250],
    [140, 80, 30],
    [120, 120, 255],
];

/// Top-left corner of class `c`'s patch: a 4 × 3 grid of places, 10 used.
fn place(c: usize) -> (usize, usize) {
    let (col, row) = (c % 4, c / 4);
    (2 + col * 6, 3 + row * 9)
}

/// The stand-in set: `SAMPLES` images, classes in turn, drawn from `seed`.
pub fn dataset(seed: u64) -> Dataset {
    let shape = ImageShape::CIFAR;
    let plane = shape.height * shape.width;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut images = Vec::with_capacity(SAMPLES * shape.len());
    let mut labels = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let class = i % 10;
        let mut image: Vec<u8> = (0..shape.len())
            .map(|_| rng.random_range(20..110))
            .collect();
        let (x0, y0) = place(class);
        let dx = rng.random_range(0..=2 * JITTER);
        let dy = rng.random_range(0..=2 * JITTER);
        for y in y0 + dy - JITTER..y0 + dy - JITTER + PATCH {
            for x in x0 + dx - JITTER..x0 + dx - JITTER + PATCH {
                for (c, &v) in COLORS[class].iter().enumerate() {
                    image[c * plane + y * shape.width + x] = v;
                }
            }
        }
        images.extend_from_slice(&image);
        labels.push(class as u8);
    }
    let names = (0..10).map(|c| c.to_string()).collect();
    Dataset::new(images, labels, shape, names).expect("the stand-in set is well formed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_stay_inside_the_image_and_carry_the_class_colour() {
        // A patch spans x0 − JITTER .. x0 + JITTER + PATCH at the most; the farthest
        // place, class 3 at x0 = 2 + 3·6 = 20, ends at 30 ≤ 32; rows: 3 + 2·9 + 10 = 31.
        for c in 0..10 {
            let (x0, y0) = place(c);
            assert!(x0 >= JITTER && y0 >= JITTER);
            assert!(
                x0 + JITTER + PATCH <= 32 && y0 + JITTER + PATCH <= 32,
                "class {c}"
            );
        }
        let data = dataset(3);
        assert_eq!(data.len(), SAMPLES);
        assert_eq!(data.label_counts(), vec![SAMPLES / 10; 10]);
        // Image 7 is class 7 (white patch): its centre of the place is white in all channels.
        let image = data.image(7);
        let (x0, y0) = place(7);
        let centre = (y0 + PATCH / 2) * 32 + x0 + PATCH / 2;
        assert_eq!(
            [image[centre], image[1024 + centre], image[2048 + centre]],
            COLORS[7]
        );
    }
}
