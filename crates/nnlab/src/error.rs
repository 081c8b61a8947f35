//! The one error type of the core. Messages are plain sentences a student can
//! read; front ends show them as they are (the web UI may translate by kind).

use thiserror::Error;

/// Everything that can go wrong in the core: bad names, numbers, shapes or data.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// A name (of a surface, optimiser, …) that is not one of those known.
    #[error("unknown {kind} '{name}' (known: {known})")]
    UnknownName {
        /// What was named: "surface", "optimizer", "activation", …
        kind: &'static str,
        /// The name as given.
        name: String,
        /// The names that would have worked, comma-separated.
        known: String,
    },
    /// A number that is NaN or infinite where a finite one is needed.
    #[error("{what} must be a finite number, got {value}")]
    NotFinite {
        /// The quantity, as the message names it ("the loss at the start point").
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A size, count or setting outside what is allowed.
    #[error("{what} is out of range: {detail}")]
    OutOfRange {
        /// The quantity, as the message names it ("layer size").
        what: &'static str,
        /// What is wrong and what would be allowed, as a sentence.
        detail: String,
    },
    /// A point or sample with the wrong number of coordinates (values).
    #[error("{what} needs {expected} coordinate(s), got {got}")]
    WrongDimension {
        /// What has them, as the message names it ("input sample").
        what: &'static str,
        /// The number of coordinates needed.
        expected: usize,
        /// The number given.
        got: usize,
    },
    /// Input that cannot be what it claims to be (a damaged archive, a
    /// malformed model file, labels that do not match the images, …).
    #[error("invalid data: {0}")]
    InvalidData(String),
    /// A file that could not be read at all (missing, no permission, a
    /// folder): the message names it and says what the system said.
    #[error("{0}")]
    Unreadable(String),
}

/// A result whose error is the core's [`Error`](enum@Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `text` with every control character written as an escape (`\u{1b}`), so
/// a name read from a file (a tar entry, a dropped file) can be quoted in a
/// message without acting on the terminal or the page that shows it.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

impl Error {
    /// An [`Error::UnknownName`] listing the names that would have worked.
    pub fn unknown(kind: &'static str, name: &str, known: &[&str]) -> Self {
        Error::UnknownName {
            kind,
            name: name.to_string(),
            known: known.join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_quoted_not_obeyed() {
        // ESC ] 0 ; … BEL sets a terminal's title; ESC [ 2 J clears it.
        assert_eq!(
            printable("a\u{1b}]0;owned\u{7}b"),
            "a\\u{1b}]0;owned\\u{7}b"
        );
        assert_eq!(printable("x\u{1b}[2J\n"), "x\\u{1b}[2J\\u{a}");
        assert_eq!(printable("数据 data_batch_1.bin"), "数据 data_batch_1.bin");
    }
}
