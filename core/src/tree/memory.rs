//! An in-memory project tree: the browser, the tests and the fuzzers use it.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

use super::{DirEntry, EntryKind, ProjectTree, TreeError};
use crate::path::RelPath;

#[derive(Debug, Clone)]
enum Node {
    File { bytes: Arc<[u8]>, executable: bool },
    Dir,
    Symlink { target: String },
    Other,
}

impl Node {
    fn kind(&self) -> EntryKind {
        match self {
            Node::File { bytes, executable } => EntryKind::File { size: bytes.len() as u64, executable: *executable },
            Node::Dir => EntryKind::Dir,
            Node::Symlink { target } => EntryKind::Symlink { target: target.clone() },
            Node::Other => EntryKind::Other,
        }
    }
}

/// A project held in memory. Parent directories are created implicitly.
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    /// Keyed by the path string, so a directory's descendants are the
    /// contiguous range of keys starting with `dir/`.
    nodes: BTreeMap<String, Node>,
}

impl MemoryTree {
    /// An empty project.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a regular file.
    pub fn add_file(&mut self, path: &RelPath, bytes: impl Into<Arc<[u8]>>, executable: bool) {
        self.add_parents(path);
        self.nodes.insert(path.as_str().to_owned(), Node::File { bytes: bytes.into(), executable });
    }

    /// Adds an empty directory.
    pub fn add_dir(&mut self, path: &RelPath) {
        self.add_parents(path);
        if !path.is_root() {
            self.nodes.insert(path.as_str().to_owned(), Node::Dir);
        }
    }

    /// Adds a symbolic link with a raw target.
    pub fn add_symlink(&mut self, path: &RelPath, target: &str) {
        self.add_parents(path);
        self.nodes.insert(path.as_str().to_owned(), Node::Symlink { target: target.to_owned() });
    }

    /// Adds a special file (FIFO, socket, device): listed, never readable.
    pub fn add_other(&mut self, path: &RelPath) {
        self.add_parents(path);
        self.nodes.insert(path.as_str().to_owned(), Node::Other);
    }

    /// Number of entries, directories included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True if the project holds nothing.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    fn add_parents(&mut self, path: &RelPath) {
        let mut parent = path.parent();
        while let Some(dir) = parent {
            if dir.is_root() {
                break;
            }
            self.nodes.insert(dir.as_str().to_owned(), Node::Dir);
            parent = dir.parent();
        }
    }
}

impl ProjectTree for MemoryTree {
    fn entry(&self, path: &RelPath) -> Result<Option<EntryKind>, TreeError> {
        if path.is_root() {
            return Ok(Some(EntryKind::Dir));
        }
        Ok(self.nodes.get(path.as_str()).map(Node::kind))
    }

    fn read_dir(&self, path: &RelPath) -> Result<Vec<DirEntry>, TreeError> {
        match self.entry(path)? {
            Some(EntryKind::Dir) => {}
            Some(_) => return Err(TreeError::new(path, "not a directory")),
            None => return Err(TreeError::new(path, "no such directory")),
        }
        let prefix = if path.is_root() { String::new() } else { format!("{}/", path.as_str()) };
        let mut entries = Vec::new();
        for (key, node) in self.nodes.range(prefix.clone()..) {
            let Some(rest) = key.strip_prefix(&prefix) else {
                break;
            };
            if rest.contains('/') {
                continue;
            }
            let kind = match node {
                Node::File { bytes, executable } => {
                    EntryKind::File { size: bytes.len() as u64, executable: *executable }
                }
                Node::Dir => EntryKind::Dir,
                Node::Symlink { target } => EntryKind::Symlink { target: target.clone() },
                Node::Other => EntryKind::Other,
            };
            entries.push(DirEntry { name: rest.to_owned(), kind });
        }
        Ok(entries)
    }

    fn open(&self, path: &RelPath) -> Result<Box<dyn Read + '_>, TreeError> {
        match self.nodes.get(path.as_str()) {
            Some(Node::File { bytes, .. }) => Ok(Box::new(&bytes[..])),
            Some(_) => Err(TreeError::new(path, "not a regular file")),
            None => Err(TreeError::new(path, "no such file")),
        }
    }
}
