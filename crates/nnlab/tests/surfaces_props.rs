//! Property tests: the autodiff gradient of every surface agrees with central
//! finite differences anywhere in its view box.

use nnlab::surfaces::{all, Surface};
use proptest::prelude::*;

/// (f(p + h·eᵢ) − f(p − h·eᵢ)) / 2h for each coordinate i; error O(h²).
fn finite_difference(s: &Surface, p: &[f64]) -> Vec<f64> {
    (0..p.len())
        .map(|i| {
            let h = 1e-5 * p[i].abs().max(1.0);
            let (mut up, mut down) = (p.to_vec(), p.to_vec());
            up[i] += h;
            down[i] -= h;
            (s.value(&up) - s.value(&down)) / (up[i] - down[i])
        })
        .collect()
}

fn check(s: &Surface, p: &[f64]) -> Result<(), TestCaseError> {
    let (value, grad) = s.value_and_grad(p);
    prop_assert_eq!(value, s.value(p));
    let fd = finite_difference(s, p);
    for (a, n) in grad.iter().zip(&fd) {
        // Relative 1e-6, or absolute 1e-6 near zero: truncation (h²·f‴/6) and
        // rounding (ε·f/h) errors are both below this on these view boxes.
        prop_assert!(
            (a - n).abs() <= 1e-6 * (1.0 + a.abs()),
            "{} at {:?}: autodiff {:?}, finite differences {:?}",
            s.name,
            p,
            grad,
            fd
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn autodiff_matches_finite_differences(u in 0.0f64..1.0, v in 0.0f64..1.0) {
        for s in all() {
            let x = s.view.x.0 + u * (s.view.x.1 - s.view.x.0);
            let y = s.view.y.0 + v * (s.view.y.1 - s.view.y.0);
            let p = if s.dim == 1 { vec![x] } else { vec![x, y] };
            check(&s, &p)?;
        }
    }
}
