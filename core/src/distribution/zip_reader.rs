//! A small zip reader for checking archives: the central directory
//! (zip64 included), local headers, stored and deflated members, CRC-32.
//!
//! Why not the `zip` crate: zip 9 pulls in `getrandom` with its `wasm_js`
//! feature on every wasm32 target, which makes a wasm32-unknown-unknown core
//! import wasm-bindgen glue; the core must stay free of it. Reading is the
//! easy half of zip, and a checker needs control the crate does not give:
//! it must notice what a tolerant reader papers over (overlapping members,
//! local and central names that differ, sizes that lie) and never allocate
//! or inflate more than the limits allow.
//!
//! Every offset and size read from the archive is checked against the
//! archive's length before use, members must not overlap (which is what
//! makes the "overlapping files" zip bomb impossible), a member yields at most
//! its declared size, and declared sizes are bounded by [`Limits`].

use std::io::{self, Read, Seek, SeekFrom};

use super::Limits;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const FLAG_ENCRYPTED: u16 = 1;
const FLAG_UTF8: u16 = 1 << 11;
const METHOD_STORED: u16 = 0;
const METHOD_DEFLATED: u16 = 8;
/// Version-made-by host of Unix, whose external attributes carry a mode.
const HOST_UNIX: u16 = 3;

/// Why a zip archive, or one member, cannot be read.
#[derive(Debug)]
pub(crate) enum ZipError {
    /// The structure is broken: the message says where.
    Corrupt(String),
    /// Valid zip, but a feature a wheel or sdist may not use (encryption,
    /// compression other than stored and deflate, several disks).
    Unsupported(String),
    /// A declared size is beyond [`Limits`].
    TooLarge(String),
}

impl From<io::Error> for ZipError {
    fn from(error: io::Error) -> Self {
        ZipError::Corrupt(format!("reading it failed: {error}"))
    }
}

fn corrupt(message: impl Into<String>) -> ZipError {
    ZipError::Corrupt(message.into())
}

/// One member, from the central directory.
#[derive(Debug, Clone)]
pub(crate) struct ZipEntry {
    /// The name, decoded (with U+FFFD for undecodable bytes; see
    /// [`name_problem`](Self::name_problem)).
    pub name: String,
    /// Why the name is not cleanly UTF-8, if it is not.
    pub name_problem: Option<&'static str>,
    raw_name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    compressed_size: u64,
    /// The declared uncompressed size.
    pub size: u64,
    header_offset: u64,
    external_attributes: u32,
    made_by_host: u16,
    /// Where the member's data starts, once its local header was read.
    data_start: Option<u64>,
    /// Why the data cannot be read, found while locating it.
    problem: Option<String>,
}

impl ZipEntry {
    /// True for directory entries (names ending in `/`).
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// The Unix `st_mode`, if the archive was made on Unix and records one.
    pub fn unix_mode(&self) -> Option<u32> {
        let mode = self.external_attributes >> 16;
        (self.made_by_host == HOST_UNIX && mode != 0).then_some(mode)
    }

    /// True if the Unix mode says symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.unix_mode().is_some_and(|mode| mode & 0o170_000 == 0o120_000)
    }
}

/// An opened zip archive.
pub(crate) struct ZipArchive<R> {
    reader: R,
    /// The members, in central directory order.
    pub entries: Vec<ZipEntry>,
    /// Problems found while locating members (overlaps, bad local headers),
    /// as (entry index, message); those members cannot be read.
    pub layout_problems: Vec<(usize, String)>,
    limits: Limits,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

fn read_at<R: Read + Seek>(reader: &mut R, offset: u64, length: usize) -> Result<Vec<u8>, ZipError> {
    reader.seek(SeekFrom::Start(offset))?;
    let mut buffer = vec![0; length];
    reader
        .read_exact(&mut buffer)
        .map_err(|_| corrupt(format!("it ends before the {length} bytes at offset {offset}")))?;
    Ok(buffer)
}

/// Where the central directory is.
struct Directory {
    /// Absolute offset of its first entry.
    start: u64,
    /// Its size in bytes.
    size: u64,
    /// How many bytes precede the zip itself (a self-extractor stub): every
    /// offset the archive records is relative to the zip's start.
    shift: u64,
}

impl<R: Read + Seek> ZipArchive<R> {
    /// Reads the central directory and locates every member's data.
    pub fn open(mut reader: R, limits: Limits) -> Result<Self, ZipError> {
        let length = reader.seek(SeekFrom::End(0))?;
        let directory = find_directory(&mut reader, length)?;
        if directory.size > limits.central_directory {
            return Err(ZipError::TooLarge(format!(
                "its central directory is {} bytes, more than the {} this check reads",
                directory.size, limits.central_directory
            )));
        }
        let size = usize::try_from(directory.size).map_err(|_| corrupt("its central directory is too large"))?;
        let bytes = read_at(&mut reader, directory.start, size)?;
        let entries = parse_directory(&bytes, directory.start, directory.shift, limits)?;
        let mut archive = ZipArchive { reader, entries, layout_problems: Vec::new(), limits };
        archive.locate_members(directory.start)?;
        Ok(archive)
    }

    /// Reads every local header: the name must match the central directory,
    /// and the members' bytes must neither overlap nor run into the central
    /// directory.
    fn locate_members(&mut self, directory_start: u64) -> Result<(), ZipError> {
        let mut ranges: Vec<(u64, u64, usize)> = Vec::with_capacity(self.entries.len());
        for index in 0..self.entries.len() {
            let Some(entry) = self.entries.get(index) else { continue };
            let (offset, compressed_size, raw_name) =
                (entry.header_offset, entry.compressed_size, entry.raw_name.clone());
            let located = (|| -> Result<u64, String> {
                if offset.checked_add(30).is_none_or(|end| end > directory_start) {
                    return Err(format!("its local header offset {offset} is outside the archive's data"));
                }
                let header =
                    read_at(&mut self.reader, offset, 30).map_err(|_| "its local header cannot be read".to_owned())?;
                if u32_at(&header, 0) != Some(LOCAL_HEADER) {
                    return Err(format!("there is no local header at offset {offset}"));
                }
                let name_length = u16_at(&header, 26).unwrap_or(0);
                let extra_length = u16_at(&header, 28).unwrap_or(0);
                let name = read_at(&mut self.reader, offset + 30, usize::from(name_length))
                    .map_err(|_| "its local header cannot be read".to_owned())?;
                if name != raw_name {
                    return Err(format!(
                        "its local header names it `{}`, the central directory `{}`",
                        String::from_utf8_lossy(&name),
                        String::from_utf8_lossy(&raw_name)
                    ));
                }
                let data_start = offset + 30 + u64::from(name_length) + u64::from(extra_length);
                if data_start.checked_add(compressed_size).is_none_or(|end| end > directory_start) {
                    return Err("its data runs past the end of the archive's data".to_owned());
                }
                Ok(data_start)
            })();
            match located {
                Ok(data_start) => {
                    if let Some(entry) = self.entries.get_mut(index) {
                        entry.data_start = Some(data_start);
                    }
                    ranges.push((offset, data_start + compressed_size, index));
                }
                Err(message) => {
                    if let Some(entry) = self.entries.get_mut(index) {
                        entry.problem = Some(message.clone());
                    }
                    self.layout_problems.push((index, message));
                }
            }
        }
        ranges.sort_unstable();
        for pair in ranges.windows(2) {
            let [(_, end, first), (start, _, second)] = pair else { continue };
            if start < end {
                for index in [*first, *second] {
                    if let Some(entry) = self.entries.get_mut(index)
                        && entry.problem.is_none()
                    {
                        let message = "its bytes overlap another member's (a sign of a zip bomb)".to_owned();
                        entry.problem = Some(message.clone());
                        entry.data_start = None;
                        self.layout_problems.push((index, message));
                    }
                }
            }
        }
        Ok(())
    }

    /// Streams member `index`'s uncompressed bytes to `visit`, checking its
    /// size and CRC-32.
    pub fn read_member(&mut self, index: usize, visit: &mut dyn FnMut(&[u8])) -> Result<(), ZipError> {
        let Some(entry) = self.entries.get(index) else {
            return Err(corrupt("no such member"));
        };
        if let Some(problem) = &entry.problem {
            return Err(corrupt(problem.clone()));
        }
        let Some(data_start) = entry.data_start else {
            return Err(corrupt("its data cannot be located"));
        };
        if entry.flags & FLAG_ENCRYPTED != 0 {
            return Err(ZipError::Unsupported("it is encrypted".to_owned()));
        }
        if entry.size > self.limits.member_size {
            return Err(ZipError::TooLarge(format!(
                "it declares {} bytes uncompressed, more than the {} this check reads",
                entry.size, self.limits.member_size
            )));
        }
        let (method, size, compressed_size, expected_crc) =
            (entry.method, entry.size, entry.compressed_size, entry.crc);
        self.reader.seek(SeekFrom::Start(data_start))?;
        let raw = (&mut self.reader).take(compressed_size);
        let mut source: Box<dyn Read + '_> = match method {
            METHOD_STORED => {
                if compressed_size != size {
                    return Err(corrupt(format!(
                        "it is stored uncompressed, but its sizes differ ({compressed_size} and {size} bytes)"
                    )));
                }
                Box::new(raw)
            }
            METHOD_DEFLATED => Box::new(flate2::read::DeflateDecoder::new(raw)),
            other => {
                return Err(ZipError::Unsupported(format!(
                    "it uses compression method {other} ({}); only stored (0) and deflate (8) are checked",
                    method_name(other)
                )));
            }
        };
        let mut crc = crc32fast::Hasher::new();
        let mut total: u64 = 0;
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let read = match source.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(corrupt(format!("its compressed data is damaged ({error})"))),
            };
            total += read as u64;
            if total > size {
                return Err(corrupt(format!("it inflates to more than its declared {size} bytes")));
            }
            let chunk = buffer.get(..read).unwrap_or_default();
            crc.update(chunk);
            visit(chunk);
        }
        if total != size {
            return Err(corrupt(format!("it holds {total} bytes, but the central directory says {size}")));
        }
        let actual_crc = crc.finalize();
        if actual_crc != expected_crc {
            return Err(corrupt(format!(
                "its CRC-32 is {actual_crc:08x}, but the central directory says {expected_crc:08x}"
            )));
        }
        Ok(())
    }

    /// Reads member `index` whole, refusing more than `max` bytes.
    pub fn read_to_vec(&mut self, index: usize, max: u64) -> Result<Vec<u8>, ZipError> {
        let size = self.entries.get(index).map_or(0, |entry| entry.size);
        if size > max {
            return Err(ZipError::TooLarge(format!("it is {size} bytes, more than the {max} this check reads")));
        }
        // The declared size may lie; grow with the actual data beyond 1 MiB.
        let mut out = Vec::with_capacity(usize::try_from(size.min(1 << 20)).unwrap_or(0));
        self.read_member(index, &mut |chunk| out.extend_from_slice(chunk))?;
        Ok(out)
    }
}

fn method_name(method: u16) -> &'static str {
    match method {
        12 => "bzip2",
        14 => "LZMA",
        93 => "Zstandard",
        95 => "XZ",
        9 => "deflate64",
        _ => "unknown",
    }
}

/// Finds the end of central directory record (and the zip64 one) and
/// returns where the central directory is. Handles data prepended to the
/// archive the way Python's `zipfile` does (offsets are then relative to
/// the zip's own start).
fn find_directory<R: Read + Seek>(reader: &mut R, length: u64) -> Result<Directory, ZipError> {
    if length < 22 {
        return Err(corrupt("it is too short to be a zip archive"));
    }
    let tail_length = length.min(22 + 65_535);
    let tail_start = length - tail_length;
    let tail = read_at(reader, tail_start, usize::try_from(tail_length).unwrap_or(22))?;
    // The last signature whose record (with its comment) fits in the file.
    let mut found = None;
    for position in (0..=tail.len().saturating_sub(22)).rev() {
        if u32_at(&tail, position) == Some(END_OF_CENTRAL_DIRECTORY) {
            let comment = usize::from(u16_at(&tail, position + 20).unwrap_or(0));
            if position + 22 + comment <= tail.len() {
                found = Some(position);
                break;
            }
        }
    }
    let Some(position) = found else {
        return Err(corrupt("it has no end of central directory record, so it is not a zip archive (or is truncated)"));
    };
    let record = tail.get(position..position + 22).unwrap_or_default();
    let end_offset = tail_start + position as u64;
    let disk = u16_at(record, 4).unwrap_or(0);
    let directory_disk = u16_at(record, 6).unwrap_or(0);
    let mut size = u64::from(u32_at(record, 12).unwrap_or(0));
    let mut offset = u64::from(u32_at(record, 16).unwrap_or(0));
    let mut directory_end = end_offset;
    if disk != 0 || directory_disk != 0 {
        return Err(ZipError::Unsupported("it is split over several disks".to_owned()));
    }
    // A zip64 locator just before the record points at the zip64 record,
    // which holds the real sizes.
    if end_offset >= 20 {
        let locator = read_at(reader, end_offset - 20, 20)?;
        if u32_at(&locator, 0) == Some(ZIP64_LOCATOR) {
            if end_offset < 20 + 56 {
                return Err(corrupt("its zip64 end of central directory record is missing"));
            }
            let record_offset = end_offset - 20 - 56;
            let record = read_at(reader, record_offset, 56)?;
            if u32_at(&record, 0) != Some(ZIP64_END_OF_CENTRAL_DIRECTORY) {
                return Err(corrupt("its zip64 end of central directory record is missing"));
            }
            if u32_at(&record, 16) != Some(0) || u32_at(&record, 20) != Some(0) {
                return Err(ZipError::Unsupported("it is split over several disks".to_owned()));
            }
            size = u64_at(&record, 40).unwrap_or(0);
            offset = u64_at(&record, 48).unwrap_or(0);
            directory_end = record_offset;
        }
    }
    let Some(start) = directory_end.checked_sub(size) else {
        return Err(corrupt("its central directory is larger than the archive"));
    };
    // Data before the archive (a self-extractor stub) shifts every offset.
    if start < offset {
        return Err(corrupt("its central directory offset points past the central directory"));
    }
    Ok(Directory { start, size, shift: start - offset })
}

/// Parses the central directory `bytes`, which start at absolute offset
/// `start`; entry offsets are made absolute by adding `shift`.
fn parse_directory(bytes: &[u8], start: u64, shift: u64, limits: Limits) -> Result<Vec<ZipEntry>, ZipError> {
    let mut entries = Vec::new();
    let mut position = 0;
    let mut total_size: u64 = 0;
    // Python's `zipfile` reads entries until the directory's size is used up.
    while position < bytes.len() {
        let header = bytes.get(position..position + 46).ok_or_else(|| corrupt("its central directory is truncated"))?;
        if u32_at(header, 0) != Some(CENTRAL_HEADER) {
            return Err(corrupt(format!("its central directory is damaged at offset {}", start + position as u64)));
        }
        if entries.len() >= limits.members {
            return Err(ZipError::TooLarge(format!("it has more than {} members", limits.members)));
        }
        let made_by = u16_at(header, 4).unwrap_or(0);
        let flags = u16_at(header, 8).unwrap_or(0);
        let method = u16_at(header, 10).unwrap_or(0);
        let crc = u32_at(header, 16).unwrap_or(0);
        let mut compressed_size = u64::from(u32_at(header, 20).unwrap_or(0));
        let mut size = u64::from(u32_at(header, 24).unwrap_or(0));
        let name_length = usize::from(u16_at(header, 28).unwrap_or(0));
        let extra_length = usize::from(u16_at(header, 30).unwrap_or(0));
        let comment_length = usize::from(u16_at(header, 32).unwrap_or(0));
        let external_attributes = u32_at(header, 38).unwrap_or(0);
        let mut header_offset = u64::from(u32_at(header, 42).unwrap_or(0));
        let name_start = position + 46;
        let raw_name = bytes
            .get(name_start..name_start + name_length)
            .ok_or_else(|| corrupt("its central directory is truncated"))?
            .to_vec();
        let extra = bytes
            .get(name_start + name_length..name_start + name_length + extra_length)
            .ok_or_else(|| corrupt("its central directory is truncated"))?;
        // Zip64 extended information: the 64-bit values of the fields that
        // are all ones, in this order.
        let needs = [size == 0xFFFF_FFFF, compressed_size == 0xFFFF_FFFF, header_offset == 0xFFFF_FFFF];
        if needs.iter().any(|need| *need) {
            let values = zip64_values(extra).ok_or_else(|| {
                corrupt(format!(
                    "the member `{}` needs zip64 sizes that are missing",
                    String::from_utf8_lossy(&raw_name)
                ))
            })?;
            let mut values = values.into_iter();
            let mut next = || values.next().ok_or_else(|| corrupt("a member's zip64 sizes are incomplete"));
            if needs[0] {
                size = next()?;
            }
            if needs[1] {
                compressed_size = next()?;
            }
            if needs[2] {
                header_offset = next()?;
            }
        }
        let (name, name_problem) = decode_name(&raw_name, flags);
        total_size = total_size.saturating_add(size);
        if total_size > limits.total_size {
            return Err(ZipError::TooLarge(format!(
                "its members declare more than {} bytes in total, more than this check reads",
                limits.total_size
            )));
        }
        entries.push(ZipEntry {
            name,
            name_problem,
            raw_name,
            flags,
            method,
            crc,
            compressed_size,
            size,
            header_offset: header_offset.saturating_add(shift),
            external_attributes,
            made_by_host: made_by >> 8,
            data_start: None,
            problem: None,
        });
        position = name_start + name_length + extra_length + comment_length;
    }
    Ok(entries)
}

/// The 64-bit values of a zip64 extra field (id 1), if present.
fn zip64_values(extra: &[u8]) -> Option<Vec<u64>> {
    let mut position = 0;
    while position + 4 <= extra.len() {
        let id = u16_at(extra, position)?;
        let length = usize::from(u16_at(extra, position + 2)?);
        let data = extra.get(position + 4..position + 4 + length)?;
        if id == 1 {
            return Some(data.chunks_exact(8).filter_map(|chunk| u64_at(chunk, 0)).collect());
        }
        position += 4 + length;
    }
    None
}

/// Decodes a member name: UTF-8 when flagged (or pure ASCII). A non-ASCII
/// name without the flag is one other readers decode as CP437, so it is a
/// problem even when it happens to be valid UTF-8.
fn decode_name(raw: &[u8], flags: u16) -> (String, Option<&'static str>) {
    match std::str::from_utf8(raw) {
        Ok(name) if flags & FLAG_UTF8 != 0 || name.is_ascii() => (name.to_owned(), None),
        Ok(name) => {
            (name.to_owned(), Some("it is not ASCII but lacks the zip UTF-8 flag, so zip readers decode it as CP437"))
        }
        Err(_) => (String::from_utf8_lossy(raw).into_owned(), Some("it is not valid UTF-8")),
    }
}
