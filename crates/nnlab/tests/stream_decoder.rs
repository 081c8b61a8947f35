//! The push decoder (`StreamDecoder`) against the whole-file reader
//! (`Cifar10::from_archive`) on archives built here: the same records
//! whatever the chunking, and errors that say where, for cut, damaged and
//! lying input. No real data in the repository; the real archive only if
//! `NNLAB_CIFAR10` names it.

use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

use flate2::write::GzEncoder;
use flate2::{Compression, Decompress, FlushDecompress};
use nnlab::data::{
    parse_batch, BatchFile, Cifar10, StreamDecoder, StreamEvent, CLASS_NAMES, IMAGE_BYTES,
    RECORD_BYTES,
};
use nnlab::Error;
use proptest::prelude::*;

// ---------------------------------------------------------------- building archives

/// A deterministic stream of pseudo-random numbers (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in 1..=max.
    fn up_to(&mut self, max: usize) -> usize {
        1 + (self.next() % max as u64) as usize
    }
}

/// `n` records of a batch file. `seed` varies labels and pixels; a third of
/// the images are noise (incompressible), the rest patterns (so a few
/// compressed bytes unpack to many, and the output buffer fills).
fn batch(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut bytes = Vec::with_capacity(n * RECORD_BYTES);
    for i in 0..n {
        bytes.push((rng.next() % 10) as u8);
        if (i as u64 + seed).is_multiple_of(3) {
            bytes.extend((0..IMAGE_BYTES).map(|_| rng.next() as u8));
        } else {
            let (a, b) = (rng.next() as usize, 1 + rng.next() as usize % 5);
            bytes.extend((0..IMAGE_BYTES).map(|j| (a + j / b) as u8));
        }
    }
    bytes
}

/// The class names in capitals, to see that `batches.meta.txt` is used.
fn meta() -> Vec<u8> {
    let mut text = CLASS_NAMES.map(|n| n.to_uppercase()).join("\n");
    text.push('\n');
    text.into_bytes()
}

const DIR: &str = "cifar-10-batches-bin";

/// What goes into a test tar, beyond plain files.
enum Item {
    Dir(&'static str),
    /// A file (GNU header: a path over 100 bytes gets a `L` long-name entry).
    File(String, Vec<u8>),
    /// A file in a POSIX ustar header (a long path is split into prefix and name).
    Ustar(String, Vec<u8>),
    /// A file whose name comes from a pax `x` header; its own header says `placeholder`.
    Pax(String, Vec<u8>),
    Symlink(&'static str, &'static str),
    /// A global pax header `g`, which applies to nothing here.
    Global,
}

fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    while len.to_string().len() + body.len() != len {
        len += 1;
    }
    format!("{len}{body}")
}

fn tar_of(items: &[Item]) -> Vec<u8> {
    fn file(tar: &mut tar::Builder<Vec<u8>>, mut header: tar::Header, path: &str, data: &[u8]) {
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        tar.append_data(&mut header, path, data).unwrap();
    }
    let mut tar = tar::Builder::new(Vec::new());
    for item in items {
        match item {
            Item::Dir(path) => {
                let mut h = tar::Header::new_gnu();
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_size(0);
                tar.append_data(&mut h, path, &[][..]).unwrap();
            }
            Item::File(path, data) => file(&mut tar, tar::Header::new_gnu(), path, data),
            Item::Ustar(path, data) => file(&mut tar, tar::Header::new_ustar(), path, data),
            Item::Pax(path, data) => {
                let pax = pax_record("path", path) + &pax_record("mtime", "1234567890.5");
                let mut h = tar::Header::new_ustar();
                h.set_entry_type(tar::EntryType::XHeader);
                file(&mut tar, h, "PaxHeaders/placeholder", pax.as_bytes());
                file(
                    &mut tar,
                    tar::Header::new_ustar(),
                    &format!("{DIR}/placeholder"),
                    data,
                );
            }
            Item::Symlink(path, target) => {
                let mut h = tar::Header::new_gnu();
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                tar.append_link(&mut h, path, target).unwrap();
            }
            Item::Global => {
                let mut h = tar::Header::new_ustar();
                h.set_entry_type(tar::EntryType::XGlobalHeader);
                file(
                    &mut tar,
                    h,
                    "GlobalHead",
                    pax_record("comment", "made by a test").as_bytes(),
                );
            }
        }
    }
    tar.into_inner().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn path(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// The official entry order (4, 5, 2, meta, 1, 3, test), with batches of
/// different lengths, and every kind of header the decoder must read or skip.
fn rich_tar() -> Vec<u8> {
    let long = format!(
        "{DIR}/{}/data_batch_2.bin",
        "a-folder-name-that-is-long-".repeat(5)
    );
    let prefixed = format!("{DIR}/{}/data_batch_3.bin", "p".repeat(90));
    assert!(long.len() > 100 && prefixed.len() > 100);
    tar_of(&[
        Item::Dir("cifar-10-batches-bin/"),
        Item::File(path("data_batch_4.bin"), batch(3, 4)),
        Item::Pax(path("data_batch_5.bin"), batch(2, 5)),
        Item::Global,
        Item::File(long, batch(4, 2)),
        Item::File(path("batches.meta.txt"), meta()),
        Item::Symlink("cifar-10-batches-bin/latest", "data_batch_1.bin"),
        Item::File(path("data_batch_1.bin"), batch(1, 1)),
        Item::File(path("readme.html"), b"<html>not a batch</html>".to_vec()),
        Item::Ustar(prefixed, batch(5, 3)),
        Item::File(path("test_batch.bin"), batch(3, 99)),
    ])
}

/// The plain official layout with `n` records per file.
fn official_tar(n: usize) -> Vec<u8> {
    let mut items = vec![Item::Dir("cifar-10-batches-bin/")];
    for name in [4, 5, 2].map(|b| format!("data_batch_{b}.bin")) {
        items.push(Item::File(
            path(&name),
            batch(n, name.len() as u64 * 7 + n as u64),
        ));
    }
    items.push(Item::File(path("batches.meta.txt"), meta()));
    for b in [1, 3] {
        items.push(Item::File(
            path(&format!("data_batch_{b}.bin")),
            batch(n, b),
        ));
    }
    items.push(Item::File(path("test_batch.bin"), batch(n, 77)));
    tar_of(&items)
}

/// Where each regular file's header and data are in a tar (by tar-rs).
struct Placed {
    name: String,
    header_at: u64,
    data_at: u64,
    size: u64,
}

fn layout(tar: &[u8]) -> Vec<Placed> {
    let mut archive = tar::Archive::new(tar);
    archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.header().entry_type().is_file())
        .map(|e| Placed {
            name: e.path().unwrap().to_string_lossy().into_owned(),
            header_at: e.raw_header_position(),
            data_at: e.raw_file_position(),
            size: e.size(),
        })
        .collect()
}

/// Where the file whose path ends with `name` is in `tar`.
fn placed(tar: &[u8], name: &str) -> Placed {
    layout(tar)
        .into_iter()
        .find(|p| p.name.ends_with(name))
        .unwrap()
}

struct Archives {
    rich: Vec<u8>,
    /// The rich tar as two gzip members, split inside data_batch_2.bin;
    /// the first member's length.
    two_members: Vec<u8>,
    first_member: usize,
    /// 40 records a file (123 KB each): feeds unpack to more than one output buffer.
    big: Vec<u8>,
}

fn archives() -> &'static Archives {
    static ARCHIVES: OnceLock<Archives> = OnceLock::new();
    ARCHIVES.get_or_init(|| {
        let tar = rich_tar();
        let split = placed(&tar, "data_batch_2.bin").data_at as usize + 5000;
        let first = gzip(&tar[..split]);
        Archives {
            rich: gzip(&tar),
            first_member: first.len(),
            two_members: [first, gzip(&tar[split..])].concat(),
            big: gzip(&official_tar(40)),
        }
    })
}

// ---------------------------------------------------------------- decoding

/// What the events said about one file.
#[derive(Debug, PartialEq)]
struct Got {
    file: BatchFile,
    /// `FileStarted.records`.
    announced: usize,
    labels: Vec<u8>,
    images: Vec<u8>,
    ended: bool,
}

/// What the events said, per file, in order of arrival.
#[derive(Default, Debug, PartialEq)]
struct Decoded {
    files: Vec<Got>,
    class_names: Option<Vec<String>>,
    /// `FileStarted.records` is only a bound (a loose file of unknown size).
    bound_only: bool,
}

impl Decoded {
    /// Take one call's events, checking that they make sense: files one at
    /// a time, records consecutive from 0 and grouped (no two `Records` in
    /// a row for the same file within a call), all announced records
    /// delivered before `FileEnded`.
    fn absorb(&mut self, events: &[StreamEvent]) {
        let mut previous_records = None;
        for event in events {
            let open = self.files.last_mut().filter(|f| !f.ended);
            match event {
                StreamEvent::FileStarted { file, records } => {
                    assert!(open.is_none(), "{file:?} starts inside another file");
                    assert!(self.files.iter().all(|f| f.file != *file), "{file:?} twice");
                    self.files.push(Got {
                        file: *file,
                        announced: *records,
                        labels: Vec::new(),
                        images: Vec::new(),
                        ended: false,
                    });
                }
                StreamEvent::Records {
                    file,
                    first,
                    labels,
                    images,
                } => {
                    let open = open.expect("records outside a file");
                    assert_eq!(open.file, *file);
                    assert_eq!(*first, open.labels.len(), "records not consecutive");
                    assert!(!labels.is_empty());
                    assert_eq!(images.len(), labels.len() * IMAGE_BYTES);
                    assert!(labels.iter().all(|&l| l < 10));
                    assert_ne!(
                        previous_records,
                        Some(*file),
                        "records of one call not grouped"
                    );
                    open.labels.extend_from_slice(labels);
                    open.images.extend_from_slice(images);
                    assert!(
                        open.labels.len() <= open.announced,
                        "more records than announced"
                    );
                }
                StreamEvent::ClassNames(names) => {
                    assert_eq!(open.expect("names outside a file").file, BatchFile::Meta);
                    self.class_names = Some(names.clone());
                }
                StreamEvent::FileEnded { file } => {
                    let open = open.expect("end outside a file");
                    assert_eq!(open.file, *file);
                    if *file != BatchFile::Meta && !self.bound_only {
                        assert_eq!(open.labels.len(), open.announced, "{file:?} ended early");
                    }
                    open.ended = true;
                }
            }
            previous_records = match event {
                StreamEvent::Records { file, .. } => Some(*file),
                _ => None,
            };
        }
    }

    fn file(&self, file: BatchFile) -> Option<&Got> {
        self.files.iter().find(|f| f.file == file)
    }

    /// The records as the whole-file reader arranges them: training batches 1–5, test.
    fn assert_matches(&self, reference: &Cifar10) {
        let (mut labels, mut images) = (Vec::new(), Vec::new());
        for n in 1..=5 {
            let f = self
                .file(BatchFile::Train(n))
                .expect("a training batch is missing");
            assert!(f.ended);
            labels.extend_from_slice(&f.labels);
            images.extend_from_slice(&f.images);
        }
        assert!(labels == reference.train.labels(), "training labels differ");
        assert!(images == reference.train.images(), "training images differ");
        let test = self.file(BatchFile::Test).unwrap();
        assert!(
            test.labels == reference.test.labels() && test.images == reference.test.images(),
            "test set differs"
        );
        let names = self
            .class_names
            .clone()
            .unwrap_or_else(|| CLASS_NAMES.map(String::from).to_vec());
        assert_eq!(names, reference.train.class_names());
    }
}

/// Feed `bytes` in pieces whose sizes come from `sizes`; the decoder's
/// result, what the events said, and bytes_in.
fn decode_with(
    decoder: StreamDecoder,
    bytes: &[u8],
    sizes: impl FnMut() -> usize,
) -> (nnlab::Result<()>, Decoded) {
    decode_into(Decoded::default(), decoder, bytes, sizes)
}

/// [`decode_with`], adding to `decoded`.
fn decode_into(
    mut decoded: Decoded,
    mut decoder: StreamDecoder,
    bytes: &[u8],
    mut sizes: impl FnMut() -> usize,
) -> (nnlab::Result<()>, Decoded) {
    let mut events = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(sizes().min(rest.len()));
        rest = tail;
        let fed = decoder.feed(chunk, &mut events);
        decoded.absorb(&events);
        events.clear();
        if let Err(e) = fed {
            // Finished by the error: everything later says the same.
            assert_eq!(decoder.feed(b"x", &mut events), Err(e.clone()));
            assert_eq!(decoder.finish(&mut events), Err(e.clone()));
            assert!(events.is_empty());
            return (Err(e), decoded);
        }
    }
    assert_eq!(decoder.bytes_in(), bytes.len() as u64);
    let finished = decoder.finish(&mut events);
    decoded.absorb(&events);
    (finished, decoded)
}

fn decode_archive(bytes: &[u8], sizes: impl FnMut() -> usize) -> (nnlab::Result<()>, Decoded) {
    decode_with(StreamDecoder::archive(), bytes, sizes)
}

/// Chunks of random sizes in 1..=max.
fn random_sizes(seed: u64, max: usize) -> impl FnMut() -> usize {
    let mut rng = Rng(seed);
    move || rng.up_to(max)
}

fn reference(bytes: &[u8]) -> Cifar10 {
    Cifar10::from_archive(bytes, |_| {}).unwrap()
}

fn message(result: nnlab::Result<()>) -> String {
    match result {
        Err(Error::InvalidData(message)) => message,
        other => panic!("expected InvalidData, got {other:?}"),
    }
}

/// 12,345,678
fn n(x: u64) -> String {
    let digits = x.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

// ---------------------------------------------------------------- same records as the reference

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_chunks_give_the_reference_records(which in 0usize..3, seed in any::<u64>(), max in 1usize..=6000) {
        let a = archives();
        let bytes = [&a.rich, &a.two_members, &a.big][which];
        let (result, decoded) = decode_archive(bytes, random_sizes(seed, max));
        result.unwrap();
        decoded.assert_matches(&reference(bytes));
    }
}

#[test]
fn one_byte_at_a_time() {
    for bytes in [&archives().rich, &archives().two_members] {
        let (result, decoded) = decode_archive(bytes, || 1);
        result.unwrap();
        decoded.assert_matches(&reference(bytes));
    }
}

#[test]
fn the_whole_archive_at_once_gives_one_records_event_per_file() {
    let bytes = &archives().big;
    let mut decoder = StreamDecoder::archive();
    let mut events = Vec::new();
    decoder.feed(bytes, &mut events).unwrap();
    decoder.finish(&mut events).unwrap();
    let records = events
        .iter()
        .filter(|e| matches!(e, StreamEvent::Records { .. }))
        .count();
    assert_eq!(records, 6);
    let mut decoded = Decoded::default();
    decoded.absorb(&events);
    decoded.assert_matches(&reference(bytes));
    // The official order, each file announced with its 40 records; meta gives the names.
    let order: Vec<(BatchFile, usize)> = decoded
        .files
        .iter()
        .map(|f| (f.file, f.announced))
        .collect();
    use BatchFile::*;
    assert_eq!(
        order,
        [
            (Train(4), 40),
            (Train(5), 40),
            (Train(2), 40),
            (Meta, 0),
            (Train(1), 40),
            (Train(3), 40),
            (Test, 40)
        ]
    );
    assert_eq!(decoded.class_names.unwrap()[9], "TRUCK");
    // Finished: finish again is fine, more bytes are not.
    assert_eq!(decoder.finish(&mut events), Ok(()));
    assert!(decoder.feed(b"more", &mut events).is_err());
}

// ---------------------------------------------------------------- cut off

/// Bytes the reference inflate makes of the deflate data `deflate` (cut anywhere).
fn unpacked_len(deflate: &[u8]) -> u64 {
    let mut inflate = Decompress::new(false);
    let mut out = vec![0; 1 << 16];
    let mut input = deflate;
    loop {
        let (i, o) = (inflate.total_in(), inflate.total_out());
        let status = inflate
            .decompress(input, &mut out, FlushDecompress::None)
            .unwrap();
        input = &input[(inflate.total_in() - i) as usize..];
        if status == flate2::Status::StreamEnd
            || (inflate.total_in() == i && inflate.total_out() == o)
        {
            return inflate.total_out();
        }
    }
}

/// Every cut of an archive is an error from `finish` (never a panic, never
/// success), and a cut inside a batch file names it, the record and the
/// byte count. The records delivered before the cut are the file's own.
#[test]
fn every_cut_is_an_error_that_says_where() {
    let tar = official_tar(2);
    let bytes = gzip(&tar);
    let places = layout(&tar);
    let originals: Vec<(BatchFile, Vec<u8>)> = places
        .iter()
        .filter_map(|p| {
            let file = BatchFile::from_name(&p.name)?;
            let data = &tar[p.data_at as usize..(p.data_at + p.size) as usize];
            Some((file, data.to_vec()))
        })
        .collect();
    let mut inside_batches = 0;
    for cut in 0..bytes.len() {
        let prefix = &bytes[..cut];
        let (result, decoded) = decode_archive(prefix, random_sizes(cut as u64, 700));
        let err = message(result);
        // The same error, fed in one piece.
        let (whole, _) = decode_archive(prefix, || usize::MAX);
        assert_eq!(
            message(whole),
            err,
            "cut {cut}: chunking changed the message"
        );

        // What was delivered is right, as far as it goes.
        for got in &decoded.files {
            let Some((_, original)) = originals.iter().find(|o| o.0 == got.file) else {
                continue;
            };
            for (i, &label) in got.labels.iter().enumerate() {
                assert_eq!(label, original[i * RECORD_BYTES]);
                assert!(
                    got.images[i * IMAGE_BYTES..(i + 1) * IMAGE_BYTES]
                        == original[i * RECORD_BYTES + 1..(i + 1) * RECORD_BYTES]
                );
            }
        }

        match cut {
            0 => assert!(err.contains("it starts with nothing (the file is empty)"), "{err}"),
            1 => assert_eq!(err, "the archive ends after 1 byte, before the first tar header, in the gzip header: a truncated or incomplete download?"),
            _ => {
                let expected_start = format!("the archive ends after {} bytes, ", n(cut as u64));
                assert!(err.starts_with(&expected_start), "cut {cut}: {err}");
                assert!(err.ends_with(": a truncated or incomplete download?"), "{err}");
                if cut < 10 {
                    assert!(err.ends_with("before the first tar header, in the gzip header: a truncated or incomplete download?"), "{err}");
                    continue;
                }
                if cut >= bytes.len() - 8 {
                    assert!(err.contains("after the end of the tar, in the trailer of gzip member 1"), "{err}");
                    continue;
                }
                // Where in the tar the reference inflate got to.
                let unpacked = unpacked_len(&bytes[10..cut]);
                let inside = places.iter().find(|p| {
                    BatchFile::from_name(&p.name).is_some_and(|f| f != BatchFile::Meta)
                        && (p.data_at..p.data_at + p.size).contains(&unpacked)
                });
                if let Some(p) = inside {
                    inside_batches += 1;
                    let name = p.name.rsplit('/').next().unwrap();
                    let record = (unpacked - p.data_at) / RECORD_BYTES as u64 + 1;
                    assert_eq!(
                        err,
                        format!(
                            "the archive ends after {} bytes, in the middle of {name} (record {record} of 2): \
                             a truncated or incomplete download?",
                            n(cut as u64)
                        )
                    );
                }
            }
        }
    }
    assert!(
        inside_batches > 100,
        "only {inside_batches} cuts inside batch files"
    );
    // The whole archive is fine.
    decode_archive(&bytes, || 100).0.unwrap();
}

#[test]
fn cuts_of_the_two_member_archive() {
    let (bytes, first_len) = (&archives().two_members, archives().first_member);
    for cut in (0..bytes.len())
        .step_by(97)
        .chain([first_len, first_len + 1, first_len + 9])
    {
        let err = message(decode_archive(&bytes[..cut], random_sizes(cut as u64, 300)).0);
        if cut == first_len {
            // Between members: the gzip layer is at a clean end, the tar is not.
            assert_eq!(
                err,
                format!(
                    "the archive ends after {} bytes, in the middle of data_batch_2.bin (record 2 \
                     of 4): its gzip data is complete, but the tar inside it is cut off (a truncated \
                     download, or a tar cut off before it was compressed)",
                    n(cut as u64)
                )
            );
        } else if (first_len..first_len + 10).contains(&cut) {
            assert!(
                err.ends_with(
                    "in the middle of data_batch_2.bin (record 2 of 4), in the header of \
                     gzip member 2: a truncated or incomplete download?"
                ),
                "{err}"
            );
        }
    }
}

#[test]
fn a_complete_gzip_of_a_cut_tar() {
    let tar = official_tar(2);
    let p = placed(&tar, "data_batch_4.bin");
    let cut = p.data_at as usize + RECORD_BYTES + 10;
    let bytes = gzip(&tar[..cut]);
    let err = message(decode_archive(&bytes, || 999).0);
    assert_eq!(
        err,
        format!(
            "the archive ends after {} bytes, in the middle of data_batch_4.bin (record 2 of 2): \
             its gzip data is complete, but the tar inside it is cut off (a truncated download, \
             or a tar cut off before it was compressed)",
            n(bytes.len() as u64)
        )
    );
}

// ---------------------------------------------------------------- damaged

/// Where the reference inflate fails on damaged deflate data, or None.
fn inflate_fails_at(deflate: &[u8]) -> Option<u64> {
    let mut inflate = Decompress::new(false);
    let mut out = vec![0; 1 << 20];
    let mut input = deflate;
    loop {
        let before = inflate.total_in();
        match inflate.decompress(input, &mut out, FlushDecompress::None) {
            Err(_) => return Some(inflate.total_in()),
            Ok(flate2::Status::StreamEnd) => return None,
            Ok(_) if inflate.total_in() == before && input.is_empty() => return None,
            Ok(_) => input = &input[(inflate.total_in() - before) as usize..],
        }
    }
}

#[test]
fn damaged_deflate_data_is_reported_at_its_offset() {
    let bytes = gzip(&official_tar(2));
    // A reserved block type (BTYPE 11) in the first deflate byte.
    let mut first = bytes.clone();
    first[10] = 0b111;
    // And further on, the first flip the inflate refuses (flips in the
    // Huffman-coded data mostly unpack to wrong bytes, which the CRC catches;
    // the code tables are where inflate itself notices).
    let middle = (11..bytes.len() - 8)
        .map(|at| {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x55;
            damaged
        })
        .find(|d| inflate_fails_at(&d[10..]).is_some())
        .unwrap();
    for damaged in [first, middle] {
        let at = 10 + inflate_fails_at(&damaged[10..]).unwrap();
        let expected = format!(
            "the gzip data is damaged: invalid deflate data at compressed byte {} (in member 1, \
             whose data starts at byte 10)",
            n(at)
        );
        for max in [1, 13, 4096, usize::MAX] {
            let err = message(decode_archive(&damaged, random_sizes(max as u64, max)).0);
            assert!(
                err.starts_with(&expected),
                "chunks ≤ {max}: {err}\nexpected {expected}"
            );
        }
    }
}

#[test]
fn a_wrong_crc_or_length_is_reported_at_the_trailer() {
    let (bytes, first_len) = (&archives().two_members, archives().first_member);
    let last = bytes.len() - 8;
    for (flip, trailer, member, what) in [
        (first_len - 8, first_len - 8, 1, "records CRC-32"),
        (first_len - 2, first_len - 8, 1, "records a length of"),
        (last + 1, last, 2, "records CRC-32"),
        (last + 4, last, 2, "records a length of"),
    ] {
        let mut damaged = bytes.clone();
        damaged[flip] ^= 0x10;
        let err = message(decode_archive(&damaged, random_sizes(flip as u64, 999)).0);
        let expected = format!(
            "the gzip data is damaged: the trailer of member {member} (at compressed byte {}) {what}",
            n(trailer as u64)
        );
        assert!(err.starts_with(&expected), "{err}\nexpected {expected}");
    }
}

#[test]
fn a_damaged_tar_header_is_reported_at_its_offset() {
    let mut tar = rich_tar();
    let header_at = placed(&tar, "data_batch_1.bin").header_at;
    tar[header_at as usize + 40] ^= 1; // a byte of its name
    let err = message(decode_archive(&gzip(&tar), random_sizes(3, 2000)).0);
    assert!(
        err.starts_with(&format!(
            "the tar archive is damaged: the tar header at byte {} of the unpacked archive is not \
             valid (it records checksum",
            n(header_at)
        )),
        "{err}"
    );

    let text = "this is plain text, not a tar archive\n".repeat(40);
    let err = message(decode_archive(&gzip(text.as_bytes()), || 100).0);
    assert!(
        err.starts_with("the gzip file does not hold a valid tar archive"),
        "{err}"
    );
}

#[test]
fn a_bad_label_is_reported_with_record_and_offset() {
    let mut tar = rich_tar();
    let p = placed(&tar, "data_batch_2.bin");
    // Record 3 (index 2) of data_batch_2.bin.
    let at = p.data_at + 2 * RECORD_BYTES as u64;
    tar[at as usize] = 200;
    let bytes = gzip(&tar);
    assert!(Cifar10::from_archive(&bytes, |_| {}).is_err());
    for max in [1, 500, 100_000] {
        let (result, decoded) = decode_archive(&bytes, random_sizes(max as u64, max));
        assert_eq!(
            message(result),
            format!(
                "data_batch_2.bin: record 3 of 4 has label 200, at byte {} of the unpacked archive; \
                 CIFAR-10 labels are 0 to 9",
                n(at)
            )
        );
        // The two records before it may have been delivered; nothing after.
        let delivered = decoded.file(BatchFile::Train(2)).unwrap().labels.len();
        assert!(delivered <= 2);
    }
}

/// Damage anywhere gives an error or, where the byte does not matter (the
/// gzip header's mtime, unused bits), exactly the right records: never
/// wrong records, never a panic.
#[test]
fn damage_never_gives_wrong_records() {
    let bytes = &archives().rich;
    let right = reference(bytes);
    let mut errors = 0;
    for at in (0..bytes.len()).step_by(23) {
        for bit in [0x01, 0x80] {
            let mut damaged = bytes.clone();
            damaged[at] ^= bit;
            match decode_archive(&damaged, random_sizes(at as u64, 3000)) {
                (Ok(()), decoded) => decoded.assert_matches(&right),
                (Err(Error::InvalidData(_)), _) => errors += 1,
                (Err(e), _) => panic!("{e:?}"),
            }
        }
    }
    assert!(errors > 0);
}

#[test]
fn not_gzip_empty_and_trailing_bytes() {
    let err = message(decode_archive(b"PK\x03\x04 a zip file", || 1).0);
    assert_eq!(
        err,
        "not a gzip file: it starts with 50 4b, a .tar.gz starts with 1f 8b"
    );
    // Refused as soon as two bytes show it, without waiting for finish.
    let mut decoder = StreamDecoder::archive();
    assert!(decoder.feed(b"<!", &mut Vec::new()).is_err());

    let err = message(decode_archive(b"", || 1).0);
    assert_eq!(
        err,
        "not a gzip file: it starts with nothing (the file is empty), a .tar.gz starts with 1f 8b"
    );

    let mut bytes = archives().rich.clone();
    bytes.extend_from_slice(b"\0\0\0\0");
    let err = message(decode_archive(&bytes, || 777).0);
    assert!(
        err.starts_with("the bytes after gzip member 1 (at compressed byte"),
        "{err}"
    );
}

#[test]
fn missing_duplicate_and_empty() {
    let batch_of = |b: u8| Item::File(path(&format!("data_batch_{b}.bin")), batch(1, b.into()));
    let archive = |items: Vec<Item>| gzip(&tar_of(&items));

    let err = message(decode_archive(&archive((1..=5).map(batch_of).collect()), || 50).0);
    assert_eq!(err, "test_batch.bin missing from the archive; it needs all five training batches and the test batch");

    let mut items: Vec<Item> = [1, 2, 4].into_iter().map(batch_of).collect();
    items.push(Item::File(path("test_batch.bin"), batch(1, 0)));
    let err = message(decode_archive(&archive(items), || 50).0);
    assert_eq!(err, "data_batch_3.bin, data_batch_5.bin missing from the archive; it needs all five training batches and the test batch");

    let err = message(
        decode_archive(
            &archive(vec![Item::File("notes.txt".into(), b"hi".to_vec())]),
            || 50,
        )
        .0,
    );
    assert!(
        err.starts_with("no CIFAR-10 files found in the archive"),
        "{err}"
    );

    let err = message(
        decode_archive(
            &gzip(&tar::Builder::new(Vec::new()).into_inner().unwrap()),
            || 50,
        )
        .0,
    );
    assert_eq!(
        err,
        "the archive is empty (a gzip file with no tar entries)"
    );
    let err = message(decode_archive(&gzip(b""), || 50).0);
    assert_eq!(
        err,
        "the archive is empty (a gzip file with no tar entries)"
    );

    let twice = archive(vec![
        batch_of(1),
        Item::File("copy/data_batch_1.bin".into(), batch(1, 1)),
    ]);
    let tar = tar_of(&[
        batch_of(1),
        Item::File("copy/data_batch_1.bin".into(), batch(1, 1)),
    ]);
    let second = layout(&tar)[1].header_at;
    let err = message(decode_archive(&twice, || 50).0);
    assert_eq!(
        err,
        format!(
            "data_batch_1.bin appears twice in the archive (again as copy/data_batch_1.bin, whose \
             header is at byte {} of the unpacked archive)",
            n(second)
        )
    );
}

// ---------------------------------------------------------------- sizes that lie

/// A gzip of a tar header claiming `size` bytes for `name`, then a little data.
fn claiming(name: &str, size: u64, header: impl FnOnce(&mut tar::Header)) -> Vec<u8> {
    let mut h = tar::Header::new_gnu();
    h.set_path(path(name)).unwrap();
    h.set_size(size);
    header(&mut h);
    h.set_cksum();
    let mut tar = h.as_bytes().to_vec();
    tar.extend(batch(3, 1));
    gzip(&tar)
}

#[test]
fn impossible_sizes_are_refused_when_the_header_is_read() {
    let max = "a CIFAR-10 batch file is at most 30,730,000 (10,000 records of 3,073 bytes)";
    let cases: Vec<(Vec<u8>, String)> = vec![
        // tar-rs writes these in base-256.
        (claiming("data_batch_1.bin", 100_000_000_000, |_| {}), format!("data_batch_1.bin claims 100,000,000,000 bytes; {max}")),
        (claiming("test_batch.bin", u64::MAX, |_| {}), format!("test_batch.bin claims 18,446,744,073,709,551,615 bytes; {max}")),
        // The largest octal size, 8 GiB − 1.
        (
            claiming("data_batch_2.bin", 0, |h| h.as_old_mut().size.copy_from_slice(b"77777777777\0")),
            format!("data_batch_2.bin claims 8,589,934,591 bytes; {max}"),
        ),
        (claiming("data_batch_3.bin", 10_001 * RECORD_BYTES as u64, |_| {}), format!("data_batch_3.bin claims 30,733,073 bytes; {max}")),
        (
            claiming("batches.meta.txt", 1 << 20, |_| {}),
            "batches.meta.txt claims 1,048,576 bytes; it should be a short list of class names (at most 65,536 bytes)".into(),
        ),
        (
            claiming("data_batch_4.bin", 2 * RECORD_BYTES as u64 + 5, |_| {}),
            "data_batch_4.bin is 6151 bytes, not a whole number of 3073-byte records".into(),
        ),
        (claiming("data_batch_5.bin", 0, |_| {}), "data_batch_5.bin is empty".into()),
    ];
    for (bytes, expected) in cases {
        // The whole gzip in one feed: the error comes from feed, not finish.
        let mut decoder = StreamDecoder::archive();
        let mut events = Vec::new();
        let err = message(decoder.feed(&bytes, &mut events));
        assert!(err.starts_with(&expected), "{err}\nexpected {expected}");
        assert!(events.is_empty());
    }

    // A pax `size` is a claim too.
    let mut tar = tar::Builder::new(Vec::new());
    let pax = pax_record("size", "100000000000");
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(tar::EntryType::XHeader);
    h.set_size(pax.len() as u64);
    tar.append_data(&mut h, "PaxHeaders/x", pax.as_bytes())
        .unwrap();
    let mut h = tar::Header::new_ustar();
    h.set_size(3);
    tar.append_data(&mut h, path("data_batch_1.bin"), &b"abc"[..])
        .unwrap();
    let err =
        message(StreamDecoder::archive().feed(&gzip(&tar.into_inner().unwrap()), &mut Vec::new()));
    assert!(
        err.starts_with(&format!(
            "data_batch_1.bin claims 100,000,000,000 bytes; {max}"
        )),
        "{err}"
    );
}

// ---------------------------------------------------------------- loose files

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_loose_batch_file_in_random_chunks(records in 1usize..30, seed in any::<u64>(), max in 1usize..=10_000, known in any::<bool>()) {
        let bytes = batch(records, seed);
        let reference = parse_batch("test_batch.bin", &bytes).unwrap();
        let size = known.then_some(bytes.len() as u64);
        let decoder = StreamDecoder::batch_file("some/folder/test_batch.bin", size).unwrap();
        let bound_only = Decoded { bound_only: !known, ..Decoded::default() };
        let (result, decoded) = decode_into(bound_only, decoder, &bytes, random_sizes(seed, max));
        result.unwrap();
        prop_assert_eq!(decoded.files.len(), 1);
        let got = &decoded.files[0];
        prop_assert_eq!(got.file, BatchFile::Test);
        prop_assert_eq!(got.announced, if known { records } else { 10_000 });
        prop_assert!(got.labels == reference.labels() && got.images == reference.images() && got.ended);
    }
}

#[test]
fn a_loose_file_ends_with_its_last_byte() {
    let bytes = batch(2, 8);
    let mut decoder =
        StreamDecoder::batch_file("data_batch_1.bin", Some(bytes.len() as u64)).unwrap();
    let mut events = Vec::new();
    decoder.feed(&bytes, &mut events).unwrap();
    assert!(matches!(
        events.last(),
        Some(StreamEvent::FileEnded {
            file: BatchFile::Train(1)
        })
    ));
    decoder.finish(&mut events).unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(decoder.bytes_in(), bytes.len() as u64);
}

#[test]
fn a_truncated_loose_file() {
    let bytes = batch(3, 5);
    let cut = RECORD_BYTES + 100;
    let size = Some(bytes.len() as u64);
    let decoder = StreamDecoder::batch_file("data_batch_1.bin", size).unwrap();
    let (result, decoded) = decode_with(decoder, &bytes[..cut], random_sizes(1, 700));
    assert_eq!(
        message(result),
        "data_batch_1.bin ends after 3,173 of its 9,219 bytes, in record 2 of 3: a truncated or incomplete file?"
    );
    assert_eq!(decoded.files[0].labels.len(), 1);

    let decoder = StreamDecoder::batch_file("data_batch_1.bin", None).unwrap();
    let (result, _) = decode_with(decoder, &bytes[..cut], random_sizes(1, 700));
    assert_eq!(
        message(result),
        "data_batch_1.bin ends after 3,173 bytes, 100 bytes into record 2: a batch file is whole \
         records of 3,073 bytes (a truncated or damaged file?)"
    );

    let decoder = StreamDecoder::batch_file("data_batch_1.bin", None).unwrap();
    let err = message(decode_with(decoder, b"", || 1).0);
    assert!(err.starts_with("data_batch_1.bin is empty"), "{err}");
}

#[test]
fn a_loose_file_of_the_wrong_size() {
    let bytes = batch(3, 5);
    // Said to be shorter than it is: refused when the extra byte comes.
    let short = 2 * RECORD_BYTES as u64;
    let decoder = StreamDecoder::batch_file("data_batch_2.bin", Some(short)).unwrap();
    let err = message(decode_with(decoder, &bytes, random_sizes(2, 1000)).0);
    assert_eq!(
        err,
        "data_batch_2.bin is longer than the 6,146 bytes it was said to have"
    );
    // Said to be longer: cut off.
    let decoder =
        StreamDecoder::batch_file("data_batch_2.bin", Some(4 * RECORD_BYTES as u64)).unwrap();
    let err = message(decode_with(decoder, &bytes, random_sizes(2, 1000)).0);
    assert!(
        err.starts_with("data_batch_2.bin ends after 9,219 of its 12,292 bytes, in record 4 of 4"),
        "{err}"
    );
    // Impossible sizes and names are refused up front.
    let err = StreamDecoder::batch_file("data_batch_2.bin", Some(100))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("data_batch_2.bin is 100 bytes, not a whole number"),
        "{err}"
    );
    let err = StreamDecoder::batch_file("data_batch_2.bin", Some(1 << 40))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("claims 1,099,511,627,776 bytes"), "{err}");
    let err = StreamDecoder::batch_file("photo.jpg", None)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("photo.jpg is not a file of the CIFAR-10 binary distribution"),
        "{err}"
    );
}

#[test]
fn a_loose_meta_file() {
    let text = meta();
    for size in [Some(text.len() as u64), None] {
        let decoder = StreamDecoder::batch_file("batches.meta.txt", size).unwrap();
        let (result, decoded) = decode_with(decoder, &text, random_sizes(4, 7));
        result.unwrap();
        assert_eq!(decoded.class_names.unwrap()[0], "AIRPLANE");
        assert!(decoded.files[0].ended);
    }
    let err = StreamDecoder::batch_file("batches.meta.txt", Some(1 << 20))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("should be a short list of class names"),
        "{err}"
    );
}

#[test]
fn a_bad_label_in_a_loose_file() {
    let mut bytes = batch(3, 5);
    bytes[2 * RECORD_BYTES] = 10;
    let decoder = StreamDecoder::batch_file("data_batch_5.bin", Some(bytes.len() as u64)).unwrap();
    assert_eq!(
        message(decode_with(decoder, &bytes, || 1000).0),
        "data_batch_5.bin: record 3 of 3 has label 10, at byte 6,146 of the file; CIFAR-10 labels are 0 to 9"
    );
}

// ---------------------------------------------------------------- the real archive

/// The real archive, if `NNLAB_CIFAR10` names it: streamed in 64 KiB chunks,
/// every record compared with the whole-file reader's as it arrives.
#[test]
fn the_real_archive_streamed() {
    let Some(path) = std::env::var_os("NNLAB_CIFAR10") else {
        println!(
            "skipped: set NNLAB_CIFAR10 to the path of cifar-10-binary.tar.gz to run this test"
        );
        return;
    };
    let whole = Cifar10::from_archive_path(&path, |_| {}).unwrap();
    let bytes = std::fs::read(&path).unwrap();

    let started = Instant::now();
    let mut decoder = StreamDecoder::archive();
    let mut events = Vec::new();
    let mut seen = Vec::new();
    let mut records = 0;
    let mut names = None;
    let mut check = |events: &mut Vec<StreamEvent>| {
        for event in events.drain(..) {
            match event {
                StreamEvent::FileStarted { file, records } => {
                    seen.push(file);
                    if file != BatchFile::Meta {
                        assert_eq!(records, 10_000, "{file:?}");
                    }
                }
                StreamEvent::Records {
                    file,
                    first,
                    labels,
                    images,
                } => {
                    let (set, offset) = match file {
                        BatchFile::Train(n) => (&whole.train, (usize::from(n) - 1) * 10_000),
                        _ => (&whole.test, 0),
                    };
                    let at = offset + first;
                    assert!(
                        labels == set.labels()[at..at + labels.len()],
                        "{file:?} labels at {first}"
                    );
                    assert!(
                        images == set.images()[at * IMAGE_BYTES..(at + labels.len()) * IMAGE_BYTES],
                        "{file:?} images at {first}"
                    );
                    records += labels.len();
                }
                StreamEvent::ClassNames(n) => names = Some(n),
                StreamEvent::FileEnded { .. } => {}
            }
        }
    };
    let mut decoding = std::time::Duration::ZERO;
    for chunk in bytes.chunks(64 * 1024) {
        let t = Instant::now();
        decoder.feed(chunk, &mut events).unwrap();
        decoding += t.elapsed();
        check(&mut events);
    }
    decoder.finish(&mut events).unwrap();
    check(&mut events);
    println!(
        "streamed {} ({} MB) in 64 KiB chunks: decoding {:.2} s ({:.0} MB/s compressed), {:.2} s with the checks",
        path.to_string_lossy(),
        bytes.len() / 1_000_000,
        decoding.as_secs_f64(),
        bytes.len() as f64 / 1e6 / decoding.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    use BatchFile::*;
    assert_eq!(
        seen,
        [Train(4), Train(5), Train(2), Meta, Train(1), Train(3), Test]
    );
    assert_eq!(records, 60_000);
    assert_eq!(names.unwrap(), whole.train.class_names());
    assert_eq!(decoder.bytes_in(), bytes.len() as u64);
}
