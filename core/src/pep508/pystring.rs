//! The value of a quoted string in a marker.
//!
//! packaging finds a quoted string with `'[^']*'` or `"[^"]*"` and then
//! evaluates it with `ast.literal_eval`, so its value follows Python's
//! string-literal rules: backslash escapes are decoded (`'\x41'` is `A`),
//! an unknown escape keeps its backslash (`'\d'`), a line break or a NUL
//! character makes the literal invalid, and a backslash right before the
//! closing quote escapes it, leaving the literal unterminated.
//!
//! Two things Python accepts are refused here, deliberately:
//! - `\N{...}` escapes: decoding them needs the Unicode name table, far too
//!   large for the core; write the character itself instead.
//! - `\uD800`-style escapes of a lone surrogate: the value would not be
//!   valid Unicode text (Rust strings cannot hold it, and no metadata file
//!   can carry it).

use std::ops::Range;

/// Why a quoted string is invalid, and where in the token (including its
/// quotes) the problem is.
#[derive(Debug)]
pub(crate) struct StringProblem {
    pub detail: String,
    pub span: Range<usize>,
}

/// The detail of the deliberate refusal of `\N{...}` (named in the tests).
pub(crate) const NAMED_ESCAPE: &str =
    "named Unicode escapes (`\\N{...}`) are not supported; write the character itself";

/// The detail of the deliberate refusal of lone surrogates.
pub(crate) const SURROGATE_ESCAPE: &str =
    "this escape is a lone UTF-16 surrogate, which is not a character; write the character itself";

/// Evaluates the quoted string `token` (with its quotes, which are the same
/// character and do not occur inside) as Python's `ast.literal_eval` would.
pub(crate) fn decode(token: &str) -> Result<String, StringProblem> {
    let content = &token[1..token.len() - 1];
    let at = |start: usize, end: usize| 1 + start..1 + end;
    if let Some(nul) = content.find('\0') {
        return Err(StringProblem {
            detail: "a quoted string cannot contain a NUL character".to_owned(),
            span: at(nul, nul + 1),
        });
    }
    let mut value = String::with_capacity(content.len());
    let mut rest = content.char_indices().peekable();
    while let Some((index, c)) = rest.next() {
        match c {
            // Python reads `\r` and `\r\n` as line breaks too.
            '\n' | '\r' => {
                return Err(StringProblem {
                    detail: "a quoted string cannot contain a line break".to_owned(),
                    span: at(index, index + 1),
                });
            }
            '\\' => {
                let Some((_, escaped)) = rest.next() else {
                    return Err(StringProblem {
                        detail: "the backslash before the closing quote escapes it, so the string is not closed \
                                 (write `\\\\` for a backslash)"
                            .to_owned(),
                        span: at(index, index + 1),
                    });
                };
                let simple = match escaped {
                    // A backslash at the end of a line continues the string
                    // on the next line, adding nothing.
                    '\n' => Some(None),
                    '\r' => {
                        rest.next_if(|&(_, next)| next == '\n');
                        Some(None)
                    }
                    '\\' | '\'' | '"' => Some(Some(escaped)),
                    'a' => Some(Some('\x07')),
                    'b' => Some(Some('\x08')),
                    'f' => Some(Some('\x0c')),
                    'n' => Some(Some('\n')),
                    'r' => Some(Some('\r')),
                    't' => Some(Some('\t')),
                    'v' => Some(Some('\x0b')),
                    _ => None,
                };
                if let Some(decoded) = simple {
                    value.extend(decoded);
                    continue;
                }
                match escaped {
                    '0'..='7' => {
                        let mut code = escaped as u32 - '0' as u32;
                        for _ in 0..2 {
                            match rest.next_if(|&(_, next)| matches!(next, '0'..='7')) {
                                Some((_, digit)) => code = code * 8 + (digit as u32 - '0' as u32),
                                None => break,
                            }
                        }
                        // At most 0o777: always a character.
                        value.extend(char::from_u32(code));
                    }
                    'x' | 'u' | 'U' => {
                        let (width, form) = match escaped {
                            'x' => (2, "\\xXX"),
                            'u' => (4, "\\uXXXX"),
                            _ => (8, "\\UXXXXXXXX"),
                        };
                        let mut code = 0u32;
                        let mut end = index + 2;
                        for _ in 0..width {
                            match rest.next_if(|&(_, next)| next.is_ascii_hexdigit()) {
                                Some((position, digit)) => {
                                    code = code * 16 + digit.to_digit(16).unwrap_or(0);
                                    end = position + 1;
                                }
                                None => {
                                    return Err(StringProblem {
                                        detail: format!("truncated `{form}` escape"),
                                        span: at(index, end),
                                    });
                                }
                            }
                        }
                        match char::from_u32(code) {
                            Some(decoded) => value.push(decoded),
                            None if (0xd800..0xe000).contains(&code) => {
                                return Err(StringProblem {
                                    detail: SURROGATE_ESCAPE.to_owned(),
                                    span: at(index, end),
                                });
                            }
                            None => {
                                return Err(StringProblem {
                                    detail: "this escape is beyond the last Unicode character, U+10FFFF".to_owned(),
                                    span: at(index, end),
                                });
                            }
                        }
                    }
                    'N' => {
                        return Err(StringProblem { detail: NAMED_ESCAPE.to_owned(), span: at(index, index + 2) });
                    }
                    // Not an escape: Python keeps the backslash (and warns).
                    other => {
                        value.push('\\');
                        value.push(other);
                    }
                }
            }
            other => value.push(other),
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(token: &str) -> Result<String, String> {
        decode(token).map_err(|problem| problem.detail)
    }

    #[test]
    fn decodes_like_literal_eval() {
        assert_eq!(value("'abc'").unwrap(), "abc");
        assert_eq!(value("\"\\x41\\u00e9\\U0001F600\"").unwrap(), "A\u{e9}\u{1F600}");
        assert_eq!(value("'\\777'").unwrap(), "\u{1ff}");
        assert_eq!(value("'\\0'").unwrap(), "\0");
        assert_eq!(value("'\\q\\8'").unwrap(), "\\q\\8");
        assert_eq!(value("'a\\\nb'").unwrap(), "ab");
        assert_eq!(value("'a\\\r\nb'").unwrap(), "ab");
        assert_eq!(value("'a\\\rb'").unwrap(), "ab");
        assert_eq!(value("'\\\\'").unwrap(), "\\");
        assert_eq!(value("'\x0c\x0b\u{85}\u{2028}'").unwrap(), "\x0c\x0b\u{85}\u{2028}");
    }

    #[test]
    fn rejects_like_literal_eval() {
        for bad in ["'a\rb'", "'a\nb'", "'a\0b'", "'\\x4'", "'\\U00110000'", "'a\\'", "'a\r\nb'", "'\\u12'"] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn deliberate_refusals() {
        assert_eq!(value("'\\N{LATIN SMALL LETTER A}'").unwrap_err(), NAMED_ESCAPE);
        assert_eq!(value("'\\ud800'").unwrap_err(), SURROGATE_ESCAPE);
        assert_eq!(value("'\\U0000DFFF'").unwrap_err(), SURROGATE_ESCAPE);
    }
}
