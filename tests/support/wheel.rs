//! A small, strict reader for wheels (zip files), written for the tests so
//! that every header field can be compared with what CPython's `zipfile`
//! writes for flit (flit-behaviour.md §6.3), not only what a zip library
//! chooses to expose.

use std::io::Read;

/// A date and time as stored in a zip entry (DOS format, 2-second resolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosDateTime {
    /// Full year (1980-2107).
    pub year: u16,
    /// 1-12.
    pub month: u8,
    /// 1-31.
    pub day: u8,
    /// 0-23.
    pub hour: u8,
    /// 0-59.
    pub minute: u8,
    /// 0-58, even.
    pub second: u8,
}

impl DosDateTime {
    fn decode(time: u16, date: u16) -> DosDateTime {
        DosDateTime {
            year: 1980 + (date >> 9),
            month: ((date >> 5) & 0x0f) as u8,
            day: (date & 0x1f) as u8,
            hour: (time >> 11) as u8,
            minute: ((time >> 5) & 0x3f) as u8,
            second: ((time & 0x1f) * 2) as u8,
        }
    }
}

impl std::fmt::Display for DosDateTime {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// One member of a wheel: its central directory record, its local header and
/// its decompressed bytes.
#[derive(Debug, Clone)]
pub struct Member {
    /// The name, decoded as UTF-8 (lossily if it is not).
    pub name: String,
    /// The decompressed contents.
    pub data: Vec<u8>,
    /// The Unix mode: the high 16 bits of `external_attr`.
    pub mode: u32,
    /// All 32 bits of the external attributes.
    pub external_attr: u32,
    /// The modification time of the central directory record.
    pub date_time: DosDateTime,
    /// Compression method (8 = deflate).
    pub method: u16,
    /// General-purpose flags (0x800 = UTF-8 name, 0x8 = data descriptor).
    pub flags: u16,
    /// "Version made by" (high byte: host system, 3 = Unix).
    pub version_made_by: u16,
    /// "Version needed to extract".
    pub version_needed: u16,
    /// Internal attributes.
    pub internal_attr: u16,
    /// CRC-32 of the contents.
    pub crc32: u32,
    /// The extra field of the central directory record.
    pub extra: Vec<u8>,
    /// The file comment.
    pub comment: Vec<u8>,
    /// Fields of the local header: (version needed, flags, method, date_time, extra).
    pub local: (u16, u16, u16, DosDateTime, Vec<u8>),
}

/// A whole wheel.
#[derive(Debug, Clone)]
pub struct Wheel {
    /// Members in central directory order.
    pub members: Vec<Member>,
    /// The archive comment.
    pub comment: Vec<u8>,
}

impl Wheel {
    /// The member called `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|member| member.name == name)
    }

    /// The member names, in order.
    pub fn names(&self) -> Vec<String> {
        self.members.iter().map(|member| member.name.clone()).collect()
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]])).ok_or_else(|| format!("truncated at byte {at}"))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("truncated at byte {at}"))
}

fn slice(bytes: &[u8], at: usize, length: usize) -> Result<&[u8], String> {
    bytes.get(at..at + length).ok_or_else(|| format!("truncated: {length} bytes at {at}"))
}

/// Parses a wheel, checking signatures, sizes and CRCs. An error names what
/// is malformed.
pub fn parse(bytes: &[u8]) -> Result<Wheel, String> {
    const END: u32 = 0x0605_4b50;
    const CENTRAL: u32 = 0x0201_4b50;
    const LOCAL: u32 = 0x0403_4b50;

    let lowest = bytes.len().saturating_sub(22 + 0xffff);
    let end = (lowest..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&at| u32_at(bytes, at) == Ok(END))
        .ok_or("no end of central directory record")?;
    let count = usize::from(u16_at(bytes, end + 10)?);
    let directory_offset = u32_at(bytes, end + 16)? as usize;
    let comment_length = usize::from(u16_at(bytes, end + 20)?);
    let comment = slice(bytes, end + 22, comment_length)?.to_vec();

    let mut members = Vec::with_capacity(count);
    let mut at = directory_offset;
    for index in 0..count {
        if u32_at(bytes, at)? != CENTRAL {
            return Err(format!("central directory record {index} has a bad signature"));
        }
        let name_length = usize::from(u16_at(bytes, at + 28)?);
        let extra_length = usize::from(u16_at(bytes, at + 30)?);
        let comment_length = usize::from(u16_at(bytes, at + 32)?);
        let name_bytes = slice(bytes, at + 46, name_length)?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        let method = u16_at(bytes, at + 10)?;
        let crc32 = u32_at(bytes, at + 16)?;
        let compressed_size = u32_at(bytes, at + 20)? as usize;
        let size = u32_at(bytes, at + 24)? as usize;
        let external_attr = u32_at(bytes, at + 38)?;
        let local_offset = u32_at(bytes, at + 42)? as usize;

        if u32_at(bytes, local_offset)? != LOCAL {
            return Err(format!("{name}: bad local header signature"));
        }
        let local_name_length = usize::from(u16_at(bytes, local_offset + 26)?);
        let local_extra_length = usize::from(u16_at(bytes, local_offset + 28)?);
        if slice(bytes, local_offset + 30, local_name_length)? != name_bytes {
            return Err(format!("{name}: the local header has another name"));
        }
        let local_extra = slice(bytes, local_offset + 30 + local_name_length, local_extra_length)?.to_vec();
        let data_start = local_offset + 30 + local_name_length + local_extra_length;
        let raw = slice(bytes, data_start, compressed_size)?;
        let data = match method {
            0 => raw.to_vec(),
            8 => {
                let mut data = Vec::with_capacity(size);
                flate2::read::DeflateDecoder::new(raw)
                    .read_to_end(&mut data)
                    .map_err(|error| format!("{name}: bad deflate stream: {error}"))?;
                data
            }
            other => return Err(format!("{name}: unsupported compression method {other}")),
        };
        if data.len() != size {
            return Err(format!("{name}: {} bytes, but the header says {size}", data.len()));
        }
        let mut crc = flate2::Crc::new();
        crc.update(&data);
        if crc.sum() != crc32 {
            return Err(format!("{name}: CRC-32 {:08x}, but the header says {crc32:08x}", crc.sum()));
        }
        members.push(Member {
            name,
            data,
            mode: external_attr >> 16,
            external_attr,
            date_time: DosDateTime::decode(u16_at(bytes, at + 12)?, u16_at(bytes, at + 14)?),
            method,
            flags: u16_at(bytes, at + 8)?,
            version_made_by: u16_at(bytes, at + 4)?,
            version_needed: u16_at(bytes, at + 6)?,
            internal_attr: u16_at(bytes, at + 36)?,
            crc32,
            extra: slice(bytes, at + 46 + name_length, extra_length)?.to_vec(),
            comment: slice(bytes, at + 46 + name_length + extra_length, comment_length)?.to_vec(),
            local: (
                u16_at(bytes, local_offset + 4)?,
                u16_at(bytes, local_offset + 6)?,
                u16_at(bytes, local_offset + 8)?,
                DosDateTime::decode(u16_at(bytes, local_offset + 10)?, u16_at(bytes, local_offset + 12)?),
                local_extra,
            ),
        });
        at += 46 + name_length + extra_length + comment_length;
    }
    Ok(Wheel { members, comment })
}

/// Reads and parses the wheel at `path`, panicking with the path and the
/// problem if it is not a well-formed zip.
pub fn read(path: &std::path::Path) -> Wheel {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    parse(&bytes).unwrap_or_else(|error| panic!("{} is not a well-formed wheel: {error}", path.display()))
}
