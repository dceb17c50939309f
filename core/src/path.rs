//! One path type for everything inside the project.
//!
//! Hosts speak in native paths; the core speaks only in [`RelPath`]: a path
//! relative to the project root, `/`-separated, with no empty, `.` or `..`
//! components. Conversion from host paths happens in the hosts, once; inside
//! the core a `RelPath` can never point outside the project by construction.

use std::fmt;

/// A normalised path relative to the project root (the directory holding
/// `pyproject.toml`). The root itself is the empty path.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RelPath(String);

/// Why a string is not a valid [`RelPath`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelPathError {
    /// The path starts at a root (`/x`, `\x`, `C:x`).
    #[error("`{0}` is an absolute path")]
    Absolute(String),
    /// The path climbs above the project root with `..`.
    #[error("`{0}` points outside the project directory")]
    Escapes(String),
    /// The path contains a NUL byte, which no file system accepts.
    #[error("`{0}` contains a NUL character")]
    Nul(String),
}

impl RelPath {
    /// The project root.
    pub fn root() -> Self {
        RelPath(String::new())
    }

    /// Parses a `/`-separated relative path, normalising it like Python's
    /// `os.path.normpath` (so `a/./b/../c/` becomes `a/c`). Fails if the
    /// path is absolute or climbs above the root.
    pub fn new(path: &str) -> Result<Self, RelPathError> {
        if path.contains('\0') {
            return Err(RelPathError::Nul(path.to_owned()));
        }
        if is_absolute_ish(path) {
            return Err(RelPathError::Absolute(path.to_owned()));
        }
        let mut parts: Vec<&str> = Vec::new();
        for component in path.split('/') {
            match component {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(RelPathError::Escapes(path.to_owned()));
                    }
                }
                other => parts.push(other),
            }
        }
        Ok(RelPath(parts.join("/")))
    }

    /// Builds a path from a single file or directory name.
    ///
    /// Returns `None` if `name` is empty, `.`, `..` or contains `/` or NUL.
    pub fn from_name(name: &str) -> Option<Self> {
        if is_plain_name(name) { Some(RelPath(name.to_owned())) } else { None }
    }

    /// The path as a `/`-separated string (empty for the root).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the project root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends one name. Panics never: an invalid name is reported as `None`.
    pub fn child(&self, name: &str) -> Option<RelPath> {
        if !is_plain_name(name) {
            return None;
        }
        Some(if self.0.is_empty() { RelPath(name.to_owned()) } else { RelPath(format!("{}/{}", self.0, name)) })
    }

    /// Appends another relative path.
    pub fn join(&self, other: &RelPath) -> RelPath {
        match (self.0.is_empty(), other.0.is_empty()) {
            (true, _) => other.clone(),
            (_, true) => self.clone(),
            _ => RelPath(format!("{}/{}", self.0, other.0)),
        }
    }

    /// The containing directory; `None` for the root.
    pub fn parent(&self) -> Option<RelPath> {
        if self.0.is_empty() {
            return None;
        }
        Some(match self.0.rfind('/') {
            Some(index) => RelPath(self.0[..index].to_owned()),
            None => RelPath::root(),
        })
    }

    /// The last component; empty for the root.
    pub fn file_name(&self) -> &str {
        match self.0.rfind('/') {
            Some(index) => &self.0[index + 1..],
            None => &self.0,
        }
    }

    /// The components, outermost first.
    pub fn components(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.0.split('/').filter(|part| !part.is_empty())
    }

    /// True if `self` is `ancestor` or lies below it.
    pub fn starts_with(&self, ancestor: &RelPath) -> bool {
        ancestor.0.is_empty()
            || self.0 == ancestor.0
            || (self.0.starts_with(&ancestor.0) && self.0.as_bytes().get(ancestor.0.len()) == Some(&b'/'))
    }

    /// The part of `self` below `ancestor`, if `self` lies below it.
    pub fn strip_prefix(&self, ancestor: &RelPath) -> Option<RelPath> {
        if ancestor.0.is_empty() {
            return Some(self.clone());
        }
        if self.0 == ancestor.0 {
            return Some(RelPath::root());
        }
        if self.starts_with(ancestor) {
            return Some(RelPath(self.0[ancestor.0.len() + 1..].to_owned()));
        }
        None
    }

    /// The extension of the last component including the dot, lower-cased,
    /// with Python's `PurePath.suffix` rules (`.bashrc` has none).
    pub fn suffix_lowercase(&self) -> String {
        let name = self.file_name();
        match name.rfind('.') {
            Some(0) | None => String::new(),
            Some(index) if index + 1 == name.len() => String::new(),
            Some(index) => name[index..].to_lowercase(),
        }
    }
}

/// True if `path` would be absolute on some platform flit runs on: it starts
/// with `/` or `\`, or with a Windows drive (`C:`). Flit rejects all of these
/// wherever it asks for a relative path.
pub fn is_absolute_ish(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains('/') && !name.contains('\0')
}

impl fmt::Display for RelPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { formatter.write_str(".") } else { formatter.write_str(&self.0) }
    }
}

impl fmt::Debug for RelPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "RelPath({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_normpath() {
        assert_eq!(RelPath::new("a/./b/../c/").unwrap().as_str(), "a/c");
        assert_eq!(RelPath::new("./").unwrap().as_str(), "");
        assert_eq!(RelPath::new("doc/").unwrap().as_str(), "doc");
    }

    #[test]
    fn refuses_escapes_and_absolute_paths() {
        assert!(matches!(RelPath::new("../x"), Err(RelPathError::Escapes(_))));
        assert!(matches!(RelPath::new("a/../../x"), Err(RelPathError::Escapes(_))));
        assert!(matches!(RelPath::new("/etc/passwd"), Err(RelPathError::Absolute(_))));
        assert!(matches!(RelPath::new("\\x"), Err(RelPathError::Absolute(_))));
        assert!(matches!(RelPath::new("C:x"), Err(RelPathError::Absolute(_))));
    }

    #[test]
    fn prefix_relations() {
        let dir = RelPath::new("src/pkg").unwrap();
        assert!(RelPath::new("src/pkg/a.py").unwrap().starts_with(&dir));
        assert!(!RelPath::new("src/pkg2/a.py").unwrap().starts_with(&dir));
        assert_eq!(RelPath::new("src/pkg/sub/a.py").unwrap().strip_prefix(&dir).unwrap().as_str(), "sub/a.py");
    }

    #[test]
    fn suffix_follows_pathlib() {
        assert_eq!(RelPath::new("README.RST").unwrap().suffix_lowercase(), ".rst");
        assert_eq!(RelPath::new(".bashrc").unwrap().suffix_lowercase(), "");
        assert_eq!(RelPath::new("a.tar.gz").unwrap().suffix_lowercase(), ".gz");
    }
}
