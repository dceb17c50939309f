//! Project, extra and import names: validity and normalisation.
//!
//! Names appear in several spellings: as written in `[project] name` (kept
//! unchanged in `Name:`), PEP 503-normalised (`Provides-Extra`, extras in
//! `Requires-Dist`), with underscores (wheel, sdist and `.dist-info` names),
//! and as the Python import name of the module. Each rule here is flit 4.2's.

use crate::validate::pystr::{is_python_whitespace, python_repr};

/// Whether `name` is a valid project (distribution) name, or a valid
/// optional-dependency group name, by flit's rule: one ASCII letter or digit,
/// or letters, digits, `.`, `_` and `-` that start and end with a letter or
/// digit (`^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$`, case-insensitive).
///
/// Two Python regex quirks matter here:
/// - `$` also matches just before a final `\n`, so flit accepts `"foo\n"`
///   (and then writes the newline into `Name:`). This mirrors it, so every
///   project flit accepts is accepted.
/// - a case-insensitive `[A-Z]` in Python also matches `İ`, `ı`, `ſ` and the
///   Kelvin sign `K`. This does *not* accept them (a deliberate difference):
///   such names are not valid names for any other packaging tool or index.
pub fn is_valid_project_name(name: &str) -> bool {
    let name = name.strip_suffix('\n').unwrap_or(name);
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        }
        _ => false,
    }
}

/// Replaces every run of `-`, `_` and `.` with `separator` and lower-cases
/// the rest (Python's full Unicode `str.lower`, which Rust's
/// `to_lowercase` matches).
fn collapse_separators(name: &str, separator: char) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push(separator);
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out.to_lowercase()
}

/// The PEP 503 normal form of a project or extra name: runs of `-`, `_` and
/// `.` become one `-`, and letters are lower-cased (`Foo__Bar.baz` gives
/// `foo-bar-baz`). flit uses it for `Provides-Extra`, for extras inside
/// `Requires-Dist` and to detect clashing optional-dependency groups.
pub fn normalise_name(name: &str) -> String {
    collapse_separators(name, '-')
}

/// The form of the project name used in wheel, sdist and `.dist-info` names:
/// runs of `-`, `_` and `.` become one `_`, and letters are lower-cased
/// (`Foo-Bar.baz` gives `foo_bar_baz`).
pub fn wheel_name_part(name: &str) -> String {
    collapse_separators(name, '_')
}

/// The import name flit assumes when `[tool.flit.module]` does not give one:
/// every `-` becomes `_`, except that a trailing `-stubs` (a PEP 561 stub
/// package, directory `foo-stubs/`) is kept. Dots are kept: `ns.pkg` means
/// module `pkg` in namespace package `ns`.
pub fn default_import_name(project_name: &str) -> String {
    match project_name.strip_suffix("-stubs") {
        Some(base) => format!("{}-stubs", base.replace('-', "_")),
        None => project_name.replace('-', "_"),
    }
}

/// Python's `str.isidentifier()`: a first character that is `_` or has the
/// Unicode `XID_Start` property, then characters with `XID_Continue`. These
/// derived properties already include the `Other_ID_Start` and
/// `Other_ID_Continue` characters and the NFKC closure that Python's
/// definition mentions, so `℘` or `゛` start an identifier here as in Python.
///
/// The properties come from the `unicode-ident` crate (a newer Unicode than
/// Python 3.11's Unicode 14). Compared over every code point, this accepts a
/// strict superset of Python 3.11: about 26,700 characters that Unicode 14
/// had not assigned yet, and four that it had, which Unicode 15.1 made
/// identifier-continue characters (U+200C ZWNJ, U+200D ZWJ, U+30FB and
/// U+FF65, the katakana middle dots); Python 3.13 accepts those too.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if first == '_' || unicode_ident::is_xid_start(first) => chars.all(unicode_ident::is_xid_continue),
        _ => false,
    }
}

/// Whether every `.`-separated part of `s` is an identifier (`a.b.c`; not
/// empty, no empty parts).
pub fn is_dotted_identifier(s: &str) -> bool {
    s.split('.').all(is_identifier)
}

/// Why an `import-names` or `import-namespaces` entry is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportNameError {
    /// Something other than `private` follows the `;`.
    #[error(
        "{} for import name {} is not allowed (the only valid annotation is 'private'); \
         write `{name}` or `{name}; private`",
        python_repr(.annotation),
        python_repr(.name)
    )]
    InvalidAnnotation {
        /// The name before the `;` (trailing whitespace removed).
        name: String,
        /// The text after the `;` (leading whitespace removed).
        annotation: String,
    },
    /// A dotted part of the name is not a Python identifier.
    #[error(
        "{} is not a valid import name; use Python identifiers separated by dots, like `package.module`",
        python_repr(.name)
    )]
    InvalidName {
        /// The name (without annotation).
        name: String,
    },
}

/// Validates and normalises one PEP 794 `import-names` or
/// `import-namespaces` entry as flit does: an optional `; private`
/// annotation (whitespace around the `;` removed, nothing else allowed after
/// it, not even trailing spaces), and a name whose dotted parts are
/// identifiers. Returns `name` or `name; private`.
pub fn normalise_import_name(entry: &str) -> Result<String, ImportNameError> {
    let (name, annotation) = match entry.split_once(';') {
        Some((name, annotation)) => {
            let name = name.trim_end_matches(is_python_whitespace);
            let annotation = annotation.trim_start_matches(is_python_whitespace);
            if annotation != "private" {
                return Err(ImportNameError::InvalidAnnotation {
                    name: name.to_owned(),
                    annotation: annotation.to_owned(),
                });
            }
            (name, Some(annotation))
        }
        None => (entry, None),
    };
    if !is_dotted_identifier(name) {
        return Err(ImportNameError::InvalidName { name: name.to_owned() });
    }
    Ok(match annotation {
        Some(annotation) => format!("{name}; {annotation}"),
        None => name.to_owned(),
    })
}

/// The part of an import-name entry before any `;` (not stripped), which
/// flit compares with the module name.
pub fn import_name_without_annotation(entry: &str) -> &str {
    entry.split_once(';').map_or(entry, |(name, _)| name)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    #[test]
    fn project_names() {
        for good in ["a", "A", "0", "foo", "Foo-Bar", "a.b_c-d", "a--b", "a..b", "x1", "foo\n", "1foo1"] {
            assert!(is_valid_project_name(good), "{good:?}");
        }
        for bad in [
            "", "-a", "a-", "_a", "a_", ".a", "a.", "a b", "foo\n\n", "\nfoo", "foo\r", "é", "a\u{17f}", "\u{212a}",
            "a+b", "a\tb", "\n",
        ] {
            assert!(!is_valid_project_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn normalised_names() {
        let cases = [
            ("Foo__Bar.baz", "foo-bar-baz", "foo_bar_baz"),
            ("a-_-.b", "a-b", "a_b"),
            ("-x-", "-x-", "_x_"),
            ("ÉCOLE", "école", "école"),
            ("", "", ""),
            ("ΣΑΣ", "σας", "σας"),
        ];
        for (input, pep503, wheel) in cases {
            assert_eq!(normalise_name(input), pep503, "{input}");
            assert_eq!(wheel_name_part(input), wheel, "{input}");
        }
    }

    #[test]
    fn default_import_names() {
        let cases = [
            ("foo-bar", "foo_bar"),
            ("foo.bar", "foo.bar"),
            ("foo-bar-stubs", "foo_bar-stubs"),
            ("-stubs", "-stubs"),
            ("foo-Stubs", "foo_Stubs"),
            ("foo_stubs", "foo_stubs"),
            ("a-b-c", "a_b_c"),
        ];
        for (input, expected) in cases {
            assert_eq!(default_import_name(input), expected, "{input}");
        }
    }

    #[test]
    fn identifiers() {
        for good in ["a", "_", "_a1", "été", "ℕ", "a\u{0300}", "日本", "x·y"] {
            assert!(is_identifier(good), "{good:?}");
        }
        for bad in ["", "1a", "a-b", "a b", "a.b", "·", "\u{0300}", "$", "a\u{200b}"] {
            assert!(!is_identifier(bad), "{bad:?}");
        }
        assert!(is_dotted_identifier("a.b._c"));
        for bad in ["", ".", "a.", ".a", "a..b", "a.1"] {
            assert!(!is_dotted_identifier(bad), "{bad:?}");
        }
    }

    #[test]
    fn import_names() {
        let cases = [
            ("foo", "foo"),
            ("foo.bar", "foo.bar"),
            ("foo;private", "foo; private"),
            ("foo  ;   private", "foo; private"),
            ("foo\t;\nprivate", "foo; private"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalise_import_name(input).as_deref(), Ok(expected), "{input}");
        }
        assert_eq!(
            normalise_import_name("foo; public"),
            Err(ImportNameError::InvalidAnnotation { name: "foo".into(), annotation: "public".into() })
        );
        assert_eq!(
            normalise_import_name("foo; private "),
            Err(ImportNameError::InvalidAnnotation { name: "foo".into(), annotation: "private ".into() })
        );
        assert_eq!(
            normalise_import_name("foo;private;private"),
            Err(ImportNameError::InvalidAnnotation { name: "foo".into(), annotation: "private;private".into() })
        );
        assert_eq!(normalise_import_name(" foo"), Err(ImportNameError::InvalidName { name: " foo".into() }));
        assert_eq!(normalise_import_name("a-b; private"), Err(ImportNameError::InvalidName { name: "a-b".into() }));
        assert_eq!(
            normalise_import_name("foo; bar").unwrap_err().to_string(),
            "'bar' for import name 'foo' is not allowed (the only valid annotation is 'private'); \
             write `foo` or `foo; private`"
        );
        assert_eq!(import_name_without_annotation("foo ; private"), "foo ");
        assert_eq!(import_name_without_annotation("foo"), "foo");
    }
}
