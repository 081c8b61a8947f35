//! gzip decoded as bytes arrive, for [`StreamDecoder`](super::StreamDecoder).
//!
//! A gzip file (RFC 1952) is one or more *members*, each
//!
//! ```text
//! header   1f 8b, method 8, flags, mtime, xfl, os   10 bytes
//!          [extra field] [name\0] [comment\0] [CRC-16 of the header]   if flagged
//! data     raw deflate
//! trailer  CRC-32 and length (mod 2^32) of the unpacked bytes   8 bytes
//! ```
//!
//! The header and trailer are parsed here, a field at a time, so any split
//! of the input between two calls works; `flate2::Decompress` inflates the
//! data into one reused output buffer. Between calls only the inflate state,
//! a few header bytes and that buffer are kept.

use flate2::{Decompress, FlushDecompress, Status};

use super::archive::{hex, GZIP_MAGIC};
use crate::error::{Error, Result};
use crate::nn::thousands;

/// Unpacked bytes per inflate call: large enough that the tar and record
/// layers see long slices, small enough to not matter in a Worker.
pub(super) const OUT_BUFFER: usize = 128 * 1024;

const FHCRC: u8 = 1 << 1;
const FEXTRA: u8 = 1 << 2;
const FNAME: u8 = 1 << 3;
const FCOMMENT: u8 = 1 << 4;
/// Flag bits RFC 1952 reserves; a decoder must refuse them.
const RESERVED: u8 = 0xe0;

/// The gzip layer: compressed bytes in, unpacked slices out.
pub(super) struct Gunzip {
    stage: Stage,
    inflate: Decompress,
    out: Box<[u8]>,
    /// CRC-32 of the current member's unpacked bytes, for its trailer.
    crc: crc32fast::Hasher,
    /// Number of the current member, from 1.
    member: u32,
    /// Compressed offsets of the current member and of its deflate data.
    member_at: u64,
    deflate_at: u64,
    bytes_in: u64,
}

enum Stage {
    Header(Header),
    Deflate,
    Trailer {
        bytes: [u8; 8],
        got: usize,
    },
    /// A member ended with a correct trailer: the input may end here, or
    /// another member begins (concatenated gzip files are one gzip file).
    Between,
}

/// How the input ended, for [`Gunzip::stop`].
pub(super) enum Stop {
    /// After a whole member (the only clean end).
    Complete,
    /// Inside a member; `Some` names the part if it is not the deflate data.
    Cut(Option<String>),
    /// Not gzip at all (too short to tell counts as not gzip only if what
    /// is there does not begin like gzip).
    NotGzip(Error),
}

impl Gunzip {
    pub(super) fn new() -> Gunzip {
        Gunzip::with_buffer(OUT_BUFFER)
    }

    /// A decoder whose output comes in slices of at most `out` bytes (tests
    /// use tiny ones, to split the output at every possible point).
    pub(super) fn with_buffer(out: usize) -> Gunzip {
        Gunzip {
            stage: Stage::Header(Header::new()),
            inflate: Decompress::new(false),
            out: vec![0; out.max(1)].into_boxed_slice(),
            crc: crc32fast::Hasher::new(),
            member: 1,
            member_at: 0,
            deflate_at: 0,
            bytes_in: 0,
        }
    }

    /// Compressed bytes consumed so far.
    pub(super) fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Bytes held between calls (the output buffer), for the memory tests.
    #[cfg(test)]
    pub(super) fn buffered(&self) -> usize {
        self.out.len()
    }

    /// Consume `input` until it yields unpacked bytes (returned, valid until
    /// the next call) or runs out (`None`: feed more). Call it again until
    /// `None`: one call may leave input unread.
    pub(super) fn next(&mut self, input: &mut &[u8]) -> Result<Option<&[u8]>> {
        loop {
            match &mut self.stage {
                Stage::Header(header) => {
                    if input.is_empty() {
                        return Ok(None);
                    }
                    let before = input.len();
                    let done = header.read(input, self.member, self.member_at);
                    self.bytes_in += (before - input.len()) as u64;
                    if done? {
                        self.inflate.reset(false);
                        self.crc = crc32fast::Hasher::new();
                        self.deflate_at = self.bytes_in;
                        self.stage = Stage::Deflate;
                    }
                }
                Stage::Deflate => {
                    let (in_before, out_before) =
                        (self.inflate.total_in(), self.inflate.total_out());
                    let status =
                        self.inflate
                            .decompress(input, &mut self.out, FlushDecompress::None);
                    let used = (self.inflate.total_in() - in_before) as usize;
                    let made = (self.inflate.total_out() - out_before) as usize;
                    *input = &input[used..];
                    self.bytes_in += used as u64;
                    let status = status.map_err(|e| self.damaged(&e))?;
                    self.crc.update(&self.out[..made]);
                    if status == Status::StreamEnd {
                        self.stage = Stage::Trailer {
                            bytes: [0; 8],
                            got: 0,
                        };
                    }
                    if made > 0 {
                        return Ok(Some(&self.out[..made]));
                    }
                    if status != Status::StreamEnd && used == 0 {
                        // No output, no input used: inflate needs more input.
                        // (With input left that would be a stall; say so
                        // rather than drop the bytes.)
                        if !input.is_empty() {
                            return Err(Error::InvalidData(format!(
                                "the gzip data could not be unpacked past compressed byte {}",
                                thousands(self.bytes_in)
                            )));
                        }
                        return Ok(None);
                    }
                }
                Stage::Trailer { bytes, got } => {
                    let n = (8 - *got).min(input.len());
                    bytes[*got..*got + n].copy_from_slice(&input[..n]);
                    *got += n;
                    *input = &input[n..];
                    self.bytes_in += n as u64;
                    if *got < 8 {
                        return Ok(None);
                    }
                    let bytes = *bytes;
                    self.check_trailer(bytes)?;
                    self.stage = Stage::Between;
                }
                Stage::Between => {
                    if input.is_empty() {
                        return Ok(None);
                    }
                    self.member += 1;
                    self.member_at = self.bytes_in;
                    self.stage = Stage::Header(Header::new());
                }
            }
        }
    }

    /// Where the input stopped, once it has ended.
    pub(super) fn stop(&self) -> Stop {
        let member = self.member;
        match &self.stage {
            Stage::Between => Stop::Complete,
            Stage::Header(header) if member == 1 && header.field == Field::Fixed => {
                let start = &header.scratch[..header.got.min(2)];
                if start.is_empty() || start != &GZIP_MAGIC[..start.len()] {
                    Stop::NotGzip(not_gzip(start))
                } else {
                    Stop::Cut(Some("in the gzip header".into()))
                }
            }
            Stage::Header(_) => Stop::Cut(Some(format!("in the header of gzip member {member}"))),
            Stage::Deflate => Stop::Cut(None),
            Stage::Trailer { .. } => {
                Stop::Cut(Some(format!("in the trailer of gzip member {member}")))
            }
        }
    }

    /// The CRC-32 and length in a member's trailer against what it unpacked to.
    fn check_trailer(&self, trailer: [u8; 8]) -> Result<()> {
        let at = thousands(self.bytes_in - 8);
        let member = self.member;
        let stored_crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let stored_len = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        let crc = self.crc.clone().finalize();
        let unpacked = self.inflate.total_out();
        if stored_crc != crc {
            return Err(Error::InvalidData(format!(
                "the gzip data is damaged: the trailer of member {member} (at compressed byte {at}) \
                 records CRC-32 {stored_crc:08x}, but the data unpacks to bytes with CRC-32 {crc:08x}"
            )));
        }
        // ISIZE is the length mod 2^32: the truncation is the format's.
        if stored_len != unpacked as u32 {
            return Err(Error::InvalidData(format!(
                "the gzip data is damaged: the trailer of member {member} (at compressed byte {at}) \
                 records a length of {} bytes (mod 2^32), but the data unpacks to {} bytes",
                thousands(u64::from(stored_len)),
                thousands(unpacked)
            )));
        }
        Ok(())
    }

    /// Inflate refused the data: say where (`total_in` counts the bytes it
    /// took, up to the one it could not decode).
    fn damaged(&self, e: &flate2::DecompressError) -> Error {
        Error::InvalidData(format!(
            "the gzip data is damaged: invalid deflate data at compressed byte {} \
             (in member {}, whose data starts at byte {}): {e}",
            thousands(self.deflate_at + self.inflate.total_in()),
            self.member,
            thousands(self.deflate_at)
        ))
    }
}

/// The optional header fields, in the order they come.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    /// The first 10 bytes: magic, method, flags, mtime, xfl, os.
    Fixed,
    /// FEXTRA: two length bytes, then that many bytes.
    ExtraLen,
    Extra,
    /// FNAME, FCOMMENT: zero-terminated.
    Name,
    Comment,
    /// FHCRC: the low 16 bits of the CRC-32 of the header bytes before it.
    HeaderCrc,
    Done,
}

const FIELDS: [Field; 7] = [
    Field::Fixed,
    Field::ExtraLen,
    Field::Extra,
    Field::Name,
    Field::Comment,
    Field::HeaderCrc,
    Field::Done,
];

/// A member header being read, a field at a time.
struct Header {
    field: Field,
    /// The fixed-size field being read (10 bytes, or 2), and how much of it is there.
    scratch: [u8; 10],
    got: usize,
    flags: u8,
    extra_left: usize,
    /// CRC-32 of the header bytes so far, for FHCRC.
    crc: crc32fast::Hasher,
}

impl Header {
    fn new() -> Header {
        Header {
            field: Field::Fixed,
            scratch: [0; 10],
            got: 0,
            flags: 0,
            extra_left: 0,
            crc: crc32fast::Hasher::new(),
        }
    }

    /// Read header bytes from `input`; true once the header is complete.
    /// `member` and `at` (its compressed offset) are for error messages.
    fn read(&mut self, input: &mut &[u8], member: u32, at: u64) -> Result<bool> {
        loop {
            match self.field {
                Field::Fixed => {
                    self.fill(input, 10);
                    // Two bytes tell gzip from anything else: refuse at once.
                    if self.got >= 2 && self.scratch[..2] != GZIP_MAGIC {
                        return Err(if member == 1 {
                            not_gzip(&self.scratch[..2])
                        } else {
                            Error::InvalidData(format!(
                                "the bytes after gzip member {} (at compressed byte {}: {}) are \
                                 not another gzip member, which starts with 1f 8b: a damaged file, \
                                 or something appended to it",
                                member - 1,
                                thousands(at),
                                hex(&self.scratch[..2])
                            ))
                        });
                    }
                    if self.got < 10 {
                        return Ok(false);
                    }
                    let (method, flags) = (self.scratch[2], self.scratch[3]);
                    let at = thousands(at);
                    if method != 8 {
                        return Err(Error::InvalidData(format!(
                            "gzip member {member} (at compressed byte {at}) uses compression \
                             method {method}; gzip has only method 8 (deflate)"
                        )));
                    }
                    if flags & RESERVED != 0 {
                        return Err(Error::InvalidData(format!(
                            "the header of gzip member {member} (at compressed byte {at}) sets \
                             reserved flag bits ({flags:#04x}): a damaged file"
                        )));
                    }
                    self.flags = flags;
                }
                Field::ExtraLen => {
                    self.fill(input, 2);
                    if self.got < 2 {
                        return Ok(false);
                    }
                    self.extra_left =
                        usize::from(u16::from_le_bytes([self.scratch[0], self.scratch[1]]));
                }
                Field::Extra => {
                    // Skipped, not kept: up to 64 KiB that nothing here needs.
                    let n = self.extra_left.min(input.len());
                    self.crc.update(&input[..n]);
                    *input = &input[n..];
                    self.extra_left -= n;
                    if self.extra_left > 0 {
                        return Ok(false);
                    }
                }
                Field::Name | Field::Comment => {
                    let end = input.iter().position(|&b| b == 0);
                    let n = end.map_or(input.len(), |i| i + 1);
                    self.crc.update(&input[..n]);
                    *input = &input[n..];
                    if end.is_none() {
                        return Ok(false);
                    }
                }
                Field::HeaderCrc => {
                    let crc = self.crc.clone().finalize() as u16;
                    // The CRC field is not part of what it covers.
                    let n = (2 - self.got).min(input.len());
                    self.scratch[self.got..self.got + n].copy_from_slice(&input[..n]);
                    self.got += n;
                    *input = &input[n..];
                    if self.got < 2 {
                        return Ok(false);
                    }
                    let stored = u16::from_le_bytes([self.scratch[0], self.scratch[1]]);
                    if stored != crc {
                        return Err(Error::InvalidData(format!(
                            "the header of gzip member {member} (at compressed byte {}) is \
                             damaged: it records CRC-16 {stored:04x}, its bytes have {crc:04x}",
                            thousands(at)
                        )));
                    }
                }
                Field::Done => return Ok(true),
            }
            self.field = self.next_field();
            self.got = 0;
        }
    }

    /// The field after the current one that the flags say is there.
    fn next_field(&self) -> Field {
        let present = |field: Field| match field {
            Field::ExtraLen | Field::Extra => self.flags & FEXTRA != 0,
            Field::Name => self.flags & FNAME != 0,
            Field::Comment => self.flags & FCOMMENT != 0,
            Field::HeaderCrc => self.flags & FHCRC != 0,
            Field::Fixed | Field::Done => true,
        };
        let now = FIELDS.iter().position(|&f| f == self.field).unwrap_or(0);
        FIELDS[now + 1..]
            .iter()
            .copied()
            .find(|&f| present(f))
            .unwrap_or(Field::Done)
    }

    /// Copy bytes into `scratch` (and the header CRC) until it holds `len`.
    fn fill(&mut self, input: &mut &[u8], len: usize) {
        let n = (len - self.got).min(input.len());
        self.scratch[self.got..self.got + n].copy_from_slice(&input[..n]);
        self.crc.update(&input[..n]);
        self.got += n;
        *input = &input[n..];
    }
}

/// The error for input that does not start like gzip: what it starts with
/// says what it is (50 4b is a zip, 3c 21 or 3c 68 an HTML error page, …).
fn not_gzip(start: &[u8]) -> Error {
    Error::InvalidData(format!(
        "not a gzip file: it starts with {}, a .tar.gz starts with 1f 8b",
        hex(start)
    ))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::{Compression, GzBuilder};

    use super::*;

    /// Unpack `input` fed in pieces of `chunk` bytes through a decoder with
    /// an `out`-byte buffer.
    fn gunzip(input: &[u8], chunk: usize, out: usize) -> Result<Vec<u8>> {
        let mut gz = Gunzip::with_buffer(out);
        let mut unpacked = Vec::new();
        for mut piece in input.chunks(chunk) {
            while let Some(bytes) = gz.next(&mut piece)? {
                unpacked.extend_from_slice(bytes);
            }
            assert!(piece.is_empty());
        }
        assert_eq!(gz.bytes_in(), input.len() as u64);
        match gz.stop() {
            Stop::Complete => Ok(unpacked),
            Stop::Cut(at) => Err(Error::InvalidData(format!("cut {at:?}"))),
            Stop::NotGzip(e) => Err(e),
        }
    }

    /// Bytes that compress a little but not to nothing.
    fn text(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * i / 7 % 251) as u8).collect()
    }

    #[test]
    fn every_optional_header_field_at_every_split() {
        let data = text(5000);
        let mut encoder = GzBuilder::new()
            .extra(vec![7; 300])
            .filename("data.bin")
            .comment("made in a test")
            .operating_system(3)
            .write(Vec::new(), Compression::default());
        encoder.write_all(&data).unwrap();
        let mut gz = encoder.finish().unwrap();
        // flate2 does not write FHCRC: insert it by hand after the comment.
        // The CRC covers the header as stored, with the FHCRC flag set.
        let header_len = 10 + 2 + 300 + 9 + 15;
        gz[3] |= FHCRC;
        let crc = crc32fast::hash(&gz[..header_len]) as u16;
        gz.splice(header_len..header_len, crc.to_le_bytes());

        for chunk in [1, 2, 3, 7, 10, 11, 64, 1000, gz.len()] {
            for out in [1, 5, 4096] {
                assert_eq!(
                    gunzip(&gz, chunk, out).unwrap(),
                    data,
                    "chunk {chunk}, out {out}"
                );
            }
        }
        // A wrong header CRC is refused.
        gz[header_len] ^= 1;
        let err = gunzip(&gz, 5, 100).unwrap_err().to_string();
        assert!(
            err.contains("member 1 (at compressed byte 0) is damaged: it records CRC-16"),
            "{err}"
        );
    }

    #[test]
    fn members_follow_one_another() {
        let (a, b) = (text(3000), b"second member".to_vec());
        let mut gz = Vec::new();
        for part in [&a, &Vec::new(), &b] {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
            encoder.write_all(part).unwrap();
            gz.extend(encoder.finish().unwrap());
        }
        let whole = [a, b].concat();
        for chunk in [1, 9, 17, 100, gz.len()] {
            assert_eq!(gunzip(&gz, chunk, 33).unwrap(), whole);
        }
    }

    #[test]
    fn reserved_flags_and_methods_are_refused() {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast())
            .finish()
            .unwrap();
        assert_eq!(gunzip(&gz, 1, 10).unwrap(), b"");
        gz[3] = 0x20;
        let err = gunzip(&gz, 1, 10).unwrap_err().to_string();
        assert!(err.contains("sets reserved flag bits (0x20)"), "{err}");
        gz[3] = 0;
        gz[2] = 7;
        let err = gunzip(&gz, 1, 10).unwrap_err().to_string();
        assert!(err.contains("uses compression method 7"), "{err}");
    }

    #[test]
    fn too_short_to_tell() {
        // Nothing, or one byte that is not 1f: not gzip. 1f alone: cut off.
        assert!(matches!(Gunzip::new().stop(), Stop::NotGzip(_)));
        let mut gz = Gunzip::new();
        assert!(gz.next(&mut &[0x50u8][..]).unwrap().is_none());
        let Stop::NotGzip(err) = gz.stop() else {
            panic!("not refused")
        };
        assert!(err.to_string().contains("it starts with 50,"), "{err}");
        let mut gz = Gunzip::new();
        assert!(gz.next(&mut &[0x1fu8][..]).unwrap().is_none());
        assert!(matches!(gz.stop(), Stop::Cut(Some(_))));
    }
}
