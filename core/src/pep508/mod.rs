//! PEP 440 versions and specifiers, and PEP 508 dependency specifiers and
//! environment markers, parsed exactly as `packaging` 26.3 parses them.
//!
//! `packaging` is what PyPI, twine and validate-pyproject use to decide
//! whether `Requires-Dist`, `Requires-Python` and the `[project]` fields
//! that become them are valid, so these parsers accept exactly what it
//! accepts, print what it prints (`str()` of the parsed object), and reject
//! what it rejects (a differential test, `tests/pep508.rs`, holds them to
//! that over tens of thousands of inputs). Their errors go further: each
//! names what is wrong and why, and carries the byte range of the offending
//! part of the input, so `flit check` can underline it.
//!
//! - [`parse_version`] is `packaging.version.Version`;
//! - [`parse_specifiers`] is `packaging.specifiers.SpecifierSet`;
//! - [`parse_requirement`] is `packaging.requirements.Requirement`;
//! - [`parse_marker`] is `packaging.markers.Marker`.
//!
//! Every parser runs in time linear in its input and never recurses deeper
//! than [`MAX_MARKER_NESTING`] marker parentheses.
//!
//! # Deliberate differences from packaging
//!
//! Each is an input packaging accepts but cannot use: it fails later, when
//! printing or comparing, or the value cannot be represented. Here they are
//! rejected up front, with a message saying why.
//!
//! - A marker string with a `\N{...}` escape (packaging decodes the
//!   Unicode character name; the name table is too large for the core), or
//!   an escape of a lone surrogate such as `\ud800` (not a character).
//! - A marker string containing both `'` and `"` (through escapes):
//!   packaging parses it but `str()` raises, so it can never be written to
//!   metadata.
//! - A `~=` specifier whose pre-, post- or dev-release label uses a
//!   non-ASCII letter that Python's case-insensitive matching equates with
//!   an ASCII one (`ı`, `İ`, `ſ`, as in `~=1.0poſt1`): packaging's `~=`
//!   pattern lacks the ASCII flag its other patterns have, and its
//!   `Version` rejects the same text, so comparing against the specifier
//!   fails.
//! - A number of more than [`MAX_NUMBER_DIGITS`] digits in the version of a
//!   specifier: packaging's `Version` (Python's `int()`) fails on it, so
//!   comparing fails; `parse_version` rejects it as `Version` does.
//! - Marker parentheses nested more than [`MAX_MARKER_NESTING`] deep:
//!   packaging accepts them until Python's recursion limit (about 450
//!   levels, depending on the caller) and then fails with `RecursionError`.

mod marker;
mod parser;
mod pystring;
mod requirement;
mod specifier;
mod text;
mod version;

use std::ops::Range;

pub use marker::{
    BooleanOperator, Marker, MarkerAtom, MarkerComparison, MarkerExpression, MarkerOperator, MarkerValue,
    MarkerVariable, parse_marker,
};
pub use requirement::{Requirement, parse_requirement};
pub use specifier::{Operator, Specifier, Specifiers, parse_specifiers};
pub use version::{LocalSegment, MAX_NUMBER_DIGITS, Number, PreRelease, PreReleaseKind, Version, parse_version};

/// The deepest nesting of parentheses accepted in a marker.
///
/// Real markers nest two or three levels; the bound keeps the recursive
/// parser (and the recursive tree) far from any stack limit, including the
/// small stacks of WebAssembly.
pub const MAX_MARKER_NESTING: usize = 100;

/// Why a version, specifier, requirement or marker is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Pep508Error {
    /// What is wrong, and usually what to write instead.
    pub message: String,
    /// The byte range, in the parsed text, of the offending part (empty at
    /// the end of the text when something is missing there).
    pub span: Range<usize>,
}

/// `text` in backticks for a message, shortened if long (inputs can be
/// megabytes; a message should not be).
/// Control characters are escaped (`\n`), so a message stays on one line.
pub(crate) fn excerpt(text: &str) -> String {
    const LIMIT: usize = 60;
    let (shown, cut) = match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => (&text[..cut], "…"),
        None => (text, ""),
    };
    let mut quoted = String::with_capacity(shown.len() + 4);
    quoted.push('`');
    for c in shown.chars() {
        if c.is_control() {
            quoted.extend(c.escape_default());
        } else {
            quoted.push(c);
        }
    }
    quoted.push_str(cut);
    quoted.push('`');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short() {
        assert_eq!(excerpt("abc"), "`abc`");
        assert_eq!(excerpt("a\nb\u{1c}"), "`a\\nb\\u{1c}`");
        assert_eq!(excerpt(&"é".repeat(100)), format!("`{}…`", "é".repeat(60)));
    }

    /// Hostile inputs: megabytes of every shape must parse (or fail) in
    /// linear time and without deep recursion.
    #[test]
    fn hostile_inputs_are_cheap() {
        let megabyte = 1 << 20;
        let inputs = [
            "(".repeat(megabyte),
            format!("{}os_name=='a'{}", "(".repeat(MAX_MARKER_NESTING), ")".repeat(MAX_MARKER_NESTING)),
            format!("{}os_name=='a'{}", "(".repeat(MAX_MARKER_NESTING + 1), ")".repeat(MAX_MARKER_NESTING + 1)),
            "os_name=='a' and ".repeat(megabyte / 16) + "os_name=='a'",
            "1.".repeat(megabyte / 2) + "0",
            "1".repeat(megabyte),
            "a-".repeat(megabyte / 2),
            "a".repeat(megabyte) + "é",
            format!("foo{}", ",>=1".repeat(megabyte / 4)),
            format!("foo==={}", "x,".repeat(megabyte / 2)),
            format!("foo[{}]", "a,".repeat(megabyte / 2)),
            format!("foo @ {}", "u".repeat(megabyte)),
            format!("foo; os_name == '{}'", "\\x41".repeat(megabyte / 4)),
            format!("foo; os_name == '{}", "a".repeat(megabyte)),
            format!("foo>=1.0{}", "+a".repeat(megabyte / 2)),
            format!("==1.0+{}", "a.".repeat(megabyte / 2)),
            " ".repeat(megabyte),
            "\u{3000}".repeat(megabyte / 3),
        ];
        for input in &inputs {
            let _ = parse_version(input);
            let _ = parse_specifiers(input);
            let _ = parse_requirement(input);
            let _ = parse_marker(input);
        }
        let deep = format!("{}os_name=='a'{}", "(".repeat(MAX_MARKER_NESTING), ")".repeat(MAX_MARKER_NESTING));
        assert!(parse_marker(&deep).is_ok());
        let deeper = format!("({deep})");
        let error = parse_marker(&deeper).unwrap_err();
        assert_eq!(error.span, MAX_MARKER_NESTING..MAX_MARKER_NESTING + 1);
        assert!(parse_marker(&"os_name=='a' or ".repeat(100_000).replace(" or ", " and ")).is_err());
        let long = "os_name=='a' and ".repeat(100_000) + "os_name=='a'";
        assert_eq!(parse_marker(&long).unwrap().expression().rest.len(), 100_000);
    }
}
