//! Careless and hostile input, as a user (or an attacker) would give it: sizes
//! the data claims are never believed, saves never lose work, numbers that
//! would be silently wrong are refused, and nothing from a file reaches the
//! terminal as control characters. Every case ends with one "error: …" line.

mod common;

use common::{archive, fails_with, files, nnlab, stdout_of, write_folder, RECORD_BYTES};
use std::io::Write;
use std::path::Path;

/// A `.tar.gz` with one entry `name` whose header claims `claimed` bytes
/// but holds only `body` (a crafted archive is ~150 bytes, whatever it claims).
fn claiming(name: &str, claimed: u64, body: &[u8]) -> Vec<u8> {
    let mut header = [0u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    header[100..108].copy_from_slice(b"0000644\0");
    header[108..116].copy_from_slice(b"0000000\0");
    header[116..124].copy_from_slice(b"0000000\0");
    if claimed < 8u64.pow(11) {
        header[124..136].copy_from_slice(format!("{claimed:011o}\0").as_bytes());
    } else {
        // GNU's base-256 size field, for claims beyond 8 GiB.
        header[124] = 0x80;
        header[128..136].copy_from_slice(&claimed.to_be_bytes());
    }
    header[136..148].copy_from_slice(b"00000000000\0");
    header[156] = b'0';
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut tar = header.to_vec();
    tar.extend_from_slice(body);
    tar.resize(tar.len().div_ceil(512) * 512 + 1024, 0);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(&tar).unwrap();
    gzip.finish().unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn claimed_sizes_are_refused_before_anything_is_allocated() {
    let dir = tempfile::tempdir().unwrap();
    // 100 GB of data_batch_1.bin claimed by a 150-byte file: refused at its header.
    let big = dir.path().join("big.tar.gz");
    let claim = 100_000_000_000 / RECORD_BYTES as u64 * RECORD_BYTES as u64;
    std::fs::write(
        &big,
        claiming("cifar-10-batches-bin/data_batch_1.bin", claim, b""),
    )
    .unwrap();
    fails_with(
        &["train", "--data", path_str(&big)],
        &[],
        "claims 32541490 records (99999998770 bytes), but a CIFAR-10 batch file holds 10000 records at most",
    );
    // A whole but over-long batch (10,001 records) in a folder: refused by its size, unread.
    let folder = dir.path().join("folder");
    let mut data = files(4, 4);
    data[0].1 = vec![0; 10_001 * RECORD_BYTES];
    write_folder(&folder, &data);
    fails_with(
        &["train", "--data", path_str(&folder)],
        &[],
        "data_batch_1.bin claims 30,733,073 bytes; a CIFAR-10 batch file is at most 30,730,000",
    );
}

#[test]
fn names_in_the_data_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // ESC ] 0 ; … BEL would set the window's title, ESC [ 2 J clear the screen.
    let evil = "cif\u{1b}]0;owned\u{7}\u{1b}[2J/data_batch_1.bin";
    let path = dir.path().join("evil.tar.gz");
    std::fs::write(&path, claiming(evil, 7, b"1234567")).unwrap();
    let out = nnlab(&["train", "--data", path_str(&path)], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(
        err.contains("cif\\u{1b}]0;owned\\u{7}\\u{1b}[2J/data_batch_1.bin"),
        "{err}"
    );
}

#[test]
fn a_save_path_that_cannot_be_written_fails_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("cifar");
    write_folder(&data, &files(16, 10));
    let data = path_str(&data);
    let missing = dir.path().join("no-such-folder/model.json");
    fails_with(
        &["train", "--data", data, "--save", path_str(&missing)],
        &[],
        "there is no folder",
    );
    fails_with(
        &["train", "--data", data, "--save", path_str(dir.path())],
        &[],
        "it is a folder",
    );
    // A good model file is never replaced by a truncated one: the new one
    // is written beside it and renamed, and nothing else is left behind.
    let model = dir.path().join("model.json");
    std::fs::write(&model, "old").unwrap();
    let args = [
        "train", "--data", data, "--layers", "8,10", "--quiet", "--save",
    ];
    let mut args = args.to_vec();
    args.push(path_str(&model));
    stdout_of(&args, &[]);
    let saved = std::fs::read_to_string(&model).unwrap();
    assert!(saved.starts_with('{') && saved.ends_with('}'), "{saved}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty());
    #[cfg(target_os = "linux")]
    {
        let out = [
            "descend",
            "--surface",
            "beale",
            "--optimizer",
            "sgd",
            "--out",
            "/dev/full",
        ];
        fails_with(&out, &[], "cannot write '/dev/full'");
    }
}

#[test]
fn numbers_are_checked_in_the_precision_training_uses() {
    let missing = "/nonexistent/cifar-10-binary.tar.gz";
    // 1e-50 is a learning rate of 0 in f32: refused before the data is read.
    fails_with(
        &["train", "--data", missing, "--lr", "1e-50"],
        &[],
        "1e-50 is 0 in single precision (f32)",
    );
    fails_with(
        &["train", "--data", missing, "--eps", "1e-50"],
        &[],
        "eps is out of range: 1e-50 is 0 in single precision",
    );
    fails_with(
        &["train", "--data", missing, "--beta2", "0.99999999"],
        &[],
        "0.99999999 is 1 in single precision",
    );
    // A negative width is read as one and refused as one (not as an unknown flag).
    fails_with(
        &["train", "--data", missing, "--layers", "-5,10"],
        &[],
        "layers: -5 is negative",
    );
}

/// The model of `train` on `data` with every weight and bias set by `value(i)`.
fn doctored(dir: &Path, data: &str, name: &str, value: impl Fn(usize) -> f64) -> String {
    let path = dir.join(name);
    let args = [
        "train", "--data", data, "--layers", "10", "--quiet", "--save",
    ];
    let mut args = args.to_vec();
    args.push(path_str(&path));
    stdout_of(&args, &[]);
    let mut model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for layer in model["layers"].as_array_mut().unwrap() {
        for part in ["weight", "bias"] {
            for (i, v) in layer[part]["data"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .enumerate()
            {
                *v = serde_json::json!(value(i));
            }
        }
    }
    std::fs::write(&path, model.to_string()).unwrap();
    path_str(&path).to_string()
}

#[test]
fn huge_weights_give_true_numbers_or_a_clear_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("cifar");
    write_folder(&data, &files(16, 10));
    let data = path_str(&data);
    // Weights of 1e30: every logit is the same huge number, a uniform guess:
    // the loss is ln 10 = 2.3026 (computing (max + ln Σ) − z would give 0).
    let big = doctored(dir.path(), data, "big.json", |_| 1e30);
    let out = stdout_of(&["eval", "--model", &big, "--data", data], &[]);
    assert!(out.contains("test loss 2.3026"), "{out}");
    // ±3e38: the outputs are no numbers at all; that is an error, not "NaN" with exit 0.
    let max = doctored(dir.path(), data, "max.json", |i| {
        if i % 2 == 0 {
            3e38
        } else {
            -3e38
        }
    });
    fails_with(
        &["eval", "--model", &max, "--data", data],
        &[],
        "its outputs are not finite numbers",
    );
    // Training from it stops at once and blames the model, not the learning rate.
    let out = nnlab(&["train", "--from", &max, "--data", data, "--quiet"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("gives a loss of NaN from its first steps"),
        "{err}"
    );
    // A model file an editor saved with a byte-order mark reads as well.
    let bom = dir.path().join("bom.json");
    let text = std::fs::read_to_string(&big).unwrap();
    std::fs::write(&bom, format!("\u{feff}{text}")).unwrap();
    stdout_of(&["eval", "--model", path_str(&bom), "--data", data], &[]);
}

#[test]
fn a_figure_title_writes_a_huge_rate_short() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("path.svg");
    let args = [
        "descend",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "sgd",
        "--lr",
        "1e300",
        "--steps",
        "3",
        "--format",
        "svg",
        "--out",
    ];
    let mut args = args.to_vec();
    args.push(path_str(&out));
    nnlab(&args, &[]);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("lr 1e300,"), "the title's lr is short");
    assert!(!svg.contains("000000000000"), "no 301-digit number");
}

#[test]
fn the_archive_helper_still_reads() {
    // The helper the other tests build archives with stays readable (a sanity
    // check that the crafted archives above fail for their claims alone).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.tar.gz");
    std::fs::write(&path, archive(&files(4, 4))).unwrap();
    let out = stdout_of(&["data", "check", path_str(&path)], &[]);
    assert!(out.contains("test"), "{out}");
}
