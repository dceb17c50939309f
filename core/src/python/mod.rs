//! Reading a module's docstring and `__version__` without running Python.
//!
//! Flit fills a dynamic `version` and `description` by parsing the module
//! with Python's `ast` (falling back to importing it). This module is the
//! static half in pure Rust: it decodes the bytes exactly as CPython 3.11
//! does (PEP 263 cookies, BOM, Python's codecs rather than WHATWG's),
//! tokenizes enough of Python to find the module-level statements, and
//! evaluates string, bytes and number literals the way `ast.parse` does, so
//! the answers are the ones flit would get for any valid source.
//!
//! What it cannot compute it reports as absent rather than guessing: a
//! string using a `\N{NAME}` escape (the Unicode name table is not carried)
//! or holding a lone surrogate (which a Rust `String` cannot represent).
//! [`read_module_detailed`] says when that happened.
//!
//! Errors that are cheap to detect (bad encoding, unterminated strings,
//! unbalanced brackets, inconsistent indentation, bad escapes and number
//! literals, bytes next to str) are reported with CPython's message and a
//! 1-based line and column; the rest of Python's grammar is not checked, so
//! some invalid modules are read rather than refused.

mod analysis;
mod codec_tables;
mod encoding;
mod literal;
mod text;
mod tokenizer;

pub use text::{cleandoc, first_line, is_blank, is_python_whitespace};

use analysis::{Found, Module, SourceError};

/// What the static pass found in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModuleFacts {
    /// Raw (uncleaned) docstring: the value of the module's first statement if
    /// that statement is an expression statement whose value is a str
    /// constant (like `ast.get_docstring(tree, clean=False)`); `None`
    /// otherwise (bytes, f-strings, anything else), and also when the string
    /// cannot be computed statically (`\N{...}`, lone surrogates).
    pub docstring: Option<String>,
    /// Value of the first module-level statement that is an `=` assignment
    /// (chains included) or an annotated assignment with a value, whose value
    /// is an `ast.Constant` and which has the bare name `__version__` among
    /// its targets (flit's `is_version_str_assignment`). `None` if there is
    /// none, or if that first one is a str that cannot be computed statically
    /// (a later assignment is then not used: flit would not use it either).
    pub version: Option<Constant>,
    /// Extension beyond flit: the str bound to `__doc__` when the only
    /// statement that may bind `__doc__` as a module global is a
    /// module-level `__doc__ = "..."` (plain, chained or annotated) and no
    /// star import follows it. `None` whenever in doubt.
    pub doc_assignment: Option<String>,
    /// Extension beyond flit: a module-level `from .mod import __version__`
    /// (or `import name as __version__`, or `from ..pkg.mod import ...`; at
    /// least one dot and a module part, so not `from . import x`), when it is
    /// the only statement that may bind `__version__` as a module global and
    /// no star import follows it; or `__version__ = NAME` where `NAME` is
    /// bound only by such an import. `None` whenever in doubt.
    pub version_import: Option<VersionImport>,
}

/// A relative import that supplies a module's `__version__`, for the caller
/// to follow (read the imported module and look up `name` there with
/// [`find_constant_assignment`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionImport {
    /// Number of leading dots (1 = the importing module's own package).
    pub level: usize,
    /// Dotted module path after the dots, e.g. `_version` or `sub.version`.
    pub module: String,
    /// The imported name, e.g. `__version__` or `version`.
    pub name: String,
}

/// The value of an `ast.Constant`, with just enough of the non-str kinds for
/// flit's checks (`must be a string, not <type>`, "falsy means missing").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constant {
    /// A str constant (possibly concatenated from adjacent literals).
    Str(String),
    /// Any other constant.
    Other {
        /// The Python class name: `bytes`, `int`, `float`, `complex`,
        /// `bool`, `NoneType` or `ellipsis`.
        type_name: &'static str,
        /// Python truthiness of the value (`0`, `0.0`, `0j`, `b""`, `False`,
        /// `None` are falsy).
        truthy: bool,
    },
}

impl Constant {
    /// Python truthiness, which flit tests before anything else: a falsy
    /// `__version__` counts as missing (and triggers the import fallback).
    pub fn is_truthy(&self) -> bool {
        match self {
            Constant::Str(text) => !text.is_empty(),
            Constant::Other { truthy, .. } => *truthy,
        }
    }
}

/// Source that is not valid Python (or not readable without Python), with
/// where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct PythonSyntaxError {
    /// What is wrong, in CPython's words where it has them.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// [`ModuleFacts`] plus which of its `None`s hide a value that exists in the
/// source but could not be computed statically, so a caller can fall back to
/// Python (or say why it cannot) instead of reporting the value missing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModuleReading {
    /// The facts, as [`read_module`] returns them.
    pub facts: ModuleFacts,
    /// The module has a str docstring whose value is not statically known.
    pub docstring_not_static: bool,
    /// The first `__version__` constant assignment is a str whose value is
    /// not statically known.
    pub version_not_static: bool,
}

/// Reads the docstring, `__version__` and the conservative extensions from a
/// module's bytes, as flit's `ast` pass would see them.
pub fn read_module(source: &[u8]) -> Result<ModuleFacts, PythonSyntaxError> {
    read_module_detailed(source).map(|reading| reading.facts)
}

/// [`read_module`], also saying which values were present but not computable.
pub fn read_module_detailed(source: &[u8]) -> Result<ModuleReading, PythonSyntaxError> {
    parse(source, |module| {
        let docstring = module.docstring()?;
        let version = module.first_constant_assignment("__version__")?;
        let doc_assignment = module.doc_assignment()?;
        let version_import = module.version_import().map(|import| VersionImport {
            level: import.level,
            module: import.module,
            name: import.name,
        });
        Ok(ModuleReading {
            docstring_not_static: docstring == Found::NotStatic,
            version_not_static: version == Found::NotStatic,
            facts: ModuleFacts { docstring: known(docstring), version: known(version), doc_assignment, version_import },
        })
    })
}

/// For following a [`VersionImport`]: the value bound to `name` by the first
/// module-level constant assignment in this source (the rules of
/// [`ModuleFacts::version`], for any name). `None` also when that value is a
/// str that cannot be computed statically.
pub fn find_constant_assignment(source: &[u8], name: &str) -> Result<Option<Constant>, PythonSyntaxError> {
    use unicode_normalization::UnicodeNormalization;
    let name: String = name.nfkc().collect();
    parse(source, |module| module.first_constant_assignment(&name).map(known))
}

/// Decodes a module's bytes to text as CPython 3.11 does for
/// `ast.parse(bytes)` (PEP 263), e.g. to show source lines in messages.
///
/// Newlines come back as `\n`, without the byte order mark. In the default
/// UTF-8 encoding CPython tolerates bytes that are not UTF-8 inside comments;
/// here they come back as U+FFFD (use [`read_module`] to have them checked).
pub fn decode_source(source: &[u8]) -> Result<String, PythonSyntaxError> {
    encoding::decode(source).map(|decoded| decoded.text)
}

/// The Python codec names a coding cookie may resolve to for this reader
/// (aliases such as `latin-1`, `utf8` or `sjis` resolve to one of these).
/// Any other codec is reported as a [`PythonSyntaxError`].
pub fn supported_encodings() -> impl Iterator<Item = &'static str> {
    encoding::supported_codecs()
}

fn known<T>(found: Found<T>) -> Option<T> {
    match found {
        Found::Known(value) => Some(value),
        Found::Absent | Found::NotStatic => None,
    }
}

/// Decodes, tokenizes and checks the literals of a module, then asks `query`.
fn parse<T>(source: &[u8], query: impl FnOnce(&Module<'_>) -> Result<T, SourceError>) -> Result<T, PythonSyntaxError> {
    let decoded = encoding::decode(source)?;
    let text = decoded.text.as_str();
    let located = |error: SourceError| {
        let (line, column) = text_position(text, error.offset);
        PythonSyntaxError { message: error.message, line, column }
    };
    let tokenized = tokenizer::tokenize(text, &decoded.invalid_utf8)
        .map_err(|error| located(SourceError { message: error.message, offset: error.offset }))?;
    let module = Module::new(text, &tokenized).map_err(located)?;
    module.validate_strings().map_err(located)?;
    query(&module).map_err(located)
}

/// 1-based line and column (in characters) of a byte offset in the text.
fn text_position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
#[allow(clippy::panic, reason = "a failing test should stop at the failure")]
mod tests;
