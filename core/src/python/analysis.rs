//! Statements of a tokenized module, and the facts flit wants from them.
//!
//! Each logical line becomes "atoms" (a token, or a whole f-string with its
//! replacement fields), then statements: a simple line splits at top-level
//! `;`; a compound line (`if`, `def`, `class`, a decorator, ...) is a header
//! up to its `:` plus, maybe, simple statements on the same line that belong
//! to its block. Indentation tells which block a line is in, which is all
//! that is needed to know whether a statement is a module-level statement
//! (what flit's `ast` pass looks at) and whether a name it binds is a module
//! global (what the conservative extensions look at).

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use super::Constant;
use super::literal::{self, StrValue, StringPrefix};
use super::tokenizer::{Token, TokenKind, Tokenized};

/// A syntax error found after tokenizing, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceError {
    pub message: String,
    pub offset: usize,
}

/// Something the static pass looked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found<T> {
    /// The source does not have it.
    Absent,
    /// The source has it, with this value.
    Known(T),
    /// The source has it, but its value cannot be computed without Python
    /// (a `\N{...}` escape or a lone surrogate in a string).
    NotStatic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtomKind {
    Name,
    Number,
    String,
    FString,
    Op,
}

/// A token, or an f-string with all its inner tokens.
#[derive(Debug, Clone, Copy)]
struct Atom {
    kind: AtomKind,
    /// First token index.
    first: usize,
    /// Last token index (inclusive).
    last: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Module,
    Function,
    Class,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderKind {
    Def,
    Class,
    For,
    With,
    Except,
    Case,
    /// `if`, `while`, `try`, `else`, `match`, a decorator, ...
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Simple,
    Header(HeaderKind),
}

/// One statement (or compound statement header) and where it stands.
#[derive(Debug, Clone)]
struct Site {
    line: usize,
    atoms: Range<usize>,
    /// A statement of the module body itself (what `ast.parse(...).body` lists).
    top_level: bool,
    /// The scope its names are bound in.
    scope: Scope,
    role: Role,
}

/// What a simple statement is, as far as binding names goes.
enum Statement<'s> {
    Assign {
        targets: Vec<&'s [Atom]>,
        value: &'s [Atom],
    },
    AnnAssign {
        target: &'s [Atom],
        value: Option<&'s [Atom]>,
    },
    AugAssign {
        target: &'s [Atom],
    },
    Import {
        bound: Vec<Atom>,
    },
    ImportFrom {
        level: usize,
        module: Vec<Atom>,
        names: Vec<(Atom, Option<Atom>)>,
        star: bool,
    },
    Declaration {
        names: Vec<Atom>,
    },
    Delete,
    /// An import we could not read; treated as binding every name it mentions.
    Unparsed,
    Other,
}

/// The value of adjacent string literals.
enum GroupValue {
    Str(StrValue),
    Bytes(Vec<u8>),
}

/// A relative import of a module's `__version__` (see `VersionImport`).
pub(crate) struct RelativeImport {
    pub level: usize,
    pub module: String,
    pub name: String,
}

/// A module's statements, ready to be asked questions.
pub(crate) struct Module<'a> {
    text: &'a str,
    tokenized: &'a Tokenized,
    line_atoms: Vec<Vec<Atom>>,
    sites: Vec<Site>,
}

/// An identifier as `ast` names it: NFKC-normalised (PEP 3131).
fn identifier(text: &str) -> Cow<'_, str> {
    if text.is_ascii() { Cow::Borrowed(text) } else { Cow::Owned(text.nfkc().collect()) }
}

const AUGMENTED: &[&str] = &["+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="];

/// Top-level (bracket depth 0) operators of a statement, `lambda` aware:
/// the `:` that ends a lambda's parameters and the `=` of their defaults
/// belong to the lambda.
struct Operators {
    equals: Vec<usize>,
    colon: Option<usize>,
    augmented: Option<usize>,
}

impl<'a> Module<'a> {
    /// Splits a tokenized module into statements; fails on indentation
    /// CPython refuses (an indent no header asked for, a header without its
    /// indented block).
    pub(crate) fn new(text: &'a str, tokenized: &'a Tokenized) -> Result<Module<'a>, SourceError> {
        let mut module = Module { text, tokenized, line_atoms: Vec::new(), sites: Vec::new() };
        module.line_atoms = tokenized.lines.iter().map(|line| module.atoms(line.tokens.clone())).collect();
        module.sites = module.build_sites()?;
        Ok(module)
    }

    fn tokens(&self) -> &[Token] {
        &self.tokenized.tokens
    }

    fn token_text(&self, index: usize) -> &'a str {
        let token = self.tokenized.tokens[index];
        &self.text[token.start..token.end]
    }

    fn atom_text(&self, atom: &Atom) -> &'a str {
        self.token_text(atom.first)
    }

    fn is_op(&self, atom: &Atom, operator: &str) -> bool {
        atom.kind == AtomKind::Op && self.atom_text(atom) == operator
    }

    fn is_keyword(&self, atom: &Atom, keyword: &str) -> bool {
        atom.kind == AtomKind::Name && self.atom_text(atom) == keyword
    }

    fn depth_change(&self, atom: &Atom) -> isize {
        if atom.kind != AtomKind::Op {
            return 0;
        }
        match self.atom_text(atom) {
            "(" | "[" | "{" => 1,
            ")" | "]" | "}" => -1,
            _ => 0,
        }
    }

    fn atoms(&self, range: Range<usize>) -> Vec<Atom> {
        let tokens = self.tokens();
        let mut atoms = Vec::with_capacity(range.len());
        let mut index = range.start;
        while index < range.end {
            let kind = match tokens[index].kind {
                TokenKind::Name => AtomKind::Name,
                TokenKind::Number => AtomKind::Number,
                TokenKind::String => AtomKind::String,
                TokenKind::Op | TokenKind::FStringEnd => AtomKind::Op,
                TokenKind::FStringStart => {
                    let mut depth = 0usize;
                    let mut last = index;
                    while last < range.end {
                        match tokens[last].kind {
                            TokenKind::FStringStart => depth += 1,
                            TokenKind::FStringEnd => depth = depth.saturating_sub(1),
                            _ => {}
                        }
                        if depth == 0 {
                            break;
                        }
                        last += 1;
                    }
                    let last = last.min(range.end - 1);
                    atoms.push(Atom { kind: AtomKind::FString, first: index, last });
                    index = last + 1;
                    continue;
                }
            };
            atoms.push(Atom { kind, first: index, last: index });
            index += 1;
        }
        atoms
    }

    fn operators(&self, atoms: &[Atom]) -> Operators {
        let mut found = Operators { equals: Vec::new(), colon: None, augmented: None };
        let mut depth = 0isize;
        let mut open_lambdas = 0usize;
        for (index, atom) in atoms.iter().enumerate() {
            let change = self.depth_change(atom);
            if change != 0 {
                depth += change;
                continue;
            }
            if depth != 0 {
                continue;
            }
            if self.is_keyword(atom, "lambda") {
                open_lambdas += 1;
            } else if atom.kind == AtomKind::Op {
                match self.atom_text(atom) {
                    ":" if open_lambdas > 0 => open_lambdas -= 1,
                    ":" => {
                        found.colon.get_or_insert(index);
                    }
                    "=" if open_lambdas == 0 => found.equals.push(index),
                    operator if AUGMENTED.contains(&operator) => {
                        found.augmented.get_or_insert(index);
                    }
                    _ => {}
                }
            }
        }
        found
    }

    /// Splits atoms at top-level `;`, dropping empty pieces.
    fn split_statements(&self, atoms: &[Atom], range: Range<usize>) -> Vec<Range<usize>> {
        let mut pieces = Vec::new();
        let mut depth = 0isize;
        let mut start = range.start;
        for index in range.clone() {
            let atom = &atoms[index];
            depth += self.depth_change(atom);
            if depth == 0 && self.is_op(atom, ";") {
                if index > start {
                    pieces.push(start..index);
                }
                start = index + 1;
            }
        }
        if range.end > start {
            pieces.push(start..range.end);
        }
        pieces
    }

    /// The kind of compound statement a line starts, if it starts one.
    fn compound_kind(&self, atoms: &[Atom], indent: usize) -> Option<HeaderKind> {
        let first = atoms.first()?;
        if self.is_op(first, "@") {
            return Some(HeaderKind::Other);
        }
        if first.kind != AtomKind::Name {
            return None;
        }
        match self.atom_text(first) {
            "if" | "elif" | "else" | "while" | "try" | "finally" => Some(HeaderKind::Other),
            "for" => Some(HeaderKind::For),
            "with" => Some(HeaderKind::With),
            "except" => Some(HeaderKind::Except),
            "def" => Some(HeaderKind::Def),
            "class" => Some(HeaderKind::Class),
            "async" => Some(match atoms.get(1).map(|atom| self.atom_text(atom)) {
                Some("def") => HeaderKind::Def,
                Some("for") => HeaderKind::For,
                Some("with") => HeaderKind::With,
                _ => HeaderKind::Other,
            }),
            // Soft keywords. A `match` header has nothing after its colon and
            // no `=`; `match = ...` is an assignment.
            "match" => {
                let operators = self.operators(atoms);
                let ends_with_colon = operators.colon == Some(atoms.len() - 1);
                (atoms.len() >= 3 && ends_with_colon && operators.equals.is_empty()).then_some(HeaderKind::Other)
            }
            // `case` clauses only exist inside a `match` block, never at column 0.
            "case" if indent > 0 => Some(HeaderKind::Case),
            _ => None,
        }
    }

    /// The error CPython gives when the block a header opens is missing.
    fn missing_block(&self, header_line: usize, offset: usize) -> SourceError {
        let header = &self.tokenized.lines[header_line];
        let first = self.tokens()[header.tokens.start];
        let keyword = &self.text[first.start..first.end];
        let second = self.tokens().get(header.tokens.start + 1).map(|token| &self.text[token.start..token.end]);
        let what = match (keyword, second) {
            ("def", _) | ("async", Some("def")) => "function definition".to_owned(),
            ("class", _) => "class definition".to_owned(),
            ("async", Some(second)) => format!("'{second}' statement"),
            _ => format!("'{keyword}' statement"),
        };
        let line = self.text[..first.start].matches('\n').count() + 1;
        SourceError { message: format!("expected an indented block after {what} on line {line}"), offset }
    }

    fn build_sites(&self) -> Result<Vec<Site>, SourceError> {
        let mut sites = Vec::new();
        let mut blocks: Vec<(usize, Scope)> = vec![(0, Scope::Module)];
        // A header that ended its line with `:`: its block's scope, its line.
        let mut pending: Option<(Scope, usize)> = None;
        for (line_index, line) in self.tokenized.lines.iter().enumerate() {
            let atoms = &self.line_atoms[line_index];
            let indent = line.indent;
            let offset = self.tokens()[line.tokens.start].start;
            let innermost = blocks.last().map_or(0, |block| block.0);
            match pending.take() {
                Some((scope, _)) if indent > innermost => blocks.push((indent, scope)),
                Some((_, header_line)) => return Err(self.missing_block(header_line, offset)),
                None if indent > innermost => {
                    return Err(SourceError { message: "unexpected indent".into(), offset });
                }
                None => {
                    while blocks.len() > 1 && blocks.last().is_some_and(|block| block.0 > indent) {
                        blocks.pop();
                    }
                }
            }
            let scope = blocks.last().map_or(Scope::Module, |block| block.1);
            let top_level = blocks.len() == 1 && indent == 0;
            let Some(kind) = self.compound_kind(atoms, indent) else {
                for piece in self.split_statements(atoms, 0..atoms.len()) {
                    sites.push(Site { line: line_index, atoms: piece, top_level, scope, role: Role::Simple });
                }
                continue;
            };
            let is_decorator = atoms.first().is_some_and(|atom| self.is_op(atom, "@"));
            let colon = if is_decorator { None } else { self.operators(atoms).colon };
            let header_end = colon.unwrap_or(atoms.len());
            sites.push(Site {
                line: line_index,
                atoms: 0..header_end,
                top_level: false,
                scope,
                role: Role::Header(kind),
            });
            let inner_scope = match kind {
                HeaderKind::Def => Scope::Function,
                HeaderKind::Class => Scope::Class,
                _ => scope,
            };
            if let Some(colon) = colon {
                if colon + 1 == atoms.len() {
                    pending = Some((inner_scope, line_index));
                } else {
                    for piece in self.split_statements(atoms, colon + 1..atoms.len()) {
                        sites.push(Site {
                            line: line_index,
                            atoms: piece,
                            top_level: false,
                            scope: inner_scope,
                            role: Role::Simple,
                        });
                    }
                }
            }
        }
        if let Some((_, header_line)) = pending {
            return Err(self.missing_block(header_line, self.text.len()));
        }
        Ok(sites)
    }

    fn site_atoms(&self, site: &Site) -> &[Atom] {
        &self.line_atoms[site.line][site.atoms.clone()]
    }

    /// Removes parentheses that enclose the whole slice: `(("1"))` is `"1"`
    /// for `ast` (parentheses only group).
    fn strip_parentheses<'s>(&self, mut atoms: &'s [Atom]) -> &'s [Atom] {
        while atoms.len() >= 2 && self.is_op(&atoms[0], "(") && self.is_op(&atoms[atoms.len() - 1], ")") {
            let mut depth = 0isize;
            let closes_at_end = atoms.iter().enumerate().all(|(index, atom)| {
                depth += self.depth_change(atom);
                depth > 0 || index == atoms.len() - 1
            });
            if !closes_at_end {
                break;
            }
            atoms = &atoms[1..atoms.len() - 1];
        }
        atoms
    }

    /// The identifier a target slice names, if it is a bare (possibly
    /// parenthesised) name: what `ast` makes an `ast.Name` target.
    fn bare_name(&self, atoms: &[Atom]) -> Option<Cow<'a, str>> {
        match self.strip_parentheses(atoms) {
            [atom] if atom.kind == AtomKind::Name => Some(identifier(self.atom_text(atom))),
            _ => None,
        }
    }

    fn string_value(&self, token_index: usize) -> Result<GroupValue, SourceError> {
        let token = self.tokens()[token_index];
        let text = &self.text[token.start..token.end];
        let quote_at = text.find(['\'', '"']).unwrap_or(0);
        let prefix = StringPrefix::parse(&text[..quote_at]).unwrap_or_default();
        let quoted = &text[quote_at..];
        let triple = quoted.len() >= 6
            && quoted.as_bytes()[1] == quoted.as_bytes()[0]
            && quoted.as_bytes()[2] == quoted.as_bytes()[0];
        let quotes = if triple { 3 } else { 1 };
        let body_start = quote_at + quotes;
        let body = text.get(body_start..text.len().saturating_sub(quotes)).unwrap_or("");
        let located = |error: literal::LiteralError| SourceError {
            message: error.message,
            offset: token.start + body_start + error.offset,
        };
        if prefix.bytes {
            return literal::decode_bytes(body, prefix.raw).map(GroupValue::Bytes).map_err(located);
        }
        if prefix.raw {
            return Ok(GroupValue::Str(StrValue::Known(body.to_owned())));
        }
        literal::decode_str(body).map(GroupValue::Str).map_err(located)
    }

    /// The value of adjacent string literals (no f-strings among them).
    fn string_group(&self, atoms: &[Atom]) -> Result<GroupValue, SourceError> {
        let mut text = String::new();
        let mut bytes = Vec::new();
        let mut is_bytes = None;
        let mut not_static = false;
        for atom in atoms {
            let value = self.string_value(atom.first)?;
            let this_is_bytes = matches!(value, GroupValue::Bytes(_));
            if *is_bytes.get_or_insert(this_is_bytes) != this_is_bytes {
                return Err(SourceError {
                    message: "cannot mix bytes and nonbytes literals".into(),
                    offset: self.tokens()[atom.first].start,
                });
            }
            match value {
                GroupValue::Bytes(value) => bytes.extend(value),
                GroupValue::Str(StrValue::Known(value)) => text.push_str(&value),
                GroupValue::Str(StrValue::NotStatic) => not_static = true,
            }
        }
        Ok(match is_bytes {
            Some(true) => GroupValue::Bytes(bytes),
            _ if not_static => GroupValue::Str(StrValue::NotStatic),
            _ => GroupValue::Str(StrValue::Known(text)),
        })
    }

    /// Checks every string literal in the file as `ast.parse` would: escapes,
    /// ASCII-only bytes, and no bytes next to str (f-strings are str).
    pub(crate) fn validate_strings(&self) -> Result<(), SourceError> {
        let tokens = self.tokens();
        for line in &self.tokenized.lines {
            // Per f-string nesting level: whether the current run of adjacent
            // literals is bytes.
            let mut levels: Vec<Option<bool>> = vec![None];
            for index in line.tokens.clone() {
                let token = tokens[index];
                let mut join = |is_bytes: bool| {
                    let mixed = levels.last_mut().is_some_and(|level| *level.get_or_insert(is_bytes) != is_bytes);
                    if mixed {
                        Err(SourceError {
                            message: "cannot mix bytes and nonbytes literals".into(),
                            offset: token.start,
                        })
                    } else {
                        Ok(())
                    }
                };
                match token.kind {
                    TokenKind::String => {
                        let value = self.string_value(index)?;
                        join(matches!(value, GroupValue::Bytes(_)))?;
                    }
                    TokenKind::FStringStart => {
                        join(false)?;
                        levels.push(None);
                    }
                    TokenKind::FStringEnd => {
                        if levels.len() > 1 {
                            levels.pop();
                        }
                    }
                    _ => {
                        if let Some(level) = levels.last_mut() {
                            *level = None;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// What `ast` makes of an expression, if it is an `ast.Constant`.
    fn constant(&self, atoms: &[Atom]) -> Result<Found<Constant>, SourceError> {
        let atoms = self.strip_parentheses(atoms);
        let other = |type_name: &'static str, truthy: bool| Ok(Found::Known(Constant::Other { type_name, truthy }));
        match atoms {
            [] => Ok(Found::Absent),
            [atom] if atom.kind == AtomKind::Number => {
                let (type_name, truthy) = literal::number_facts(self.atom_text(atom));
                other(type_name, truthy)
            }
            [atom] if atom.kind == AtomKind::Name => match self.atom_text(atom) {
                "True" => other("bool", true),
                "False" => other("bool", false),
                "None" => other("NoneType", false),
                _ => Ok(Found::Absent),
            },
            [atom] if self.is_op(atom, "...") => other("ellipsis", true),
            _ if atoms.iter().all(|atom| atom.kind == AtomKind::String) => Ok(match self.string_group(atoms)? {
                GroupValue::Str(StrValue::Known(text)) => Found::Known(Constant::Str(text)),
                GroupValue::Str(StrValue::NotStatic) => Found::NotStatic,
                GroupValue::Bytes(bytes) => {
                    Found::Known(Constant::Other { type_name: "bytes", truthy: !bytes.is_empty() })
                }
            }),
            _ => Ok(Found::Absent),
        }
    }

    fn classify<'s>(&self, atoms: &'s [Atom]) -> Statement<'s> {
        let Some(first) = atoms.first() else {
            return Statement::Other;
        };
        if first.kind == AtomKind::Name {
            match self.atom_text(first) {
                "import" => return self.parse_import(&atoms[1..]).unwrap_or(Statement::Unparsed),
                "from" => return self.parse_from_import(&atoms[1..]).unwrap_or(Statement::Unparsed),
                "global" | "nonlocal" => {
                    let names = atoms[1..].iter().filter(|atom| atom.kind == AtomKind::Name).copied().collect();
                    return Statement::Declaration { names };
                }
                "del" => return Statement::Delete,
                _ => {}
            }
        }
        let operators = self.operators(atoms);
        if let Some(augmented) = operators.augmented {
            return Statement::AugAssign { target: &atoms[..augmented] };
        }
        if let Some(colon) = operators.colon
            && operators.equals.first().is_none_or(|&equals| colon < equals)
        {
            let value = operators.equals.first().map(|&equals| &atoms[equals + 1..]);
            return Statement::AnnAssign { target: &atoms[..colon], value };
        }
        let Some(&last) = operators.equals.last() else {
            return Statement::Other;
        };
        let mut targets = Vec::with_capacity(operators.equals.len());
        let mut start = 0;
        for &equals in &operators.equals {
            targets.push(&atoms[start..equals]);
            start = equals + 1;
        }
        Statement::Assign { targets, value: &atoms[last + 1..] }
    }

    /// A dotted name starting at `atoms[index]`; returns its names and the
    /// index after it.
    fn dotted_name(&self, atoms: &[Atom], mut index: usize) -> Option<(Vec<Atom>, usize)> {
        let mut names = Vec::new();
        loop {
            let atom = atoms.get(index).filter(|atom| atom.kind == AtomKind::Name)?;
            names.push(*atom);
            index += 1;
            if atoms.get(index).is_some_and(|atom| self.is_op(atom, ".")) {
                index += 1;
            } else {
                return Some((names, index));
            }
        }
    }

    /// `import a.b as c, d` (after the keyword): the names it binds.
    fn parse_import<'s>(&self, atoms: &[Atom]) -> Option<Statement<'s>> {
        let mut bound = Vec::new();
        let mut index = 0;
        loop {
            let (names, after) = self.dotted_name(atoms, index)?;
            index = after;
            if atoms.get(index).is_some_and(|atom| self.is_keyword(atom, "as")) {
                let alias = atoms.get(index + 1).filter(|atom| atom.kind == AtomKind::Name)?;
                bound.push(*alias);
                index += 2;
            } else {
                bound.push(*names.first()?);
            }
            match atoms.get(index) {
                None => return Some(Statement::Import { bound }),
                Some(atom) if self.is_op(atom, ",") => index += 1,
                Some(_) => return None,
            }
        }
    }

    /// `from ..a.b import (c as d, e)` (after `from`).
    fn parse_from_import<'s>(&self, atoms: &[Atom]) -> Option<Statement<'s>> {
        let mut level = 0;
        let mut index = 0;
        while let Some(atom) = atoms.get(index) {
            if self.is_op(atom, ".") {
                level += 1;
            } else if self.is_op(atom, "...") {
                level += 3;
            } else {
                break;
            }
            index += 1;
        }
        let mut module = Vec::new();
        if atoms.get(index).is_some_and(|atom| !self.is_keyword(atom, "import")) {
            let (names, after) = self.dotted_name(atoms, index)?;
            module = names;
            index = after;
        }
        if !atoms.get(index).is_some_and(|atom| self.is_keyword(atom, "import")) {
            return None;
        }
        index += 1;
        let mut rest = &atoms[index..];
        if let [star] = rest
            && self.is_op(star, "*")
        {
            return Some(Statement::ImportFrom { level, module, names: Vec::new(), star: true });
        }
        if let [open, inner @ .., close] = rest
            && self.is_op(open, "(")
            && self.is_op(close, ")")
        {
            rest = inner;
        }
        let mut names = Vec::new();
        let mut index = 0;
        while index < rest.len() {
            let name = rest.get(index).filter(|atom| atom.kind == AtomKind::Name)?;
            index += 1;
            let mut alias = None;
            if rest.get(index).is_some_and(|atom| self.is_keyword(atom, "as")) {
                alias = Some(*rest.get(index + 1).filter(|atom| atom.kind == AtomKind::Name)?);
                index += 2;
            }
            names.push((*name, alias));
            match rest.get(index) {
                None => break,
                Some(atom) if self.is_op(atom, ",") => index += 1,
                Some(_) => return None,
            }
        }
        if names.is_empty() {
            return None;
        }
        Some(Statement::ImportFrom { level, module, names, star: false })
    }

    /// Whether `name` appears as a plain name (not an attribute) in `atoms`.
    fn mentions(&self, atoms: &[Atom], name: &str) -> bool {
        atoms.iter().enumerate().any(|(index, atom)| {
            atom.kind == AtomKind::Name
                && identifier(self.atom_text(atom)) == name
                && !(index > 0 && self.is_op(&atoms[index - 1], "."))
        })
    }

    /// Whether `name := ...` occurs anywhere in the atoms, f-strings included.
    fn walrus_binds(&self, atoms: &[Atom], name: &str) -> bool {
        let (Some(first), Some(last)) = (atoms.first(), atoms.last()) else {
            return false;
        };
        let tokens = self.tokens();
        (first.first..last.last).any(|index| {
            tokens[index].kind == TokenKind::Name
                && tokens[index + 1].kind == TokenKind::Op
                && self.token_text(index + 1) == ":="
                && identifier(self.token_text(index)) == name
        })
    }

    /// Whether a statement may bind `name` as a module global. Errs on the
    /// side of "yes": the callers use a "no" to trust a single binding.
    fn binds(&self, site: &Site, name: &str) -> bool {
        let atoms = self.site_atoms(site);
        if site.role == Role::Simple
            && let Statement::Declaration { names } = self.classify(atoms)
        {
            // `global name` lets a function rebind the module's name.
            return names.iter().any(|atom| identifier(self.atom_text(atom)) == name);
        }
        if site.scope != Scope::Module {
            return false;
        }
        if self.walrus_binds(atoms, name) {
            return true;
        }
        let is_name = |atom: &Atom| identifier(self.atom_text(atom)) == name;
        match site.role {
            Role::Simple => match self.classify(atoms) {
                Statement::Assign { targets, .. } => targets.iter().any(|target| self.mentions(target, name)),
                Statement::AnnAssign { target, value: Some(_) } | Statement::AugAssign { target } => {
                    self.mentions(target, name)
                }
                Statement::Import { bound } => bound.iter().any(is_name),
                Statement::ImportFrom { names, .. } => {
                    names.iter().any(|(imported, alias)| is_name(alias.as_ref().unwrap_or(imported)))
                }
                Statement::Delete | Statement::Unparsed => self.mentions(atoms, name),
                Statement::AnnAssign { value: None, .. } | Statement::Declaration { .. } | Statement::Other => false,
            },
            Role::Header(HeaderKind::Def | HeaderKind::Class) => {
                let skip = usize::from(atoms.first().is_some_and(|atom| self.is_keyword(atom, "async")));
                atoms.get(skip + 1).is_some_and(|atom| atom.kind == AtomKind::Name && is_name(atom))
            }
            Role::Header(HeaderKind::For) => {
                let start = atoms.iter().position(|atom| self.is_keyword(atom, "for")).map_or(0, |index| index + 1);
                let mut depth = 0isize;
                let end = atoms[start..]
                    .iter()
                    .position(|atom| {
                        depth += self.depth_change(atom);
                        depth == 0 && self.is_keyword(atom, "in")
                    })
                    .map_or(atoms.len(), |length| start + length);
                self.mentions(&atoms[start..end], name)
            }
            Role::Header(HeaderKind::With | HeaderKind::Except) => atoms
                .iter()
                .position(|atom| self.is_keyword(atom, "as"))
                .is_some_and(|first_as| self.mentions(&atoms[first_as..], name)),
            Role::Header(HeaderKind::Case) => self.mentions(atoms, name),
            Role::Header(HeaderKind::Other) => false,
        }
    }

    /// The sites that may bind `name` at module level, and the module-level
    /// star imports (which can bind anything), both as site indices.
    fn bindings(&self, name: &str) -> (Vec<usize>, Vec<usize>) {
        let mut binding = Vec::new();
        let mut stars = Vec::new();
        for (index, site) in self.sites.iter().enumerate() {
            if self.binds(site, name) {
                binding.push(index);
            }
            if site.role == Role::Simple
                && site.scope == Scope::Module
                && let Statement::ImportFrom { star: true, .. } = self.classify(self.site_atoms(site))
            {
                stars.push(index);
            }
        }
        (binding, stars)
    }

    /// The single site binding `name`, if there is exactly one, it is a
    /// module-body statement, and no star import can rebind it afterwards.
    fn only_binding(&self, name: &str) -> Option<&Site> {
        let (binding, stars) = self.bindings(name);
        let [index] = binding[..] else {
            return None;
        };
        let site = &self.sites[index];
        (site.top_level && site.role == Role::Simple && stars.iter().all(|&star| star < index)).then_some(site)
    }

    /// `ast.get_docstring(tree, clean=False)`.
    pub(crate) fn docstring(&self) -> Result<Found<String>, SourceError> {
        let Some(site) = self.sites.first() else {
            return Ok(Found::Absent);
        };
        if site.role != Role::Simple {
            return Ok(Found::Absent);
        }
        let atoms = self.strip_parentheses(self.site_atoms(site));
        if atoms.is_empty() || !atoms.iter().all(|atom| atom.kind == AtomKind::String) {
            return Ok(Found::Absent);
        }
        Ok(match self.string_group(atoms)? {
            GroupValue::Str(StrValue::Known(text)) => Found::Known(text),
            GroupValue::Str(StrValue::NotStatic) => Found::NotStatic,
            GroupValue::Bytes(_) => Found::Absent,
        })
    }

    /// The value of the first module-body `=` or annotated assignment with a
    /// constant value and the bare name `name` among its targets (flit's
    /// `is_version_str_assignment`, for any name).
    pub(crate) fn first_constant_assignment(&self, name: &str) -> Result<Found<Constant>, SourceError> {
        for site in self.sites.iter().filter(|site| site.top_level && site.role == Role::Simple) {
            let value = match self.classify(self.site_atoms(site)) {
                Statement::Assign { targets, value }
                    if targets.iter().any(|target| self.bare_name(target).is_some_and(|target| target == name)) =>
                {
                    value
                }
                Statement::AnnAssign { target, value: Some(value) }
                    if self.bare_name(target).is_some_and(|target| target == name) =>
                {
                    value
                }
                _ => continue,
            };
            match self.constant(value)? {
                Found::Absent => continue,
                found => return Ok(found),
            }
        }
        Ok(Found::Absent)
    }

    /// The str assigned to `__doc__` by its only binding, a module-body
    /// `__doc__ = "..."`.
    pub(crate) fn doc_assignment(&self) -> Result<Option<String>, SourceError> {
        let Some(site) = self.only_binding("__doc__") else {
            return Ok(None);
        };
        let is_doc = |target: &[Atom]| self.bare_name(target).is_some_and(|target| target == "__doc__");
        let value = match self.classify(self.site_atoms(site)) {
            Statement::Assign { targets, value } if targets.iter().any(|target| is_doc(target)) => value,
            Statement::AnnAssign { target, value: Some(value) } if is_doc(target) => value,
            _ => return Ok(None),
        };
        Ok(match self.constant(value)? {
            Found::Known(Constant::Str(text)) => Some(text),
            _ => None,
        })
    }

    /// Where `__version__` comes from through a relative import: either
    /// `from .module import name as __version__`, or `__version__ = NAME`
    /// where `NAME` comes from `from .module import name [as NAME]`. Each
    /// name involved must have exactly one binding, so the runtime value is
    /// certain.
    pub(crate) fn version_import(&self) -> Option<RelativeImport> {
        let site = self.only_binding("__version__")?;
        if let Some(import) = self.relative_import_binding(site, "__version__") {
            return Some(import);
        }
        let Statement::Assign { targets, value } = self.classify(self.site_atoms(site)) else {
            return None;
        };
        let is_version = |target: &[Atom]| self.bare_name(target).is_some_and(|target| target == "__version__");
        if !targets.iter().any(|target| is_version(target)) {
            return None;
        }
        let alias = self.bare_name(value)?.into_owned();
        if alias == "__version__" {
            return None;
        }
        let alias_site = self.only_binding(&alias)?;
        self.relative_import_binding(alias_site, &alias)
    }

    /// The relative import at `site` that binds `bound`, if it is one.
    fn relative_import_binding(&self, site: &Site, bound: &str) -> Option<RelativeImport> {
        let Statement::ImportFrom { level, module, names, star: false } = self.classify(self.site_atoms(site)) else {
            return None;
        };
        if level == 0 || module.is_empty() {
            return None;
        }
        let (imported, _) = names
            .iter()
            .find(|(imported, alias)| identifier(self.atom_text(alias.as_ref().unwrap_or(imported))) == bound)?;
        let module = module.iter().map(|atom| identifier(self.atom_text(atom))).collect::<Vec<_>>().join(".");
        Some(RelativeImport { level, module, name: identifier(self.atom_text(imported)).into_owned() })
    }
}
