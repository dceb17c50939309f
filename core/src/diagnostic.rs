//! Problems found in a project, with where they are and what to do.
//!
//! A [`Diagnostic`] carries a byte span into the file it is about; line and
//! column are computed once, when it is created, from that file's text. How
//! it is shown (a caret snippet in a terminal, JSON for editors, inline marks
//! in the browser) is decided at the edge, never here.

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The project cannot be built as it is (unless `FLIT_ALLOW_INVALID` is set,
    /// for the problems flit also lets through).
    Error,
    /// Worth fixing; the build goes on.
    Warning,
}

impl Severity {
    /// The lower-case word used in rendered diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A byte range in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from a byte range.
    pub fn new(range: std::ops::Range<usize>) -> Self {
        Span { start: range.start, end: range.end }
    }
}

/// A 1-based position range in a file, counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// Line of the first character (1-based).
    pub line: usize,
    /// Column of the first character (1-based, in Unicode scalar values).
    pub column: usize,
    /// Line of the end of the span.
    pub end_line: usize,
    /// Column just after the last character.
    pub end_column: usize,
}

impl Location {
    /// Computes the location of `span` in `text`. Out-of-range spans are
    /// clamped to the text, never a panic.
    pub fn of(text: &str, span: Span) -> Location {
        let (line, column) = line_column(text, span.start);
        let (end_line, end_column) = line_column(text, span.end.max(span.start));
        Location { line, column, end_line, end_column }
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case name for the kind of problem (`invalid-name`).
    pub code: &'static str,
    /// What is wrong, naming the key in backticks.
    pub message: String,
    /// The project-relative file the problem is in (`pyproject.toml`).
    pub file: String,
    /// Where in `file`, when the problem has a place.
    pub span: Option<Span>,
    /// `span` as lines and columns.
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about `file` as a whole.
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.into(),
            span: None,
            location: None,
            help: None,
        }
    }

    /// A warning about `file` as a whole.
    pub fn warning(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, message) }
    }

    /// Points the diagnostic at `span` of `text` (the text of `self.file`).
    pub fn at(mut self, text: &str, span: Span) -> Self {
        self.span = Some(span);
        self.location = Some(Location::of(text, span));
        self
    }

    /// Adds advice.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form: `file:line:column: severity[code]: message`.
    pub fn headline(&self) -> String {
        let place = match &self.location {
            Some(location) => format!("{}:{}:{}", self.file, location.line, location.column),
            None => self.file.clone(),
        };
        format!("{place}: {}[{}]: {}", self.severity.as_str(), self.code, self.message)
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.headline())?;
        if let Some(help) = &self.help {
            write!(formatter, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The flat, stable form of a diagnostic that leaves the program: the JSON
/// of `flit check --format json` and the browser package's `Diagnostic`.
/// Fields are never removed or renamed; new ones may be added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticRecord {
    /// `"error"` or `"warning"`.
    pub severity: Severity,
    /// The stable kebab-case code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// The file it is about (project-relative, or a distribution's name).
    pub file: String,
    /// 1-based line of the start, when the problem has a place.
    pub line: Option<usize>,
    /// 1-based column of the start, in characters.
    pub column: Option<usize>,
    /// 1-based line of the end.
    pub end_line: Option<usize>,
    /// 1-based column just after the end.
    pub end_column: Option<usize>,
    /// What to do about it.
    pub help: Option<String>,
}

impl From<&Diagnostic> for DiagnosticRecord {
    fn from(diagnostic: &Diagnostic) -> Self {
        let location = diagnostic.location;
        DiagnosticRecord {
            severity: diagnostic.severity,
            code: diagnostic.code.to_owned(),
            message: diagnostic.message.clone(),
            file: diagnostic.file.clone(),
            line: location.map(|location| location.line),
            column: location.map(|location| location.column),
            end_line: location.map(|location| location.end_line),
            end_column: location.map(|location| location.end_column),
            help: diagnostic.help.clone(),
        }
    }
}

/// Every problem found in one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True if any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|diagnostic| diagnostic.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|diagnostic| !diagnostic.is_error())
    }

    /// All problems, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// True if nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems in their flat, stable form.
    pub fn records(&self) -> Vec<DiagnosticRecord> {
        self.0.iter().map(DiagnosticRecord::from).collect()
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                formatter.write_str("\n")?;
            }
            write!(formatter, "{diagnostic}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_characters_from_one() {
        let text = "a = 1\n[project]\nnäme = 'x'\n";
        let start = text.find("= 'x'").unwrap();
        let location = Location::of(text, Span { start, end: start + 1 });
        assert_eq!((location.line, location.column), (3, 6));
    }

    #[test]
    fn out_of_range_spans_are_clamped() {
        let location = Location::of("ab", Span { start: 10, end: 20 });
        assert_eq!((location.line, location.column), (1, 3));
    }
}
