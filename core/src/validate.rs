//! The extra checks the `flit` command line runs before building.
//!
//! flit's backend (`flit_core`) builds anything its configuration reader
//! accepts; the `flit` CLI additionally runs `flit/validate.py` over the
//! loaded metadata and refuses to go on if it finds problems (unless
//! `FLIT_ALLOW_INVALID` is set). These functions reproduce those checks:
//! the same regular expressions (matched by hand, with the same
//! backtracking priorities) and the same messages, word for word, so a user
//! sees what flit would print. Each [`Problem`] also carries the byte range
//! of the offending text within the checked string, so a diagnostic can point
//! at it, and [`ProblemKind::hint`] says what to do.
//!
//! Two helpers used when building metadata live here too, because they are
//! the same kind of string matching: [`supports_py2`] (the wheel tag
//! heuristic) and [`normalise_requires_dist_extras`].

use std::ops::Range;

use crate::names::{is_dotted_identifier, is_valid_project_name, normalise_name};
use pystr::{is_python_whitespace, python_repr, python_strip};

/// Python `str` semantics that flit's messages and regexes depend on.
pub(crate) mod pystr {
    /// Python's `str.isspace()` (and the regex class `\s` for `str`
    /// patterns): Unicode `White_Space` plus the four ASCII information
    /// separators U+001C..U+001F, which Python counts as whitespace.
    pub fn is_python_whitespace(c: char) -> bool {
        c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
    }

    /// Python's `str.strip()` with no argument.
    pub fn python_strip(text: &str) -> &str {
        text.trim_matches(is_python_whitespace)
    }

    /// Python's `repr()` of a `str`, which flit uses to quote values in its
    /// messages (`{value!r}`): single quotes unless the text contains a
    /// single quote and no double quote, backslash escapes for the quote,
    /// backslashes and unprintable characters.
    ///
    /// Python decides "printable" from the Unicode database; this knows the
    /// controls, separators, format characters and private-use ranges, but
    /// not every unassigned code point (those Python would escape). Only the
    /// text of messages can differ, never a decision.
    pub fn python_repr(text: &str) -> String {
        let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
        let mut out = String::with_capacity(text.len() + 2);
        out.push(quote);
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c if c == quote => {
                    out.push('\\');
                    out.push(c);
                }
                c if is_printable(c) => out.push(c),
                c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push_str(&format!("\\U{:08x}", c as u32)),
            }
        }
        out.push(quote);
        out
    }

    /// An approximation of Python's `str.isprintable()` for one character:
    /// false for categories Cc, Zs (except space), Zl, Zp, Cf, Co and the
    /// non-characters.
    fn is_printable(c: char) -> bool {
        let code = c as u32;
        if c == ' ' {
            return true;
        }
        if c.is_control() || is_python_whitespace(c) {
            return false;
        }
        let format_or_private = matches!(code,
            0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2 | 0x180e
            | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f
            | 0xfeff | 0xfff9..=0xfffb | 0x110bd | 0x110cd | 0x13430..=0x13438
            | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f
            | 0xe000..=0xf8ff | 0xf0000..=0x10ffff);
        let noncharacter = (0xfdd0..=0xfdef).contains(&code) || code & 0xfffe == 0xfffe;
        !(format_or_private || noncharacter)
    }
}

/// What kind of problem a check found; each kind has a [`hint`](Self::hint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// An entry point is not `module:object` or `module` with dotted
    /// identifiers.
    InvalidEntryPoint,
    /// The project name is not a valid distribution name.
    InvalidName,
    /// `requires-python` is not a list of version specifiers.
    InvalidRequiresPython,
    /// A requirement does not have the shape `name [extras] version ; marker`.
    UnparsableRequirement,
    /// An extra in `name[extra, ...]` is not a valid name.
    InvalidExtras,
    /// The version part of a requirement is not a list of specifiers.
    InvalidVersionSpecifier,
    /// An environment marker clause is not `left operator right`.
    InvalidMarkerExpression,
    /// A quoted string in an environment marker is not closed.
    InvalidMarkerString,
    /// An unquoted word in an environment marker is not a marker variable.
    InvalidMarkerVariable,
    /// A project URL entry has no comma separating label and URL.
    UrlWithoutLabel,
    /// A project URL label is empty.
    EmptyUrlLabel,
    /// A project URL label is longer than 32 characters.
    UrlLabelTooLong,
    /// A URL does not start with `http://` or `https://`.
    UrlNotHttp,
    /// A URL has nothing after `//`.
    UrlMissingAddress,
}

impl ProblemKind {
    /// What the user should do about a problem of this kind.
    pub fn hint(self) -> &'static str {
        match self {
            ProblemKind::InvalidEntryPoint => {
                "write entry points as `package.module:object.attribute` or `package.module`, using Python identifiers"
            }
            ProblemKind::InvalidName => {
                "a name may contain only ASCII letters, digits, `.`, `_` and `-`, and must start and end with a letter or digit"
            }
            ProblemKind::InvalidRequiresPython | ProblemKind::InvalidVersionSpecifier => {
                "write comma-separated version specifiers such as `>=3.8` or `>=1.2, <2`"
            }
            ProblemKind::UnparsableRequirement => {
                "write requirements as `name[extra1, extra2] >=version ; marker` (see PEP 508)"
            }
            ProblemKind::InvalidExtras => {
                "extras may contain only ASCII letters, digits, `.`, `_` and `-`, separated by commas"
            }
            ProblemKind::InvalidMarkerExpression => {
                "each marker clause must be `variable operator 'value'`, joined with `and` or `or`"
            }
            ProblemKind::InvalidMarkerString => "close the quoted string with the same quote that opens it",
            ProblemKind::InvalidMarkerVariable => {
                "use a marker variable such as `python_version`, `sys_platform` or `extra`, or quote the value"
            }
            ProblemKind::UrlWithoutLabel | ProblemKind::EmptyUrlLabel => {
                "give each URL a label: `[project.urls]` entries look like `Homepage = \"https://...\"`"
            }
            ProblemKind::UrlLabelTooLong => "shorten the URL label to at most 32 characters",
            ProblemKind::UrlNotHttp | ProblemKind::UrlMissingAddress => {
                "write a full URL starting with `https://` or `http://`"
            }
        }
    }
}

/// One problem found by a check: flit's message, what kind it is, and where
/// in the checked string the offending text is (a byte range), if it can be
/// narrowed down.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Problem {
    /// What kind of problem this is.
    pub kind: ProblemKind,
    /// The message flit 4.2 prints for it, word for word.
    pub message: String,
    /// Byte range of the offending text within the checked string.
    pub span: Option<Range<usize>>,
}

impl Problem {
    fn new(kind: ProblemKind, message: String, span: Option<Range<usize>>) -> Self {
        Problem { kind, message, span }
    }
}

/// Byte offset of `inner` (a sub-slice of `outer`) within `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

/// Byte range of `inner` (a sub-slice of `outer`) within `outer`.
fn range_in(outer: &str, inner: &str) -> Range<usize> {
    let start = offset_in(outer, inner);
    start..start + inner.len()
}

/// Checks an entry point value (`[project.scripts]`, `[project.gui-scripts]`,
/// `[project.entry-points.*]`): `module:object` where both sides are dotted
/// Python identifiers, or a bare dotted identifier. `a:b:c` is invalid.
///
/// The message is `Invalid entry point: <value>`; flit's own wording names
/// the group and key too, see [`entry_point_message`].
pub fn check_entry_point(value: &str) -> Result<(), Problem> {
    let bad_part = match value.split_once(':') {
        Some((module, object)) => {
            if !is_dotted_identifier(module) {
                Some(module)
            } else if !is_dotted_identifier(object) {
                Some(object)
            } else {
                None
            }
        }
        None => (!is_dotted_identifier(value)).then_some(value),
    };
    match bad_part {
        None => Ok(()),
        Some(part) => Err(Problem::new(
            ProblemKind::InvalidEntryPoint,
            format!("Invalid entry point: {value}"),
            Some(range_in(value, part)),
        )),
    }
}

/// flit's message for an invalid entry point `key = value` in `group`.
pub fn entry_point_message(group: &str, key: &str, value: &str) -> String {
    format!("Invalid entry point in group {group}: {key} = {value}")
}

/// Checks the project name as flit's CLI does ("Invalid name: '<n>'").
pub fn check_name(name: &str) -> Result<(), Problem> {
    if is_valid_project_name(name) {
        Ok(())
    } else {
        Err(Problem::new(ProblemKind::InvalidName, format!("Invalid name: {}", python_repr(name)), Some(0..name.len())))
    }
}

/// flit's `VERSION_SPEC` regex, `(~=|===?|!=|<=?|>=?)\s*[A-Z0-9\-_.*+!]+$`
/// (case-insensitive), on one already-stripped clause.
///
/// Python's case-insensitive `[A-Z]` also matches four non-ASCII letters
/// (`İ`, `ı`, `ſ`, and the Kelvin sign); this accepts ASCII only, a
/// deliberate difference: such versions cannot be valid anywhere else.
fn is_version_clause(clause: &str) -> bool {
    let rest = ["~=", "===", "==", "!=", "<=", "<", ">=", ">"].iter().find_map(|op| clause.strip_prefix(op));
    let Some(rest) = rest else { return false };
    let version = rest.trim_start_matches(is_python_whitespace);
    !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*' | b'+' | b'!'))
}

/// The first comma-separated clause of `spec` that is not a version
/// specifier (stripped), or `None` if all are.
fn first_bad_version_clause(spec: &str) -> Option<&str> {
    spec.split(',').map(python_strip).find(|clause| !is_version_clause(clause))
}

/// Checks `requires-python`: comma-separated clauses, each an operator
/// (`~=`, `==`, `===`, `!=`, `<`, `<=`, `>`, `>=`), optional whitespace and
/// a version made of letters, digits and `-_.*+!`.
pub fn check_requires_python(spec: &str) -> Result<(), Problem> {
    match first_bad_version_clause(spec) {
        None => Ok(()),
        Some(clause) => Err(Problem::new(
            ProblemKind::InvalidRequiresPython,
            format!("Invalid requires-python: {}", python_repr(spec)),
            Some(if clause.is_empty() { 0..spec.len() } else { range_in(spec, clause) }),
        )),
    }
}

/// The parts flit's `REQUIREMENT` regex captures.
#[derive(Debug, Default, PartialEq, Eq)]
struct RequirementParts {
    extras: Option<Range<usize>>,
    version: Option<Range<usize>>,
    envmark: Option<Range<usize>>,
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-')
}

/// The version and environment-marker captures of a requirement.
type VersionAndMarker = (Option<Range<usize>>, Option<Range<usize>>);

/// Matches flit's requirement regex:
///
/// ```text
/// ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])  \s*(?P<extras>\[.*\])?
///  \s*(?P<version>[(=~<>!@][^;]*)?  \s*(?P<envmark>;.*)?  $
/// ```
///
/// with Python's semantics: `.` does not match a newline, `$` also matches
/// before a final newline, and the first successful combination in
/// backtracking order decides the captures.
fn match_requirement(text: &str) -> Option<RequirementParts> {
    let bytes = text.as_bytes();
    // The name: nothing that can follow it starts with a name character, so
    // it is the longest run of name characters, which must end in an
    // alphanumeric.
    let name_length = bytes.iter().take_while(|&&b| is_name_byte(b)).count();
    if name_length == 0 || !bytes[0].is_ascii_alphanumeric() || !bytes[name_length - 1].is_ascii_alphanumeric() {
        return None;
    }
    let after_name = skip_whitespace(text, name_length);
    // `.` stops at the first newline.
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);

    // `\s* (;.*)? $` after the version (or where it would be). Only the
    // greedy whitespace run can succeed: a shorter one leaves whitespace,
    // which neither `;` nor the end of the text matches (a final newline is
    // both whitespace and allowed before `$`, so it changes nothing).
    let tail = |pos: usize| -> Option<Option<Range<usize>>> {
        let pos = skip_whitespace(text, pos);
        if pos == text.len() {
            return Some(None);
        }
        if bytes[pos] != b';' {
            return None;
        }
        let end = line_end(pos);
        let at_end = end == text.len() || (end + 1 == text.len() && bytes[end] == b'\n');
        at_end.then_some(Some(pos..end))
    };
    // `\s* ([(=~<>!@][^;]*)? <tail>` at `pos`. A shorter version than the
    // longest would leave a non-`;` character that the tail can only skip
    // if it is whitespace, giving the same tail, so the longest decides.
    let from_version = |pos: usize| -> Option<VersionAndMarker> {
        let pos = skip_whitespace(text, pos);
        if pos < text.len() && b"(=~<>!@".contains(&bytes[pos]) {
            let end = text[pos..].find(';').map_or(text.len(), |i| pos + i);
            if let Some(envmark) = tail(end) {
                return Some((Some(pos..end), envmark));
            }
        }
        tail(pos).map(|envmark| (None, envmark))
    };

    // `(\[.*\])?`: greedy, so the last `]` on the line is tried first.
    if bytes.get(after_name) == Some(&b'[') {
        let closing = text[after_name..line_end(after_name)].rmatch_indices(']').map(|(i, _)| after_name + i);
        for close in closing {
            if let Some((version, envmark)) = from_version(close + 1) {
                return Some(RequirementParts { extras: Some(after_name..close + 1), version, envmark });
            }
        }
    }
    from_version(after_name).map(|(version, envmark)| RequirementParts { extras: None, version, envmark })
}

/// Skips Python whitespace from byte `pos`.
fn skip_whitespace(text: &str, pos: usize) -> usize {
    text.len() - text[pos..].trim_start_matches(is_python_whitespace).len()
}

/// Checks one `Requires-Dist` value as flit's CLI does: the overall shape,
/// the extras, the version specifiers (a parenthesised list is unwrapped; a
/// `@ url` is not checked) and the environment marker. Returns every
/// problem, in flit's order; an empty list means the requirement passes.
///
/// flit runs this on the generated list, i.e. including the
/// `; extra == "name"` markers added for optional dependencies.
pub fn check_requirement(requirement: &str) -> Vec<Problem> {
    let quoted = python_repr(requirement);
    let Some(parts) = match_requirement(requirement) else {
        return vec![Problem::new(
            ProblemKind::UnparsableRequirement,
            format!("Could not parse requirement: {quoted}"),
            Some(0..requirement.len()),
        )];
    };
    let mut problems = Vec::new();
    if let Some(extras) = parts.extras {
        let inner = &requirement[extras.start + 1..extras.end - 1];
        if let Some(bad) = inner.split(',').map(python_strip).find(|extra| !is_valid_project_name(extra)) {
            let span = if bad.is_empty() { extras } else { range_in(requirement, bad) };
            problems.push(Problem::new(
                ProblemKind::InvalidExtras,
                format!("Invalid extras in requirement: {quoted}"),
                Some(span),
            ));
        }
    }
    if let Some(version) = parts.version {
        let mut version = &requirement[version];
        if version.starts_with('(') && version.ends_with(')') && version.len() >= 2 {
            version = &version[1..version.len() - 1];
        }
        if !version.starts_with('@') && first_bad_version_clause(version).is_some() {
            problems.push(Problem::new(
                ProblemKind::InvalidVersionSpecifier,
                format!("Invalid version specifier {} in requirement {quoted}", python_repr(version)),
                Some(range_in(requirement, version)),
            ));
        }
    }
    if let Some(envmark) = parts.envmark {
        let marker_start = envmark.start + 1;
        for mut problem in check_environment_marker(&requirement[marker_start..envmark.end]) {
            problem.span = problem.span.map(|span| span.start + marker_start..span.end + marker_start);
            problems.push(problem);
        }
    }
    problems
}

/// The variables flit allows in environment markers.
const MARKER_VARIABLES: &[&str] = &[
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
];

/// Splits `text` around the non-overlapping matches of a matcher, like
/// Python's `re.split`. `matcher(text, pos)` returns the end of a match
/// starting at `pos`. Returns (pieces, separators).
fn regex_split(text: &str, matcher: impl Fn(&str, usize) -> Option<usize>) -> (Vec<&str>, Vec<&str>) {
    let mut pieces = Vec::new();
    let mut separators = Vec::new();
    let mut piece_start = 0;
    let mut pos = 0;
    while pos < text.len() {
        match matcher(text, pos) {
            Some(end) if end > pos => {
                pieces.push(&text[piece_start..pos]);
                separators.push(&text[pos..end]);
                piece_start = end;
                pos = end;
            }
            _ => pos += text[pos..].chars().next().map_or(1, char::len_utf8),
        }
    }
    pieces.push(&text[piece_start..]);
    (pieces, separators)
}

/// `\s+` at `pos`: the end of the whitespace run, if there is one.
fn whitespace_run(text: &str, pos: usize) -> Option<usize> {
    let end = skip_whitespace(text, pos);
    (end > pos).then_some(end)
}

/// `\s+(?:and|or)\s+` at `pos`.
fn and_or_separator(text: &str, pos: usize) -> Option<usize> {
    let word_start = whitespace_run(text, pos)?;
    let rest = &text[word_start..];
    let word_end = word_start + ["and", "or"].iter().find(|word| rest.starts_with(*word))?.len();
    whitespace_run(text, word_end)
}

/// flit's `MARKER_OP`: `~=|===?|!=|<=?|>=?|\s+in\s+|\s+not in\s+` at `pos`.
fn marker_operator(text: &str, pos: usize) -> Option<usize> {
    let rest = &text[pos..];
    if let Some(op) = ["~=", "===", "==", "!=", "<=", "<", ">=", ">"].iter().find(|op| rest.starts_with(*op)) {
        return Some(pos + op.len());
    }
    let word_start = whitespace_run(text, pos)?;
    let rest = &text[word_start..];
    let word_end = word_start + ["in", "not in"].iter().find(|word| rest.starts_with(*word))?.len();
    whitespace_run(text, word_end)
}

/// flit's marker check: split into clauses at `and`/`or`, then each clause
/// (stripped of whitespace and outer parentheses) must be exactly
/// `left operator right`, each side a quoted string or a marker variable.
/// Spans are relative to `marker`.
fn check_environment_marker(marker: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let (clauses, _) = regex_split(marker, and_or_separator);
    for clause in clauses {
        let inner = python_strip(clause).trim_matches(['(', ')']);
        let (sides, operators) = regex_split(inner, marker_operator);
        if operators.len() != 1 {
            problems.push(Problem::new(
                ProblemKind::InvalidMarkerExpression,
                format!("Invalid expression in environment marker: {}", python_repr(clause)),
                Some(range_in(marker, clause)),
            ));
            continue;
        }
        for side in sides {
            let value = python_strip(side);
            let span = Some(range_in(marker, value));
            let first = value.chars().next();
            if let Some(quote @ ('"' | '\'')) = first {
                if value.chars().count() < 2 || !value.ends_with(quote) {
                    problems.push(Problem::new(
                        ProblemKind::InvalidMarkerString,
                        format!("Invalid string in environment marker: {value}"),
                        span,
                    ));
                }
            } else if !MARKER_VARIABLES.contains(&value) {
                problems.push(Problem::new(
                    ProblemKind::InvalidMarkerVariable,
                    format!("Invalid variable name in environment marker: {}", python_repr(value)),
                    span,
                ));
            }
        }
    }
    problems
}

/// Checks one `Project-URL` value, `"<label>, <url>"`, as flit's CLI does:
/// the label (up to the first comma) must be non-empty and at most 32
/// characters; the URL (after the comma, left-stripped) must start with
/// `http://` or `https://` and have something after `//`.
///
/// A label containing a comma is split at that comma, as in flit.
pub fn check_project_url(label_and_url: &str) -> Vec<Problem> {
    let Some((label, url)) = label_and_url.split_once(',') else {
        // flit never builds such a value (it would crash on it).
        return vec![Problem::new(
            ProblemKind::UrlWithoutLabel,
            format!("No label for project URL {}", python_repr(label_and_url)),
            Some(0..label_and_url.len()),
        )];
    };
    let url = url.trim_start_matches(is_python_whitespace);
    let mut problems = Vec::new();
    if label.is_empty() {
        problems.push(Problem::new(
            ProblemKind::EmptyUrlLabel,
            format!("No name for project URL {}", python_repr(url)),
            Some(0..0),
        ));
    } else if label.chars().count() > 32 {
        problems.push(Problem::new(
            ProblemKind::UrlLabelTooLong,
            format!("Project URL name {} longer than 32 characters", python_repr(label)),
            Some(0..label.len()),
        ));
    }
    let url_span = Some(range_in(label_and_url, url));
    match url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")) {
        None => problems.push(Problem::new(
            ProblemKind::UrlNotHttp,
            format!("URL {} doesn't start with https:// or http://", python_repr(url)),
            url_span,
        )),
        Some("") => problems.push(Problem::new(ProblemKind::UrlMissingAddress, "URL missing address".into(), url_span)),
        Some(_) => {}
    }
    problems
}

/// Whether the wheel should be tagged `py2.py3` rather than `py3`, by flit's
/// heuristic (`Metadata.supports_py2`): Python 2 is assumed supported unless
/// some comma-separated clause of `requires-python` is a lower bound
/// (`>=`, `>`, `~=`, `==`, `===`, or no operator) on a version starting with
/// a digit 3 to 9. So `>=3.8` gives `py3`, but `<4` or `!=2.7` give `py2.py3`.
pub fn supports_py2(requires_python: Option<&str>) -> bool {
    let spec = requires_python.unwrap_or("");
    !spec.split(',').any(|clause| {
        // `^\s*(>=?|~=|===?)?\s*[3-9]`
        let rest = clause.trim_start_matches(is_python_whitespace);
        let rest = [">=", ">", "~=", "===", "=="].iter().find_map(|op| rest.strip_prefix(op)).unwrap_or(rest);
        let rest = rest.trim_start_matches(is_python_whitespace);
        matches!(rest.as_bytes().first(), Some(b'3'..=b'9'))
    })
}

/// Normalises the extras of a requirement as flit writes it into
/// `Requires-Dist` (4.2 behaviour): only a `[...]` directly after the project
/// name (optional spaces or tabs between) counts; its comma-separated items
/// are stripped, normalised (runs of `-_.` become `-`, lower case) and joined
/// with `", "`. Brackets elsewhere (a URL, a marker string) are untouched.
/// `foo[A,B] >=1` gives `foo[a, b] >=1`.
pub fn normalise_requires_dist_extras(requirement: &str) -> String {
    // `[ \t]*[A-Za-z0-9][A-Za-z0-9._-]*[ \t]*\[([^]]*)\]`, deterministic.
    let bytes = requirement.as_bytes();
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let mut pos = bytes.iter().take_while(|b| blank(b)).count();
    if !bytes.get(pos).is_some_and(u8::is_ascii_alphanumeric) {
        return requirement.to_owned();
    }
    pos += bytes[pos..].iter().take_while(|&&b| is_name_byte(b)).count();
    pos += bytes[pos..].iter().take_while(|b| blank(b)).count();
    if bytes.get(pos) != Some(&b'[') {
        return requirement.to_owned();
    }
    let inner_start = pos + 1;
    let Some(inner_length) = requirement[inner_start..].find(']') else {
        return requirement.to_owned();
    };
    let inner = &requirement[inner_start..inner_start + inner_length];
    let extras: Vec<String> = inner.split(',').map(|extra| normalise_name(python_strip(extra))).collect();
    format!("{}{}{}", &requirement[..inner_start], extras.join(", "), &requirement[inner_start + inner_length..])
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    #[test]
    fn python_repr_matches_python() {
        let cases = [
            ("abc", "'abc'"),
            ("it's", "\"it's\""),
            ("a\"b", "'a\"b'"),
            ("a'b\"c", "'a\\'b\"c'"),
            (
                "\u{85}\u{a0}\u{ad}\u{200b}\u{2028}\u{e000}\u{e0001}\u{feff}\u{fffe}\u{10ffff}\u{7f}\u{0}\t\n\r\\ é",
                "'\\x85\\xa0\\xad\\u200b\\u2028\\ue000\\U000e0001\\ufeff\\ufffe\\U0010ffff\\x7f\\x00\\t\\n\\r\\\\ é'",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(python_repr(input), expected);
        }
    }

    #[test]
    fn python_whitespace_includes_information_separators() {
        for c in ['\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1f}', ' ', '\u{85}', '\u{a0}', '\u{3000}'] {
            assert!(is_python_whitespace(c), "{c:?}");
        }
        for c in ['\u{0}', '\u{200b}', '\u{180e}', 'a', '\u{feff}'] {
            assert!(!is_python_whitespace(c), "{c:?}");
        }
    }

    #[test]
    fn entry_points() {
        for good in ["a", "a.b", "a:b", "a.b:c.d", "_x:y", "é:ü", "pkg.mod:main"] {
            assert_eq!(check_entry_point(good), Ok(()), "{good}");
        }
        for (bad, span) in [
            ("", 0..0),
            ("a:b:c", 2..5),
            ("a b", 0..3),
            (":b", 0..0),
            ("a:", 2..2),
            ("a.:b", 0..2),
            ("1a:b", 0..2),
            ("a:b-c", 2..5),
        ] {
            let problem = check_entry_point(bad).unwrap_err();
            assert_eq!(problem.message, format!("Invalid entry point: {bad}"));
            assert_eq!(problem.span, Some(span), "{bad}");
        }
        assert_eq!(
            entry_point_message("console_scripts", "x", "a:b:c"),
            "Invalid entry point in group console_scripts: x = a:b:c"
        );
    }

    #[test]
    fn requires_python() {
        for good in [
            ">=3",
            ">=3.8, <4",
            "~=3.8",
            "===3.8.1",
            "==3.*",
            "!=3.0.*",
            ">3",
            "<4",
            "<= 4",
            ">=\t3",
            " >=3 ",
            ">=3,<4",
            "==1!2+x_y-z",
        ] {
            assert_eq!(check_requires_python(good), Ok(()), "{good:?}");
        }
        for bad in ["3", ">=3,", "", ">=", ">= ", "=3", ">=3 4", "=>3", ">=3;", "~3", ">=3.8,,<4", ">=(3)"] {
            let problem = check_requires_python(bad).unwrap_err();
            assert_eq!(problem.message, format!("Invalid requires-python: {}", python_repr(bad)));
        }
        assert_eq!(check_requires_python(">=3.8, 4").unwrap_err().span, Some(7..8));
    }

    fn messages(requirement: &str) -> Vec<String> {
        check_requirement(requirement).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn requirements_that_pass() {
        for good in [
            "requests",
            "requests >= 2.18",
            "requests>=2,<3",
            "a",
            "a.b-c_d",
            "foo[bar]",
            "foo [bar, baz] (>=1.0)",
            "foo (>=1.0)",
            "foo @ https://example.com/foo.whl",
            "foo; python_version < '3.8'",
            "foo ; extra == \"test\"",
            "mock ; extra == \"test\" and ( python_version<'3.6')",
            "foo; os_name == 'nt' or sys_platform == 'win32'",
            "foo; 'linux' in sys_platform",
            "foo; 'linux' not in sys_platform",
            "foo\n",
            "foo>=1\n",
            "foo; a=='b'\n".replace('a', "extra").as_str(),
        ] {
            assert_eq!(messages(good), Vec::<String>::new(), "{good:?}");
        }
    }

    #[test]
    fn requirements_with_problems() {
        assert_eq!(messages("-foo"), ["Could not parse requirement: '-foo'"]);
        assert_eq!(messages("foo-"), ["Could not parse requirement: 'foo-'"]);
        assert_eq!(messages("foo bar"), ["Could not parse requirement: 'foo bar'"]);
        assert_eq!(messages("foo; extra=='b'\nx"), ["Could not parse requirement: \"foo; extra=='b'\\nx\""]);
        assert_eq!(messages("foo[]"), ["Invalid extras in requirement: 'foo[]'"]);
        assert_eq!(messages("foo[a,-b]"), ["Invalid extras in requirement: 'foo[a,-b]'"]);
        assert_eq!(
            messages("foo (>=1) ; python_version<\"3\""),
            ["Invalid version specifier '(>=1) ' in requirement 'foo (>=1) ; python_version<\"3\"'"]
        );
        assert_eq!(messages("foo >=1 2"), ["Invalid version specifier '>=1 2' in requirement 'foo >=1 2'"]);
        assert_eq!(messages("foo; a == 'b'"), ["Invalid variable name in environment marker: 'a'"]);
        assert_eq!(messages("foo; python_version"), ["Invalid expression in environment marker: ' python_version'"]);
        assert_eq!(messages("foo; python_version == '3"), ["Invalid string in environment marker: '3"]);
        assert_eq!(
            messages("foo[-] (>x) ; a < b and c"),
            [
                "Invalid extras in requirement: 'foo[-] (>x) ; a < b and c'",
                "Invalid version specifier '(>x) ' in requirement 'foo[-] (>x) ; a < b and c'",
                "Invalid variable name in environment marker: 'a'",
                "Invalid variable name in environment marker: 'b'",
                "Invalid expression in environment marker: 'c'",
            ]
        );
    }

    #[test]
    fn requirement_spans_point_at_the_problem() {
        let requirement = "foo[a, B_] (>=1 x) ; extra == 'x' and bogus < '1'";
        let problems = check_requirement(requirement);
        let spans: Vec<&str> = problems.iter().map(|p| &requirement[p.span.clone().unwrap()]).collect();
        assert_eq!(spans, ["B_", "(>=1 x) ", "bogus"]);
        let problems = check_requirement("foo[a,-b]");
        assert_eq!(problems[0].span, Some(6..8));
    }

    #[test]
    fn extras_backtracking_like_python() {
        // The greedy `\[.*\]` fails here, a shorter one succeeds.
        assert_eq!(
            match_requirement("foo[a] ;x]y\n"),
            Some(RequirementParts { extras: Some(3..6), version: None, envmark: Some(7..11) })
        );
        assert_eq!(
            match_requirement("foo[a]>=1[b]"),
            Some(RequirementParts { extras: Some(3..12), version: None, envmark: None })
        );
        assert_eq!(match_requirement("foo[a]\n[b]"), None);
        assert_eq!(
            match_requirement("foo >=1\n2"),
            Some(RequirementParts { extras: None, version: Some(4..9), envmark: None })
        );
    }

    #[test]
    fn project_urls() {
        assert!(check_project_url("Homepage, https://example.com").is_empty());
        assert!(check_project_url("x, http://a").is_empty());
        let messages = |value: &str| check_project_url(value).into_iter().map(|p| p.message).collect::<Vec<_>>();
        assert_eq!(messages(", https://x"), ["No name for project URL 'https://x'"]);
        assert_eq!(
            messages(&format!("{}, ftp://x", "a".repeat(33))),
            [
                format!("Project URL name '{}' longer than 32 characters", "a".repeat(33)),
                "URL 'ftp://x' doesn't start with https:// or http://".into()
            ]
        );
        assert!(messages(&format!("{}, http://x", "é".repeat(32))).is_empty());
        assert_eq!(messages("a, https://"), ["URL missing address"]);
        assert_eq!(messages("a,b, https://x"), ["URL 'b, https://x' doesn't start with https:// or http://"]);
        assert_eq!(check_project_url("no comma")[0].kind, ProblemKind::UrlWithoutLabel);
    }

    #[test]
    fn py2_heuristic() {
        let cases = [
            (None, true),
            (Some(""), true),
            (Some(">=3"), false),
            (Some(">= 3.6"), false),
            (Some("~=3.8"), false),
            (Some("==3.*"), false),
            (Some("===3.8"), false),
            (Some("3.8"), false),
            (Some(">3"), false),
            (Some("<4"), true),
            (Some("!=2.7"), true),
            (Some(">=2.7"), true),
            (Some(">=2.7, !=3.0.*"), true),
            (Some("<4, >=3.6"), false),
            (Some("=3"), true),
            (Some(">=10"), true),
            (Some("\u{3000}>=\u{a0}3"), false),
        ];
        for (spec, expected) in cases {
            assert_eq!(supports_py2(spec), expected, "{spec:?}");
        }
    }

    #[test]
    fn requires_dist_extras() {
        let cases = [
            ("foo[A,B]", "foo[a, b]"),
            ("foo [ Test_Extra , other.x ] >=1", "foo [test-extra, other-x] >=1"),
            ("  foo\t[X]", "  foo\t[x]"),
            ("foo", "foo"),
            ("foo[]", "foo[]"),
            ("foo[a,]", "foo[a, ]"),
            ("foo @ http://[::1]/x", "foo @ http://[::1]/x"),
            ("foo; extra == '[A]'", "foo; extra == '[A]'"),
            ("foo[A", "foo[A"),
            ("-foo[A]", "-foo[A]"),
            ("foo[A\nB]", "foo[a\nb]"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalise_requires_dist_extras(input), expected, "{input:?}");
        }
    }
}
