//! Numbers as the lessons print them: losses and gradient sizes, learning
//! rates as a person types them, momentum, speeds. One place, so every
//! lesson reads a number the same way.

/// A loss or gradient size: 4 significant digits, scientific when very large or small.
pub fn format_number(v: f64) -> String {
    significant(v, 4, 1e5)
}

/// `v` to `digits` significant digits (at least one): written out while its
/// size is from 0.001 up to below `huge`, in scientific notation (`2.500e-7`)
/// otherwise; 0 is "0". Losses, norms and statistics all read this way,
/// with the digits and the bound their numbers need.
pub fn significant(v: f64, digits: usize, huge: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return v.to_string();
    }
    let after_point = digits.max(1) - 1;
    let magnitude = v.abs();
    if !(1e-3..huge).contains(&magnitude) {
        return format!("{v:.after_point$e}");
    }
    let decimals = (after_point as i32 - magnitude.log10().floor() as i32).max(0) as usize;
    format!("{v:.decimals$}")
}

/// `text` with the minus of its exponent written as a true minus
/// (`2.55e−2`), which reads better on a slide than `2.55e-2`.
pub fn exponent_minus(text: &str) -> String {
    text.replace("e-", "e−")
}

/// A learning rate as typed by a person: "0.001", "0.035", "2", "1e-5".
pub fn format_rate(v: f64) -> String {
    if v > 0.0 && v < 1e-4 {
        let s = format!("{v:.1e}");
        return s.replace(".0e", "e");
    }
    // Three significant digits, trailing zeros dropped.
    let decimals = if v > 0.0 {
        (2 - v.log10().floor() as i32).max(0) as usize
    } else {
        0
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A momentum coefficient: "0.90".
pub fn format_momentum(v: f64) -> String {
    format!("{v:.2}")
}

/// A share in [0, 1] as a percentage with one decimal ("45.7%"; "—" if not a number).
pub fn percent(share: f64) -> String {
    percent_to(share, 1)
}

/// A share in [0, 1] as a percentage with `decimals` decimals ("51%" with
/// none); "—" if not a number.
pub fn percent_to(share: f64, decimals: usize) -> String {
    if share.is_finite() {
        format!("{:.decimals$}%", share * 100.0)
    } else {
        "—".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(0.4567), "45.7%");
        assert_eq!(percent(f64::NAN), "—");
        assert_eq!(percent_to(0.513, 0), "51%");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(1.0), "1.000");
        assert_eq!(format_number(123.456), "123.5");
        assert_eq!(format_number(0.01234), "0.01234");
        assert_eq!(format_number(2.5e-7), "2.500e-7");
        assert_eq!(format_number(3.0e6), "3.000e6");
        assert_eq!(significant(0.025516, 3, 1e4), "0.0255");
        assert_eq!(significant(-0.5, 3, 1e4), "-0.500");
        assert_eq!(exponent_minus(&significant(1.5e-7, 3, 1e4)), "1.50e−7");
    }

    #[test]
    fn rates_read_as_typed() {
        assert_eq!(format_rate(0.001), "0.001");
        assert_eq!(format_rate(0.035), "0.035");
        assert_eq!(format_rate(0.5), "0.5");
        assert_eq!(format_rate(2.0), "2");
        assert_eq!(format_rate(1e-5), "1e-5");
        assert_eq!(format_rate(0.0012345), "0.00123");
    }
}
