//! Source distributions: which files go in, and the `.tar.gz` itself.
//!
//! File selection follows flit 4.2 without `--use-vcs`: the module's files,
//! the external data files and the files the configuration refers to, minus
//! the exclude patterns, plus the include patterns; crucial files must
//! survive. The archive is a POSIX pax tar in a gzip stream, written the way
//! CPython's `tarfile` and `gzip` write it, with `PKG-INFO` last.

use std::collections::BTreeSet;
use std::io::Write;

use unicode_normalization::UnicodeNormalization;

use crate::archive::gzip::GzipWriter;
use crate::archive::normalised_permissions;
use crate::archive::tar::TarWriter;
use crate::config::Config;
use crate::error::BuildError;
use crate::glob::python_glob;
use crate::module::Module;
use crate::options::{BuildOptions, VcsFiles};
use crate::parallel::Parallel;
use crate::path::{RelPath, is_absolute_ish};
use crate::tree::{EntryKind, ProjectTree, TreeError, WalkFilter, lstat, walk_files};

/// The gzip header time flit uses when `SOURCE_DATE_EPOCH` is unset or 0.
const DEFAULT_GZIP_MTIME: u32 = 1_451_606_400;

/// Include or exclude patterns, globbed once when the build starts (as flit
/// does), compared in Unicode NFC form (flit 4.2).
struct FilePatterns {
    files: BTreeSet<String>,
    directories: Vec<String>,
    /// The raw matches, for walking included directories.
    raw_directories: Vec<RelPath>,
    raw_files: Vec<RelPath>,
}

impl FilePatterns {
    fn new(tree: &dyn ProjectTree, patterns: &[String]) -> Result<Self, TreeError> {
        let mut found = FilePatterns {
            files: BTreeSet::new(),
            directories: Vec::new(),
            raw_directories: Vec::new(),
            raw_files: Vec::new(),
        };
        for pattern in patterns {
            for matched in python_glob(tree, pattern)? {
                let key: String = matched.path.as_str().nfc().collect();
                if matched.is_dir {
                    found.directories.push(key);
                    found.raw_directories.push(matched.path);
                } else {
                    found.files.insert(key);
                    found.raw_files.push(matched.path);
                }
            }
        }
        Ok(found)
    }

    fn matches_file(&self, path: &RelPath) -> bool {
        let key: String = path.as_str().nfc().collect();
        self.files.contains(&key) || self.under_directory(&key)
    }

    fn matches_dir(&self, path: &RelPath) -> bool {
        let key: String = path.as_str().nfc().collect();
        self.directories.contains(&key) || self.under_directory(&key)
    }

    /// flit compares `path.startswith(directory + "/")`; a match of the
    /// project directory itself (`.`) therefore contains nothing.
    fn under_directory(&self, key: &str) -> bool {
        self.directories.iter().any(|directory| {
            key.len() > directory.len() + 1
                && key.starts_with(directory.as_str())
                && key.as_bytes()[directory.len()] == b'/'
        })
    }
}

/// The files of the sdist, sorted, relative to the project root.
///
/// Without `vcs`, the candidates are the module's files, the external data
/// files and the files the configuration names. With `vcs` (`--use-vcs`),
/// they are the tracked files, and any untracked or deleted file that the
/// sdist would otherwise consider is an error, as in flit.
pub fn select_files(
    tree: &dyn ProjectTree,
    config: &Config,
    module: &Module,
    vcs: Option<&VcsFiles>,
) -> Result<Vec<RelPath>, BuildError> {
    let extra_files = extra_files(config);
    let excludes = FilePatterns::new(tree, &config.sdist_exclude)?;
    let candidates = match vcs {
        Some(vcs) => {
            let stray: Vec<String> = vcs
                .untracked_or_deleted
                .iter()
                .filter(|path| vcs_candidate(path) && !excludes.matches_file(path))
                .map(ToString::to_string)
                .collect();
            if !stray.is_empty() {
                return Err(BuildError::UntrackedFiles { system: vcs.system.clone(), files: stray });
            }
            vcs.tracked.iter().filter(|path| vcs_candidate(path)).cloned().collect()
        }
        None => {
            let mut candidates = module.files(tree)?;
            if let Some(data_directory) = &config.data_directory {
                candidates.extend(walk_files(tree, data_directory, WalkFilter::DataDir)?);
            }
            candidates.extend(extra_files.iter().cloned());
            candidates
        }
    };

    let includes = FilePatterns::new(tree, &config.sdist_include)?;
    let mut selected: BTreeSet<RelPath> = candidates.into_iter().filter(|file| !excludes.matches_file(file)).collect();
    for file in &includes.raw_files {
        if !excludes.matches_file(file) {
            selected.insert(file.clone());
        }
    }
    let prune = |directory: &RelPath| excludes.matches_dir(directory);
    for directory in &includes.raw_directories {
        for file in walk_files(tree, directory, WalkFilter::Prune(&prune))? {
            if !excludes.matches_file(&file) {
                selected.insert(file);
            }
        }
    }

    let mut crucial = extra_files;
    if !module.is_stub_package() {
        crucial.push(module.file());
    }
    let selected_nfc: BTreeSet<String> = selected.iter().map(|path| path.as_str().nfc().collect()).collect();
    let missing: Vec<String> = crucial
        .iter()
        .filter(|file| !selected_nfc.contains(&file.as_str().nfc().collect::<String>()))
        .map(ToString::to_string)
        .collect();
    if !missing.is_empty() {
        return Err(BuildError::CrucialFilesExcluded { files: missing });
    }
    Ok(selected.into_iter().collect())
}

/// flit's filter on version-controlled paths: nothing under `dist/`, in a
/// `__pycache__` directory below the top level, or ending `.pyc`.
fn vcs_candidate(path: &RelPath) -> bool {
    let text = path.as_str();
    !(text.starts_with("dist/") || text.contains("/__pycache__") || text.ends_with(".pyc"))
}

/// The configuration file and every file it refers to.
fn extra_files(config: &Config) -> Vec<RelPath> {
    let mut files = vec![config.file.clone()];
    files.extend(config.referenced_files.iter().cloned());
    files
}

/// Writes the sdist of `files` to `output`: members under `<dist_name>/`,
/// sorted, then `PKG-INFO`.
pub fn write_sdist<W: Write>(
    tree: &dyn ProjectTree,
    files: &[RelPath],
    dist_name: &str,
    pkg_info: &str,
    options: &BuildOptions,
    output: W,
    parallel: &'static dyn Parallel,
) -> Result<W, BuildError> {
    let epoch = options.effective_epoch();
    // flit: `GzipFile(mtime=(SOURCE_DATE_EPOCH or 1451606400))`, so 0 means
    // the default; epochs past 2106 do not fit the 32-bit field.
    let gzip_mtime = match u32::try_from(epoch) {
        Ok(0) => DEFAULT_GZIP_MTIME,
        Ok(mtime) => mtime,
        Err(_) => return Err(BuildError::EpochOutOfRange { epoch }),
    };
    let gzip = GzipWriter::new(output, &format!("{dist_name}.tar"), gzip_mtime)
        .map_err(|error| BuildError::archive_member(dist_name, error))?
        .with_parallel(parallel);
    let mut tar = TarWriter::new(gzip);
    for file in files {
        let archive_name = format!("{dist_name}/{}", file.as_str());
        let Some((real, kind)) = lstat(tree, file)? else {
            return Err(BuildError::Vanished { path: file.to_string() });
        };
        match kind {
            EntryKind::File { size, executable } => {
                let mut reader = tree.open(&real)?;
                tar.append_file(&archive_name, normalised_permissions(executable), epoch, size, &mut reader)
                    .map_err(|error| BuildError::archive(file, error))?;
            }
            EntryKind::Symlink { target } => {
                if symlink_escapes(file, &target) {
                    return Err(BuildError::SymlinkEscape {
                        path: file.to_string(),
                        target: Some(target),
                        archive: "sdist",
                    });
                }
                // lstat of a link gives 0o777, which flit normalises to 0o755.
                tar.append_symlink(&archive_name, &target, 0o755, epoch)
                    .map_err(|error| BuildError::archive(file, error))?;
            }
            EntryKind::Other | EntryKind::Dir => return Err(BuildError::SpecialFile { path: file.to_string() }),
        }
    }
    // PKG-INFO: tarfile defaults, including mtime 0 whatever the epoch.
    let pkg_info = pkg_info.as_bytes();
    tar.append_file(&format!("{dist_name}/PKG-INFO"), 0o644, 0, pkg_info.len() as u64, &mut &pkg_info[..])
        .map_err(|error| BuildError::archive(&RelPath::from_name("PKG-INFO").unwrap_or_default(), error))?;
    let gzip = tar.finish().map_err(|error| BuildError::archive(&RelPath::root(), error))?;
    gzip.finish().map_err(|error| BuildError::archive(&RelPath::root(), error))
}

/// flit 4.2's rule: a symlink whose target is absolute, or climbs above the
/// archive root from where the link is, would escape on extraction.
pub fn symlink_escapes(link: &RelPath, target: &str) -> bool {
    if is_absolute_ish(target) {
        return true;
    }
    let base = link.parent().unwrap_or_default();
    let joined = if base.is_root() { target.to_owned() } else { format!("{}/{target}", base.as_str()) };
    RelPath::new(&joined.replace('\\', "/")).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlink_escape_rule() {
        let link = RelPath::new("pkg/data/link").unwrap();
        assert!(!symlink_escapes(&link, "../mod.py"));
        assert!(!symlink_escapes(&link, "../../README.md"));
        assert!(symlink_escapes(&link, "../../../secret"));
        assert!(symlink_escapes(&link, "/etc/passwd"));
    }
}
