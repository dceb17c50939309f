//! A small, strict reader for sdists (gzip-wrapped pax tar streams), written
//! for the tests so that the gzip header and every tar header field can be
//! compared with what CPython's `tarfile`/`GzipFile` write for flit
//! (flit-behaviour.md §7.4).

use std::io::Read;

/// The gzip header fields (RFC 1952) that flit fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GzipHeader {
    /// FLG: which optional parts follow (8 = FNAME).
    pub flags: u8,
    /// MTIME, seconds since the epoch.
    pub mtime: u32,
    /// XFL: 2 = maximum compression.
    pub extra_flags: u8,
    /// OS: 255 = unknown.
    pub os: u8,
    /// FNAME without its terminating NUL, if present.
    pub file_name: Option<Vec<u8>>,
}

/// The byte ranges of the fields of a 512-byte ustar header.
pub const HEADER_FIELDS: &[(&str, usize, usize)] = &[
    ("name", 0, 100),
    ("mode", 100, 108),
    ("uid", 108, 116),
    ("gid", 116, 124),
    ("size", 124, 136),
    ("mtime", 136, 148),
    ("chksum", 148, 156),
    ("typeflag", 156, 157),
    ("linkname", 157, 257),
    ("magic", 257, 263),
    ("version", 263, 265),
    ("uname", 265, 297),
    ("gname", 297, 329),
    ("devmajor", 329, 337),
    ("devminor", 337, 345),
    ("prefix", 345, 500),
    ("padding", 500, 512),
];

/// One header block (or the data blocks after it) in a tar stream: members
/// and pax extended headers alike, in stream order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Offset of the header block in the decompressed stream.
    pub offset: usize,
    /// The raw 512-byte header.
    pub header: Vec<u8>,
    /// The path: the pax `path` record if there is one, else prefix/name.
    pub name: String,
    /// The typeflag byte as a character (`0` file, `2` symlink, `x` pax, ...).
    pub kind: char,
    /// Permission bits from the header.
    pub mode: u32,
    /// Numeric owner.
    pub uid: u64,
    /// Numeric group.
    pub gid: u64,
    /// Owner name.
    pub uname: String,
    /// Group name.
    pub gname: String,
    /// The ustar mtime field.
    pub mtime: u64,
    /// The size field.
    pub size: u64,
    /// The link target: the pax `linkpath` record if there is one, else the field.
    pub linkname: String,
    /// The pax records that apply to this member (from the `x` header before it).
    pub pax: Vec<(String, String)>,
    /// The data (for `x` headers, the raw records).
    pub data: Vec<u8>,
}

/// A whole sdist.
#[derive(Debug, Clone)]
pub struct Sdist {
    /// The gzip header.
    pub gzip: GzipHeader,
    /// The decompressed tar stream.
    pub tar: Vec<u8>,
    /// Every header in the stream, pax headers included, in order.
    pub entries: Vec<Entry>,
    /// Offset of the end-of-archive blocks.
    pub end_offset: usize,
}

impl Sdist {
    /// The members (pax extended headers excluded), in order.
    pub fn members(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|entry| !matches!(entry.kind, 'x' | 'g'))
    }

    /// The member names, in order.
    pub fn names(&self) -> Vec<String> {
        self.members().map(|entry| entry.name.clone()).collect()
    }

    /// The member called `name`.
    pub fn member(&self, name: &str) -> Option<&Entry> {
        self.members().find(|entry| entry.name == name)
    }
}

/// Splits a gzip file into its header and decompressed data, checking the
/// CRC-32 and size in the trailer and that there is exactly one member.
pub fn parse_gzip(bytes: &[u8]) -> Result<(GzipHeader, Vec<u8>), String> {
    if bytes.len() < 18 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Err("not a gzip file".to_owned());
    }
    if bytes[2] != 8 {
        return Err(format!("compression method {} is not deflate", bytes[2]));
    }
    let flags = bytes[3];
    let mtime = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let mut at = 10;
    if flags & 4 != 0 {
        let length = usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
        at += 2 + length;
    }
    let mut file_name = None;
    if flags & 8 != 0 {
        let end = bytes[at..].iter().position(|&b| b == 0).ok_or("FNAME is not terminated")?;
        file_name = Some(bytes[at..at + end].to_vec());
        at += end + 1;
    }
    if flags & 16 != 0 {
        let end = bytes[at..].iter().position(|&b| b == 0).ok_or("FCOMMENT is not terminated")?;
        at += end + 1;
    }
    if flags & 2 != 0 {
        at += 2;
    }
    let body = bytes.get(at..).ok_or("truncated gzip header")?;
    let mut decoder = flate2::read::DeflateDecoder::new(body);
    let mut data = Vec::new();
    decoder.read_to_end(&mut data).map_err(|error| format!("bad deflate stream: {error}"))?;
    let consumed = usize::try_from(decoder.total_in()).map_err(|_| "huge stream")?;
    let trailer = body.get(consumed..).ok_or("truncated gzip stream")?;
    if trailer.len() != 8 {
        return Err(format!("{} bytes after the deflate stream instead of an 8-byte trailer", trailer.len()));
    }
    let crc_expected = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size_expected = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    let mut crc = flate2::Crc::new();
    crc.update(&data);
    if crc.sum() != crc_expected {
        return Err(format!("CRC-32 {:08x}, trailer says {crc_expected:08x}", crc.sum()));
    }
    if data.len() as u32 != size_expected {
        return Err(format!("{} bytes, trailer says {size_expected}", data.len()));
    }
    let header = GzipHeader { flags, mtime, extra_flags: bytes[8], os: bytes[9], file_name };
    Ok((header, data))
}

fn text_field(header: &[u8], start: usize, end: usize) -> String {
    let field = &header[start..end];
    let length = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..length]).into_owned()
}

fn octal_field(header: &[u8], start: usize, end: usize, what: &str, offset: usize) -> Result<u64, String> {
    let text = text_field(header, start, end);
    let digits = text.trim_matches(|c: char| c == ' ' || c == '\0');
    if digits.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(digits, 8).map_err(|_| format!("header at {offset}: {what} field {text:?} is not octal"))
}

fn parse_pax_records(data: &[u8], offset: usize) -> Result<Vec<(String, String)>, String> {
    let mut records = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let space = rest.iter().position(|&b| b == b' ').ok_or(format!("pax header at {offset}: no length"))?;
        let length: usize = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|text| text.parse().ok())
            .ok_or(format!("pax header at {offset}: bad record length"))?;
        let record = rest.get(space + 1..length).ok_or(format!("pax header at {offset}: truncated record"))?;
        let record = record.strip_suffix(b"\n").ok_or(format!("pax header at {offset}: record without newline"))?;
        let equals = record.iter().position(|&b| b == b'=').ok_or(format!("pax header at {offset}: no '='"))?;
        records.push((
            String::from_utf8_lossy(&record[..equals]).into_owned(),
            String::from_utf8_lossy(&record[equals + 1..]).into_owned(),
        ));
        rest = &rest[length..];
    }
    Ok(records)
}

/// Parses a tar stream into its headers. Checks header checksums, and that the
/// archive ends with zero blocks.
pub fn parse_tar(tar: &[u8]) -> Result<(Vec<Entry>, usize), String> {
    let mut entries = Vec::new();
    let mut pending_pax: Vec<(String, String)> = Vec::new();
    let mut at = 0;
    loop {
        let header = tar.get(at..at + 512).ok_or(format!("no end-of-archive block (stream ends at {at})"))?;
        if header.iter().all(|&b| b == 0) {
            if tar[at..].iter().any(|&b| b != 0) {
                return Err(format!("non-zero bytes after the end-of-archive block at {at}"));
            }
            return Ok((entries, at));
        }
        let stored_checksum = octal_field(header, 148, 156, "chksum", at)?;
        let checksum: u64 =
            header.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u64::from(b) }).sum();
        if checksum != stored_checksum {
            return Err(format!("header at {at}: checksum {checksum} but the field says {stored_checksum}"));
        }
        let size = octal_field(header, 124, 136, "size", at)?;
        let size_usize = usize::try_from(size).map_err(|_| "huge member")?;
        let data = tar.get(at + 512..at + 512 + size_usize).ok_or(format!("header at {at}: truncated data"))?.to_vec();
        let kind = char::from(header[156]);
        let mut name = text_field(header, 0, 100);
        let prefix = text_field(header, 345, 500);
        if !prefix.is_empty() {
            name = format!("{prefix}/{name}");
        }
        let mut linkname = text_field(header, 157, 257);
        let pax = if matches!(kind, 'x' | 'g') {
            Vec::new()
        } else {
            let pax = std::mem::take(&mut pending_pax);
            for (key, value) in &pax {
                match key.as_str() {
                    "path" => name = value.clone(),
                    "linkpath" => linkname = value.clone(),
                    _ => {}
                }
            }
            pax
        };
        if kind == 'x' {
            pending_pax = parse_pax_records(&data, at)?;
        }
        entries.push(Entry {
            offset: at,
            header: header.to_vec(),
            name,
            kind,
            mode: u32::try_from(octal_field(header, 100, 108, "mode", at)?).map_err(|_| "huge mode")?,
            uid: octal_field(header, 108, 116, "uid", at)?,
            gid: octal_field(header, 116, 124, "gid", at)?,
            uname: text_field(header, 265, 297),
            gname: text_field(header, 297, 329),
            mtime: octal_field(header, 136, 148, "mtime", at)?,
            size,
            linkname,
            pax,
            data,
        });
        at += 512 + size_usize.div_ceil(512) * 512;
    }
}

/// Parses a whole sdist.
pub fn parse(bytes: &[u8]) -> Result<Sdist, String> {
    let (gzip, tar) = parse_gzip(bytes)?;
    let (entries, end_offset) = parse_tar(&tar)?;
    Ok(Sdist { gzip, tar, entries, end_offset })
}

/// Reads and parses the sdist at `path`, panicking with the path and the
/// problem if it is malformed.
pub fn read(path: &std::path::Path) -> Sdist {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    parse(&bytes).unwrap_or_else(|error| panic!("{} is not a well-formed sdist: {error}", path.display()))
}

/// Which part of the tar stream the byte at `offset` belongs to, for messages:
/// e.g. `header of "pkg-1.0/PKG-INFO", field mtime`.
pub fn describe_offset(sdist: &Sdist, offset: usize) -> String {
    for entry in &sdist.entries {
        let data_end = entry.offset + 512 + (entry.size as usize).div_ceil(512) * 512;
        if (entry.offset..entry.offset + 512).contains(&offset) {
            let within = offset - entry.offset;
            let field = HEADER_FIELDS
                .iter()
                .find(|(_, start, end)| (*start..*end).contains(&within))
                .map_or("?", |(name, _, _)| name);
            let what = if entry.kind == 'x' { "pax header block" } else { "header" };
            return format!("{what} of {:?} (type {:?}), field {field}", entry.name, entry.kind);
        }
        if (entry.offset + 512..data_end).contains(&offset) {
            let what = if entry.kind == 'x' { "pax records" } else { "data" };
            return format!("{what} of {:?}, byte {}", entry.name, offset - entry.offset - 512);
        }
    }
    if offset >= sdist.end_offset {
        return format!("end-of-archive padding, byte {}", offset - sdist.end_offset);
    }
    "outside every member".to_owned()
}
