//! The outside world as values: everything a build needs from the
//! environment, read once by the host and fixed for the whole run.

/// The timestamp used when `SOURCE_DATE_EPOCH` is not set: 2016-01-01
/// 00:00:00 UTC, the date flit already gives generated wheel members and the
/// gzip header. Using it for every file makes builds reproducible by default.
pub const DEFAULT_SOURCE_DATE_EPOCH: u64 = 1_451_606_400;

/// The files version control knows, for `flit build --use-vcs`: the host
/// asks git, the core decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VcsFiles {
    /// The version control system's name, for messages ("git").
    pub system: String,
    /// Tracked files, relative to the project directory.
    pub tracked: Vec<crate::path::RelPath>,
    /// Untracked (and not ignored) or deleted files.
    pub untracked_or_deleted: Vec<crate::path::RelPath>,
}

/// Inputs that come from the environment rather than the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// `SOURCE_DATE_EPOCH`, parsed by the host. `None` means unset: archives
    /// then use [`DEFAULT_SOURCE_DATE_EPOCH`].
    pub source_date_epoch: Option<u64>,
    /// `FLIT_ALLOW_INVALID`: an invalid version or license expression, and the
    /// CLI's extra checks, become warnings instead of errors.
    pub allow_invalid: bool,
    /// `--use-vcs`: the sdist starts from the files version control tracks
    /// instead of the module, data and referenced files.
    pub vcs_files: Option<VcsFiles>,
}

impl BuildOptions {
    /// The timestamp archives use for source files.
    pub fn effective_epoch(&self) -> u64 {
        self.source_date_epoch.unwrap_or(DEFAULT_SOURCE_DATE_EPOCH)
    }
}
