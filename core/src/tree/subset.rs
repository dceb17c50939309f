//! A view of a project restricted to a list of files: the tree a wheel is
//! built from when `flit build` builds it "from the sdist".
//!
//! flit extracts the sdist it just wrote and builds the wheel from that
//! directory, so files the sdist left out are absent from the wheel too.
//! This view gives the same result without writing anything: it shows the
//! selected files (symlinks kept as symlinks, as tar keeps them) and the
//! directories that contain them, and nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use super::{DirEntry, EntryKind, ProjectTree, TreeError, lstat};
use crate::path::RelPath;

/// `inner` restricted to `files` (paths as listed in the sdist).
pub struct SubsetTree<'a> {
    inner: &'a dyn ProjectTree,
    /// Each selected file, and where it really is in `inner`.
    files: BTreeMap<RelPath, (RelPath, EntryKind)>,
    /// Every directory holding a selected file, with its children's names.
    directories: BTreeMap<RelPath, BTreeSet<String>>,
}

impl<'a> SubsetTree<'a> {
    /// The view of `inner` showing only `files`. Files that do not exist in
    /// `inner` (or lie beyond a symlink out of it) are left out.
    pub fn new(inner: &'a dyn ProjectTree, files: &[RelPath]) -> Result<Self, TreeError> {
        let mut view = SubsetTree { inner, files: BTreeMap::new(), directories: BTreeMap::new() };
        view.directories.insert(RelPath::root(), BTreeSet::new());
        for file in files {
            let Some((real, kind)) = lstat(inner, file)? else { continue };
            let mut child = file.clone();
            while let Some(parent) = child.parent() {
                view.directories.entry(parent.clone()).or_default().insert(child.file_name().to_owned());
                child = parent;
            }
            view.files.insert(file.clone(), (real, kind));
        }
        Ok(view)
    }
}

impl ProjectTree for SubsetTree<'_> {
    fn entry(&self, path: &RelPath) -> Result<Option<EntryKind>, TreeError> {
        if let Some((_, kind)) = self.files.get(path) {
            return Ok(Some(kind.clone()));
        }
        Ok(self.directories.contains_key(path).then_some(EntryKind::Dir))
    }

    fn read_dir(&self, path: &RelPath) -> Result<Vec<DirEntry>, TreeError> {
        let Some(children) = self.directories.get(path) else {
            return Err(TreeError::new(path, "no such directory"));
        };
        let mut entries = Vec::with_capacity(children.len());
        for name in children {
            let Some(child) = path.child(name) else { continue };
            if let Some(kind) = self.entry(&child)? {
                entries.push(DirEntry { name: name.clone(), kind });
            }
        }
        Ok(entries)
    }

    fn open(&self, path: &RelPath) -> Result<Box<dyn Read + '_>, TreeError> {
        match self.files.get(path) {
            Some((real, EntryKind::File { .. })) => self.inner.open(real),
            _ => Err(TreeError::new(path, "not a regular file in the sdist")),
        }
    }
}
