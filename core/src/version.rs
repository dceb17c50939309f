//! Version numbers: flit's permissive PEP 440 normalisation.
//!
//! flit 4.2 (`flit_core/versionno.py`) lower-cases the version, matches it
//! against the permissive PEP 440 grammar and rebuilds the canonical form:
//! `1.01beta002` becomes `1.1b2`, `1.0-2` becomes `1.0.post2`. Anything the
//! grammar rejects is an error (unless the user sets `FLIT_ALLOW_INVALID`, in
//! which case flit uses the lower-cased input as it is; see
//! [`InvalidVersion::lowercased`]).
//!
//! The grammar is matched here by hand, but with the same priorities as
//! Python's backtracking regex engine: every optional part is tried "present"
//! before "absent", alternatives in the order the regex lists them, and the
//! first combination that reaches the end of the string wins. That is what
//! makes corner cases such as `1.0a-` (valid: the separator after a
//! pre-release label is optional) and `1.0-` (invalid) come out as in flit.

use crate::validate::pystr::{is_python_whitespace, python_repr};

/// A version string that does not follow PEP 440, even permissively.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Version number {} does not match PEP 440 rules; use a version such as `1.2.3`, `1.2.3rc1`, \
     `1.2.3.post1` or `1.2.3.dev1` (see https://peps.python.org/pep-0440/)",
    python_repr(.version)
)]
pub struct InvalidVersion {
    /// The version exactly as the user wrote it.
    pub version: String,
}

impl InvalidVersion {
    /// The value flit uses when `FLIT_ALLOW_INVALID` lets an invalid version
    /// through: the input lower-cased (Python's full Unicode `str.lower`),
    /// otherwise unchanged.
    pub fn lowercased(&self) -> String {
        self.version.to_lowercase()
    }
}

/// Normalises a version number the way flit 4.2 does.
///
/// Accepts surrounding whitespace (Python's Unicode `\s`), a leading `v`, an
/// epoch `N!`, a release `N(.N)*`, a pre-release (`a`, `b`, `c`, `rc`,
/// `alpha`, `beta`, `pre`, `preview`, optionally separated by `-`, `_` or `.`
/// and optionally numbered), a post-release (`-N`, or `post`, `rev`, `r`), a
/// development release (`dev`) and a local part (`+` and alphanumeric
/// segments separated by `-`, `_` or `.`), in any letter case. The result is
/// the canonical form, e.g. `1.0-alpha3-post02+ubuntu_xenial_5` gives
/// `1.0a3.post2+ubuntu.xenial.5`.
pub fn normalise_version(input: &str) -> Result<String, InvalidVersion> {
    // flit lower-cases with Python's `str.lower`; Rust's `to_lowercase` is the
    // same full Unicode mapping (so, e.g., the Kelvin sign becomes `k`).
    let lowered = input.to_lowercase();
    match parse(&lowered) {
        Some(parts) => Ok(parts.canonical()),
        None => Err(InvalidVersion { version: input.to_owned() }),
    }
}

/// A pre-release label and its optional number.
type PreRelease<'a> = Option<(&'a str, Option<&'a str>)>;

/// The pieces of a matched version, as sub-slices of the lower-cased input.
#[derive(Debug, Default, Clone, Copy)]
struct Parts<'a> {
    epoch: Option<&'a str>,
    release: &'a str,
    /// Label and optional number.
    pre: PreRelease<'a>,
    /// `Some(None)` for a post-release without number.
    post: Option<Option<&'a str>>,
    dev: Option<Option<&'a str>>,
    local: Option<&'a str>,
}

impl Parts<'_> {
    fn canonical(&self) -> String {
        let mut out = String::new();
        if let Some(epoch) = self.epoch {
            out.push_str(strip_zeros(epoch));
            out.push('!');
        }
        for (index, number) in self.release.split('.').enumerate() {
            if index > 0 {
                out.push('.');
            }
            out.push_str(strip_zeros(number));
        }
        if let Some((label, number)) = self.pre {
            out.push_str(match label {
                "a" | "alpha" => "a",
                "b" | "beta" => "b",
                // "c", "rc", "pre", "preview"
                _ => "rc",
            });
            out.push_str(number.map_or("0", strip_zeros));
        }
        if let Some(number) = self.post {
            out.push_str(".post");
            out.push_str(number.map_or("0", strip_zeros));
        }
        if let Some(number) = self.dev {
            out.push_str(".dev");
            out.push_str(number.map_or("0", strip_zeros));
        }
        if let Some(local) = self.local {
            out.push('+');
            for (index, segment) in local.split(['-', '_', '.']).enumerate() {
                if index > 0 {
                    out.push('.');
                }
                // Python: `str(int(c)) if c.isdigit() else c`; segments are
                // ASCII alphanumerics here, so "all digits" is the test.
                if segment.bytes().all(|b| b.is_ascii_digit()) {
                    out.push_str(strip_zeros(segment));
                } else {
                    out.push_str(segment);
                }
            }
        }
        out
    }
}

/// `str(int(digits))` without a size limit: leading zeros removed, `0` kept.
fn strip_zeros(digits: &str) -> &str {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}

fn is_separator(byte: u8) -> bool {
    matches!(byte, b'-' | b'_' | b'.')
}

/// Length of the run of ASCII digits at `pos`.
fn digits_at(text: &str, pos: usize) -> usize {
    text.as_bytes()[pos..].iter().take_while(|b| b.is_ascii_digit()).count()
}

/// The ways `[-_.]?` can match at `pos`, in the regex engine's order
/// (present first).
fn optional_separator(text: &str, pos: usize) -> Vec<usize> {
    match text.as_bytes().get(pos) {
        Some(&byte) if is_separator(byte) => vec![pos + 1, pos],
        _ => vec![pos],
    }
}

/// The ways `([0-9]+)?` can match at `pos`, longest first, then absent.
/// Returns (end, number).
fn optional_number(text: &str, pos: usize) -> Vec<(usize, Option<&str>)> {
    let length = digits_at(text, pos);
    let mut ways: Vec<(usize, Option<&str>)> =
        (1..=length).rev().map(|n| (pos + n, Some(&text[pos..pos + n]))).collect();
    ways.push((pos, None));
    ways
}

/// `[-_.]? label [-_.]? ([0-9]+)?` for any of `labels` (tried in order).
/// Returns every way to match, in priority order: (end, label, number).
fn labelled<'a>(text: &'a str, pos: usize, labels: &[&'static str]) -> Vec<(usize, &'static str, Option<&'a str>)> {
    let mut ways = Vec::new();
    for after_separator in optional_separator(text, pos) {
        for &label in labels {
            if !text[after_separator..].starts_with(label) {
                continue;
            }
            for after_second in optional_separator(text, after_separator + label.len()) {
                for (end, number) in optional_number(text, after_second) {
                    ways.push((end, label, number));
                }
            }
        }
    }
    ways
}

/// Matches the whole (lower-cased) version; `None` if it is not PEP 440.
fn parse(text: &str) -> Option<Parts<'_>> {
    let bytes = text.as_bytes();
    // `\s*v?`: nothing after the whitespace can be whitespace or `v` again,
    // so the greedy choice is the only one that can succeed.
    let mut pos = text.len() - text.trim_start_matches(is_python_whitespace).len();
    if bytes.get(pos) == Some(&b'v') {
        pos += 1;
    }
    let mut parts = Parts::default();

    // `([0-9]+!)?`
    let epoch_digits = digits_at(text, pos);
    if epoch_digits > 0 && bytes.get(pos + epoch_digits) == Some(&b'!') {
        parts.epoch = Some(&text[pos..pos + epoch_digits]);
        pos += epoch_digits + 1;
    }

    // `[0-9]+(\.[0-9]+)*`: a shorter release would leave `.N` or a digit,
    // which nothing after it can consume, so only the longest can succeed.
    let release_start = pos;
    let first = digits_at(text, pos);
    if first == 0 {
        return None;
    }
    pos += first;
    while bytes.get(pos) == Some(&b'.') {
        let more = digits_at(text, pos + 1);
        if more == 0 {
            break;
        }
        pos += 1 + more;
    }
    parts.release = &text[release_start..pos];

    // Pre, post, dev and local are optional and tried in priority order.
    let mut pre_ways: Vec<(usize, PreRelease<'_>)> =
        labelled(text, pos, &["a", "b", "c", "rc", "alpha", "beta", "pre", "preview"])
            .into_iter()
            .map(|(end, label, number)| (end, Some((label, number))))
            .collect();
    pre_ways.push((pos, None));

    for (after_pre, pre) in pre_ways {
        for (after_post, post) in post_ways(text, after_pre) {
            let mut dev_ways: Vec<(usize, Option<Option<&str>>)> =
                labelled(text, after_post, &["dev"]).into_iter().map(|(end, _, number)| (end, Some(number))).collect();
            dev_ways.push((after_post, None));
            for (after_dev, dev) in dev_ways {
                let (after_local, local) = local_part(text, after_dev);
                // `\s*$`: only whitespace may remain (`$` before a final
                // newline is covered, as `\n` is whitespace).
                if text[after_local..].chars().all(is_python_whitespace) {
                    parts.pre = pre;
                    parts.post = post;
                    parts.dev = dev;
                    parts.local = local;
                    return Some(parts);
                }
            }
        }
    }
    None
}

/// `(-[0-9]+ | [-_.]? (post|rev|r) [-_.]? [0-9]*)?` in priority order.
fn post_ways(text: &str, pos: usize) -> Vec<(usize, Option<Option<&str>>)> {
    let mut ways = Vec::new();
    if text.as_bytes().get(pos) == Some(&b'-') {
        let length = digits_at(text, pos + 1);
        for n in (1..=length).rev() {
            ways.push((pos + 1 + n, Some(Some(&text[pos + 1..pos + 1 + n]))));
        }
    }
    for (end, _, number) in labelled(text, pos, &["post", "rev", "r"]) {
        ways.push((end, Some(number)));
    }
    ways.push((pos, None));
    ways
}

/// `(\+[a-z0-9]+([-_.][a-z0-9]+)*)?`. Only the longest match can be followed
/// by `\s*$` (a shorter one leaves an alphanumeric or a separator), so this
/// returns just that, or "absent".
fn local_part(text: &str, pos: usize) -> (usize, Option<&str>) {
    let bytes = text.as_bytes();
    let is_local_char = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.get(pos) != Some(&b'+') {
        return (pos, None);
    }
    let start = pos + 1;
    let mut end = start + bytes[start..].iter().take_while(|b| is_local_char(b)).count();
    if end == start {
        return (pos, None);
    }
    while end < bytes.len() && is_separator(bytes[end]) {
        let more = bytes[end + 1..].iter().take_while(|b| is_local_char(b)).count();
        if more == 0 {
            break;
        }
        end += 1 + more;
    }
    (end, Some(&text[start..end]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    /// Expected results checked against flit_core 4.2's `normalise_version`.
    const VALID: &[(&str, &str)] = &[
        ("1", "1"),
        ("1.0", "1.0"),
        ("01.002.0003", "1.2.3"),
        ("1.01beta002", "1.1b2"),
        ("1.0_c", "1.0rc0"),
        ("1.0-2", "1.0.post2"),
        ("1.0-alpha3-post02+ubuntu_xenial_5", "1.0a3.post2+ubuntu.xenial.5"),
        ("v1.3-pre2", "1.3rc2"),
        (" 1.2.5.6\t", "1.2.5.6"),
        ("1!2", "1!2"),
        ("007!1.0", "7!1.0"),
        ("1.0A1", "1.0a1"),
        ("V1.0", "1.0"),
        ("1.0.POST", "1.0.post0"),
        ("1.0.post", "1.0.post0"),
        ("1.0post", "1.0.post0"),
        ("1.0r", "1.0.post0"),
        ("1.0rev3", "1.0.post3"),
        ("1.0-r-3", "1.0.post3"),
        ("1.0.dev", "1.0.dev0"),
        ("1.0dev5", "1.0.dev5"),
        ("1.0a-", "1.0a0"),
        ("1.0.post.", "1.0.post0"),
        ("1.0.dev.", "1.0.dev0"),
        ("1.0a-1", "1.0a1"),
        ("1.0a--1", "1.0a0.post1"),
        ("1.0a.post", "1.0a0.post0"),
        ("1.0alpha", "1.0a0"),
        ("1.0preview", "1.0rc0"),
        ("1.0c1", "1.0rc1"),
        ("1.0rc1.post2.dev3+abc.007", "1.0rc1.post2.dev3+abc.7"),
        ("1.0+ABC-Def_1", "1.0+abc.def.1"),
        ("1.0+0", "1.0+0"),
        ("1.0+00a", "1.0+00a"),
        ("1.0\n", "1.0"),
        ("\u{3000}1.0\u{85}", "1.0"),
        ("1.0+\u{212A}", "1.0+k"),
        ("99999999999999999999999.0", "99999999999999999999999.0"),
        ("0000", "0"),
        ("1.0-0", "1.0.post0"),
        ("1.0.0-dev-", "1.0.0.dev0"),
    ];

    const INVALID: &[&str] = &[
        "",
        " ",
        "v",
        "1.0-",
        "1.0+",
        "1.0.",
        ".1",
        "1..0",
        "1.0a1a",
        "1.0-1-1",
        "1.0+a..b",
        "1.0+a_",
        "1!",
        "!1",
        "1!2!3",
        "vv1",
        "1.0 a",
        "1.0\u{0}",
        "1.0/2",
        "1,0",
        "1.0+\u{e9}",
        "\u{661}",
        "1.0 \n x",
        "1.0a1-",
    ];

    #[test]
    fn valid_versions_are_normalised_like_flit() {
        for &(input, expected) in VALID {
            assert_eq!(normalise_version(input).as_deref(), Ok(expected), "input {input:?}");
        }
    }

    #[test]
    fn invalid_versions_are_rejected_like_flit() {
        for &input in INVALID {
            assert_eq!(normalise_version(input), Err(InvalidVersion { version: input.to_owned() }), "input {input:?}");
        }
    }

    #[test]
    fn error_message_quotes_like_flit_and_guides() {
        let message = normalise_version("1.0/2").unwrap_err().to_string();
        assert!(message.starts_with("Version number '1.0/2' does not match PEP 440 rules; "), "{message}");
        let message = normalise_version("it's").unwrap_err().to_string();
        assert!(message.starts_with("Version number \"it's\" does not"), "{message}");
    }

    #[test]
    fn allow_invalid_uses_the_lowercased_input() {
        assert_eq!(normalise_version("1.0-FOO").unwrap_err().lowercased(), "1.0-foo");
    }
}
