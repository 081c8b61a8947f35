//! The CLI's errors: each prints as one line after "error: ".

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input the core rejected (unknown names, NaN values, wrong dimensions, …).
    #[error("{0}")]
    Core(#[from] nnlab::Error),
    /// Bad command-line usage the core has no opinion on.
    #[error("{0}")]
    Usage(String),
    /// Drawing a figure failed.
    #[error("{0}")]
    Draw(String),
    #[error("cannot write '{}': {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
    #[error("cannot read '{}': {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file or folder that is not usable CIFAR-10 (or not a model), with the core's reason.
    #[error("{}: {source}", path.display())]
    Data { path: PathBuf, source: nnlab::Error },
    /// Getting the archive failed (network, HTTP status, checksum).
    #[error("{0}")]
    Fetch(String),
}

pub type CliResult<T> = Result<T, CliError>;
