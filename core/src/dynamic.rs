//! Dynamic metadata: the version from `__version__` and the summary from the
//! docstring, for the fields listed in `project.dynamic`.
//!
//! flit reads both with Python's `ast`, then imports the module if that was
//! not enough. We read them with our own static reader (same results for
//! every form flit's pass accepts) and go a little further where it is safe:
//! a package's `from .module import __version__` (directly, or through
//! `__version__ = NAME`) is followed to a literal,
//! and a module-level `__doc__ = "..."` is used. Only when that fails is the
//! module imported, through [`ModuleImporter`], which only the native host
//! provides; under WASI and in the browser the user gets a clear error.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::module::Module;
use crate::options::BuildOptions;
use crate::path::RelPath;
use crate::python::{self, Constant, ModuleFacts, ModuleReading, PythonSyntaxError};
use crate::tree::{EntryKind, ProjectTree, Resolved, TreeError, read_to_vec, resolve};
use crate::version::normalise_version;

/// Python source files larger than this are not read statically.
const MAX_SOURCE_BYTES: u64 = 16 << 20;

/// What importing the module yielded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedModule {
    /// `module.__doc__`, raw.
    pub docstring: Option<String>,
    /// `module.__version__`.
    pub version: Option<Constant>,
}

/// Runs a module to read `__doc__` and `__version__`: flit's last resort.
/// Only the native host can implement this (it needs a Python interpreter).
pub trait ModuleImporter {
    /// Imports `module` (its file is `module.file()`, relative to the project
    /// root) and returns its docstring and version, or a message saying why
    /// it could not.
    fn import(&self, module: &Module) -> Result<ImportedModule, String>;
}

/// The version and summary to use, for the fields that are dynamic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DynamicValues {
    /// The normalised version, if `version` is dynamic.
    pub version: Option<String>,
    /// The summary line, if `description` is dynamic.
    pub summary: Option<String>,
}

/// Reads the dynamic fields of `config` from `module`.
pub fn read_dynamic(
    tree: &dyn ProjectTree,
    config: &Config,
    module: &Module,
    options: &BuildOptions,
    importer: Option<&dyn ModuleImporter>,
) -> Result<(DynamicValues, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let want_version = config.dynamic.version;
    let want_summary = config.dynamic.description;
    if !want_version && !want_summary {
        return Ok((DynamicValues::default(), diagnostics));
    }
    let module_file = module.file();
    let display = module_file.to_string();

    let found = match static_pass(tree, module, want_version, want_summary)? {
        StaticOutcome::Complete(found) => found,
        StaticOutcome::NeedsImport { missing } => match importer {
            Some(importer) => match importer.import(module) {
                // flit takes both values from the imported module.
                Ok(imported) => Found { docstring: imported.docstring, version: imported.version, version_file: None },
                Err(message) => {
                    diagnostics.push(
                        Diagnostic::error(
                            "module-import-failed",
                            display.clone(),
                            format!("importing the module to read its metadata failed: {message}"),
                        )
                        .with_help(static_forms_help(&missing)),
                    );
                    return Err(diagnostics);
                }
            },
            None => {
                diagnostics.push(
                    Diagnostic::error(
                        "dynamic-needs-python",
                        display.clone(),
                        format!(
                            "{} of `{}` cannot be read without running Python, which this build cannot do",
                            missing.join(" and "),
                            module.name
                        ),
                    )
                    .with_help(static_forms_help(&missing)),
                );
                return Err(diagnostics);
            }
        },
    };
    let Found { docstring, version, version_file } = found;
    let version_display = version_file.map_or_else(|| display.clone(), |file| file.to_string());

    let mut values = DynamicValues::default();
    if want_summary {
        match docstring.as_deref().filter(|doc| !python::is_blank(doc)).and_then(python::first_line) {
            Some(summary) => values.summary = Some(summary),
            None => diagnostics.push(
                Diagnostic::error(
                    "no-docstring",
                    display.clone(),
                    format!("flit cannot package a module without a docstring, or with an empty one: add a docstring to `{display}`"),
                )
                .with_help("start the module with a string literal, e.g. \"\"\"One line saying what the package does.\"\"\", or set `description` in [project]"),
            ),
        }
    }
    if want_version {
        match version {
            Some(Constant::Str(text)) if !text.is_empty() => match normalise_version(&text) {
                Ok(normalised) => {
                    if normalised != text {
                        diagnostics.push(
                            Diagnostic::warning(
                                "version-normalised",
                                version_display.clone(),
                                format!("version `{text}` is normalised to `{normalised}` (PEP 440)"),
                            )
                            .with_help(format!("write `__version__ = \"{normalised}\"` to avoid this warning")),
                        );
                    }
                    values.version = Some(normalised);
                }
                Err(error) => {
                    let lowered = text.to_lowercase();
                    if options.allow_invalid && !lowered.contains(['-', '/', '\\']) && !lowered.trim().is_empty() {
                        diagnostics.push(Diagnostic::warning(
                            "invalid-version",
                            version_display.clone(),
                            format!("{error}; used anyway because FLIT_ALLOW_INVALID is set"),
                        ));
                        values.version = Some(lowered);
                    } else {
                        diagnostics.push(
                            Diagnostic::error("invalid-version", version_display.clone(), error.to_string())
                                .with_help("use a PEP 440 version such as `1.0`, `1.0.post1` or `2.0rc1`"),
                        );
                    }
                }
            },
            Some(Constant::Other { type_name, truthy: true }) => diagnostics.push(
                Diagnostic::error(
                    "version-not-string",
                    version_display.clone(),
                    format!("`__version__` must be a string, not `{type_name}`"),
                )
                .with_help("write the version as a string: `__version__ = \"1.0\"`"),
            ),
            _ => diagnostics.push(
                Diagnostic::error("no-version", display.clone(), "cannot package a module without a version string")
                    .with_help(format!("define `__version__ = \"0.1\"` in `{display}`, or set `version` in [project]")),
            ),
        }
    }
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok((values, diagnostics)) }
}

/// The docstring and version as flit would end up with them.
struct Found {
    docstring: Option<String>,
    version: Option<Constant>,
    /// The file `version` was read from, for messages about it.
    version_file: Option<RelPath>,
}

/// What reading the module without running it gave.
enum StaticOutcome {
    /// Everything wanted is known (it may still be missing or invalid, as
    /// flit would find it after importing).
    Complete(Found),
    /// Python is needed; `missing` names what, for the error message.
    NeedsImport { missing: Vec<&'static str> },
}

/// flit's static pass, then our extensions where flit would import.
fn static_pass(
    tree: &dyn ProjectTree,
    module: &Module,
    want_version: bool,
    want_summary: bool,
) -> Result<StaticOutcome, Diagnostics> {
    let display = module.file().to_string();
    // A later file's __version__ overrides an earlier one; the docstring is
    // that of the last file (`__init__.py`).
    let mut version: Option<Constant> = None;
    let mut version_file: Option<RelPath> = None;
    let mut version_unknown = false;
    let mut last = ModuleReading::default();
    let version_files = module.version_files(tree).map_err(|error| tree_failure(&display, &error))?;
    for file in &version_files {
        let reading =
            read_reading(tree, file).map_err(|diagnostic| Diagnostics(vec![*diagnostic]))?.unwrap_or_default();
        if reading.version_not_static {
            version_unknown = true;
            version = None;
        } else if reading.facts.version.is_some() {
            version_unknown = false;
            version = reading.facts.version.clone();
            version_file = Some(file.clone());
        }
        last = reading;
    }
    let unknown_docstring = want_summary && last.docstring_not_static;
    let unknown_version = want_version && version_unknown;
    if unknown_docstring || unknown_version {
        // The values exist but need Python to evaluate (e.g. `\N{...}`).
        let mut missing = Vec::new();
        if unknown_version {
            missing.push("`__version__`");
        }
        if unknown_docstring {
            missing.push("the docstring");
        }
        return Ok(StaticOutcome::NeedsImport { missing });
    }

    let facts = last.facts;
    let cleaned = facts.docstring.as_deref().map(python::cleandoc);
    let summary_found = !want_summary || truthy_text(cleaned.as_deref());
    let version_found = !want_version || version.as_ref().is_some_and(Constant::is_truthy);
    if summary_found && version_found {
        return Ok(StaticOutcome::Complete(Found { docstring: cleaned, version, version_file }));
    }

    // flit would import the module now and take __doc__ and __version__,
    // raw, from it. Our extensions compute the same values statically when
    // the module makes them plain: `__doc__ = "..."`, and a package's
    // `from .module import __version__`.
    let raw_docstring = facts.doc_assignment.clone().or_else(|| facts.docstring.clone());
    let (extended_version, version_file) = match &version {
        Some(found) if found.is_truthy() => (Some(found.clone()), version_file),
        _ => match follow_version_import(tree, module, &facts)? {
            Some((value, file)) => (Some(value), Some(file)),
            None => (None, version_file),
        },
    };
    let summary_found = !want_summary || truthy_text(raw_docstring.as_deref());
    let version_found = !want_version || extended_version.as_ref().is_some_and(Constant::is_truthy);
    if summary_found && version_found {
        return Ok(StaticOutcome::Complete(Found {
            docstring: raw_docstring,
            version: extended_version,
            version_file,
        }));
    }
    let mut missing = Vec::new();
    if !version_found {
        missing.push("`__version__`");
    }
    if !summary_found {
        missing.push("the docstring");
    }
    Ok(StaticOutcome::NeedsImport { missing })
}

/// Python truthiness of an optional string.
fn truthy_text(text: Option<&str>) -> bool {
    text.is_some_and(|text| !text.is_empty())
}

/// Reads one source file; `None` if it does not exist (a package
/// without `__init__.py`).
fn read_reading(tree: &dyn ProjectTree, file: &RelPath) -> Result<Option<ModuleReading>, Box<Diagnostic>> {
    let Some(source) = read_source(tree, file)? else { return Ok(None) };
    python::read_module_detailed(&source).map(Some).map_err(|error| Box::new(syntax_diagnostic(file, &error)))
}

fn read_source(tree: &dyn ProjectTree, file: &RelPath) -> Result<Option<Vec<u8>>, Box<Diagnostic>> {
    let display = file.to_string();
    match resolve(tree, file).map_err(|error| Box::new(tree_failure(&display, &error).0.remove(0)))? {
        Resolved::Found { path, kind: EntryKind::File { .. } } => {
            read_to_vec(tree, &path, MAX_SOURCE_BYTES).map(Some).map_err(|error| {
                Box::new(Diagnostic::error(
                    "read-failed",
                    display,
                    format!("cannot read the module: {}", error.message),
                ))
            })
        }
        Resolved::Escapes => Err(Box::new(
            Diagnostic::error("symlink-escape", display, "the module file points outside the project directory")
                .with_help("a symlink may not lead out of the project; copy the file into the project instead"),
        )),
        Resolved::Missing | Resolved::Found { .. } => Ok(None),
    }
}

/// Our extension: `from .mod import __version__` (or `... import v as
/// __version__`) in a package's `__init__.py`, followed to a literal.
fn follow_version_import(
    tree: &dyn ProjectTree,
    module: &Module,
    facts: &ModuleFacts,
) -> Result<Option<(Constant, RelPath)>, Diagnostics> {
    let Some(import) = &facts.version_import else { return Ok(None) };
    // At import time flit loads a package under a throw-away name, so only
    // a single leading dot resolves, and only inside a package.
    if !module.is_package || import.level != 1 {
        return Ok(None);
    }
    let module_path = import.module.replace('.', "/");
    for candidate in [format!("{module_path}.py"), format!("{module_path}/__init__.py")] {
        let Ok(relative) = RelPath::new(&candidate) else { continue };
        let file = module.path.join(&relative);
        let Some(source) = read_source(tree, &file).map_err(|diagnostic| Diagnostics(vec![*diagnostic]))? else {
            continue;
        };
        return match python::find_constant_assignment(&source, &import.name) {
            Ok(value) => Ok(value.map(|value| (value, file))),
            Err(error) => Err(Diagnostics(vec![syntax_diagnostic(&file, &error)])),
        };
    }
    Ok(None)
}

fn syntax_diagnostic(file: &RelPath, error: &PythonSyntaxError) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::error("python-syntax", file.to_string(), format!("cannot read the module: {}", error.message))
            .with_help("fix the Python syntax error; flit parses the module to find `__version__` and the docstring");
    // The reader gives a position, not a byte span: a caret on one character.
    diagnostic.location =
        Some(Location { line: error.line, column: error.column, end_line: error.line, end_column: error.column + 1 });
    diagnostic
}

fn tree_failure(display: &str, error: &TreeError) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error("read-failed", display.to_owned(), format!("cannot read the module: {error}"))])
}

/// The help text listing the forms the static reader understands, for the
/// values that are `missing`.
fn static_forms_help(missing: &[&str]) -> String {
    let want_version = missing.contains(&"`__version__`");
    let want_summary = missing.contains(&"the docstring");
    let mut forms = Vec::new();
    if want_version {
        forms.push(
            "a literal `__version__ = \"1.0\"` (or `__version__: str = \"1.0\"`) at the top level of the module, of `version.py`, `_version.py` or `__version__.py` in the package, or imported from a module holding such a literal with `from .module import __version__` (or `from .module import VERSION` then `__version__ = VERSION`)",
        );
    }
    if want_summary {
        forms.push("a docstring (a string literal as the module's first statement) or `__doc__ = \"...\"`");
    }
    format!(
        "write {}; or give `version`/`description` in [project] instead of listing them in `dynamic`",
        forms.join(", and ")
    )
}
