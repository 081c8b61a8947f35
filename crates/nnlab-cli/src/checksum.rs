//! md5 and sha256 of a file, computed while it is copied or downloaded, so
//! the 160 MB archive is read once.
//!
//! md5 is what the CIFAR-10 page publishes for its archive; sha256 is what
//! to compare copies by today.

use indicatif::ProgressBar;
use md5::{Digest, Md5};
use sha2::Sha256;
use std::io::{self, Read, Write};

/// The checksums of some bytes, as lower-case hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sums {
    pub bytes: u64,
    pub md5: String,
    pub sha256: String,
}

/// Copies `reader` to `writer`, hashing the bytes and advancing `bar` as
/// they go. An error leaves `writer` with what was copied so far.
pub fn copy_hashing(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    bar: &ProgressBar,
) -> io::Result<Sums> {
    let mut md5 = Md5::new();
    let mut sha256 = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buffer[..n];
        md5.update(chunk);
        sha256.update(chunk);
        writer.write_all(chunk)?;
        bytes += n as u64;
        bar.set_position(bytes);
    }
    writer.flush()?;
    Ok(Sums {
        bytes,
        md5: hex(&md5.finalize()),
        sha256: hex(&sha256.finalize()),
    })
}

/// The sums of a file on disk.
pub fn of_file(path: &std::path::Path, bar: &ProgressBar) -> io::Result<Sums> {
    let mut file = std::fs::File::open(path)?;
    copy_hashing(&mut file, &mut io::sink(), bar)
}

/// A 32-digit hex md5 as given on the command line, lower-cased; `None` if
/// it is not one.
pub fn parse_md5(text: &str) -> Option<String> {
    let text = text.trim().to_ascii_lowercase();
    (text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())).then_some(text)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_abc_are_the_published_test_vectors() {
        // RFC 1321 and FIPS 180-2 give these for "abc".
        let sums = copy_hashing(&mut &b"abc"[..], &mut io::sink(), &ProgressBar::hidden()).unwrap();
        assert_eq!(sums.bytes, 3);
        assert_eq!(sums.md5, "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            sums.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn md5_arguments_are_32_hex_digits() {
        assert_eq!(
            parse_md5(" C32A1D4AB5D03F1284B67883E8D87530 ").as_deref(),
            Some("c32a1d4ab5d03f1284b67883e8d87530")
        );
        assert_eq!(parse_md5("c32a1d4ab5d03f1284b67883e8d8753"), None);
        assert_eq!(parse_md5("g32a1d4ab5d03f1284b67883e8d87530"), None);
    }
}
