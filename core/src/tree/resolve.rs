//! Symlink resolution confined to the project root.
//!
//! Flit 4.2 resolves paths with `os.path.realpath` and refuses anything that
//! lands outside the project directory. This does the same walk component by
//! component over a [`ProjectTree`], so the answer does not depend on the
//! host: an absolute link target, or `..` climbing above the root, is an
//! escape; the core never looks outside.

use super::{EntryKind, ProjectTree, TreeError};
use crate::path::{RelPath, is_absolute_ish};

/// Linux gives up after 40 links (`ELOOP`); so do we.
const MAX_SYMLINKS: usize = 40;

/// Where a path leads once every symlink in it is followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// An entry inside the project; `kind` is never a symlink.
    Found {
        /// The canonical path, free of symlinks.
        path: RelPath,
        /// What is there.
        kind: EntryKind,
    },
    /// Nothing exists there (a component is missing or is not a directory).
    Missing,
    /// The path leads outside the project directory.
    Escapes,
}

/// Follows every symlink in `path`, staying inside the project root.
pub fn resolve(tree: &dyn ProjectTree, path: &RelPath) -> Result<Resolved, TreeError> {
    // Components still to visit, in reverse so the next one is at the end.
    let mut pending: Vec<String> = path.components().rev().map(str::to_owned).collect();
    let mut current = RelPath::root();
    let mut current_kind = EntryKind::Dir;
    let mut links_followed = 0;

    while let Some(component) = pending.pop() {
        if component == "." || component.is_empty() {
            continue;
        }
        if current_kind != EntryKind::Dir {
            return Ok(Resolved::Missing);
        }
        if component == ".." {
            match current.parent() {
                Some(parent) => {
                    current = parent;
                    current_kind = EntryKind::Dir;
                    continue;
                }
                None => return Ok(Resolved::Escapes),
            }
        }
        let Some(candidate) = current.child(&component) else {
            return Ok(Resolved::Missing);
        };
        match tree.entry(&candidate)? {
            None => return Ok(Resolved::Missing),
            Some(EntryKind::Symlink { target }) => {
                links_followed += 1;
                if links_followed > MAX_SYMLINKS {
                    return Err(TreeError::new(path, "too many levels of symbolic links"));
                }
                if is_absolute_ish(&target) {
                    return Ok(Resolved::Escapes);
                }
                pending.extend(target.split(['/', '\\']).rev().map(str::to_owned));
            }
            Some(kind) => {
                current = candidate;
                current_kind = kind;
            }
        }
    }
    Ok(Resolved::Found { path: current, kind: current_kind })
}

/// Describes the entry at `path` like `lstat`: directories on the way are
/// followed through symlinks, the last component is not. Returns the
/// canonical path of the entry too. `Ok(None)` if there is nothing there or
/// the way there leaves the project.
pub fn lstat(tree: &dyn ProjectTree, path: &RelPath) -> Result<Option<(RelPath, EntryKind)>, TreeError> {
    let Some(parent) = path.parent() else {
        return Ok(Some((RelPath::root(), EntryKind::Dir)));
    };
    let Resolved::Found { path: real_parent, kind: EntryKind::Dir } = resolve(tree, &parent)? else {
        return Ok(None);
    };
    let Some(real) = real_parent.child(path.file_name()) else { return Ok(None) };
    Ok(tree.entry(&real)?.map(|kind| (real, kind)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemoryTree;

    fn path(text: &str) -> RelPath {
        RelPath::new(text).unwrap()
    }

    fn sample() -> MemoryTree {
        let mut tree = MemoryTree::new();
        tree.add_file(&path("pkg/__init__.py"), b"".to_vec(), false);
        tree.add_symlink(&path("pkg/alias.py"), "__init__.py");
        tree.add_symlink(&path("link_dir"), "pkg");
        tree.add_symlink(&path("pkg/up"), "../pkg/__init__.py");
        tree.add_symlink(&path("escape_rel"), "../secret");
        tree.add_symlink(&path("escape_abs"), "/etc/passwd");
        tree.add_symlink(&path("loop"), "loop");
        tree.add_symlink(&path("dangling"), "nowhere");
        tree
    }

    #[test]
    fn follows_links_inside_the_root() {
        let tree = sample();
        let found = |p: &str| match resolve(&tree, &path(p)).unwrap() {
            Resolved::Found { path, .. } => path.as_str().to_owned(),
            other => panic!("{other:?}"),
        };
        assert_eq!(found("pkg/alias.py"), "pkg/__init__.py");
        assert_eq!(found("link_dir/alias.py"), "pkg/__init__.py");
        assert_eq!(found("pkg/up"), "pkg/__init__.py");
        assert_eq!(found("link_dir"), "pkg");
    }

    #[test]
    fn reports_escapes_missing_and_loops() {
        let tree = sample();
        assert_eq!(resolve(&tree, &path("escape_rel")).unwrap(), Resolved::Escapes);
        assert_eq!(resolve(&tree, &path("escape_abs")).unwrap(), Resolved::Escapes);
        assert_eq!(resolve(&tree, &path("dangling")).unwrap(), Resolved::Missing);
        assert_eq!(resolve(&tree, &path("pkg/__init__.py/x")).unwrap(), Resolved::Missing);
        assert!(resolve(&tree, &path("loop")).is_err());
    }
}
