//! Writing results to a file or to standard output. A file is never left
//! half-written: it is written next to its target under a temporary name,
//! flushed to the disk, then renamed over the target in one step, so a crash
//! or a full disk leaves the old file as it was.

use crate::error::{CliError, CliResult};
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `out`, or to stdout when `out` is None. A closed stdout
/// (`nnlab … | head`) is not an error: the reader simply wanted less.
pub fn emit(out: Option<&Path>, bytes: &[u8]) -> CliResult<()> {
    match out {
        Some(path) => write_file(path, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Stdout(e)),
                _ => Ok(()),
            }
        }
    }
}

/// Says now, before any work, whether a file can be written at `path`: its
/// folder exists and takes new files, and `path` is not a folder. (A
/// temporary file is made there and removed at once.)
pub fn check_writable(path: &Path) -> CliResult<()> {
    let cannot = |source| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(cannot(io::Error::other("it is a folder")));
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        let missing = format!("there is no folder '{}'", folder.display());
        return Err(cannot(io::Error::new(io::ErrorKind::NotFound, missing)));
    }
    if !is_special(path) {
        temporary_beside(path).map_err(cannot)?;
    }
    Ok(())
}

/// Writes `bytes` to the file `path` whole or not at all (see the module docs).
pub fn write_file(path: &Path, bytes: &[u8]) -> CliResult<()> {
    let cannot = |source| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(cannot(io::Error::other("it is a folder")));
    }
    if is_special(path) {
        // A device or a pipe (/dev/stdout, a FIFO) cannot be replaced: write into it.
        return std::fs::write(path, bytes).map_err(cannot);
    }
    let mut part = temporary_beside(path).map_err(cannot)?;
    part.write_all(bytes).map_err(cannot)?;
    part.as_file().sync_all().map_err(cannot)?;
    part.persist(path).map_err(|e| cannot(e.error))?;
    Ok(())
}

/// An existing path that is neither a regular file nor a folder.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The folder a file at `path` goes into ("." for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A new temporary file in the folder of `path` (removed when dropped).
fn temporary_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let folder = folder_of(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".nnlab-").suffix(".part");
    // Temporary files are private (0600); what is kept is an ordinary file (the umask applies).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder.tempfile_in(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.json");
        write_file(&path, b"old").unwrap();
        write_file(&path, b"new and longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new and longer");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only model.json is left");
    }

    #[test]
    fn bad_targets_are_found_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable(&dir.path().join("ok.json")).is_ok());
        let missing = check_writable(&dir.path().join("no/such/folder/m.json"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("there is no folder"), "{missing}");
        let folder = check_writable(dir.path()).unwrap_err().to_string();
        assert!(folder.contains("it is a folder"), "{folder}");
        // Nothing was left behind by the checks.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_an_error_not_a_truncated_file() {
        let err = write_file(Path::new("/dev/full"), b"{}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("/dev/full"), "{err}");
        assert!(Path::new("/dev/full").exists(), "the device is still there");
    }
}
