//! Finding the module a project packages, and listing its files.

use crate::path::RelPath;
use crate::tree::{EntryKind, ProjectTree, Resolved, TreeError, WalkFilter, resolve, walk_files};

/// The module or package a project distributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The import name, possibly dotted (`ns.pkg`) or a stub name (`foo-stubs`).
    pub name: String,
    /// The package directory or the `.py` file, relative to the project root.
    pub path: RelPath,
    /// True for a directory, false for a single `.py` file.
    pub is_package: bool,
    /// The directory archive paths are relative to: the root or `src`.
    pub source_dir: RelPath,
}

/// Why no module could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModuleError {
    /// None of the four candidate locations exists.
    #[error("no file or folder found for module `{name}`")]
    NotFound {
        /// The import name looked for.
        name: String,
        /// The locations tried, for the help text.
        tried: Vec<String>,
    },
    /// More than one candidate exists.
    #[error("several files or folders could be module `{name}`: {}", found.join(", "))]
    Ambiguous {
        /// The import name.
        name: String,
        /// The candidates that exist.
        found: Vec<String>,
    },
    /// A candidate is a symlink leading out of the project.
    #[error("module `{name}` at `{path}` points outside the project directory")]
    Escapes {
        /// The import name.
        name: String,
        /// The candidate path.
        path: String,
    },
    /// The tree could not be read.
    #[error(transparent)]
    Tree(#[from] TreeError),
}

impl Module {
    /// `-stubs` packages hold `.pyi` files and need no `__init__.py`.
    pub fn is_stub_package(&self) -> bool {
        self.name.ends_with("-stubs")
    }

    /// The file whose docstring and `__version__` describe the module.
    pub fn file(&self) -> RelPath {
        if self.is_package {
            self.path.child("__init__.py").unwrap_or_else(|| self.path.clone())
        } else {
            self.path.clone()
        }
    }

    /// The files read for `__version__`, lowest precedence first: in a
    /// package, `__version__.py`, `_version.py` and `version.py` when they
    /// exist, then `__init__.py`.
    pub fn version_files(&self, tree: &dyn ProjectTree) -> Result<Vec<RelPath>, TreeError> {
        if !self.is_package {
            return Ok(vec![self.path.clone()]);
        }
        let mut files = Vec::new();
        for name in ["__version__.py", "_version.py", "version.py"] {
            if let Some(candidate) = self.path.child(name)
                && matches!(resolve(tree, &candidate)?, Resolved::Found { kind: EntryKind::File { .. }, .. })
            {
                files.push(candidate);
            }
        }
        files.push(self.file());
        Ok(files)
    }

    /// Every file of the module in flit's order, relative to the project
    /// root: `__pycache__` and `*.pyc` left out, symlinked directories not
    /// entered.
    pub fn files(&self, tree: &dyn ProjectTree) -> Result<Vec<RelPath>, TreeError> {
        if self.is_package { walk_files(tree, &self.path, WalkFilter::Module) } else { Ok(vec![self.path.clone()]) }
    }

    /// The namespace package a dotted module lives in (`a.b.c` → `a.b`).
    pub fn namespace_parent(&self) -> Option<&str> {
        self.name.rsplit_once('.').map(|(parent, _)| parent)
    }
}

/// Finds module `name`: exactly one of `<name>/`, `<name>.py`,
/// `src/<name>/`, `src/<name>.py` must exist (dots in the name are
/// directory levels).
pub fn find_module(tree: &dyn ProjectTree, name: &str) -> Result<Module, ModuleError> {
    let as_path = name.replace('.', "/");
    let candidates = [
        (as_path.clone(), true, ""),
        (format!("{as_path}.py"), false, ""),
        (format!("src/{as_path}"), true, "src"),
        (format!("src/{as_path}.py"), false, "src"),
    ];
    let mut found = Vec::new();
    let mut tried = Vec::new();
    for (candidate, is_package, source_dir) in candidates {
        tried.push(if is_package { format!("{candidate}/") } else { candidate.clone() });
        let Ok(path) = RelPath::new(&candidate) else { continue };
        if path.is_root() {
            continue;
        }
        let exists = match resolve(tree, &path)? {
            Resolved::Found { kind: EntryKind::Dir, .. } => is_package,
            Resolved::Found { kind: EntryKind::File { .. }, .. } => !is_package,
            Resolved::Found { .. } | Resolved::Missing => false,
            Resolved::Escapes => return Err(ModuleError::Escapes { name: name.to_owned(), path: candidate }),
        };
        if exists {
            let source_dir = RelPath::new(source_dir).unwrap_or_default();
            found.push(Module { name: name.to_owned(), path, is_package, source_dir });
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(ModuleError::NotFound { name: name.to_owned(), tried }),
        _ => {
            let mut paths: Vec<String> = found.iter().map(|module| module.path.to_string()).collect();
            paths.sort();
            Err(ModuleError::Ambiguous { name: name.to_owned(), found: paths })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemoryTree;

    fn tree(files: &[&str]) -> MemoryTree {
        let mut tree = MemoryTree::new();
        for file in files {
            tree.add_file(&RelPath::new(file).unwrap(), b"".to_vec(), false);
        }
        tree
    }

    #[test]
    fn finds_each_layout() {
        let module = find_module(&tree(&["pkg/__init__.py"]), "pkg").unwrap();
        assert!(module.is_package);
        assert_eq!(module.file().as_str(), "pkg/__init__.py");
        let module = find_module(&tree(&["src/mod.py"]), "mod").unwrap();
        assert!(!module.is_package);
        assert_eq!(module.source_dir.as_str(), "src");
        let module = find_module(&tree(&["ns/pkg/__init__.py"]), "ns.pkg").unwrap();
        assert_eq!(module.path.as_str(), "ns/pkg");
        assert_eq!(module.namespace_parent(), Some("ns"));
    }

    #[test]
    fn reports_missing_and_ambiguous_modules() {
        assert!(matches!(find_module(&tree(&["other.py"]), "pkg"), Err(ModuleError::NotFound { .. })));
        let error = find_module(&tree(&["mod.py", "src/mod.py"]), "mod").unwrap_err();
        assert!(matches!(error, ModuleError::Ambiguous { ref found, .. } if found == &["mod.py", "src/mod.py"]));
    }

    #[test]
    fn version_files_in_precedence_order() {
        let tree = tree(&["pkg/__init__.py", "pkg/version.py", "pkg/__version__.py"]);
        let module = find_module(&tree, "pkg").unwrap();
        let files: Vec<String> = module.version_files(&tree).unwrap().iter().map(ToString::to_string).collect();
        assert_eq!(files, ["pkg/__version__.py", "pkg/version.py", "pkg/__init__.py"]);
    }
}
