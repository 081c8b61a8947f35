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
}

/// A result whose error is the core's [`Error`](enum@Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
