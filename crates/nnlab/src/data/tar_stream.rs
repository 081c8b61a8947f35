//! tar read as bytes arrive, for [`StreamDecoder`](super::StreamDecoder).
//!
//! A tar is a sequence of 512-byte blocks: a header per entry (name, size,
//! type, checksum), the entry's data padded to a whole block, and at the end
//! zero blocks. Headers are parsed here; a regular file comes out as
//! [`Piece::Begin`], its data as [`Piece::Data`] slices of the caller's input
//! (never copied), then [`Piece::End`]. Everything else (directories, links,
//! global pax headers, padding) is skipped without being kept.
//!
//! Long names: GNU tar puts a name over 100 bytes in a `L` entry before the
//! file, POSIX pax in a `x` entry (`path=`, and `size=` for files over 8 GiB);
//! ustar splits it into prefix and name.

use crate::error::{printable, Error, Result};
use crate::nn::thousands;

/// Bytes in a tar block.
pub(super) const BLOCK: usize = 512;

/// Longest GNU long name or pax header read (64 KiB): real ones are a few
/// hundred bytes, and they are kept in memory until their entry.
const MAX_EXTENSION: u64 = 64 * 1024;

/// A regular file's header.
pub(super) struct Entry {
    /// The full path in the archive.
    pub name: String,
    /// Data bytes, as claimed by the header (checked by the caller).
    pub size: u64,
    /// Offsets in the unpacked tar of the header and of the first data byte.
    pub header_at: u64,
    pub data_at: u64,
}

/// What the tar layer found, in order.
pub(super) enum Piece<'a> {
    Begin(Entry),
    Data(&'a [u8]),
    End,
}

/// The tar layer: unpacked bytes in, file pieces out.
pub(super) struct Untar {
    stage: Stage,
    /// The header being assembled (`Stage::Header` says how much is there).
    block: [u8; BLOCK],
    /// Bytes consumed so far: offsets in the unpacked archive.
    offset: u64,
    /// What `L` and `x` entries said about the next entry.
    long_name: Option<String>,
    pax_path: Option<String>,
    pax_size: Option<u64>,
    /// Entries seen (files, directories, links; not `L`/`x`/`g` headers).
    entries: usize,
    /// Name of the last entry, for "after …" in messages.
    last: Option<String>,
}

enum Stage {
    Header {
        got: usize,
    },
    /// A regular file's data; `pad` bytes follow it.
    Data {
        left: u64,
        pad: u64,
    },
    /// An `L` or `x` entry's data, kept for the next entry.
    Extension {
        kind: Extension,
        at: u64,
        left: u64,
        pad: u64,
        bytes: Vec<u8>,
    },
    /// Bytes nobody reads: padding, or an entry that is not a regular file.
    Skip {
        left: u64,
        padding: bool,
    },
    /// After the first zero block: the end marker. Whatever follows (the
    /// second zero block, GNU tar's padding to 10 KiB) is only counted.
    End,
}

#[derive(Clone, Copy, PartialEq)]
enum Extension {
    LongName,
    Pax,
}

impl Extension {
    fn what(self) -> &'static str {
        match self {
            Extension::LongName => "GNU long name",
            Extension::Pax => "pax header",
        }
    }
}

impl Untar {
    pub(super) fn new() -> Untar {
        Untar {
            stage: Stage::Header { got: 0 },
            block: [0; BLOCK],
            offset: 0,
            long_name: None,
            pax_path: None,
            pax_size: None,
            entries: 0,
            last: None,
        }
    }

    /// Entries seen so far.
    pub(super) fn entries(&self) -> usize {
        self.entries
    }

    /// Bytes held between calls (a pending long name or pax header).
    #[cfg(test)]
    pub(super) fn buffered(&self) -> usize {
        match &self.stage {
            Stage::Extension { bytes, .. } => bytes.capacity(),
            _ => 0,
        }
    }

    /// Consume `data` until it yields a piece or runs out (`None`: feed more).
    /// Call it again until `None`.
    pub(super) fn next<'a>(&mut self, data: &mut &'a [u8]) -> Result<Option<Piece<'a>>> {
        loop {
            match &mut self.stage {
                Stage::Header { got } => {
                    if data.is_empty() {
                        return Ok(None);
                    }
                    let n = (BLOCK - *got).min(data.len());
                    self.block[*got..*got + n].copy_from_slice(&data[..n]);
                    *got += n;
                    *data = &data[n..];
                    self.offset += n as u64;
                    if *got < BLOCK {
                        return Ok(None);
                    }
                    *got = 0;
                    if let Some(entry) = self.header()? {
                        return Ok(Some(Piece::Begin(entry)));
                    }
                }
                Stage::Data { left, pad } => {
                    // End comes as soon as the last byte is out, before the padding.
                    if *left == 0 {
                        self.stage = skip(*pad, true);
                        return Ok(Some(Piece::End));
                    }
                    if data.is_empty() {
                        return Ok(None);
                    }
                    let n = take(left, data);
                    let (bytes, rest) = data.split_at(n);
                    *data = rest;
                    self.offset += n as u64;
                    return Ok(Some(Piece::Data(bytes)));
                }
                Stage::Extension {
                    kind,
                    at,
                    left,
                    pad,
                    bytes,
                } => {
                    let n = take(left, data);
                    bytes.extend_from_slice(&data[..n]);
                    *data = &data[n..];
                    self.offset += n as u64;
                    if *left > 0 {
                        return Ok(None);
                    }
                    let (kind, at, pad, bytes) = (*kind, *at, *pad, std::mem::take(bytes));
                    match kind {
                        Extension::LongName => {
                            let name = bytes.split(|&b| b == 0).next().unwrap_or(&[]);
                            self.long_name = Some(String::from_utf8_lossy(name).into_owned());
                        }
                        Extension::Pax => self.read_pax(&bytes, at)?,
                    }
                    self.stage = skip(pad, true);
                }
                Stage::Skip { left, .. } => {
                    let n = take(left, data);
                    *data = &data[n..];
                    self.offset += n as u64;
                    if *left > 0 {
                        return Ok(None);
                    }
                    self.stage = Stage::Header { got: 0 };
                }
                Stage::End => {
                    self.offset += data.len() as u64;
                    *data = &[];
                    return Ok(None);
                }
            }
        }
    }

    /// True if the input may end here: after the end marker, or after a
    /// whole entry and its padding (some writers leave the marker out).
    pub(super) fn at_end(&self) -> bool {
        match self.stage {
            Stage::End => true,
            Stage::Header { got: 0 } => self.long_name.is_none() && self.pax_path.is_none(),
            _ => false,
        }
    }

    /// Where the tar stands, for a message about input that stopped here.
    pub(super) fn whereabouts(&self) -> String {
        let last = self.last.as_deref().unwrap_or("the start");
        match &self.stage {
            Stage::Header { got: 0 } if self.last.is_none() => "before the first tar header".into(),
            Stage::Header { got: 0 } => format!("after {last}, before the next tar header"),
            Stage::Header { got } => format!(
                "in the middle of the tar header at byte {} of the unpacked archive",
                thousands(self.offset - *got as u64)
            ),
            Stage::Data { .. } | Stage::Skip { padding: false, .. } => {
                format!("in the middle of {last}")
            }
            Stage::Skip { padding: true, .. } => format!("in the tar padding after {last}"),
            Stage::Extension { kind, at, .. } => format!(
                "in the middle of the {} at byte {} of the unpacked archive",
                kind.what(),
                thousands(*at)
            ),
            Stage::End => "after the end of the tar".into(),
        }
    }

    /// Act on the complete header in `block`: set the next stage, and
    /// return the entry if it is a regular file.
    fn header(&mut self) -> Result<Option<Entry>> {
        let at = self.offset - BLOCK as u64;
        let block = &self.block;
        if block.iter().all(|&b| b == 0) {
            if self.long_name.is_some() || self.pax_path.is_some() || self.pax_size.is_some() {
                return Err(Error::InvalidData(format!(
                    "the tar archive is damaged: a GNU long name or pax header is followed by the \
                     end marker at byte {} of the unpacked archive, not by the entry it describes",
                    thousands(at)
                )));
            }
            // The end marker. tar-rs (the whole-file reader) stops at the first zero block too.
            self.stage = Stage::End;
            return Ok(None);
        }
        self.check_sum(at)?;
        let size = size_field(&block[124..136]).ok_or_else(|| {
            self.not_a_header(
                at,
                &format!(
                    "its size field is not a number: {}",
                    quoted(&block[124..136])
                ),
            )
        })?;
        let kind = block[156];
        let pad = padding(size);
        match kind {
            b'L' | b'x' => {
                let kind = if kind == b'L' {
                    Extension::LongName
                } else {
                    Extension::Pax
                };
                if size > MAX_EXTENSION {
                    return Err(Error::InvalidData(format!(
                        "the {} at byte {} of the unpacked archive claims {} bytes; \
                         real ones are a few hundred, and at most {} are read",
                        kind.what(),
                        thousands(at),
                        thousands(size),
                        thousands(MAX_EXTENSION)
                    )));
                }
                self.stage = Stage::Extension {
                    kind,
                    at,
                    left: size,
                    pad,
                    bytes: Vec::new(),
                };
                return Ok(None);
            }
            // A global pax header (applies to all later entries; nothing
            // here needs it) and a GNU long link name (for links, skipped).
            b'g' | b'K' => {
                self.stage = skip(size.saturating_add(pad), false);
                return Ok(None);
            }
            _ => {}
        }

        // Both taken, so neither carries over; a GNU long name wins over a
        // pax path, as in tar-rs.
        let (long_name, pax_path) = (self.long_name.take(), self.pax_path.take());
        let name = long_name.or(pax_path).unwrap_or_else(|| header_name(block));
        let size = self.pax_size.take().unwrap_or(size);
        let pad = padding(size);
        self.entries += 1;
        self.last = Some(name.clone());
        // '0' and NUL are regular files, '7' contiguous ones (also regular);
        // directories, links, devices and unknown types are skipped.
        if matches!(kind, b'0' | 0 | b'7') {
            self.stage = Stage::Data { left: size, pad };
            Ok(Some(Entry {
                // Quoted in messages: a crafted name must not reach a terminal raw.
                name: printable(&name),
                size,
                header_at: at,
                data_at: self.offset,
            }))
        } else {
            self.stage = skip(size.saturating_add(pad), false);
            Ok(None)
        }
    }

    /// The header checksum: the sum of its bytes, with the checksum field
    /// counted as spaces. Old writers summed signed bytes; both are accepted.
    fn check_sum(&self, at: u64) -> Result<()> {
        let block = &self.block;
        let field = &block[148..156];
        let (mut unsigned, mut signed) = (0u32, 0i32);
        for (i, &b) in block.iter().enumerate() {
            let b = if (148..156).contains(&i) { b' ' } else { b };
            unsigned += u32::from(b);
            signed += i32::from(b as i8);
        }
        let Some(stored) = octal(field) else {
            return Err(self.not_a_header(
                at,
                &format!("its checksum field is not a number: {}", quoted(field)),
            ));
        };
        if stored != u64::from(unsigned) && i64::try_from(stored).ok() != Some(i64::from(signed)) {
            return Err(self.not_a_header(
                at,
                &format!(
                    "it records checksum {}, but its bytes add up to {}",
                    thousands(stored),
                    thousands(u64::from(unsigned))
                ),
            ));
        }
        Ok(())
    }

    /// A pax header's records, `<length> <key>=<value>\n` each; `path` and
    /// `size` are the ones that matter here.
    fn read_pax(&mut self, bytes: &[u8], at: u64) -> Result<()> {
        let bad = || {
            Error::InvalidData(format!(
                "the tar archive is damaged: the pax header at byte {} of the unpacked archive \
                 cannot be read",
                thousands(at)
            ))
        };
        let mut rest = bytes;
        // Some writers pad the records with NULs.
        while !rest.iter().all(|&b| b == 0) {
            let space = rest.iter().position(|&b| b == b' ').ok_or_else(bad)?;
            let len: usize = std::str::from_utf8(&rest[..space])
                .ok()
                .and_then(|s| s.parse().ok())
                .filter(|&len| len > space + 1 && len <= rest.len())
                .ok_or_else(bad)?;
            let record = rest[space + 1..len].strip_suffix(b"\n").ok_or_else(bad)?;
            let eq = record.iter().position(|&b| b == b'=').ok_or_else(bad)?;
            let (key, value) = (&record[..eq], &record[eq + 1..]);
            match key {
                b"path" => self.pax_path = Some(String::from_utf8_lossy(value).into_owned()),
                b"size" => {
                    let size = std::str::from_utf8(value).ok().and_then(|s| s.parse().ok());
                    self.pax_size = Some(size.ok_or_else(bad)?);
                }
                _ => {}
            }
            rest = &rest[len..];
        }
        Ok(())
    }

    /// A block where a header should be that is not one. At byte 0 that
    /// means the gzip file holds something else than a tar.
    fn not_a_header(&self, at: u64, why: &str) -> Error {
        Error::InvalidData(if at == 0 {
            format!(
                "the gzip file does not hold a valid tar archive: its first 512 bytes are not \
                 a tar header ({why})"
            )
        } else {
            format!(
                "the tar archive is damaged: the tar header at byte {} of the unpacked archive \
                 is not valid ({why})",
                thousands(at)
            )
        })
    }
}

/// Take up to `left` bytes from the start of `data` (counting them off `left`).
fn take(left: &mut u64, data: &[u8]) -> usize {
    let n = usize::try_from(*left).map_or(data.len(), |left| left.min(data.len()));
    *left -= n as u64;
    n
}

/// Zero bytes after `size` bytes of data, to the next whole block.
fn padding(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

fn skip(left: u64, padding: bool) -> Stage {
    if left == 0 {
        Stage::Header { got: 0 }
    } else {
        Stage::Skip { left, padding }
    }
}

/// The path of a header without `L`/`x` entries: ustar joins prefix and
/// name (GNU headers use the prefix's place for other fields).
fn header_name(block: &[u8; BLOCK]) -> String {
    let name = until_nul(&block[0..100]);
    let ustar = &block[257..263] == b"ustar\0";
    let prefix = if ustar {
        until_nul(&block[345..500])
    } else {
        &[]
    };
    if prefix.is_empty() {
        String::from_utf8_lossy(name).into_owned()
    } else {
        format!(
            "{}/{}",
            String::from_utf8_lossy(prefix),
            String::from_utf8_lossy(name)
        )
    }
}

fn until_nul(field: &[u8]) -> &[u8] {
    field.split(|&b| b == 0).next().unwrap_or(field)
}

/// A size field: octal digits, or base-256 (big-endian, first byte 0x80)
/// for sizes of 8 GiB and more. `None` if unreadable or over 2^64 − 1.
fn size_field(field: &[u8]) -> Option<u64> {
    match field[0] {
        0x80 => field[1..]
            .iter()
            .try_fold(0u64, |n, &b| n.checked_mul(256)?.checked_add(u64::from(b))),
        // Base-256 with other leading bits: negative or beyond any u64.
        b if b & 0x80 != 0 => None,
        _ => octal(field),
    }
}

/// Octal digits, maybe with leading spaces, ended by NUL or space.
fn octal(field: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(until_nul(field)).ok()?.trim();
    if text.is_empty() {
        return None;
    }
    u64::from_str_radix(text, 8).ok()
}

/// A field's bytes for a message, as text if printable.
fn quoted(field: &[u8]) -> String {
    let text = until_nul(field);
    if text.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        format!("{:?}", String::from_utf8_lossy(text))
    } else {
        super::archive::hex(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, size) of the regular files in `tar`, fed in pieces of `chunk`
    /// bytes, with their data.
    fn files(tar: &[u8], chunk: usize) -> Result<Vec<(String, Vec<u8>)>> {
        let mut untar = Untar::new();
        let mut found: Vec<(String, Vec<u8>)> = Vec::new();
        let mut open = false;
        for mut piece in tar.chunks(chunk) {
            while let Some(p) = untar.next(&mut piece)? {
                match p {
                    Piece::Begin(entry) => {
                        assert!(!open);
                        open = true;
                        found.push((entry.name, Vec::new()));
                    }
                    Piece::Data(bytes) => found.last_mut().unwrap().1.extend_from_slice(bytes),
                    Piece::End => open = false,
                }
            }
        }
        assert!(untar.at_end(), "{}", untar.whereabouts());
        Ok(found)
    }

    /// One pax record: its length counts the digits of the length itself.
    fn pax_record(key: &str, value: &str) -> String {
        let body = format!(" {key}={value}\n");
        let mut len = body.len() + 1;
        while len.to_string().len() + body.len() != len {
            len += 1;
        }
        format!("{len}{body}")
    }

    fn header(name: &str, size: u64, kind: u8) -> [u8; BLOCK] {
        let mut h = tar::Header::new_gnu();
        h.set_path(name).unwrap();
        h.set_size(size);
        h.set_entry_type(tar::EntryType::new(kind));
        h.set_cksum();
        *h.as_bytes()
    }

    #[test]
    fn sizes_in_octal_and_base_256() {
        assert_eq!(size_field(b"00000001750\0"), Some(1000));
        assert_eq!(size_field(b"     1750 \0\0"), Some(1000));
        assert_eq!(size_field(b"\0\0\0\0\0\0\0\0\0\0\0\0"), None);
        let mut big = [0u8; 12];
        big[0] = 0x80;
        big[4..].copy_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(size_field(&big), Some(u64::MAX));
        big[3] = 1; // 2^64 · 256^0 more than fits
        assert_eq!(size_field(&big), None);
        big[0] = 0xff; // negative
        assert_eq!(size_field(&big), None);
    }

    #[test]
    fn long_names_pax_prefix_and_skipped_types() {
        let long = format!("{}/data_batch_1.bin", "d".repeat(150));
        let mut tar = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(3);
        tar.append_data(&mut h, &long, &b"abc"[..]).unwrap();
        // A ustar header whose path needs the prefix field.
        let split = format!("{}/test_batch.bin", "p".repeat(120));
        let mut h = tar::Header::new_ustar();
        h.set_size(2);
        tar.append_data(&mut h, &split, &b"xy"[..]).unwrap();
        // pax: `path` names the next entry, `size` overrides its header.
        let pax = pax_record("path", "folder/batches.meta.txt") + &pax_record("size", "4");
        let pax = pax.as_bytes();
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::XHeader);
        h.set_size(pax.len() as u64);
        tar.append_data(&mut h, "PaxHeaders/x", pax).unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_size(4);
        tar.append_data(&mut h, "short-name", &b"meta"[..]).unwrap();
        // A symlink, a directory and a global header: skipped.
        let mut tar_bytes = tar.into_inner().unwrap();
        let end = tar_bytes.len() - 2 * BLOCK;
        let mut extra = Vec::new();
        extra.extend(header("link", 0, b'2'));
        extra.extend(header("dir/", 0, b'5'));
        extra.extend(header("global", 5, b'g'));
        extra.extend(b"x=1\n\0");
        extra.resize(extra.len() + BLOCK - 5, 0);
        tar_bytes.splice(end..end, extra);

        let expected = vec![
            (long, b"abc".to_vec()),
            (split, b"xy".to_vec()),
            ("folder/batches.meta.txt".to_string(), b"meta".to_vec()),
        ];
        for chunk in [1, 7, 511, 512, 513, 4096] {
            assert_eq!(files(&tar_bytes, chunk).unwrap(), expected, "chunk {chunk}");
        }
    }

    #[test]
    fn end_without_marker_and_after_it() {
        let mut tar = header("a", 3, b'0').to_vec();
        tar.extend(b"abc");
        tar.resize(2 * BLOCK, 0);
        assert_eq!(files(&tar, 100).unwrap().len(), 1);
        // Anything after the end marker is ignored.
        tar.resize(4 * BLOCK, 0);
        tar.extend(b"trailing junk");
        assert_eq!(files(&tar, 100).unwrap().len(), 1);
        // But not inside an entry, or its padding, or a header.
        for (cut, there) in [
            (BLOCK + 2, "in the middle of a"),
            (BLOCK + 3, "in the tar padding after a"),
            (
                2 * BLOCK + 1,
                "in the middle of the tar header at byte 1,024 of the unpacked archive",
            ),
        ] {
            let mut untar = Untar::new();
            let mut data = &tar[..cut];
            while untar.next(&mut data).unwrap().is_some() {}
            assert!(!untar.at_end());
            assert_eq!(untar.whereabouts(), there);
        }
    }

    #[test]
    fn checksum_offset_and_claims() {
        let mut tar = header("a", 0, b'0').to_vec();
        tar.extend(header("b", 0, b'0'));
        tar[BLOCK + 1] = b'!';
        let err = files(&tar, 64).unwrap_err().to_string();
        assert!(
            err.contains("the tar header at byte 512 of the unpacked archive is not valid (it records checksum"),
            "{err}"
        );
        let err = files(&header("big", 1 << 20, b'x'), 64)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the pax header at byte 0 of the unpacked archive claims 1,048,576 bytes"),
            "{err}"
        );
        let err = files(&[1; BLOCK], 64).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid data: the gzip file does not hold a valid tar archive"),
            "{err}"
        );
    }
}
