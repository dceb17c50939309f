//! `--use-vcs`: the files git tracks, for the sdist.
//!
//! flit looks for a `.git` entry (a directory, or a file for worktrees and
//! submodules) in the project directory and its ancestors; the first found
//! decides. The core is given the tracked files and the untracked or
//! deleted ones, relative to the project directory, and decides the rest.

use std::path::Path;
use std::process::{Command, Stdio};

use flit_core::options::VcsFiles;
use flit_core::path::RelPath;

/// The version control system of the project, if it is in one flit knows.
fn detect(project_dir: &Path) -> Result<Option<&'static str>, String> {
    let resolved = project_dir
        .canonicalize()
        .map_err(|error| format!("cannot resolve the project directory {}: {error}", project_dir.display()))?;
    for directory in resolved.ancestors() {
        if directory.join(".git").exists() {
            return Ok(Some("git"));
        }
        if directory.join(".hg").is_dir() {
            return Ok(Some("hg"));
        }
    }
    Ok(None)
}

/// The tracked and untracked-or-deleted files of the project's repository,
/// or `None` when the project is not in one (flit then selects files from
/// the configuration, silently).
pub fn vcs_files(project_dir: &Path) -> Result<Option<VcsFiles>, String> {
    match detect(project_dir)? {
        None => Ok(None),
        Some("git") => {
            let untracked = git(project_dir, &["ls-files", "--deleted", "--others", "--exclude-standard", "-z"])?;
            let tracked = git(project_dir, &["ls-files", "--recurse-submodules", "-z"])?;
            Ok(Some(VcsFiles { system: "git".to_owned(), tracked, untracked_or_deleted: untracked }))
        }
        Some(other) => Err(format!(
            "--use-vcs found a {other} repository; only git is supported (build without --use-vcs and list the files in [tool.flit.sdist])"
        )),
    }
}

/// Runs `git <args>` in `project_dir` and parses its NUL-separated paths.
fn git(project_dir: &Path, args: &[&str]) -> Result<Vec<RelPath>, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(project_dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run git for --use-vcs: {error}"))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        return Err(format!("`git {}` failed: {}", args.join(" "), message.trim()));
    }
    let mut paths = Vec::new();
    for raw in output.stdout.split(|byte| *byte == 0).filter(|raw| !raw.is_empty()) {
        let text = std::str::from_utf8(raw)
            .map_err(|_| format!("git listed a file name that is not UTF-8: {:?}", String::from_utf8_lossy(raw)))?;
        let path = RelPath::new(text)
            .map_err(|error| format!("git listed `{text}`, which is not inside the project: {error}"))?;
        paths.push(path);
    }
    Ok(paths)
}
