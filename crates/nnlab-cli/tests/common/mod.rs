//! Shared by the CLI's integration tests: running the binary, and small
//! synthetic CIFAR-10 data sets (never real images) as `.bin` folders and
//! `.tar.gz` archives in the official layout.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

/// Bytes of one CIFAR-10 record: a label byte and 3 × 32 × 32 pixel bytes.
pub const RECORD_BYTES: usize = 3073;

/// Class names written to `batches.meta.txt`; not CIFAR-10's, so a test can
/// tell that the names shown come from the data.
pub const CLASS_NAMES: [&str; 10] = [
    "class0", "class1", "class2", "class3", "class4", "class5", "class6", "class7", "class8",
    "class9",
];

/// The binary with `args`, `NNLAB_CIFAR10` removed (so a real copy in the
/// environment never stands in for the test's data) plus `env`.
pub fn nnlab(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nnlab"));
    command.args(args).env_remove("NNLAB_CIFAR10");
    for var in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

/// A successful run's stdout.
pub fn stdout_of(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = nnlab(args, env);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A failing run: non-zero exit, nothing on stdout, one "error: …" line on
/// stderr containing `needle`.
pub fn fails_with(args: &[&str], env: &[(&str, &str)], needle: &str) {
    let out = nnlab(args, env);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(
        out.stdout.is_empty(),
        "{args:?} printed to stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(lines.len(), 1, "{args:?}: not one error line:\n{err}");
    assert!(lines[0].starts_with("error: "), "{args:?}: {err}");
    assert!(
        lines[0].contains(needle),
        "{args:?}: {err:?} lacks {needle:?}"
    );
}

/// `count` records whose class can be read off the image: class `c` has
/// pixels `300·c .. 300·c + 300` at 255 and every other pixel noise in
/// 0..100. Labels cycle 0, 1, …, 9, so every class is equally common.
pub fn records(count: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut bytes = Vec::with_capacity(count * RECORD_BYTES);
    for i in 0..count {
        let class = i % 10;
        bytes.push(class as u8);
        for p in 0..RECORD_BYTES - 1 {
            let lit = (300 * class..300 * class + 300).contains(&p);
            bytes.push(if lit { 255 } else { rng.random_range(0..100) });
        }
    }
    bytes
}

/// The files of a synthetic distribution: five training batches of
/// `per_batch` records, a test batch of `test` records, and the meta file.
pub fn files(per_batch: usize, test: usize) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = (1..=5u64)
        .map(|n| (format!("data_batch_{n}.bin"), records(per_batch, n)))
        .collect();
    files.push(("test_batch.bin".into(), records(test, 99)));
    files.push(("batches.meta.txt".into(), meta()));
    files
}

fn meta() -> Vec<u8> {
    let mut text = CLASS_NAMES.join("\n");
    text.push('\n');
    text.into_bytes()
}

/// Writes `files` into `folder`.
pub fn write_folder(folder: &Path, files: &[(String, Vec<u8>)]) {
    std::fs::create_dir_all(folder).unwrap();
    for (name, bytes) in files {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
}

/// `files` as a `.tar.gz` under `cifar-10-batches-bin/`, like the official archive.
pub fn archive(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gzip);
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(
            &mut header,
            format!("cifar-10-batches-bin/{name}"),
            bytes.as_slice(),
        )
        .unwrap();
    }
    let mut gzip = tar.into_inner().unwrap();
    gzip.flush().unwrap();
    gzip.finish().unwrap()
}

/// md5 of `bytes` as lower-case hex.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
