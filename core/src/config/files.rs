//! Configuration fields that name files in the project: the readme, the
//! license file and the license-files globs. Every path is checked to stay
//! inside the project, through symlinks too (flit 4.2's containment rule).

use std::collections::BTreeSet;

use toml::de::{DeTable, DeValue};

use super::document::{Document, cli_diagnostic, key_span, span_of};
use super::{MAX_TEXT_FILE_BYTES, Readme, normalise_newlines};
use crate::diagnostic::Span;
use crate::glob::pathlib_glob;
use crate::options::BuildOptions;
use crate::path::{RelPath, RelPathError, is_absolute_ish};
use crate::tree::{EntryKind, ProjectTree, Resolved, read_to_vec, resolve};

/// What the file-backed fields need from the outside.
pub(crate) struct FileContext<'a> {
    /// The project, or `None` when only the configuration's text is known
    /// (the browser's editor): then files are not looked up, and only what
    /// the text itself shows is checked.
    pub tree: Option<&'a dyn ProjectTree>,
    /// Environment values.
    pub options: &'a BuildOptions,
}

/// flit's globs for license files when `license-files` is absent.
const DEFAULT_LICENSE_GLOBS: &[&str] = &["COPYING*", "LICEN[CS]E*", "NOTICE*", "AUTHORS*"];

/// The readme content types flit knows, by file extension.
const README_TYPES: &[(&str, &str)] = &[(".rst", "text/x-rst"), (".md", "text/markdown"), (".txt", "text/plain")];

/// Reads `project.readme` (a path or a table).
pub(super) fn readme<'text>(
    document: &mut Document<'text>,
    project: &DeTable<'text>,
    context: &FileContext<'_>,
) -> Option<Readme> {
    let value = project.get("readme")?;
    match value.get_ref() {
        DeValue::String(path) => {
            let (file, text) = read_readme_file(document, context, path, span_of(value), "project.readme")?;
            let extension = file.suffix_lowercase();
            let content_type =
                README_TYPES.iter().find(|(ext, _)| *ext == extension).map(|(_, kind)| (*kind).to_owned());
            if content_type.is_none() {
                let shown =
                    if extension.is_empty() { "no extension".to_owned() } else { format!("extension `{extension}`") };
                document
                    .warning_at(
                        "readme-extension",
                        span_of(value),
                        format!("the readme has {shown}, so its content type is unknown"),
                    )
                    .with_help_text(
                        "name the readme *.md, *.rst or *.txt, or use a table with `file` and `content-type`",
                    );
            }
            Some(Readme { text, content_type, file: Some(file) })
        }
        DeValue::Table(table) => {
            document.unknown_keys(table, &["file", "text", "content-type"], "project.readme");
            let content_type = readme_content_type(document, table, span_of(value));
            let file = document.string(table, "file", "project.readme.file");
            let text = document.string(table, "text", "project.readme.text");
            match (file, text) {
                (Some(_), Some(_)) => {
                    let span = key_span(table, "text").unwrap_or(span_of(value));
                    document
                        .error_at("conflicting-fields", span, "`project.readme` gives both `file` and `text`")
                        .with_help_text("keep one of `file` and `text`");
                    None
                }
                (Some(file), None) => {
                    let (path, text) =
                        read_readme_file(document, context, file.get_ref(), span_of(&file), "project.readme.file")?;
                    Some(Readme { text, content_type: content_type?, file: Some(path) })
                }
                (None, Some(text)) => {
                    Some(Readme { text: text.get_ref().to_string(), content_type: content_type?, file: None })
                }
                (None, None) => {
                    if !table.contains_key("file") && !table.contains_key("text") {
                        document
                            .error_at("missing-field", span_of(value), "`project.readme` needs `file` or `text`")
                            .with_help_text("add `file = \"README.md\"` or `text = \"...\"`");
                    }
                    None
                }
            }
        }
        _ => {
            document.wrong_type("project.readme", value, "a path string or a table");
            None
        }
    }
}

/// The `content-type` of a readme table: required, and one of flit's three.
/// `Some(Some(type))` when valid.
fn readme_content_type<'text>(
    document: &mut Document<'text>,
    table: &DeTable<'text>,
    table_span: Span,
) -> Option<Option<String>> {
    let Some(content_type) = document.string(table, "content-type", "project.readme.content-type") else {
        if !table.contains_key("content-type") {
            document
                .error_at("missing-field", table_span, "`project.readme.content-type` is required in a readme table")
                .with_help_text("add `content-type = \"text/markdown\"` (or text/x-rst, text/plain)");
        }
        return None;
    };
    let base = content_type.get_ref().split(';').next().unwrap_or_default().trim();
    if !README_TYPES.iter().any(|(_, kind)| *kind == base) {
        document
            .error_at(
                "readme-content-type",
                span_of(&content_type),
                format!("unrecognised readme content type `{base}`"),
            )
            .with_help_text("use text/markdown, text/x-rst or text/plain");
        return None;
    }
    Some(Some(content_type.get_ref().to_string()))
}

/// Checks a reStructuredText readme the way the index renders it: every
/// problem that would make it fall back to plain text (flit's CLI refuses to
/// build then). A problem in a readme file points at its line there; one in
/// `project.readme.text` points at that string. Like the CLI's other extra
/// checks, these are warnings under `FLIT_ALLOW_INVALID`.
pub(super) fn check_readme_markup(
    document: &mut Document<'_>,
    project: &DeTable<'_>,
    readme: &Readme,
    allow_invalid: bool,
) {
    let is_rst =
        readme.content_type.as_deref().and_then(|kind| kind.split(';').next()).map(str::trim) == Some("text/x-rst");
    if !is_rst {
        return;
    }
    for problem in crate::rst::check_rst(&readme.text) {
        // docutils' messages may span lines ("Malformed table.\nNo bottom
        // table border found."); one line reads better in a headline.
        let what = problem.message.split('\n').map(str::trim).filter(|part| !part.is_empty()).collect::<Vec<_>>();
        let what = what.join(" ");
        let (file, text, span, message) = match &readme.file {
            Some(file) => (
                file.to_string(),
                readme.text.as_str(),
                line_span(&readme.text, problem.line),
                format!("the readme would not render on the index: {what}"),
            ),
            None => {
                let span = match project.get("readme") {
                    Some(value) => match value.get_ref() {
                        DeValue::Table(table) => table.get("text").map_or(span_of(value), span_of),
                        _ => span_of(value),
                    },
                    None => Span::new(0..0),
                };
                (
                    document.file.clone(),
                    document.text,
                    span,
                    format!("line {} of `project.readme.text` would not render on the index: {what}", problem.line),
                )
            }
        };
        let help = "fix the reStructuredText (the index runs docutils and shows the readme as plain \
                    text after any warning), or write the readme in Markdown";
        document.push(cli_diagnostic(allow_invalid, "readme-rst", file, message).at(text, span).with_help(help));
    }
}

/// The span of the 1-based line `number` of `text` (without its newline);
/// the last line when `text` has fewer lines (docutils also breaks lines at
/// a few characters other than `\n`).
fn line_span(text: &str, number: usize) -> Span {
    let mut start = 0;
    for _ in 1..number {
        match text[start..].find('\n') {
            Some(offset) if start + offset + 1 < text.len() => start += offset + 1,
            _ => break,
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |offset| start + offset);
    Span::new(start..end)
}

/// Reads a readme file named by `raw` (as written in the configuration).
fn read_readme_file(
    document: &mut Document<'_>,
    context: &FileContext<'_>,
    raw: &str,
    span: Span,
    key: &str,
) -> Option<(RelPath, String)> {
    let path = match relative_path(raw) {
        Ok(path) => path,
        Err(problem) => {
            document
                .error_at("readme-path", span, format!("`{key}` {problem}"))
                .with_help_text("give the readme's path relative to the directory of pyproject.toml");
            return None;
        }
    };
    let Some(tree) = context.tree else {
        return Some((path, String::new()));
    };
    let resolved = match resolve(tree, &path) {
        Ok(resolved) => resolved,
        Err(error) => {
            document.error_at("readme-not-found", span, format!("cannot read the readme `{raw}`: {}", error.message));
            return None;
        }
    };
    let real = match resolved {
        Resolved::Found { path: real, kind: EntryKind::File { .. } } => real,
        Resolved::Escapes => {
            document
                .error_at("readme-path", span, format!("the readme `{raw}` points outside the project directory"))
                .with_help_text("a symlink may not lead out of the project; copy the file into the project instead");
            return None;
        }
        Resolved::Found { kind: EntryKind::Dir, .. } => {
            document.error_at("readme-not-found", span, format!("the readme `{raw}` is a directory, not a file"));
            return None;
        }
        Resolved::Found { .. } => {
            document.error_at("special-file", span, format!("the readme `{raw}` is not a regular file"));
            return None;
        }
        Resolved::Missing => {
            document.error_at("readme-not-found", span, format!("the readme `{raw}` does not exist")).with_help_text(
                "create the file, or correct the path (it is relative to the directory of pyproject.toml)",
            );
            return None;
        }
    };
    let bytes = match read_to_vec(tree, &real, MAX_TEXT_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(error) => {
            document.error_at("readme-not-found", span, format!("cannot read the readme `{raw}`: {}", error.message));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some((path, normalise_newlines(text))),
        Err(error) => {
            document
                .error_at(
                    "readme-encoding",
                    span,
                    format!(
                        "the readme `{raw}` is not valid UTF-8 (invalid byte at offset {})",
                        error.utf8_error().valid_up_to()
                    ),
                )
                .with_help_text("save the readme as UTF-8");
            None
        }
    }
}

/// A configured relative path, normalised; the problem as a phrase if it is
/// absolute or climbs out of the project.
fn relative_path(raw: &str) -> Result<RelPath, &'static str> {
    if is_absolute_ish(raw) {
        return Err("must be a relative path");
    }
    match RelPath::new(&raw.replace('\\', "/")) {
        Ok(path) if !path.is_root() => Ok(path),
        Ok(_) => Err("must name a file, not the project directory"),
        Err(RelPathError::Escapes(_)) => Err("points outside the project directory"),
        Err(_) => Err("is not a valid path"),
    }
}

/// The license files: `license-files` globs, or flit's default globs plus a
/// `license = {file = ...}` file. Sorted, de-duplicated.
pub(super) fn license_files<'text>(
    document: &mut Document<'text>,
    project: &DeTable<'text>,
    context: &FileContext<'_>,
) -> Vec<RelPath> {
    let mut files = BTreeSet::new();
    let license_table = match project.get("license").map(|value| (value, value.get_ref())) {
        Some((value, DeValue::Table(table))) => Some((value, table)),
        _ => None,
    };
    if let Some((value, table)) = license_table {
        document.unknown_keys(table, &["file", "text"], "project.license");
        let file = document.string(table, "file", "project.license.file");
        let text = document.string(table, "text", "project.license.text");
        match (file, text) {
            (Some(_), Some(_)) => {
                let span = key_span(table, "text").unwrap_or(span_of(value));
                document
                    .error_at("conflicting-fields", span, "`project.license` gives both `file` and `text`")
                    .with_help_text(
                        "keep one; better, use an SPDX expression: `license = \"MIT\"` and `license-files`",
                    );
            }
            (Some(file), None) => {
                if let Some(path) = license_table_file(document, context, file.get_ref(), span_of(&file)) {
                    files.insert(path);
                }
            }
            (None, Some(_)) => {}
            (None, None) => {
                if !table.contains_key("file") && !table.contains_key("text") {
                    document
                        .error_at("missing-field", span_of(value), "`project.license` needs `file` or `text`")
                        .with_help_text("better, use an SPDX expression: `license = \"MIT\"`");
                }
            }
        }
    }

    match project.get("license-files") {
        Some(value) => {
            let DeValue::Array(items) = value.get_ref() else {
                document.wrong_type("project.license-files", value, "an array of glob patterns");
                return files.into_iter().collect();
            };
            if license_table.is_some()
                && let Some(span) = key_span(project, "license-files")
            {
                document
                    .error_at("conflicting-fields", span, "`project.license-files` cannot be used with a license table")
                    .with_help_text("use `license = \"<SPDX expression>\"` together with `license-files`");
            }
            // An explicit list replaces the defaults and the table file.
            files.clear();
            for pattern in document.strings_in(items, "project.license-files") {
                files.extend(glob_license_files(document, context, pattern.get_ref(), Some(span_of(&pattern))));
            }
        }
        None => {
            for pattern in DEFAULT_LICENSE_GLOBS {
                files.extend(glob_license_files(document, context, pattern, None));
            }
        }
    }
    files.into_iter().collect()
}

/// `license = {file = "..."}`: must be a relative path to an existing file
/// inside the project.
fn license_table_file<'text>(
    document: &mut Document<'text>,
    context: &FileContext<'_>,
    raw: &str,
    span: Span,
) -> Option<RelPath> {
    let path = match relative_path(raw) {
        Ok(path) => path,
        Err(problem) => {
            document
                .error_at("license-path", span, format!("`project.license.file` {problem}"))
                .with_help_text("give the license file's path relative to the directory of pyproject.toml");
            return None;
        }
    };
    let Some(tree) = context.tree else { return Some(path) };
    match resolve(tree, &path) {
        Ok(Resolved::Found { kind: EntryKind::File { .. }, .. }) => Some(path),
        Ok(Resolved::Escapes) => {
            document
                .error_at(
                    "license-path",
                    span,
                    format!("the license file `{raw}` points outside the project directory"),
                )
                .with_help_text("a symlink may not lead out of the project; copy the file into the project instead");
            None
        }
        Ok(_) | Err(_) => {
            document
                .error_at("license-file-not-found", span, format!("the license file `{raw}` does not exist"))
                .with_help_text(
                    "create the file, or correct the path (it is relative to the directory of pyproject.toml)",
                );
            None
        }
    }
}

/// The regular files one `license-files` pattern matches. Explicit
/// patterns (with the `span` of their string) must be valid and match
/// something; flit's default patterns (no span) need not.
fn glob_license_files(
    document: &mut Document<'_>,
    context: &FileContext<'_>,
    pattern: &str,
    span: Option<Span>,
) -> Vec<RelPath> {
    let explicit = span.is_some();
    let span = span.unwrap_or(Span { start: 0, end: 0 });
    let invalid = |reason: &str| format!("invalid `project.license-files` pattern `{pattern}`: {reason}");
    if pattern.starts_with('/') || pattern.starts_with('\\') {
        document
            .error_at("license-files-pattern", span, invalid("a pattern must not start with `/`"))
            .with_help_text("patterns are relative to the directory of pyproject.toml");
        return Vec::new();
    }
    if pattern.contains("..") {
        document
            .error_at("license-files-pattern", span, invalid("a pattern must not contain `..`"))
            .with_help_text("license files must be inside the project directory");
        return Vec::new();
    }
    let allowed = |c: char| c.is_alphanumeric() || "_-./*?[] ".contains(c);
    if pattern.is_empty() || !pattern.chars().all(allowed) {
        document
            .error_at("license-files-pattern", span, invalid("the pattern contains characters PEP 639 does not allow"))
            .with_help_text("use letters, digits, `_`, `-`, `.`, `/`, spaces and the wildcards `*`, `?`, `[...]` (https://packaging.python.org/en/latest/specifications/pyproject-toml/#license-files)");
        return Vec::new();
    }
    let Some(tree) = context.tree else { return Vec::new() };
    let matches = match pathlib_glob(tree, pattern) {
        Ok(Ok(matches)) => matches,
        Ok(Err(error)) => {
            document
                .error_at("license-files-pattern", span, invalid(&error.0))
                .with_help_text("`**` must be a whole path component, as in `**/LICENSE*`");
            return Vec::new();
        }
        Err(error) => {
            document.error_at("license-files-pattern", span, invalid(&error.to_string()));
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for found in matches {
        match resolve(tree, &found.path) {
            Ok(Resolved::Found { kind: EntryKind::File { .. }, .. }) => files.push(found.path),
            Ok(Resolved::Escapes) => {
                let message = format!(
                    "the license file `{}` (matched by `{pattern}`) points outside the project directory",
                    found.path
                );
                let handle = if explicit {
                    document.error_at("license-path", span, message)
                } else {
                    document.error_about("license-path", found.path.as_str(), message)
                };
                handle.with_help_text(
                    "a symlink may not lead out of the project; copy the file into the project instead",
                );
            }
            _ => {}
        }
    }
    if files.is_empty() && explicit {
        document
            .error_at(
                "license-files-no-match",
                span,
                format!("no files found for `project.license-files` pattern `{pattern}`"),
            )
            .with_help_text("correct the pattern, add the file, or remove the pattern");
    }
    files
}
