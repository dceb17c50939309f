//! Which files of the project are executable, for `FLIT_EXECUTABLES`.
//!
//! WASI has no permission bits, so the host tells the guest which files have
//! the owner-executable bit (the only mode bit archives keep). The host walks
//! the project for that, and the project is untrusted: the walk never
//! follows a symlink (a link's target is resolved, inside the project, by
//! the guest itself), never recurses (deep trees cost no stack), and stops
//! with an error after a fixed number of entries, so a tree of millions of
//! files costs the host a bounded, small amount of work.

use std::fs;
use std::path::Path;

use crate::host::owner_executable;

/// The most directory entries the walk looks at: a second or two of `lstat`
/// calls, and far more than any project holds outside a build directory.
pub const MAX_ENTRIES: usize = 1_000_000;

/// The walk gave up.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// The project holds more entries than the walk may look at.
    #[error(
        "the project directory holds more than {limit} files and directories; the sandbox reads the \
         executable bits of all of them before building and stops there. Move what is not part of \
         the project (virtual environments, node_modules, build output) out of it, or build without --sandbox"
    )]
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
}

/// The project-relative paths (with `/`) of the regular files under `root`
/// whose owner-executable bit is set, sorted, one per line.
///
/// A directory that cannot be listed is skipped: its files then count as not
/// executable, and the guest, which has the same view, reports the problem
/// if the build needs them. Names that are not UTF-8 or contain a line break
/// cannot be listed one per line and are skipped too (the guest refuses
/// non-UTF-8 names; a line break in a name only costs the executable bit).
pub fn list_executables(root: &Path, limit: usize) -> Result<String, WalkError> {
    let mut executables = Vec::new();
    let mut pending = vec![String::new()];
    let mut seen = 0usize;
    while let Some(relative) = pending.pop() {
        let directory = if relative.is_empty() { root.to_path_buf() } else { root.join(&relative) };
        let Ok(listing) = fs::read_dir(&directory) else { continue };
        for entry in listing {
            seen += 1;
            if seen > limit {
                return Err(WalkError::TooManyEntries { limit });
            }
            let Ok(entry) = entry else { continue };
            let name = entry.file_name();
            let Some(name) = name.to_str().filter(|name| !name.contains(['\n', '\r'])) else { continue };
            let path = if relative.is_empty() { name.to_owned() } else { format!("{relative}/{name}") };
            // `DirEntry::file_type` never follows a symlink.
            let Ok(file_type) = entry.file_type() else { continue };
            if file_type.is_dir() {
                pending.push(path);
            } else if file_type.is_file() && entry.metadata().is_ok_and(|metadata| owner_executable(&metadata)) {
                executables.push(path);
            }
        }
    }
    executables.sort();
    Ok(executables.join("\n"))
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::os::unix::fs::{PermissionsExt, symlink};

    use super::*;

    #[test]
    fn lists_executable_files_without_following_links() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("tool"), "").unwrap();
        fs::set_permissions(outside.path().join("tool"), fs::Permissions::from_mode(0o755)).unwrap();

        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        fs::create_dir_all(root.join("pkg/bin")).unwrap();
        for (name, mode) in [("pkg/bin/run", 0o755), ("pkg/data.txt", 0o644), ("top.sh", 0o700), ("pkg/x\ny", 0o755)] {
            fs::write(root.join(name), "").unwrap();
            fs::set_permissions(root.join(name), fs::Permissions::from_mode(mode)).unwrap();
        }
        symlink(outside.path(), root.join("pkg/outside")).unwrap();
        symlink(outside.path().join("tool"), root.join("pkg/tool")).unwrap();
        assert_eq!(list_executables(root, MAX_ENTRIES).unwrap(), "pkg/bin/run\ntop.sh");
    }

    #[test]
    fn stops_after_the_limit() {
        let root = tempfile::tempdir().unwrap();
        for index in 0..20 {
            fs::create_dir(root.path().join(format!("d{index}"))).unwrap();
        }
        assert!(matches!(list_executables(root.path(), 10), Err(WalkError::TooManyEntries { limit: 10 })));
        assert!(list_executables(root.path(), 20).is_ok());
    }
}
