//! Reading CIFAR-10 files and archives built here, record by record (no real
//! data in the repository), including every kind of broken input.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use nnlab::data::{parse_batch, parse_meta, Cifar10, Progress, CLASS_NAMES, IMAGE_BYTES};
use nnlab::Error;

/// One 3,073-byte record: the label, then pixel j = (tag + j) mod 256, so
/// every image starts with its own tag byte and is easy to recognise.
fn record(label: u8, tag: u8) -> Vec<u8> {
    let mut r = vec![label];
    r.extend((0..IMAGE_BYTES).map(|j| (usize::from(tag) + j) as u8));
    r
}

/// A `.bin` file: one record per `(label, tag)`.
fn bin(records: &[(u8, u8)]) -> Vec<u8> {
    records.iter().flat_map(|&(l, t)| record(l, t)).collect()
}

/// Training batch `n` (1–5): two records with tags 10n and 10n + 1 and
/// labels n and n + 4 (both ≤ 9).
fn train_batch(n: u8) -> Vec<u8> {
    bin(&[(n, 10 * n), (n + 4, 10 * n + 1)])
}

/// The test batch: three records, labels 9, 0, 7, tags 200, 201, 202.
fn test_batch() -> Vec<u8> {
    bin(&[(9, 200), (0, 201), (7, 202)])
}

/// The class names in capitals, to see that `batches.meta.txt` is used.
fn meta() -> Vec<u8> {
    let mut text = CLASS_NAMES.map(|n| n.to_uppercase()).join("\n");
    text.push_str("\n\n");
    text.into_bytes()
}

/// A `.tar.gz` of `(path, contents)` files, plus a directory entry first.
fn tar_gz(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut dir = tar::Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_size(0);
    dir.set_mode(0o755);
    builder
        .append_data(&mut dir, "cifar-10-batches-bin/", &[][..])
        .unwrap();
    for (path, contents) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, path, &contents[..])
            .unwrap();
    }
    gzip(&builder.into_inner().unwrap())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn path(name: &str) -> String {
    format!("cifar-10-batches-bin/{name}")
}

/// The official archive's entry order (4, 5, 2, meta, 1, 3, test) and an
/// unrelated extra file, which must be ignored.
fn official_files() -> Vec<(String, Vec<u8>)> {
    vec![
        (path("data_batch_4.bin"), train_batch(4)),
        (path("data_batch_5.bin"), train_batch(5)),
        (path("data_batch_2.bin"), train_batch(2)),
        (path("batches.meta.txt"), meta()),
        (path("data_batch_1.bin"), train_batch(1)),
        (path("readme.html"), b"<html>extra file</html>".to_vec()),
        (path("data_batch_3.bin"), train_batch(3)),
        (path("test_batch.bin"), test_batch()),
    ]
}

fn archive_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let borrowed: Vec<(&str, Vec<u8>)> =
        files.iter().map(|(p, c)| (p.as_str(), c.clone())).collect();
    tar_gz(&borrowed)
}

fn invalid_data(result: nnlab::Result<Cifar10>) -> String {
    match result {
        Err(Error::InvalidData(message)) => message,
        Err(other) => panic!("expected InvalidData, got {other:?}"),
        Ok(_) => panic!("expected an error, got a dataset"),
    }
}

fn read(bytes: &[u8]) -> nnlab::Result<Cifar10> {
    Cifar10::from_archive(bytes, |_| {})
}

#[test]
fn archive_round_trip_in_batch_order() {
    let bytes = archive_of(&official_files());
    let mut reports = Vec::new();
    let cifar = Cifar10::from_archive(&bytes, |p| reports.push(p)).unwrap();

    // 5 batches × 2 records, reordered to batches 1, 2, 3, 4, 5.
    assert_eq!(cifar.train.len(), 10);
    assert_eq!(cifar.train_batches(), &[1, 2, 3, 4, 5]);
    assert!(cifar.is_complete());
    // Batch n holds labels (n, n + 4): 1,5, 2,6, 3,7, 4,8, 5,9.
    assert_eq!(cifar.train.labels(), &[1, 5, 2, 6, 3, 7, 4, 8, 5, 9]);
    // Batch n's first image has tag 10n, so its first pixels are 10n, 10n + 1, …
    let firsts: Vec<u8> = (0..10).map(|i| cifar.train.image(i)[0]).collect();
    assert_eq!(firsts, vec![10, 11, 20, 21, 30, 31, 40, 41, 50, 51]);
    // Pixel 3071 of the image with tag 10 is (10 + 3071) mod 256 = 3081 − 12·256 = 9.
    assert_eq!(cifar.train.image(0)[3071], 9);
    assert_eq!(cifar.train.image(0).len(), 3072);

    assert_eq!(cifar.test.len(), 3);
    assert_eq!(cifar.test.labels(), &[9, 0, 7]);
    assert_eq!(cifar.test.image(2)[0], 202);
    assert_eq!(cifar.train.class_names()[0], "AIRPLANE");
    assert_eq!(cifar.test.class_names()[9], "TRUCK");

    // Progress starts at 0, never goes back, ends at the archive size.
    let total = bytes.len() as u64;
    assert_eq!(reports.first(), Some(&Progress { done: 0, total }));
    assert_eq!(reports.last(), Some(&Progress { done: total, total }));
    assert!(reports.windows(2).all(|w| w[0].done <= w[1].done));
}

#[test]
fn fill_batch_normalises_bytes() {
    let cifar = read(&archive_of(&official_files())).unwrap();
    let mut x = vec![0.0; 2 * 3072];
    let mut labels = [0; 2];
    cifar.test.fill_batch(&[1, 0], &mut x, &mut labels).unwrap();
    assert_eq!(labels, [0, 9]);
    // Test image 1 has tag 201: pixel 0 is 201 → 201/255; pixel 54 is
    // (201 + 54) = 255 → 1.0; pixel 55 is 256 mod 256 = 0 → 0.0.
    assert_eq!(x[0], 201.0 / 255.0);
    assert_eq!(x[54], 1.0);
    assert_eq!(x[55], 0.0);
    // Image 0 (tag 200) starts the second row.
    assert_eq!(x[3072], 200.0 / 255.0);
    assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn archive_from_a_path() {
    let bytes = archive_of(&official_files());
    let file = std::env::temp_dir().join(format!("nnlab-cifar-test-{}.tar.gz", std::process::id()));
    std::fs::write(&file, &bytes).unwrap();
    let cifar = Cifar10::from_archive_path(&file, |_| {});
    std::fs::remove_file(&file).unwrap();
    assert_eq!(cifar.unwrap().train.len(), 10);

    // A file that cannot be opened is unreadable, not "invalid data".
    match Cifar10::from_archive_path("/no/such/file.tar.gz", |_| {}) {
        Err(Error::Unreadable(message)) => {
            assert!(
                message.starts_with("cannot read /no/such/file.tar.gz"),
                "{message}"
            );
        }
        other => panic!("expected Unreadable, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn not_gzip() {
    let message = invalid_data(read(b"PK\x03\x04 a zip file"));
    assert_eq!(
        message,
        "not a gzip file: it starts with 50 4b, a .tar.gz starts with 1f 8b"
    );
    let message = invalid_data(read(b""));
    assert!(message.contains("nothing (the file is empty)"), "{message}");
}

#[test]
fn gzip_but_not_tar() {
    let text = "this is plain text, not a tar archive\n".repeat(40);
    let message = invalid_data(read(&gzip(text.as_bytes())));
    assert!(
        message.starts_with("the gzip file does not hold a valid tar archive"),
        "{message}"
    );
}

#[test]
fn damaged_gzip_stream() {
    let mut bytes = archive_of(&official_files());
    // Overwrite the middle of the deflate data with junk.
    let middle = bytes.len() / 2;
    bytes[middle..middle + 64].fill(0xff);
    let message = invalid_data(read(&bytes));
    assert!(
        message.starts_with("the gzip data is damaged or cut off"),
        "{message}"
    );
}

#[test]
fn truncated_download() {
    let bytes = archive_of(&official_files());
    let message = invalid_data(read(&bytes[..bytes.len() / 2]));
    assert_eq!(
        message,
        "the gzip data is damaged or cut off: incomplete deflate stream"
    );
}

#[test]
fn tar_cut_off_inside_a_file() {
    // A complete gzip stream around a tar that stops inside its only file:
    // the 512-byte header, then 100 of the 2 · 3073 = 6146 bytes of
    // data_batch_1.bin.
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(6146);
    header.set_mode(0o644);
    builder
        .append_data(&mut header, path("data_batch_1.bin"), &train_batch(1)[..])
        .unwrap();
    let tar = builder.into_inner().unwrap();
    let message = invalid_data(read(&gzip(&tar[..612])));
    assert!(
        message.starts_with(
            "the archive ends too early in cifar-10-batches-bin/data_batch_1.bin \
             (a truncated or incomplete download?)"
        ),
        "{message}"
    );
}

#[test]
fn truncated_record() {
    let mut files = official_files();
    // data_batch_2.bin one byte short: 2·3073 − 1 = 6145 bytes = 1 record
    // and 3072 bytes extra, or 1 byte missing for 2 records.
    files[2].1.pop();
    let message = invalid_data(read(&archive_of(&files)));
    assert_eq!(
        message,
        "cifar-10-batches-bin/data_batch_2.bin is 6145 bytes, not a whole number of \
         3073-byte records: 1 record and 3072 bytes extra, or 1 byte missing for 2 \
         records (a truncated or damaged file?)"
    );
}

#[test]
fn label_out_of_range() {
    let mut files = official_files();
    files[6].1 = bin(&[(3, 0), (10, 1)]); // data_batch_3.bin, record 1 has label 10
    let message = invalid_data(read(&archive_of(&files)));
    assert_eq!(
        message,
        "cifar-10-batches-bin/data_batch_3.bin: record 1 has label 10, but CIFAR-10 labels are 0 to 9"
    );
}

#[test]
fn missing_test_batch() {
    let mut files = official_files();
    files.pop();
    let message = invalid_data(read(&archive_of(&files)));
    assert_eq!(
        message,
        "test_batch.bin is missing; it holds the 10,000 test images"
    );
}

#[test]
fn missing_training_batches_in_the_archive() {
    let files: Vec<_> = official_files()
        .into_iter()
        .filter(|(p, _)| !p.ends_with("data_batch_3.bin") && !p.ends_with("data_batch_5.bin"))
        .collect();
    let message = invalid_data(read(&archive_of(&files)));
    assert_eq!(
        message,
        "data_batch_3.bin, data_batch_5.bin missing; the full training set needs all five training batches"
    );
}

#[test]
fn empty_archive() {
    let empty_tar = tar::Builder::new(Vec::new()).into_inner().unwrap();
    let message = invalid_data(read(&gzip(&empty_tar)));
    assert_eq!(
        message,
        "the archive is empty (a gzip file with no tar entries)"
    );
}

#[test]
fn archive_without_cifar_files() {
    let message = invalid_data(read(&tar_gz(&[("notes.txt", b"hello".to_vec())])));
    assert!(message.starts_with("no CIFAR-10 files found"), "{message}");
}

#[test]
fn duplicate_entry() {
    let mut files = official_files();
    files.push(("copy/data_batch_1.bin".into(), train_batch(1)));
    let message = invalid_data(read(&archive_of(&files)));
    assert_eq!(message, "copy/data_batch_1.bin appears twice");
}

#[test]
fn dropped_files_may_be_a_subset() {
    let b5 = train_batch(5);
    let b2 = train_batch(2);
    let test = test_batch();
    let cifar = Cifar10::from_files(&[
        ("data_batch_5.bin", &b5),
        ("test_batch.bin", &test),
        ("photo.jpg", b"\xff\xd8"),
        ("data_batch_2.bin", &b2),
    ])
    .unwrap();
    assert_eq!(cifar.train_batches(), &[2, 5]);
    assert_eq!(cifar.missing_train_batches(), vec![1, 3, 4]);
    assert!(!cifar.is_complete());
    // Batch 2 (labels 2, 6) before batch 5 (labels 5, 9); standard names without a meta file.
    assert_eq!(cifar.train.labels(), &[2, 6, 5, 9]);
    assert_eq!(cifar.train.class_names()[3], "cat");

    let err = Cifar10::from_files(&[("data_batch_1.bin", &b2)]).unwrap_err();
    assert!(
        err.to_string().contains("test_batch.bin is missing"),
        "{err}"
    );
    let err = Cifar10::from_files(&[("test_batch.bin", &test)]).unwrap_err();
    assert!(err.to_string().contains("no training batch found"), "{err}");
}

#[test]
fn single_bin_and_meta_files() {
    let data = parse_batch("test_batch.bin", &test_batch()).unwrap();
    assert_eq!((data.len(), data.label(0), data.classes()), (3, 9, 10));
    assert_eq!(data.label_counts(), vec![1, 0, 0, 0, 0, 0, 0, 1, 0, 1]);

    let err = parse_batch("x.bin", &[0; 100]).unwrap_err().to_string();
    // 100 bytes: 0 records and 100 extra, or 2973 missing for 1.
    assert!(
        err.contains("0 records and 100 bytes extra, or 2973 bytes missing for 1"),
        "{err}"
    );

    assert_eq!(parse_meta(&meta()).unwrap()[1], "AUTOMOBILE");
    let err = parse_meta(b"cat\ndog\n").unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid data: batches.meta.txt names 2 classes; CIFAR-10 has 10"
    );
    assert!(parse_meta(b"\xff\xfe").is_err());
}
