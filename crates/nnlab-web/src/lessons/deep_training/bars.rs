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
    let mut exponent = norm.abs().log10().floor() as i32;
    if (-3..3).contains(&exponent) {
        let digits = (2 - exponent).max(0) as usize;
        return format!("{norm:.digits$}");
    }
    // Mantissa and power of ten by hand: `{:e}` would add float-formatting
    // code to the page's wasm for this one use.
    let mut mantissa = norm / 10f32.powi(exponent);
    if mantissa.abs() >= 9.995 {
        mantissa /= 10.0;
        exponent += 1;
    }
    format!("{mantissa:.2}e{exponent}")
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
        assert_eq!(format_norm(9.999e-5), "1.00e-4");
        assert_eq!(format_norm(2.5e4), "2.50e4");
        assert_eq!(format_norm(0.0), "0");
        assert_eq!(format_norm(f32::NAN), "—");
    }
}
