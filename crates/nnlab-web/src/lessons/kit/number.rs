//! Numbers typed by a person: what counts as a number, what is too large to
//! mean anything in a lesson, and the message that says why one was refused.
//! Shared by the lessons with editable number fields (neurons, backprop).

use crate::i18n::{Key, Lang};

/// Why a typed value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberProblem {
    /// Nothing typed.
    Empty,
    /// Not a number at all ("abc", "NaN", "1..2").
    NotANumber,
    /// A number, but larger in size than the field's limit (or infinite).
    TooLarge,
}

/// Reads a decimal number such as `-1.5`, `2e-3` or `−0.25` (Unicode minus,
/// as printed in the lecture). `NaN` is not a number; `inf` and anything with
/// `|value| > limit` is too large.
pub fn parse_number(text: &str, limit: f64) -> Result<f64, NumberProblem> {
    let cleaned = text.trim().replace('−', "-").replace(',', ".");
    if cleaned.is_empty() {
        return Err(NumberProblem::Empty);
    }
    let value: f64 = cleaned.parse().map_err(|_| NumberProblem::NotANumber)?;
    if value.is_nan() {
        Err(NumberProblem::NotANumber)
    } else if value.abs() > limit {
        Err(NumberProblem::TooLarge)
    } else {
        Ok(value)
    }
}

/// The typed fields whose text was refused, each with why (a field at most
/// once), so a lesson can mark them and explain the first one. The numbers
/// behind a refused field keep their last good value.
#[derive(Clone, Debug)]
pub struct Refusals<F> {
    list: Vec<(F, NumberProblem)>,
}

impl<F> Default for Refusals<F> {
    fn default() -> Self {
        Refusals { list: Vec::new() }
    }
}

impl<F: Copy + PartialEq> Refusals<F> {
    /// Reads `text` typed into `field` as [`parse_number`] does: the number,
    /// or `None` with the problem remembered for `field` (a good number
    /// clears the field's earlier problem).
    pub fn read(&mut self, field: F, text: &str, limit: f64) -> Option<f64> {
        self.list.retain(|(f, _)| *f != field);
        match parse_number(text, limit) {
            Ok(v) => Some(v),
            Err(problem) => {
                self.list.push((field, problem));
                None
            }
        }
    }

    /// Forgets every refusal (the fields were all set anew).
    pub fn clear(&mut self) {
        self.list.clear();
    }

    /// Why `field`'s text was refused, if it was.
    pub fn of(&self, field: F) -> Option<NumberProblem> {
        self.list.iter().find(|(f, _)| *f == field).map(|&(_, p)| p)
    }

    /// The first refused field in `order` (the order of the page) and why.
    pub fn first(&self, order: impl IntoIterator<Item = F>) -> Option<(F, NumberProblem)> {
        order.into_iter().find_map(|f| self.of(f).map(|p| (f, p)))
    }
}

/// A value for a text field and a read-out: up to 4 significant digits,
/// trailing zeros dropped, scientific notation when very large or small,
/// and a true minus sign.
pub fn format_value(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return v.to_string();
    }
    let magnitude = v.abs();
    let text = if !(1e-3..1e6).contains(&magnitude) {
        let s = format!("{v:.3e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        format!("{}e{exponent}", trim_zeros(mantissa))
    } else {
        let decimals = (3 - magnitude.log10().floor() as i32).max(0) as usize;
        trim_zeros(&format!("{v:.decimals$}")).to_string()
    };
    // A true minus sign in front; an exponent's sign stays ASCII (2.5e-7).
    match text.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => text,
    }
}

/// The message for a refused number in a field called `name` whose values
/// may not exceed `limit` in size.
pub fn problem_text(lang: Lang, name: &str, problem: NumberProblem, limit: f64) -> String {
    let key = match problem {
        NumberProblem::Empty => Key::NumberEmpty,
        NumberProblem::NotANumber => Key::NumberNotANumber,
        NumberProblem::TooLarge => Key::NumberTooLarge,
    };
    lang.fill(
        key,
        &[
            ("field", name),
            ("limit", &format_value(limit).replace('−', "-")),
        ],
    )
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_people_type() {
        assert_eq!(parse_number(" 1.5 ", 10.0), Ok(1.5));
        assert_eq!(parse_number("−0.25", 10.0), Ok(-0.25));
        assert_eq!(parse_number("2e-3", 10.0), Ok(0.002));
        assert_eq!(parse_number("0,5", 10.0), Ok(0.5));
        assert_eq!(parse_number("", 10.0), Err(NumberProblem::Empty));
        assert_eq!(parse_number("  ", 10.0), Err(NumberProblem::Empty));
        assert_eq!(parse_number("abc", 10.0), Err(NumberProblem::NotANumber));
        assert_eq!(parse_number("NaN", 10.0), Err(NumberProblem::NotANumber));
        assert_eq!(parse_number("inf", 10.0), Err(NumberProblem::TooLarge));
        assert_eq!(parse_number("1e300", 10.0), Err(NumberProblem::TooLarge));
        assert_eq!(parse_number("-10", 10.0), Ok(-10.0));
        assert_eq!(parse_number("-10.01", 10.0), Err(NumberProblem::TooLarge));
    }

    #[test]
    fn refusals_remember_each_field_once() {
        let mut r = Refusals::default();
        assert_eq!(r.read('a', "x", 10.0), None);
        assert_eq!(r.read('b', "99", 10.0), None);
        assert_eq!(r.read('a', "", 10.0), None);
        assert_eq!(r.of('a'), Some(NumberProblem::Empty));
        assert_eq!(r.first(['b', 'a']), Some(('b', NumberProblem::TooLarge)));
        assert_eq!(r.read('b', "2", 10.0), Some(2.0));
        assert_eq!(r.first(['b', 'a']), Some(('a', NumberProblem::Empty)));
        r.clear();
        assert_eq!(r.first(['a', 'b']), None);
    }

    #[test]
    fn values_read_well() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(1.25), "1.25");
        assert_eq!(format_value(-0.25), "−0.25");
        assert_eq!(format_value(1.0 / 3.0), "0.3333");
        assert_eq!(format_value(1234.5678), "1235");
        assert_eq!(format_value(2.5e-7), "2.5e-7");
        assert_eq!(format_value(-3.0e9), "−3e9");
    }

    #[test]
    fn refusals_name_the_field_and_its_own_limit() {
        let text = problem_text(Lang::En, "W₁₁", NumberProblem::TooLarge, 1e6);
        assert!(text.contains("W₁₁"), "{text}");
        assert!(text.contains("1e6"), "{text}");
        // Below a million a limit is written out in full.
        let text = problem_text(Lang::En, "b", NumberProblem::TooLarge, 1e4);
        assert!(text.contains("between −10000 and 10000"), "{text}");
    }
}
