//! The one error type of the core. Messages are plain sentences a student can
//! read; front ends show them as they are (the web UI may translate by kind).

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    #[error("unknown {kind} '{name}' (known: {known})")]
    UnknownName {
        kind: &'static str,
        name: String,
        known: String,
    },
    #[error("{what} must be a finite number, got {value}")]
    NotFinite { what: &'static str, value: f64 },
    #[error("{what} is out of range: {detail}")]
    OutOfRange { what: &'static str, detail: String },
    #[error("{what} needs {expected} coordinate(s), got {got}")]
    WrongDimension {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("invalid data: {0}")]
    InvalidData(String),
}

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
