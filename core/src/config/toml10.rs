//! TOML 1.0 conformance.
//!
//! Our TOML parser speaks TOML 1.1, but flit reads `pyproject.toml` with
//! Python's `tomllib`, which speaks TOML 1.0 up to Python 3.14, and so does
//! every other build front end and back end that will later read the
//! `pyproject.toml` inside the sdist. A file using 1.1-only syntax would
//! build here and nowhere else, so those forms are errors, each pointing at
//! the place and saying how to write it in TOML 1.0:
//!
//! - newlines (and so comments) inside an inline table, and a trailing comma
//!   before its closing brace;
//! - the `\e` and `\xHH` escapes in basic strings;
//! - times without seconds (`07:32`, `1979-05-27T07:32Z`).

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

use crate::diagnostic::Span;

/// A TOML 1.1 construct found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Toml11Syntax {
    /// Where it is.
    pub span: Span,
    /// What it is.
    pub what: &'static str,
    /// How to write the same in TOML 1.0.
    pub instead: &'static str,
}

/// Every TOML 1.1-only construct in `text` (which parses as TOML 1.1).
pub(crate) fn toml_1_1_syntax(text: &str) -> Vec<Toml11Syntax> {
    let source = Source::new(text);
    let tokens: Vec<_> = source.lex().collect();
    let mut found = Vec::new();
    // The innermost open bracket decides whether a newline is allowed:
    // inside an array it is, directly inside an inline table it is not.
    // Each entry: the bracket, and whether a problem was already reported
    // for it (one report per inline table is enough).
    let mut open: Vec<(TokenKind, bool)> = Vec::new();
    // A table header `[a.b]` also uses square brackets; it opens and
    // closes on one line and never inside a value, so tracking it on the
    // same stack is harmless.
    for (index, token) in tokens.iter().enumerate() {
        let span = token.span();
        let range = span.start()..span.end();
        let raw = text.get(range.clone()).unwrap_or_default();
        match token.kind() {
            TokenKind::LeftCurlyBracket | TokenKind::LeftSquareBracket => open.push((token.kind(), false)),
            TokenKind::RightCurlyBracket => {
                if open.last() == Some(&(TokenKind::LeftCurlyBracket, false)) {
                    let previous = tokens[..index].iter().rev().find(|token| token.kind() != TokenKind::Whitespace);
                    if let Some(comma) = previous.filter(|token| token.kind() == TokenKind::Comma) {
                        found.push(Toml11Syntax {
                            span: Span { start: comma.span().start(), end: comma.span().end() },
                            what: "a trailing comma in an inline table",
                            instead: "remove the comma before `}`",
                        });
                    }
                }
                open.pop();
            }
            TokenKind::RightSquareBracket => {
                open.pop();
            }
            TokenKind::Newline | TokenKind::Comment if open.last() == Some(&(TokenKind::LeftCurlyBracket, false)) => {
                if let Some(innermost) = open.last_mut() {
                    innermost.1 = true;
                }
                found.push(Toml11Syntax {
                    span: Span::new(range),
                    what: if token.kind() == TokenKind::Newline {
                        "a line break inside an inline table"
                    } else {
                        "a comment inside an inline table"
                    },
                    instead: "write the inline table on one line, or use a [table] section",
                });
            }
            TokenKind::BasicString | TokenKind::MlBasicString => {
                if let Some(offset) = new_escape(raw) {
                    found.push(Toml11Syntax {
                        span: Span { start: range.start + offset, end: range.start + offset + 2 },
                        what: "the `\\e` or `\\x` escape",
                        instead: "write `\\u001b` for `\\e`, and `\\u00HH` for `\\xHH`",
                    });
                }
            }
            TokenKind::Atom => {
                if let Some(offset) = time_without_seconds(raw) {
                    found.push(Toml11Syntax {
                        span: Span { start: range.start + offset, end: range.start + offset + 5 },
                        what: "a time without seconds",
                        instead: "add the seconds, as in `07:32:00`",
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// The offset of the first `\e` or `\x` escape in a basic string's source.
fn new_escape(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let mut index = 0;
    while index + 1 < bytes.len() {
        if bytes[index] == b'\\' {
            if matches!(bytes[index + 1], b'e' | b'x') {
                return Some(index);
            }
            // Skip the escaped character, so `\\e` is a backslash and an `e`.
            index += 2;
        } else {
            index += 1;
        }
    }
    None
}

/// The offset of an `HH:MM` time not followed by `:SS` in a bare value.
/// Keys cannot contain `:`, so only dates and times are looked at; an
/// offset such as `-07:00` after the seconds is skipped.
fn time_without_seconds(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let digit = |index: usize| bytes.get(index).is_some_and(u8::is_ascii_digit);
    let is_time_at = |index: usize| {
        digit(index) && digit(index + 1) && bytes.get(index + 2) == Some(&b':') && digit(index + 3) && digit(index + 4)
    };
    // Where a time can start: the start of the atom (a local time, or the
    // time after a space-separated date) or after a date's `T`.
    let start = if is_time_at(0) {
        0
    } else if raw.len() >= 11 && digit(0) && bytes[4] == b'-' && matches!(bytes[10], b'T' | b't') {
        11
    } else {
        return None;
    };
    if is_time_at(start) && bytes.get(start + 5) != Some(&b':') { Some(start) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        toml_1_1_syntax(text).into_iter().map(|found| found.what).collect()
    }

    #[test]
    fn finds_each_toml_1_1_form() {
        assert_eq!(kinds("a = {x = 1,\n y = 2}\n"), ["a line break inside an inline table"]);
        assert_eq!(kinds("a = {x = 1, }\n"), ["a trailing comma in an inline table"]);
        assert_eq!(kinds("a = \"\\e[0m\"\n"), ["the `\\e` or `\\x` escape"]);
        assert_eq!(kinds("a = \"\"\"\\x41\"\"\"\n"), ["the `\\e` or `\\x` escape"]);
        assert_eq!(kinds("a = 07:32\n"), ["a time without seconds"]);
        assert_eq!(kinds("a = 1979-05-27T07:32Z\n"), ["a time without seconds"]);
        assert_eq!(kinds("a = 1979-05-27 07:32\n"), ["a time without seconds"]);
    }

    #[test]
    fn accepts_toml_1_0() {
        for text in [
            "a = {x = [1,\n2], y = 'z'}\n",
            "a = [1,\n2,]\n",
            "a = \"\\\\e and \\\\x\"\n",
            "a = 'raw \\e'\n",
            "a = 1979-05-27T07:32:00-07:00\n",
            "a = 07:32:00\n",
            "[tool.x]\nb = {}\n",
            "# {\nc = 1\n",
        ] {
            assert!(kinds(text).is_empty(), "{text:?}: {:?}", kinds(text));
        }
    }
}
