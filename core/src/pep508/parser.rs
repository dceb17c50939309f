//! The recursive-descent parser for requirements and markers.
//!
//! It follows packaging's `_parser.py` step by step, with its tokens
//! recognised as packaging's `_tokenizer.py` recognises them: only spaces
//! and tabs are skipped between tokens, names and keywords need word
//! boundaries, a URL runs to the next space or tab (so `;` right after a
//! URL is part of it), and a specifier is matched by the specifier pattern,
//! which is not anchored at the end. Where packaging's message would be
//! vague, the error is made specific (which specifier is wrong and why, an
//! unknown variable, an unquoted value), without changing what is accepted.

use std::ops::Range;

use super::marker::{
    BooleanOperator, MarkerAtom, MarkerComparison, MarkerExpression, MarkerOperator, MarkerValue, MarkerVariable,
    SYMBOLIC_OPERATORS, VARIABLE_SPELLINGS, canonicalize_name,
};
use super::pystring;
use super::specifier::{explain_at, match_specifier, starts_operator};
use super::text::{at_word_boundary, blanks_at, byte_at, char_at, is_word_char, lexeme_end};
use super::{MAX_MARKER_NESTING, Pep508Error, excerpt};

/// The detail of the deliberate refusal of values with both quote kinds.
pub(crate) const BOTH_QUOTES: &str = "a marker string cannot contain both `'` and `\"`: it could not be written back";

/// The parts of a requirement, before its specifiers are checked.
pub(crate) struct RawRequirement<'a> {
    pub name: &'a str,
    pub extras: Vec<&'a str>,
    /// The byte ranges of the specifier tokens.
    pub specifiers: Vec<Range<usize>>,
    pub url: Option<&'a str>,
    pub marker: Option<MarkerExpression>,
}

/// What the requirement expects after its version part when neither `;`
/// nor the end follows.
#[derive(Clone, Copy)]
enum AfterDetails {
    Url,
    Specifier,
    Name,
}

/// A position in the text being parsed.
pub(crate) struct Parser<'a> {
    text: &'a str,
    position: usize,
    /// The number of marker parentheses open.
    depth: usize,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`.
    pub fn new(text: &'a str) -> Parser<'a> {
        Parser { text, position: 0, depth: 0 }
    }

    fn skip_blanks(&mut self) {
        self.position += blanks_at(self.text, self.position);
    }

    fn at_end(&self) -> bool {
        self.position >= self.text.len()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = byte_at(self.text, self.position) == byte;
        if found {
            self.position += 1;
        }
        found
    }

    /// An error about the lexeme at the current position.
    fn unexpected(&self, message: impl Into<String>) -> Pep508Error {
        self.error_from(self.position, message)
    }

    /// An error spanning from `start` to the end of the lexeme at the
    /// current position.
    fn error_from(&self, start: usize, message: impl Into<String>) -> Pep508Error {
        Pep508Error { message: message.into(), span: start..lexeme_end(self.text, self.position) }
    }

    /// What is at the current position, for messages.
    fn found(&self) -> String {
        if self.at_end() {
            "the end".to_owned()
        } else {
            excerpt(&self.text[self.position..lexeme_end(self.text, self.position)])
        }
    }

    /// The end of packaging's `IDENTIFIER` at the current position
    /// (`\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`): the longest run that ends at a
    /// word boundary, so `foo-` gives `foo` and `foo_` stays `foo_`.
    fn identifier_end(&self) -> Option<usize> {
        let start = self.position;
        if !byte_at(self.text, start).is_ascii_alphanumeric() || !at_word_boundary(self.text, start) {
            return None;
        }
        let bytes = self.text.as_bytes();
        let longest = start
            + bytes[start..]
                .iter()
                .take_while(|&&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'))
                .count();
        (start + 1..=longest).rev().find(|&end| at_word_boundary(self.text, end))
    }

    /// Whether the keyword `word` (`and`, `or`, `in`, `not`) is at the
    /// current position, between word boundaries.
    fn keyword_at(&self, word: &str) -> bool {
        self.text[self.position..].starts_with(word)
            && at_word_boundary(self.text, self.position)
            && at_word_boundary(self.text, self.position + word.len())
    }

    // -----------------------------------------------------------------
    // Requirements

    /// `requirement = WS? IDENTIFIER WS? extras WS? details END`.
    pub fn requirement(&mut self) -> Result<RawRequirement<'a>, Pep508Error> {
        self.skip_blanks();
        let Some(name_end) = self.identifier_end() else {
            return Err(if self.at_end() {
                self.unexpected("expected a package name, found nothing")
            } else {
                self.unexpected(format!(
                    "expected a package name at the start of the dependency specifier, found {}; a name has ASCII \
                     letters, digits, `.`, `-` and `_`, and starts with a letter or digit",
                    self.found()
                ))
            });
        };
        let name = &self.text[self.position..name_end];
        self.position = name_end;
        self.check_name_end("a package name")?;
        self.skip_blanks();
        let extras = self.extras()?;
        self.skip_blanks();
        let mut requirement = RawRequirement { name, extras, specifiers: Vec::new(), url: None, marker: None };
        if self.eat(b'@') {
            self.skip_blanks();
            let start = self.position;
            let length = self.text[start..].find([' ', '\t']).unwrap_or(self.text.len() - start);
            if length == 0 {
                return Err(self.unexpected("expected a URL after `@`"));
            }
            self.position += length;
            requirement.url = Some(&self.text[start..start + length]);
            // The URL ends at a space or tab, or at the end.
            self.skip_blanks();
            if !self.at_end() {
                requirement.marker = Some(self.requirement_marker(AfterDetails::Url, &[], requirement.url)?);
            }
        } else {
            requirement.specifiers = self.requirement_specifiers()?;
            self.skip_blanks();
            if !self.at_end() {
                let after =
                    if requirement.specifiers.is_empty() { AfterDetails::Name } else { AfterDetails::Specifier };
                requirement.marker = Some(self.requirement_marker(after, &requirement.specifiers, None)?);
            }
        }
        if !self.at_end() {
            return Err(self.end_of_marker_error("dependency specifier"));
        }
        Ok(requirement)
    }

    /// A name cannot end with `.` or `-` (it ends before them at the word
    /// boundary), and nothing valid follows a name with one of them, so the
    /// error names the real problem.
    fn check_name_end(&self, what: &str) -> Result<(), Pep508Error> {
        match byte_at(self.text, self.position) {
            separator @ (b'.' | b'-') => {
                let start = self.text[..self.position]
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
                    .map_or(0, |before| before + 1);
                Err(Pep508Error {
                    message: format!("{what} cannot end with `{}`", char::from(separator)),
                    span: start..lexeme_end(self.text, self.position),
                })
            }
            _ => Ok(()),
        }
    }

    /// `extras = ( "[" WS? (IDENTIFIER (WS? "," WS? IDENTIFIER)*)? WS? "]" )?`.
    fn extras(&mut self) -> Result<Vec<&'a str>, Pep508Error> {
        let mut extras = Vec::new();
        let open = self.position;
        if !self.eat(b'[') {
            return Ok(extras);
        }
        self.skip_blanks();
        if let Some(end) = self.identifier_end() {
            extras.push(&self.text[self.position..end]);
            self.position = end;
            self.check_name_end("an extra name")?;
            loop {
                self.skip_blanks();
                if self.identifier_end().is_some() {
                    return Err(self.unexpected("expected a comma between extra names"));
                }
                if !self.eat(b',') {
                    break;
                }
                self.skip_blanks();
                let Some(end) = self.identifier_end() else {
                    return Err(
                        self.unexpected(format!("expected an extra name after the comma, found {}", self.found()))
                    );
                };
                extras.push(&self.text[self.position..end]);
                self.position = end;
                self.check_name_end("an extra name")?;
            }
        }
        self.skip_blanks();
        if !self.eat(b']') {
            return Err(self.error_from(
                open,
                format!(
                    "expected `]` to close the extras opened by `[`, found {}; extras are names separated by commas",
                    self.found()
                ),
            ));
        }
        Ok(extras)
    }

    /// `specifier = "(" WS? version_many WS? ")" | WS? version_many WS?`;
    /// returns the byte ranges of the specifier tokens.
    fn requirement_specifiers(&mut self) -> Result<Vec<Range<usize>>, Pep508Error> {
        let open = self.position;
        let parenthesised = self.eat(b'(');
        self.skip_blanks();
        let tokens = self.version_many()?;
        self.skip_blanks();
        if parenthesised && !self.eat(b')') {
            if let Some(error) = self.explain_specifier(&tokens) {
                return Err(error);
            }
            return Err(self.error_from(
                open,
                format!(
                    "expected `)` to close the version specifier opened by `(`, found {}{}",
                    self.found(),
                    if tokens.is_empty() { "" } else { "; specifiers are separated by commas" }
                ),
            ));
        }
        Ok(tokens)
    }

    /// `version_many = (SPECIFIER (WS? "," WS? SPECIFIER)*)?`, with
    /// packaging's checks for a `.*` or a local label the specifier pattern
    /// left behind.
    fn version_many(&mut self) -> Result<Vec<Range<usize>>, Pep508Error> {
        let mut tokens = Vec::new();
        while let Some(end) = match_specifier(self.text, self.position) {
            let start = self.position;
            self.position = end;
            tokens.push(start..end);
            let token = &self.text[start..end];
            let rest = &self.text[end..];
            if rest.starts_with(".*") {
                let equality = token.starts_with("!=") || (token.starts_with("==") && !token.starts_with("==="));
                let message = if equality {
                    "a `.*` suffix cannot follow a pre-release, post-release, development release or local version"
                } else {
                    "a `.*` suffix can only be used with `==` or `!=`"
                };
                return Err(Pep508Error {
                    message: format!("invalid version specifier {}: {message}", excerpt(&self.text[start..end + 2])),
                    span: start..end + 2,
                });
            }
            // packaging's `VERSION_LOCAL_LABEL_TRAIL`, lower case only.
            if rest.starts_with('+') && matches!(byte_at(rest, 1), b'a'..=b'z' | b'0'..=b'9') {
                let label_end = end + lexeme_end(rest, 0);
                let message = if token.ends_with(".*") {
                    "a local version label cannot follow a `.*` suffix"
                } else if token.starts_with("==") || token.starts_with("!=") {
                    "a version has at most one local version label"
                } else {
                    "a local version label can only be used with `==` or `!=`"
                };
                return Err(Pep508Error {
                    message: format!("invalid version specifier {}: {message}", excerpt(&self.text[start..label_end])),
                    span: start..label_end,
                });
            }
            self.skip_blanks();
            if !self.eat(b',') {
                break;
            }
            self.skip_blanks();
        }
        Ok(tokens)
    }

    /// A specific error for an invalid specifier at the current position,
    /// when the text there is glued to the last specifier token or looks
    /// like a specifier itself.
    fn explain_specifier(&self, tokens: &[Range<usize>]) -> Option<Pep508Error> {
        let start = match tokens.last() {
            Some(last) if last.end == self.position && !self.at_end() => last.start,
            _ if starts_operator(byte_at(self.text, self.position))
                || byte_at(self.text, self.position).is_ascii_digit() =>
            {
                self.position
            }
            _ => return None,
        };
        explain_at(self.text, start)
    }

    /// `requirement_marker = ";" marker WS?`.
    fn requirement_marker(
        &mut self,
        after: AfterDetails,
        tokens: &[Range<usize>],
        url: Option<&str>,
    ) -> Result<MarkerExpression, Pep508Error> {
        if !self.eat(b';') {
            if !matches!(after, AfterDetails::Url)
                && let Some(error) = self.explain_specifier(tokens)
            {
                return Err(error);
            }
            let expected = match after {
                AfterDetails::Url => "a semicolon (after the URL and whitespace) or the end",
                AfterDetails::Specifier => {
                    "a comma (between version specifiers), a semicolon (before a marker) or the end"
                }
                AfterDetails::Name => "a version specifier, a semicolon (before a marker) or the end",
            };
            if byte_at(self.text, self.position) == b')' {
                return Err(self.unexpected("unmatched `)`"));
            }
            let hint = match (after, url) {
                (AfterDetails::Url, Some(url)) if url.contains(';') => {
                    "; a `;` right after a URL is part of the URL, so put a space before it"
                }
                _ => "",
            };
            return Err(self.unexpected(format!("expected {expected}, found {}{hint}", self.found())));
        }
        let marker = self.marker()?;
        self.skip_blanks();
        Ok(marker)
    }

    // -----------------------------------------------------------------
    // Markers

    /// After a whole marker: the end must follow.
    pub fn expect_end_of_marker(&self) -> Result<(), Pep508Error> {
        if self.at_end() { Ok(()) } else { Err(self.end_of_marker_error("marker expression")) }
    }

    /// The error for text after a complete marker (or requirement).
    fn end_of_marker_error(&self, what: &str) -> Pep508Error {
        if byte_at(self.text, self.position) == b')' {
            self.unexpected("unmatched `)`")
        } else {
            self.unexpected(format!("expected `and`, `or` or the end of the {what}, found {}", self.found()))
        }
    }

    /// `marker = marker_atom (BOOLOP marker_atom)*`.
    pub fn marker(&mut self) -> Result<MarkerExpression, Pep508Error> {
        let first = self.marker_atom()?;
        let mut rest = Vec::new();
        loop {
            let operator = if self.keyword_at("and") {
                BooleanOperator::And
            } else if self.keyword_at("or") {
                BooleanOperator::Or
            } else {
                break;
            };
            self.position += operator.as_str().len();
            rest.push((operator, self.marker_atom()?));
        }
        Ok(MarkerExpression { first, rest })
    }

    /// `marker_atom = WS? ("(" WS? marker WS? ")" | marker_item) WS?`.
    fn marker_atom(&mut self) -> Result<MarkerAtom, Pep508Error> {
        self.skip_blanks();
        let open = self.position;
        let atom = if self.eat(b'(') {
            if self.depth >= MAX_MARKER_NESTING {
                return Err(Pep508Error {
                    message: format!("parentheses in a marker cannot be nested more than {MAX_MARKER_NESTING} deep"),
                    span: open..open + 1,
                });
            }
            self.depth += 1;
            self.skip_blanks();
            let inner = self.marker()?;
            self.skip_blanks();
            if !self.eat(b')') {
                return Err(self.error_from(
                    open,
                    format!("expected `)` to close the `(` of the marker group, found {}", self.found()),
                ));
            }
            self.depth -= 1;
            MarkerAtom::Group(Box::new(inner))
        } else {
            MarkerAtom::Comparison(self.marker_item()?)
        };
        self.skip_blanks();
        Ok(atom)
    }

    /// `marker_item = WS? marker_var WS? marker_op WS? marker_var WS?`,
    /// with extra names normalised as packaging does after parsing.
    fn marker_item(&mut self) -> Result<MarkerComparison, Pep508Error> {
        self.skip_blanks();
        let mut left = self.marker_var()?;
        self.skip_blanks();
        let operator = self.marker_op()?;
        self.skip_blanks();
        let mut right = self.marker_var()?;
        self.skip_blanks();
        match (&mut left, &mut right) {
            (MarkerValue::Variable(MarkerVariable::Extra), MarkerValue::String(value))
            | (
                MarkerValue::String(value),
                MarkerValue::Variable(
                    MarkerVariable::Extra | MarkerVariable::Extras | MarkerVariable::DependencyGroups,
                ),
            ) => *value = canonicalize_name(value),
            _ => {}
        }
        Ok(MarkerComparison { left, operator, right })
    }

    /// `marker_var = VARIABLE | QUOTED_STRING`.
    fn marker_var(&mut self) -> Result<MarkerValue, Pep508Error> {
        let start = self.position;
        if at_word_boundary(self.text, start) {
            for (spelling, variable) in VARIABLE_SPELLINGS {
                if self.text[start..].starts_with(spelling) && at_word_boundary(self.text, start + spelling.len()) {
                    self.position += spelling.len();
                    return Ok(MarkerValue::Variable(variable));
                }
            }
        }
        let quote = byte_at(self.text, start);
        if matches!(quote, b'"' | b'\'') {
            let Some(length) = self.text[start + 1..].find(char::from(quote)) else {
                return Err(Pep508Error {
                    message: format!("this quoted string has no closing {}", char::from(quote)),
                    span: start..start + 1,
                });
            };
            let token = &self.text[start..start + length + 2];
            self.position += token.len();
            let value = pystring::decode(token).map_err(|problem| Pep508Error {
                message: format!("invalid quoted string: {}", problem.detail),
                span: start + problem.span.start..start + problem.span.end,
            })?;
            if value.contains('"') && value.contains('\'') {
                return Err(Pep508Error { message: BOTH_QUOTES.to_owned(), span: start..self.position });
            }
            return Ok(MarkerValue::String(value));
        }
        Err(self.marker_var_error())
    }

    /// Why there is no variable or string at the current position.
    fn marker_var_error(&self) -> Pep508Error {
        if self.at_end() {
            return self.unexpected("expected a marker variable or a quoted string, found the end");
        }
        let word_end = self.position
            + self.text[self.position..]
                .find(|c: char| !(is_word_char(c) || matches!(c, '.' | '-' | '*' | '+')))
                .unwrap_or(self.text.len() - self.position);
        let word = &self.text[self.position..word_end];
        let span = self.position..word_end;
        match char_at(self.text, self.position) {
            Some(c) if c.is_ascii_digit() => Pep508Error {
                message: format!(
                    "expected a marker variable or a quoted string, found {}; quote the value: `\"{word}\"`",
                    excerpt(word)
                ),
                span,
            },
            Some(c) if is_word_char(c) => Pep508Error {
                message: format!(
                    "unknown marker variable {}; the variables are {}, or quote the value",
                    excerpt(word),
                    "python_version, python_full_version, os_name, sys_platform, platform_release, platform_system, \
                     platform_version, platform_machine, platform_python_implementation, implementation_name, \
                     implementation_version, extra, extras and dependency_groups"
                ),
                span,
            },
            _ => self.unexpected(format!("expected a marker variable or a quoted string, found {}", self.found())),
        }
    }

    /// `marker_op = IN | NOT WS IN | OP`.
    fn marker_op(&mut self) -> Result<MarkerOperator, Pep508Error> {
        if self.keyword_at("in") {
            self.position += 2;
            return Ok(MarkerOperator::In);
        }
        if self.keyword_at("not") {
            self.position += 3;
            if blanks_at(self.text, self.position) == 0 {
                return Err(self.unexpected(format!("expected whitespace after `not`, found {}", self.found())));
            }
            self.skip_blanks();
            if !self.keyword_at("in") {
                return Err(self.unexpected(format!("expected `in` after `not`, found {}", self.found())));
            }
            self.position += 2;
            return Ok(MarkerOperator::NotIn);
        }
        let rest = &self.text[self.position..];
        if let Some(operator) = SYMBOLIC_OPERATORS.into_iter().find(|operator| rest.starts_with(operator.as_str())) {
            self.position += operator.as_str().len();
            return Ok(operator);
        }
        let hint = if rest.starts_with('=') { "; use `==` to compare" } else { "" };
        Err(self.unexpected(format!(
            "expected a marker operator (one of <=, <, !=, ==, >=, >, ~=, ===, in, not in), found {}{hint}",
            self.found()
        )))
    }
}
