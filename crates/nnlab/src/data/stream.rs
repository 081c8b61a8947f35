//! CIFAR-10 decoded as its bytes arrive, for a Web Worker that receives the
//! 174 MB archive as network chunks and cannot block waiting for more.
//!
//! [`StreamDecoder::feed`] takes whatever bytes came and appends what they
//! completed as [`StreamEvent`]s: training can start on the first records
//! while the rest downloads, and the compressed archive, the tar and the
//! decoded set never exist at once. Between calls the decoder keeps only
//! what it must: the inflate window, one output buffer, a partial header or
//! record.
//!
//! Three layers, each a small state machine that accepts any split of its
//! input:
//!
//! 1. gzip ([`gzip_stream`](super::gzip_stream)): compressed bytes to unpacked bytes;
//! 2. tar ([`tar_stream`](super::tar_stream)): unpacked bytes to entries and their data;
//! 3. here: which entries are CIFAR-10 files, whether their sizes can be
//!    true, and their records, checked and grouped into events.
//!
//! A claimed size is never trusted: a header that says a batch file has
//! 100 GB is refused when it is read, and buffers grow only with bytes that
//! arrived. Errors say which layer and which byte.
//!
//! [`Cifar10::from_archive`](super::Cifar10::from_archive), the whole-file
//! reader, is what it is tested against.

use std::mem;

use super::cifar::{
    check_claim, parse_meta, record_count, BatchFile, BATCH_RECORDS, CLASS_NAMES, IMAGE_BYTES,
    MAX_META_BYTES, RECORD_BYTES, TRAIN_BATCHES,
};
use super::gzip_stream::{Gunzip, Stop};
use super::tar_stream::{Entry, Piece, Untar};
use crate::error::{Error, Result};
use crate::nn::thousands;

/// The most bytes a batch file can have: 10,000 records of 3,073 bytes.
const MAX_BATCH_BYTES: u64 = (BATCH_RECORDS * RECORD_BYTES) as u64;

/// What the decoder found in the bytes fed so far, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    /// A file of the distribution begins. `records`: how many it holds, from
    /// its size in the tar header (checked, at most [`BATCH_RECORDS`]); for a
    /// loose file of unknown size, [`BATCH_RECORDS`], the most it may hold;
    /// 0 for `batches.meta.txt`.
    FileStarted {
        /// Which file.
        file: BatchFile,
        /// How many records it holds (see above).
        records: usize,
    },
    /// Consecutive records of `file`: `first` is the index within the file
    /// of the first one; `labels.len()` records, `images` their
    /// `labels.len() · IMAGE_BYTES` planar pixel bytes. Labels are checked (0–9).
    Records {
        /// The file they are from.
        file: BatchFile,
        /// Index within the file of the first record.
        first: usize,
        /// One label (0–9) per record.
        labels: Vec<u8>,
        /// The records' planar pixel bytes, [`IMAGE_BYTES`] per record.
        images: Vec<u8>,
    },
    /// The ten class names of `batches.meta.txt` (see [`parse_meta`]).
    ClassNames(Vec<String>),
    /// All records of `file` were delivered (for `batches.meta.txt`: its
    /// class names were).
    FileEnded {
        /// Which file.
        file: BatchFile,
    },
}

/// A push decoder for `cifar-10-binary.tar.gz` or one of its files: feed it
/// chunks as they come, get back the records they completed.
///
/// ```
/// use nnlab::data::{StreamDecoder, StreamEvent};
///
/// let mut decoder = StreamDecoder::archive();
/// let mut events = Vec::new();
/// // for chunk in network_chunks { decoder.feed(chunk, &mut events)?; use events.drain(..) }
/// let err = decoder.finish(&mut events).unwrap_err();
/// assert!(err.to_string().contains("not a gzip file"));
/// ```
pub struct StreamDecoder {
    input: Input,
    files: Files,
    state: State,
}

/// Where the bytes go before they are CIFAR-10 files.
// One per decoder, so the archive variant's size (the tar header block) costs nothing.
#[allow(clippy::large_enum_variant)]
enum Input {
    /// `cifar-10-binary.tar.gz`: gzip around a tar.
    Archive { gunzip: Gunzip, untar: Untar },
    /// One file of the distribution as it is; `got` bytes so far.
    Loose {
        file: BatchFile,
        size: Option<u64>,
        got: u64,
    },
}

enum State {
    Running,
    /// The first error, returned again by every later call.
    Failed(Error),
    /// `finish` succeeded.
    Finished,
}

impl StreamDecoder {
    /// For `cifar-10-binary.tar.gz` (gzip, possibly multi-member, containing a tar).
    pub fn archive() -> StreamDecoder {
        StreamDecoder {
            input: Input::Archive {
                gunzip: Gunzip::new(),
                untar: Untar::new(),
            },
            files: Files::new("of the unpacked archive"),
            state: State::Running,
        }
    }

    /// For one loose file of the distribution (e.g. a dropped
    /// `data_batch_1.bin`, or `batches.meta.txt`), `size` bytes if known
    /// (`File.size`; a fetch may not know). Errors if `name` is not such a
    /// file, or if `size` is impossible for it.
    pub fn batch_file(name: &str, size: Option<u64>) -> Result<StreamDecoder> {
        let file = BatchFile::from_name(name).ok_or_else(|| {
            Error::InvalidData(format!(
                "{name} is not a file of the CIFAR-10 binary distribution \
                 (data_batch_1.bin … data_batch_5.bin, test_batch.bin, batches.meta.txt)"
            ))
        })?;
        if let Some(size) = size {
            check_claim(file, size)?;
        }
        Ok(StreamDecoder {
            input: Input::Loose { file, size, got: 0 },
            files: Files::new("of the file"),
            state: State::Running,
        })
    }

    /// Decode the next bytes, appending what was found to `events` (records
    /// of one file in as few [`StreamEvent::Records`] as possible). On error,
    /// the events appended before it are valid; the decoder is then finished
    /// and every later call returns the same error.
    pub fn feed(&mut self, bytes: &[u8], events: &mut Vec<StreamEvent>) -> Result<()> {
        match &self.state {
            State::Running => {}
            State::Failed(e) => return Err(e.clone()),
            State::Finished => {
                return Err(Error::InvalidData(
                    "bytes fed to a stream decoder after finish".into(),
                ))
            }
        }
        let mut out = Emit::new(events);
        let files = &mut self.files;
        let result = match &mut self.input {
            Input::Archive { gunzip, untar } => feed_archive(gunzip, untar, files, bytes, &mut out),
            Input::Loose { file, size, got } => {
                feed_loose(*file, *size, got, files, bytes, &mut out)
            }
        };
        self.settle(result)
    }

    /// The input ended. Errors if the archive or file was cut off, if it has
    /// no entries, or if a file of the distribution is missing (an archive
    /// needs all five data batches and `test_batch.bin`;
    /// `batches.meta.txt` is optional). Calling it again returns the same.
    pub fn finish(&mut self, events: &mut Vec<StreamEvent>) -> Result<()> {
        match &self.state {
            State::Running => {}
            State::Failed(e) => return Err(e.clone()),
            State::Finished => return Ok(()),
        }
        let mut out = Emit::new(events);
        let bytes_in = self.bytes_in();
        let files = &mut self.files;
        let result = match &self.input {
            Input::Archive { gunzip, untar } => finish_archive(gunzip, untar, files, bytes_in),
            Input::Loose { file, size, got } => finish_loose(*file, *size, *got, files, &mut out),
        };
        let result = self.settle(result);
        if result.is_ok() {
            self.state = State::Finished;
        }
        result
    }

    /// Input bytes consumed so far (compressed bytes for an archive): for a
    /// progress bar against the download's length.
    pub fn bytes_in(&self) -> u64 {
        match &self.input {
            Input::Archive { gunzip, .. } => gunzip.bytes_in(),
            Input::Loose { got, .. } => *got,
        }
    }

    fn settle(&mut self, result: Result<()>) -> Result<()> {
        if let Err(e) = &result {
            self.state = State::Failed(e.clone());
        }
        result
    }

    /// Bytes held between calls, for the memory tests (the inflate state,
    /// a fixed 40-odd KiB inside flate2, not counted).
    #[cfg(test)]
    fn buffered(&self) -> usize {
        let input = match &self.input {
            Input::Archive { gunzip, untar } => gunzip.buffered() + untar.buffered(),
            Input::Loose { .. } => 0,
        };
        input
            + match &self.files.current {
                Current::Batch(batch) => batch.partial.capacity(),
                Current::Meta { text } => text.capacity(),
                Current::Idle | Current::Ignored => 0,
            }
    }
}

/// gzip → tar → files, as far as `input` goes.
fn feed_archive(
    gunzip: &mut Gunzip,
    untar: &mut Untar,
    files: &mut Files,
    mut input: &[u8],
    out: &mut Emit,
) -> Result<()> {
    while let Some(mut unpacked) = gunzip.next(&mut input)? {
        while let Some(piece) = untar.next(&mut unpacked)? {
            match piece {
                Piece::Begin(entry) => files.begin_entry(entry, out)?,
                Piece::Data(bytes) => files.data(bytes, out)?,
                Piece::End => files.end(out)?,
            }
        }
    }
    Ok(())
}

fn finish_archive(gunzip: &Gunzip, untar: &Untar, files: &Files, bytes_in: u64) -> Result<()> {
    let inside = || files.whereabouts().unwrap_or_else(|| untar.whereabouts());
    match gunzip.stop() {
        Stop::NotGzip(e) => return Err(e),
        Stop::Cut(part) => {
            let part = part.map(|p| format!(", {p}")).unwrap_or_default();
            return Err(Error::InvalidData(format!(
                "the archive ends after {}, {}{part}: a truncated or incomplete download?",
                bytes(bytes_in),
                inside()
            )));
        }
        Stop::Complete => {}
    }
    if !untar.at_end() {
        // The download may have stopped between two gzip members, or the
        // tar was already cut when it was compressed: no telling which.
        return Err(Error::InvalidData(format!(
            "the archive ends after {}, {}: its gzip data is complete, but the tar inside it \
             is cut off (a truncated download, or a tar cut off before it was compressed)",
            bytes(bytes_in),
            inside()
        )));
    }
    if untar.entries() == 0 {
        return Err(Error::InvalidData(
            "the archive is empty (a gzip file with no tar entries)".into(),
        ));
    }
    let required = (1..=TRAIN_BATCHES)
        .map(BatchFile::Train)
        .chain([BatchFile::Test]);
    let missing: Vec<String> = required
        .filter(|f| !files.seen.contains(f))
        .map(BatchFile::file_name)
        .collect();
    if missing.len() == usize::from(TRAIN_BATCHES) + 1 {
        return Err(Error::InvalidData(
            "no CIFAR-10 files found in the archive (expected data_batch_1.bin … \
             data_batch_5.bin and test_batch.bin)"
                .into(),
        ));
    }
    if !missing.is_empty() {
        return Err(Error::InvalidData(format!(
            "{} missing from the archive; it needs all five training batches and the test batch",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// A loose file's bytes go straight to the file layer; its size (given,
/// or the most the file can have) bounds them.
fn feed_loose(
    file: BatchFile,
    size: Option<u64>,
    got: &mut u64,
    files: &mut Files,
    bytes: &[u8],
    out: &mut Emit,
) -> Result<()> {
    if files.seen.is_empty() {
        files.begin(file, size, 0, out)?;
    }
    let name = file.file_name();
    let len = bytes.len() as u64;
    match size {
        Some(size) if *got + len > size => {
            return Err(Error::InvalidData(format!(
                "{name} is longer than the {} it was said to have",
                self::bytes(size)
            )))
        }
        None if file == BatchFile::Meta && *got + len > MAX_META_BYTES => {
            return Err(Error::InvalidData(format!(
                "{name} is longer than {}; it should be a short list of class names",
                self::bytes(MAX_META_BYTES)
            )))
        }
        None if *got + len > MAX_BATCH_BYTES => {
            return Err(Error::InvalidData(format!(
                "{name} is longer than {}, the most a CIFAR-10 batch file has \
                 ({} records of {RECORD_BYTES} bytes)",
                self::bytes(MAX_BATCH_BYTES),
                thousands(BATCH_RECORDS as u64)
            )))
        }
        _ => {}
    }
    files.data(bytes, out)?;
    *got += len;
    // The file ends with its last byte, not only at finish.
    if len > 0 && size == Some(*got) {
        files.end(out)?;
    }
    Ok(())
}

fn finish_loose(
    file: BatchFile,
    size: Option<u64>,
    got: u64,
    files: &mut Files,
    out: &mut Emit,
) -> Result<()> {
    if files.seen.is_empty() {
        files.begin(file, size, 0, out)?;
    }
    let name = file.file_name();
    if let Some(size) = size {
        if got < size {
            let record = match &files.current {
                Current::Batch(batch) => format!(", in {}", batch.record_of(batch.done)),
                _ => String::new(),
            };
            return Err(Error::InvalidData(format!(
                "{name} ends after {} of its {}{record}: a truncated or incomplete file?",
                thousands(got),
                bytes(size)
            )));
        }
    }
    if let Current::Batch(batch) = &files.current {
        if !batch.partial.is_empty() {
            return Err(Error::InvalidData(format!(
                "{name} ends after {}, {} into record {}: a batch file is whole records of \
                 {} bytes (a truncated or damaged file?)",
                bytes(got),
                bytes(batch.partial.len() as u64),
                thousands(batch.done as u64 + 1),
                thousands(RECORD_BYTES as u64)
            )));
        }
        record_count(&name, got)?; // an empty file
    }
    files.end(out)
}

/// The caller's event list, and where this call's events start: records
/// are merged into the last event only if this call made it.
struct Emit<'a> {
    events: &'a mut Vec<StreamEvent>,
    from: usize,
}

impl<'a> Emit<'a> {
    fn new(events: &'a mut Vec<StreamEvent>) -> Emit<'a> {
        let from = events.len();
        Emit { events, from }
    }

    fn push(&mut self, event: StreamEvent) {
        self.events.push(event);
    }

    /// The label and image buffers to append record `first` of `file` to:
    /// those of the last event if it holds the records just before it, else
    /// of a new event.
    fn records(&mut self, file: BatchFile, first: usize) -> (&mut Vec<u8>, &mut Vec<u8>) {
        let continues = self.events.len() > self.from
            && matches!(
                self.events.last(),
                Some(StreamEvent::Records { file: f, first: s, labels, .. })
                    if *f == file && s + labels.len() == first
            );
        if !continues {
            self.events.push(StreamEvent::Records {
                file,
                first,
                labels: Vec::new(),
                images: Vec::new(),
            });
        }
        match self.events.last_mut() {
            Some(StreamEvent::Records { labels, images, .. }) => (labels, images),
            _ => unreachable!("the last event is the Records event just checked or pushed"),
        }
    }
}

/// The CIFAR-10 layer: the files seen, and the one being read.
struct Files {
    seen: Vec<BatchFile>,
    current: Current,
    /// What offsets in messages count: "of the unpacked archive", "of the file".
    within: &'static str,
}

enum Current {
    /// Between files.
    Idle,
    Batch(Batch),
    /// `batches.meta.txt`, kept until it is whole (at most 64 KiB).
    Meta {
        text: Vec<u8>,
    },
    /// A tar entry that is no file of the distribution: its data passes by.
    Ignored,
}

impl Files {
    fn new(within: &'static str) -> Files {
        Files {
            seen: Vec::new(),
            current: Current::Idle,
            within,
        }
    }

    /// A regular file of the tar begins: a file of the distribution, or one to ignore.
    fn begin_entry(&mut self, entry: Entry, out: &mut Emit) -> Result<()> {
        let Some(file) = BatchFile::from_name(&entry.name) else {
            self.current = Current::Ignored;
            return Ok(());
        };
        if self.seen.contains(&file) {
            return Err(Error::InvalidData(format!(
                "{} appears twice in the archive (again as {}, whose header is at byte {} of \
                 the unpacked archive)",
                file.file_name(),
                entry.name,
                thousands(entry.header_at)
            )));
        }
        self.begin(file, Some(entry.size), entry.data_at, out)
    }

    /// `file` begins at offset `at`, `size` bytes if known (checked here,
    /// before anything is allocated for it).
    fn begin(&mut self, file: BatchFile, size: Option<u64>, at: u64, out: &mut Emit) -> Result<()> {
        let records = match size {
            Some(size) => check_claim(file, size)?,
            None if file == BatchFile::Meta => 0,
            None => BATCH_RECORDS,
        };
        self.current = match file {
            BatchFile::Meta => Current::Meta { text: Vec::new() },
            _ => Current::Batch(Batch {
                file,
                records,
                exact: size.is_some(),
                done: 0,
                partial: Vec::with_capacity(RECORD_BYTES),
                start: at,
            }),
        };
        self.seen.push(file);
        out.push(StreamEvent::FileStarted { file, records });
        Ok(())
    }

    fn data(&mut self, bytes: &[u8], out: &mut Emit) -> Result<()> {
        match &mut self.current {
            Current::Batch(batch) => batch.take(bytes, out, self.within),
            // The size was checked against MAX_META_BYTES before any byte came.
            Current::Meta { text } => {
                text.extend_from_slice(bytes);
                Ok(())
            }
            Current::Idle | Current::Ignored => Ok(()),
        }
    }

    /// The current file's bytes are all there.
    fn end(&mut self, out: &mut Emit) -> Result<()> {
        match mem::replace(&mut self.current, Current::Idle) {
            Current::Batch(batch) => {
                debug_assert!(
                    batch.partial.is_empty() && (!batch.exact || batch.done == batch.records)
                );
                out.push(StreamEvent::FileEnded { file: batch.file });
            }
            Current::Meta { text } => {
                out.push(StreamEvent::ClassNames(parse_meta(&text)?));
                out.push(StreamEvent::FileEnded {
                    file: BatchFile::Meta,
                });
            }
            Current::Idle | Current::Ignored => {}
        }
        Ok(())
    }

    /// Which file and record the input stopped in, if inside one.
    fn whereabouts(&self) -> Option<String> {
        match &self.current {
            Current::Batch(batch) => Some(format!(
                "in the middle of {} ({})",
                batch.file.file_name(),
                batch.record_of(batch.done)
            )),
            Current::Meta { .. } => Some("in the middle of batches.meta.txt".into()),
            Current::Idle | Current::Ignored => None,
        }
    }
}

/// A training or test batch being read: whole records go straight into the
/// events, a record split between two calls waits in `partial`.
struct Batch {
    file: BatchFile,
    /// Records in the file (`exact`), or the most it may have (size unknown).
    records: usize,
    exact: bool,
    /// Records delivered.
    done: usize,
    /// The first bytes of record `done` (fewer than RECORD_BYTES).
    partial: Vec<u8>,
    /// Offset of the file's first byte, for messages.
    start: u64,
}

impl Batch {
    fn take(&mut self, mut bytes: &[u8], out: &mut Emit, within: &str) -> Result<()> {
        let complete = (self.partial.len() + bytes.len()) / RECORD_BYTES;
        if complete == 0 {
            self.partial.extend_from_slice(bytes);
            return Ok(());
        }
        // The labels of the records completed here, checked before any is
        // delivered: an error leaves no half-filled event behind.
        let to_finish = if self.partial.is_empty() {
            0
        } else {
            RECORD_BYTES - self.partial.len()
        };
        let labels_here = self
            .partial
            .first()
            .into_iter()
            .chain(bytes[to_finish..].iter().step_by(RECORD_BYTES))
            .take(complete);
        for (i, &label) in labels_here.enumerate() {
            if usize::from(label) >= CLASS_NAMES.len() {
                return Err(self.bad_label(self.done + i, label, within));
            }
        }

        let (labels, images) = out.records(self.file, self.done);
        labels.reserve(complete);
        images.reserve(complete * IMAGE_BYTES);
        if !self.partial.is_empty() {
            let (head, rest) = bytes.split_at(to_finish);
            self.partial.extend_from_slice(head);
            bytes = rest;
            labels.push(self.partial[0]);
            images.extend_from_slice(&self.partial[1..]);
            self.partial.clear();
        }
        let mut whole = bytes.chunks_exact(RECORD_BYTES);
        for record in &mut whole {
            labels.push(record[0]);
            images.extend_from_slice(&record[1..]);
        }
        self.done += complete;
        self.partial.extend_from_slice(whole.remainder());
        Ok(())
    }

    fn bad_label(&self, index: usize, label: u8, within: &str) -> Error {
        Error::InvalidData(format!(
            "{}: {} has label {label}, at byte {} {within}; CIFAR-10 labels are 0 to 9",
            self.file.file_name(),
            self.record_of(index),
            thousands(self.start + (index * RECORD_BYTES) as u64)
        ))
    }

    /// "record 4,321 of 10,000" for the record with index `index`, counted from 1.
    fn record_of(&self, index: usize) -> String {
        let number = thousands(index as u64 + 1);
        if self.exact {
            format!("record {number} of {}", thousands(self.records as u64))
        } else {
            format!("record {number}")
        }
    }
}

/// "1 byte", "12,345 bytes".
pub(super) fn bytes(n: u64) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{} bytes", thousands(n))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// A tar header for `name` claiming `size` bytes, as tar-rs writes it
    /// (octal, or base-256 past 8 GiB).
    fn header(name: &str, size: u64) -> Vec<u8> {
        let mut h = tar::Header::new_gnu();
        h.set_path(name).unwrap();
        h.set_size(size);
        h.set_cksum();
        h.as_bytes().to_vec()
    }

    fn message(result: Result<()>) -> String {
        match result {
            Err(Error::InvalidData(m)) => m,
            other => panic!("expected InvalidData, got {other:?}"),
        }
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(30_730_000), "30,730,000");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(bytes(1), "1 byte");
    }

    /// An unknown entry claiming 100 GB is skipped as its bytes come,
    /// without keeping them; the decoder's buffers stay the same size.
    #[test]
    fn skipping_a_huge_unknown_entry_keeps_memory_flat() {
        let mut tar = header("junk.iso", 100_000_000_000);
        tar.resize(tar.len() + (8 << 20), 0x5a);
        let gz = gzip(&tar);
        let mut decoder = StreamDecoder::archive();
        let mut events = Vec::new();
        let mut most = 0;
        for chunk in gz.chunks(64 * 1024) {
            decoder.feed(chunk, &mut events).unwrap();
            most = most.max(decoder.buffered());
        }
        assert!(events.is_empty());
        assert!(most <= 256 * 1024, "{most} bytes buffered");
        let err = message(decoder.finish(&mut events));
        assert!(err.contains("in the middle of junk.iso"), "{err}");
    }

    /// Claims a batch or meta file cannot have are refused as soon as the
    /// header is complete, before any data byte.
    #[test]
    fn impossible_claims_are_refused_at_the_header() {
        let cases: [(&str, u64, &str); 4] = [
            (
                "data_batch_1.bin",
                100_000_000_000,
                "data_batch_1.bin claims 100,000,000,000 bytes; a CIFAR-10 batch file is at \
                 most 30,730,000 (10,000 records of 3,073 bytes)",
            ),
            (
                "test_batch.bin",
                (BATCH_RECORDS as u64 + 1) * RECORD_BYTES as u64,
                "test_batch.bin claims 30,733,073 bytes",
            ),
            (
                "batches.meta.txt",
                1 << 20,
                "batches.meta.txt claims 1,048,576 bytes; it should be a short list of class \
                 names (at most 65,536 bytes)",
            ),
            (
                "data_batch_2.bin",
                3073 * 2 + 1,
                "data_batch_2.bin is 6147 bytes, not a whole number",
            ),
        ];
        for (name, size, expected) in cases {
            let gz = gzip(&header(&format!("cifar-10-batches-bin/{name}"), size));
            let mut decoder = StreamDecoder::archive();
            let err = message(decoder.feed(&gz, &mut Vec::new()));
            assert!(err.starts_with(expected), "{err}");
            assert!(decoder.buffered() <= 256 * 1024);
            // Finished: the same error again.
            assert_eq!(message(decoder.feed(b"more", &mut Vec::new())), err);
            assert_eq!(message(decoder.finish(&mut Vec::new())), err);
        }
    }

    /// A loose batch file of unknown size is bounded by the most a batch file holds.
    #[test]
    fn loose_file_of_unknown_size_is_bounded() {
        let mut decoder = StreamDecoder::batch_file("data_batch_3.bin", None).unwrap();
        let chunk = vec![1u8; 1 << 20];
        let mut events = Vec::new();
        let mut fed = 0;
        let err = loop {
            match decoder.feed(&chunk, &mut events) {
                Ok(()) => fed += chunk.len(),
                Err(e) => break e.to_string(),
            }
            assert!(decoder.buffered() <= RECORD_BYTES);
            events.clear();
        };
        assert_eq!(fed, 29 << 20);
        assert!(
            err.contains("data_batch_3.bin is longer than 30,730,000 bytes"),
            "{err}"
        );

        let mut meta = StreamDecoder::batch_file("batches.meta.txt", None).unwrap();
        let err = message(meta.feed(&vec![b'a'; 70_000], &mut events));
        assert!(err.contains("longer than 65,536 bytes"), "{err}");
    }

    #[test]
    fn records_merge_only_within_one_call() {
        let mut events = vec![StreamEvent::Records {
            file: BatchFile::Test,
            first: 0,
            labels: vec![1],
            images: vec![0; IMAGE_BYTES],
        }];
        let mut out = Emit::new(&mut events);
        out.records(BatchFile::Test, 1).0.push(2);
        out.records(BatchFile::Test, 2).0.push(3);
        out.records(BatchFile::Train(1), 3).0.push(4);
        assert_eq!(events.len(), 3);
        assert!(
            matches!(&events[1], StreamEvent::Records { first: 1, labels, .. } if labels == &[2, 3])
        );
    }
}
