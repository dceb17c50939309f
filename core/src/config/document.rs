//! `pyproject.toml` as parsed TOML with a span on every key and value, and
//! the helpers that turn a bad value into a diagnostic pointing at it.

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Diagnostics, Span};

/// A parsed configuration file and the problems found in it so far.
pub(crate) struct Document<'text> {
    /// The project-relative name of the file, for diagnostics.
    pub file: String,
    /// The file's text, for turning spans into lines and columns.
    pub text: &'text str,
    /// Every problem found while reading the file.
    pub diagnostics: Diagnostics,
}

/// A key of a table, with its span.
pub(crate) type Key<'text> = Spanned<std::borrow::Cow<'text, str>>;

/// A value with its span.
pub(crate) type Value<'text> = Spanned<DeValue<'text>>;

impl<'text> Document<'text> {
    pub fn new(file: impl Into<String>, text: &'text str) -> Self {
        Document { file: file.into(), text, diagnostics: Diagnostics::default() }
    }

    /// Parses the text. TOML syntax errors are recorded and `None` returned:
    /// a document that is not valid TOML is not read any further.
    pub fn parse(&mut self) -> Option<DeTable<'text>> {
        let (root, errors) = DeTable::parse_recoverable(self.text);
        if errors.is_empty() {
            for found in super::toml10::toml_1_1_syntax(self.text) {
                self.error_at(
                    "toml-syntax",
                    found.span,
                    format!("{} is TOML 1.1 syntax, which flit and most Python tools cannot read", found.what),
                )
                .with_help_text(format!(
                    "{}: pyproject.toml must be TOML 1.0 (Python's tomllib reads TOML 1.1 only from 3.15)",
                    found.instead
                ));
            }
            return Some(root.into_inner());
        }
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim_end().to_owned();
            self.error_at("toml-syntax", Span::new(span), format!("invalid TOML: {message}"))
                .with_help_text("fix the TOML syntax; `pyproject.toml` must be valid TOML 1.0");
        }
        None
    }

    /// Records an error pointing at `span` and returns it for adding help.
    pub fn error_at(&mut self, code: &'static str, span: Span, message: impl Into<String>) -> DiagnosticHandle<'_> {
        let diagnostic = Diagnostic::error(code, self.file.clone(), message).at(self.text, span);
        self.push(diagnostic)
    }

    /// Records a warning pointing at `span` and returns it for adding help.
    pub fn warning_at(&mut self, code: &'static str, span: Span, message: impl Into<String>) -> DiagnosticHandle<'_> {
        let diagnostic = Diagnostic::warning(code, self.file.clone(), message).at(self.text, span);
        self.push(diagnostic)
    }

    /// Records an error about another file as a whole (a license file that
    /// a default glob matched, say), with no place in this one.
    pub fn error_about(&mut self, code: &'static str, file: &str, message: impl Into<String>) -> DiagnosticHandle<'_> {
        self.push(Diagnostic::error(code, file.to_owned(), message))
    }

    /// Records a diagnostic made elsewhere (about another file, say).
    pub fn push(&mut self, diagnostic: Diagnostic) -> DiagnosticHandle<'_> {
        self.diagnostics.push(diagnostic);
        let index = self.diagnostics.0.len() - 1;
        DiagnosticHandle { diagnostics: &mut self.diagnostics, index }
    }

    /// Records that `value` at `path` has the wrong type.
    pub fn wrong_type(&mut self, path: &str, value: &Value<'_>, expected: &str) {
        let found = describe(value.get_ref());
        self.error_at("wrong-type", span_of(value), format!("`{path}` must be {expected}, not {found}"))
            .with_help_text(format!("change `{path}` to {expected}"));
    }

    /// Reads an optional string.
    pub fn string<'v>(&mut self, table: &'v DeTable<'text>, key: &str, path: &str) -> Option<Spanned<&'v str>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::String(text) => Some(Spanned::new(value.span(), text.as_ref())),
            _ => {
                self.wrong_type(path, value, "a string");
                None
            }
        }
    }

    /// Reads an optional array whose items must all be strings. Bad items
    /// are reported one by one and left out.
    pub fn string_array<'v>(
        &mut self,
        table: &'v DeTable<'text>,
        key: &str,
        path: &str,
    ) -> Option<Vec<Spanned<&'v str>>> {
        let value = table.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(path, value, "an array of strings");
            return None;
        };
        Some(self.strings_in(items, path))
    }

    /// The string items of an array; other items are reported.
    pub fn strings_in<'v>(&mut self, items: &'v DeArray<'text>, path: &str) -> Vec<Spanned<&'v str>> {
        let mut strings = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(text) => strings.push(Spanned::new(item.span(), text.as_ref())),
                _ => self.wrong_type(&format!("{path}[{index}]"), item, "a string"),
            }
        }
        strings
    }

    /// Reads an optional table.
    pub fn table<'v>(
        &mut self,
        parent: &'v DeTable<'text>,
        key: &str,
        path: &str,
    ) -> Option<(&'v DeTable<'text>, Span)> {
        let value = parent.get(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some((table, span_of(value))),
            _ => {
                self.wrong_type(path, value, "a table");
                None
            }
        }
    }

    /// The span of the text inside a string value, for pointing at part of
    /// it: `inner` is a byte range within the string's value. Falls back to
    /// the whole value when the source spelling differs from the value
    /// (escapes, multi-line strings).
    pub fn inner_span(&self, value_span: Span, value: &str, inner: Option<std::ops::Range<usize>>) -> Span {
        let Some(inner) = inner else { return value_span };
        let source = self.text.get(value_span.start..value_span.end).unwrap_or_default();
        let quote_is_single_char =
            source.starts_with(['"', '\'']) && !source.starts_with("\"\"\"") && !source.starts_with("'''");
        if quote_is_single_char
            && source.len() == value.len() + 2
            && source[1..source.len() - 1] == *value
            && inner.end <= value.len()
        {
            Span {
                start: value_span.start + 1 + inner.start,
                end: value_span.start + 1 + inner.end.max(inner.start + 1).min(value.len()),
            }
        } else {
            value_span
        }
    }

    /// Reports every key of `table` not in `allowed`, suggesting a close
    /// match when there is one.
    pub fn unknown_keys(&mut self, table: &DeTable<'text>, allowed: &[&str], table_path: &str) {
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if allowed.contains(&name) {
                continue;
            }
            let handle =
                self.error_at("unknown-key", span_of_key(key), format!("unknown key `{name}` in `{table_path}`"));
            match closest(name, allowed) {
                Some(suggestion) => handle.with_help_text(format!("did you mean `{suggestion}`?")),
                None => handle.with_help_text(format!("the keys allowed here are: {}", allowed.join(", "))),
            };
        }
    }
}

/// A problem only the `flit` command line reports (not flit_core): an error,
/// or a warning that says so when `FLIT_ALLOW_INVALID` is set.
pub(crate) fn cli_diagnostic(allow_invalid: bool, code: &'static str, file: String, message: String) -> Diagnostic {
    if allow_invalid {
        Diagnostic::warning(code, file, format!("{message} (allowed by FLIT_ALLOW_INVALID; uploads may still fail)"))
    } else {
        Diagnostic::error(code, file, message)
    }
}

/// A diagnostic just recorded, to which help can be attached.
pub(crate) struct DiagnosticHandle<'d> {
    diagnostics: &'d mut Diagnostics,
    index: usize,
}

impl DiagnosticHandle<'_> {
    /// Sets the `help:` text of the diagnostic.
    pub fn with_help_text(self, help: impl Into<String>) {
        if let Some(diagnostic) = self.diagnostics.0.get_mut(self.index) {
            diagnostic.help = Some(help.into());
        }
    }
}

/// The span of a value.
pub(crate) fn span_of<T>(value: &Spanned<T>) -> Span {
    Span::new(value.span())
}

/// The span of a key.
pub(crate) fn span_of_key(key: &Key<'_>) -> Span {
    Span::new(key.span())
}

/// The key of `table` named `name`, with its span.
pub(crate) fn key_span(table: &DeTable<'_>, name: &str) -> Option<Span> {
    table.iter().find(|(key, _)| key.get_ref().as_ref() == name).map(|(key, _)| span_of_key(key))
}

/// "a string", "an integer"...: how a value's type is named in messages.
pub(crate) fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The allowed name closest to `name`, if it is close enough to be a typo.
pub(crate) fn closest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let name = name.to_lowercase();
    allowed
        .iter()
        .map(|candidate| (edit_distance(&name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, counting transpositions as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous_previous: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(previous_previous[j - 2] + 1);
            }
            current[j] = best;
        }
        previous_previous = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let allowed = ["readme", "requires-python", "version", "dependencies"];
        assert_eq!(closest("reedme", &allowed), Some("readme"));
        assert_eq!(closest("dependancies", &allowed), Some("dependencies"));
        assert_eq!(closest("verison", &allowed), Some("version"));
        assert_eq!(closest("homepage", &allowed), None);
    }
}
