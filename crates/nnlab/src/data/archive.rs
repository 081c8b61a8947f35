//! Reading `cifar-10-binary.tar.gz` as downloaded: gzip, then tar, streamed
//! entry by entry straight into the datasets' buffers (the unpacked files
//! never exist as a whole in memory), with progress reports for the UI.
//!
//! When something is wrong the error says which layer: not gzip at all, a
//! damaged or cut-off gzip stream, something inside that is not a tar, or a
//! file in the tar that is cut off.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::cifar::{check_claim, BatchFile, Cifar10, Collector};
use crate::error::{printable, Error, Result};

/// How far reading has got: `done` of `total` compressed bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Compressed bytes read so far.
    pub done: u64,
    /// Size of the compressed archive in bytes.
    pub total: u64,
}

impl Progress {
    /// `done / total` in [0, 1] (1 when `total` is 0).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        }
    }
}

/// Progress is reported about once per this many compressed bytes (1 MiB),
/// plus once at the start and once at the end: about 170 reports for the
/// CIFAR-10 archive, few enough to post each one from a web worker.
pub const PROGRESS_STEP: u64 = 1 << 20;

/// The two bytes every gzip file starts with.
pub(super) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl Cifar10 {
    /// Read the archive from its bytes (e.g. a file dropped on the page or
    /// fetched). All five training batches and the test batch must be there;
    /// other entries are ignored. `progress` is called as the compressed
    /// bytes are consumed (see [`PROGRESS_STEP`]).
    pub fn from_archive(bytes: &[u8], progress: impl FnMut(Progress)) -> Result<Cifar10> {
        read_archive(bytes, bytes.len() as u64, progress)
    }

    /// [`Cifar10::from_archive`] streaming from a file.
    pub fn from_archive_path(
        path: impl AsRef<Path>,
        progress: impl FnMut(Progress),
    ) -> Result<Cifar10> {
        let path = path.as_ref();
        let cannot =
            |e: io::Error| Error::Unreadable(format!("cannot read {}: {e}", path.display()));
        let file = File::open(path).map_err(cannot)?;
        let total = file.metadata().map_err(cannot)?.len();
        read_archive(BufReader::new(file), total, progress)
    }
}

fn read_archive(
    reader: impl Read,
    total: u64,
    mut progress: impl FnMut(Progress),
) -> Result<Cifar10> {
    progress(Progress { done: 0, total });
    let mut counted = Counted {
        inner: reader,
        done: 0,
        next_report: PROGRESS_STEP,
        total,
        progress: &mut progress,
    };
    let mut magic = [0u8; 2];
    let read = read_up_to(&mut counted, &mut magic)
        .map_err(|e| Error::InvalidData(format!("cannot read the archive: {e}")))?;
    if read < 2 || magic != GZIP_MAGIC {
        return Err(Error::InvalidData(format!(
            "not a gzip file: it starts with {}, a .tar.gz starts with 1f 8b",
            hex(&magic[..read])
        )));
    }

    let state = Cell::new(Stream::Fine);
    let gunzip = MultiGzDecoder::new(io::Cursor::new(magic).chain(counted));
    let mut tar = tar::Archive::new(Watched {
        inner: gunzip,
        state: &state,
    });
    let mut collector = Collector::default();
    let mut entries_seen = 0usize;
    let entries = tar.entries().map_err(|e| diagnose(&state, e, None))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| diagnose(&state, e, None))?;
        entries_seen += 1;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map_err(|e| diagnose(&state, e, None))?
            .to_string_lossy()
            .into_owned();
        // Quoted in messages: a crafted name must not reach a terminal raw.
        let name = printable(&name);
        let size = entry.size();
        match BatchFile::from_name(&name) {
            None => {}
            Some(BatchFile::Meta) => {
                check_claim(BatchFile::Meta, size)?;
                let mut text = Vec::new();
                entry
                    .read_to_end(&mut text)
                    .map_err(|e| diagnose(&state, e, Some(&name)))?;
                collector.add_meta(&text)?;
            }
            Some(file) => {
                collector.read_batch(file, &name, size, &mut entry, &|e| {
                    diagnose(&state, e, Some(&name))
                })?;
            }
        }
    }
    if entries_seen == 0 {
        return Err(Error::InvalidData(
            "the archive is empty (a gzip file with no tar entries)".into(),
        ));
    }
    let cifar = collector.finish(true)?;
    progress(Progress { done: total, total });
    Ok(cifar)
}

/// What the gzip layer has reported so far.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stream {
    Fine,
    /// The decompressor returned an error: the gzip data is damaged.
    Failed,
    /// The decompressed stream ended (all later reads give nothing).
    Ended,
}

/// The decompressed stream, watched so an error from the tar reader can be
/// blamed on the right layer.
struct Watched<'a, R> {
    inner: R,
    state: &'a Cell<Stream>,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(0) if !buf.is_empty() => {
                self.state.set(Stream::Ended);
                Ok(0)
            }
            Ok(n) => Ok(n),
            Err(e) => {
                self.state.set(Stream::Failed);
                Err(e)
            }
        }
    }
}

/// An error from inside the tar reader, explained by what the gzip layer saw.
fn diagnose(state: &Cell<Stream>, e: io::Error, file: Option<&str>) -> Error {
    let inside = file.map(|f| format!(" in {f}")).unwrap_or_default();
    Error::InvalidData(match state.get() {
        Stream::Failed => format!("the gzip data is damaged or cut off{inside}: {e}"),
        Stream::Ended => {
            format!("the archive ends too early{inside} (a truncated or incomplete download?): {e}")
        }
        Stream::Fine => format!("the gzip file does not hold a valid tar archive{inside}: {e}"),
    })
}

/// The compressed input, counting bytes and reporting progress.
struct Counted<'p, R> {
    inner: R,
    done: u64,
    next_report: u64,
    total: u64,
    progress: &'p mut dyn FnMut(Progress),
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        if self.done >= self.next_report {
            (self.progress)(Progress {
                done: self.done.min(self.total),
                total: self.total,
            });
            self.next_report = (self.done / PROGRESS_STEP + 1) * PROGRESS_STEP;
        }
        Ok(n)
    }
}

/// Fill `buf` as far as the reader allows; returns how many bytes were read.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

pub(super) fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "nothing (the file is empty)".into();
    }
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_fraction() {
        assert_eq!(Progress { done: 1, total: 4 }.fraction(), 0.25);
        assert_eq!(Progress { done: 0, total: 0 }.fraction(), 1.0);
    }

    #[test]
    fn hex_of_the_first_bytes() {
        assert_eq!(hex(&[0x50, 0x4b]), "50 4b");
        assert_eq!(hex(&[]), "nothing (the file is empty)");
    }
}
