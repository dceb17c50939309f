//! PEP 440 versions as `packaging.version.Version` reads, prints and orders
//! them.
//!
//! packaging matches versions with one regular expression
//! (`VERSION_PATTERN`, surrounded by `\s*`, case-insensitive), and the
//! version part of each specifier operator with a variant of it. Every
//! optional part of those patterns is followed by parts that cannot start
//! with what it would leave behind, so taking each part greedily, in the
//! order the pattern lists its alternatives, finds exactly the match
//! Python's backtracking engine finds (and the possessive quantifiers of
//! packaging 26 change nothing). [`scan`] does that in one linear pass; the
//! [`Grammar`] flags select the variant.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use super::text::{byte_at, char_at, digits_at, python_strip};
use super::{Pep508Error, excerpt};

/// The most digits Python's `int()` converts (CPython's default
/// `sys.get_int_max_str_digits()`, leading zeros included). packaging
/// converts every number of a version with `int()`, so a longer number makes
/// `Version()` fail; we reject it with a message instead.
pub const MAX_NUMBER_DIGITS: usize = 4300;

/// A non-negative integer of any size, as Python's `int` holds the parts of
/// a version (`1.99999999999999999999` is a valid version). Kept as its
/// decimal digits without leading zeros; ordered numerically.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Box<str>);

impl Number {
    /// The number written with the ASCII digits `digits` (leading zeros
    /// allowed).
    fn from_digits(digits: &str) -> Number {
        let significant = digits.trim_start_matches('0');
        Number(if significant.is_empty() { "0" } else { significant }.into())
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        &*self.0 == "0"
    }

    /// The value, when it fits in a `u64`.
    pub fn to_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// The decimal digits, without leading zeros (`"0"` for zero).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        // Without leading zeros, the longer number is the larger one.
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The kind of a pre-release, after normalisation (`alpha` → `a`,
/// `c`/`pre`/`preview` → `rc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreReleaseKind {
    /// `a`: alpha.
    Alpha,
    /// `b`: beta.
    Beta,
    /// `rc`: release candidate.
    ReleaseCandidate,
}

impl PreReleaseKind {
    /// The normalised spelling: `a`, `b` or `rc`.
    pub fn as_str(self) -> &'static str {
        match self {
            PreReleaseKind::Alpha => "a",
            PreReleaseKind::Beta => "b",
            PreReleaseKind::ReleaseCandidate => "rc",
        }
    }
}

/// A pre-release segment: its kind and number (0 when none is written).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PreRelease {
    /// `a`, `b` or `rc`.
    pub kind: PreReleaseKind,
    /// The number after the label.
    pub number: Number,
}

/// One part of a local version label (`+ubuntu.1` has `ubuntu` and `1`).
///
/// The variant order is PEP 440's: text sorts before numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LocalSegment {
    /// A part with a letter, lower-cased; compared as text.
    Text(String),
    /// A part of digits only; compared as a number.
    Number(Number),
}

impl fmt::Display for LocalSegment {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalSegment::Text(text) => formatter.write_str(text),
            LocalSegment::Number(number) => write!(formatter, "{number}"),
        }
    }
}

/// A PEP 440 version, as `packaging.version.Version` holds it.
///
/// [`Display`](fmt::Display) writes packaging's normalised form
/// (`V1.0-ALPHA.2` → `1.0a2`). Comparison follows PEP 440 (and packaging's
/// `_cmpkey`): `1.0.dev1 < 1.0a1 < 1.0 < 1.0.post1`, trailing zeros of the
/// release do not matter (`1.0 == 1`), a local label sorts after the same
/// version without one. Equality is that same semantic equality, so two
/// equal versions can print differently.
#[derive(Debug, Clone)]
pub struct Version {
    epoch: Number,
    release: Vec<Number>,
    pre: Option<PreRelease>,
    post: Option<Number>,
    dev: Option<Number>,
    local: Option<Vec<LocalSegment>>,
}

impl Version {
    /// The epoch (`N!`), 0 when none is written.
    pub fn epoch(&self) -> &Number {
        &self.epoch
    }

    /// The release numbers (`1.2.3` → 1, 2, 3), never empty.
    pub fn release(&self) -> &[Number] {
        &self.release
    }

    /// The pre-release segment, if any.
    pub fn pre(&self) -> Option<&PreRelease> {
        self.pre.as_ref()
    }

    /// The post-release number, if any.
    pub fn post(&self) -> Option<&Number> {
        self.post.as_ref()
    }

    /// The development release number, if any.
    pub fn dev(&self) -> Option<&Number> {
        self.dev.as_ref()
    }

    /// The local version label's parts, if any.
    pub fn local(&self) -> Option<&[LocalSegment]> {
        self.local.as_deref()
    }

    /// Whether this is a pre-release or development release (which
    /// installers skip unless asked for).
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// Whether this is a post-release.
    pub fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    /// Whether this is a development release.
    pub fn is_devrelease(&self) -> bool {
        self.dev.is_some()
    }

    /// The release without trailing zeros (possibly empty): what ordering
    /// compares.
    fn trimmed_release(&self) -> &[Number] {
        let end = self.release.iter().rposition(|number| !number.is_zero()).map_or(0, |last| last + 1);
        &self.release[..end]
    }

    /// packaging's sort key for the pre, post and dev segments:
    /// (pre rank, pre number, post rank, post number, dev rank, dev number).
    /// A development release of a final version sorts before its
    /// pre-releases; a final version after its release candidates.
    fn suffix_key(&self) -> (i8, Option<&Number>, u8, Option<&Number>, u8, Option<&Number>) {
        let (pre_rank, pre_number) = match (&self.pre, &self.post, &self.dev) {
            (None, None, Some(_)) => (-1, None),
            (None, _, _) => (3, None),
            (Some(pre), _, _) => (pre.kind as i8, Some(&pre.number)),
        };
        (
            pre_rank,
            pre_number,
            u8::from(self.post.is_some()),
            self.post.as_ref(),
            u8::from(self.dev.is_none()),
            self.dev.as_ref(),
        )
    }

    /// The normalised form with trailing zeros of the release removed (one
    /// number is kept), as `packaging.utils.canonicalize_version` writes it
    /// by default: `1.0.0` → `1`, `2.1.0rc1` → `2.1rc1`.
    pub fn canonical_without_trailing_zeros(&self) -> String {
        let kept = self.release.iter().rposition(|number| !number.is_zero()).map_or(1, |last| last + 1);
        let mut text = String::new();
        self.write(&mut text, &self.release[..kept]).ok();
        text
    }

    /// Writes the normalised form with `release` in place of the release.
    fn write(&self, out: &mut impl fmt::Write, release: &[Number]) -> fmt::Result {
        if !self.epoch.is_zero() {
            write!(out, "{}!", self.epoch)?;
        }
        for (index, number) in release.iter().enumerate() {
            if index > 0 {
                out.write_char('.')?;
            }
            write!(out, "{number}")?;
        }
        if let Some(pre) = &self.pre {
            write!(out, "{}{}", pre.kind.as_str(), pre.number)?;
        }
        if let Some(post) = &self.post {
            write!(out, ".post{post}")?;
        }
        if let Some(dev) = &self.dev {
            write!(out, ".dev{dev}")?;
        }
        if let Some(local) = &self.local {
            out.write_char('+')?;
            for (index, segment) in local.iter().enumerate() {
                if index > 0 {
                    out.write_char('.')?;
                }
                write!(out, "{segment}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Version {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(formatter, &self.release)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.trimmed_release().cmp(other.trimmed_release()))
            .then_with(|| self.suffix_key().cmp(&other.suffix_key()))
            // `None < Some`: a version without a local label sorts first;
            // label parts compare element-wise, a shorter prefix first.
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Exactly what `cmp` compares, so equal versions hash alike.
        self.epoch.hash(state);
        self.trimmed_release().hash(state);
        self.suffix_key().hash(state);
        self.local.hash(state);
    }
}

/// Parses a PEP 440 version as `packaging.version.Version` does.
///
/// Accepts surrounding whitespace (Python's Unicode whitespace), a leading
/// `v`, any letter case, the alternative spellings of PEP 440's
/// normalisation rules (`alpha`, `c`, `pre`, `preview`, `rev`, `r`, `-N`
/// post-releases) and `.`, `-` or `_` as separators. The result prints in
/// normalised form. The error points at the first part that does not fit.
pub fn parse_version(text: &str) -> Result<Version, Pep508Error> {
    parse_version_in(text, 0).map_err(|problem| {
        let (start, end) = python_strip(text);
        if start == end {
            problem.into_error("invalid version")
        } else {
            problem.into_error(&format!("invalid version {}", excerpt(&text[start..end])))
        }
    })
}

/// Why a version (or a specifier) is invalid: the detail, and the byte range
/// of the offending part in the whole input.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub detail: String,
    pub span: std::ops::Range<usize>,
}

impl Problem {
    /// The error, its message being `context: detail`.
    pub fn into_error(self, context: &str) -> Pep508Error {
        Pep508Error { message: format!("{context}: {}", self.detail), span: self.span }
    }
}

/// Parses the version `text`, which starts at byte `offset` of the input the
/// spans refer to.
pub(crate) fn parse_version_in(text: &str, offset: usize) -> Result<Version, Problem> {
    let (start, end) = python_strip(text);
    if start == end {
        return Err(Problem { detail: "a version cannot be empty".to_owned(), span: offset + start..offset + end });
    }
    let Some(scanned) = scan(text, start, Grammar::VERSION) else {
        let bad = scan_failure(text, start);
        let detail = if bad == end && bad > start {
            format!("a release number such as `1.0` must follow {}", excerpt(&text[start..end]))
        } else {
            "a version starts with a number, such as `1.0` (optionally after `v` or an epoch `N!`)".to_owned()
        };
        return Err(Problem { detail, span: offset + bad..offset + end });
    };
    if scanned.end != end {
        let rest = &text[scanned.end..end];
        let detail = if rest.starts_with(".*") {
            "`.*` is only allowed after the version of an `==` or `!=` specifier".to_owned()
        } else if rest.starts_with('+') {
            format!(
                "{} is not a valid local version label (`+` and letters or digits, separated by `.`, `-` or `_`)",
                excerpt(rest)
            )
        } else {
            format!("unexpected {}", excerpt(rest))
        };
        return Err(Problem { detail, span: offset + scanned.end..offset + end });
    }
    scanned.to_version(text, offset)
}

/// Where a version that does not even start right goes wrong: after an
/// optional `v` and epoch, the position that should hold a digit.
fn scan_failure(text: &str, start: usize) -> usize {
    let mut position = start;
    if matches!(byte_at(text, position), b'v' | b'V') {
        position += 1;
    }
    let digits = digits_at(text, position);
    if digits > 0 && byte_at(text, position + digits) == b'!' {
        position += digits + 1;
    }
    position
}

/// Which variant of packaging's version patterns to follow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grammar {
    /// A `+local` label may follow (`Version`, `==`, `!=`).
    pub local: bool,
    /// `.*` may follow the release instead of the other parts (`==`, `!=`).
    pub wildcard: bool,
    /// The release needs two numbers or more (`~=`).
    pub two_release_numbers: bool,
    /// Labels match with Python's Unicode case folding, as in the `~=`
    /// pattern, which lacks the `(?a:...)` the others have: there `ı` and
    /// `İ` match `i`, and `ſ` matches `s`.
    pub unicode_labels: bool,
}

impl Grammar {
    /// `packaging.version.VERSION_PATTERN`.
    pub const VERSION: Grammar =
        Grammar { local: true, wildcard: false, two_release_numbers: false, unicode_labels: false };
    /// The `==` and `!=` branch of the specifier pattern.
    pub const EQUALITY: Grammar =
        Grammar { local: true, wildcard: true, two_release_numbers: false, unicode_labels: false };
    /// The `~=` branch of the specifier pattern.
    pub const COMPATIBLE: Grammar =
        Grammar { local: false, wildcard: false, two_release_numbers: true, unicode_labels: true };
    /// The `<`, `<=`, `>`, `>=` branch of the specifier pattern.
    pub const ORDERED: Grammar =
        Grammar { local: false, wildcard: false, two_release_numbers: false, unicode_labels: false };
}

/// The parts of a matched version, as sub-slices of the scanned text.
#[derive(Debug)]
pub(crate) struct Scanned<'a> {
    /// Where the match ends.
    pub end: usize,
    epoch: Option<&'a str>,
    release: Vec<&'a str>,
    pre: Option<(PreReleaseKind, Option<&'a str>)>,
    /// `Some(None)`: a post-release without a number.
    post: Option<Option<&'a str>>,
    dev: Option<Option<&'a str>>,
    local: Option<&'a str>,
}

/// The pre-release labels in the order the patterns try them (a longer
/// label before its prefix).
const PRE_LABELS: [(&str, PreReleaseKind); 8] = [
    ("alpha", PreReleaseKind::Alpha),
    ("a", PreReleaseKind::Alpha),
    ("beta", PreReleaseKind::Beta),
    ("b", PreReleaseKind::Beta),
    ("preview", PreReleaseKind::ReleaseCandidate),
    ("pre", PreReleaseKind::ReleaseCandidate),
    ("c", PreReleaseKind::ReleaseCandidate),
    ("rc", PreReleaseKind::ReleaseCandidate),
];

/// The post-release labels, in the patterns' order.
const POST_LABELS: [&str; 3] = ["post", "rev", "r"];

/// Matches the version pattern selected by `grammar` at byte `start`
/// (`v? (N!)? N(.N)* pre? post? dev? local?`, or `... N(.N)*.*`), taking
/// the longest match; `None` when there is no release number. Does not skip
/// whitespace.
pub(crate) fn scan(text: &str, start: usize, grammar: Grammar) -> Option<Scanned<'_>> {
    let mut position = start;
    if matches!(byte_at(text, position), b'v' | b'V') {
        position += 1;
    }
    let mut epoch = None;
    let digits = digits_at(text, position);
    if digits > 0 && byte_at(text, position + digits) == b'!' {
        epoch = Some(&text[position..position + digits]);
        position += digits + 1;
    }
    let digits = digits_at(text, position);
    if digits == 0 {
        return None;
    }
    let mut release = vec![&text[position..position + digits]];
    position += digits;
    while byte_at(text, position) == b'.' {
        let digits = digits_at(text, position + 1);
        if digits == 0 {
            break;
        }
        release.push(&text[position + 1..position + 1 + digits]);
        position += 1 + digits;
    }
    if grammar.two_release_numbers && release.len() < 2 {
        return None;
    }
    let mut scanned = Scanned { end: position, epoch, release, pre: None, post: None, dev: None, local: None };
    if grammar.wildcard && text[position..].starts_with(".*") {
        scanned.end = position + 2;
        return Some(scanned);
    }
    let unicode = grammar.unicode_labels;
    if let Some((kind, number, end)) = separated_label(text, position, |at| {
        PRE_LABELS.iter().find_map(|&(label, kind)| label_at(text, at, label, unicode).map(|end| (kind, end)))
    }) {
        scanned.pre = Some((kind, number));
        position = end;
    }
    let digits = digits_at(text, position + 1);
    if byte_at(text, position) == b'-' && digits > 0 {
        scanned.post = Some(Some(&text[position + 1..position + 1 + digits]));
        position += 1 + digits;
    } else if let Some(((), number, end)) = separated_label(text, position, |at| {
        POST_LABELS.iter().find_map(|label| label_at(text, at, label, unicode).map(|end| ((), end)))
    }) {
        scanned.post = Some(number);
        position = end;
    }
    if let Some(((), number, end)) =
        separated_label(text, position, |at| label_at(text, at, "dev", unicode).map(|end| ((), end)))
    {
        scanned.dev = Some(number);
        position = end;
    }
    if grammar.local && byte_at(text, position) == b'+' {
        let first = alphanumerics_at(text, position + 1);
        if first > 0 {
            let mut end = position + 1 + first;
            while is_separator(byte_at(text, end)) {
                let more = alphanumerics_at(text, end + 1);
                if more == 0 {
                    break;
                }
                end += 1 + more;
            }
            scanned.local = Some(&text[position + 1..end]);
            position = end;
        }
    }
    scanned.end = position;
    Some(scanned)
}

/// `[-_.]? label [-_.]? [0-9]*` at `position`: what `label` recognised, the
/// number if one is written, and the end.
fn separated_label<T>(
    text: &str,
    position: usize,
    label: impl Fn(usize) -> Option<(T, usize)>,
) -> Option<(T, Option<&str>, usize)> {
    // A separator not followed by a label cannot start the part at all:
    // the label would then have to start at the separator.
    let start = if is_separator(byte_at(text, position)) { position + 1 } else { position };
    let (value, mut end) = label(start)?;
    if is_separator(byte_at(text, end)) {
        end += 1;
    }
    let digits = digits_at(text, end);
    let number = (digits > 0).then(|| &text[end..end + digits]);
    Some((value, number, end + digits))
}

/// Whether `byte` is one of the separators `-`, `_`, `.`.
fn is_separator(byte: u8) -> bool {
    matches!(byte, b'-' | b'_' | b'.')
}

/// The number of ASCII letters and digits at `position`.
fn alphanumerics_at(text: &str, position: usize) -> usize {
    text.as_bytes()
        .get(position..)
        .map_or(0, |rest| rest.iter().take_while(|byte| byte.is_ascii_alphanumeric()).count())
}

/// Whether the lower-case ASCII `label` is written at `position`, in any
/// case; the end if so.
fn label_at(text: &str, position: usize, label: &str, unicode: bool) -> Option<usize> {
    let mut end = position;
    for expected in label.chars() {
        let found = char_at(text, end)?;
        let matches = found.to_ascii_lowercase() == expected
            || (unicode
                && match expected {
                    'i' => matches!(found, '\u{130}' | '\u{131}'),
                    's' => found == '\u{17f}',
                    _ => false,
                });
        if !matches {
            return None;
        }
        end += found.len_utf8();
    }
    Some(end)
}

impl Scanned<'_> {
    /// The version these parts spell; `text` is the scanned text, which
    /// starts at byte `offset` of the input.
    ///
    /// Fails when a number is too long for Python's `int()`, or when a
    /// label uses a non-ASCII letter that only the `~=` pattern accepts
    /// (packaging's `Version` then rejects it).
    pub fn to_version(&self, text: &str, offset: usize) -> Result<Version, Problem> {
        let span_of = |part: &str| {
            let start = part.as_ptr() as usize - text.as_ptr() as usize;
            offset + start..offset + start + part.len()
        };
        let number = |digits: &str| {
            if digits.len() > MAX_NUMBER_DIGITS {
                return Err(Problem {
                    detail: format!(
                        "a number in a version cannot have more than {MAX_NUMBER_DIGITS} digits (Python's limit for `int()`)"
                    ),
                    span: span_of(digits),
                });
            }
            Ok(Number::from_digits(digits))
        };
        let optional = |digits: Option<&str>| digits.map_or_else(|| Ok(Number::from_digits("0")), number);
        let start = self.release[0].as_ptr() as usize - text.as_ptr() as usize;
        if let Some(bad) = text[start..self.end].chars().find(|c| !c.is_ascii()) {
            let at = start + text[start..].find(bad).unwrap_or(0);
            return Err(Problem {
                detail: format!(
                    "the letter `{bad}` is not ASCII; packaging's `~=` pattern accepts it as a case variant, but its versions do not"
                ),
                span: offset + at..offset + at + bad.len_utf8(),
            });
        }
        Ok(Version {
            epoch: optional(self.epoch)?,
            release: self.release.iter().map(|digits| number(digits)).collect::<Result<_, _>>()?,
            pre: match self.pre {
                Some((kind, digits)) => Some(PreRelease { kind, number: optional(digits)? }),
                None => None,
            },
            post: self.post.map(optional).transpose()?,
            dev: self.dev.map(optional).transpose()?,
            local: match self.local {
                Some(local) => Some(
                    local
                        .split(['.', '-', '_'])
                        .map(|part| {
                            if part.bytes().all(|byte| byte.is_ascii_digit()) {
                                number(part).map(LocalSegment::Number)
                            } else {
                                Ok(LocalSegment::Text(part.to_ascii_lowercase()))
                            }
                        })
                        .collect::<Result<_, _>>()?,
                ),
                None => None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> String {
        parse_version(text)
            .map(|version| version.to_string())
            .unwrap_or_else(|error| format!("error: {}", error.message))
    }

    #[test]
    fn normalises_like_packaging() {
        assert_eq!(normal("1.0"), "1.0");
        assert_eq!(normal(" v1.0\n"), "1.0");
        assert_eq!(normal("1.0.post"), "1.0.post0");
        assert_eq!(normal("1.0-1"), "1.0.post1");
        assert_eq!(normal("1.0a-"), "1.0a0");
        assert_eq!(normal("01!01.01rc01.post01.dev01+ABC.01-x_y"), "1!1.1rc1.post1.dev1+abc.1.x.y");
        assert_eq!(normal("1.0RC1"), "1.0rc1");
        assert_eq!(normal("1.0preview"), "1.0rc0");
        assert_eq!(normal("1.0c"), "1.0rc0");
        assert_eq!(normal("1.0r"), "1.0.post0");
        assert_eq!(normal("0!1"), "1");
        assert_eq!(normal("1.99999999999999999999999999"), "1.99999999999999999999999999");
    }

    #[test]
    fn rejects_like_packaging() {
        for bad in ["", " ", "1.0-", "1.0+", "1.0+a..b", "1!", "1.0.*", "a", "1..0", ".1", "1.0 a", "1.0poſt1"] {
            assert!(parse_version(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn errors_point_at_the_bad_part() {
        let error = parse_version("  1.0.x ").unwrap_err();
        assert_eq!(error.span, 5..7);
        assert!(error.message.starts_with("invalid version `1.0.x`: unexpected `.x`"), "{}", error.message);
        let error = parse_version("x1").unwrap_err();
        assert_eq!(error.span, 0..2);
        let long = format!("1.{}", "9".repeat(MAX_NUMBER_DIGITS + 1));
        assert_eq!(parse_version(&long).unwrap_err().span, 2..long.len());
        assert!(parse_version(&format!("1.{}", "9".repeat(MAX_NUMBER_DIGITS))).is_ok());
    }

    #[test]
    fn orders_like_pep_440() {
        let ordered = [
            "1.0.dev0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a1.post1.dev1",
            "1.0a1.post1",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+abc.1",
            "1.0+1",
            "1.0+2",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.1",
            "1.10",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            let (low, high) = (parse_version(pair[0]).unwrap(), parse_version(pair[1]).unwrap());
            assert!(low < high, "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(parse_version("1.0.0").unwrap(), parse_version("1").unwrap());
        assert_eq!(parse_version("1.0a").unwrap(), parse_version("1.0a0").unwrap());
        assert!(parse_version("1.99999999999999999999").unwrap() > parse_version("1.9999999999999999999").unwrap());
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(parse_version("1.0.0").unwrap().canonical_without_trailing_zeros(), "1");
        assert_eq!(parse_version("0.0").unwrap().canonical_without_trailing_zeros(), "0");
        assert_eq!(parse_version("2.1.0rc1+x").unwrap().canonical_without_trailing_zeros(), "2.1rc1+x");
    }
}
