//! A zip writer laid out like CPython's `zipfile` writing deflated members to
//! a seekable file, which is how flit writes wheels.
//!
//! For each member, CPython (`ZipFile.open(zinfo, 'w')` and `writestr`)
//! writes a local header with placeholder CRC and sizes, streams the raw
//! deflate data, then seeks back and rewrites the header with the real
//! values; at the end comes the central directory and the end record:
//!
//! - local header: version needed 20, flags `0x800` only for non-ASCII
//!   names (the name is then UTF-8, else ASCII), method 8, DOS time and date,
//!   CRC-32, sizes, no extra field; no data descriptor;
//! - central directory entry: "made by" version 20 on Unix (`0x0314`),
//!   the same fields, no comment, internal attributes 0, external attributes
//!   `mode << 16`;
//! - end of central directory record without comment.
//!
//! Deflate uses level 6 like zlib's default; the compressed bytes come from
//! zlib-rs and may differ from zlib's, everything else matches.
//!
//! No zip64: CPython switches to zip64 structures above 2 GiB, this writer
//! refuses anything a plain zip cannot describe (65535 members, 4 GiB for a
//! member or for an offset) with a clear error instead.

use std::collections::HashSet;
use std::io::{self, Seek, SeekFrom, Write};

use super::ArchiveError;
use super::check_name;
use super::deflate::{Deflater, deflate_to_vec};

/// zlib's default level, which `zipfile` uses for `ZIP_DEFLATED`.
const LEVEL: u32 = 6;
/// `zipfile.DEFAULT_VERSION`: "version needed to extract" and "made by".
const VERSION: u8 = 20;
/// Host system 3 (Unix) in the high byte of "made by", as CPython on POSIX.
const SYSTEM_UNIX: u8 = 3;
/// Compression method 8: deflate.
const METHOD_DEFLATE: u16 = 8;
/// General purpose flag bit 11: the name is UTF-8.
const FLAG_UTF8: u16 = 0x800;
/// Sizes and offsets must stay below this: `0xFFFFFFFF` itself means
/// "see the zip64 extra field" to readers.
const LIMIT_32: u64 = 0xFFFF_FFFF;
/// The entry counts in the end record are 16-bit; `0xFFFF` is the most
/// CPython writes without zip64.
const MAX_MEMBERS: usize = 0xFFFF;
/// Local header size without the name.
const LOCAL_HEADER_SIZE: usize = 30;
/// Offset of the CRC-32 field in the local header; the CRC and both sizes
/// (12 bytes) are patched once the member is complete.
const LOCAL_CRC_OFFSET: u64 = 14;
/// Central directory output is gathered into chunks of about this size.
const CENTRAL_CHUNK: usize = 64 * 1024;
/// 1980-01-01 00:00:00 UTC, the earliest time a zip can record.
const DOS_EPOCH_UNIX: u64 = 315_532_800;
/// 2107-12-31 23:59:59 UTC, the last second a zip can record.
const DOS_LAST_UNIX: u64 = 4_354_819_199;

/// A calendar date and time as a zip member records it (MS-DOS format:
/// years 1980–2107, two-second resolution, no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DosDateTime {
    /// 1980 to 2107.
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 59 (60 is accepted for a leap second); stored halved, so odd
    /// seconds read back one less, as with CPython.
    pub second: u8,
}

impl DosDateTime {
    /// 1980-01-01 00:00:00, the earliest time a zip can record; flit uses it
    /// when `SOURCE_DATE_EPOCH` is earlier.
    pub const MINIMUM: DosDateTime = DosDateTime { year: 1980, month: 1, day: 1, hour: 0, minute: 0, second: 0 };

    /// 2016-01-01 00:00:00, the time flit gives generated wheel members
    /// (`WHEEL`, `METADATA`, `RECORD`, …) when `SOURCE_DATE_EPOCH` is unset,
    /// so that two builds on one machine are identical.
    pub const FLIT_GENERATED_DEFAULT: DosDateTime =
        DosDateTime { year: 2016, month: 1, day: 1, hour: 0, minute: 0, second: 0 };

    /// The UTC calendar time of a Unix timestamp, clamped up to
    /// 1980-01-01 00:00:00 — flit's rule for `SOURCE_DATE_EPOCH` in wheels.
    /// Fails for times after 2107-12-31 23:59:59, which a zip cannot record.
    pub fn from_unix_utc(seconds: u64) -> Result<DosDateTime, ArchiveError> {
        if seconds > DOS_LAST_UNIX {
            return Err(ArchiveError::TimestampOutOfRange { seconds });
        }
        if seconds < DOS_EPOCH_UNIX {
            return Ok(DosDateTime::MINIMUM);
        }
        // Both bounds are checked, so every narrowing below is lossless.
        let days = (seconds / 86_400) as i64;
        let second_of_day = seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        Ok(DosDateTime {
            year: year as u16,
            month: month as u8,
            day: day as u8,
            hour: (second_of_day / 3600) as u8,
            minute: (second_of_day / 60 % 60) as u8,
            second: (second_of_day % 60) as u8,
        })
    }

    /// The `(time, date)` words of a zip header, as `ZipInfo.FileHeader`
    /// computes them. CPython checks only the year; a field out of range
    /// there would silently spill into its neighbour, so here it is an error.
    fn dos_words(&self, path: &str) -> Result<(u16, u16), ArchiveError> {
        let valid = (1980..=2107).contains(&self.year)
            && (1..=12).contains(&self.month)
            && (1..=31).contains(&self.day)
            && self.hour <= 23
            && self.minute <= 59
            && self.second <= 60;
        if !valid {
            let DosDateTime { year, month, day, hour, minute, second } = *self;
            return Err(ArchiveError::InvalidDateTime {
                path: path.to_owned(),
                year,
                month,
                day,
                hour,
                minute,
                second,
            });
        }
        let date = ((self.year - 1980) << 9) | (u16::from(self.month) << 5) | u16::from(self.day);
        let time = (u16::from(self.hour) << 11) | (u16::from(self.minute) << 5) | (u16::from(self.second) / 2);
        Ok((time, date))
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian `(year, month, day)`
/// (Howard Hinnant's `civil_from_days`), for non-negative day counts.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A member compressed ahead of time, for example on another thread of the
/// host, and added later with [`ZipWriter::add_deflated`]. The deflate bytes
/// are the same as if the member had been streamed through the writer.
#[derive(Debug, Clone)]
pub struct DeflatedMember {
    crc: u32,
    size: u64,
    data: Vec<u8>,
}

impl DeflatedMember {
    /// Compresses `data` at the writer's level.
    pub fn compress(data: &[u8]) -> Result<DeflatedMember, ArchiveError> {
        Ok(DeflatedMember { crc: crc32fast::hash(data), size: data.len() as u64, data: deflate_to_vec(data, LEVEL)? })
    }

    /// The uncompressed size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The compressed size in bytes.
    pub fn compressed_size(&self) -> u64 {
        self.data.len() as u64
    }
}

/// What the central directory records about one member.
struct Entry {
    name: String,
    flags: u16,
    time: u16,
    date: u16,
    crc: u32,
    compressed_size: u32,
    size: u32,
    external_attr: u32,
    header_offset: u32,
}

/// The member being streamed.
struct OpenMember {
    entry: Entry,
    crc: crc32fast::Hasher,
    size: u64,
    /// Absolute position where its compressed data starts.
    data_start: u64,
}

/// Writes a zip archive member by member into a seekable writer. Member
/// data is streamed through [`Write`]; memory does not grow with a member's
/// size (only a small central-directory entry is kept per member).
pub struct ZipWriter<W: Write + Seek> {
    writer: W,
    /// Absolute position after the last complete member; `None` until the
    /// writer is first used (like CPython, offsets are absolute positions in
    /// the file, so an archive may follow a prefix).
    position: Option<u64>,
    entries: Vec<Entry>,
    names: HashSet<String>,
    current: Option<OpenMember>,
    deflater: Deflater,
    /// Set after a failure left the output incomplete.
    poisoned: bool,
}

impl<W: Write + Seek> ZipWriter<W> {
    /// A writer that starts the archive at the writer's current position.
    pub fn new(writer: W) -> Self {
        ZipWriter {
            writer,
            position: None,
            entries: Vec::new(),
            names: HashSet::new(),
            current: None,
            deflater: Deflater::new(LEVEL),
            poisoned: false,
        }
    }

    /// Lets `parallel` compress several segments of a large member at once
    /// (see the deflate module); the bytes are the same either way.
    pub fn with_parallel(mut self, parallel: &'static dyn crate::parallel::Parallel) -> Self {
        self.deflater.set_parallel(parallel);
        self
    }

    /// Begins a deflated member named `name` (`/`-separated); its content is
    /// then written through [`Write`]. Ends the previous member first.
    ///
    /// `unix_mode` is the full `st_mode` (e.g. `0o100644`), stored in the high
    /// 16 bits of the external attributes as flit does (`(mode & 0xFFFF) << 16`;
    /// a mode of 0 is stored as `0o600`, as CPython does).
    pub fn start_file(&mut self, name: &str, unix_mode: u32, time: DosDateTime) -> Result<(), ArchiveError> {
        self.begin(name, unix_mode, time, None)
    }

    /// Adds a whole member from bytes.
    pub fn add_bytes(
        &mut self,
        name: &str,
        unix_mode: u32,
        time: DosDateTime,
        data: &[u8],
    ) -> Result<(), ArchiveError> {
        self.start_file(name, unix_mode, time)?;
        self.write_all(data)?;
        self.finish_file()
    }

    /// Adds a member compressed earlier with [`DeflatedMember::compress`].
    /// The archive bytes are the same as from [`ZipWriter::add_bytes`].
    pub fn add_deflated(
        &mut self,
        name: &str,
        unix_mode: u32,
        time: DosDateTime,
        member: &DeflatedMember,
    ) -> Result<(), ArchiveError> {
        if member.size >= LIMIT_32 || member.compressed_size() >= LIMIT_32 {
            return Err(ArchiveError::MemberTooLarge { path: name.to_owned() });
        }
        self.begin(name, unix_mode, time, Some(member))
    }

    /// Ends the current member, if any: completes its deflate stream and
    /// writes its CRC and sizes into its local header. Starting another
    /// member or finishing the archive does this too; calling it directly
    /// reports problems with this member (such as its size) right away.
    pub fn finish_file(&mut self) -> Result<(), ArchiveError> {
        self.check_usable()?;
        let result = self.close_member();
        if result.is_err() {
            self.poisoned = true;
        }
        result
    }

    /// Ends the last member and writes the central directory and the end
    /// record. Returns the writer, positioned after the archive.
    pub fn finish(mut self) -> Result<W, ArchiveError> {
        self.finish_file()?;
        self.write_central_directory()?;
        Ok(self.writer)
    }

    fn check_usable(&self) -> Result<(), ArchiveError> {
        if self.poisoned { Err(ArchiveError::Poisoned) } else { Ok(()) }
    }

    fn position(&mut self) -> io::Result<u64> {
        match self.position {
            Some(position) => Ok(position),
            None => {
                let position = self.writer.stream_position()?;
                self.position = Some(position);
                Ok(position)
            }
        }
    }

    /// Starts a member; with `deflated`, writes it whole.
    fn begin(
        &mut self,
        name: &str,
        unix_mode: u32,
        time: DosDateTime,
        deflated: Option<&DeflatedMember>,
    ) -> Result<(), ArchiveError> {
        self.finish_file()?;
        // Checks that write nothing leave the writer usable.
        check_name(name)?;
        if name.len() > usize::from(u16::MAX) {
            return Err(ArchiveError::NameTooLong { path: name.to_owned() });
        }
        if self.names.contains(name) {
            return Err(ArchiveError::DuplicateName { path: name.to_owned() });
        }
        if self.entries.len() >= MAX_MEMBERS {
            return Err(ArchiveError::TooManyMembers);
        }
        let (dos_time, dos_date) = time.dos_words(name)?;
        let result = self.write_member_start(name, unix_mode, dos_time, dos_date, deflated);
        if result.is_err() {
            self.poisoned = true;
        }
        result
    }

    fn write_member_start(
        &mut self,
        name: &str,
        unix_mode: u32,
        time: u16,
        date: u16,
        deflated: Option<&DeflatedMember>,
    ) -> Result<(), ArchiveError> {
        let header_offset = self.position()?;
        if header_offset >= LIMIT_32 {
            return Err(ArchiveError::ArchiveTooLarge);
        }
        let mut entry = Entry {
            name: name.to_owned(),
            // `ZipInfo._encodeFilenameFlags`: ASCII names as they are,
            // others in UTF-8 with the flag set.
            flags: if name.is_ascii() { 0 } else { FLAG_UTF8 },
            time,
            date,
            crc: 0,
            compressed_size: 0,
            size: 0,
            external_attr: external_attributes(unix_mode),
            header_offset: header_offset as u32,
        };
        if let Some(member) = deflated {
            // Sizes were checked by the caller.
            entry.crc = member.crc;
            entry.compressed_size = member.compressed_size() as u32;
            entry.size = member.size as u32;
        }
        let header = local_header(&entry);
        self.writer.write_all(&header)?;
        let data_start = header_offset + header.len() as u64;
        self.names.insert(entry.name.clone());
        match deflated {
            Some(member) => {
                self.writer.write_all(&member.data)?;
                self.position = Some(data_start + member.compressed_size());
                self.entries.push(entry);
            }
            None => {
                self.position = Some(data_start);
                self.deflater.reset();
                self.current = Some(OpenMember { entry, crc: crc32fast::Hasher::new(), size: 0, data_start });
            }
        }
        Ok(())
    }

    /// Appends member data; the caller poisons the writer on failure.
    fn write_member_data(&mut self, buf: &[u8]) -> io::Result<()> {
        let Some(member) = self.current.as_mut() else {
            return Err(ArchiveError::NoOpenMember.into_io());
        };
        if member.size + buf.len() as u64 >= LIMIT_32 {
            return Err(ArchiveError::MemberTooLarge { path: member.entry.name.clone() }.into_io());
        }
        self.deflater.write(buf, &mut self.writer)?;
        member.crc.update(buf);
        member.size += buf.len() as u64;
        if self.deflater.total_out() >= LIMIT_32 {
            return Err(ArchiveError::MemberTooLarge { path: member.entry.name.clone() }.into_io());
        }
        Ok(())
    }

    /// Completes the open member: the rest of its deflate stream, then its
    /// CRC and sizes patched into the local header (CPython rewrites the
    /// whole header; only these 12 bytes differ).
    fn close_member(&mut self) -> Result<(), ArchiveError> {
        let Some(mut member) = self.current.take() else {
            return Ok(());
        };
        self.deflater.finish(&mut self.writer)?;
        let compressed_size = self.deflater.total_out();
        if compressed_size >= LIMIT_32 || member.size >= LIMIT_32 {
            return Err(ArchiveError::MemberTooLarge { path: member.entry.name });
        }
        let end = member.data_start + compressed_size;
        member.entry.crc = member.crc.finalize();
        member.entry.compressed_size = compressed_size as u32;
        member.entry.size = member.size as u32;
        let mut patch = [0u8; 12];
        patch[..4].copy_from_slice(&member.entry.crc.to_le_bytes());
        patch[4..8].copy_from_slice(&member.entry.compressed_size.to_le_bytes());
        patch[8..].copy_from_slice(&member.entry.size.to_le_bytes());
        self.writer.seek(SeekFrom::Start(u64::from(member.entry.header_offset) + LOCAL_CRC_OFFSET))?;
        self.writer.write_all(&patch)?;
        self.writer.seek(SeekFrom::Start(end))?;
        self.position = Some(end);
        self.entries.push(member.entry);
        Ok(())
    }

    /// `ZipFile._write_end_record` without zip64 and without comment.
    fn write_central_directory(&mut self) -> Result<(), ArchiveError> {
        let result = self.write_central_directory_inner();
        if result.is_err() {
            self.poisoned = true;
        }
        result
    }

    fn write_central_directory_inner(&mut self) -> Result<(), ArchiveError> {
        let start = self.position()?;
        if start >= LIMIT_32 {
            return Err(ArchiveError::ArchiveTooLarge);
        }
        let mut size = 0u64;
        let mut chunk = Vec::with_capacity(CENTRAL_CHUNK + 512);
        for entry in &self.entries {
            central_entry(entry, &mut chunk);
            if chunk.len() >= CENTRAL_CHUNK {
                self.writer.write_all(&chunk)?;
                size += chunk.len() as u64;
                chunk.clear();
            }
        }
        self.writer.write_all(&chunk)?;
        size += chunk.len() as u64;
        // Like CPython, only the offset and the size must fit; the directory
        // itself may extend past 4 GiB.
        if size >= LIMIT_32 {
            return Err(ArchiveError::ArchiveTooLarge);
        }
        // At most MAX_MEMBERS entries, checked when each was added.
        let count = self.entries.len() as u16;
        let mut end = Vec::with_capacity(22);
        end.extend_from_slice(b"PK\x05\x06");
        end.extend_from_slice(&0u16.to_le_bytes()); // this disk
        end.extend_from_slice(&0u16.to_le_bytes()); // disk with the directory
        end.extend_from_slice(&count.to_le_bytes()); // entries on this disk
        end.extend_from_slice(&count.to_le_bytes()); // entries in total
        end.extend_from_slice(&(size as u32).to_le_bytes());
        end.extend_from_slice(&(start as u32).to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes()); // comment length
        self.writer.write_all(&end)?;
        self.position = Some(start + size + end.len() as u64);
        self.writer.flush()?;
        Ok(())
    }
}

impl<W: Write + Seek> Write for ZipWriter<W> {
    /// Appends to the current member (started with
    /// [`ZipWriter::start_file`]), compressing as it goes.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.poisoned {
            return Err(ArchiveError::Poisoned.into_io());
        }
        match self.write_member_data(buf) {
            Ok(()) => Ok(buf.len()),
            Err(error) => {
                self.poisoned = true;
                Err(error)
            }
        }
    }

    /// Flushes the inner writer without ending a deflate block (which would
    /// change the compressed bytes).
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// The external attributes of a member: the Unix mode in the high 16 bits
/// (flit: `(mode & 0xFFFF) << 16`). A mode of 0 becomes `0o600`, as
/// `ZipFile._open_to_write` does for members without attributes.
fn external_attributes(unix_mode: u32) -> u32 {
    match (unix_mode & 0xFFFF) << 16 {
        0 => 0o600 << 16,
        attributes => attributes,
    }
}

/// `ZipInfo.FileHeader()`: signature, version needed, flags, method, time,
/// date, CRC-32, compressed and uncompressed sizes, name and extra lengths.
fn local_header(entry: &Entry) -> Vec<u8> {
    let mut header = Vec::with_capacity(LOCAL_HEADER_SIZE + entry.name.len());
    header.extend_from_slice(b"PK\x03\x04");
    header.extend_from_slice(&[VERSION, 0]); // version needed, "reserved"
    header.extend_from_slice(&entry.flags.to_le_bytes());
    header.extend_from_slice(&METHOD_DEFLATE.to_le_bytes());
    header.extend_from_slice(&entry.time.to_le_bytes());
    header.extend_from_slice(&entry.date.to_le_bytes());
    header.extend_from_slice(&entry.crc.to_le_bytes());
    header.extend_from_slice(&entry.compressed_size.to_le_bytes());
    header.extend_from_slice(&entry.size.to_le_bytes());
    // The name length was checked to fit when the member was started.
    header.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
    header.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    header.extend_from_slice(entry.name.as_bytes());
    header
}

/// One central directory record, as `_write_end_record` packs it.
fn central_entry(entry: &Entry, out: &mut Vec<u8>) {
    out.extend_from_slice(b"PK\x01\x02");
    out.extend_from_slice(&[VERSION, SYSTEM_UNIX]); // made by
    out.extend_from_slice(&[VERSION, 0]); // version needed, "reserved"
    out.extend_from_slice(&entry.flags.to_le_bytes());
    out.extend_from_slice(&METHOD_DEFLATE.to_le_bytes());
    out.extend_from_slice(&entry.time.to_le_bytes());
    out.extend_from_slice(&entry.date.to_le_bytes());
    out.extend_from_slice(&entry.crc.to_le_bytes());
    out.extend_from_slice(&entry.compressed_size.to_le_bytes());
    out.extend_from_slice(&entry.size.to_le_bytes());
    out.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    out.extend_from_slice(&0u16.to_le_bytes()); // disk number start
    out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    out.extend_from_slice(&entry.external_attr.to_le_bytes());
    out.extend_from_slice(&entry.header_offset.to_le_bytes());
    out.extend_from_slice(entry.name.as_bytes());
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    fn time(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> DosDateTime {
        DosDateTime { year, month, day, hour, minute, second }
    }

    fn build(members: &[(&str, u32, DosDateTime, &[u8])]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, mode, time, data) in members {
            zip.add_bytes(name, *mode, *time, data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn u16_at(bytes: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([bytes[at], bytes[at + 1]])
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn unix_times_convert_to_utc_calendar_times() {
        assert_eq!(DosDateTime::from_unix_utc(0).unwrap(), DosDateTime::MINIMUM);
        assert_eq!(DosDateTime::from_unix_utc(DOS_EPOCH_UNIX - 1).unwrap(), DosDateTime::MINIMUM);
        assert_eq!(DosDateTime::from_unix_utc(DOS_EPOCH_UNIX).unwrap(), DosDateTime::MINIMUM);
        assert_eq!(DosDateTime::from_unix_utc(1_451_606_400).unwrap(), DosDateTime::FLIT_GENERATED_DEFAULT);
        // datetime.fromtimestamp(1700000000, timezone.utc)
        assert_eq!(DosDateTime::from_unix_utc(1_700_000_000).unwrap(), time(2023, 11, 14, 22, 13, 20));
        // A leap day.
        assert_eq!(DosDateTime::from_unix_utc(951_782_400 + 86_399).unwrap(), time(2000, 2, 29, 23, 59, 59));
        assert_eq!(DosDateTime::from_unix_utc(DOS_LAST_UNIX).unwrap(), time(2107, 12, 31, 23, 59, 59));
        assert!(matches!(
            DosDateTime::from_unix_utc(DOS_LAST_UNIX + 1),
            Err(ArchiveError::TimestampOutOfRange { seconds }) if seconds == DOS_LAST_UNIX + 1
        ));
        assert!(DosDateTime::from_unix_utc(u64::MAX).is_err());
    }

    #[test]
    fn calendar_conversion_agrees_with_a_day_by_day_walk() {
        // Walk every day from 1970 to 2108 and compare.
        let mut expected = (1970i64, 1i64, 1i64);
        for days in 0..50_403i64 {
            assert_eq!(civil_from_days(days), expected, "day {days}");
            let (y, m, d) = expected;
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            expected = if d < month_days[(m - 1) as usize] {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn dos_words_match_zipfile() {
        // (dt[3] << 11 | dt[4] << 5 | dt[5] // 2, (dt[0]-1980) << 9 | dt[1] << 5 | dt[2])
        assert_eq!(DosDateTime::FLIT_GENERATED_DEFAULT.dos_words("a").unwrap(), (0, (36 << 9) | (1 << 5) | 1));
        assert_eq!(
            time(2107, 12, 31, 23, 59, 59).dos_words("a").unwrap(),
            ((23 << 11) | (59 << 5) | 29, (127 << 9) | (12 << 5) | 31)
        );
        for bad in [
            time(1979, 12, 31, 0, 0, 0),
            time(2108, 1, 1, 0, 0, 0),
            time(2000, 0, 1, 0, 0, 0),
            time(2000, 13, 1, 0, 0, 0),
            time(2000, 1, 0, 0, 0, 0),
            time(2000, 1, 32, 0, 0, 0),
            time(2000, 1, 1, 24, 0, 0),
            time(2000, 1, 1, 0, 60, 0),
            time(2000, 1, 1, 0, 0, 61),
        ] {
            assert!(matches!(bad.dos_words("x"), Err(ArchiveError::InvalidDateTime { .. })), "{bad:?}");
        }
    }

    #[test]
    fn layout_matches_cpython_zipfile() {
        let bytes = build(&[
            ("a.py", 0o100_644, DosDateTime::FLIT_GENERATED_DEFAULT, b"hello"),
            ("ü.py", 0o100_755, time(2020, 2, 3, 4, 5, 7), b""),
        ]);
        // Local header of the first member.
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        assert_eq!(u16_at(&bytes, 4), 20);
        assert_eq!(u16_at(&bytes, 6), 0);
        assert_eq!(u16_at(&bytes, 8), 8);
        assert_eq!(u16_at(&bytes, 10), 0);
        assert_eq!(u16_at(&bytes, 12), (36 << 9) | (1 << 5) | 1);
        assert_eq!(u32_at(&bytes, 14), crc32fast::hash(b"hello"));
        let compressed = u32_at(&bytes, 18) as usize;
        assert_eq!(u32_at(&bytes, 22), 5);
        assert_eq!(u16_at(&bytes, 26), 4);
        assert_eq!(u16_at(&bytes, 28), 0);
        assert_eq!(&bytes[30..34], b"a.py");
        // Second local header: UTF-8 flag, empty deflate stream.
        let second = 34 + compressed;
        assert_eq!(&bytes[second..second + 4], b"PK\x03\x04");
        assert_eq!(u16_at(&bytes, second + 6), 0x800);
        assert_eq!(u16_at(&bytes, second + 10), (4 << 11) | (5 << 5) | 3);
        assert_eq!(u32_at(&bytes, second + 14), 0);
        assert_eq!(u32_at(&bytes, second + 18), 2);
        assert_eq!(u32_at(&bytes, second + 22), 0);
        let name_len = "ü.py".len();
        assert_eq!(&bytes[second + 30..second + 30 + name_len], "ü.py".as_bytes());
        let data = second + 30 + name_len;
        assert_eq!(&bytes[data..data + 2], &[3, 0]);
        // Central directory.
        let central = data + 2;
        assert_eq!(&bytes[central..central + 4], b"PK\x01\x02");
        assert_eq!(u16_at(&bytes, central + 4), 0x0314);
        assert_eq!(u16_at(&bytes, central + 6), 20);
        assert_eq!(u32_at(&bytes, central + 38), 0o100_644 << 16);
        assert_eq!(u32_at(&bytes, central + 42), 0);
        let central2 = central + 46 + 4;
        assert_eq!(u16_at(&bytes, central2 + 8), 0x800);
        assert_eq!(u32_at(&bytes, central2 + 38), 0o100_755 << 16);
        assert_eq!(u32_at(&bytes, central2 + 42), second as u32);
        // End record.
        let end = central2 + 46 + name_len;
        assert_eq!(
            &bytes[end..],
            &[b'P', b'K', 5, 6, 0, 0, 0, 0, 2, 0, 2, 0, (end - central) as u8, 0, 0, 0, central as u8, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn members_read_back_with_the_zip_crate() {
        let big: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8).collect();
        let long_name = format!("pkg/{}.py", "x".repeat(300));
        let bytes = build(&[
            ("pkg/__init__.py", 0o100_644, DosDateTime::MINIMUM, b"x = 1\n"),
            ("pkg/big.bin", 0o100_755, time(2001, 9, 9, 1, 46, 40), &big),
            ("pkg/données/é.txt", 0o100_644, DosDateTime::FLIT_GENERATED_DEFAULT, b"caf\xc3\xa9"),
            (&long_name, 0o100_644, DosDateTime::FLIT_GENERATED_DEFAULT, b""),
        ]);
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 4);
        let expected: [(&str, u32, &[u8]); 4] = [
            ("pkg/__init__.py", 0o100_644, b"x = 1\n"),
            ("pkg/big.bin", 0o100_755, &big),
            ("pkg/données/é.txt", 0o100_644, b"caf\xc3\xa9"),
            (&long_name, 0o100_644, b""),
        ];
        for (index, (name, mode, data)) in expected.iter().enumerate() {
            let mut file = archive.by_index(index).unwrap();
            assert_eq!(file.name().unwrap(), *name);
            assert_eq!(file.unix_mode(), Some(*mode));
            assert_eq!(file.compression(), zip::CompressionMethod::Deflated);
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            assert_eq!(content.as_slice(), *data);
        }
        let file = archive.by_index(1).unwrap();
        let modified = file.last_modified().unwrap();
        assert_eq!((modified.year(), modified.month(), modified.day()), (2001, 9, 9));
        assert_eq!((modified.hour(), modified.minute(), modified.second()), (1, 46, 40));
    }

    #[test]
    fn streaming_writes_equal_whole_and_precompressed_members() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 249) as u8 ^ (i >> 9) as u8).collect();
        let whole = build(&[("a", 0o100_644, DosDateTime::MINIMUM, &data)]);

        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("a", 0o100_644, DosDateTime::MINIMUM).unwrap();
        for piece in data.chunks(8192) {
            zip.write_all(piece).unwrap();
        }
        let streamed = zip.finish().unwrap().into_inner();
        assert_eq!(streamed, whole);

        let member = DeflatedMember::compress(&data).unwrap();
        assert_eq!(member.size(), data.len() as u64);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.add_deflated("a", 0o100_644, DosDateTime::MINIMUM, &member).unwrap();
        let precompressed = zip.finish().unwrap().into_inner();
        assert_eq!(precompressed, whole);
    }

    #[test]
    fn offsets_are_absolute_like_cpython() {
        // CPython records `fp.tell()`, so an archive after a prefix (a
        // self-extracting stub, say) points at absolute positions.
        let mut cursor = Cursor::new(Vec::new());
        cursor.write_all(b"prefix").unwrap();
        let mut zip = ZipWriter::new(cursor);
        zip.add_bytes("a", 0o100_644, DosDateTime::MINIMUM, b"data").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert_eq!(&bytes[6..10], b"PK\x03\x04");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut content = String::new();
        archive.by_name("a").unwrap().read_to_string(&mut content).unwrap();
        assert_eq!(content, "data");
    }

    #[test]
    fn mode_zero_becomes_0o600_like_cpython() {
        assert_eq!(external_attributes(0), 0o600 << 16);
        assert_eq!(external_attributes(0o1_000_000), 0o600 << 16);
        assert_eq!(external_attributes(0o100_644), 0o100_644 << 16);
        assert_eq!(external_attributes(0o644), 0o644 << 16);
    }

    #[test]
    fn empty_archive_is_just_the_end_record() {
        let bytes = build(&[]);
        assert_eq!(bytes, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    }

    #[test]
    fn refusals_leave_the_writer_usable() {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.add_bytes("a", 0o100_644, DosDateTime::MINIMUM, b"1").unwrap();
        assert!(matches!(
            zip.add_bytes("a", 0o100_644, DosDateTime::MINIMUM, b"2"),
            Err(ArchiveError::DuplicateName { .. })
        ));
        assert!(matches!(zip.start_file("", 0o100_644, DosDateTime::MINIMUM), Err(ArchiveError::InvalidName { .. })));
        assert!(matches!(
            zip.start_file("n\0ul", 0o100_644, DosDateTime::MINIMUM),
            Err(ArchiveError::InvalidName { .. })
        ));
        assert!(matches!(
            zip.start_file(&"x".repeat(65_536), 0o100_644, DosDateTime::MINIMUM),
            Err(ArchiveError::NameTooLong { .. })
        ));
        assert!(matches!(
            zip.start_file("b", 0o100_644, time(1979, 1, 1, 0, 0, 0)),
            Err(ArchiveError::InvalidDateTime { .. })
        ));
        // Data without an open member is lost, so the writer is poisoned.
        let error = zip.write(b"stray").unwrap_err();
        assert!(matches!(ArchiveError::from(error), ArchiveError::NoOpenMember));
        assert!(matches!(zip.add_bytes("c", 0o100_644, DosDateTime::MINIMUM, b"3"), Err(ArchiveError::Poisoned)));
    }

    #[test]
    fn longest_name_is_accepted() {
        let name = "y".repeat(65_535);
        let bytes = build(&[(&name, 0o100_644, DosDateTime::MINIMUM, b"")]);
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.name_for_index(0).unwrap().unwrap(), name.as_str());
    }

    #[test]
    fn at_most_65535_members() {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let member = DeflatedMember::compress(b"").unwrap();
        for index in 0..MAX_MEMBERS {
            zip.add_deflated(&format!("{index}"), 0o100_644, DosDateTime::MINIMUM, &member).unwrap();
        }
        assert!(matches!(
            zip.start_file("one-too-many", 0o100_644, DosDateTime::MINIMUM),
            Err(ArchiveError::TooManyMembers)
        ));
        let bytes = zip.finish().unwrap().into_inner();
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), MAX_MEMBERS);
    }

    #[test]
    fn members_of_4_gib_are_refused() {
        // Pretend 4 GiB minus a little were already written; writing past
        // the limit must fail without writing zip64 structures.
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("huge", 0o100_644, DosDateTime::MINIMUM).unwrap();
        if let Some(member) = zip.current.as_mut() {
            member.size = LIMIT_32 - 2;
        }
        zip.write_all(b"x").unwrap();
        let error = zip.write_all(b"y").unwrap_err();
        assert!(matches!(
            ArchiveError::from(error),
            ArchiveError::MemberTooLarge { path } if path == "huge"
        ));
        assert!(matches!(zip.finish(), Err(ArchiveError::Poisoned)));
    }

    #[test]
    fn archives_reaching_4_gib_are_refused() {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.position = Some(LIMIT_32);
        assert!(matches!(zip.start_file("late", 0o100_644, DosDateTime::MINIMUM), Err(ArchiveError::ArchiveTooLarge)));
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.position = Some(LIMIT_32);
        assert!(matches!(zip.finish(), Err(ArchiveError::ArchiveTooLarge)));
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.position = Some(LIMIT_32 - 1);
        assert!(zip.finish().is_ok());
    }

    #[test]
    fn write_failures_poison_the_writer() {
        struct Failing;
        impl Write for Failing {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::StorageFull.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        impl Seek for Failing {
            fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
                Ok(0)
            }
        }
        let mut zip = ZipWriter::new(Failing);
        assert!(matches!(zip.start_file("a", 0o100_644, DosDateTime::MINIMUM), Err(ArchiveError::Io(_))));
        assert!(matches!(zip.start_file("b", 0o100_644, DosDateTime::MINIMUM), Err(ArchiveError::Poisoned)));
    }
}
