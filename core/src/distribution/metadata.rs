//! Core metadata (`METADATA` in a wheel, `PKG-INFO` in an sdist) read and
//! validated the way `packaging.metadata` 26.3 does it — the library the
//! index and `twine check` use — with every problem at its line.
//!
//! What is checked, following the core metadata specification:
//! - the file is a header block in RFC 822 form (see [`super::headers`]),
//!   optionally followed by an empty line and the description;
//! - `Metadata-Version` is 2.1 to 2.5; `Name` and `Version` are present and
//!   valid;
//! - every field is a core metadata field, allowed by the declared
//!   version, and single-use fields appear once;
//! - the values `packaging` validates are valid: `Summary` on one line,
//!   `Description-Content-Type`, `Dynamic`, `Provides-Extra`,
//!   `Requires-Dist`, `Requires-Python`, `License-Expression`,
//!   `License-File`, `Import-Name`, `Import-Namespace`, and `Project-URL`
//!   labels that are unique;
//! - the description is given once, either as a field or as the body.

use crate::diagnostic::{Diagnostic, Location, Severity, Span};
use crate::names::{is_identifier, is_valid_project_name, normalise_name};
use crate::validate::pystr::{is_python_whitespace, python_strip};
use crate::version::normalise_version;

use super::content_type::{ContentType, parse_content_type};
use super::headers::{Line, parse_message, split_lines};
use super::license::check_license_expression;

/// A problem in a core metadata file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataProblem {
    /// Error or warning.
    pub severity: Severity,
    /// The stable diagnostic code (`metadata-invalid`, ...).
    pub code: &'static str,
    /// The field concerned, in its specification spelling (`Requires-Dist`),
    /// when there is one.
    pub field: Option<&'static str>,
    /// 1-based line of the problem (1 for problems about the whole file,
    /// such as a missing field, which have no `span`).
    pub line: usize,
    /// The offending text, as a byte range of the file's text.
    pub span: Option<Span>,
    /// What is wrong, naming the field in backticks.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl MetadataProblem {
    /// The problem as a diagnostic about `file`, whose text is `text` (the
    /// text given to [`parse_core_metadata`]), pointing at the line.
    pub fn to_diagnostic(&self, file: &str, text: &str) -> Diagnostic {
        let diagnostic = match self.severity {
            Severity::Error => Diagnostic::error(self.code, file, self.message.clone()),
            Severity::Warning => Diagnostic::warning(self.code, file, self.message.clone()),
        };
        let diagnostic = diagnostic.with_help(self.help.clone());
        match self.span {
            Some(span) => diagnostic.at(text, span),
            None => diagnostic,
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One field of the header block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataField {
    /// The name as written (`Home-page`); names compare case-insensitively.
    pub name: String,
    /// The value as `packaging` reads it: continuation lines keep their line
    /// breaks and indentation.
    pub value: String,
    /// 1-based line where the field starts.
    pub line: usize,
    /// The value's bytes in the text.
    pub value_span: Span,
}

/// Where the description was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescriptionSource {
    /// In the body, after the empty line that ends the fields (what every
    /// current tool writes).
    Body,
    /// In a `Description` field, its lines continued with 8 spaces or
    /// 7 spaces and `|` (the older form).
    Field,
}

/// The long description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The text: the body exactly as written, or the field's value with the
    /// continuation indentation removed, as the specification describes.
    pub text: String,
    /// Where it was given.
    pub source: DescriptionSource,
    /// The span in the metadata file of each line of [`text`](Self::text),
    /// so that a problem at a line of the description can be shown at its
    /// line in the file.
    pub line_spans: Vec<Span>,
}

impl Description {
    /// The span in the metadata file of the description's 1-based `line`.
    pub fn span_of_line(&self, line: usize) -> Option<Span> {
        line.checked_sub(1).and_then(|index| self.line_spans.get(index)).copied()
    }
}

/// Core metadata that follows the specification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMetadata {
    /// `Metadata-Version` (`2.1` to `2.5`).
    pub metadata_version: String,
    /// `Name` as written.
    pub name: String,
    /// `Version` as written.
    pub version: String,
    /// Every field in file order, including the three above.
    pub fields: Vec<MetadataField>,
    /// The description, if any.
    pub description: Option<Description>,
    /// `Description-Content-Type`, parsed, if given.
    pub description_content_type: Option<ContentType>,
    /// Problems that are only warnings (a deprecated SPDX ID, a
    /// `License-File` under Metadata-Version 2.4, ...).
    pub warnings: Vec<MetadataProblem>,
}

impl ParsedMetadata {
    /// The value of the first field called `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|field| field.name.eq_ignore_ascii_case(name)).map(|field| field.value.as_str())
    }

    /// The values of every field called `name` (case-insensitive), in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields.iter().filter(move |field| field.name.eq_ignore_ascii_case(name)).map(|field| field.value.as_str())
    }

    /// The PEP 503 normal form of the name (`foo-bar`).
    pub fn normalised_name(&self) -> String {
        normalise_name(&self.name)
    }

    /// The PEP 440 normal form of the version (valid, by construction).
    pub fn normalised_version(&self) -> String {
        normalise_version(&self.version).unwrap_or_else(|_| self.version.clone())
    }
}

/// Parses and validates core metadata text.
///
/// Returns the metadata when it has no errors (warnings are in
/// [`ParsedMetadata::warnings`]), or every problem found, errors and
/// warnings, in file order.
pub fn parse_core_metadata(text: &str) -> Result<ParsedMetadata, Vec<MetadataProblem>> {
    let analysis = analyse(text);
    if analysis.problems.iter().any(MetadataProblem::is_error) {
        Err(analysis.problems)
    } else {
        let mut metadata = analysis.metadata;
        metadata.warnings = analysis.problems;
        Ok(metadata)
    }
}

/// What [`analyse`] found: whatever could be read, and every problem.
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    /// Fields that are missing or invalid are empty strings here.
    pub metadata: ParsedMetadata,
    /// Whether `Name` is present and valid.
    pub name_valid: bool,
    /// Whether `Version` is present and valid.
    pub version_valid: bool,
    /// Whether the description content type is valid or absent, so that the
    /// description can be rendered.
    pub content_type_usable: bool,
    /// Whether the description was given twice (so neither is used).
    pub description_conflict: bool,
    /// Every problem, in file order.
    pub problems: Vec<MetadataProblem>,
}

/// How a field may be used, from the core metadata specification.
struct FieldRule {
    /// The specification's spelling.
    name: &'static str,
    /// May appear more than once.
    multiple: bool,
    /// The metadata version that introduced it.
    added: &'static str,
}

const fn rule(name: &'static str, multiple: bool, added: &'static str) -> FieldRule {
    FieldRule { name, multiple, added }
}

/// Every core metadata field (the ones `packaging` 26.3 knows).
const FIELD_RULES: &[FieldRule] = &[
    rule("Metadata-Version", false, "1.0"),
    rule("Name", false, "1.0"),
    rule("Version", false, "1.0"),
    rule("Dynamic", true, "2.2"),
    rule("Platform", true, "1.0"),
    rule("Supported-Platform", true, "1.1"),
    rule("Summary", false, "1.0"),
    rule("Description", false, "1.0"),
    rule("Description-Content-Type", false, "2.1"),
    rule("Keywords", false, "1.0"),
    rule("Home-page", false, "1.0"),
    rule("Download-URL", false, "1.1"),
    rule("Author", false, "1.0"),
    rule("Author-email", false, "1.0"),
    rule("Maintainer", false, "1.2"),
    rule("Maintainer-email", false, "1.2"),
    rule("License", false, "1.0"),
    rule("License-Expression", false, "2.4"),
    rule("License-File", true, "2.4"),
    rule("Classifier", true, "1.1"),
    rule("Requires-Dist", true, "1.2"),
    rule("Requires-Python", false, "1.2"),
    rule("Requires-External", true, "1.2"),
    rule("Project-URL", true, "1.2"),
    rule("Provides-Extra", true, "2.1"),
    rule("Provides-Dist", true, "1.2"),
    rule("Obsoletes-Dist", true, "1.2"),
    rule("Import-Name", true, "2.5"),
    rule("Import-Namespace", true, "2.5"),
    rule("Requires", true, "1.1"),
    rule("Provides", true, "1.1"),
    rule("Obsoletes", true, "1.1"),
];

fn field_rule(name: &str) -> Option<&'static FieldRule> {
    FIELD_RULES.iter().find(|rule| rule.name.eq_ignore_ascii_case(name))
}

/// Every metadata version `packaging` knows, oldest first (2.0 was never
/// standardised).
const KNOWN_VERSIONS: &[&str] = &["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"];

/// The versions this checker accepts, as the issue asks: 2.1 (PEP 566) to
/// 2.5 (PEP 794).
pub(crate) const SUPPORTED_VERSIONS: &[&str] = &["2.1", "2.2", "2.3", "2.4", "2.5"];

fn version_age(version: &str) -> Option<usize> {
    KNOWN_VERSIONS.iter().position(|known| *known == version)
}

/// The line boundaries `packaging` refuses in `Summary`.
fn is_line_boundary(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Python 3.11's `keyword.kwlist`.
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

const SPEC_URL: &str = "https://packaging.python.org/specifications/core-metadata/";

/// Collects problems with their lines.
struct Problems<'t> {
    text: &'t str,
    list: Vec<MetadataProblem>,
}

impl Problems<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        field: Option<&'static str>,
        span: Option<Span>,
        message: String,
        help: impl Into<String>,
    ) {
        let line = span.map_or(1, |span| Location::of(self.text, span).line);
        self.list.push(MetadataProblem { severity, code, field, line, span, message, help: help.into() });
    }

    fn error(
        &mut self,
        code: &'static str,
        field: Option<&'static str>,
        span: Option<Span>,
        message: String,
        help: impl Into<String>,
    ) {
        self.push(Severity::Error, code, field, span, message, help);
    }

    fn invalid(&mut self, field: &'static str, span: Span, message: String, help: impl Into<String>) {
        self.error("metadata-invalid", Some(field), Some(span), message, help);
    }
}

/// A field with its rule and whether its value is to be checked.
struct Entry<'a> {
    field: &'a MetadataField,
    rule: &'static FieldRule,
    name_span: Span,
    /// False for repeated single-use fields and fields too new for the
    /// declared version, whose values `packaging` does not look at.
    checked: bool,
}

/// Reads and validates `text`, collecting every problem.
pub(crate) fn analyse(text: &str) -> Analysis {
    let mut problems = Problems { text, list: Vec::new() };
    // Python does not know byte-order marks: the first line would not be a
    // field and the whole file would become the description.
    let offset = if text.starts_with('\u{feff}') {
        problems.error(
            "metadata-invalid",
            None,
            Some(Span { start: 0, end: 3 }),
            "the file starts with a byte-order mark".to_owned(),
            "write the file as UTF-8 without a byte-order mark",
        );
        3
    } else {
        0
    };
    let body_text = text.get(offset..).unwrap_or_default();
    let mut message = parse_message(body_text);
    shift_message(&mut message, offset);
    let all_lines: Vec<Line> = split_lines(body_text)
        .into_iter()
        .map(|line| Line { start: line.start + offset, end: line.end + offset, next: line.next + offset })
        .collect();

    for defect in &message.defects {
        problems.error(
            "metadata-invalid",
            None,
            Some(defect.span),
            defect.message.clone(),
            "each line of the header block must be `Name: value` or an indented continuation, and an empty line must separate the fields from the description",
        );
    }

    let fields: Vec<MetadataField> = message
        .fields
        .iter()
        .map(|field| MetadataField {
            name: field.name.clone(),
            value: field.value.clone(),
            line: Location::of(text, field.name_span).line,
            value_span: field.value_span,
        })
        .collect();

    // Field names, repetitions.
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for (field, header) in fields.iter().zip(&message.fields) {
        let Some(rule) = field_rule(&field.name) else {
            problems.error(
                "metadata-unknown-field",
                None,
                Some(header.name_span),
                format!("`{}` is not a core metadata field", field.name),
                unknown_field_help(&field.name),
            );
            continue;
        };
        let mut checked = true;
        if !rule.multiple
            && let Some(first) = entries.iter().find(|entry| std::ptr::eq(entry.rule, rule))
        {
            problems.error(
                "metadata-repeated-field",
                Some(rule.name),
                Some(header.name_span),
                format!(
                    "`{}` appears more than once (first on line {}); it may appear only once",
                    rule.name, first.field.line
                ),
                format!("keep one `{}` field", rule.name),
            );
            checked = false;
        }
        entries.push(Entry { field, rule, name_span: header.name_span, checked });
    }
    // A repeated single-use field is unusable as a whole, as in `packaging`.
    let repeated: Vec<&'static str> =
        entries.iter().filter(|entry| !entry.checked).map(|entry| entry.rule.name).collect();
    for entry in &mut entries {
        if repeated.contains(&entry.rule.name) {
            entry.checked = false;
        }
    }
    // Metadata-Version, and which fields it allows.
    let mut metadata_version = String::new();
    let mut declared_age = None;
    match entries.iter().find(|entry| entry.rule.name == "Metadata-Version" && entry.checked) {
        Some(entry) => {
            let value = entry.field.value.as_str();
            metadata_version = value.to_owned();
            if SUPPORTED_VERSIONS.contains(&value) {
                declared_age = version_age(value);
            } else {
                let reason = match value {
                    "2.0" => "2.0 was never a standard version".to_owned(),
                    _ if version_age(value).is_some_and(|age| age < 3) => {
                        format!("`{value}` is older than 2.1, the oldest version checked here")
                    }
                    "2.6" => "`2.6` is newer than 2.5, the newest version checked here".to_owned(),
                    _ => format!("`{value}` is not a core metadata version"),
                };
                problems.error(
                    "metadata-version-unsupported",
                    Some("Metadata-Version"),
                    Some(entry.field.value_span),
                    format!("`Metadata-Version` {reason}"),
                    "build the distribution with a current build backend, which writes Metadata-Version 2.1 to 2.5",
                );
            }
        }
        None if repeated.contains(&"Metadata-Version") => {}
        None => problems.error(
            "metadata-missing-field",
            Some("Metadata-Version"),
            None,
            "the required field `Metadata-Version` is missing".to_owned(),
            "the first line of core metadata must be `Metadata-Version: 2.x`; rebuild the distribution",
        ),
    }
    if let Some(declared) = declared_age {
        for entry in &mut entries {
            let Some(added) = version_age(entry.rule.added) else { continue };
            if added <= declared || !entry.checked {
                continue;
            }
            entry.checked = false;
            if entry.rule.name == "License-File" {
                // setuptools wrote License-File long before 2.4; twine drops
                // such fields rather than refusing the file.
                problems.push(
                    Severity::Warning,
                    "metadata-field-too-new",
                    Some("License-File"),
                    Some(entry.name_span),
                    format!("`License-File` needs Metadata-Version 2.4 or later, but this file declares {metadata_version}; uploaders drop it"),
                    "rebuild with a backend that writes Metadata-Version 2.4 or later, or remove the field",
                );
            } else {
                problems.error(
                    "metadata-field-too-new",
                    Some(entry.rule.name),
                    Some(entry.name_span),
                    format!(
                        "`{}` needs Metadata-Version {} or later, but this file declares {metadata_version}",
                        entry.rule.name, entry.rule.added
                    ),
                    format!("raise `Metadata-Version` to {} or later, or remove the field", entry.rule.added),
                );
            }
        }
    }

    // Name and Version.
    let single = |name: &str| entries.iter().find(|entry| entry.rule.name == name && entry.checked);
    let (name, name_valid) = check_name_field(&mut problems, single("Name"), repeated.contains(&"Name"));
    let (version, version_valid) = check_version_field(&mut problems, single("Version"), repeated.contains(&"Version"));

    // The other values.
    let mut content_type = None;
    let mut content_type_usable = true;
    let mut project_url_labels: Vec<(String, usize)> = Vec::new();
    let import_name_count = entries.iter().filter(|entry| entry.rule.name == "Import-Name").count();
    for entry in entries.iter().filter(|entry| entry.checked) {
        let value = entry.field.value.as_str();
        let span = entry.field.value_span;
        match entry.rule.name {
            "Summary" if value.contains(is_line_boundary) => {
                problems.invalid(
                    "Summary",
                    span,
                    "`Summary` must be a single line".to_owned(),
                    "shorten the summary to one line; longer text belongs in the description",
                );
            }
            "Description-Content-Type" => match check_content_type(value) {
                Ok(parsed) => content_type = Some(parsed),
                Err(reason) => {
                    content_type_usable = false;
                    problems.invalid(
                        "Description-Content-Type",
                        span,
                        format!("`Description-Content-Type` `{value}` is not valid: {reason}"),
                        "use `text/markdown`, `text/x-rst` or `text/plain`, optionally with `; charset=UTF-8` (and for Markdown `; variant=GFM` or `; variant=CommonMark`)",
                    );
                }
            },
            "Dynamic" => {
                let lower = value.to_lowercase();
                if ["name", "version", "metadata-version"].contains(&lower.as_str()) {
                    problems.invalid(
                        "Dynamic",
                        span,
                        format!("`{value}` may not be listed in `Dynamic`"),
                        "Name, Version and Metadata-Version are always static; remove this `Dynamic` entry",
                    );
                } else if field_rule(&lower).is_none() {
                    problems.invalid(
                        "Dynamic",
                        span,
                        format!("`Dynamic` lists `{value}`, which is not a core metadata field"),
                        "list only core metadata field names in `Dynamic`",
                    );
                }
            }
            "Provides-Extra" if !is_valid_name(value) => {
                problems.invalid(
                    "Provides-Extra",
                    span,
                    format!("`Provides-Extra` `{value}` is not a valid extra name"),
                    "extra names may contain only ASCII letters, digits, `.`, `_` and `-`, and must start and end with a letter or digit",
                );
            }
            "Requires-Dist" => {
                if let Err(reason) = crate::pep508::parse_requirement(value) {
                    problems.invalid(
                        "Requires-Dist",
                        span,
                        format!("`Requires-Dist` `{value}` is not a valid requirement: {reason}"),
                        "write requirements as `name[extra] >=version ; marker` (PEP 508)",
                    );
                }
            }
            "Requires-Python" => {
                if let Err(reason) = crate::pep508::parse_specifiers(value) {
                    problems.invalid(
                        "Requires-Python",
                        span,
                        format!("`Requires-Python` `{value}` is not a valid list of version specifiers: {reason}"),
                        "write comma-separated version specifiers such as `>=3.9` or `>=3.9, <4`",
                    );
                }
            }
            "License-Expression" => match check_license_expression(value) {
                Ok(checked) => {
                    for id in checked.deprecated {
                        problems.push(
                            Severity::Warning,
                            "metadata-license-deprecated",
                            Some("License-Expression"),
                            Some(span),
                            format!("`License-Expression` uses `{id}`, a deprecated SPDX license ID"),
                            "use the current ID (for example `GPL-3.0-only` or `GPL-3.0-or-later` instead of `GPL-3.0`; see https://spdx.org/licenses/)",
                        );
                    }
                }
                Err(reason) => problems.invalid(
                    "License-Expression",
                    span,
                    format!("`License-Expression` `{value}` is not a valid SPDX license expression: {reason}"),
                    "use an SPDX expression such as `MIT` or `Apache-2.0 OR MIT` (https://spdx.org/licenses/)",
                ),
            },
            "License-File" => {
                if let Some(reason) = license_file_problem(value) {
                    problems.invalid(
                        "License-File",
                        span,
                        format!("`License-File` `{value}` is not valid: {reason}"),
                        "list license files as relative paths with `/` separators, as stored under `.dist-info/licenses/`",
                    );
                }
            }
            "Import-Name" | "Import-Namespace" => {
                // A single empty `Import-Name` means "no import names".
                let lone_empty = entry.rule.name == "Import-Name" && value.is_empty() && import_name_count == 1;
                if !lone_empty && let Some(reason) = import_name_problem(value) {
                    problems.invalid(
                        entry.rule.name,
                        span,
                        format!("`{}` `{value}` is not valid: {reason}", entry.rule.name),
                        "write a dotted Python import name, optionally followed by `; private`",
                    );
                }
            }
            "Project-URL" => {
                let label = python_strip(value.split_once(',').map_or(value, |(label, _)| label)).to_owned();
                match project_url_labels.iter().find(|(existing, _)| *existing == label) {
                    Some((_, line)) => problems.invalid(
                        "Project-URL",
                        span,
                        format!("the `Project-URL` label `{label}` is used twice (also on line {line})"),
                        "give every project URL its own label",
                    ),
                    None => project_url_labels.push((label, entry.field.line)),
                }
            }
            _ => {}
        }
    }

    // The description: a field, the body, or neither — not both.
    let header_description = entries.iter().find(|entry| entry.rule.name == "Description");
    let header_index =
        header_description.and_then(|entry| fields.iter().position(|field| std::ptr::eq(field, entry.field)));
    let body = body_text_from(text, message.body_start);
    let mut description_conflict = repeated.contains(&"Description");
    let mut description = None;
    match (header_index, body) {
        (Some(index), Some(_)) => {
            description_conflict = true;
            let body_span =
                all_lines.get(message.body_first_line).map(|line| Span { start: line.start, end: line.end });
            let field_line = fields.get(index).map_or(1, |field| field.line);
            problems.error(
                "metadata-repeated-field",
                Some("Description"),
                body_span,
                format!(
                    "the description is given twice: in the `Description` field (line {field_line}) and in the body after the fields"
                ),
                "keep only the body (after an empty line) and remove the `Description` field",
            );
        }
        (Some(index), None) if !description_conflict => {
            if let Some(header) = message.fields.get(index) {
                description = Some(unfold_description(text, &all_lines, header));
            }
        }
        (None, Some(body)) => {
            let line_spans = all_lines
                .iter()
                .skip(message.body_first_line)
                .map(|line| Span { start: line.start, end: line.end })
                .collect();
            description = Some(Description { text: body.to_owned(), source: DescriptionSource::Body, line_spans });
        }
        _ => {}
    }

    problems.list.sort_by_key(|problem| (problem.span.is_some(), problem.span.map_or(0, |span| span.start)));
    Analysis {
        metadata: ParsedMetadata {
            metadata_version,
            name,
            version,
            fields,
            description,
            description_content_type: content_type,
            warnings: Vec::new(),
        },
        name_valid,
        version_valid,
        content_type_usable,
        description_conflict,
        problems: problems.list,
    }
}

fn shift_message(message: &mut super::headers::Message, offset: usize) {
    if offset == 0 {
        return;
    }
    let shift = |span: &mut Span| {
        span.start += offset;
        span.end += offset;
    };
    for field in &mut message.fields {
        shift(&mut field.name_span);
        shift(&mut field.value_span);
    }
    for defect in &mut message.defects {
        shift(&mut defect.span);
    }
    message.body_start += offset;
}

/// The body, if there is one (`packaging` ignores an empty body).
fn body_text_from(text: &str, start: usize) -> Option<&str> {
    text.get(start..).filter(|body| !body.is_empty())
}

/// Removes the continuation indentation of a `Description` field: 7 spaces
/// and `|`, or 8 spaces (what setuptools wrote), or otherwise the leading
/// whitespace.
fn unfold_description(text: &str, lines: &[Line], header: &super::headers::HeaderField) -> Description {
    let mut out = String::new();
    let mut line_spans = Vec::new();
    for index in header.first_line..=header.last_line {
        let Some(line) = lines.get(index) else { break };
        let start = if index == header.first_line { header.value_span.start.max(line.start) } else { line.start };
        let content = text.get(start..line.end).unwrap_or_default();
        let content = if index == header.first_line {
            content
        } else if let Some(rest) = content.strip_prefix("       |") {
            rest
        } else if let Some(rest) = content.strip_prefix("        ") {
            rest
        } else {
            content.trim_start_matches([' ', '\t'])
        };
        if index > header.first_line {
            out.push('\n');
        }
        out.push_str(content);
        line_spans.push(Span { start, end: line.end });
    }
    Description { text: out, source: DescriptionSource::Field, line_spans }
}

/// `packaging`'s name rule (`canonicalize_name(validate=True)`): ASCII only.
fn is_valid_name(name: &str) -> bool {
    !name.ends_with('\n') && is_valid_project_name(name)
}

fn check_name_field(problems: &mut Problems<'_>, entry: Option<&Entry<'_>>, repeated: bool) -> (String, bool) {
    let Some(entry) = entry else {
        if !repeated {
            problems.error(
                "metadata-missing-field",
                Some("Name"),
                None,
                "the required field `Name` is missing".to_owned(),
                "core metadata must name the project in a `Name` field; rebuild the distribution",
            );
        }
        return (String::new(), false);
    };
    let value = entry.field.value.as_str();
    if value.is_empty() {
        problems.error(
            "metadata-missing-field",
            Some("Name"),
            Some(entry.field.value_span),
            "the required field `Name` is empty".to_owned(),
            "give the project's name",
        );
        return (String::new(), false);
    }
    if !is_valid_name(value) {
        problems.invalid(
            "Name",
            entry.field.value_span,
            format!("`Name` `{value}` is not a valid project name"),
            "a name may contain only ASCII letters, digits, `.`, `_` and `-`, and must start and end with a letter or digit",
        );
        return (value.to_owned(), false);
    }
    (value.to_owned(), true)
}

fn check_version_field(problems: &mut Problems<'_>, entry: Option<&Entry<'_>>, repeated: bool) -> (String, bool) {
    let Some(entry) = entry else {
        if !repeated {
            problems.error(
                "metadata-missing-field",
                Some("Version"),
                None,
                "the required field `Version` is missing".to_owned(),
                "core metadata must give the version in a `Version` field; rebuild the distribution",
            );
        }
        return (String::new(), false);
    };
    let value = entry.field.value.as_str();
    if value.is_empty() {
        problems.error(
            "metadata-missing-field",
            Some("Version"),
            Some(entry.field.value_span),
            "the required field `Version` is empty".to_owned(),
            "give the version, such as `1.0.2`",
        );
        return (String::new(), false);
    }
    if value.contains(is_line_boundary) || normalise_version(value).is_err() {
        problems.invalid(
            "Version",
            entry.field.value_span,
            format!("`Version` `{value}` is not a valid version (PEP 440)"),
            "use a version such as `1.2.3`, `1.2.3rc1`, `1.2.3.post1` or `1.2.3.dev1`",
        );
        return (value.to_owned(), false);
    }
    (value.to_owned(), true)
}

/// Parses and checks `Description-Content-Type` as `packaging` does.
fn check_content_type(value: &str) -> Result<ContentType, String> {
    let parsed = parse_content_type(value)?;
    if !["text/plain", "text/x-rst", "text/markdown"].contains(&parsed.mime_type.as_str()) {
        return Err(format!("`{}` is not one of `text/plain`, `text/x-rst` and `text/markdown`", parsed.mime_type));
    }
    if let Some(charset) = parsed.parameter("charset")
        && !charset.eq_ignore_ascii_case("utf-8")
    {
        return Err(format!("the charset must be `UTF-8`, not `{charset}`"));
    }
    if parsed.mime_type == "text/markdown"
        && let Some(variant) = parsed.parameter("variant")
        && !["GFM", "CommonMark"].contains(&variant)
    {
        return Err(format!("the Markdown variant must be `GFM` or `CommonMark` (in that case), not `{variant}`"));
    }
    Ok(parsed)
}

/// `packaging`'s `License-File` rules.
fn license_file_problem(path: &str) -> Option<&'static str> {
    if path.contains("..") {
        return Some("`..` is not allowed");
    }
    if path.contains('*') {
        return Some("it must be a path, not a glob pattern");
    }
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'/' | b'\\');
    if path.starts_with(['/', '\\']) || drive {
        return Some("it must be a relative path");
    }
    // `PureWindowsPath(path).as_posix() != path`: backslashes, and anything
    // the path type normalises away (`//`, `.` parts, a trailing `/`).
    let normalises = path.split('/').enumerate().any(|(index, part)| part == "." || (part.is_empty() && index > 0));
    if path.contains('\\') || normalises || path.is_empty() {
        return Some("it must use `/` as separator, without empty or `.` parts");
    }
    None
}

/// `packaging`'s `Import-Name` / `Import-Namespace` rules.
fn import_name_problem(entry: &str) -> Option<String> {
    let (name, annotation) = match entry.split_once(';') {
        Some((name, annotation)) => (name, Some(annotation)),
        None => (entry, None),
    };
    let name = name.trim_end_matches(is_python_whitespace);
    for part in name.split('.') {
        if !is_identifier(part) {
            return Some(format!("`{part}` is not a Python identifier"));
        }
        if PYTHON_KEYWORDS.contains(&part) {
            return Some(format!("`{part}` is a Python keyword"));
        }
    }
    match annotation {
        Some(annotation) if annotation.trim_start_matches(is_python_whitespace) != "private" => {
            Some("the only annotation allowed after `;` is `private`".to_owned())
        }
        _ => None,
    }
}

/// Suggests the field meant, when the name is a near miss.
fn unknown_field_help(name: &str) -> String {
    let squash = |text: &str| text.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    let wanted = squash(name);
    let suggestion = FIELD_RULES
        .iter()
        .find(|rule| squash(rule.name) == wanted || squash(rule.name) == wanted.trim_end_matches('s'));
    match suggestion {
        Some(rule) => format!(
            "did you mean `{}`? Field names are spelt as in the core metadata specification ({SPEC_URL})",
            rule.name
        ),
        None => format!("remove it: only the fields of the core metadata specification are allowed ({SPEC_URL})"),
    }
}
