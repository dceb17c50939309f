//! The read-only view of a project that every host provides.
//!
//! A host (the native file system, a WASI preopen, the browser's folder
//! picker, a test) implements [`ProjectTree`]: list a directory, describe an
//! entry without following symlinks, open a regular file. Everything else —
//! resolving symlinks inside the root, walking in flit's order, the default
//! excludes — is written once in this module, so no host can change what
//! goes into an archive.

mod cached;
mod memory;
mod resolve;
mod subset;
mod walk;

pub use cached::CachedTree;
pub use memory::MemoryTree;
pub use resolve::{Resolved, lstat, resolve};
pub use subset::SubsetTree;
pub use walk::{WalkFilter, walk_files};

use std::io::Read;

use crate::path::RelPath;

/// What a directory entry is, as `lstat` sees it (symlinks not followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File {
        /// Size in bytes when listed; reading stops at this many bytes.
        size: u64,
        /// Whether the owner may execute it (the only mode bit archives keep).
        executable: bool,
    },
    /// A directory.
    Dir,
    /// A symbolic link, with its raw target as stored on disk.
    Symlink {
        /// The link's target, unresolved (may be relative or absolute).
        target: String,
    },
    /// Anything else: a FIFO, socket or device. Never read.
    Other,
}

/// A failure reported by a host while reading the tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct TreeError {
    /// The project-relative path being accessed.
    pub path: String,
    /// The host's description of the problem.
    pub message: String,
}

impl TreeError {
    /// A new error about `path`.
    pub fn new(path: &RelPath, message: impl Into<String>) -> Self {
        TreeError { path: path.to_string(), message: message.into() }
    }
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name (a single path component).
    pub name: String,
    /// What the entry is, without following symlinks.
    pub kind: EntryKind,
}

/// Read-only access to the project directory.
///
/// Paths passed to these methods never contain symlinks in their directory
/// part: the core resolves links itself (see [`resolve`]) and only asks about
/// paths it has resolved. Implementations therefore need no symlink logic.
///
/// A tree is shared by the sdist and the wheel when a host builds both at
/// once (see [`crate::parallel`]), hence `Sync`.
pub trait ProjectTree: Sync {
    /// Describes the entry at `path` without following a final symlink.
    /// `Ok(None)` if nothing is there.
    fn entry(&self, path: &RelPath) -> Result<Option<EntryKind>, TreeError>;

    /// Lists the directory at `path`, in any order.
    fn read_dir(&self, path: &RelPath) -> Result<Vec<DirEntry>, TreeError>;

    /// Opens the regular file at `path` for reading.
    fn open(&self, path: &RelPath) -> Result<Box<dyn Read + '_>, TreeError>;
}

/// Reads a whole regular file, refusing to read more than `limit` bytes.
///
/// Used for text the core must hold in memory (config, readme, module
/// sources); archive members are streamed instead.
pub fn read_to_vec(tree: &dyn ProjectTree, path: &RelPath, limit: u64) -> Result<Vec<u8>, TreeError> {
    let mut reader = tree.open(path)?.take(limit + 1);
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|error| TreeError::new(path, error.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(TreeError::new(
            path,
            format!("the file is larger than {} MiB, the limit for a text file the build reads", limit >> 20),
        ));
    }
    Ok(bytes)
}
