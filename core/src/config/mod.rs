//! Reading and validating `pyproject.toml`.
//!
//! Every rule of flit 4.2's `flit_core.config` and of the `flit` CLI's extra
//! validation is here, but instead of stopping at the first problem the
//! loader records all of them as [`Diagnostic`](crate::diagnostic::Diagnostic)s
//! pointing at the key or value concerned. A [`Config`] is returned only when
//! there is no error.

mod document;
mod files;
mod project;
mod toml10;
mod tool;
mod toplevel;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::options::BuildOptions;
use crate::path::RelPath;
use crate::tree::{EntryKind, ProjectTree, Resolved, read_to_vec, resolve};

use document::Document;

/// The largest configuration or readme file we read: far beyond any real one,
/// small enough that a hostile project cannot exhaust memory.
pub const MAX_TEXT_FILE_BYTES: u64 = 64 << 20;

/// A validated project configuration: everything `[project]` and
/// `[tool.flit.*]` say, normalised the way flit normalises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The configuration file, relative to the project root.
    pub file: RelPath,
    /// `project.name`, exactly as written (metadata keeps it unnormalised).
    pub name: String,
    /// The import name of the module: `[tool.flit.module] name`, or derived
    /// from the project name.
    pub module: String,
    /// `project.version`, normalised, unless it is dynamic.
    pub version: Option<String>,
    /// `project.description`, unless it is dynamic.
    pub summary: Option<String>,
    /// Which fields come from the module.
    pub dynamic: Dynamic,
    /// The long description.
    pub readme: Option<Readme>,
    /// `project.requires-python`, verbatim.
    pub requires_python: Option<String>,
    /// `project.license` as a normalised SPDX expression.
    pub license_expression: Option<String>,
    /// License files, sorted and de-duplicated.
    pub license_files: Vec<RelPath>,
    /// `Author`: names of authors without an email, joined by ", ".
    pub author: Option<String>,
    /// `Author-email`: mailboxes of authors with an email.
    pub author_email: Option<String>,
    /// `Maintainer`.
    pub maintainer: Option<String>,
    /// `Maintainer-email`.
    pub maintainer_email: Option<String>,
    /// `Keywords`: the keywords joined by ",".
    pub keywords: Option<String>,
    /// `Classifier`s, in configuration order.
    pub classifiers: Vec<String>,
    /// `Project-URL`s as "label, url", sorted by label.
    pub project_urls: Vec<String>,
    /// Entry points by group then name; scripts are the `console_scripts`
    /// and `gui_scripts` groups.
    pub entry_points: BTreeMap<String, BTreeMap<String, String>>,
    /// `project.dependencies`, verbatim.
    pub dependencies: Vec<String>,
    /// `project.optional-dependencies` by normalised extra name.
    pub optional_dependencies: BTreeMap<String, Vec<String>>,
    /// `Import-Name`s, when given explicitly.
    pub import_names: Option<Vec<String>>,
    /// `Import-Namespace`s, when given explicitly.
    pub import_namespaces: Option<Vec<String>>,
    /// Files the configuration refers to (readme, license files), which the
    /// sdist must contain.
    pub referenced_files: Vec<RelPath>,
    /// `[tool.flit.sdist] include`, normalised.
    pub sdist_include: Vec<String>,
    /// `[tool.flit.sdist] exclude`, normalised, with flit's implicit
    /// `**/__pycache__` and `**.pyc` first when the table exists.
    pub sdist_exclude: Vec<String>,
    /// `[tool.flit.external-data] directory`.
    pub data_directory: Option<RelPath>,
}

/// Fields `project.dynamic` asks the module for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dynamic {
    /// `__version__` gives the version.
    pub version: bool,
    /// The docstring gives the summary.
    pub description: bool,
}

/// The long description and how to render it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readme {
    /// The text, with line endings normalised to `\n` (flit reads it in
    /// Python's text mode).
    pub text: String,
    /// `Description-Content-Type`, if known.
    pub content_type: Option<String>,
    /// The file it was read from, when it came from a file.
    pub file: Option<RelPath>,
}

impl Config {
    /// `Requires-Dist`: the dependencies, then each extra's requirements
    /// (extras in sorted order) with an `extra == "..."` marker, written
    /// exactly as flit writes them.
    pub fn requires_dist(&self) -> Vec<String> {
        requires_dist(&self.dependencies, &self.optional_dependencies)
    }

    /// `Provides-Extra`: the normalised extra names, sorted.
    pub fn provides_extra(&self) -> Vec<String> {
        self.optional_dependencies.keys().cloned().collect()
    }

    /// `Import-Name`s: as configured, or the module name. A stub-only
    /// package (`foo-stubs`) provides nothing to import, and `foo-stubs` is
    /// not a valid import name, so it gets none (flit 4.2 writes
    /// `Import-Name: foo-stubs`, which metadata validators reject).
    pub fn import_names(&self) -> Vec<String> {
        match &self.import_names {
            Some(names) => names.clone(),
            None if self.module.ends_with("-stubs") => Vec::new(),
            None => vec![self.module.clone()],
        }
    }

    /// `Import-Namespace`s: as configured, or every parent of a dotted
    /// module name, shortest first.
    pub fn import_namespaces(&self) -> Vec<String> {
        self.import_namespaces.clone().unwrap_or_else(|| namespace_parents(&self.module))
    }
}

/// `Requires-Dist` for these dependencies and extras: the dependencies, then
/// each extra's requirements (extras in sorted order) with an
/// `extra == "..."` marker.
pub(crate) fn requires_dist(
    dependencies: &[String],
    optional_dependencies: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut requirements = dependencies.to_vec();
    for (extra, extra_requirements) in optional_dependencies {
        for requirement in extra_requirements {
            requirements.push(match requirement.split_once(';') {
                Some((name, marker)) => format!("{name} ; extra == \"{extra}\" and ({marker})"),
                None => format!("{requirement} ; extra == \"{extra}\""),
            });
        }
    }
    requirements
}

/// `a.b.c` → `["a", "a.b"]`.
pub fn namespace_parents(module: &str) -> Vec<String> {
    let parts: Vec<&str> = module.split('.').collect();
    (1..parts.len()).map(|count| parts[..count].join(".")).collect()
}

/// The result of reading a configuration: the config when it is valid, and
/// every problem found (warnings included).
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// `Some` when there is no error.
    pub config: Option<Config>,
    /// Errors and warnings, in file order as far as possible.
    pub diagnostics: Diagnostics,
}

/// Reads `config_file` from the tree and validates it, with the rules of
/// flit 4.2 and of the `flit` CLI's extra validation.
pub fn load_config(tree: &dyn ProjectTree, config_file: &RelPath, options: &BuildOptions) -> LoadedConfig {
    let display = config_file.to_string();
    // Like every path, the configuration is resolved inside the project:
    // a pyproject.toml that is a symlink out of it is not read.
    let real = match resolve(tree, config_file) {
        Ok(Resolved::Found { path, kind: EntryKind::File { .. } }) => path,
        Ok(Resolved::Escapes) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(
                Diagnostic::error(
                    "symlink-escape",
                    display,
                    "the configuration file is a symlink that points outside the project directory",
                )
                .with_help("replace the symlink with the file itself; flit reads nothing outside the project"),
            );
            return LoadedConfig { config: None, diagnostics };
        }
        Ok(_) => config_file.clone(),
        Err(error) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(Diagnostic::error(
                "config-not-found",
                display,
                format!("cannot read the configuration: {}", error.message),
            ));
            return LoadedConfig { config: None, diagnostics };
        }
    };
    let bytes = match read_to_vec(tree, &real, MAX_TEXT_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(error) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(
                Diagnostic::error(
                    "config-not-found",
                    display,
                    format!("cannot read the configuration: {}", error.message),
                )
                .with_help("run flit in the directory that holds pyproject.toml, or name the file with `-f`"),
            );
            return LoadedConfig { config: None, diagnostics };
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => normalise_newlines(text),
        Err(error) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(
                Diagnostic::error(
                    "toml-syntax",
                    display,
                    format!(
                        "the file is not valid UTF-8 (invalid byte at offset {})",
                        error.utf8_error().valid_up_to()
                    ),
                )
                .with_help("save pyproject.toml as UTF-8"),
            );
            return LoadedConfig { config: None, diagnostics };
        }
    };
    load_config_text(tree, config_file, &text, options)
}

/// Validates configuration text that has already been read (the browser's
/// editor uses this directly). Files it refers to are looked up in `tree`.
pub fn load_config_text(
    tree: &dyn ProjectTree,
    config_file: &RelPath,
    text: &str,
    options: &BuildOptions,
) -> LoadedConfig {
    let mut document = Document::new(config_file.to_string(), text);
    let config = match document.parse() {
        Some(root) => {
            let context = files::FileContext { tree: Some(tree), options };
            project::read(&mut document, &root, config_file, &context)
        }
        None => None,
    };
    let config = if document.diagnostics.has_errors() { None } else { config };
    LoadedConfig { config, diagnostics: document.diagnostics }
}

/// Checks configuration text on its own, with no project files at hand: the
/// browser's editor validates as the user types. Every problem visible in
/// the text is reported; files it names are not looked up.
pub fn validate_text(file: &str, text: &str, options: &BuildOptions) -> Diagnostics {
    let text = normalise_newlines(text.to_owned());
    let mut document = Document::new(file, &text);
    if let Some(root) = document.parse() {
        let context = files::FileContext { tree: None, options };
        let config_file =
            RelPath::from_name(file).unwrap_or_else(|| RelPath::from_name("pyproject.toml").unwrap_or_default());
        project::read(&mut document, &root, &config_file, &context);
    }
    document.diagnostics
}

/// Python reads text files with universal newlines: `\r\n` and `\r` become
/// `\n` before anything else sees the text.
pub fn normalise_newlines(text: String) -> String {
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    const HEAD: &str = "[build-system]\nrequires = [\"flit_core >=3.11,<5\"]\nbuild-backend = \"flit_core.buildapi\"\n\n\
                        [project]\nname = \"widget\"\nversion = \"1.0\"\ndescription = \"A widget\"\n";

    fn codes(text: &str) -> Vec<(&'static str, usize)> {
        validate_text("pyproject.toml", text, &BuildOptions::default())
            .iter()
            .map(|diagnostic| (diagnostic.code, diagnostic.location.map_or(0, |location| location.line)))
            .collect()
    }

    #[test]
    fn text_alone_does_not_judge_a_readme_file_it_cannot_read() {
        assert_eq!(codes(&format!("{HEAD}readme = \"README.rst\"\n")), []);
    }

    #[test]
    fn inline_restructuredtext_is_checked_where_it_is_written() {
        let text =
            format!("{HEAD}readme = {{text = \"Title\\n===\\n\\nBody *open\\n\", content-type = \"text/x-rst\"}}\n");
        assert_eq!(codes(&text), [("readme-rst", 9)]);
        let markdown = format!("{HEAD}readme = {{text = \"Body *open\\n\", content-type = \"text/markdown\"}}\n");
        assert_eq!(codes(&markdown), []);
    }
}
