//! The gradient bars: each layer's ‖∂loss/∂W‖ on a log scale, so that a
//! gradient a billion times smaller than the last layer's still shows as a
//! (short) bar, and its value as people read it.

/// The smallest norm with a visible bar: 10⁻¹² (smaller ones show none).
pub const LOG_MIN: f64 = -12.0;
/// The norm that fills the bar: 10¹.
pub const LOG_MAX: f64 = 1.0;

/// The bar's length for `norm`, in [0, 1]: log₁₀ of it between [`LOG_MIN`]
/// and [`LOG_MAX`]. 0 for zero, negative or non-finite norms.
pub fn bar_fraction(norm: f32) -> f64 {
    let norm = f64::from(norm);
    if !norm.is_finite() || norm <= 0.0 {
        return 0.0;
    }
    ((norm.log10() - LOG_MIN) / (LOG_MAX - LOG_MIN)).clamp(0.0, 1.0)
}

/// A norm as the bars print it: three significant digits, in powers of ten
/// when far from 1 ("0.0412", "3.17e-9"); "—" for none.
pub fn format_norm(norm: f32) -> String {
    if !norm.is_finite() {
        return "—".into();
    }
    if norm == 0.0 {
        return "0".into();
    }
    if (1e-3..1e3).contains(&norm.abs()) {
        let digits = (2 - norm.abs().log10().floor() as i32).max(0) as usize;
        format!("{norm:.digits$}")
    } else {
        format!("{norm:.2e}")
    }
}

/// How much of the last layer's gradient reaches the first: their ratio
/// (None before the first step or when the last layer's is 0).
pub fn first_to_last(norms: &[f32]) -> Option<f64> {
    let (&first, &last) = (norms.first()?, norms.last()?);
    (last > 0.0 && first.is_finite()).then(|| f64::from(first) / f64::from(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_logarithmic() {
        // log₁₀ 10 = 1 fills the bar; 10⁻¹² is empty; 10⁻⁵·⁵ is halfway.
        assert_eq!(bar_fraction(10.0), 1.0);
        assert_eq!(bar_fraction(1e-12), 0.0);
        assert!((bar_fraction(10f32.powf(-5.5)) - 0.5).abs() < 1e-6);
        assert_eq!(bar_fraction(1e-20), 0.0);
        assert_eq!(bar_fraction(0.0), 0.0);
        assert_eq!(bar_fraction(f32::NAN), 0.0);
        assert_eq!(bar_fraction(1e6), 1.0);
    }

    #[test]
    fn norms_print_with_three_digits() {
        assert_eq!(format_norm(0.041_234), "0.0412");
        assert_eq!(format_norm(1.5), "1.50");
        assert_eq!(format_norm(123.4), "123");
        assert_eq!(format_norm(3.17e-9), "3.17e-9");
        assert_eq!(format_norm(0.0), "0");
        assert_eq!(format_norm(f32::NAN), "—");
    }

    #[test]
    fn the_ratio_compares_the_first_layer_with_the_last() {
        assert_eq!(first_to_last(&[0.5, 1.0, 2.0]), Some(0.25));
        assert_eq!(first_to_last(&[]), None);
        assert_eq!(first_to_last(&[1.0, 0.0]), None);
    }
}
