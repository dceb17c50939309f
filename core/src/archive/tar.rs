//! A tar writer producing exactly what CPython 3.11's
//! `tarfile.open(mode='w', format=tarfile.PAX_FORMAT)` writes for the
//! members flit puts into an sdist: regular files and symbolic links with
//! uid = gid = 0, empty user and group names and integer mtimes.
//!
//! Layout (CPython `TarInfo.create_pax_header` and `_create_header`):
//! - optionally a pax extended header: a ustar header named
//!   `././@PaxHeader`, type `x`, all numeric fields 0, whose data are
//!   `"%d %s=%s\n"` records, padded to 512 bytes;
//! - the ustar header: name (100), mode/uid/gid (8), size/mtime (12) as
//!   zero-padded octal with a NUL, checksum `"%06o\0 "`, type flag,
//!   link name (100), `ustar\0` + `00`, user/group names (32), device
//!   numbers NUL-filled, empty prefix;
//! - the content, padded with NULs to a multiple of 512 bytes.
//!
//! `finish` adds two zero blocks and pads the stream to a multiple of
//! 10240 bytes, like `TarFile.close()`.

use std::io::{self, Read, Write};

use super::{ArchiveError, check_name};

/// Tar's unit: every header and every content is a whole number of blocks.
const BLOCK_SIZE: usize = 512;
/// `tarfile.RECORDSIZE`: the finished stream is padded to a multiple of it.
const RECORD_SIZE: u64 = 20 * BLOCK_SIZE as u64;
/// Name and link name field width (`tarfile.LENGTH_NAME`, `LENGTH_LINK`).
const NAME_FIELD: usize = 100;
/// The largest value a 12-byte octal field holds is `8**11 - 1`; CPython
/// moves larger sizes and mtimes into the pax header.
const OCTAL_12_LIMIT: u64 = 8u64.pow(11);
/// How much of a member is read at a time.
const COPY_BUFFER: usize = 64 * 1024;

/// Type flag of a regular file (`tarfile.REGTYPE`).
const REGULAR: u8 = b'0';
/// Type flag of a symbolic link (`tarfile.SYMTYPE`).
const SYMLINK: u8 = b'2';
/// Type flag of a pax extended header (`tarfile.XHDTYPE`).
const PAX_EXTENDED: u8 = b'x';

/// Writes a tar stream member by member; content is streamed, so memory
/// does not grow with a member's size.
pub struct TarWriter<W: Write> {
    writer: W,
    /// Bytes written so far, for the final padding to [`RECORD_SIZE`].
    offset: u64,
    /// Set after a failure left a member incomplete.
    poisoned: bool,
    /// Reused copy buffer (allocated on first use).
    buffer: Vec<u8>,
}

impl<W: Write> TarWriter<W> {
    /// A writer that appends members to `writer`, which should be empty
    /// (tarfile's own offsets start at 0 as well).
    pub fn new(writer: W) -> Self {
        TarWriter { writer, offset: 0, poisoned: false, buffer: Vec::new() }
    }

    /// Appends a regular file. `permissions` are the mode bits (`0o644` or
    /// `0o755`, see [`super::normalised_permissions`]); uid and gid are 0 and
    /// user and group names empty, as flit sets them.
    ///
    /// Reads exactly `size` bytes from `data`, streaming. If it yields fewer
    /// or more, the file changed while it was being read: this fails (with
    /// [`ArchiveError::SizeMismatch`] or [`ArchiveError::FileGrew`]) and the
    /// writer is poisoned rather than producing a corrupt archive.
    pub fn append_file(
        &mut self,
        path: &str,
        permissions: u32,
        mtime: u64,
        size: u64,
        data: &mut dyn Read,
    ) -> Result<(), ArchiveError> {
        self.check_usable()?;
        let header = file_header(path, permissions, mtime, size)?;
        let result = self.write_member(path, &header, size, data);
        if result.is_err() {
            self.poisoned = true;
        }
        result
    }

    /// Appends a symbolic link (type `2`, size 0) pointing at the raw
    /// `target`, which is stored unchanged.
    pub fn append_symlink(
        &mut self,
        path: &str,
        target: &str,
        permissions: u32,
        mtime: u64,
    ) -> Result<(), ArchiveError> {
        self.check_usable()?;
        let header = symlink_header(path, target, permissions, mtime)?;
        let result = self.write_all(&header);
        if result.is_err() {
            self.poisoned = true;
        }
        result.map_err(ArchiveError::from)
    }

    /// Ends the archive: two zero blocks, then zero padding to a multiple of
    /// 10240 bytes, as `tarfile.close()` does. Returns the writer.
    pub fn finish(mut self) -> Result<W, ArchiveError> {
        self.check_usable()?;
        self.write_zeros(2 * BLOCK_SIZE as u64)?;
        let remainder = self.offset % RECORD_SIZE;
        if remainder > 0 {
            self.write_zeros(RECORD_SIZE - remainder)?;
        }
        self.writer.flush()?;
        Ok(self.writer)
    }

    fn check_usable(&self) -> Result<(), ArchiveError> {
        if self.poisoned { Err(ArchiveError::Poisoned) } else { Ok(()) }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)?;
        self.offset += bytes.len() as u64;
        Ok(())
    }

    fn write_zeros(&mut self, mut count: u64) -> io::Result<()> {
        const ZEROS: [u8; BLOCK_SIZE] = [0; BLOCK_SIZE];
        while count > 0 {
            let chunk = count.min(BLOCK_SIZE as u64);
            self.write_all(ZEROS.get(..chunk as usize).unwrap_or_default())?;
            count -= chunk;
        }
        Ok(())
    }

    fn write_member(&mut self, path: &str, header: &[u8], size: u64, data: &mut dyn Read) -> Result<(), ArchiveError> {
        self.write_all(header)?;
        if self.buffer.is_empty() {
            self.buffer = vec![0; COPY_BUFFER];
        }
        let mut buffer = std::mem::take(&mut self.buffer);
        let copied = self.copy_exactly(path, size, data, &mut buffer);
        self.buffer = buffer;
        copied?;
        let remainder = size % BLOCK_SIZE as u64;
        if remainder > 0 {
            self.write_zeros(BLOCK_SIZE as u64 - remainder)?;
        }
        Ok(())
    }

    /// Copies `size` bytes, then checks that the reader is exhausted.
    fn copy_exactly(
        &mut self,
        path: &str,
        size: u64,
        data: &mut dyn Read,
        buffer: &mut [u8],
    ) -> Result<(), ArchiveError> {
        let mut copied = 0u64;
        while copied < size {
            let want = usize::try_from(size - copied).unwrap_or(usize::MAX).min(buffer.len());
            let chunk = buffer.get_mut(..want).unwrap_or_default();
            let read = match data.read(chunk) {
                Ok(0) => {
                    return Err(ArchiveError::SizeMismatch { path: path.to_owned(), expected: size, actual: copied });
                }
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(ArchiveError::Io(error)),
            };
            self.write_all(chunk.get(..read).unwrap_or_default())?;
            copied += read as u64;
        }
        let mut probe = [0u8; 1];
        loop {
            match data.read(&mut probe) {
                Ok(0) => return Ok(()),
                Ok(_) => {
                    return Err(ArchiveError::FileGrew { path: path.to_owned(), expected: size });
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(ArchiveError::Io(error)),
            }
        }
    }
}

/// The header blocks [`TarWriter::append_file`] writes before a regular
/// file's content: a pax extended header when CPython would write one, then
/// the ustar header. Exposed so hosts can predict archive sizes and tests can
/// compare headers for sizes too large to write.
pub fn file_header(path: &str, permissions: u32, mtime: u64, size: u64) -> Result<Vec<u8>, ArchiveError> {
    check_name(path)?;
    Ok(member_header(&Member { path, link_target: "", type_flag: REGULAR, permissions, mtime, size }))
}

/// The header blocks [`TarWriter::append_symlink`] writes for a symbolic
/// link (there is no content).
pub fn symlink_header(path: &str, target: &str, permissions: u32, mtime: u64) -> Result<Vec<u8>, ArchiveError> {
    check_name(path)?;
    check_name(target)?;
    Ok(member_header(&Member { path, link_target: target, type_flag: SYMLINK, permissions, mtime, size: 0 }))
}

/// The fields of one member that flit varies; the rest are fixed.
struct Member<'a> {
    path: &'a str,
    link_target: &'a str,
    type_flag: u8,
    permissions: u32,
    mtime: u64,
    size: u64,
}

/// CPython's `TarInfo.create_pax_header` for our members.
fn member_header(member: &Member<'_>) -> Vec<u8> {
    // Keyword order is CPython's: the string fields (path, linkpath; uname
    // and gname are always empty here), then the numeric ones (uid and gid
    // are always 0, then size, mtime).
    let mut pax: Vec<(&str, String)> = Vec::new();
    if needs_pax_string(member.path) {
        pax.push(("path", member.path.to_owned()));
    }
    if needs_pax_string(member.link_target) {
        pax.push(("linkpath", member.link_target.to_owned()));
    }
    // Values too large for the octal field go to the pax header, and the
    // ustar field holds 0 instead ("avoid overflow").
    let mut ustar_size = member.size;
    if member.size >= OCTAL_12_LIMIT {
        pax.push(("size", member.size.to_string()));
        ustar_size = 0;
    }
    let mut ustar_mtime = member.mtime;
    if member.mtime >= OCTAL_12_LIMIT {
        pax.push(("mtime", member.mtime.to_string()));
        ustar_mtime = 0;
    }

    let mut out = Vec::with_capacity(3 * BLOCK_SIZE);
    if !pax.is_empty() {
        let records = pax_records(&pax);
        out.extend_from_slice(&ustar_header(&UstarFields {
            name: "././@PaxHeader",
            mode: 0,
            size: records.len() as u64,
            mtime: 0,
            type_flag: PAX_EXTENDED,
            link_name: "",
        }));
        out.extend_from_slice(&records);
        let remainder = records.len() % BLOCK_SIZE;
        if remainder > 0 {
            out.resize(out.len() + BLOCK_SIZE - remainder, 0);
        }
    }
    out.extend_from_slice(&ustar_header(&UstarFields {
        name: member.path,
        mode: member.permissions,
        size: ustar_size,
        mtime: ustar_mtime,
        type_flag: member.type_flag,
        link_name: member.link_target,
    }));
    out
}

/// CPython moves a name to the pax header when it is not ASCII or longer
/// than the 100-byte field (for ASCII, characters and bytes coincide).
fn needs_pax_string(value: &str) -> bool {
    !value.is_ascii() || value.len() > NAME_FIELD
}

/// `_create_pax_generic_header`'s records: `"%d %s=%s\n"`, where the
/// leading length counts the whole record including its own digits.
fn pax_records(pairs: &[(&str, String)]) -> Vec<u8> {
    let mut records = Vec::new();
    for (keyword, value) in pairs {
        // ' ' + '=' + '\n'
        let base = keyword.len() + value.len() + 3;
        // CPython's fixed-point iteration; it converges because the digit
        // count grows monotonically with the length.
        let mut length = 0usize;
        loop {
            let next = base + decimal_digits(length);
            if next == length {
                break;
            }
            length = next;
        }
        records.extend_from_slice(length.to_string().as_bytes());
        records.push(b' ');
        records.extend_from_slice(keyword.as_bytes());
        records.push(b'=');
        records.extend_from_slice(value.as_bytes());
        records.push(b'\n');
    }
    records
}

fn decimal_digits(mut value: usize) -> usize {
    let mut digits = 1;
    while value >= 10 {
        value /= 10;
        digits += 1;
    }
    digits
}

/// The values that go into one ustar header block.
struct UstarFields<'a> {
    name: &'a str,
    mode: u32,
    size: u64,
    mtime: u64,
    type_flag: u8,
    link_name: &'a str,
}

/// CPython's `TarInfo._create_header(info, USTAR_FORMAT, "ascii", "replace")`
/// for a member without device numbers or prefix. Sizes and mtimes must
/// already fit their octal fields.
fn ustar_header(fields: &UstarFields<'_>) -> [u8; BLOCK_SIZE] {
    let mut block = [0u8; BLOCK_SIZE];
    put_text(&mut block, 0, NAME_FIELD, fields.name);
    put_octal(&mut block, 100, 8, u64::from(fields.mode & 0o7777));
    put_octal(&mut block, 108, 8, 0); // uid
    put_octal(&mut block, 116, 8, 0); // gid
    put_octal(&mut block, 124, 12, fields.size);
    put_octal(&mut block, 136, 12, fields.mtime);
    // The checksum is computed with its own field filled with spaces.
    put_bytes(&mut block, 148, b"        ");
    put_bytes(&mut block, 156, &[fields.type_flag]);
    put_text(&mut block, 157, NAME_FIELD, fields.link_name);
    // tarfile.POSIX_MAGIC
    put_bytes(&mut block, 257, b"ustar\x0000");
    // uname (265..297) and gname (297..329) are empty: NUL-filled.
    // devmajor/devminor (329..345) are NUL-filled for files and links.
    // prefix (345..500) is empty in the PAX format.
    let checksum: u32 = block.iter().map(|&byte| u32::from(byte)).sum();
    // "%06o\0", keeping the eighth byte of the field a space.
    let text = format!("{checksum:06o}\0");
    put_bytes(&mut block, 148, text.as_bytes());
    block
}

/// `stn(s, length, "ascii", "replace")`: each non-ASCII character becomes one
/// `?`, then the bytes are cut to the field (no NUL if they fill it).
fn put_text(block: &mut [u8], start: usize, length: usize, text: &str) {
    let encoded = text.chars().map(|c| if c.is_ascii() { c as u8 } else { b'?' }).take(length);
    for (slot, byte) in block.iter_mut().skip(start).zip(encoded) {
        *slot = byte;
    }
}

/// `itn(n, digits, USTAR_FORMAT)` for a value that fits: `digits - 1` octal
/// digits, zero-padded, then a NUL (already there: the block starts zeroed).
fn put_octal(block: &mut [u8], start: usize, digits: usize, value: u64) {
    let text = format!("{value:0width$o}", width = digits - 1);
    put_bytes(block, start, text.as_bytes());
}

fn put_bytes(block: &mut [u8], start: usize, bytes: &[u8]) {
    if let Some(slot) = block.get_mut(start..start + bytes.len()) {
        slot.copy_from_slice(bytes);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn field(block: &[u8], start: usize, len: usize) -> &[u8] {
        &block[start..start + len]
    }

    fn archive(build: impl FnOnce(&mut TarWriter<Vec<u8>>)) -> Vec<u8> {
        let mut writer = TarWriter::new(Vec::new());
        build(&mut writer);
        writer.finish().unwrap()
    }

    #[test]
    fn plain_header_matches_cpython_layout() {
        let header = file_header("pkg-1.0/a.py", 0o644, 1_700_000_000, 5).unwrap();
        assert_eq!(header.len(), 512);
        assert_eq!(&header[..12], b"pkg-1.0/a.py");
        assert!(header[12..100].iter().all(|&b| b == 0));
        assert_eq!(field(&header, 100, 8), b"0000644\0");
        assert_eq!(field(&header, 108, 8), b"0000000\0");
        assert_eq!(field(&header, 116, 8), b"0000000\0");
        assert_eq!(field(&header, 124, 12), b"00000000005\0");
        assert_eq!(field(&header, 136, 12), b"14524770400\0");
        assert_eq!(header[154], 0);
        assert_eq!(header[155], b' ');
        assert_eq!(header[156], b'0');
        assert_eq!(field(&header, 257, 8), b"ustar\x0000");
        assert!(header[265..].iter().all(|&b| b == 0));
        // The checksum is the byte sum with the field read as spaces.
        let mut copy = header.clone();
        copy[148..156].copy_from_slice(b"        ");
        let sum: u32 = copy.iter().map(|&b| u32::from(b)).sum();
        assert_eq!(field(&header, 148, 6), format!("{sum:06o}").as_bytes());
    }

    #[test]
    fn exact_cpython_bytes_for_a_small_archive() {
        // Captured from CPython 3.11:
        //   t = tarfile.TarInfo("a"); t.size = 1; t.mtime = 0
        //   tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT)
        //       .addfile(t, io.BytesIO(b"x"))
        // (mode 0o644 is TarInfo's default).
        let bytes = archive(|tar| {
            tar.append_file("a", 0o644, 0, 1, &mut &b"x"[..]).unwrap();
        });
        assert_eq!(bytes.len(), 10240);
        assert_eq!(&bytes[148..156], b"006077\0 ");
        assert_eq!(bytes[512], b'x');
        assert!(bytes[513..].iter().all(|&b| b == 0));
    }

    #[test]
    fn names_of_100_ascii_characters_fit_without_pax() {
        let name = "n".repeat(100);
        let header = file_header(&name, 0o644, 0, 0).unwrap();
        assert_eq!(header.len(), 512);
        assert_eq!(&header[..100], name.as_bytes());
        // No NUL terminator when the name fills the field.
        assert_eq!(&header[100..108], b"0000644\0");
    }

    #[test]
    fn long_names_get_a_pax_path_record() {
        let name = "n".repeat(101);
        let header = file_header(&name, 0o644, 0, 0).unwrap();
        assert_eq!(header.len(), 3 * 512);
        assert_eq!(&header[..14], b"././@PaxHeader");
        assert_eq!(header[156], b'x');
        // "%d path=%s\n": 101 + 4 + 3 = 108 plus 3 digits = 111.
        assert_eq!(field(&header, 124, 12), b"00000000157\0");
        let record = format!("111 path={name}\n");
        assert_eq!(&header[512..512 + 111], record.as_bytes());
        assert!(header[512 + 111..1024].iter().all(|&b| b == 0));
        // The ustar name holds the first 100 characters.
        assert_eq!(&header[1024..1124], &name.as_bytes()[..100]);
    }

    #[test]
    fn non_ascii_names_are_replaced_in_the_ustar_field() {
        let header = file_header("pkg/é€😀.py", 0o644, 0, 0).unwrap();
        assert_eq!(header.len(), 3 * 512);
        let path_bytes = "pkg/é€😀.py".len();
        let record = format!("{} path=pkg/é€😀.py\n", path_bytes + 9);
        assert_eq!(&header[512..512 + record.len()], record.as_bytes());
        assert_eq!(&header[1024..1024 + 10], b"pkg/???.py");
        assert_eq!(header[1034], 0);
    }

    #[test]
    fn pax_record_lengths_count_their_own_digits() {
        // base 97 -> 99 (2 digits); base 98 -> 101 (3 digits, 100 would
        // have 3 digits too, making it 101).
        for (value_len, expected) in [(90usize, 99usize), (91, 101), (1, 9), (5, 14)] {
            let records = pax_records(&[("path", "v".repeat(value_len))]);
            assert_eq!(records.len(), expected);
            assert!(records.starts_with(format!("{expected} ").as_bytes()));
        }
    }

    #[test]
    fn large_sizes_and_mtimes_move_to_pax_records_in_cpython_order() {
        let big = 8u64.pow(11);
        let header = file_header("a", 0o644, big, big).unwrap();
        assert_eq!(header.len(), 3 * 512);
        let records = b"19 size=8589934592\n20 mtime=8589934592\n";
        assert_eq!(&header[512..512 + records.len()], records);
        let ustar = &header[1024..];
        assert_eq!(field(ustar, 124, 12), b"00000000000\0");
        assert_eq!(field(ustar, 136, 12), b"00000000000\0");
        // One below the limit still fits the octal field.
        let header = file_header("a", 0o644, big - 1, big - 1).unwrap();
        assert_eq!(header.len(), 512);
        assert_eq!(field(&header, 124, 12), b"77777777777\0");
    }

    #[test]
    fn symlinks_carry_their_raw_target() {
        let header = symlink_header("pkg/link", "../target.py", 0o755, 7).unwrap();
        assert_eq!(header.len(), 512);
        assert_eq!(header[156], b'2');
        assert_eq!(&header[157..169], b"../target.py");
        assert_eq!(field(&header, 124, 12), b"00000000000\0");
        assert_eq!(field(&header, 100, 8), b"0000755\0");
        let long_target = "t".repeat(150);
        let header = symlink_header("pkg/link", &long_target, 0o755, 7).unwrap();
        let record = format!("164 linkpath={long_target}\n");
        assert_eq!(&header[512..512 + 164], record.as_bytes());
    }

    #[test]
    fn archives_read_back_with_the_tar_crate() {
        let content: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let long = format!("pkg-1.0/{}/x.py", "deep/".repeat(40));
        let bytes = archive(|tar| {
            tar.append_file("pkg-1.0/a.py", 0o644, 1, 0, &mut &b""[..]).unwrap();
            tar.append_file("pkg-1.0/b.bin", 0o755, 2, 100_000, &mut &content[..]).unwrap();
            tar.append_file(&long, 0o644, 3, 3, &mut &b"abc"[..]).unwrap();
            tar.append_symlink("pkg-1.0/ünï", "b.bin", 0o755, 4).unwrap();
        });
        assert_eq!(bytes.len() % 10240, 0);
        let mut reader = ::tar::Archive::new(Cursor::new(bytes));
        let mut seen = Vec::new();
        for entry in reader.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mode = entry.header().mode().unwrap();
            let mtime = entry.header().mtime().unwrap();
            let link = entry.link_name().unwrap().map(|l| l.to_string_lossy().into_owned());
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            seen.push((path, mode, mtime, link, data));
        }
        assert_eq!(seen.len(), 4);
        assert_eq!(seen[0], ("pkg-1.0/a.py".into(), 0o644, 1, None, vec![]));
        assert_eq!(seen[1].4, content);
        assert_eq!(seen[1].1, 0o755);
        assert_eq!(seen[2].0, long);
        assert_eq!(seen[2].4, b"abc");
        assert_eq!(seen[3].0, "pkg-1.0/ünï");
        assert_eq!(seen[3].3.as_deref(), Some("b.bin"));
    }

    #[test]
    fn finish_pads_to_whole_records() {
        let bytes = archive(|_| {});
        assert_eq!(bytes, vec![0u8; 10240]);
        // 18 blocks of content + header = 19, + 2 end blocks = 21 -> 2 records.
        let data = vec![1u8; 18 * 512];
        let bytes = archive(|tar| {
            tar.append_file("a", 0o644, 0, data.len() as u64, &mut &data[..]).unwrap();
        });
        assert_eq!(bytes.len(), 20480);
    }

    #[test]
    fn short_content_fails_and_poisons_the_writer() {
        let mut tar = TarWriter::new(Vec::new());
        let error = tar.append_file("a", 0o644, 0, 10, &mut &b"abc"[..]);
        assert!(matches!(error, Err(ArchiveError::SizeMismatch { expected: 10, actual: 3, .. })));
        assert!(matches!(tar.append_file("b", 0o644, 0, 0, &mut &b""[..]), Err(ArchiveError::Poisoned)));
        assert!(matches!(tar.finish(), Err(ArchiveError::Poisoned)));
    }

    #[test]
    fn growing_content_fails() {
        let mut tar = TarWriter::new(Vec::new());
        let error = tar.append_file("a", 0o644, 0, 2, &mut &b"abc"[..]);
        assert!(matches!(error, Err(ArchiveError::FileGrew { expected: 2, .. })));
        assert!(matches!(tar.finish(), Err(ArchiveError::Poisoned)));
    }

    #[test]
    fn interrupted_reads_are_retried() {
        struct Flaky<'a> {
            data: &'a [u8],
            interrupt: bool,
        }
        impl Read for Flaky<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.interrupt = !self.interrupt;
                if self.interrupt {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                let n = buf.len().min(self.data.len()).min(2);
                buf[..n].copy_from_slice(&self.data[..n]);
                self.data = &self.data[n..];
                Ok(n)
            }
        }
        let mut flaky = Flaky { data: b"hello", interrupt: false };
        let bytes = archive(|tar| tar.append_file("a", 0o644, 0, 5, &mut flaky).unwrap());
        assert_eq!(&bytes[512..517], b"hello");
    }

    #[test]
    fn read_errors_are_reported() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::PermissionDenied, "denied"))
            }
        }
        let mut tar = TarWriter::new(Vec::new());
        assert!(matches!(tar.append_file("a", 0o644, 0, 5, &mut Broken), Err(ArchiveError::Io(_))));
    }

    #[test]
    fn bad_names_are_refused_before_writing() {
        let mut tar = TarWriter::new(Vec::new());
        assert!(matches!(tar.append_file("", 0o644, 0, 0, &mut &b""[..]), Err(ArchiveError::InvalidName { .. })));
        assert!(matches!(tar.append_symlink("a", "b\0c", 0o755, 0), Err(ArchiveError::InvalidName { .. })));
        // Refusing a name writes nothing, so the writer is still usable.
        assert_eq!(tar.finish().unwrap().len(), 10240);
    }

    #[test]
    fn mode_is_masked_to_permission_bits() {
        let header = file_header("a", 0o100_755, 0, 0).unwrap();
        assert_eq!(field(&header, 100, 8), b"0000755\0");
    }
}
