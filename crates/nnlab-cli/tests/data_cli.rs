//! `nnlab data check` and `nnlab data fetch` on synthetic CIFAR-10 files.
//!
//! The download is tested against an HTTP server the test starts on
//! 127.0.0.1, serving an archive built here from made-up records: a right
//! checksum keeps the file; a wrong one, an HTTP error or a connection that
//! breaks off leaves the destination folder empty.

mod common;

use common::{archive, fails_with, files, md5_hex, stdout_of, write_folder, RECORD_BYTES};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::thread::JoinHandle;

/// Serves one GET with `status` (e.g. "200 OK"), a Content-Length of
/// `declared` bytes and `body` (shorter than `declared` to simulate a
/// connection that breaks off), then closes. Returns the URL and the thread.
fn serve_once(status: &'static str, declared: usize, body: Vec<u8>) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/cifar-10-binary.tar.gz",
        listener.local_addr().unwrap()
    );
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        assert!(
            request_line.starts_with("GET /cifar-10-binary.tar.gz "),
            "{request_line}"
        );
        // Skip the headers, up to the blank line.
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let mut stream = stream;
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/x-gzip\r\n\
             Content-Length: {declared}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        // The client may give up early on an error status; that is fine.
        let _ = stream.write_all(&body);
    });
    (url, server)
}

/// The names of what is in `folder`.
fn listing(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn check_reports_a_folder_of_bin_files() {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), &files(20, 30));
    let report = stdout_of(&["data", "check", dir.path().to_str().unwrap()], &[]);
    // 5 batches × 20 records; labels cycle 0..9, so 2 per class per batch → 10 each.
    assert!(
        report.contains("training  100 images (data_batch 1, 2, 3, 4, 5)"),
        "{report}"
    );
    assert!(report.contains("test      30 images"), "{report}");
    // Test: 30 records cycling 0..9 → 3 per class.
    assert!(
        report.contains("    0  class0            10     3"),
        "{report}"
    );
    assert!(
        report.contains("    9  class9            10     3"),
        "{report}"
    );
}

#[test]
fn check_reports_an_archive_with_its_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = archive(&files(10, 10));
    let path = dir.path().join("cifar-10-binary.tar.gz");
    std::fs::write(&path, &bytes).unwrap();
    let report = stdout_of(&["data", "check", path.to_str().unwrap()], &[]);
    assert!(report.contains("training  50 images"), "{report}");
    assert!(report.contains("test      10 images"), "{report}");
    assert!(
        report.contains(&format!(
            "md5       {} (not the official archive's",
            md5_hex(&bytes)
        )),
        "{report}"
    );
    // With no path, $NNLAB_CIFAR10 is checked.
    let from_env = stdout_of(
        &["data", "check"],
        &[("NNLAB_CIFAR10", path.to_str().unwrap())],
    );
    assert_eq!(from_env, report);
}

#[test]
fn check_explains_truncated_files() {
    let dir = tempfile::tempdir().unwrap();
    // An archive cut in the middle.
    let bytes = archive(&files(10, 10));
    let cut = dir.path().join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    fails_with(
        &["data", "check", cut.to_str().unwrap()],
        &[],
        "cut.tar.gz: invalid data:",
    );
    // A .bin file 5 bytes short of its 4 records: 4·3073 − 5 = 12287 bytes,
    // 3 whole records and 3068 bytes extra, or 5 missing for 4.
    let folder = dir.path().join("bins");
    let mut files = files(4, 4);
    files[0].1.truncate(4 * RECORD_BYTES - 5);
    write_folder(&folder, &files);
    fails_with(
        &["data", "check", folder.to_str().unwrap()],
        &[],
        "data_batch_1.bin is 12287 bytes, not a whole number of 3073-byte records: \
         3 records and 3068 bytes extra, or 5 bytes missing for 4 records",
    );
    fails_with(
        &["data", "check", "/nonexistent/x.tar.gz"],
        &[],
        "no CIFAR-10 data at '/nonexistent/x.tar.gz'",
    );
}

#[test]
fn fetch_downloads_and_keeps_a_file_with_the_right_md5() {
    let bytes = archive(&files(10, 10));
    let md5 = md5_hex(&bytes);
    let (url, server) = serve_once("200 OK", bytes.len(), bytes.clone());
    let dest = tempfile::tempdir().unwrap();
    let out = stdout_of(
        &[
            "data",
            "fetch",
            "--dest",
            dest.path().to_str().unwrap(),
            "--url",
            &url,
            "--md5",
            &md5,
        ],
        &[],
    );
    server.join().unwrap();
    assert!(out.contains("50 training and 10 test images"), "{out}");
    assert!(
        out.contains(&format!("md5    {md5} (as --md5 asked)")),
        "{out}"
    );
    assert_eq!(listing(dest.path()), ["cifar-10-binary.tar.gz"]);
    assert_eq!(
        std::fs::read(dest.path().join("cifar-10-binary.tar.gz")).unwrap(),
        bytes
    );
}

#[test]
fn fetch_with_a_wrong_md5_leaves_nothing_behind() {
    let bytes = archive(&files(10, 10));
    let (url, server) = serve_once("200 OK", bytes.len(), bytes.clone());
    let dest = tempfile::tempdir().unwrap();
    // Without --md5 the official checksum is expected, which a synthetic archive cannot have.
    fails_with(
        &[
            "data",
            "fetch",
            "--dest",
            dest.path().to_str().unwrap(),
            "--url",
            &url,
        ],
        &[],
        &format!(
            "checksum mismatch for {url}: md5 {} but expected c32a1d4ab5d03f1284b67883e8d87530",
            md5_hex(&bytes)
        ),
    );
    server.join().unwrap();
    assert!(
        listing(dest.path()).is_empty(),
        "{:?}",
        listing(dest.path())
    );
}

#[test]
fn fetch_reports_http_errors_and_broken_downloads() {
    let dest = tempfile::tempdir().unwrap();
    let dest_arg = dest.path().to_str().unwrap();

    let (url, server) = serve_once("404 Not Found", 9, b"not found".to_vec());
    fails_with(
        &["data", "fetch", "--dest", dest_arg, "--url", &url],
        &[],
        "the server answered HTTP 404 Not Found",
    );
    server.join().unwrap();

    // Content-Length promises the whole archive; the server sends half and closes.
    let bytes = archive(&files(10, 10));
    let md5 = md5_hex(&bytes);
    let (url, server) = serve_once("200 OK", bytes.len(), bytes[..bytes.len() / 2].to_vec());
    fails_with(
        &[
            "data", "fetch", "--dest", dest_arg, "--url", &url, "--md5", &md5,
        ],
        &[],
        &format!("the download of {url} stopped after"),
    );
    server.join().unwrap();
    assert!(
        listing(dest.path()).is_empty(),
        "{:?}",
        listing(dest.path())
    );

    fails_with(
        &[
            "data", "fetch", "--dest", dest_arg, "--url", &url, "--md5", "abc",
        ],
        &[],
        "md5: expected 32 hex digits, got 'abc'",
    );
}

#[test]
fn fetch_copies_a_local_archive_named_by_the_environment() {
    let source_dir = tempfile::tempdir().unwrap();
    let bytes = archive(&files(10, 10));
    let source = source_dir.path().join("copy.tar.gz");
    std::fs::write(&source, &bytes).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let dest_arg = dest.path().to_str().unwrap();
    let env = [("NNLAB_CIFAR10", source.to_str().unwrap())];

    // No --url and no network: the environment's copy is used. Its md5 is not
    // the official one; that is noted, not refused.
    let out = stdout_of(&["data", "fetch", "--dest", dest_arg], &env);
    assert!(out.contains("50 training and 10 test images"), "{out}");
    assert!(out.contains(&md5_hex(&bytes)), "{out}");
    assert!(out.contains("not byte-identical"), "{out}");
    assert!(out.contains("sha256 "), "{out}");
    assert_eq!(listing(dest.path()), ["cifar-10-binary.tar.gz"]);
    assert_eq!(
        std::fs::read(dest.path().join("cifar-10-binary.tar.gz")).unwrap(),
        bytes
    );

    // A second fetch finds it there.
    let again = stdout_of(&["data", "fetch", "--dest", dest_arg], &env);
    assert!(again.contains("is already there"), "{again}");

    // A local copy with an --md5 it does not have is refused, and the
    // archive already there stays untouched.
    let source_arg = source.to_str().unwrap();
    let zeros = "0".repeat(32);
    fails_with(
        &[
            "data", "fetch", "--dest", dest_arg, "--from", source_arg, "--md5", &zeros, "--force",
        ],
        &[],
        &format!(
            "checksum mismatch for {source_arg}: md5 {}",
            md5_hex(&bytes)
        ),
    );
    assert_eq!(listing(dest.path()), ["cifar-10-binary.tar.gz"]);
}

#[test]
fn fetch_refuses_a_local_file_that_is_not_cifar10() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("notes.tar.gz");
    std::fs::write(&source, b"these are not images").unwrap();
    let dest = dir.path().join("data");
    fails_with(
        &[
            "data",
            "fetch",
            "--dest",
            dest.to_str().unwrap(),
            "--from",
            source.to_str().unwrap(),
        ],
        &[],
        "is not a usable CIFAR-10 archive (invalid data: not a gzip file",
    );
    assert!(listing(&dest).is_empty(), "{:?}", listing(&dest));
}

#[test]
fn fetch_removes_what_an_interrupted_download_left_but_not_a_running_ones() {
    let source_dir = tempfile::tempdir().unwrap();
    let source = source_dir.path().join("copy.tar.gz");
    std::fs::write(&source, archive(&files(10, 10))).unwrap();
    let dest = tempfile::tempdir().unwrap();
    // A Ctrl-C an hour ago left one; another fetch is writing one now.
    let stale = dest.path().join(".cifar-10-binary.tar.gz.AbC123.part");
    let running = dest.path().join(".cifar-10-binary.tar.gz.XyZ789.part");
    let unrelated = dest.path().join("notes.part");
    for path in [&stale, &running, &unrelated] {
        std::fs::write(path, b"partial").unwrap();
    }
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in [&stale, &unrelated] {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(an_hour_ago).unwrap();
    }
    let env = [("NNLAB_CIFAR10", source.to_str().unwrap())];
    let output = common::nnlab(
        &["data", "fetch", "--dest", dest.path().to_str().unwrap()],
        &env,
    );
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "removed .cifar-10-binary.tar.gz.AbC123.part, left by an interrupted download"
        ),
        "{stderr}"
    );
    assert_eq!(
        listing(dest.path()),
        [
            ".cifar-10-binary.tar.gz.XyZ789.part",
            "cifar-10-binary.tar.gz",
            "notes.part"
        ]
    );
}
