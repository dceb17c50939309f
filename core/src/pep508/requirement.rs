//! Dependency specifiers (`name[extra] >=1.0 ; marker`, `name @ url`), as
//! `packaging.requirements.Requirement` parses and prints them.

use std::fmt;

use super::Pep508Error;
use super::marker::Marker;
use super::parser::Parser;
use super::specifier::{Specifiers, push_specifiers, sorted_texts};

/// A parsed dependency specifier (PEP 508).
///
/// [`Display`](fmt::Display) writes packaging's form: the name as written,
/// the extras sorted and without duplicates, the specifiers as
/// [`Specifiers`] prints them, ` @ url`, and `; marker` (with a space
/// before the `;` after a URL, where it is required).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The project name, as written (not normalised).
    pub name: String,
    /// The extras, as written and in order (duplicates included).
    pub extras: Vec<String>,
    /// The version specifiers; `None` when there are none (including `()`
    /// and a URL requirement).
    pub specifiers: Option<Specifiers>,
    /// The URL of a `name @ url` requirement.
    pub url: Option<String>,
    /// The environment marker after `;`.
    pub marker: Option<Marker>,
}

impl fmt::Display for Requirement {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.name)?;
        if !self.extras.is_empty() {
            // packaging keeps a set of the extras and sorts it.
            let mut extras = sorted_texts(self.extras.iter().cloned());
            extras.dedup_by(|next, previous| next.0 == previous.0);
            formatter.write_str("[")?;
            for (index, (extra, _)) in extras.iter().enumerate() {
                if index > 0 {
                    formatter.write_str(",")?;
                }
                formatter.write_str(extra)?;
            }
            formatter.write_str("]")?;
        }
        if let Some(specifiers) = &self.specifiers {
            write!(formatter, "{specifiers}")?;
        }
        if let Some(url) = &self.url {
            write!(formatter, " @ {url}")?;
            if self.marker.is_some() {
                formatter.write_str(" ")?;
            }
        }
        if let Some(marker) = &self.marker {
            write!(formatter, "; {marker}")?;
        }
        Ok(())
    }
}

/// Parses a dependency specifier as `packaging.requirements.Requirement`
/// does.
///
/// The grammar is PEP 508's as packaging implements it: a name
/// (`[A-Za-z0-9]` then `[A-Za-z0-9._-]*`, ending at a word boundary), optional
/// `[extras]`, then either version specifiers (optionally in parentheses)
/// or `@ url`, then optionally `; marker`. Only spaces and tabs separate
/// tokens; a URL runs to the next space or tab, so a marker after a URL
/// needs whitespace before its `;`.
pub fn parse_requirement(text: &str) -> Result<Requirement, Pep508Error> {
    let raw = Parser::new(text).requirement()?;
    // packaging joins the specifier tokens with commas and parses the
    // result as a `SpecifierSet`; a `===` token can contain commas, so its
    // pieces are checked again here.
    let mut specifiers = Vec::new();
    for token in &raw.specifiers {
        push_specifiers(&text[token.clone()], token.start, &mut specifiers)?;
    }
    let specifiers = (!specifiers.is_empty()).then(|| Specifiers::from_vec(specifiers));
    Ok(Requirement {
        name: raw.name.to_owned(),
        extras: raw.extras.into_iter().map(str::to_owned).collect(),
        specifiers,
        url: raw.url.map(str::to_owned),
        marker: raw.marker.map(Marker::new),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> String {
        parse_requirement(text)
            .map(|requirement| requirement.to_string())
            .unwrap_or_else(|error| format!("error: {}", error.message))
    }

    #[test]
    fn prints_like_packaging() {
        let cases = [
            ("foo", "foo"),
            ("foo_", "foo_"),
            ("Foo.Bar_", "Foo.Bar_"),
            ("foo===,>=1", "foo===,>=1"),
            ("foo>=1.0,>=1", "foo>=1"),
            ("foo ~= 1.0.0", "foo~=1.0.0"),
            ("foo[b,a,b,A]", "foo[A,a,b]"),
            ("foo; (os_name=='a')", "foo; os_name == \"a\""),
            (
                "foo; ((os_name=='a' or os_name=='b')) and (extra=='Foo_Bar')",
                "foo; (os_name == \"a\" or os_name == \"b\") and extra == \"foo-bar\"",
            ),
            ("foo @ http://x;os_name=='a'", "foo @ http://x;os_name=='a'"),
            ("foo @ http://x ;os_name=='a'", "foo @ http://x ; os_name == \"a\""),
            ("foo>=\n1.0", "foo>=1.0"),
            ("foo (>=1.0, <2)", "foo<2,>=1.0"),
            ("foo>=1.0,", "foo>=1.0"),
            ("foo()", "foo"),
            (" foo [ bar ] ( == 1.0 ) ; python_version < '3' ", "foo[bar]==1.0; python_version < \"3\""),
        ];
        for (input, expected) in cases {
            assert_eq!(normal(input), expected, "{input:?}");
        }
    }

    #[test]
    fn rejects_like_packaging() {
        for bad in [
            "",
            "foo_.",
            "_a",
            "foo===a,b",
            "foo~=1",
            "foo>=1.0+abc",
            "foo>=1.0+ABC",
            "foo==1.0.*+abc",
            "foo>=1.*",
            "foo (>=1.0, >=1, ==1.0.0, ===1.0, === 1.0)",
            "foo[a b]",
            "foo[a,]",
            "foo[",
            "foo @",
            "foo @ x y",
            "requests>=2;;",
            "foo; os_name=='a')",
            "foo\n",
            "foo bar",
        ] {
            assert!(parse_requirement(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn messages_and_spans() {
        let error = |text: &str| parse_requirement(text).unwrap_err();
        let bad = error("foo~=1");
        assert!(bad.message.contains("at least two release numbers"), "{}", bad.message);
        assert_eq!(bad.span, 5..6);
        let bad = error("foo>=1.0x; os_name=='a'");
        assert!(bad.message.contains("unexpected `x`"), "{}", bad.message);
        assert_eq!(bad.span, 8..9);
        let bad = error("foo; python_version >= 3.8");
        assert!(bad.message.contains("quote the value"), "{}", bad.message);
        assert_eq!(bad.span, 23..26);
        let bad = error("foo; platform == 'x'");
        assert!(bad.message.contains("unknown marker variable `platform`"), "{}", bad.message);
        let bad = error("foo (>=1.0");
        assert!(bad.message.contains("expected `)`"), "{}", bad.message);
        assert_eq!(bad.span, 4..10);
        let bad = error("foo>=1.*");
        assert_eq!(bad.span, 3..8);
        let bad = error("foo @ https://x.test/a.whl; os_name=='nt'");
        assert_eq!(
            bad.message,
            "expected a semicolon (after the URL and whitespace) or the end, found `os_name`; a `;` right after a URL is \
             part of the URL, so put a space before it"
        );
        assert_eq!(bad.span, 28..35);
    }
}
