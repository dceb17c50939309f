//! The project tree on a real file system: native, or a WASI preopen.
//!
//! This is the only place where a host path meets a [`RelPath`]: each
//! project-relative path is joined to the project root here and nowhere
//! else. The core only ever asks about paths it has already resolved inside
//! the root, so no symlink logic is needed here.

use std::collections::BTreeSet;
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use flit_core::path::RelPath;
use flit_core::tree::{DirEntry, EntryKind, ProjectTree, TreeError};

/// The target reported for a symlink whose target WASI will not reveal: an
/// absolute path, so the core treats it as leading out of the project.
const OUTSIDE_THE_SANDBOX: &str = "/(a target outside the sandbox)";

/// A project directory on disk.
pub struct FsTree {
    root: PathBuf,
    /// Where the file system cannot say whether a file is executable
    /// (WASI has no mode bits), the paths that are, as told by the host.
    executables: Option<BTreeSet<String>>,
}

impl FsTree {
    /// The tree rooted at `root` (the directory holding pyproject.toml).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FsTree { root: root.into(), executables: None }
    }

    /// Declares which files are executable, for hosts without mode bits.
    pub fn with_executables(mut self, executables: BTreeSet<String>) -> Self {
        self.executables = Some(executables);
        self
    }

    /// The host path of a project path.
    pub fn host_path(&self, path: &RelPath) -> PathBuf {
        if path.is_root() { self.root.clone() } else { self.root.join(path.as_str()) }
    }

    /// The project root on the host.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn kind(&self, path: &RelPath, metadata: &fs::Metadata) -> Result<EntryKind, TreeError> {
        let file_type = metadata.file_type();
        Ok(if file_type.is_symlink() {
            let target = match fs::read_link(self.host_path(path)) {
                Ok(target) => target,
                // A WASI runtime refuses to reveal a target outside the
                // preopened directory (an absolute one): it is an escape,
                // and the core must say so, not "cannot read".
                Err(_) if cfg!(target_os = "wasi") => PathBuf::from(OUTSIDE_THE_SANDBOX),
                Err(error) => return Err(TreeError::new(path, error.to_string())),
            };
            let target = target
                .to_str()
                .ok_or_else(|| TreeError::new(path, "the symlink's target is not valid UTF-8"))?
                .to_owned();
            EntryKind::Symlink { target }
        } else if file_type.is_dir() {
            EntryKind::Dir
        } else if file_type.is_file() {
            EntryKind::File { size: metadata.len(), executable: self.is_executable(path, metadata) }
        } else {
            EntryKind::Other
        })
    }

    fn is_executable(&self, path: &RelPath, metadata: &fs::Metadata) -> bool {
        if let Some(executables) = &self.executables {
            return executables.contains(path.as_str());
        }
        owner_executable(metadata)
    }
}

/// Whether the owner may execute the file (the only mode bit archives keep).
#[cfg(unix)]
pub(crate) fn owner_executable(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o100 != 0
}

#[cfg(not(unix))]
pub(crate) fn owner_executable(_metadata: &fs::Metadata) -> bool {
    false
}

impl ProjectTree for FsTree {
    fn entry(&self, path: &RelPath) -> Result<Option<EntryKind>, TreeError> {
        match fs::symlink_metadata(self.host_path(path)) {
            Ok(metadata) => self.kind(path, &metadata).map(Some),
            Err(error) if matches!(error.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => Ok(None),
            Err(error) => Err(TreeError::new(path, error.to_string())),
        }
    }

    fn read_dir(&self, path: &RelPath) -> Result<Vec<DirEntry>, TreeError> {
        let listing = fs::read_dir(self.host_path(path)).map_err(|error| TreeError::new(path, error.to_string()))?;
        let mut entries = Vec::new();
        for entry in listing {
            let entry = entry.map_err(|error| TreeError::new(path, error.to_string()))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return Err(TreeError::new(
                    path,
                    format!("the file name {:?} is not valid UTF-8; rename it", name.to_string_lossy()),
                ));
            };
            let Some(child) = path.child(name) else { continue };
            let metadata =
                fs::symlink_metadata(entry.path()).map_err(|error| TreeError::new(&child, error.to_string()))?;
            entries.push(DirEntry { name: name.to_owned(), kind: self.kind(&child, &metadata)? });
        }
        Ok(entries)
    }

    fn open(&self, path: &RelPath) -> Result<Box<dyn Read + '_>, TreeError> {
        let file = fs::File::open(self.host_path(path)).map_err(|error| TreeError::new(path, error.to_string()))?;
        Ok(Box::new(file))
    }
}
