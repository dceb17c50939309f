//! Walking a directory in the order flit's `os.walk` loops produce.
//!
//! Top-down and depth first: in each directory its files sorted by name,
//! then its subdirectories sorted by name, each walked in turn. Symlinks to
//! directories are listed but never descended (as `os.walk` does without
//! `followlinks`); other symlinks are reported as files for the caller to
//! resolve, so an escaping link is refused where it is used, never skipped.

use super::{EntryKind, ProjectTree, Resolved, TreeError, resolve};
use crate::path::RelPath;

/// Which entries a walk leaves out.
#[derive(Clone, Copy)]
pub enum WalkFilter<'a> {
    /// A module or package: `__pycache__` and `*.pyc` entries are skipped
    /// (flit applies the rule to files and directories alike).
    Module,
    /// An external data directory: only `__pycache__` directories are skipped.
    DataDir,
    /// Everything is kept except directories for which `prune` returns true
    /// (used for sdist include directories, pruned by the exclude patterns).
    Prune(&'a dyn Fn(&RelPath) -> bool),
}

impl WalkFilter<'_> {
    fn keeps_file(&self, name: &str) -> bool {
        match self {
            WalkFilter::Module => name != "__pycache__" && !name.ends_with(".pyc"),
            WalkFilter::DataDir | WalkFilter::Prune(_) => true,
        }
    }

    fn descends(&self, path: &RelPath) -> bool {
        let name = path.file_name();
        match self {
            WalkFilter::Module => name != "__pycache__" && !name.ends_with(".pyc"),
            WalkFilter::DataDir => name != "__pycache__",
            WalkFilter::Prune(prune) => !prune(path),
        }
    }
}

/// Lists the files under the directory `top`, in flit's order.
///
/// Paths are logical: they start with `top` as given, even if `top` or a
/// directory on the way is reached through a symlink. Entries that are not
/// directories (files, symlinks to files, dangling or escaping symlinks,
/// special files) are all returned; the caller decides what to do with each.
pub fn walk_files(tree: &dyn ProjectTree, top: &RelPath, filter: WalkFilter<'_>) -> Result<Vec<RelPath>, TreeError> {
    let mut files = Vec::new();
    // Directories still to walk, as (logical path, canonical path); the next
    // one is at the end, so subdirectories are pushed in reverse order.
    let mut pending = Vec::new();
    match resolve(tree, top)? {
        Resolved::Found { path, kind: EntryKind::Dir } => pending.push((top.clone(), path)),
        _ => return Ok(files),
    }
    while let Some((logical, canonical)) = pending.pop() {
        let mut entries = tree.read_dir(&canonical)?;
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let mut subdirs = Vec::new();
        for entry in entries {
            let (Some(logical_child), Some(canonical_child)) =
                (logical.child(&entry.name), canonical.child(&entry.name))
            else {
                continue;
            };
            let is_dir = match &entry.kind {
                EntryKind::Dir => true,
                EntryKind::Symlink { .. } => {
                    if matches!(resolve(tree, &canonical_child)?, Resolved::Found { kind: EntryKind::Dir, .. }) {
                        // A symlink to a directory: listed by os.walk, never entered.
                        continue;
                    }
                    false
                }
                EntryKind::File { .. } | EntryKind::Other => false,
            };
            if is_dir {
                if filter.descends(&logical_child) {
                    subdirs.push((logical_child, canonical_child));
                }
            } else if filter.keeps_file(&entry.name) {
                files.push(logical_child);
            }
        }
        pending.extend(subdirs.into_iter().rev());
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemoryTree;

    fn path(text: &str) -> RelPath {
        RelPath::new(text).unwrap()
    }

    #[test]
    fn files_before_subdirectories_each_sorted() {
        let mut tree = MemoryTree::new();
        for name in ["pkg/z.py", "pkg/a.py", "pkg/sub/b.py", "pkg/aa/c.py", "pkg/__pycache__/x.pyc", "pkg/m.pyc"] {
            tree.add_file(&path(name), b"".to_vec(), false);
        }
        tree.add_symlink(&path("pkg/linked"), "sub");
        tree.add_symlink(&path("pkg/b_link.py"), "a.py");
        let files = walk_files(&tree, &path("pkg"), WalkFilter::Module).unwrap();
        let names: Vec<_> = files.iter().map(RelPath::as_str).collect();
        assert_eq!(names, ["pkg/a.py", "pkg/b_link.py", "pkg/z.py", "pkg/aa/c.py", "pkg/sub/b.py"]);
    }

    #[test]
    fn data_dirs_keep_pyc_files_but_not_pycache() {
        let mut tree = MemoryTree::new();
        for name in ["data/x.pyc", "data/__pycache__/y.pyc", "data/share/z"] {
            tree.add_file(&path(name), b"".to_vec(), false);
        }
        let files = walk_files(&tree, &path("data"), WalkFilter::DataDir).unwrap();
        let names: Vec<_> = files.iter().map(RelPath::as_str).collect();
        assert_eq!(names, ["data/x.pyc", "data/share/z"]);
    }
}
