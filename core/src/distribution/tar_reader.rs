//! A small streaming tar reader for checking sdists: ustar, pax (`x` and
//! `g`) and GNU long names (`L`, `K`), octal and base-256 numbers, header
//! checksums.
//!
//! Why not the `tar` crate: it reads pax and GNU extension headers whole
//! into memory whatever their declared size, so a small `.tar.gz` could make
//! it allocate gigabytes; here extension headers are bounded by
//! [`Limits::extension_header`]. It also follows Python's `tarfile` where a
//! checker must (which types carry data, old-style directories), and it
//! reports what `tarfile` silently skips (a damaged header after the first
//! member ends a `tarfile` listing without an error).

use std::io::{self, Read};

use super::Limits;

const BLOCK: usize = 512;

/// Why the tar stream cannot be read further.
#[derive(Debug)]
pub(crate) enum TarError {
    /// The structure is broken, or the stream itself failed (a damaged gzip
    /// layer shows up here).
    Corrupt(String),
    /// A feature sdists do not use (sparse files).
    Unsupported(String),
    /// More data than [`Limits`] allow.
    TooLarge(String),
}

/// Marks the I/O error a [`LimitedReader`] returns, so it can be told
/// apart from damage.
#[derive(Debug)]
pub(crate) struct LimitExceeded(pub u64);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "more than {} bytes", self.0)
    }
}

impl std::error::Error for LimitExceeded {}

impl From<io::Error> for TarError {
    fn from(error: io::Error) -> Self {
        match error.get_ref().and_then(|inner| inner.downcast_ref::<LimitExceeded>()) {
            Some(LimitExceeded(limit)) => {
                TarError::TooLarge(format!("it decompresses to more than {limit} bytes, more than this check reads"))
            }
            None => TarError::Corrupt(match error.kind() {
                io::ErrorKind::UnexpectedEof => "it ends early (the file is truncated)".to_owned(),
                io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
                    format!("its compressed data is damaged ({error})")
                }
                _ => format!("reading it failed: {error}"),
            }),
        }
    }
}

/// A reader that fails once more than `limit` bytes have passed, to bound
/// decompression.
pub(crate) struct LimitedReader<R> {
    inner: R,
    remaining: u64,
    limit: u64,
}

impl<R> LimitedReader<R> {
    /// Wraps `inner`, allowing `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        LimitedReader { inner, remaining: limit, limit }
    }
}

impl<R: Read> Read for LimitedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.remaining == 0 {
            // Probe for one more byte: only an actual excess is an error.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(LimitExceeded(self.limit))),
            };
        }
        let allowed = buf.len().min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let read = self.inner.read(buf.get_mut(..allowed).unwrap_or_default())?;
        self.remaining -= read as u64;
        Ok(read)
    }
}

/// The kind of a member, after `tarfile`'s adjustments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TarKind {
    /// Regular file (types `0`, NUL and `7`).
    File,
    /// Directory (type `5`, or an old-style NUL-type name ending in `/`).
    Directory,
    /// Symbolic link to [`TarEntry::link_target`].
    Symlink,
    /// Hard link to the member named [`TarEntry::link_target`].
    Hardlink,
    /// Character device.
    CharDevice,
    /// Block device.
    BlockDevice,
    /// Named pipe.
    Fifo,
    /// Any other type flag; like `tarfile`, its content is skipped as data.
    Other(u8),
}

/// One member's header.
#[derive(Debug, Clone)]
pub(crate) struct TarEntry {
    /// The path, from pax, GNU long name or ustar prefix and name; a
    /// directory's trailing `/` removed.
    pub name: String,
    /// Why the name (or link target) is not cleanly UTF-8, if it is not.
    pub name_problem: Option<&'static str>,
    /// What it is.
    pub kind: TarKind,
    /// A link's target.
    pub link_target: String,
    /// The size of its content.
    pub size: u64,
}

/// Reads a tar stream member by member.
pub(crate) struct TarReader<R> {
    reader: R,
    /// Content and padding of the current member not read yet.
    unread: u64,
    /// Content of the current member not read yet (excluding padding).
    content_left: u64,
    limits: Limits,
    done: bool,
}

fn is_zero_block(block: &[u8]) -> bool {
    block.iter().all(|byte| *byte == 0)
}

/// The field as a string up to its first NUL (lossily decoded).
fn c_string(field: &[u8]) -> Vec<u8> {
    let end = field.iter().position(|byte| *byte == 0).unwrap_or(field.len());
    field.get(..end).unwrap_or_default().to_vec()
}

/// A numeric field: octal digits (spaces and NULs around them ignored), or
/// GNU base-256 when the first byte has its high bit set.
fn number(field: &[u8]) -> Option<u64> {
    let first = *field.first()?;
    if first & 0x80 != 0 {
        if first == 0xff {
            return None; // negative
        }
        let mut value: u64 = u64::from(first & 0x7f);
        for byte in field.get(1..)? {
            value = value.checked_mul(256)?.checked_add(u64::from(*byte))?;
        }
        return Some(value);
    }
    let text: Vec<u8> = field.iter().copied().filter(|byte| *byte != 0).collect();
    let text = std::str::from_utf8(&text).ok()?.trim_matches(' ');
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

fn checksum_matches(block: &[u8]) -> bool {
    let Some(stored) = block.get(148..156).and_then(number) else { return false };
    let mut unsigned: u64 = 0;
    let mut signed: i64 = 0;
    for (index, byte) in block.iter().enumerate() {
        let byte = if (148..156).contains(&index) { b' ' } else { *byte };
        unsigned += u64::from(byte);
        signed += i64::from(byte as i8);
    }
    stored == unsigned || i64::try_from(stored).is_ok_and(|stored| stored == signed)
}

/// Overrides collected from extension headers for the next member.
#[derive(Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<u64>,
}

impl<R: Read> TarReader<R> {
    /// Reads from `reader` (the decompressed stream).
    pub fn new(reader: R, limits: Limits) -> Self {
        TarReader { reader, unread: 0, content_left: 0, limits, done: false }
    }

    /// Reads exactly one block, or `None` at a clean end of stream.
    fn read_block(&mut self) -> Result<Option<[u8; BLOCK]>, TarError> {
        let mut block = [0u8; BLOCK];
        let mut filled = 0;
        while filled < BLOCK {
            match self.reader.read(block.get_mut(filled..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(read) => filled += read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error.into()),
            }
        }
        match filled {
            0 => Ok(None),
            BLOCK => Ok(Some(block)),
            _ => Err(TarError::Corrupt("it ends in the middle of a header".to_owned())),
        }
    }

    fn skip(&mut self, mut count: u64) -> Result<(), TarError> {
        let mut buffer = [0u8; 8192];
        while count > 0 {
            let want = usize::try_from(count.min(buffer.len() as u64)).unwrap_or(buffer.len());
            match self.reader.read(buffer.get_mut(..want).unwrap_or_default()) {
                Ok(0) => return Err(TarError::Corrupt("it ends in the middle of a member's content".to_owned())),
                Ok(read) => count -= read as u64,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(())
    }

    fn read_exact_vec(&mut self, size: u64) -> Result<Vec<u8>, TarError> {
        let length =
            usize::try_from(size).map_err(|_| TarError::TooLarge("an extension header is too large".to_owned()))?;
        let mut data = vec![0u8; length];
        self.reader.read_exact(&mut data).map_err(|error| match error.kind() {
            io::ErrorKind::UnexpectedEof => {
                TarError::Corrupt("it ends in the middle of an extension header".to_owned())
            }
            _ => TarError::from(error),
        })?;
        self.skip(padding(size))?;
        Ok(data)
    }

    /// The next member, or `None` at the end of the archive (a zero block or
    /// the end of the stream). Skips whatever of the previous member's
    /// content was not read.
    pub fn next_entry(&mut self) -> Result<Option<TarEntry>, TarError> {
        if self.done {
            return Ok(None);
        }
        let unread = std::mem::take(&mut self.unread);
        self.content_left = 0;
        self.skip(unread)?;
        let mut pending = Pending::default();
        loop {
            let Some(block) = self.read_block()? else {
                self.done = true;
                return Ok(None);
            };
            if is_zero_block(&block) {
                self.done = true;
                return Ok(None);
            }
            if !checksum_matches(&block) {
                self.done = true;
                return Err(TarError::Corrupt("a header's checksum is wrong (the archive is damaged)".to_owned()));
            }
            let type_flag = block.get(156).copied().unwrap_or(0);
            let size = block
                .get(124..136)
                .and_then(number)
                .ok_or_else(|| TarError::Corrupt("a header's size field is not a number".to_owned()))?;
            match type_flag {
                b'x' | b'g' | b'L' | b'K' => {
                    if size > self.limits.extension_header {
                        self.done = true;
                        return Err(TarError::TooLarge(format!(
                            "an extension header declares {size} bytes, more than the {} this check reads",
                            self.limits.extension_header
                        )));
                    }
                    let data = self.read_exact_vec(size)?;
                    match type_flag {
                        b'x' => apply_pax(&data, &mut pending)?,
                        // Global headers only set defaults that sdists do not
                        // use; their records must still be well formed.
                        b'g' => apply_pax(&data, &mut Pending::default())?,
                        b'L' => pending.path = Some(c_string(&data)),
                        _ => pending.link = Some(c_string(&data)),
                    }
                    continue;
                }
                b'S' => {
                    self.done = true;
                    return Err(TarError::Unsupported("it contains a GNU sparse file".to_owned()));
                }
                _ => {}
            }
            let magic = block.get(257..263).unwrap_or_default();
            let mut name = c_string(block.get(0..100).unwrap_or_default());
            if magic == b"ustar\0" {
                let prefix = c_string(block.get(345..500).unwrap_or_default());
                if !prefix.is_empty() {
                    let mut joined = prefix;
                    joined.push(b'/');
                    joined.extend_from_slice(&name);
                    name = joined;
                }
            }
            let name = pending.path.take().unwrap_or(name);
            let link = pending.link.take().unwrap_or_else(|| c_string(block.get(157..257).unwrap_or_default()));
            let size = pending.size.take().unwrap_or(size);
            let (mut name, name_problem) = decode(&name);
            let (link_target, link_problem) = decode(&link);
            let kind = match type_flag {
                b'0' | b'7' => TarKind::File,
                0 if name.ends_with('/') => TarKind::Directory,
                0 => TarKind::File,
                b'1' => TarKind::Hardlink,
                b'2' => TarKind::Symlink,
                b'3' => TarKind::CharDevice,
                b'4' => TarKind::BlockDevice,
                b'5' => TarKind::Directory,
                b'6' => TarKind::Fifo,
                other => TarKind::Other(other),
            };
            if kind == TarKind::Directory {
                while name.len() > 1 && name.ends_with('/') {
                    name.pop();
                }
            }
            // As in `tarfile`, only regular files and unknown types have
            // content blocks; other types' size fields are ignored.
            let has_content = matches!(kind, TarKind::File | TarKind::Other(_));
            let size = if has_content { size } else { 0 };
            self.content_left = size;
            self.unread = size.saturating_add(padding(size));
            return Ok(Some(TarEntry { name, name_problem: name_problem.or(link_problem), kind, link_target, size }));
        }
    }

    /// Streams the content of the member [`next_entry`](Self::next_entry)
    /// returned last to `visit`.
    pub fn read_content(&mut self, visit: &mut dyn FnMut(&[u8])) -> Result<(), TarError> {
        let mut buffer = vec![0u8; 64 * 1024];
        while self.content_left > 0 {
            let want = usize::try_from(self.content_left.min(buffer.len() as u64)).unwrap_or(buffer.len());
            match self.reader.read(buffer.get_mut(..want).unwrap_or_default()) {
                Ok(0) => {
                    self.done = true;
                    return Err(TarError::Corrupt("it ends in the middle of a member's content".to_owned()));
                }
                Ok(read) => {
                    self.content_left -= read as u64;
                    self.unread -= read as u64;
                    visit(buffer.get(..read).unwrap_or_default());
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    self.done = true;
                    return Err(error.into());
                }
            }
        }
        Ok(())
    }

    /// Reads the rest of the stream (the end-of-archive blocks and padding),
    /// so that the compression layer verifies its checksum; at most
    /// `limit` bytes are read.
    pub fn drain(&mut self, limit: u64) -> Result<(), TarError> {
        let mut buffer = [0u8; 8192];
        let mut total = 0u64;
        loop {
            match self.reader.read(&mut buffer) {
                Ok(0) => return Ok(()),
                Ok(read) => {
                    total += read as u64;
                    if total > limit {
                        return Ok(());
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error.into()),
            }
        }
    }
}

/// Zero bytes after `size` bytes of content, to the next block.
fn padding(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    match String::from_utf8(bytes.to_vec()) {
        Ok(text) => (text, None),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), Some("it is not valid UTF-8")),
    }
}

/// Applies pax records (`<length> <key>=<value>\n`) to `pending`.
fn apply_pax(data: &[u8], pending: &mut Pending) -> Result<(), TarError> {
    let bad = || TarError::Corrupt("a pax extended header is malformed".to_owned());
    let mut rest = data;
    while !rest.is_empty() {
        if rest.iter().all(|byte| *byte == 0) {
            break;
        }
        let space = rest.iter().position(|byte| *byte == b' ').ok_or_else(bad)?;
        let length: usize = std::str::from_utf8(rest.get(..space).ok_or_else(bad)?)
            .ok()
            .and_then(|text| text.parse().ok())
            .ok_or_else(bad)?;
        if length <= space + 1 || length > rest.len() {
            return Err(bad());
        }
        let record = rest.get(space + 1..length).ok_or_else(bad)?;
        let record = record.strip_suffix(b"\n").ok_or_else(bad)?;
        let equals = record.iter().position(|byte| *byte == b'=').ok_or_else(bad)?;
        let key = record.get(..equals).ok_or_else(bad)?;
        let value = record.get(equals + 1..).ok_or_else(bad)?;
        match key {
            b"path" => pending.path = Some(value.to_vec()),
            b"linkpath" => pending.link = Some(value.to_vec()),
            b"size" => {
                let size = std::str::from_utf8(value).ok().and_then(|text| text.parse().ok()).ok_or_else(bad)?;
                pending.size = Some(size);
            }
            _ if key.starts_with(b"GNU.sparse.") => {
                return Err(TarError::Unsupported("it contains a GNU sparse file".to_owned()));
            }
            _ => {}
        }
        rest = rest.get(length..).unwrap_or_default();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::tar::TarWriter;

    fn limits() -> Limits {
        Limits::DEFAULT
    }

    #[test]
    fn reads_what_our_writer_writes() {
        let long = format!("top/{}/file.txt", "d".repeat(150));
        let mut writer = TarWriter::new(Vec::new());
        writer.append_file("top/a.txt", 0o644, 0, 5, &mut &b"hello"[..]).unwrap();
        writer.append_file(&long, 0o644, 0, 600, &mut &[7u8; 600][..]).unwrap();
        writer.append_symlink("top/link", "a.txt", 0o777, 0).unwrap();
        writer.append_file("top/é.txt", 0o644, 0, 0, &mut &b""[..]).unwrap();
        let bytes = writer.finish().unwrap();
        let mut reader = TarReader::new(&bytes[..], limits());
        let first = reader.next_entry().unwrap().unwrap();
        assert_eq!((first.name.as_str(), first.size, &first.kind), ("top/a.txt", 5, &TarKind::File));
        let mut content = Vec::new();
        reader.read_content(&mut |chunk| content.extend_from_slice(chunk)).unwrap();
        assert_eq!(content, b"hello");
        let second = reader.next_entry().unwrap().unwrap();
        assert_eq!((second.name.as_str(), second.size), (long.as_str(), 600));
        // Not reading the content: the next call skips it.
        let third = reader.next_entry().unwrap().unwrap();
        assert_eq!((third.kind, third.link_target.as_str()), (TarKind::Symlink, "a.txt"));
        assert_eq!(reader.next_entry().unwrap().unwrap().name, "top/é.txt");
        assert!(reader.next_entry().unwrap().is_none());
    }

    #[test]
    fn damage_is_reported_not_panicked_on() {
        let mut writer = TarWriter::new(Vec::new());
        writer.append_file("top/a.txt", 0o644, 0, 5, &mut &b"hello"[..]).unwrap();
        let bytes = writer.finish().unwrap();
        let mut damaged = bytes.clone();
        damaged[10] ^= 1;
        assert!(matches!(TarReader::new(&damaged[..], limits()).next_entry(), Err(TarError::Corrupt(_))));
        // Content complete, padding cut off: the next header cannot be reached.
        let mut reader = TarReader::new(&bytes[..700], limits());
        reader.next_entry().unwrap();
        assert!(reader.read_content(&mut |_| {}).is_ok());
        assert!(matches!(reader.next_entry(), Err(TarError::Corrupt(_))));
        let mut reader = TarReader::new(&bytes[..514], limits());
        reader.next_entry().unwrap();
        assert!(matches!(reader.read_content(&mut |_| {}), Err(TarError::Corrupt(_))));
        // Every prefix of the archive and every single-byte change is handled.
        for length in 0..bytes.len() {
            let mut reader = TarReader::new(&bytes[..length], limits());
            while let Ok(Some(_)) = reader.next_entry() {}
        }
    }

    #[test]
    fn extension_headers_are_bounded() {
        // A pax header declaring a huge size is refused before reading it.
        let mut block = [0u8; 512];
        block[..4].copy_from_slice(b"pax1");
        block[100..108].copy_from_slice(b"0000644\0");
        block[124..136].copy_from_slice(b"77777777777\0");
        block[156] = b'x';
        block[257..263].copy_from_slice(b"ustar\0");
        block[148..156].copy_from_slice(b"        ");
        let sum: u32 = block.iter().map(|byte| u32::from(*byte)).sum();
        block[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let mut reader = TarReader::new(&block[..], limits());
        assert!(matches!(reader.next_entry(), Err(TarError::TooLarge(_))));
    }

    #[test]
    fn numbers() {
        assert_eq!(number(b"0000644\0"), Some(0o644));
        assert_eq!(number(b"   12 \0"), Some(0o12));
        assert_eq!(number(&[0x80, 0, 0, 1, 0]), Some(256));
        assert_eq!(number(&[0xff, 0, 0]), None);
        assert_eq!(number(b"\0\0\0"), Some(0));
        assert_eq!(number(b"9"), None);
    }

    #[test]
    fn limited_reader_fails_only_on_excess() {
        let mut exact = LimitedReader::new(&b"abc"[..], 3);
        let mut out = Vec::new();
        assert!(exact.read_to_end(&mut out).is_ok());
        let mut over = LimitedReader::new(&b"abcd"[..], 3);
        let error = over.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(matches!(TarError::from(error), TarError::TooLarge(_)));
    }
}
