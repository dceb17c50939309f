//! SPDX license expressions (`[project] license = "..."`), as flit 4.2
//! validates and normalises them.
//!
//! flit's rules (`normalise_compound_license_expr` in `flit_core/config.py`):
//! - an empty or whitespace-only expression is an error that
//!   `FLIT_ALLOW_INVALID` never overrides;
//! - tokens are separated by runs of *spaces only* (a tab is part of a
//!   token) and around `(` and `)`;
//! - `AND`, `OR` and `WITH` are operators only in upper case; `and` or `With`
//!   are errors ("operators must be uppercase");
//! - IDs are looked up case-insensitively among the non-deprecated SPDX IDs
//!   and written in canonical case; an ID after `WITH` must be an exception
//!   ID; `LicenseRef-` IDs keep their text but get a canonical prefix; a
//!   trailing `+` is kept;
//! - the result is the tokens joined with single spaces around operators and
//!   none inside parentheses: `mit AND ( apache-2.0+ OR mpl-2.0+ )` gives
//!   `MIT AND (Apache-2.0+ OR MPL-2.0+)`.
//!
//! The data is SPDX list 3.27.0 (see [`SPDX_LIST_VERSION`]); flit 4.2 embeds
//! an older list, a strict subset of it, so a few recent IDs are accepted
//! here that flit 4.2 rejects.

mod data;

use std::fmt;
use std::ops::Range;

use crate::validate::pystr::{is_python_whitespace, python_repr};
pub use data::SPDX_LIST_VERSION;

/// Looks up a table of (lower-case, canonical) pairs.
fn lookup(table: &'static [(&'static str, &'static str)], lowercase: &str) -> Option<&'static str> {
    table.binary_search_by(|(key, _)| (*key).cmp(lowercase)).ok().map(|index| table[index].1)
}

/// The canonical spelling of a non-deprecated SPDX license ID, given the ID
/// in lower case (`"apache-2.0"` gives `Some("Apache-2.0")`).
pub fn license_id(lowercase: &str) -> Option<&'static str> {
    lookup(data::LICENSES, lowercase)
}

/// The canonical spelling of a non-deprecated SPDX license exception ID,
/// given the ID in lower case (`"llvm-exception"` gives
/// `Some("LLVM-exception")`).
pub fn exception_id(lowercase: &str) -> Option<&'static str> {
    lookup(data::EXCEPTIONS, lowercase)
}

/// Every non-deprecated SPDX license ID, in canonical spelling, sorted by
/// lower-case ID (for completion lists and tests).
pub fn license_ids() -> impl Iterator<Item = &'static str> {
    data::LICENSES.iter().map(|(_, id)| *id)
}

/// Every non-deprecated SPDX license exception ID, in canonical spelling.
pub fn exception_ids() -> impl Iterator<Item = &'static str> {
    data::EXCEPTIONS.iter().map(|(_, id)| *id)
}

/// What is wrong with a license expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenseErrorKind {
    /// The expression is empty or only whitespace.
    Empty,
    /// `and`, `or` or `with` written in other than upper case.
    LowercaseOperator {
        /// The operator as written.
        operator: String,
    },
    /// An operator or `)` with no license ID before it.
    MissingIdBefore {
        /// `AND`, `OR`, `WITH` or `)`.
        operator: &'static str,
    },
    /// A `(` after something other than `AND`, `OR` or `(`.
    MisplacedOpenParenthesis,
    /// An ID right after another ID or `)`, with no operator between.
    MisplacedId,
    /// More `)` than `(` at some point, or `(` left open at the end.
    UnbalancedParentheses,
    /// The expression ends with an operator.
    TrailingOperator {
        /// `AND`, `OR` or `WITH`.
        operator: &'static str,
    },
    /// A `LicenseRef-` ID with characters other than ASCII letters, digits,
    /// `-` and `.` (or nothing) after the prefix.
    InvalidLicenseRef {
        /// The ID as written.
        id: String,
    },
    /// Not a (non-deprecated) SPDX license ID.
    UnknownLicense {
        /// The ID as written (with any `+`).
        id: String,
    },
    /// Not a (non-deprecated) SPDX license exception ID.
    UnknownException {
        /// The ID as written.
        id: String,
    },
}

/// A license expression flit would reject, with the reason and, when a
/// single token is to blame, where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", Described(self))]
pub struct LicenseExpressionError {
    /// The expression as written.
    pub expression: String,
    /// What is wrong.
    pub kind: LicenseErrorKind,
    /// Byte range of the offending token within [`expression`](Self::expression).
    pub span: Option<Range<usize>>,
}

impl LicenseExpressionError {
    /// True for the empty-expression error, which `FLIT_ALLOW_INVALID` does
    /// not override (every other error it turns into a warning, keeping the
    /// expression as written).
    pub fn is_empty_error(&self) -> bool {
        self.kind == LicenseErrorKind::Empty
    }

    /// flit's reason for a structural error (the text after "is not a valid
    /// SPDX license expression: "), or its whole message for the others.
    pub fn reason(&self) -> String {
        match &self.kind {
            LicenseErrorKind::Empty => "The SPDX license expression must not be empty".into(),
            LicenseErrorKind::LowercaseOperator { operator } => {
                format!("operators must be uppercase, not '{operator}'")
            }
            LicenseErrorKind::MissingIdBefore { operator } => format!("a license ID is missing before '{operator}'"),
            LicenseErrorKind::MisplacedOpenParenthesis => "'(' must follow either AND, OR, or '('".into(),
            LicenseErrorKind::MisplacedId => "a license or exception ID must follow AND, OR, WITH, or '('".into(),
            LicenseErrorKind::UnbalancedParentheses => "unbalanced brackets".into(),
            LicenseErrorKind::TrailingOperator { operator } => {
                format!("a license ID or expression should follow '{operator}'")
            }
            LicenseErrorKind::InvalidLicenseRef { .. } => {
                "LicenseRef- license expression can only contain ASCII letters & digits, - and .".into()
            }
            LicenseErrorKind::UnknownLicense { id } => {
                format!("{} is not a recognised SPDX license ID", python_repr(id))
            }
            LicenseErrorKind::UnknownException { id } => {
                format!("{} is not a recognised SPDX license exception ID", python_repr(id))
            }
        }
    }

    /// The message flit 4.2 gives for this error, word for word.
    pub fn flit_message(&self) -> String {
        match &self.kind {
            LicenseErrorKind::LowercaseOperator { .. }
            | LicenseErrorKind::MissingIdBefore { .. }
            | LicenseErrorKind::MisplacedOpenParenthesis
            | LicenseErrorKind::MisplacedId
            | LicenseErrorKind::UnbalancedParentheses
            | LicenseErrorKind::TrailingOperator { .. } => {
                format!("'{}' is not a valid SPDX license expression: {}", self.expression, self.reason())
            }
            _ => self.reason(),
        }
    }
}

/// Renders the error in house style: the value in backticks, the reason,
/// and what to do.
struct Described<'a>(&'a LicenseExpressionError);

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error = self.0;
        let expression = &error.expression;
        match &error.kind {
            LicenseErrorKind::Empty => write!(
                f,
                "the license expression is empty; write an SPDX expression such as `MIT` or `Apache-2.0 OR MIT`"
            ),
            LicenseErrorKind::LowercaseOperator { operator } => write!(
                f,
                "`{expression}` is not a valid SPDX license expression: operators must be uppercase, \
                 not `{operator}`; write `{}`",
                operator.to_uppercase()
            ),
            LicenseErrorKind::MissingIdBefore { operator } => write!(
                f,
                "`{expression}` is not a valid SPDX license expression: a license ID is missing before `{operator}`"
            ),
            LicenseErrorKind::MisplacedOpenParenthesis => {
                write!(f, "`{expression}` is not a valid SPDX license expression: `(` must follow `AND`, `OR` or `(`")
            }
            LicenseErrorKind::MisplacedId => write!(
                f,
                "`{expression}` is not a valid SPDX license expression: a license or exception ID must follow \
                 `AND`, `OR`, `WITH` or `(`; join license IDs with `AND` or `OR`"
            ),
            LicenseErrorKind::UnbalancedParentheses => write!(
                f,
                "`{expression}` is not a valid SPDX license expression: unbalanced parentheses; \
                 close every `(` with a `)`"
            ),
            LicenseErrorKind::TrailingOperator { operator } => write!(
                f,
                "`{expression}` is not a valid SPDX license expression: a license ID or expression should \
                 follow `{operator}`"
            ),
            LicenseErrorKind::InvalidLicenseRef { id } => write!(
                f,
                "`{id}` is not a valid license reference: after `LicenseRef-` use only ASCII letters, \
                 digits, `-` and `.`"
            ),
            LicenseErrorKind::UnknownLicense { id } => {
                write!(f, "`{id}` is not a recognised SPDX license ID")?;
                match deprecated_suggestion(id) {
                    Some(suggestion) => write!(f, "; deprecated IDs are not accepted, use {suggestion}"),
                    None => write!(
                        f,
                        "; use an ID from https://spdx.org/licenses/ (case does not matter), \
                         or `LicenseRef-<name>` for a custom license"
                    ),
                }
            }
            LicenseErrorKind::UnknownException { id } => write!(
                f,
                "`{id}` is not a recognised SPDX license exception ID; use an exception from \
                 https://spdx.org/licenses/exceptions-index.html after `WITH`"
            ),
        }
    }
}

/// For deprecated IDs of the GPL family (`GPL-3.0`, `LGPL-2.1+`, ...), the
/// replacement(s): the same ID with `-only` or `-or-later`.
fn deprecated_suggestion(id: &str) -> Option<String> {
    let lowercase = id.to_lowercase();
    let (base, or_later) = match lowercase.strip_suffix('+') {
        Some(base) => (base, true),
        None => (lowercase.as_str(), false),
    };
    let or_later_id = license_id(&format!("{base}-or-later"));
    let only_id = license_id(&format!("{base}-only"));
    match (only_id, or_later_id, or_later) {
        (_, Some(later), true) => Some(format!("`{later}`")),
        (Some(only), Some(later), false) => Some(format!("`{only}` or `{later}`")),
        _ => None,
    }
}

/// What the previous token was, which decides what may come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Previous {
    Start,
    And,
    Or,
    With,
    Open,
    Close,
    License,
    Exception,
}

/// Splits like Python's `filter(None, re.split(r' +|([()])', s))`: at runs
/// of spaces (dropped) and around parentheses (kept). Yields byte ranges.
fn tokens(expression: &str) -> Vec<Range<usize>> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (index, byte) in expression.bytes().enumerate() {
        match byte {
            b' ' | b'(' | b')' => {
                if let Some(begin) = start.take() {
                    tokens.push(begin..index);
                }
                if byte != b' ' {
                    tokens.push(index..index + 1);
                }
            }
            _ => {
                if start.is_none() {
                    start = Some(index);
                }
            }
        }
    }
    if let Some(begin) = start {
        tokens.push(begin..expression.len());
    }
    tokens
}

/// Validates an SPDX license expression and returns its normalised form,
/// exactly as flit 4.2 does (see the module documentation for the rules).
///
/// `apache-2.0 or mit` is an error (lower-case operator); `apache-2.0 OR mit`
/// gives `Apache-2.0 OR MIT`; `GPL-3.0` is an error (deprecated ID).
pub fn normalise_license_expression(expression: &str) -> Result<String, LicenseExpressionError> {
    let error = |kind: LicenseErrorKind, span: Option<Range<usize>>| LicenseExpressionError {
        expression: expression.to_owned(),
        kind,
        span,
    };
    if expression.chars().all(is_python_whitespace) {
        return Err(error(LicenseErrorKind::Empty, None));
    }

    let mut output = String::with_capacity(expression.len());
    let mut previous = Previous::Start;
    // Positions of the `(` not yet closed, to point at one left open.
    let mut open = Vec::new();
    let mut last_operator = 0..0;
    for span in tokens(expression) {
        let token = &expression[span.clone()];
        let after_operand = matches!(previous, Previous::License | Previous::Exception | Previous::Close);
        match token {
            "WITH" => {
                // Only a license (or a parenthesised expression) can take an
                // exception; flit checks "not an operator, `(` or exception".
                if !matches!(previous, Previous::License | Previous::Close) {
                    return Err(error(LicenseErrorKind::MissingIdBefore { operator: "WITH" }, Some(span)));
                }
                output.push_str(" WITH ");
                previous = Previous::With;
                last_operator = span;
            }
            "AND" | "OR" => {
                if !after_operand {
                    let operator = if token == "AND" { "AND" } else { "OR" };
                    return Err(error(LicenseErrorKind::MissingIdBefore { operator }, Some(span)));
                }
                output.push(' ');
                output.push_str(token);
                output.push(' ');
                previous = if token == "AND" { Previous::And } else { Previous::Or };
                last_operator = span;
            }
            _ if matches!(token.to_lowercase().as_str(), "and" | "or" | "with") => {
                return Err(error(LicenseErrorKind::LowercaseOperator { operator: token.to_owned() }, Some(span)));
            }
            "(" => {
                if !matches!(previous, Previous::Start | Previous::And | Previous::Or | Previous::Open) {
                    return Err(error(LicenseErrorKind::MisplacedOpenParenthesis, Some(span)));
                }
                open.push(span);
                output.push('(');
                previous = Previous::Open;
            }
            ")" => {
                if !after_operand {
                    return Err(error(LicenseErrorKind::MissingIdBefore { operator: ")" }, Some(span)));
                }
                if open.pop().is_none() {
                    return Err(error(LicenseErrorKind::UnbalancedParentheses, Some(span)));
                }
                output.push(')');
                previous = Previous::Close;
            }
            _ => {
                if after_operand {
                    return Err(error(LicenseErrorKind::MisplacedId, Some(span)));
                }
                if previous == Previous::With {
                    let Some(id) = exception_id(&token.to_lowercase()) else {
                        return Err(error(LicenseErrorKind::UnknownException { id: token.to_owned() }, Some(span)));
                    };
                    output.push_str(id);
                    previous = Previous::Exception;
                } else {
                    match normalise_simple_expression(token) {
                        Some(normalised) => output.push_str(&normalised),
                        None if has_license_ref_prefix(token) => {
                            return Err(error(
                                LicenseErrorKind::InvalidLicenseRef { id: token.to_owned() },
                                Some(span),
                            ));
                        }
                        None => {
                            return Err(error(LicenseErrorKind::UnknownLicense { id: token.to_owned() }, Some(span)));
                        }
                    }
                    previous = Previous::License;
                }
            }
        }
    }
    if let Some(unclosed) = open.pop() {
        return Err(error(LicenseErrorKind::UnbalancedParentheses, Some(unclosed)));
    }
    if let Previous::And | Previous::Or | Previous::With = previous {
        let operator = match previous {
            Previous::And => "AND",
            Previous::Or => "OR",
            _ => "WITH",
        };
        return Err(error(LicenseErrorKind::TrailingOperator { operator }, Some(last_operator)));
    }
    Ok(output)
}

const LICENSE_REF: &str = "LicenseRef-";

/// Whether `token` starts with `LicenseRef-` in any case. (Python checks the
/// prefix of `token.lower()`; no non-ASCII character lower-cases into it.)
fn has_license_ref_prefix(token: &str) -> bool {
    token.get(..LICENSE_REF.len()).is_some_and(|prefix| prefix.eq_ignore_ascii_case(LICENSE_REF))
}

/// One license ID, `ID+` or `LicenseRef-...`, normalised; `None` if unknown
/// or malformed.
fn normalise_simple_expression(token: &str) -> Option<String> {
    if has_license_ref_prefix(token) {
        let reference = &token[LICENSE_REF.len()..];
        let valid =
            !reference.is_empty() && reference.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        return valid.then(|| format!("{LICENSE_REF}{reference}"));
    }
    // Python's full Unicode lower-casing, so e.g. the Kelvin sign matches `k`.
    let lowercase = token.to_lowercase();
    let (id, or_later) = match lowercase.strip_suffix('+') {
        Some(id) => (id, "+"),
        None => (lowercase.as_str(), ""),
    };
    license_id(id).map(|canonical| format!("{canonical}{or_later}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_lowercase_and_disjoint() {
        for table in [data::LICENSES, data::EXCEPTIONS] {
            assert!(table.windows(2).all(|pair| pair[0].0 < pair[1].0));
            assert!(table.iter().all(|(key, id)| *key == id.to_lowercase()));
        }
        assert!(data::LICENSES.iter().all(|(key, _)| exception_id(key).is_none()));
        assert_eq!(data::LICENSES.len(), 667);
        assert_eq!(data::EXCEPTIONS.len(), 78);
    }

    #[test]
    fn lookups() {
        assert_eq!(license_id("mit"), Some("MIT"));
        assert_eq!(license_id("apache-2.0"), Some("Apache-2.0"));
        assert_eq!(license_id("MIT"), None);
        assert_eq!(license_id("gpl-3.0"), None, "deprecated");
        assert_eq!(license_id("gpl-3.0-or-later"), Some("GPL-3.0-or-later"));
        assert_eq!(exception_id("classpath-exception-2.0"), Some("Classpath-exception-2.0"));
        assert_eq!(exception_id("mit"), None);
        assert_eq!(license_id(""), None);
    }

    /// Expected results checked against flit_core 4.2's
    /// `normalise_compound_license_expr`.
    #[test]
    fn valid_expressions() {
        let cases = [
            ("mit", "MIT"),
            ("MIT", "MIT"),
            ("mit AND ( apache-2.0+ OR mpl-2.0+ )", "MIT AND (Apache-2.0+ OR MPL-2.0+)"),
            ("(mit)AND mit", "(MIT) AND MIT"),
            ("  mit   OR   bsd-3-clause  ", "MIT OR BSD-3-Clause"),
            ("GPL-2.0-or-later WITH classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"),
            ("(MIT OR Apache-2.0) WITH LLVM-exception", "(MIT OR Apache-2.0) WITH LLVM-exception"),
            ("licenseref-My.Thing-1", "LicenseRef-My.Thing-1"),
            ("LICENSEREF-x WITH llvm-exception", "LicenseRef-x WITH LLVM-exception"),
            ("((mit))", "((MIT))"),
            ("mit+", "MIT+"),
            ("\u{212a}nuth-ctan", "Knuth-CTAN"),
            ("mit AND (bsd-2-clause OR (isc AND 0bsd))", "MIT AND (BSD-2-Clause OR (ISC AND 0BSD))"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalise_license_expression(input).as_deref(), Ok(expected), "{input:?}");
        }
    }

    #[track_caller]
    fn check_error(input: &str, kind: LicenseErrorKind, span: Option<Range<usize>>, flit: &str) {
        let error = normalise_license_expression(input).unwrap_err();
        assert_eq!((&error.kind, &error.span), (&kind, &span), "{input:?}");
        assert_eq!(error.flit_message(), flit, "{input:?}");
        assert_eq!(error.expression, input);
    }

    #[test]
    fn invalid_expressions() {
        use LicenseErrorKind::*;
        let invalid = |reason: &str, input: &str| format!("'{input}' is not a valid SPDX license expression: {reason}");
        check_error("", Empty, None, "The SPDX license expression must not be empty");
        check_error(" \t\u{1c}\u{3000}", Empty, None, "The SPDX license expression must not be empty");
        check_error(
            "mit or apache-2.0",
            LowercaseOperator { operator: "or".into() },
            Some(4..6),
            &invalid("operators must be uppercase, not 'or'", "mit or apache-2.0"),
        );
        check_error(
            "MIT With x",
            LowercaseOperator { operator: "With".into() },
            Some(4..8),
            &invalid("operators must be uppercase, not 'With'", "MIT With x"),
        );
        check_error(
            "AND MIT",
            MissingIdBefore { operator: "AND" },
            Some(0..3),
            &invalid("a license ID is missing before 'AND'", "AND MIT"),
        );
        check_error(
            "MIT OR OR x",
            MissingIdBefore { operator: "OR" },
            Some(7..9),
            &invalid("a license ID is missing before 'OR'", "MIT OR OR x"),
        );
        check_error(
            "WITH x",
            MissingIdBefore { operator: "WITH" },
            Some(0..4),
            &invalid("a license ID is missing before 'WITH'", "WITH x"),
        );
        check_error(
            "MIT WITH LLVM-exception WITH LLVM-exception",
            MissingIdBefore { operator: "WITH" },
            Some(24..28),
            &invalid("a license ID is missing before 'WITH'", "MIT WITH LLVM-exception WITH LLVM-exception"),
        );
        check_error(
            "()",
            MissingIdBefore { operator: ")" },
            Some(1..2),
            &invalid("a license ID is missing before ')'", "()"),
        );
        check_error(
            "MIT (ISC)",
            MisplacedOpenParenthesis,
            Some(4..5),
            &invalid("'(' must follow either AND, OR, or '('", "MIT (ISC)"),
        );
        check_error(
            "MIT WITH (x)",
            MisplacedOpenParenthesis,
            Some(9..10),
            &invalid("'(' must follow either AND, OR, or '('", "MIT WITH (x)"),
        );
        check_error(
            "MIT ISC",
            MisplacedId,
            Some(4..7),
            &invalid("a license or exception ID must follow AND, OR, WITH, or '('", "MIT ISC"),
        );
        check_error(
            "(MIT) ISC",
            MisplacedId,
            Some(6..9),
            &invalid("a license or exception ID must follow AND, OR, WITH, or '('", "(MIT) ISC"),
        );
        check_error("MIT)", UnbalancedParentheses, Some(3..4), &invalid("unbalanced brackets", "MIT)"));
        check_error("((MIT)", UnbalancedParentheses, Some(0..1), &invalid("unbalanced brackets", "((MIT)"));
        check_error("(MIT AND", UnbalancedParentheses, Some(0..1), &invalid("unbalanced brackets", "(MIT AND"));
        check_error(
            "MIT AND",
            TrailingOperator { operator: "AND" },
            Some(4..7),
            &invalid("a license ID or expression should follow 'AND'", "MIT AND"),
        );
        check_error(
            "MIT WITH",
            TrailingOperator { operator: "WITH" },
            Some(4..8),
            &invalid("a license ID or expression should follow 'WITH'", "MIT WITH"),
        );
        check_error(
            "GPL-3.0",
            UnknownLicense { id: "GPL-3.0".into() },
            Some(0..7),
            "'GPL-3.0' is not a recognised SPDX license ID",
        );
        check_error(
            "MIT\tAND ISC",
            UnknownLicense { id: "MIT\tAND".into() },
            Some(0..7),
            "'MIT\\tAND' is not a recognised SPDX license ID",
        );
        check_error("+", UnknownLicense { id: "+".into() }, Some(0..1), "'+' is not a recognised SPDX license ID");
        check_error(
            "mit++",
            UnknownLicense { id: "mit++".into() },
            Some(0..5),
            "'mit++' is not a recognised SPDX license ID",
        );
        check_error(
            "MIT WITH mit",
            UnknownException { id: "mit".into() },
            Some(9..12),
            "'mit' is not a recognised SPDX license exception ID",
        );
        let ref_message = "LicenseRef- license expression can only contain ASCII letters & digits, - and .";
        check_error("LicenseRef-", InvalidLicenseRef { id: "LicenseRef-".into() }, Some(0..11), ref_message);
        check_error("LicenseRef-a_b", InvalidLicenseRef { id: "LicenseRef-a_b".into() }, Some(0..14), ref_message);
        check_error("LicenseRef-x+", InvalidLicenseRef { id: "LicenseRef-x+".into() }, Some(0..13), ref_message);
        check_error(
            "MIT WITH LicenseRef-x",
            UnknownException { id: "LicenseRef-x".into() },
            Some(9..21),
            "'LicenseRef-x' is not a recognised SPDX license exception ID",
        );
    }

    #[test]
    fn only_the_empty_error_is_the_empty_error() {
        assert!(normalise_license_expression("  ").unwrap_err().is_empty_error());
        assert!(!normalise_license_expression("x").unwrap_err().is_empty_error());
    }

    #[test]
    fn messages_say_what_to_do() {
        let message = |input: &str| normalise_license_expression(input).unwrap_err().to_string();
        assert_eq!(
            message("GPL-3.0"),
            "`GPL-3.0` is not a recognised SPDX license ID; deprecated IDs are not accepted, use `GPL-3.0-only` or `GPL-3.0-or-later`"
        );
        assert_eq!(
            message("lgpl-2.1+"),
            "`lgpl-2.1+` is not a recognised SPDX license ID; deprecated IDs are not accepted, use `LGPL-2.1-or-later`"
        );
        assert!(message("Foo").contains("https://spdx.org/licenses/"));
        assert!(message("mit and isc").ends_with("not `and`; write `AND`"));
    }
}
