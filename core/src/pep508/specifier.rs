//! Version specifiers (`>=1.0, !=1.3.*`), as `packaging.specifiers`
//! parses them.
//!
//! A specifier set is split on commas; each non-blank piece must match
//! `Specifier`'s pattern in full. The pattern has one branch per operator
//! group, which is where the per-operator rules live: `==`/`!=` take a
//! `.*` wildcard or a local label, `~=` needs two release numbers and takes
//! no local label, `<`/`<=`/`>`/`>=` take neither, and `===` takes any run
//! of characters other than whitespace, `;` and `)`.

use std::collections::BTreeSet;
use std::fmt;

use super::text::{byte_at, is_python_whitespace, python_strip};
use super::version::{Grammar, Problem, Version, parse_version_in, scan};
use super::{Pep508Error, excerpt};

/// A specifier's comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    /// `~=`: compatible release.
    Compatible,
    /// `==`: version matching (with `.*`: prefix matching).
    Equal,
    /// `!=`: version exclusion.
    NotEqual,
    /// `<=`.
    LessEqual,
    /// `>=`.
    GreaterEqual,
    /// `<`: exclusive ordered comparison.
    Less,
    /// `>`: exclusive ordered comparison.
    Greater,
    /// `===`: arbitrary equality, a plain string comparison.
    Arbitrary,
}

impl Operator {
    /// How the operator is written.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Compatible => "~=",
            Operator::Equal => "==",
            Operator::NotEqual => "!=",
            Operator::LessEqual => "<=",
            Operator::GreaterEqual => ">=",
            Operator::Less => "<",
            Operator::Greater => ">",
            Operator::Arbitrary => "===",
        }
    }

    /// The operator `text` starts with (the longest one), if any.
    fn at_start_of(text: &str) -> Option<Operator> {
        const ALL: [Operator; 8] = [
            Operator::Arbitrary,
            Operator::Compatible,
            Operator::Equal,
            Operator::NotEqual,
            Operator::LessEqual,
            Operator::GreaterEqual,
            Operator::Less,
            Operator::Greater,
        ];
        ALL.into_iter().find(|operator| text.starts_with(operator.as_str()))
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One version specifier: an operator and a version.
///
/// [`Display`](fmt::Display) writes the operator and the version as it was
/// written (packaging does not normalise the version of a specifier):
/// `>= 1.0` → `>=1.0`, `==V1.0` → `==V1.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Specifier {
    operator: Operator,
    version_text: String,
    version: Option<Version>,
    wildcard: bool,
}

impl Specifier {
    /// The operator.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The version as written, without surrounding whitespace and including
    /// a trailing `.*`.
    pub fn version_text(&self) -> &str {
        &self.version_text
    }

    /// The version, without a trailing `.*`. `None` only for `===` with a
    /// string that is not a PEP 440 version.
    pub fn version(&self) -> Option<&Version> {
        self.version.as_ref()
    }

    /// Whether this is `==` or `!=` with a `.*` wildcard.
    pub fn is_wildcard(&self) -> bool {
        self.wildcard
    }

    /// What makes two specifiers the same for packaging (`Specifier.__eq__`):
    /// the operator and the version with trailing zeros removed (kept for
    /// `~=`, where they matter), or the text for `===` and wildcards.
    fn canonical_key(&self) -> (Operator, String) {
        let version = match (&self.version, self.operator) {
            (Some(version), operator) if operator != Operator::Arbitrary && !self.wildcard => {
                if operator == Operator::Compatible {
                    version.to_string()
                } else {
                    version.canonical_without_trailing_zeros()
                }
            }
            _ => self.version_text.clone(),
        };
        (self.operator, version)
    }
}

impl fmt::Display for Specifier {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}{}", self.operator, self.version_text)
    }
}

/// A set of version specifiers, as `packaging.specifiers.SpecifierSet`
/// holds it.
///
/// The specifiers are kept in the order written. [`Display`](fmt::Display)
/// writes packaging's form: sorted as text, without duplicates (`>=1.0`
/// and `>=1` are the same), joined with `,` and no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Specifiers {
    specifiers: Vec<Specifier>,
}

impl Specifiers {
    /// Wraps parsed specifiers.
    pub(crate) fn from_vec(specifiers: Vec<Specifier>) -> Specifiers {
        Specifiers { specifiers }
    }

    /// The specifiers, in the order written.
    pub fn as_slice(&self) -> &[Specifier] {
        &self.specifiers
    }

    /// Iterates over the specifiers in the order written.
    pub fn iter(&self) -> std::slice::Iter<'_, Specifier> {
        self.specifiers.iter()
    }

    /// The number of specifiers written.
    pub fn len(&self) -> usize {
        self.specifiers.len()
    }

    /// Whether there are none (an empty string is a valid, empty set).
    pub fn is_empty(&self) -> bool {
        self.specifiers.is_empty()
    }
}

impl<'a> IntoIterator for &'a Specifiers {
    type Item = &'a Specifier;
    type IntoIter = std::slice::Iter<'a, Specifier>;

    fn into_iter(self) -> Self::IntoIter {
        self.specifiers.iter()
    }
}

impl fmt::Display for Specifiers {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Python's `sorted(key=str)`, then the first of each group of equal
        // specifiers.
        let written = sorted_texts(self.specifiers.iter().map(ToString::to_string));
        let mut seen = BTreeSet::new();
        let mut first = true;
        for (text, index) in written {
            if seen.insert(self.specifiers[index].canonical_key()) {
                if !first {
                    formatter.write_str(",")?;
                }
                formatter.write_str(&text)?;
                first = false;
            }
        }
        Ok(())
    }
}

/// `texts` with their positions, sorted as Python's stable `sorted()` sorts
/// strings: by code point, which is UTF-8 byte order, equal texts in their
/// original order. (One sort routine for every caller keeps the WebAssembly
/// build small.)
pub(crate) fn sorted_texts(texts: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut sorted: Vec<(String, usize)> = texts.enumerate().map(|(index, text)| (text, index)).collect();
    sorted.sort_unstable();
    sorted
}

/// Parses comma-separated version specifiers as
/// `packaging.specifiers.SpecifierSet` does.
///
/// Blank pieces are skipped (`""` and `" , >=1"` are valid); each other
/// piece, stripped of Python whitespace, must be one specifier. The error
/// names the first invalid piece and says why it is invalid.
pub fn parse_specifiers(text: &str) -> Result<Specifiers, Pep508Error> {
    let mut specifiers = Vec::new();
    push_specifiers(text, 0, &mut specifiers)?;
    Ok(Specifiers { specifiers })
}

/// Splits `text` (at byte `offset` of the input) on commas and parses each
/// non-blank piece into `into`.
pub(crate) fn push_specifiers(text: &str, offset: usize, into: &mut Vec<Specifier>) -> Result<(), Pep508Error> {
    let mut piece_start = 0;
    for piece in text.split(',') {
        let (start, end) = python_strip(piece);
        if start < end {
            into.push(parse_piece(&piece[start..end], offset + piece_start + start)?);
        }
        piece_start += piece.len() + 1;
    }
    Ok(())
}

/// The end of packaging's specifier pattern matched at `start`, unanchored
/// at the end, as the requirement tokenizer uses it: the `===` branch takes
/// every character up to whitespace, `;` or `)` (commas included); the
/// others take a version per [`Grammar`].
pub(crate) fn match_specifier(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let operator = Operator::at_start_of(rest)?;
    let mut position = skip_python_whitespace(text, start + operator.as_str().len());
    match operator {
        Operator::Arbitrary => {
            position += text[position..]
                .find(|c: char| is_python_whitespace(c) || c == ';' || c == ')')
                .unwrap_or(text.len() - position);
            Some(position)
        }
        operator => scan(text, position, grammar_of(operator)).map(|scanned| scanned.end),
    }
}

/// The version pattern of an operator's branch.
fn grammar_of(operator: Operator) -> Grammar {
    match operator {
        Operator::Equal | Operator::NotEqual => Grammar::EQUALITY,
        Operator::Compatible => Grammar::COMPATIBLE,
        _ => Grammar::ORDERED,
    }
}

/// The position after the Python whitespace at `position`.
fn skip_python_whitespace(text: &str, position: usize) -> usize {
    let rest = &text[position..];
    position + rest.len() - rest.trim_start_matches(is_python_whitespace).len()
}

/// Parses one stripped, non-empty specifier, which starts at byte `offset`
/// of the input.
pub(crate) fn parse_piece(piece: &str, offset: usize) -> Result<Specifier, Pep508Error> {
    let context = || format!("invalid version specifier {}", excerpt(piece));
    let Some(operator) = Operator::at_start_of(piece).filter(|_| match_specifier(piece, 0) == Some(piece.len())) else {
        return Err(diagnose(piece, offset).into_error(&context()));
    };
    let version_start = skip_python_whitespace(piece, operator.as_str().len());
    let version_text = &piece[version_start..];
    if operator == Operator::Arbitrary {
        return Ok(Specifier {
            operator,
            version_text: version_text.to_owned(),
            version: parse_version_in(version_text, 0).ok(),
            wildcard: false,
        });
    }
    let scanned = scan(piece, version_start, grammar_of(operator)).ok_or_else(|| diagnose(piece, offset));
    let version = scanned
        .and_then(|scanned| scanned.to_version(piece, offset))
        .map_err(|problem| problem.into_error(&context()))?;
    Ok(Specifier {
        operator,
        version_text: version_text.to_owned(),
        version: Some(version),
        wildcard: version_text.ends_with(".*"),
    })
}

/// Why `piece` (stripped, non-empty, at byte `offset`) is not a specifier.
fn diagnose(piece: &str, offset: usize) -> Problem {
    let whole = offset..offset + piece.len();
    let Some(operator) = Operator::at_start_of(piece) else {
        let detail = if piece.starts_with('=') && !piece.starts_with("==") {
            "`=` is not an operator; use `==`".to_owned()
        } else if piece.bytes().next().is_some_and(|byte| byte.is_ascii_digit() || byte == b'v') {
            "the version needs an operator in front, one of `==`, `!=`, `<=`, `>=`, `<`, `>`, `~=`, `===`".to_owned()
        } else {
            "a specifier is an operator (`==`, `!=`, `<=`, `>=`, `<`, `>`, `~=`, `===`) and a version".to_owned()
        };
        return Problem { detail, span: whole };
    };
    let after_operator = operator.as_str().len();
    let (start, end) = python_strip(&piece[after_operator..]);
    let version = &piece[after_operator + start..after_operator + end];
    let version_span = offset + after_operator + start..offset + after_operator + end;
    if version.is_empty() {
        return Problem {
            detail: format!("`{operator}` needs a version after it, such as `{operator}1.0`"),
            span: whole,
        };
    }
    if operator == Operator::Arbitrary {
        return Problem {
            detail: "the string after `===` cannot contain whitespace, `;` or `)`".to_owned(),
            span: version_span,
        };
    }
    let wildcard_allowed = matches!(operator, Operator::Equal | Operator::NotEqual);
    if let Some(base) = version.strip_suffix(".*") {
        if !wildcard_allowed {
            return Problem {
                detail: format!("a `.*` suffix can only be used with `==` or `!=`, not `{operator}`"),
                span: whole,
            };
        }
        return match parse_version_in(base, version_span.start) {
            Ok(_) => Problem {
                detail: "a `.*` suffix cannot follow a pre-release, post-release, development release or local version"
                    .to_owned(),
                span: version_span,
            },
            Err(problem) => problem,
        };
    }
    match parse_version_in(version, version_span.start) {
        Err(problem) => problem,
        Ok(parsed) => {
            if let Some(plus) = version.find('+').filter(|_| parsed.local().is_some() && !wildcard_allowed) {
                Problem {
                    detail: format!("a local version label can only be used with `==` or `!=`, not `{operator}`"),
                    span: version_span.start + plus..version_span.end,
                }
            } else if operator == Operator::Compatible && parsed.release().len() < 2 {
                Problem {
                    detail: "`~=` needs a version with at least two release numbers, such as `~=1.4`".to_owned(),
                    span: version_span,
                }
            } else {
                Problem { detail: "not a valid specifier".to_owned(), span: whole }
            }
        }
    }
}

/// Whether `byte` can start an operator.
pub(crate) fn starts_operator(byte: u8) -> bool {
    matches!(byte, b'<' | b'>' | b'=' | b'!' | b'~')
}

/// Explains why the text at `start` (up to the next `,`, `;` or `)`) is not
/// a specifier, or `None` if it is one.
pub(crate) fn explain_at(text: &str, start: usize) -> Option<Pep508Error> {
    // Only text that looks like a specifier: an operator, or a bare
    // version (`foo 1.0`).
    let bare_version = match byte_at(text, start) {
        b'v' | b'V' => byte_at(text, start + 1).is_ascii_digit(),
        byte => byte.is_ascii_digit(),
    };
    if !starts_operator(byte_at(text, start)) && !bare_version {
        return None;
    }
    let end = text[start..].find([',', ';', ')']).map_or(text.len(), |end| start + end);
    let (strip_start, strip_end) = python_strip(&text[start..end]);
    let piece = &text[start + strip_start..start + strip_end];
    if piece.is_empty() {
        return None;
    }
    parse_piece(piece, start + strip_start).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> String {
        parse_specifiers(text).map(|set| set.to_string()).unwrap_or_else(|error| format!("error: {}", error.message))
    }

    #[test]
    fn sets_print_like_packaging() {
        assert_eq!(normal(""), "");
        assert_eq!(normal(" , ,>=1"), ">=1");
        assert_eq!(normal("==="), "===");
        assert_eq!(normal("=== "), "===");
        assert_eq!(normal("== 1.0"), "==1.0");
        assert_eq!(normal("==1.0 ,!=2"), "!=2,==1.0");
        assert_eq!(normal(">=1.0,>=1,>=1.0.0"), ">=1");
        assert_eq!(normal("~=1.0.0,~=1.0"), "~=1.0,~=1.0.0");
        assert_eq!(normal("==1.0.*,==1.00.*"), "==1.0.*,==1.00.*");
        assert_eq!(normal("==1.0+ABC,==1.0+abc"), "==1.0+ABC");
        assert_eq!(normal("<=v1"), "<=v1");
        assert_eq!(normal("==1.0a."), "==1.0a.");
        assert_eq!(normal(">=1.0.dev-"), ">=1.0.dev-");
        assert_eq!(normal("===1.0,===1.0 "), "===1.0");
        assert_eq!(normal(">=\u{a0}1.0"), ">=1.0");
    }

    #[test]
    fn per_operator_rules() {
        for bad in [
            "===a b",
            "~=1",
            "~=1.0.*",
            "==1.*.*",
            "==1.0-1-1",
            ">=1.0+local",
            ">1.*",
            "1.0",
            "=1.0",
            ">=",
            "~=1.0poſt1",
        ] {
            assert!(parse_specifiers(bad).is_err(), "{bad:?}");
        }
        for good in ["==1.0.*", "!=1.0+local", "~=1.0", "===anything(goes", "==1.0+abc.5"] {
            assert!(parse_specifiers(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn errors_say_why() {
        let message = |text: &str| parse_specifiers(text).unwrap_err().message;
        assert!(message(">=1.0, ~=1").contains("at least two release numbers"));
        assert!(message(">=1.0+abc").contains("local version label"));
        assert!(message(">=1.*").contains("`.*` suffix can only be used with `==` or `!=`"));
        assert!(message("==1.0a1.*").contains("cannot follow a pre-release"));
        assert!(message("=1.0").contains("use `==`"));
        assert!(message("1.0").contains("needs an operator"));
        let error = parse_specifiers(">=1.0, <2.x").unwrap_err();
        assert_eq!(error.span, 9..11);
        assert!(error.message.starts_with("invalid version specifier `<2.x`: unexpected `.x`"), "{}", error.message);
    }
}
