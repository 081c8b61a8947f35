//! Parsing the comma-separated and "W×H" arguments clap leaves as text.

use crate::error::{CliError, CliResult};

/// "1.5" or "-1.5,2" → coordinates. Every part must be a number (NaN/inf are
/// rejected later by the surface's own check, with its message).
pub fn numbers(what: &str, text: &str) -> CliResult<Vec<f64>> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            part.parse::<f64>().map_err(|_| {
                CliError::Usage(format!(
                    "{what}: '{part}' is not a number (expected e.g. --{what}=-1.5,2)"
                ))
            })
        })
        .collect()
}

/// "100,256,256,10" → layer widths (whole numbers; zeros are left to the spec's validation).
pub fn widths(text: &str) -> CliResult<Vec<usize>> {
    if text.trim().is_empty() {
        return Err(CliError::Usage(
            "layers: the list is empty (expected e.g. --layers 100,256,256,10)".into(),
        ));
    }
    text.split(',')
        .map(|part| {
            let part = part.trim();
            match part.parse::<i128>() {
                Ok(n) if n < 0 => Err(CliError::Usage(format!(
                    "layers: {n} is negative; every layer needs at least 1 neuron"
                ))),
                Ok(n) => usize::try_from(n).map_err(|_| {
                    CliError::Usage(format!(
                        "layers: {n} neurons is more than this machine can count"
                    ))
                }),
                Err(_) => Err(CliError::Usage(format!(
                    "layers: '{part}' is not a whole number (expected e.g. --layers 100,256,256,10)"
                ))),
            }
        })
        .collect()
}

/// Figure sizes outside this range make no sense for a slide (and the biggest
/// bitmap stays below 200 MB).
pub const MIN_SIDE: u32 = 200;
pub const MAX_SIDE: u32 = 8000;

/// "1200x900" → (1200, 900).
pub fn size(text: &str) -> CliResult<(u32, u32)> {
    let bad = || {
        CliError::Usage(format!("size: expected WIDTHxHEIGHT between {MIN_SIDE} and {MAX_SIDE}, e.g. 1200x900, got '{text}'"))
    };
    let (w, h) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if [w, h].iter().all(|s| (MIN_SIDE..=MAX_SIDE).contains(s)) {
        Ok((w, h))
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_accept_one_or_more_coordinates() {
        assert_eq!(numbers("start", "-1.5,2").unwrap(), vec![-1.5, 2.0]);
        assert_eq!(numbers("start", " 0.25 ").unwrap(), vec![0.25]);
        assert!(numbers("start", "1,abc")
            .unwrap_err()
            .to_string()
            .contains("'abc' is not a number"));
        assert!(numbers("start", "").is_err());
    }

    #[test]
    fn widths_are_whole_numbers() {
        assert_eq!(widths("100,256,256,10").unwrap(), vec![100, 256, 256, 10]);
        assert_eq!(widths("0").unwrap(), vec![0]);
        assert!(widths("").is_err());
        assert!(widths("100,,10").is_err());
        assert!(widths("1.5").is_err());
        let negative = widths("-5,10").unwrap_err().to_string();
        assert!(negative.contains("-5 is negative"), "{negative}");
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(size("1200x900").unwrap(), (1200, 900));
        assert_eq!(size("800×600").unwrap(), (800, 600));
        assert!(size("1200").is_err());
        assert!(size("10x10").is_err());
        assert!(size("100000x900").is_err());
    }
}
