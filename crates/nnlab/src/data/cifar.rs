//! CIFAR-10's binary format and the assembly of its files into a training
//! and a test [`Dataset`].
//!
//! The official `cifar-10-binary.tar.gz` unpacks to `cifar-10-batches-bin/`
//! with `data_batch_1.bin` … `data_batch_5.bin` (10,000 training images
//! each), `test_batch.bin` (10,000 test images) and `batches.meta.txt` (the
//! ten class names, one a line). A `.bin` file is a sequence of 3,073-byte
//! records: one label byte (0–9), then the 1,024 red, 1,024 green and 1,024
//! blue bytes of a 32×32 image, each plane row by row.
//!
//! So the training set has **50,000** images, not the 60,000 the lecture
//! states (60,000 is training plus test).

use std::io::{self, Read};

use super::{Dataset, ImageShape};
use crate::error::{printable, Error, Result};
use crate::nn::thousands;

/// Pixel bytes of one image: 3 × 32 × 32.
pub const IMAGE_BYTES: usize = 3 * 32 * 32;
/// Bytes of one record: the label byte, then the image.
pub const RECORD_BYTES: usize = 1 + IMAGE_BYTES;
/// Records in each official batch file.
pub const BATCH_RECORDS: usize = 10_000;
/// Number of training batch files.
pub const TRAIN_BATCHES: u8 = 5;
/// The class names in label order, as in `batches.meta.txt`.
pub const CLASS_NAMES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// The longest `batches.meta.txt` read from an archive; the real one is 60 bytes.
pub(super) const MAX_META_BYTES: u64 = 64 * 1024;

/// Which file of the CIFAR-10 distribution a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BatchFile {
    /// `data_batch_<n>.bin`, n in 1..=5.
    Train(u8),
    /// `test_batch.bin`.
    Test,
    /// `batches.meta.txt`.
    Meta,
}

impl BatchFile {
    /// Recognise a file by the last component of its path (any folder, `/`
    /// or `\` separated); `None` for every other file.
    pub fn from_name(path: &str) -> Option<BatchFile> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        match name {
            "test_batch.bin" => Some(BatchFile::Test),
            "batches.meta.txt" => Some(BatchFile::Meta),
            _ => {
                let n: u8 = name
                    .strip_prefix("data_batch_")?
                    .strip_suffix(".bin")?
                    .parse()
                    .ok()?;
                (1..=TRAIN_BATCHES)
                    .contains(&n)
                    .then_some(BatchFile::Train(n))
            }
        }
    }

    /// The file's name in the official distribution.
    pub fn file_name(self) -> String {
        match self {
            BatchFile::Train(n) => format!("data_batch_{n}.bin"),
            BatchFile::Test => "test_batch.bin".into(),
            BatchFile::Meta => "batches.meta.txt".into(),
        }
    }
}

/// The CIFAR-10 training and test sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Cifar10 {
    /// The training images: 50,000, or 10,000 per batch file if only some were given.
    pub train: Dataset,
    /// The test images, from `test_batch.bin` (10,000 in the real set).
    pub test: Dataset,
    /// Which `data_batch_<n>.bin` files the training set was built from, in
    /// ascending order; the training images are in this order too.
    train_batches: Vec<u8>,
}

impl Cifar10 {
    /// The training set from any non-empty subset of `data_batch_1.bin` …
    /// `data_batch_5.bin` (see [`Cifar10::train_batches`]) and the test set
    /// from `test_batch.bin`, given as `(name, bytes)` — e.g. the files a
    /// user dropped on the page. `batches.meta.txt` supplies the class names
    /// if present ([`CLASS_NAMES`] otherwise). Other files are ignored.
    pub fn from_files(files: &[(&str, &[u8])]) -> Result<Cifar10> {
        let mut collector = Collector::default();
        for &(name, bytes) in files {
            let name = &printable(name);
            match BatchFile::from_name(name) {
                None => {}
                Some(BatchFile::Meta) => collector.add_meta(bytes)?,
                Some(file) => {
                    let mut reader = bytes;
                    collector.read_batch(file, name, bytes.len() as u64, &mut reader, &|e| {
                        Error::InvalidData(format!("{name}: {e}"))
                    })?;
                }
            }
        }
        collector.finish(false)
    }

    /// The batch numbers (1–5) the training set holds, ascending.
    pub fn train_batches(&self) -> &[u8] {
        &self.train_batches
    }

    /// The batch numbers (1–5) that were not supplied.
    pub fn missing_train_batches(&self) -> Vec<u8> {
        (1..=TRAIN_BATCHES)
            .filter(|n| !self.train_batches.contains(n))
            .collect()
    }

    /// True if all five training batches are present.
    pub fn is_complete(&self) -> bool {
        self.missing_train_batches().is_empty()
    }
}

/// One `.bin` file as a dataset of 32×32 colour images with the standard
/// class names. `name` is only used in error messages.
pub fn parse_batch(name: &str, bytes: &[u8]) -> Result<Dataset> {
    let records = record_count(name, bytes.len() as u64)?;
    let mut labels = Vec::new();
    let mut images = Vec::new();
    let mut reader = bytes;
    read_records(&mut reader, records, &mut labels, &mut images)
        .map_err(|e| Error::InvalidData(format!("{name}: {e}")))?;
    check_labels(name, &labels)?;
    Dataset::new(images, labels, ImageShape::CIFAR, standard_names())
}

/// The class names of `batches.meta.txt`: one a line, blank lines and
/// surrounding spaces ignored; there must be exactly ten.
pub fn parse_meta(bytes: &[u8]) -> Result<Vec<String>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::InvalidData(format!("batches.meta.txt is not UTF-8 text: {e}")))?;
    let names: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(String::from)
        .collect();
    if names.len() != CLASS_NAMES.len() {
        return Err(Error::InvalidData(format!(
            "batches.meta.txt names {} classes; CIFAR-10 has {}",
            names.len(),
            CLASS_NAMES.len()
        )));
    }
    Ok(names)
}

fn standard_names() -> Vec<String> {
    CLASS_NAMES.map(String::from).to_vec()
}

/// Records in `file` if it has `size` bytes, or the error for a size no
/// such file can have: refused when the size is read, so nothing is ever
/// allocated for it.
pub fn check_claim(file: BatchFile, size: u64) -> Result<usize> {
    let name = file.file_name();
    if file == BatchFile::Meta {
        if size > MAX_META_BYTES {
            return Err(Error::InvalidData(format!(
                "{name} claims {}; it should be a short list of class names (at most {})",
                super::stream::bytes(size),
                super::stream::bytes(MAX_META_BYTES)
            )));
        }
        return Ok(0);
    }
    if size > (BATCH_RECORDS * RECORD_BYTES) as u64 {
        return Err(Error::InvalidData(format!(
            "{name} claims {}; a CIFAR-10 batch file is at most {} ({} records of {} bytes)",
            super::stream::bytes(size),
            thousands((BATCH_RECORDS * RECORD_BYTES) as u64),
            thousands(BATCH_RECORDS as u64),
            thousands(RECORD_BYTES as u64)
        )));
    }
    record_count(&name, size)
}

/// The number of records in a file of `size` bytes, or an error saying how
/// far it is from a whole number of records.
pub(super) fn record_count(name: &str, size: u64) -> Result<usize> {
    let record = RECORD_BYTES as u64;
    if size == 0 {
        return Err(Error::InvalidData(format!(
            "{name} is empty; it should hold records of {RECORD_BYTES} bytes"
        )));
    }
    let (whole, extra) = (size / record, size % record);
    if whole > BATCH_RECORDS as u64 {
        return Err(Error::InvalidData(format!(
            "{name} claims {} ({size} bytes), but a CIFAR-10 batch file holds {} at most \
             (not the official file?)",
            counted(whole, "record"),
            counted(BATCH_RECORDS as u64, "record"),
        )));
    }
    if extra != 0 {
        return Err(Error::InvalidData(format!(
            "{name} is {size} bytes, not a whole number of {RECORD_BYTES}-byte records: \
             {} and {} extra, or {} missing for {} (a truncated or damaged file?)",
            counted(whole, "record"),
            counted(extra, "byte"),
            counted(record - extra, "byte"),
            counted(whole + 1, "record"),
        )));
    }
    usize::try_from(whole).map_err(|_| Error::InvalidData(format!("{name} is too large")))
}

/// "1 record", "2 records".
fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Records read before the buffers grow again: memory follows the bytes that
/// have arrived, never the size a header claims (3 MB a step).
const RECORDS_PER_STEP: usize = 1_000;

/// Append `records` records from `reader`: the label bytes to `labels`, the
/// pixel bytes to `images`. Reads straight into the destination, without an
/// intermediate copy of the file, growing the buffers a step at a time as
/// the records arrive.
fn read_records(
    reader: &mut dyn Read,
    records: usize,
    labels: &mut Vec<u8>,
    images: &mut Vec<u8>,
) -> io::Result<()> {
    let mut left = records;
    while left > 0 {
        let step = left.min(RECORDS_PER_STEP);
        let (first_label, first_image) = (labels.len(), images.len());
        labels.resize(first_label + step, 0);
        images.resize(first_image + step * IMAGE_BYTES, 0);
        let pixels = images[first_image..].chunks_exact_mut(IMAGE_BYTES);
        for (label, pixels) in labels[first_label..].iter_mut().zip(pixels) {
            reader.read_exact(std::slice::from_mut(label))?;
            reader.read_exact(pixels)?;
        }
        left -= step;
    }
    Ok(())
}

fn check_labels(name: &str, labels: &[u8]) -> Result<()> {
    match labels
        .iter()
        .position(|&l| usize::from(l) >= CLASS_NAMES.len())
    {
        Some(i) => Err(Error::InvalidData(format!(
            "{name}: record {i} has label {}, but CIFAR-10 labels are 0 to 9",
            labels[i]
        ))),
        None => Ok(()),
    }
}

/// Gathers the files of the distribution in whatever order they come and
/// keeps the training records in batch order (1, 2, …, 5). The official
/// archive stores them as 4, 5, 2, 1, 3, so a batch that arrives after a
/// higher-numbered one is rotated into place: that reorders the one training
/// buffer in place instead of keeping a second copy of 150 MB.
#[derive(Default)]
pub(super) struct Collector {
    train_labels: Vec<u8>,
    train_images: Vec<u8>,
    /// (batch number, records), ascending by number: the layout of the buffers.
    train_parts: Vec<(u8, usize)>,
    test: Option<(Vec<u8>, Vec<u8>)>,
    class_names: Option<Vec<String>>,
}

impl Collector {
    /// Read a training or test file of `size` bytes from `reader`. I/O errors
    /// become the error `io_error` makes of them (the archive reader tells a
    /// damaged gzip stream from a truncated tar that way).
    pub(super) fn read_batch(
        &mut self,
        file: BatchFile,
        name: &str,
        size: u64,
        reader: &mut dyn Read,
        io_error: &dyn Fn(io::Error) -> Error,
    ) -> Result<()> {
        let records = record_count(name, size)?;
        match file {
            BatchFile::Train(n) => self.read_train(n, name, records, reader, io_error),
            BatchFile::Test => {
                if self.test.is_some() {
                    return Err(Error::InvalidData(format!("{name} appears twice")));
                }
                let (mut labels, mut images) = (Vec::new(), Vec::new());
                read_records(reader, records, &mut labels, &mut images).map_err(io_error)?;
                check_labels(name, &labels)?;
                self.test = Some((labels, images));
                Ok(())
            }
            BatchFile::Meta => unreachable!("batches.meta.txt goes to add_meta"),
        }
    }

    fn read_train(
        &mut self,
        number: u8,
        name: &str,
        records: usize,
        reader: &mut dyn Read,
        io_error: &dyn Fn(io::Error) -> Error,
    ) -> Result<()> {
        if self.train_parts.iter().any(|&(n, _)| n == number) {
            return Err(Error::InvalidData(format!("{name} appears twice")));
        }
        let start = self.train_labels.len();
        read_records(
            reader,
            records,
            &mut self.train_labels,
            &mut self.train_images,
        )
        .map_err(io_error)?;
        check_labels(name, &self.train_labels[start..])?;
        // This batch has arrived whole: make room for the batches not yet
        // seen, as large as this one, so the official files need no more
        // reallocations (each would copy the whole training set).
        let unseen = usize::from(TRAIN_BATCHES) - self.train_parts.len() - 1;
        self.train_labels.reserve_exact(unseen * records);
        self.train_images
            .reserve_exact(unseen * records * IMAGE_BYTES);

        let slot = self.train_parts.partition_point(|&(n, _)| n < number);
        let before: usize = self.train_parts[..slot].iter().map(|&(_, r)| r).sum();
        self.train_labels[before..].rotate_right(records);
        self.train_images[before * IMAGE_BYTES..].rotate_right(records * IMAGE_BYTES);
        self.train_parts.insert(slot, (number, records));
        Ok(())
    }

    pub(super) fn add_meta(&mut self, bytes: &[u8]) -> Result<()> {
        self.class_names = Some(parse_meta(bytes)?);
        Ok(())
    }

    /// The two datasets. With `require_all`, all five training batches must
    /// be there (the archive as downloaded); otherwise any of them will do.
    pub(super) fn finish(self, require_all: bool) -> Result<Cifar10> {
        let Some((test_labels, test_images)) = self.test else {
            if self.train_parts.is_empty() {
                return Err(Error::InvalidData(
                    "no CIFAR-10 files found (expected data_batch_1.bin … data_batch_5.bin \
                     and test_batch.bin)"
                        .into(),
                ));
            }
            return Err(Error::InvalidData(
                "test_batch.bin is missing; it holds the 10,000 test images".into(),
            ));
        };
        if self.train_parts.is_empty() {
            return Err(Error::InvalidData(
                "no training batch found (data_batch_1.bin … data_batch_5.bin)".into(),
            ));
        }
        let train_batches: Vec<u8> = self.train_parts.iter().map(|&(n, _)| n).collect();
        let missing: Vec<String> = (1..=TRAIN_BATCHES)
            .filter(|n| !train_batches.contains(n))
            .map(|n| BatchFile::Train(n).file_name())
            .collect();
        if require_all && !missing.is_empty() {
            return Err(Error::InvalidData(format!(
                "{} missing; the full training set needs all five training batches",
                missing.join(", ")
            )));
        }
        let names = self.class_names.unwrap_or_else(standard_names);
        let mut train_images = self.train_images;
        train_images.shrink_to_fit();
        let mut train_labels = self.train_labels;
        train_labels.shrink_to_fit();
        Ok(Cifar10 {
            train: Dataset::new(train_images, train_labels, ImageShape::CIFAR, names.clone())?,
            test: Dataset::new(test_images, test_labels, ImageShape::CIFAR, names)?,
            train_batches,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_recognised_in_any_folder() {
        assert_eq!(
            BatchFile::from_name("cifar-10-batches-bin/data_batch_3.bin"),
            Some(BatchFile::Train(3))
        );
        assert_eq!(
            BatchFile::from_name("C:\\x\\test_batch.bin"),
            Some(BatchFile::Test)
        );
        assert_eq!(
            BatchFile::from_name("batches.meta.txt"),
            Some(BatchFile::Meta)
        );
        assert_eq!(BatchFile::from_name("data_batch_6.bin"), None);
        assert_eq!(BatchFile::from_name("data_batch_1.bin.bak"), None);
        assert_eq!(BatchFile::from_name("readme.html"), None);
        assert_eq!(BatchFile::Train(5).file_name(), "data_batch_5.bin");
    }

    #[test]
    fn record_count_explains_a_bad_size() {
        assert_eq!(record_count("a.bin", 2 * 3073), Ok(2));
        // 3073·2 + 5 = 6151: 2 records, 5 bytes extra, 3068 missing for 3.
        let err = record_count("a.bin", 6151).unwrap_err().to_string();
        assert!(err.contains("a.bin is 6151 bytes"), "{err}");
        assert!(
            err.contains("2 records and 5 bytes extra, or 3068 bytes missing for 3"),
            "{err}"
        );
        assert!(record_count("a.bin", 0)
            .unwrap_err()
            .to_string()
            .contains("empty"));
        // A claim beyond the official 10,000 records is refused before anything is allocated.
        assert_eq!(record_count("a.bin", 10_000 * 3073), Ok(10_000));
        let err = record_count("a.bin", 10_001 * 3073)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("claims 10001 records") && err.contains("10000 records at most"),
            "{err}"
        );
        let err = record_count("a.bin", 100_000_000_000 / 3073 * 3073)
            .unwrap_err()
            .to_string();
        assert!(err.contains("claims 32541490 records"), "{err}");
    }
}
