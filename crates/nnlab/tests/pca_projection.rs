//! PCA on data whose principal axes are known.

use nnlab::pca::Pca;

/// Four points p = a·u + b·v + (10, −5) with u = (0.6, 0.8), v = (−0.8, 0.6),
/// a = (−2, −1, 1, 2), b = (1, −1, −1, 1): Σa = Σb = Σab = 0, so u and v are
/// the principal axes, with sample variances Σa²/3 = 10/3 and Σb²/3 = 4/3.
///   a=−2, b= 1: (−1.2 − 0.8, −1.6 + 0.6) = (−2.0, −1.0) → ( 8.0, −6.0)
///   a=−1, b=−1: (−0.6 + 0.8, −0.8 − 0.6) = ( 0.2, −1.4) → (10.2, −6.4)
///   a= 1, b=−1: ( 0.6 + 0.8,  0.8 − 0.6) = ( 1.4,  0.2) → (11.4, −4.8)
///   a= 2, b= 1: ( 1.2 − 0.8,  1.6 + 0.6) = ( 0.4,  2.2) → (10.4, −2.8)
const ROWS: [f32; 8] = [8.0, -6.0, 10.2, -6.4, 11.4, -4.8, 10.4, -2.8];

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

fn assert_close(got: &[f32], want: &[f32]) {
    assert!(
        got.len() == want.len() && got.iter().zip(want).all(|(&g, &w)| close(g, w)),
        "got {got:?}, want {want:?}"
    );
}

#[test]
fn known_axes_in_2d() {
    let pca = Pca::fit(&ROWS, 4, 2).unwrap();
    assert_close(&pca.mean, &[10.0, -5.0]);
    // u = (0.6, 0.8) already has its largest entry positive; v = (−0.8, 0.6)
    // does not, so the second component is −v = (0.8, −0.6).
    assert_close(&pca.components[0], &[0.6, 0.8]);
    assert_close(&pca.components[1], &[0.8, -0.6]);
    assert_close(&pca.explained_variance, &[10.0 / 3.0, 4.0 / 3.0]);
    // Total variance 10/3 + 4/3 = 14/3: shares 10/14 = 5/7 and 4/14 = 2/7.
    assert_close(&pca.explained_variance_ratio, &[5.0 / 7.0, 2.0 / 7.0]);
    // Coordinates: (a, −b).
    let projected: Vec<f32> = pca.project_rows(&ROWS).into_iter().flatten().collect();
    assert_close(&projected, &[-2.0, -1.0, -1.0, 1.0, 1.0, 1.0, 2.0, -1.0]);
}

#[test]
fn sign_does_not_depend_on_the_data_order_or_mirroring() {
    // Reversed rows and the point cloud mirrored through its mean give the
    // same components (the sign convention fixes them).
    let reversed: Vec<f32> = ROWS.chunks(2).rev().flatten().copied().collect();
    let mirrored: Vec<f32> = ROWS
        .chunks(2)
        .flat_map(|p| [20.0 - p[0], -10.0 - p[1]])
        .collect();
    for rows in [reversed, mirrored] {
        let pca = Pca::fit(&rows, 4, 2).unwrap();
        assert_close(&pca.components[0], &[0.6, 0.8]);
        assert_close(&pca.components[1], &[0.8, -0.6]);
    }
}

#[test]
fn known_axes_in_5d() {
    // −a and b placed on coordinates 3 and 1 of 5-D points (the other
    // coordinates constant 7): variance 10/3 along e₃, 4/3 along e₁,
    // nothing elsewhere. Both axes have a positive largest entry as they are.
    let mut rows = Vec::new();
    for (a, b) in [(-2.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (2.0, 1.0)] {
        rows.extend([7.0, b, 7.0, -a, 7.0]);
    }
    let pca = Pca::fit(&rows, 4, 5).unwrap();
    assert_close(&pca.mean, &[7.0, 0.0, 7.0, 0.0, 7.0]);
    assert_close(&pca.components[0], &[0.0, 0.0, 0.0, 1.0, 0.0]);
    assert_close(&pca.components[1], &[0.0, 1.0, 0.0, 0.0, 0.0]);
    assert_close(&pca.explained_variance, &[10.0 / 3.0, 4.0 / 3.0]);
    // Row 0 (a = −2, b = 1): coordinate 3 is 2, coordinate 1 is 1.
    assert_close(&pca.project(&rows[..5]), &[2.0, 1.0]);
}

#[test]
fn data_on_a_line_has_no_second_variance() {
    // Points t·(1, 2, 2)/3 for t = −3, 0, 3: one direction, variance 9.
    let rows = [-1.0, -2.0, -2.0, 0.0, 0.0, 0.0, 1.0, 2.0, 2.0];
    let pca = Pca::fit(&rows, 3, 3).unwrap();
    assert_close(&pca.components[0], &[1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0]);
    assert_close(&pca.explained_variance, &[9.0, 0.0]);
    assert_close(&pca.explained_variance_ratio, &[1.0, 0.0]);
    let dot: f32 = pca.components[0]
        .iter()
        .zip(&pca.components[1])
        .map(|(a, b)| a * b)
        .sum();
    assert!(dot.abs() < 1e-6, "components are orthogonal, dot {dot}");
    // Identical rows: no variance at all, still a (deterministic) answer.
    let same = Pca::fit(&[1.0, 2.0, 1.0, 2.0], 2, 2).unwrap();
    assert_eq!(same.explained_variance, [0.0, 0.0]);
    assert_eq!(same.explained_variance_ratio, [0.0, 0.0]);
    assert_eq!(same.project(&[1.0, 2.0]), [0.0, 0.0]);
}

#[test]
fn bad_input() {
    assert!(Pca::fit(&[1.0, 2.0], 1, 2).is_err());
    assert!(Pca::fit(&[1.0, 2.0], 2, 1).is_err());
    let err = Pca::fit(&[1.0, 2.0, 3.0], 2, 2).unwrap_err().to_string();
    assert_eq!(err, "invalid data: 2 rows of 2 values are 4 numbers, got 3");
    assert!(Pca::fit(&[1.0, f32::NAN, 3.0, 4.0], 2, 2).is_err());
}

#[test]
fn planted_directions_in_64d() {
    // 600 points a·u·3 + b·w·2 + noise in 64-D, with a, b, noise uniform in
    // [−1, 1] (noise scaled by 0.05) and u, w the unit vectors along
    // (1, 1, 0, …, 0)/√2 and e₁₀. Variances: 9·(1/3) = 3 along u,
    // 4·(1/3) ≈ 1.33 along w, 0.0025/3 ≈ 0.0008 per noise direction, so the
    // components must come out as u and w (to sampling error) with
    // explained variance ≈ 3 and ≈ 1.33.
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
    let (n, d) = (600, 64);
    let h = 0.5f32.sqrt();
    let mut rows = Vec::with_capacity(n * d);
    for _ in 0..n {
        let a: f32 = rng.random_range(-1.0..1.0);
        let b: f32 = rng.random_range(-1.0..1.0);
        for j in 0..d {
            let mut x = 0.05 * rng.random_range(-1.0f32..1.0);
            if j < 2 {
                x += 3.0 * a * h;
            }
            if j == 10 {
                x += 2.0 * b;
            }
            rows.push(x);
        }
    }
    let started = std::time::Instant::now();
    let pca = Pca::fit(&rows, n, d).unwrap();
    eprintln!("600 × 64 fitted in {:?}", started.elapsed());
    let [c0, c1] = &pca.components;
    assert!(
        (c0[0] - h).abs() < 0.01 && (c0[1] - h).abs() < 0.01,
        "{c0:?}"
    );
    assert!((c1[10] - 1.0).abs() < 0.01, "{c1:?}");
    assert!((pca.explained_variance[0] - 3.0).abs() < 0.3);
    assert!((pca.explained_variance[1] - 4.0 / 3.0).abs() < 0.15);
}
