//! `nnlab data fetch`: put `cifar-10-binary.tar.gz` into a folder.
//!
//! The source is a local copy when `--from` or `$NNLAB_CIFAR10` names one
//! (no network), otherwise the official download (or `--url`). Either way
//! the bytes go to a temporary file next to the destination, are checked,
//! and only then renamed into place: a failed or damaged fetch leaves
//! nothing behind (the temporary file is removed when dropped).
//!
//! The checks: a download must have the expected md5 (the official one
//! unless `--md5` says otherwise); a local copy is trusted for what it is —
//! it may be a re-encoded variant of CIFAR-10 whose md5 differs, which is
//! reported, not refused. Both must then read as CIFAR-10 with the core's
//! reader.

use crate::checksum::{self, Sums};
use crate::cifar::ENV_VAR;
use crate::cli::FetchArgs;
use crate::download::{self, OFFICIAL_MD5, OFFICIAL_URL};
use crate::error::{CliError, CliResult};
use crate::progress;
use nnlab::data::Cifar10;
use nnlab::nn::thousands;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// The file name the official archive has, and that `train` looks for.
pub const ARCHIVE_NAME: &str = "cifar-10-binary.tar.gz";

/// Where the archive comes from.
enum Source {
    /// A local copy, what named it ("--from" or the environment variable),
    /// and the md5 it must have if `--md5` gave one.
    Local {
        path: PathBuf,
        named_by: String,
        md5: Option<String>,
    },
    /// A download and the md5 it must have.
    Remote { url: String, md5: String },
}

impl Source {
    /// The path or address, for messages.
    fn origin(&self) -> String {
        match self {
            Source::Local { path, .. } => path.display().to_string(),
            Source::Remote { url, .. } => url.clone(),
        }
    }

    /// The md5 the bytes must have, if any.
    fn expected_md5(&self) -> Option<&str> {
        match self {
            Source::Local { md5, .. } => md5.as_deref(),
            Source::Remote { md5, .. } => Some(md5),
        }
    }
}

/// The download is written to `.cifar-10-binary.tar.gz.XXXXXX.part` in the
/// destination and renamed once it checks out.
const PART_PREFIX: &str = ".cifar-10-binary.tar.gz.";
const PART_SUFFIX: &str = ".part";
/// A `.part` file untouched this long belongs to no running download.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Deletes the `.part` files of downloads that were interrupted (Ctrl-C or a
/// killed process never reach the code that removes them; each is up to
/// 163 MB). A file written to in the last minute may be another fetch's,
/// running now, and is left alone. Failures only cost the disk space.
fn remove_stale_parts(dest: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dest) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(PART_PREFIX) && name.ends_with(PART_SUFFIX)) {
            continue;
        }
        let idle = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if idle.is_some_and(|idle| idle >= STALE_AFTER)
            && std::fs::remove_file(entry.path()).is_ok()
        {
            eprintln!("removed {name}, left by an interrupted download");
        }
    }
}

pub fn run(args: &FetchArgs) -> CliResult<()> {
    let source = source(args)?;
    let target = args.dest.join(ARCHIVE_NAME);
    if target.exists() && !args.force {
        match Cifar10::from_archive_path(&target, |_| {}) {
            Ok(data) => {
                println!(
                    "{} is already there ({}); use --force to fetch it again",
                    target.display(),
                    counts(&data)
                );
                return Ok(());
            }
            Err(e) => eprintln!(
                "{} is there but unreadable ({e}); fetching it again",
                target.display()
            ),
        }
    }
    std::fs::create_dir_all(&args.dest).map_err(|source| CliError::Write {
        path: args.dest.clone(),
        source,
    })?;
    let cannot_write = |source| CliError::Write {
        path: args.dest.clone(),
        source,
    };
    remove_stale_parts(&args.dest);
    let mut builder = tempfile::Builder::new();
    builder.prefix(PART_PREFIX).suffix(PART_SUFFIX);
    // A temporary file is private (0600) by default; the kept archive should
    // be an ordinary readable file (the umask still applies).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut part = builder.tempfile_in(&args.dest).map_err(cannot_write)?;

    let sums = match &source {
        Source::Local { path, named_by, .. } => {
            eprintln!("copying {} (named by {named_by})", path.display());
            copy(path, part.as_file_mut())?
        }
        Source::Remote { url, .. } => {
            eprintln!("downloading {url}");
            download::download(url, part.as_file_mut())?
        }
    };
    if let Some(expected) = source.expected_md5() {
        if sums.md5 != expected {
            return Err(CliError::Fetch(format!(
                "checksum mismatch for {}: md5 {} but expected {expected} \
                 (a damaged download, or not the CIFAR-10 archive); nothing was saved",
                source.origin(),
                sums.md5
            )));
        }
    }
    let data = Cifar10::from_archive_path(part.path(), |_| {}).map_err(|e| {
        CliError::Fetch(format!(
            "{} is not a usable CIFAR-10 archive ({e}); nothing was saved",
            source.origin()
        ))
    })?;
    part.persist(&target).map_err(|e| cannot_write(e.error))?;

    println!(
        "saved {} ({} bytes): {}",
        target.display(),
        thousands(sums.bytes as usize),
        counts(&data)
    );
    println!("sha256 {}", sums.sha256);
    println!("md5    {}", md5_note(&sums, &source));
    Ok(())
}

/// `--from`, else `--url`, else `$NNLAB_CIFAR10`, else the official address.
fn source(args: &FetchArgs) -> CliResult<Source> {
    let given_md5 = match &args.md5 {
        Some(text) => Some(checksum::parse_md5(text).ok_or_else(|| {
            CliError::Usage(format!("md5: expected 32 hex digits, got '{text}'"))
        })?),
        None => None,
    };
    let local = |path: PathBuf, named_by: &str| Source::Local {
        path,
        named_by: named_by.into(),
        md5: given_md5.clone(),
    };
    let remote = |url: &str| Source::Remote {
        url: url.into(),
        md5: given_md5.clone().unwrap_or_else(|| OFFICIAL_MD5.into()),
    };
    if let Some(path) = &args.from {
        return Ok(local(path.clone(), "--from"));
    }
    if let Some(url) = &args.url {
        return Ok(remote(url));
    }
    match std::env::var_os(ENV_VAR) {
        Some(path) if !path.is_empty() => Ok(local(PathBuf::from(path), ENV_VAR)),
        _ => Ok(remote(OFFICIAL_URL)),
    }
}

/// Copies a local archive into `file` with a progress bar.
fn copy(path: &Path, file: &mut File) -> CliResult<Sums> {
    let cannot_read = |source| CliError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut input = File::open(path).map_err(cannot_read)?;
    if input.metadata().map_err(cannot_read)?.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is a folder; fetch copies the {ARCHIVE_NAME} archive itself",
            path.display()
        )));
    }
    let total = input.metadata().map_err(cannot_read)?.len();
    let bar = progress::bytes(Some(total), "copying", false);
    let sums = checksum::copy_hashing(&mut input, &mut BufWriter::new(file), &bar)
        .map_err(|e| CliError::Fetch(format!("cannot copy {}: {e}", path.display())))?;
    bar.finish_and_clear();
    Ok(sums)
}

/// "50,000 training and 10,000 test images".
fn counts(data: &Cifar10) -> String {
    format!(
        "{} training and {} test images",
        thousands(data.train.len()),
        thousands(data.test.len())
    )
}

/// The md5 and what it says about the file.
fn md5_note(sums: &Sums, source: &Source) -> String {
    if sums.md5 == OFFICIAL_MD5 {
        format!("{} (the official archive's)", sums.md5)
    } else if source.expected_md5().is_some() {
        format!("{} (as --md5 asked)", sums.md5)
    } else {
        format!(
            "{} — note: the official archive's is {OFFICIAL_MD5}; this copy is not \
             byte-identical (e.g. a re-encoded variant) but reads as CIFAR-10, so it was kept",
            sums.md5
        )
    }
}
