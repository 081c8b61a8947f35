//! Finding and reading CIFAR-10 for `train`, `eval` and `data check`: the
//! archive as downloaded, or a folder holding its `.bin` files.

use crate::error::{CliError, CliResult};
use crate::progress;
use nnlab::data::{BatchFile, Cifar10, Dataset};
use std::path::{Path, PathBuf};

/// The environment variable naming a local copy of the archive.
pub const ENV_VAR: &str = "NNLAB_CIFAR10";
/// Where `nnlab data fetch` and scripts/get-cifar10.sh put the archive.
pub const DEFAULT_PATH: &str = "data/cifar-10-binary.tar.gz";

/// The path given, else `$NNLAB_CIFAR10`, else [`DEFAULT_PATH`].
pub fn resolve(given: Option<&Path>) -> PathBuf {
    if let Some(path) = given {
        return path.to_path_buf();
    }
    match std::env::var_os(ENV_VAR) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(DEFAULT_PATH),
    }
}

/// The training and test sets at `path` (an archive or a folder), with a
/// progress bar over the compressed bytes unless `quiet`. Every failure names
/// the path; a missing one says how to get the data.
pub fn load(path: &Path, quiet: bool) -> CliResult<Cifar10> {
    let metadata = std::fs::metadata(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            CliError::Usage(format!(
                "no CIFAR-10 data at '{}': run scripts/get-cifar10.sh (or `nnlab data fetch`), \
                 or pass --data PATH, or set {ENV_VAR}",
                path.display()
            ))
        } else {
            CliError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let read = if metadata.is_dir() {
        read_folder(path)?
    } else {
        let bar = progress::bytes(Some(metadata.len()), "reading CIFAR-10", quiet);
        let read = Cifar10::from_archive_path(path, |p| bar.set_position(p.done));
        bar.finish_and_clear();
        read
    };
    read.map_err(|source| CliError::Data {
        path: path.to_path_buf(),
        source,
    })
}

/// The CIFAR-10 files in `folder`, or in its `cifar-10-batches-bin/` (what
/// unpacking the archive next to it gives). Any subset of the training
/// batches will do; `test_batch.bin` must be there.
fn read_folder(folder: &Path) -> CliResult<nnlab::Result<Cifar10>> {
    let unpacked = folder.join("cifar-10-batches-bin");
    let folder = if unpacked.is_dir() {
        unpacked
    } else {
        folder.to_path_buf()
    };
    let cannot_read = |path: &Path, source| CliError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let entries = std::fs::read_dir(&folder).map_err(|e| cannot_read(&folder, e))?;
    for entry in entries {
        let path = entry.map_err(|e| cannot_read(&folder, e))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(file) = BatchFile::from_name(&name).filter(|_| path.is_file()) else {
            continue;
        };
        // Checked before reading: a 4 GB (or sparse) file is refused, not read.
        let size = path.metadata().map_err(|e| cannot_read(&path, e))?.len();
        if let Err(source) = nnlab::data::check_claim(file, size) {
            return Ok(Err(source));
        }
        let bytes = std::fs::read(&path).map_err(|e| cannot_read(&path, e))?;
        files.push((name, bytes));
    }
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    Ok(Cifar10::from_files(&borrowed))
}

/// The first `n` images of `data` (it keeps its class names). CIFAR-10's
/// training files are already in random order, so a prefix is a fair sample
/// of the classes.
pub fn first(data: &Dataset, n: usize) -> CliResult<Dataset> {
    if n == 0 || n > data.len() {
        return Err(CliError::Usage(format!(
            "train-size: must be between 1 and the {} training images, got {n}",
            nnlab::nn::thousands(data.len())
        )));
    }
    let image = data.sample_len();
    Ok(Dataset::new(
        data.images()[..n * image].to_vec(),
        data.labels()[..n].to_vec(),
        data.shape(),
        data.class_names().to_vec(),
    )?)
}
