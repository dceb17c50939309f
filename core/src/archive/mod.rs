//! Streaming writers for the two archive formats flit produces, byte-compatible
//! with the CPython modules flit uses to write them.
//!
//! - [`zip`]: wheels, laid out like CPython's `zipfile` writing to a seekable
//!   file (the deflate bytes themselves come from zlib-rs, not zlib, so
//!   they may differ; everything around them matches).
//! - [`tar`] and [`gzip`]: sdists, byte for byte what
//!   `tarfile.open(mode='w', format=tarfile.PAX_FORMAT)` writes inside a
//!   `gzip.GzipFile(filename, mode='wb', mtime=...)` (again apart from the
//!   deflate bytes of the gzip body).
//! - [`record`]: the wheel's `RECORD` rows and the hashing reader that
//!   computes them while a member streams into the zip.
//!
//! Nothing here touches the file system: archives are written into writers
//! the host hands in, and member contents are read from readers it hands in.
//! Memory does not grow with the size of a member; the zip writer keeps one
//! small central-directory entry per member, as every zip writer must.

mod deflate;
pub mod gzip;
pub mod record;
pub mod tar;
pub mod zip;

/// The Unix file-type bits of a regular file (`stat.S_IFREG`). flit stores
/// `S_IFREG | permissions` as a wheel member's mode, so readers that look at
/// the type bits see a regular file.
pub const REGULAR_FILE_TYPE: u32 = 0o100_000;

/// flit's `normalize_file_permissions` for a regular file: `0o644`, or
/// `0o755` when the owner may execute it.
///
/// Version control systems track only the executable bit, and umasks differ
/// between machines, so flit reduces every file to one of these two modes to
/// make builds reproducible. The result holds only permission bits; add
/// [`REGULAR_FILE_TYPE`] for a zip member's full `st_mode`.
pub fn normalised_permissions(executable: bool) -> u32 {
    if executable { 0o755 } else { 0o644 }
}

/// Why an archive could not be written. Every message says what to do.
///
/// After any error a writer is left *poisoned*: its output is incomplete,
/// and every further call fails with [`ArchiveError::Poisoned`]. The host
/// must discard what was written (it writes to a temporary file and renames
/// it only on success).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Writing the archive (or reading a member's content) failed.
    #[error(
        "could not write the archive: {0}; check that the output location is writable and has free space, then build again"
    )]
    Io(std::io::Error),
    /// A file yielded fewer bytes than its size said: it changed (or was
    /// truncated) while the archive was being written.
    #[error(
        "`{path}` should hold {expected} bytes but only {actual} could be read; the file changed while the archive was being written. Build again once nothing is modifying the project"
    )]
    SizeMismatch {
        /// The member's path inside the archive.
        path: String,
        /// The size announced before reading.
        expected: u64,
        /// The bytes actually read before the content ended.
        actual: u64,
    },
    /// A file yielded more bytes than its size said: it grew while the
    /// archive was being written.
    #[error(
        "`{path}` grew beyond the {expected} bytes it held when the build started; the file changed while the archive was being written. Build again once nothing is modifying the project"
    )]
    FileGrew {
        /// The member's path inside the archive.
        path: String,
        /// The size announced before reading.
        expected: u64,
    },
    /// A timestamp cannot be stored in a zip member (DOS dates end with 2107).
    #[error(
        "the timestamp {seconds} (seconds since 1970) is after 2107-12-31 23:59:59, the last time a zip file can record; set SOURCE_DATE_EPOCH to an earlier time"
    )]
    TimestampOutOfRange {
        /// The Unix timestamp that was asked for.
        seconds: u64,
    },
    /// A calendar date/time with a field outside the zip (DOS) range.
    #[error(
        "`{path}` has the date {year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}, which a zip file cannot record (years 1980 to 2107 only); give it a valid time, for example with SOURCE_DATE_EPOCH"
    )]
    InvalidDateTime {
        /// The member's path inside the archive.
        path: String,
        /// Year as given.
        year: u16,
        /// Month as given.
        month: u8,
        /// Day as given.
        day: u8,
        /// Hour as given.
        hour: u8,
        /// Minute as given.
        minute: u8,
        /// Second as given.
        second: u8,
    },
    /// A zip member of 4 GiB or more (before or after compression).
    #[error(
        "`{path}` is 4 GiB or larger (before or after compression); wheels are written without zip64 extensions, so they cannot hold it. Exclude the file from the package"
    )]
    MemberTooLarge {
        /// The member's path inside the archive.
        path: String,
    },
    /// The zip as a whole would reach 4 GiB, which needs zip64 offsets.
    #[error(
        "the wheel would reach 4 GiB; it is written without zip64 extensions, so it cannot be that large. Exclude large files from the package"
    )]
    ArchiveTooLarge,
    /// More zip members than a zip without zip64 can count.
    #[error(
        "the wheel would hold more than 65535 files; it is written without zip64 extensions, so it cannot hold that many. Exclude files from the package"
    )]
    TooManyMembers,
    /// A zip member name longer than the 65535 bytes its header can record.
    #[error(
        "the archive path `{path}` is longer than 65535 bytes in UTF-8, the most a zip header can record; use a shorter path"
    )]
    NameTooLong {
        /// The member's path (possibly very long).
        path: String,
    },
    /// A member path (or symlink target) that no archive reader would
    /// reproduce faithfully: empty, or containing a NUL character.
    #[error("the archive path `{path}` is not usable: {reason}; rename the file")]
    InvalidName {
        /// The offending path or link target (NUL shown as `\0`).
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The same path twice in one zip; installers reject such wheels.
    #[error(
        "`{path}` would appear twice in the wheel; each path may be added once. This is a bug in the file selection, please report it"
    )]
    DuplicateName {
        /// The repeated member path.
        path: String,
    },
    /// Data was written to a zip writer with no member started.
    #[error("data was written to the wheel before any member was started; this is a bug, please report it")]
    NoOpenMember,
    /// An earlier error left the writer's output incomplete.
    #[error("an earlier error left this archive incomplete; discard it and build again after fixing that error")]
    Poisoned,
}

impl From<std::io::Error> for ArchiveError {
    /// Our own `Write` implementations report archive problems through
    /// `std::io::Error` (the trait allows nothing else); unwrap them again so
    /// the caller sees the precise variant rather than a generic I/O error.
    fn from(error: std::io::Error) -> Self {
        if error.get_ref().is_some_and(|inner| inner.is::<ArchiveError>()) {
            match error.into_inner().map(|inner| inner.downcast::<ArchiveError>()) {
                Some(Ok(archive_error)) => *archive_error,
                // Unreachable given the check above, but never panic.
                Some(Err(other)) => ArchiveError::Io(std::io::Error::other(other)),
                None => ArchiveError::Poisoned,
            }
        } else {
            ArchiveError::Io(error)
        }
    }
}

impl ArchiveError {
    /// Wraps this error in a `std::io::Error` for `Write` implementations;
    /// [`From<std::io::Error>`] takes it out again.
    pub(crate) fn into_io(self) -> std::io::Error {
        std::io::Error::other(self)
    }
}

/// Checks a member path or link target: archive readers stop names at NUL
/// (CPython's `zipfile` even truncates them silently when reading), so such a
/// name would not survive a round trip; an empty name cannot be extracted.
pub(crate) fn check_name(name: &str) -> Result<(), ArchiveError> {
    if name.is_empty() {
        return Err(ArchiveError::InvalidName { path: String::new(), reason: "it is empty" });
    }
    if name.contains('\0') {
        return Err(ArchiveError::InvalidName {
            path: name.replace('\0', "\\0"),
            reason: "it contains a NUL character",
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    #[test]
    fn permissions_are_normalised_to_two_modes() {
        assert_eq!(normalised_permissions(false), 0o644);
        assert_eq!(normalised_permissions(true), 0o755);
        assert_eq!(REGULAR_FILE_TYPE | normalised_permissions(true), 0o100_755);
    }

    #[test]
    fn io_errors_carrying_archive_errors_are_unwrapped() {
        let io = ArchiveError::MemberTooLarge { path: "a".into() }.into_io();
        assert!(matches!(
            ArchiveError::from(io),
            ArchiveError::MemberTooLarge { path } if path == "a"
        ));
        let plain = std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full");
        assert!(matches!(ArchiveError::from(plain), ArchiveError::Io(_)));
    }

    #[test]
    fn names_must_be_non_empty_and_free_of_nul() {
        assert!(check_name("a/b.py").is_ok());
        assert!(matches!(check_name(""), Err(ArchiveError::InvalidName { .. })));
        let error = check_name("a\0b").err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("the archive path `a\\0b` is not usable: it contains a NUL character; rename the file")
        );
    }
}
