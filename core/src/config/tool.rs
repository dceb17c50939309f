//! The `[tool.flit.*]` tables: `module`, `sdist`, `external-data`, and the
//! legacy tables flit 4 refuses.

use toml::de::{DeTable, DeValue};

use super::document::{Document, span_of, span_of_key};
use super::files::FileContext;
use crate::diagnostic::Span;
use crate::names;
use crate::path::{RelPath, RelPathError, is_absolute_ish};
use crate::tree::{EntryKind, Resolved, resolve};

/// What `[tool.flit]` contributes to the configuration.
#[derive(Debug, Default)]
pub(super) struct ToolSettings {
    /// `[tool.flit.module] name`.
    pub module: Option<String>,
    /// `[tool.flit.sdist] include`, normalised.
    pub sdist_include: Vec<String>,
    /// `[tool.flit.sdist] exclude`, normalised, after the implicit ones.
    pub sdist_exclude: Vec<String>,
    /// `[tool.flit.external-data] directory`.
    pub data_directory: Option<RelPath>,
}

/// The `[tool.flit]` table, if there is one.
pub(super) fn flit_table<'v, 'text>(
    document: &mut Document<'text>,
    root: &'v DeTable<'text>,
) -> Option<&'v DeTable<'text>> {
    let (tool, _) = document.table(root, "tool", "tool")?;
    let (flit, _) = document.table(tool, "flit", "tool.flit")?;
    Some(flit)
}

/// flit 4 refuses the flit 3 metadata tables with a pointer to [project].
pub(super) fn check_legacy_tables<'text>(document: &mut Document<'text>, flit: &DeTable<'text>) {
    for (key, _) in flit.iter() {
        match key.get_ref().as_ref() {
            "metadata" => {
                document
                    .error_at("legacy-metadata-table", span_of_key(key), "the [tool.flit.metadata] table is no longer supported")
                    .with_help_text("move the metadata to the standard [project] table, or require flit_core<4 to build this package");
            }
            name @ ("scripts" | "entrypoints") => {
                document
                    .error_at(
                        "legacy-scripts-table",
                        span_of_key(key),
                        format!("the [tool.flit.{name}] table is no longer supported"),
                    )
                    .with_help_text(
                        "use [project.scripts], [project.gui-scripts] or [project.entry-points.<group>] instead",
                    );
            }
            _ => {}
        }
    }
}

/// Reads `module`, `sdist` and `external-data`, and reports unknown tables.
pub(super) fn read<'text>(
    document: &mut Document<'text>,
    flit: Option<&DeTable<'text>>,
    context: &FileContext<'_>,
) -> ToolSettings {
    let mut settings = ToolSettings::default();
    let Some(flit) = flit else { return settings };
    for (key, _) in flit.iter() {
        let name = key.get_ref().as_ref();
        let known = matches!(name, "module" | "sdist" | "external-data" | "metadata" | "scripts" | "entrypoints");
        if !known && !name.to_lowercase().starts_with("x-") {
            document
                .error_at("unknown-table", span_of_key(key), format!("unexpected table [tool.flit.{name}]"))
                .with_help_text("flit reads [tool.flit.module], [tool.flit.sdist] and [tool.flit.external-data]; prefix your own tables with `x-`");
        }
    }
    if let Some((module, _)) = document.table(flit, "module", "tool.flit.module") {
        warn_unknown_keys(document, module, &["name"], "tool.flit.module");
        if let Some(name) = document.string(module, "name", "tool.flit.module.name") {
            if names::is_dotted_identifier(name.get_ref()) || name.get_ref().ends_with("-stubs") {
                settings.module = Some(name.get_ref().to_string());
            } else {
                document
                    .error_at(
                        "invalid-import-name",
                        span_of(&name),
                        format!("`{}` is not a valid module name", name.get_ref()),
                    )
                    .with_help_text(
                        "a module name is a dotted Python identifier such as `mypackage` or `namespace.mypackage`",
                    );
            }
        }
    }
    if let Some((sdist, _)) = document.table(flit, "sdist", "tool.flit.sdist") {
        document.unknown_keys(sdist, &["include", "exclude"], "tool.flit.sdist");
        settings.sdist_include = patterns(document, sdist, "include");
        // flit adds these only when the table exists; `**.pyc` is not
        // recursive (glob needs `**` as a whole component).
        settings.sdist_exclude = vec!["**/__pycache__".to_owned(), "**.pyc".to_owned()];
        settings.sdist_exclude.extend(patterns(document, sdist, "exclude"));
    }
    if let Some((data, _)) = document.table(flit, "external-data", "tool.flit.external-data") {
        warn_unknown_keys(document, data, &["directory"], "tool.flit.external-data");
        settings.data_directory = data_directory(document, data, context);
    }
    settings
}

/// Keys flit ignores in these tables: a warning, not an error.
fn warn_unknown_keys<'text>(document: &mut Document<'text>, table: &DeTable<'text>, allowed: &[&str], path: &str) {
    for (key, _) in table.iter() {
        let name = key.get_ref().as_ref();
        if !allowed.contains(&name) {
            document
                .warning_at("unknown-key", span_of_key(key), format!("unknown key `{name}` in `{path}` is ignored"))
                .with_help_text(format!("the keys read here are: {}", allowed.join(", ")));
        }
    }
}

/// `[tool.flit.sdist] include` or `exclude`: each pattern checked and
/// normalised like `os.path.normpath`.
fn patterns<'text>(document: &mut Document<'text>, sdist: &DeTable<'text>, key: &str) -> Vec<String> {
    let path = format!("tool.flit.sdist.{key}");
    let Some(items) = document.string_array(sdist, key, &path) else { return Vec::new() };
    let mut normalised = Vec::new();
    for item in items {
        let pattern = *item.get_ref();
        let span = span_of(&item);
        let bad = |c: char| (c as u32) < 0x20 || "<>:\"\\".contains(c);
        if pattern.chars().any(bad) {
            document
                .error_at(
                    "sdist-pattern",
                    span,
                    format!(
                        "{key} pattern `{}` contains bad characters (<>:\"\\ or control characters)",
                        pattern.escape_debug()
                    ),
                )
                .with_help_text("use `/` to separate directories; these characters are not portable in file names");
            continue;
        }
        if is_absolute_ish(pattern) {
            document
                .error_at("sdist-pattern", span, format!("{key} pattern `{pattern}` is an absolute path"))
                .with_help_text("patterns are relative to the directory of pyproject.toml");
            continue;
        }
        match RelPath::new(pattern) {
            Ok(path) if path.is_root() => normalised.push(".".to_owned()),
            Ok(path) => normalised.push(path.as_str().to_owned()),
            Err(_) => {
                document
                    .error_at(
                        "sdist-pattern",
                        span,
                        format!("{key} pattern `{pattern}` points out of the directory containing pyproject.toml"),
                    )
                    .with_help_text("an sdist can only contain files of the project");
            }
        }
    }
    normalised
}

/// `[tool.flit.external-data] directory`: an existing directory inside the
/// project, other than the project directory itself.
fn data_directory<'text>(
    document: &mut Document<'text>,
    table: &DeTable<'text>,
    context: &FileContext<'_>,
) -> Option<RelPath> {
    let value = table.get("directory")?;
    let DeValue::String(raw) = value.get_ref() else {
        document.wrong_type("tool.flit.external-data.directory", value, "a string");
        return None;
    };
    let span: Span = span_of(value);
    let key = "tool.flit.external-data.directory";
    let problem = if is_absolute_ish(raw) {
        Some("cannot be an absolute path")
    } else {
        match RelPath::new(raw) {
            Ok(path) if path.is_root() => Some("cannot refer to the directory containing pyproject.toml"),
            Ok(path) => match context.tree.map(|tree| resolve(tree, &path)) {
                None => return Some(path),
                Some(Ok(Resolved::Found { kind: EntryKind::Dir, .. })) => return Some(path),
                Some(Ok(Resolved::Escapes)) => Some("points outside the project directory (through a symlink)"),
                _ => Some("must refer to a directory"),
            },
            Err(RelPathError::Escapes(_)) => Some("cannot point outside the directory containing pyproject.toml"),
            Err(_) => Some("is not a valid path"),
        }
    };
    if let Some(problem) = problem {
        document.error_at("data-directory", span, format!("`{key}` `{raw}` {problem}")).with_help_text(
            "name a directory inside the project; its files go to <name>-<version>.data/data/ in the wheel",
        );
    }
    None
}
