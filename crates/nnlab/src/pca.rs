//! Principal component analysis down to two dimensions, to draw a cloud of
//! high-dimensional vectors (images, hidden activations, weight templates)
//! as points on a plane.
//!
//! The two components are the directions along which the (centred) rows
//! vary most: the top two eigenvectors of their covariance matrix. They are
//! found by subspace ("block power") iteration on the covariance without ever
//! forming it — each iteration costs two passes over the data, so 3072-wide
//! images are as fine as 2-D points — followed by the exact eigen-
//! decomposition of the small projected matrix (Rayleigh–Ritz, solved with
//! Jacobi rotations).
//!
//! An eigenvector's sign is arbitrary; here each component is flipped so
//! that its entry of largest magnitude is positive (as scikit-learn does),
//! so the same data always gives the same picture.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A fitted 2-D projection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    /// The mean row, subtracted before projecting.
    pub mean: Vec<f32>,
    /// The first and second principal directions, unit length, orthogonal.
    pub components: [Vec<f32>; 2],
    /// Variance of the data along each component (sample variance, divided
    /// by n − 1): the top two eigenvalues of the covariance.
    pub explained_variance: [f32; 2],
    /// Each component's share of the total variance, in [0, 1] (0 if the
    /// data does not vary at all).
    pub explained_variance_ratio: [f32; 2],
}

/// Directions iterated together: two more than needed speeds up convergence
/// when the second and third variances are close.
const BLOCK: usize = 4;
/// Iterations at most; the result after the last one is used even if the
/// tolerance was not reached (for nearly equal variances any direction in
/// their span is as good a picture).
const MAX_ITERATIONS: usize = 500;
/// Converged when ‖C·v − λ·v‖ ≤ TOLERANCE · λ₁ for both components.
const TOLERANCE: f64 = 1e-9;

impl Pca {
    /// Fit to `n` rows of `d` values, row-major in `rows`. Needs n ≥ 2,
    /// d ≥ 2 and finite values.
    pub fn fit(rows: &[f32], n: usize, d: usize) -> Result<Pca> {
        if n < 2 || d < 2 {
            return Err(Error::OutOfRange {
                what: "PCA input",
                detail: format!("needs at least 2 rows of at least 2 values, got {n} × {d}"),
            });
        }
        if rows.len() != n * d {
            return Err(Error::InvalidData(format!(
                "{n} rows of {d} values are {} numbers, got {}",
                n * d,
                rows.len()
            )));
        }
        if let Some(&value) = rows.iter().find(|v| !v.is_finite()) {
            return Err(Error::NotFinite {
                what: "PCA input value",
                value: f64::from(value),
            });
        }
        let data = Centred::new(rows, n, d);
        let (values, vectors) = top_two(&data);
        let total = data.total_variance();
        let ratio = |v: f64| if total > 0.0 { (v / total) as f32 } else { 0.0 };
        let [first, second] = vectors.map(|mut v| {
            flip_sign(&mut v);
            v.into_iter().map(|x| x as f32).collect::<Vec<f32>>()
        });
        Ok(Pca {
            mean: data.mean.iter().map(|&m| m as f32).collect(),
            components: [first, second],
            explained_variance: values.map(|v| v as f32),
            explained_variance_ratio: values.map(ratio),
        })
    }

    /// Coordinates of `row` along the two components. Panics if `row` does
    /// not have the fitted width.
    pub fn project(&self, row: &[f32]) -> [f32; 2] {
        assert_eq!(row.len(), self.mean.len(), "row width");
        self.components.each_ref().map(|c| {
            let dot: f64 = row
                .iter()
                .zip(&self.mean)
                .zip(c)
                .map(|((&x, &m), &c)| (f64::from(x) - f64::from(m)) * f64::from(c))
                .sum();
            dot as f32
        })
    }

    /// [`Pca::project`] of every row of `rows` (row-major, the fitted width).
    pub fn project_rows(&self, rows: &[f32]) -> Vec<[f32; 2]> {
        rows.chunks_exact(self.mean.len())
            .map(|row| self.project(row))
            .collect()
    }
}

/// The rows with their mean, centred on the fly (no centred copy is made:
/// for 10,000 images that copy would be 245 MB of f64).
struct Centred<'a> {
    rows: &'a [f32],
    n: usize,
    d: usize,
    mean: Vec<f64>,
}

impl<'a> Centred<'a> {
    fn new(rows: &'a [f32], n: usize, d: usize) -> Self {
        let mut mean = vec![0.0; d];
        for row in rows.chunks_exact(d) {
            for (m, &x) in mean.iter_mut().zip(row) {
                *m += f64::from(x);
            }
        }
        mean.iter_mut().for_each(|m| *m /= n as f64);
        Centred { rows, n, d, mean }
    }

    /// Sum of the per-coordinate sample variances (the trace of the covariance).
    fn total_variance(&self) -> f64 {
        let sum: f64 = self
            .rows
            .chunks_exact(self.d)
            .flat_map(|row| row.iter().zip(&self.mean))
            .map(|(&x, &m)| (f64::from(x) - m).powi(2))
            .sum();
        sum / (self.n - 1) as f64
    }

    /// C·q for each q, with C = Xcᵀ·Xc / (n − 1): first p = Xc·q per row,
    /// then Xcᵀ·p.
    fn covariance_times(&self, qs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let mut out = vec![vec![0.0; self.d]; qs.len()];
        let mut centred = vec![0.0; self.d];
        for row in self.rows.chunks_exact(self.d) {
            for ((c, &x), &m) in centred.iter_mut().zip(row).zip(&self.mean) {
                *c = f64::from(x) - m;
            }
            for (q, z) in qs.iter().zip(&mut out) {
                let p = dot(&centred, q);
                for (zj, &cj) in z.iter_mut().zip(&centred) {
                    *zj += cj * p;
                }
            }
        }
        let scale = 1.0 / (self.n - 1) as f64;
        out.iter_mut().flatten().for_each(|z| *z *= scale);
        out
    }
}

/// The top two eigenvalues (descending) and unit eigenvectors of the
/// covariance of `data`.
fn top_two(data: &Centred) -> ([f64; 2], [Vec<f64>; 2]) {
    let k = BLOCK.min(data.d);
    // A fixed, seeded start: random so no principal direction is missed by
    // being orthogonal to every start vector.
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut q: Vec<Vec<f64>> = (0..k)
        .map(|_| (0..data.d).map(|_| rng.random_range(-1.0..1.0)).collect())
        .collect();
    orthonormalise(&mut q);
    let mut best = None;
    for _ in 0..MAX_ITERATIONS {
        let z = data.covariance_times(&q);
        // Rayleigh–Ritz: the covariance restricted to span(q) is T = qᵀ·C·q.
        let mut t = vec![vec![0.0; k]; k];
        for a in 0..k {
            for b in 0..k {
                t[a][b] = 0.5 * (dot(&q[a], &z[b]) + dot(&q[b], &z[a]));
            }
        }
        let (values, w) = symmetric_eigen(t);
        let combine = |basis: &[Vec<f64>], j: usize| -> Vec<f64> {
            let mut v = vec![0.0; data.d];
            for (b, vector) in basis.iter().enumerate() {
                for (vi, &x) in v.iter_mut().zip(vector) {
                    *vi += w[b][j] * x;
                }
            }
            v
        };
        let ritz = [combine(&q, 0), combine(&q, 1)];
        let images = [combine(&z, 0), combine(&z, 1)];
        let residual = |j: usize| -> f64 {
            let r: f64 = images[j]
                .iter()
                .zip(&ritz[j])
                .map(|(&cv, &v)| (cv - values[j] * v).powi(2))
                .sum();
            r.sqrt()
        };
        let converged = (0..2).all(|j| residual(j) <= TOLERANCE * values[0].max(0.0));
        best = Some(([values[0].max(0.0), values[1].max(0.0)], ritz));
        if converged {
            break;
        }
        q = z;
        orthonormalise(&mut q);
    }
    let (values, [first, second]) = best.expect("at least one iteration");
    (values, [unit(first), unit(second)])
}

/// Modified Gram–Schmidt. A vector that is (numerically) in the span of the
/// previous ones — e.g. C·q = 0 for data with fewer directions of variance
/// than the block — is replaced by the first coordinate axis that is not.
fn orthonormalise(vectors: &mut [Vec<f64>]) {
    for i in 0..vectors.len() {
        let (done, rest) = vectors.split_at_mut(i);
        let v = &mut rest[0];
        let before = norm(v);
        remove_projections(v, done);
        if norm(v) <= 1e-10 * before.max(f64::MIN_POSITIVE) || before == 0.0 {
            let d = v.len();
            for axis in 0..d {
                let mut e = vec![0.0; d];
                e[axis] = 1.0;
                remove_projections(&mut e, done);
                if norm(&e) > 0.5 {
                    *v = e;
                    break;
                }
            }
        }
        let length = norm(v);
        v.iter_mut().for_each(|x| *x /= length);
    }
}

fn remove_projections(v: &mut [f64], basis: &[Vec<f64>]) {
    for b in basis {
        let p = dot(v, b);
        for (x, &y) in v.iter_mut().zip(b) {
            *x -= p * y;
        }
    }
}

/// Eigenvalues (descending) and eigenvectors (as columns: `vectors[row][j]`
/// belongs to value `j`) of a small symmetric matrix, by cyclic Jacobi
/// rotations (each rotation zeroes one off-diagonal pair).
fn symmetric_eigen(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let k = a.len();
    let mut v: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..k)
            .flat_map(|p| (p + 1..k).map(move |q| (p, q)))
            .map(|(p, q)| a[p][q] * a[p][q])
            .sum();
        let all: f64 = a.iter().flatten().map(|x| x * x).sum();
        if off <= 1e-30 * all {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (rp, rq) = (row[p], row[q]);
                    row[p] = c * rp - s * rq;
                    row[q] = s * rp + c * rq;
                }
                let (upper, lower) = a.split_at_mut(q);
                for (pr, qr) in upper[p].iter_mut().zip(lower[0].iter_mut()) {
                    let (x, y) = (*pr, *qr);
                    *pr = c * x - s * y;
                    *qr = s * x + c * y;
                }
                for row in v.iter_mut() {
                    let (rp, rq) = (row[p], row[q]);
                    row[p] = c * rp - s * rq;
                    row[q] = s * rp + c * rq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&i, &j| a[j][j].total_cmp(&a[i][i]));
    let values = order.iter().map(|&i| a[i][i]).collect();
    let vectors = v
        .iter()
        .map(|row| order.iter().map(|&i| row[i]).collect())
        .collect();
    (values, vectors)
}

/// Make the entry of largest magnitude positive (the first one on ties).
fn flip_sign(v: &mut [f64]) {
    let largest = v.iter().copied().fold(
        0.0f64,
        |best, x| if x.abs() > best.abs() { x } else { best },
    );
    if largest < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
}

fn unit(mut v: Vec<f64>) -> Vec<f64> {
    let length = norm(&v);
    if length > 0.0 {
        v.iter_mut().for_each(|x| *x /= length);
    }
    v
}

/// `a · b` with eight running sums, so that the additions do not wait on
/// each other: with one sum every step waits for the adder's last result,
/// and the layer clouds' PCA (about 60 ms a snapshot for the lecture's
/// network, in the training Worker, while a helper Worker idles) spent most
/// of its time there.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut sums = [0.0; 8];
    for (x, y) in a8.zip(b8) {
        for i in 0..8 {
            sums[i] += x[i] * y[i];
        }
    }
    let [s0, s1, s2, s3, s4, s5, s6, s7] = sums;
    ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + tail
}

fn norm(v: &[f64]) -> f64 {
    dot(v, v).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_on_a_2x2_by_hand() {
        // [[2, 1], [1, 2]]: eigenvalues 3 (vector (1, 1)/√2) and 1 (vector (1, −1)/√2).
        let (values, vectors) = symmetric_eigen(vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
        let h = 0.5f64.sqrt();
        assert!((vectors[0][0].abs() - h).abs() < 1e-12);
        assert!((vectors[0][0] - vectors[1][0]).abs() < 1e-12, "{vectors:?}");
        assert!((vectors[0][1] + vectors[1][1]).abs() < 1e-12, "{vectors:?}");
    }

    #[test]
    fn flip_sign_makes_the_largest_entry_positive() {
        let mut v = vec![0.6, -0.8];
        flip_sign(&mut v);
        assert_eq!(v, vec![-0.6, 0.8]);
        let mut v = vec![-0.5, 0.5];
        flip_sign(&mut v);
        assert_eq!(v, vec![0.5, -0.5]);
    }
}
