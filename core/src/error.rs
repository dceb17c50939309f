//! Why a build failed, and how each failure is reported as diagnostics.

use crate::archive::ArchiveError;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::module::ModuleError;
use crate::path::RelPath;
use crate::tree::TreeError;

/// A failed build.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems found in the configuration or the module (all of them).
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The project tree could not be read.
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// The module could not be located.
    #[error(transparent)]
    Module(#[from] ModuleError),
    /// Writing an archive member failed.
    #[error("cannot write `{member}` into the archive: {source}")]
    Archive {
        /// The member or file being written.
        member: String,
        /// The cause.
        source: ArchiveError,
    },
    /// Reading a project file failed midway.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The project-relative path.
        path: String,
        /// The cause.
        message: String,
    },
    /// The host could not create or finish an output file.
    #[error("cannot write `{file}`: {message}")]
    Output {
        /// The output file name.
        file: String,
        /// The cause.
        message: String,
    },
    /// The sdist's exclude patterns removed files the build needs.
    #[error("crucial files were excluded from the sdist: {}", files.join(", "))]
    CrucialFilesExcluded {
        /// The missing files.
        files: Vec<String>,
    },
    /// `--use-vcs` found files version control does not know about.
    #[error("untracked or deleted files in the source directory: {}", files.join(", "))]
    UntrackedFiles {
        /// "git".
        system: String,
        /// The files, relative to the project.
        files: Vec<String>,
    },
    /// A file resolves to a path outside the project.
    #[error("refusing to add `{path}` to the {archive}: {}", match target {
        // An absolute target is not echoed: it names a place outside the
        // project, which a sandboxed build cannot even see.
        Some(target) if crate::path::is_absolute_ish(target) => "the symlink points outside the project directory (its target is an absolute path)".to_owned(),
        Some(target) => format!("the symlink points outside the project directory (target: `{target}`)"),
        None => "it resolves to a path outside the project directory (a symlink escape)".to_owned(),
    })]
    SymlinkEscape {
        /// The project-relative path.
        path: String,
        /// The raw link target, when known.
        target: Option<String>,
        /// "wheel" or "sdist".
        archive: &'static str,
    },
    /// A FIFO, socket or device where a file was expected.
    #[error("`{path}` is not a regular file (a FIFO, socket or device)")]
    SpecialFile {
        /// The project-relative path.
        path: String,
    },
    /// A file listed a moment ago is gone (or a symlink dangles).
    #[error("`{path}` does not exist (a dangling symlink, or it was removed during the build)")]
    Vanished {
        /// The project-relative path.
        path: String,
    },
    /// A file changed size while it was being archived.
    #[error("`{path}` changed while it was being read")]
    FileChanged {
        /// The project-relative path.
        path: String,
    },
    /// `SOURCE_DATE_EPOCH` cannot be stored in the archive formats.
    #[error("SOURCE_DATE_EPOCH={epoch} is too late to be stored in a zip or gzip header")]
    EpochOutOfRange {
        /// The value.
        epoch: u64,
    },
}

impl BuildError {
    /// An archive failure while adding a project file.
    pub fn archive(path: &RelPath, source: ArchiveError) -> Self {
        BuildError::Archive { member: path.to_string(), source }
    }

    /// An archive failure while adding a member.
    pub fn archive_member(member: &str, source: ArchiveError) -> Self {
        BuildError::Archive { member: member.to_owned(), source }
    }

    /// A read failure.
    pub fn read(path: &RelPath, error: &std::io::Error) -> Self {
        BuildError::Read { path: path.to_string(), message: error.to_string() }
    }

    /// The failure as diagnostics: a code, the file concerned, a message and
    /// what to do.
    pub fn into_diagnostics(self) -> Diagnostics {
        let message = self.to_string();
        let diagnostic = match self {
            BuildError::Invalid(diagnostics) => return diagnostics,
            BuildError::Tree(error) => Diagnostic::error("read-failed", error.path.clone(), format!("cannot read the project: {}", error.message))
                .with_help("check the file's permissions"),
            BuildError::Module(ModuleError::NotFound { tried, .. }) => Diagnostic::error("module-not-found", "pyproject.toml", message)
                .with_help(format!(
                    "flit looks for {}; if the import name differs from the project name, set it with [tool.flit.module] name = \"...\"",
                    tried.join(", ")
                )),
            BuildError::Module(ModuleError::Ambiguous { .. }) => Diagnostic::error("module-ambiguous", "pyproject.toml", message)
                .with_help("keep only one of them; flit packages a single module"),
            BuildError::Module(ModuleError::Escapes { path, .. }) => Diagnostic::error("symlink-escape", path, message)
                .with_help("a symlink may not lead out of the project; move the module into the project"),
            BuildError::Module(ModuleError::Tree(error)) => Diagnostic::error("read-failed", error.path.clone(), message),
            BuildError::Archive { member, .. } => Diagnostic::error("write-failed", member, message),
            BuildError::Read { path, .. } => Diagnostic::error("read-failed", path, message),
            BuildError::Output { file, .. } => Diagnostic::error("write-failed", file, message)
                .with_help("check that the output directory is writable and the disk is not full"),
            BuildError::CrucialFilesExcluded { .. } => Diagnostic::error("crucial-file-excluded", "pyproject.toml", message)
                .with_help("narrow [tool.flit.sdist] exclude: the configuration, readme, license files and the module's __init__.py must be in the sdist"),
            BuildError::UntrackedFiles { system, .. } => Diagnostic::error("untracked-files", "pyproject.toml", message)
                .with_help(format!("commit, undo or ignore these files in {system}, or exclude them in [tool.flit.sdist], or build without --use-vcs")),
            BuildError::SymlinkEscape { path, .. } => Diagnostic::error("symlink-escape", path, message)
                .with_help("replace the symlink with a copy of the file, or exclude it"),
            BuildError::SpecialFile { path } => Diagnostic::error("special-file", path, message)
                .with_help("remove it from the package, or exclude it in [tool.flit.sdist]"),
            BuildError::Vanished { path } => Diagnostic::error("file-missing", path, message)
                .with_help("fix or remove the dangling symlink"),
            BuildError::FileChanged { path } => Diagnostic::error("file-changed", path, message)
                .with_help("make sure nothing writes to the project while it is built"),
            BuildError::EpochOutOfRange { .. } => Diagnostic::error("invalid-source-date-epoch", "SOURCE_DATE_EPOCH", message)
                .with_help("set SOURCE_DATE_EPOCH to a time before 2107"),
        };
        Diagnostics(vec![diagnostic])
    }
}

impl From<Diagnostics> for BuildError {
    fn from(diagnostics: Diagnostics) -> Self {
        BuildError::Invalid(diagnostics)
    }
}
