//! Two small 2-D data sets a student can see whole: two interleaved half
//! moons, or a ring around a disc. Each point has a class, 0 or 1; the points
//! are drawn from a seeded stream, so a seed always gives the same picture.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// Which picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Two interleaved half moons.
    Moons,
    /// A ring around a disc.
    Circles,
}

impl Shape {
    /// Both shapes, in menu order.
    pub const ALL: [Shape; 2] = [Shape::Moons, Shape::Circles];

    /// The name used in links.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Moons => "moons",
            Shape::Circles => "circles",
        }
    }

    /// The shape whose [`Shape::name`] is `name`, if any.
    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Points and their classes, in the same order.
#[derive(Clone, Debug, PartialEq)]
pub struct ToyData {
    /// Each point's (x, y).
    pub points: Vec<[f32; 2]>,
    /// Each point's class, 0 or 1.
    pub labels: Vec<usize>,
}

impl ToyData {
    /// `per_class` points of each class with Gaussian noise of `noise`
    /// (standard deviation, in the data's units), classes interleaved
    /// (0, 1, 0, 1, …). Both shapes are centred on the origin and fit in
    /// [−1.6, 1.6] × [−1.2, 1.2] up to the noise.
    pub fn generate(shape: Shape, per_class: usize, noise: f64, seed: u64) -> ToyData {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // A zero or invalid noise simply means exact points.
        let jitter = Normal::new(0.0, noise.max(0.0)).ok();
        let mut points = Vec::with_capacity(2 * per_class);
        let mut labels = Vec::with_capacity(2 * per_class);
        for _ in 0..per_class {
            for class in 0..2 {
                let t: f64 = rng.random_range(0.0..1.0);
                let [x, y] = match shape {
                    // The classic pair: the upper arc of a unit circle, and a
                    // lower arc shifted right by 1 and up by 0.5, then centred.
                    Shape::Moons => {
                        let angle = std::f64::consts::PI * t;
                        if class == 0 {
                            [angle.cos() - 0.5, angle.sin() - 0.25]
                        } else {
                            [1.0 - angle.cos() - 0.5, 0.5 - angle.sin() - 0.25]
                        }
                    }
                    // A disc of radius 0.5 inside a ring of radius 1.1.
                    Shape::Circles => {
                        let angle = 2.0 * std::f64::consts::PI * t;
                        let r = if class == 0 { 1.1 } else { 0.5 };
                        [r * angle.cos(), r * angle.sin()]
                    }
                };
                let (dx, dy) = match jitter {
                    Some(n) => (n.sample(&mut rng), n.sample(&mut rng)),
                    None => (0.0, 0.0),
                };
                points.push([(x + dx) as f32, (y + dy) as f32]);
                labels.push(class);
            }
        }
        ToyData { points, labels }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The points as a `[n, 2]` row-major batch.
    pub fn flat(&self) -> Vec<f32> {
        self.points.iter().flatten().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noiseless_moons_lie_on_their_arcs() {
        let d = ToyData::generate(Shape::Moons, 50, 0.0, 7);
        assert_eq!(d.len(), 100);
        for (p, &l) in d.points.iter().zip(&d.labels) {
            // Undo the centring: class 0 on x² + y² = 1 (y ≥ 0), class 1 on (x−1)² + (y−0.5)² = 1 (y ≤ 0.5).
            let (x, y) = (f64::from(p[0]) + 0.5, f64::from(p[1]) + 0.25);
            let r = if l == 0 {
                (x * x + y * y).sqrt()
            } else {
                ((x - 1.0).powi(2) + (y - 0.5).powi(2)).sqrt()
            };
            assert!((r - 1.0).abs() < 1e-5, "{p:?} class {l}");
        }
        assert_eq!(&d.labels[..4], &[0, 1, 0, 1]);
    }

    #[test]
    fn the_same_seed_gives_the_same_points() {
        let a = ToyData::generate(Shape::Circles, 20, 0.1, 3);
        assert_eq!(a, ToyData::generate(Shape::Circles, 20, 0.1, 3));
        assert_ne!(a, ToyData::generate(Shape::Circles, 20, 0.1, 4));
        assert_eq!(a.flat().len(), 80);
        assert_eq!(Shape::from_name("circles"), Some(Shape::Circles));
        assert_eq!(Shape::from_name("spirals"), None);
    }
}
