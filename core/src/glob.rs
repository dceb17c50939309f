//! The two glob dialects flit uses, over a [`ProjectTree`].
//!
//! - [`python_glob`]: `glob.glob(pattern, recursive=True)`, used for
//!   `[tool.flit.sdist]` include and exclude patterns. Wildcards skip names
//!   starting with `.` unless the pattern component starts with `.`; `**` as
//!   a whole component matches any number of directories.
//! - [`pathlib_glob`]: `pathlib.Path.glob(pattern)` as in Python 3.11, used
//!   for `project.license-files`. Wildcards match hidden names too; `**`
//!   must be a whole component.
//!
//! Both match names with `fnmatch` rules (`*`, `?`, `[seq]`, `[!seq]`),
//! case-sensitively as on POSIX. Unlike Python, neither follows symlinks to
//! directories while recursing through `**`: a link cycle cannot make the
//! build loop, and a link out of the project cannot pull files in.

use crate::path::RelPath;
use crate::tree::{EntryKind, ProjectTree, Resolved, TreeError, resolve};

/// One path matched by a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobMatch {
    /// The matched path, relative to the project root (the root itself for
    /// a pattern such as `**` or `.`).
    pub path: RelPath,
    /// Whether it is a directory, following symlinks (like `os.path.isdir`).
    pub is_dir: bool,
}

/// A pattern that is not allowed in this dialect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PatternError(pub String);

/// True if `pattern` contains a wildcard (`*`, `?` or `[`).
pub fn has_magic(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// `glob.glob(pattern, recursive=True)` relative to the project root.
pub fn python_glob(tree: &dyn ProjectTree, pattern: &str) -> Result<Vec<GlobMatch>, TreeError> {
    let components = collapse_double_stars(pattern.split('/').filter(|part| !part.is_empty()).collect());
    // `.` components are kept by glob; they name the directory itself.
    let mut current: Vec<RelPath> = vec![RelPath::root()];
    for (index, component) in components.iter().enumerate() {
        let last = index + 1 == components.len();
        let mut next = Vec::new();
        for directory in &current {
            if *component == "**" {
                // Zero or more directories; at the end, also every file.
                next.push(directory.clone());
                recurse(tree, directory, Recursion::Glob { directories_only: !last }, &mut next)?;
            } else if *component == "." {
                next.push(directory.clone());
            } else if *component == ".." {
                // Patterns are normalised before globbing, so `..` can only
                // lead out of the project: nothing there is ours to match.
                continue;
            } else if has_magic(component) {
                for (name, is_dir) in list(tree, directory)? {
                    if (!last && !is_dir) || (name.starts_with('.') && !component.starts_with('.')) {
                        continue;
                    }
                    if fnmatch(component, &name)
                        && let Some(child) = directory.child(&name)
                    {
                        next.push(child);
                    }
                }
            } else if let Some(child) = directory.child(component)
                && exists(tree, &child, !last)?
            {
                next.push(child);
            }
        }
        // glob repeats a path reached through several `**`; every caller
        // wants the set, and without this `**/a/**/a/...` over nested `a`
        // directories would take combinatorial time.
        dedup_keeping_first(&mut next);
        current = next;
    }
    if components.is_empty() {
        return Ok(Vec::new());
    }
    let mut matches = Vec::new();
    for path in current {
        let is_dir = matches!(resolve(tree, &path)?, Resolved::Found { kind: EntryKind::Dir, .. });
        matches.push(GlobMatch { path, is_dir });
    }
    Ok(matches)
}

/// `pathlib.Path(root).glob(pattern)` relative to the project root, as in
/// Python 3.11. Returns every match (files and directories) in walk order.
pub fn pathlib_glob(tree: &dyn ProjectTree, pattern: &str) -> Result<Result<Vec<GlobMatch>, PatternError>, TreeError> {
    let components =
        collapse_double_stars(pattern.split('/').filter(|part| !part.is_empty() && *part != ".").collect());
    if components.is_empty() {
        return Ok(Err(PatternError(format!("Unacceptable pattern: {pattern:?}"))));
    }
    if let Some(bad) = components.iter().find(|part| part.contains("**") && **part != "**") {
        return Ok(Err(PatternError(format!(
            "Invalid pattern: '**' can only be an entire path component (in `{bad}`)"
        ))));
    }
    let mut current: Vec<RelPath> = vec![RelPath::root()];
    for (index, component) in components.iter().enumerate() {
        let last = index + 1 == components.len();
        let mut next = Vec::new();
        for directory in &current {
            if *component == "**" {
                // pathlib's `**` yields directories only, the start included.
                next.push(directory.clone());
                recurse(tree, directory, Recursion::Pathlib, &mut next)?;
            } else if *component == ".." {
                continue;
            } else if has_magic(component) {
                for (name, is_dir) in list(tree, directory)? {
                    if (!last && !is_dir) || !fnmatch(component, &name) {
                        continue;
                    }
                    if let Some(child) = directory.child(&name) {
                        next.push(child);
                    }
                }
            } else if let Some(child) = directory.child(component)
                && exists(tree, &child, !last)?
            {
                next.push(child);
            }
        }
        // pathlib de-duplicates results reached through several `**` paths.
        dedup_keeping_first(&mut next);
        current = next;
    }
    let mut matches = Vec::new();
    for path in current {
        let is_dir = matches!(resolve(tree, &path)?, Resolved::Found { kind: EntryKind::Dir, .. });
        matches.push(GlobMatch { path, is_dir });
    }
    Ok(Ok(matches))
}

/// Drops repeated paths, keeping the first of each.
fn dedup_keeping_first(paths: &mut Vec<RelPath>) {
    let mut seen = std::collections::HashSet::new();
    paths.retain(|path| seen.insert(path.clone()));
}

/// `**/**` matches exactly what `**` matches, but expanding each `**` in
/// turn multiplies the work by the tree's size each time: a hostile pattern
/// of many `**` would take hours. Consecutive ones are folded into one.
fn collapse_double_stars(mut components: Vec<&str>) -> Vec<&str> {
    components.dedup_by(|next, previous| *next == "**" && *previous == "**");
    components
}

/// The entries of `directory` as (name, is a directory following symlinks),
/// sorted by name. A directory that cannot be listed has no entries, as in
/// Python's glob, which ignores `OSError` while listing.
fn list(tree: &dyn ProjectTree, directory: &RelPath) -> Result<Vec<(String, bool)>, TreeError> {
    let Resolved::Found { path, kind: EntryKind::Dir } = resolve(tree, directory)? else {
        return Ok(Vec::new());
    };
    let Ok(entries) = tree.read_dir(&path) else {
        return Ok(Vec::new());
    };
    let mut listed = Vec::with_capacity(entries.len());
    for entry in entries {
        let is_dir = match entry.kind {
            EntryKind::Dir => true,
            EntryKind::Symlink { .. } => match directory.child(&entry.name) {
                Some(child) => matches!(resolve(tree, &child)?, Resolved::Found { kind: EntryKind::Dir, .. }),
                None => false,
            },
            _ => false,
        };
        listed.push((entry.name, is_dir));
    }
    listed.sort();
    Ok(listed)
}

/// How `**` descends: the two dialects disagree on hidden names and on
/// symlinked directories.
#[derive(Clone, Copy)]
enum Recursion {
    /// `glob.glob`: hidden names are skipped; symlinked directories are
    /// yielded (Python would also enter them; we do not).
    Glob {
        /// True when more components follow, so only directories matter.
        directories_only: bool,
    },
    /// `pathlib` (3.11): directories only, hidden ones included, symlinked
    /// ones neither yielded nor entered.
    Pathlib,
}

/// Adds the paths below `directory` that `**` matches, depth first,
/// without ever entering a symlinked directory.
fn recurse(
    tree: &dyn ProjectTree,
    directory: &RelPath,
    mode: Recursion,
    out: &mut Vec<RelPath>,
) -> Result<(), TreeError> {
    let mut pending = vec![directory.clone()];
    while let Some(current) = pending.pop() {
        let Resolved::Found { path: canonical, kind: EntryKind::Dir } = resolve(tree, &current)? else {
            continue;
        };
        let Ok(mut entries) = tree.read_dir(&canonical) else {
            continue;
        };
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let mut subdirs = Vec::new();
        for entry in entries {
            if matches!(mode, Recursion::Glob { .. }) && entry.name.starts_with('.') {
                continue;
            }
            let Some(child) = current.child(&entry.name) else { continue };
            let is_real_dir = entry.kind == EntryKind::Dir;
            let is_linked_dir = matches!(entry.kind, EntryKind::Symlink { .. })
                && matches!(resolve(tree, &child)?, Resolved::Found { kind: EntryKind::Dir, .. });
            let wanted = match mode {
                Recursion::Glob { directories_only } => is_real_dir || is_linked_dir || !directories_only,
                Recursion::Pathlib => is_real_dir,
            };
            if wanted {
                out.push(child.clone());
            }
            if is_real_dir {
                subdirs.push(child);
            }
        }
        pending.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

/// Whether `path` exists (following symlinks; a dangling link counts, as
/// `os.path.lexists` does), and is a directory when `must_be_dir`.
fn exists(tree: &dyn ProjectTree, path: &RelPath, must_be_dir: bool) -> Result<bool, TreeError> {
    Ok(match resolve(tree, path)? {
        Resolved::Found { kind: EntryKind::Dir, .. } => true,
        Resolved::Found { .. } => !must_be_dir,
        Resolved::Missing | Resolved::Escapes => {
            !must_be_dir && matches!(tree.entry(path), Ok(Some(EntryKind::Symlink { .. })))
        }
    })
}

/// `fnmatch.fnmatchcase(name, pattern)`: `*` matches any run of characters,
/// `?` one character, `[seq]`/`[!seq]` a character in or not in a set with
/// ranges; a `[` without a closing `]` is literal.
pub fn fnmatch(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // Iterative matching with backtracking to the last `*`.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            match pattern[p] {
                '*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                '?' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = match_class(&pattern, p, name[n]) {
                        if matched {
                            p = next;
                            n += 1;
                            continue;
                        }
                    } else if name[n] == '[' {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                literal => {
                    if literal == name[n] {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((star_p, star_n)) => {
                p = star_p + 1;
                n = star_n + 1;
                star = Some((star_p, star_n + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Matches `c` against the class starting at `pattern[start] == '['`.
/// Returns whether it matched and the index after the class, or `None` if
/// the class is not closed (then `[` is a literal).
fn match_class(pattern: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut index = start + 1;
    let negate = pattern.get(index) == Some(&'!');
    if negate {
        index += 1;
    }
    // A `]` right after `[` or `[!` is part of the set.
    let first = index;
    let mut end = index;
    loop {
        match pattern.get(end) {
            None => return None,
            Some(']') if end > first => break,
            Some(_) => end += 1,
        }
    }
    let set = &pattern[first..end];
    let mut matched = false;
    let mut i = 0;
    while i < set.len() {
        if i + 2 < set.len() && set[i + 1] == '-' {
            if set[i] <= c && c <= set[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if set[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    Some((matched != negate, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemoryTree;

    fn path(text: &str) -> RelPath {
        RelPath::new(text).unwrap()
    }

    fn tree() -> MemoryTree {
        let mut tree = MemoryTree::new();
        for file in [
            "LICENSE",
            "LICENSES/MIT.txt",
            ".hidden",
            "doc/index.txt",
            "doc/sub/a.md",
            "doc/.secret.md",
            "top.pyc",
            "pkg/mod.pyc",
            "pkg/__pycache__/x.pyc",
            "Third-Party Notices.md",
        ] {
            tree.add_file(&path(file), b"x".to_vec(), false);
        }
        tree
    }

    fn names(matches: Vec<GlobMatch>) -> Vec<String> {
        matches.into_iter().map(|m| m.path.to_string()).collect()
    }

    #[test]
    fn consecutive_double_stars_fold() {
        let tree = tree();
        assert_eq!(names(python_glob(&tree, "**/**/**/*.md").unwrap()), names(python_glob(&tree, "**/*.md").unwrap()));
        assert_eq!(collapse_double_stars(vec!["a", "**", "**", "b", "**"]), ["a", "**", "b", "**"]);
    }

    #[test]
    fn alternating_double_stars_over_deep_nesting_stay_polynomial() {
        // 30 nested `a` directories: without de-duplication between
        // components, `**/a/` twelve times expands C(30, 12) paths.
        let mut tree = MemoryTree::new();
        tree.add_file(&path(&format!("{}f.txt", "a/".repeat(30))), b"x".to_vec(), false);
        let pattern = format!("{}*", "**/a/".repeat(12));
        let found = python_glob(&tree, &pattern).unwrap();
        assert!(found.iter().any(|matched| matched.path.as_str().ends_with("f.txt")));
        let paths: std::collections::HashSet<_> = found.iter().map(|matched| matched.path.clone()).collect();
        assert_eq!(paths.len(), found.len());
        assert!(pathlib_glob(&tree, &pattern).unwrap().unwrap().len() >= found.len());
    }

    #[test]
    fn fnmatch_rules() {
        assert!(fnmatch("LICEN[CS]E*", "LICENSE"));
        assert!(fnmatch("LICEN[CS]E*", "LICENCE.txt"));
        assert!(!fnmatch("LICEN[CS]E*", "LICENZE"));
        assert!(fnmatch("*.py[!c]", "a.pyi"));
        assert!(!fnmatch("*.py[!c]", "a.pyc"));
        assert!(fnmatch("[]]", "]"));
        assert!(fnmatch("a[", "a["));
        assert!(fnmatch("*", ".hidden"));
        assert!(fnmatch("**.pyc", "top.pyc"));
        assert!(fnmatch("[a-c]?", "bz"));
    }

    #[test]
    fn python_glob_skips_hidden_and_recurses() {
        let tree = tree();
        assert!(!names(python_glob(&tree, "*").unwrap()).contains(&".hidden".to_owned()));
        assert_eq!(names(python_glob(&tree, "doc/**/*.md").unwrap()), ["doc/sub/a.md"]);
        assert_eq!(names(python_glob(&tree, "**.pyc").unwrap()), ["top.pyc"]);
        assert_eq!(names(python_glob(&tree, "**/__pycache__").unwrap()), ["pkg/__pycache__"]);
        assert_eq!(names(python_glob(&tree, ".hidden").unwrap()), [".hidden"]);
        assert_eq!(names(python_glob(&tree, "doc/.*").unwrap()), ["doc/.secret.md"]);
        let doc = python_glob(&tree, "doc").unwrap();
        assert!(doc[0].is_dir);
    }

    #[test]
    fn pathlib_glob_matches_hidden_and_requires_whole_double_star() {
        let tree = tree();
        let all = names(pathlib_glob(&tree, "**/LICENSE*").unwrap().unwrap());
        assert_eq!(all, ["LICENSE", "LICENSES"]);
        assert!(pathlib_glob(&tree, "**LICENSE").unwrap().is_err());
        let spaced = names(pathlib_glob(&tree, "Third-Party Notices.md").unwrap().unwrap());
        assert_eq!(spaced, ["Third-Party Notices.md"]);
        assert_eq!(names(pathlib_glob(&tree, "*hidden").unwrap().unwrap()), [".hidden"]);
    }
}
