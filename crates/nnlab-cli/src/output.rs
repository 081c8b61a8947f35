//! Writing results to a file or to standard output.

use crate::error::{CliError, CliResult};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `out`, or to stdout when `out` is None. A closed stdout
/// (`nnlab … | head`) is not an error: the reader simply wanted less.
pub fn emit(out: Option<&Path>, bytes: &[u8]) -> CliResult<()> {
    match out {
        Some(path) => std::fs::write(path, bytes).map_err(|source| CliError::Write {
            path: path.to_path_buf(),
            source,
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Stdout(e)),
                _ => Ok(()),
            }
        }
    }
}
