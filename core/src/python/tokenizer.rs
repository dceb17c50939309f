//! Enough of Python's tokenizer to find a module's statements.
//!
//! It follows CPython's rules for what decides where a statement starts and
//! ends: comments, blank lines, backslash continuations, implicit joining
//! inside brackets, indentation (tabs to multiples of 8, a form feed resets
//! the column), every string prefix and quote form, and f-strings the way
//! Python 3.12 reads them (PEP 701: replacement fields are tokenized like
//! ordinary code, so `f"{x["a"]}"` and multi-line fields work; for code that
//! is also valid in 3.8-3.11 the result is the same).
//!
//! Everything is iterative with explicit stacks (brackets, f-string modes),
//! so hostile input cannot exhaust the call stack, and the work is linear in
//! the size of the text.

use std::ops::Range;

use super::literal::StringPrefix;

/// CPython's limit on nested brackets (`MAXLEVEL`).
const MAX_BRACKET_DEPTH: usize = 200;
/// CPython 3.12's limit on nested f-strings (`MAXFSTRINGLEVEL`).
const MAX_FSTRING_DEPTH: usize = 150;
/// CPython's limit on indentation levels (`MAXINDENT`, the module level included).
const MAX_INDENT_DEPTH: usize = 100;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// An identifier or keyword, as written (not yet NFKC-normalised).
    Name,
    /// A number literal.
    Number,
    /// A complete string or bytes literal that is not an f-string, prefix
    /// and quotes included.
    String,
    /// The prefix and opening quotes of an f-string. The tokens of its
    /// replacement fields follow, then its [`TokenKind::FStringEnd`].
    FStringStart,
    /// The closing quotes of an f-string.
    FStringEnd,
    /// An operator or delimiter.
    Op,
}

/// One token: a kind and a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// One logical line: the tokens between two NEWLINEs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogicalLine {
    /// The indentation column of its first physical line (0 = module level).
    pub indent: usize,
    /// Its tokens, as indices into [`Tokenized::tokens`].
    pub tokens: Range<usize>,
}

/// The tokens of a module, grouped into logical lines.
#[derive(Debug)]
pub(crate) struct Tokenized {
    pub tokens: Vec<Token>,
    pub lines: Vec<LogicalLine>,
}

/// A syntax error found while tokenizing, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenError {
    pub message: String,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bracket {
    Round,
    Square,
    Curly,
    /// The `{` of an f-string replacement field.
    Field,
}

impl Bracket {
    fn opening(self) -> char {
        match self {
            Bracket::Round => '(',
            Bracket::Square => '[',
            Bracket::Curly | Bracket::Field => '{',
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct FString {
    quote: u8,
    triple: bool,
    raw: bool,
    start: usize,
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    /// In the literal text of an f-string.
    Literal(FString),
    /// In a replacement field: its expression, or its format spec.
    Field { fstring: FString, in_spec: bool },
}

/// Operators and delimiters, longest first so the first match is the
/// longest (`**=` before `**` before `*`; `:=` and `==` are never `=`).
const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "@=", ":=", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]",
    "{", "}", ",", ":", ";", ".", "=", "!",
];

struct Tokenizer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    position: usize,
    tokens: Vec<Token>,
    lines: Vec<LogicalLine>,
    brackets: Vec<(Bracket, usize)>,
    modes: Vec<Mode>,
    /// The open logical line: its indentation and first token.
    line: Option<(usize, usize)>,
    /// Indentation levels (columns with tabs of 8 and of 1), module level first.
    indents: Vec<(usize, usize)>,
    /// Offsets of bytes that were not UTF-8 (see `encoding::Decoded`).
    invalid_utf8: &'a [(usize, u8)],
    /// How many of `invalid_utf8` were inside comments already passed.
    invalid_checked: usize,
}

/// Tokenizes decoded module text. `invalid_utf8` lists the offsets of
/// replacement characters standing for bytes that were not UTF-8; they are
/// accepted only inside comments, as CPython does.
pub(crate) fn tokenize(text: &str, invalid_utf8: &[(usize, u8)]) -> Result<Tokenized, TokenError> {
    let mut tokenizer = Tokenizer {
        text,
        bytes: text.as_bytes(),
        position: 0,
        tokens: Vec::new(),
        lines: Vec::new(),
        brackets: Vec::new(),
        modes: Vec::new(),
        line: None,
        indents: vec![(0, 0)],
        invalid_utf8,
        invalid_checked: 0,
    };
    loop {
        let more = match tokenizer.modes.last().copied() {
            Some(Mode::Literal(fstring)) => tokenizer.fstring_literal(fstring).map(|()| true),
            Some(Mode::Field { fstring, in_spec: true }) => tokenizer.format_spec(fstring).map(|()| true),
            _ => tokenizer.code(),
        };
        if !more.map_err(|error| tokenizer.prefer_encoding_error(error))? {
            break;
        }
    }
    tokenizer.check_utf8_before(text.len())?;
    Ok(Tokenized { tokens: tokenizer.tokens, lines: tokenizer.lines })
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// Python's message for a character that cannot appear outside strings.
fn invalid_character(character: char) -> String {
    if character.is_control() || character.is_whitespace() || character == '\u{feff}' {
        format!("invalid non-printable character U+{:04X}", u32::from(character))
    } else {
        format!("invalid character '{character}' (U+{:04X})", u32::from(character))
    }
}

impl Tokenizer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.position + ahead).copied()
    }

    fn line_number(&self, offset: usize) -> usize {
        self.bytes[..offset.min(self.bytes.len())].iter().filter(|&&byte| byte == b'\n').count() + 1
    }

    fn error(&self, message: impl Into<String>, offset: usize) -> TokenError {
        TokenError { message: message.into(), offset }
    }

    /// Bytes that were not UTF-8 and are not in a comment make the file
    /// undecodable for CPython; that error wins over whatever came after.
    fn prefer_encoding_error(&self, error: TokenError) -> TokenError {
        match self.invalid_utf8.get(self.invalid_checked) {
            Some(&(offset, byte)) if offset <= error.offset => Self::utf8_error(offset, byte),
            _ => error,
        }
    }

    fn utf8_error(offset: usize, byte: u8) -> TokenError {
        TokenError {
            message: format!(
                "(unicode error) 'utf-8' codec can't decode byte 0x{byte:02x}: the file is not UTF-8 here and \
                 declares no other encoding (add a PEP 263 coding comment)"
            ),
            offset,
        }
    }

    fn check_utf8_before(&self, end: usize) -> Result<(), TokenError> {
        match self.invalid_utf8.get(self.invalid_checked) {
            Some(&(offset, byte)) if offset < end => Err(Self::utf8_error(offset, byte)),
            _ => Ok(()),
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) -> Result<(), TokenError> {
        self.check_utf8_before(end)?;
        self.tokens.push(Token { kind, start, end });
        Ok(())
    }

    fn skip_comment(&mut self) -> Result<(), TokenError> {
        self.check_utf8_before(self.position)?;
        let end = self.text[self.position..].find('\n').map_or(self.text.len(), |length| self.position + length);
        while self.invalid_utf8.get(self.invalid_checked).is_some_and(|&(offset, _)| offset < end) {
            self.invalid_checked += 1;
        }
        self.position = end;
        Ok(())
    }

    fn end_line(&mut self) {
        if let Some((indent, first)) = self.line.take()
            && self.tokens.len() > first
        {
            self.lines.push(LogicalLine { indent, tokens: first..self.tokens.len() });
        }
    }

    /// Scans one token (or skips one piece of whitespace, comment or line
    /// break) of ordinary code; `false` at the end of the text.
    fn code(&mut self) -> Result<bool, TokenError> {
        if self.line.is_none() && self.brackets.is_empty() {
            // The start of a physical line that may begin a logical line.
            // CPython measures it twice, with tabs of 8 and of 1 columns, and
            // refuses indentation whose meaning depends on the tab size.
            // Backslash continuations may come first: as in CPython, the
            // column of the first one counts, unless it is 0 (then the
            // whitespace of the joined lines does).
            let line_start = self.position;
            let (mut column, mut alternate) = (0usize, 0usize);
            let mut continuation_column = 0usize;
            while let Some(byte) = self.peek(0) {
                match byte {
                    b' ' => (column, alternate) = (column + 1, alternate + 1),
                    b'\t' => (column, alternate) = ((column / 8 + 1) * 8, alternate + 1),
                    b'\x0c' => (column, alternate) = (0, 0),
                    b'\\' => {
                        self.continuation()?;
                        if continuation_column == 0 {
                            continuation_column = column;
                        }
                        continue;
                    }
                    _ => break,
                }
                self.position += 1;
            }
            if continuation_column != 0 {
                (column, alternate) = (continuation_column, continuation_column);
            }
            match self.peek(0) {
                None => return Ok(false),
                Some(b'#') => return self.skip_comment().map(|()| true),
                Some(b'\n') => {
                    self.position += 1;
                    return Ok(true);
                }
                Some(_) => {
                    self.indentation(column, alternate, line_start)?;
                    self.line = Some((column, self.tokens.len()));
                }
            }
        }
        while matches!(self.peek(0), Some(b' ' | b'\t' | b'\x0c')) {
            self.position += 1;
        }
        let start = self.position;
        let Some(byte) = self.peek(0) else {
            if let Some(&(bracket, offset)) = self.brackets.last() {
                return Err(match bracket {
                    Bracket::Field => self.error("f-string: expecting '}'", offset),
                    _ => self.error(format!("'{}' was never closed", bracket.opening()), offset),
                });
            }
            self.end_line();
            return Ok(false);
        };
        match byte {
            b'#' => self.skip_comment()?,
            b'\n' => {
                self.position += 1;
                if self.brackets.is_empty() {
                    self.end_line();
                }
            }
            b'\\' => self.continuation()?,
            b'0'..=b'9' => self.number()?,
            b'.' if self.peek(1).is_some_and(|next| next.is_ascii_digit()) => self.number()?,
            b'"' | b'\'' => self.string(start, StringPrefix::default())?,
            _ if is_identifier_byte(byte) => self.name_or_string()?,
            _ => self.operator()?,
        }
        Ok(true)
    }

    /// A backslash that joins the next line to this one; the file may not
    /// end right after it.
    fn continuation(&mut self) -> Result<(), TokenError> {
        let start = self.position;
        match self.peek(1) {
            Some(b'\n') if self.peek(2).is_some() => {
                self.position += 2;
                Ok(())
            }
            Some(b'\n') | None => Err(self.error("unexpected EOF while parsing", start)),
            Some(_) => Err(self.error("unexpected character after line continuation character", start)),
        }
    }

    /// CPython's indentation stack: a line may indent by any amount, dedent
    /// only to a level seen before, and both measures (tabs of 8 and of 1)
    /// must agree on which of those it does.
    fn indentation(&mut self, column: usize, alternate: usize, offset: usize) -> Result<(), TokenError> {
        let inconsistent = "inconsistent use of tabs and spaces in indentation";
        let (top, top_alternate) = self.indents.last().copied().unwrap_or((0, 0));
        if column == top {
            if alternate != top_alternate {
                return Err(self.error(inconsistent, offset));
            }
        } else if column > top {
            if self.indents.len() >= MAX_INDENT_DEPTH {
                return Err(self.error("too many levels of indentation", offset));
            }
            if alternate <= top_alternate {
                return Err(self.error(inconsistent, offset));
            }
            self.indents.push((column, alternate));
        } else {
            while self.indents.len() > 1 && self.indents.last().is_some_and(|&(level, _)| column < level) {
                self.indents.pop();
            }
            let (level, level_alternate) = self.indents.last().copied().unwrap_or((0, 0));
            if column != level {
                return Err(self.error("unindent does not match any outer indentation level", offset));
            }
            if alternate != level_alternate {
                return Err(self.error(inconsistent, offset));
            }
        }
        Ok(())
    }

    fn operator(&mut self) -> Result<(), TokenError> {
        let start = self.position;
        let rest = &self.text[start..];
        let field_on_top = matches!(self.brackets.last(), Some((Bracket::Field, _)));
        if field_on_top && rest.starts_with('}') {
            // The end of a replacement field: back to the f-string's text.
            self.position += 1;
            self.brackets.pop();
            self.modes.pop();
            return Ok(());
        }
        if field_on_top && rest.starts_with(':') {
            // A top-level `:` in a replacement field starts its format spec
            // (even before `=`: `f"{x:=5}"` formats x with "=5").
            self.position += 1;
            if let Some(Mode::Field { in_spec, .. }) = self.modes.last_mut() {
                *in_spec = true;
            }
            return Ok(());
        }
        let Some(operator) = OPERATORS.iter().find(|operator| rest.starts_with(**operator)) else {
            let character = rest.chars().next().unwrap_or('\u{0}');
            return Err(self.error(invalid_character(character), start));
        };
        let end = start + operator.len();
        match *operator {
            "(" | "[" | "{" => {
                if self.brackets.iter().filter(|(bracket, _)| *bracket != Bracket::Field).count() >= MAX_BRACKET_DEPTH {
                    return Err(self.error("too many nested parentheses", start));
                }
                let bracket = match *operator {
                    "(" => Bracket::Round,
                    "[" => Bracket::Square,
                    _ => Bracket::Curly,
                };
                self.brackets.push((bracket, start));
            }
            ")" | "]" | "}" => {
                let expected = match *operator {
                    ")" => Bracket::Round,
                    "]" => Bracket::Square,
                    _ => Bracket::Curly,
                };
                match self.brackets.last().copied() {
                    None => return Err(self.error(format!("unmatched '{operator}'"), start)),
                    Some((Bracket::Field, _)) => {
                        return Err(self.error(format!("f-string: unmatched '{operator}'"), start));
                    }
                    Some((open, open_offset)) if open != expected => {
                        let mut message = format!(
                            "closing parenthesis '{operator}' does not match opening parenthesis '{}'",
                            open.opening()
                        );
                        let open_line = self.line_number(open_offset);
                        if open_line != self.line_number(start) {
                            message.push_str(&format!(" on line {open_line}"));
                        }
                        return Err(self.error(message, start));
                    }
                    Some(_) => {
                        self.brackets.pop();
                    }
                }
            }
            _ => {}
        }
        self.position = end;
        self.push(TokenKind::Op, start, end)
    }

    /// A run of digits of one base with single `_` separators between them;
    /// returns how many digits were read.
    fn digits(&mut self, is_digit: fn(u8) -> bool, underscore_first: bool, kind: &str) -> Result<usize, TokenError> {
        let mut count = 0;
        loop {
            match self.peek(0) {
                Some(byte) if is_digit(byte) => {
                    self.position += 1;
                    count += 1;
                }
                Some(b'_') if count > 0 || underscore_first => {
                    if !self.peek(1).is_some_and(is_digit) {
                        return Err(self.error(format!("invalid {kind} literal"), self.position));
                    }
                    self.position += 1;
                }
                _ => return Ok(count),
            }
        }
    }

    /// CPython's `verify_end_of_number`: a number may run into a keyword
    /// that can follow it in valid code (`1if x else 2`, deprecated), but not
    /// into any other name (`0L`, `1abc`, `0b12`).
    fn end_of_number(&self, kind: &str) -> Result<(), TokenError> {
        let rest = &self.bytes[self.position..];
        let keyword = [&b"and"[..], b"else", b"for", b"if", b"in", b"is", b"or", b"not"]
            .iter()
            .any(|keyword| rest.starts_with(keyword));
        match rest.first() {
            Some(&byte) if is_identifier_byte(byte) && !keyword => {
                Err(self.error(format!("invalid {kind} literal"), self.position))
            }
            _ => Ok(()),
        }
    }

    fn number(&mut self) -> Result<(), TokenError> {
        let start = self.position;
        let radix = match (self.peek(0), self.peek(1).map(|byte| byte.to_ascii_lowercase())) {
            (Some(b'0'), Some(b'x')) => Some(((|byte: u8| byte.is_ascii_hexdigit()) as fn(u8) -> bool, "hexadecimal")),
            (Some(b'0'), Some(b'o')) => Some(((|byte: u8| (b'0'..=b'7').contains(&byte)) as fn(u8) -> bool, "octal")),
            (Some(b'0'), Some(b'b')) => Some(((|byte: u8| byte == b'0' || byte == b'1') as fn(u8) -> bool, "binary")),
            _ => None,
        };
        if let Some((is_digit, kind)) = radix {
            self.position += 2;
            let count = self.digits(is_digit, true, kind)?;
            if let Some(digit) = self.peek(0).filter(u8::is_ascii_digit) {
                let message = format!("invalid digit '{}' in {kind} literal", char::from(digit));
                return Err(self.error(message, self.position));
            }
            if count == 0 {
                return Err(self.error(format!("invalid {kind} literal"), start));
            }
            self.end_of_number(kind)?;
            return self.push(TokenKind::Number, start, self.position);
        }
        let decimal = |byte: u8| byte.is_ascii_digit();
        let mut is_float = false;
        if self.peek(0) != Some(b'.') {
            self.digits(decimal, false, "decimal")?;
        }
        if self.peek(0) == Some(b'.') {
            self.position += 1;
            is_float = true;
            self.digits(decimal, false, "decimal")?;
        }
        if matches!(self.peek(0), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.peek(1), Some(b'+' | b'-')));
            if self.peek(1 + sign).is_some_and(|byte| byte.is_ascii_digit()) {
                self.position += 1 + sign;
                self.digits(decimal, false, "decimal")?;
                is_float = true;
            }
        }
        let imaginary = matches!(self.peek(0), Some(b'j' | b'J'));
        if imaginary {
            self.position += 1;
        }
        self.end_of_number(if imaginary { "imaginary" } else { "decimal" })?;
        let text = &self.text[start..self.position];
        if !is_float && !imaginary && text.starts_with('0') && text.bytes().any(|byte| matches!(byte, b'1'..=b'9')) {
            return Err(self.error(
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                start,
            ));
        }
        self.push(TokenKind::Number, start, self.position)
    }

    fn name_or_string(&mut self) -> Result<(), TokenError> {
        let start = self.position;
        while let Some(byte) = self.peek(0) {
            if !is_identifier_byte(byte) {
                break;
            }
            // Step over whole characters so the slice below stays valid.
            self.position += self.text[self.position..].chars().next().map_or(1, char::len_utf8);
        }
        let word = &self.text[start..self.position];
        if matches!(self.peek(0), Some(b'"' | b'\''))
            && let Some(prefix) = StringPrefix::parse(word)
        {
            return self.string(start, prefix);
        }
        if !word.is_ascii() {
            self.check_utf8_before(self.position)?;
            // CPython checks the characters as written (`_PyUnicode_ScanIdentifier`);
            // NFKC normalisation only happens afterwards, for the name's value.
            let invalid = word.char_indices().find(|&(index, character)| {
                if index == 0 {
                    character != '_' && !unicode_ident::is_xid_start(character)
                } else {
                    !unicode_ident::is_xid_continue(character)
                }
            });
            if let Some((offset, character)) = invalid {
                return Err(self.error(invalid_character(character), start + offset));
            }
        }
        self.push(TokenKind::Name, start, self.position)
    }

    /// A string literal whose prefix starts at `start`; the tokenizer is at
    /// its opening quote.
    fn string(&mut self, start: usize, prefix: StringPrefix) -> Result<(), TokenError> {
        let Some(quote) = self.peek(0) else {
            return Err(self.error("unexpected EOF while parsing", start));
        };
        let triple = self.peek(1) == Some(quote) && self.peek(2) == Some(quote);
        self.position += if triple { 3 } else { 1 };
        if prefix.formatted {
            if self.modes.iter().filter(|mode| matches!(mode, Mode::Literal(_))).count() >= MAX_FSTRING_DEPTH {
                return Err(self.error("too many nested f-strings", start));
            }
            self.push(TokenKind::FStringStart, start, self.position)?;
            self.modes.push(Mode::Literal(FString { quote, triple, raw: prefix.raw, start }));
            return Ok(());
        }
        loop {
            match self.peek(0) {
                None => {
                    let line = self.line_number(self.bytes.len());
                    let message = if triple {
                        format!("unterminated triple-quoted string literal (detected at line {line})")
                    } else {
                        format!("unterminated string literal (detected at line {line})")
                    };
                    return Err(self.error(message, start));
                }
                Some(b'\\') => self.position += if self.peek(1).is_some() { 2 } else { 1 },
                Some(b'\n') if !triple => {
                    let line = self.line_number(self.position);
                    return Err(self.error(format!("unterminated string literal (detected at line {line})"), start));
                }
                Some(byte) if byte == quote => {
                    if !triple {
                        self.position += 1;
                        break;
                    }
                    if self.peek(1) == Some(quote) && self.peek(2) == Some(quote) {
                        self.position += 3;
                        break;
                    }
                    self.position += 1;
                }
                Some(_) => self.position += 1,
            }
        }
        self.push(TokenKind::String, start, self.position)
    }

    fn unterminated_fstring(&self, fstring: FString) -> TokenError {
        let line = self.line_number(self.position);
        let kind = if fstring.triple { "triple-quoted f-string" } else { "f-string" };
        self.error(format!("unterminated {kind} literal (detected at line {line})"), fstring.start)
    }

    /// Whether the tokenizer is at the closing quote(s) of `fstring`.
    fn at_closing_quote(&self, fstring: FString) -> bool {
        self.peek(0) == Some(fstring.quote)
            && (!fstring.triple || (self.peek(1) == Some(fstring.quote) && self.peek(2) == Some(fstring.quote)))
    }

    /// A backslash in an f-string's text or format spec: it keeps the next
    /// character from ending the string, but `\{` still opens a field. In a
    /// non-raw f-string the numeric escapes are checked as in other strings.
    fn fstring_backslash(&mut self, fstring: FString) -> Result<(), TokenError> {
        let start = self.position;
        let width = match self.peek(1) {
            Some(b'x') if !fstring.raw => 2,
            Some(b'u') if !fstring.raw => 4,
            Some(b'U') if !fstring.raw => 8,
            Some(b'N') if !fstring.raw => {
                // A named escape: its braces are not a replacement field.
                let malformed = || self.error("(unicode error) malformed \\N character escape", start);
                if self.peek(2) != Some(b'{') {
                    return Err(malformed());
                }
                let name_start = start + 3;
                let close = self.bytes[name_start..]
                    .iter()
                    .position(|&byte| byte == b'}' || byte == b'\n' || byte == fstring.quote)
                    .map(|length| name_start + length)
                    .filter(|&close| close > name_start && self.bytes[close] == b'}')
                    .ok_or_else(malformed)?;
                self.position = close + 1;
                return Ok(());
            }
            Some(b'{' | b'}') | None => {
                self.position += 1;
                return Ok(());
            }
            Some(_) => {
                self.position += 2;
                return Ok(());
            }
        };
        let digits =
            self.bytes.get(start + 2..start + 2 + width).filter(|digits| digits.iter().all(u8::is_ascii_hexdigit));
        let Some(digits) = digits else {
            return Err(self.error("(unicode error) truncated escape: too few hexadecimal digits", start));
        };
        let value = digits.iter().fold(0u32, |value, &digit| value * 16 + char::from(digit).to_digit(16).unwrap_or(0));
        if value > 0x10ffff {
            return Err(self.error("(unicode error) illegal Unicode character", start));
        }
        self.position += 2 + width;
        Ok(())
    }

    fn open_field(&mut self, fstring: FString) -> Result<(), TokenError> {
        if self.brackets.len() >= MAX_BRACKET_DEPTH * 2 {
            return Err(self.error("too many nested parentheses", self.position));
        }
        self.brackets.push((Bracket::Field, self.position));
        self.modes.push(Mode::Field { fstring, in_spec: false });
        self.position += 1;
        Ok(())
    }

    /// Scans an f-string's literal text up to a replacement field or its end.
    fn fstring_literal(&mut self, fstring: FString) -> Result<(), TokenError> {
        loop {
            let Some(byte) = self.peek(0) else {
                return Err(self.unterminated_fstring(fstring));
            };
            match byte {
                b'\\' => self.fstring_backslash(fstring)?,
                b'{' if self.peek(1) == Some(b'{') => self.position += 2,
                b'{' => return self.open_field(fstring),
                b'}' if self.peek(1) == Some(b'}') => self.position += 2,
                b'}' => return Err(self.error("f-string: single '}' is not allowed", self.position)),
                b'\n' if !fstring.triple => return Err(self.unterminated_fstring(fstring)),
                _ if self.at_closing_quote(fstring) => {
                    let start = self.position;
                    self.position += if fstring.triple { 3 } else { 1 };
                    self.modes.pop();
                    return self.push(TokenKind::FStringEnd, start, self.position);
                }
                _ => self.position += 1,
            }
        }
    }

    /// Scans a replacement field's format spec up to a nested field or the
    /// field's closing brace.
    fn format_spec(&mut self, fstring: FString) -> Result<(), TokenError> {
        loop {
            let Some(byte) = self.peek(0) else {
                return Err(self.error("f-string: expecting '}'", fstring.start));
            };
            match byte {
                b'{' => return self.open_field(fstring),
                b'}' => {
                    self.position += 1;
                    self.brackets.pop();
                    self.modes.pop();
                    return Ok(());
                }
                b'\\' => self.fstring_backslash(fstring)?,
                b'\n' if !fstring.triple => {
                    return Err(self.error(
                        "f-string: newlines are not allowed in format specifiers for single quoted f-strings",
                        self.position,
                    ));
                }
                _ if self.at_closing_quote(fstring) => {
                    return Err(self.error("f-string: expecting '}'", self.position));
                }
                _ => self.position += 1,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    fn kinds_and_texts(text: &str) -> Vec<(TokenKind, &str)> {
        match tokenize(text, &[]) {
            Ok(tokenized) => tokenized.tokens.iter().map(|token| (token.kind, &text[token.start..token.end])).collect(),
            Err(error) => panic!("{text:?}: {error:?}"),
        }
    }

    fn texts(text: &str) -> Vec<&str> {
        kinds_and_texts(text).into_iter().map(|(_, text)| text).collect()
    }

    fn lines(text: &str) -> Vec<(usize, Vec<&str>)> {
        match tokenize(text, &[]) {
            Ok(tokenized) => tokenized
                .lines
                .iter()
                .map(|line| {
                    let tokens =
                        tokenized.tokens[line.tokens.clone()].iter().map(|token| &text[token.start..token.end]);
                    (line.indent, tokens.collect())
                })
                .collect(),
            Err(error) => panic!("{text:?}: {error:?}"),
        }
    }

    fn error(text: &str) -> TokenError {
        match tokenize(text, &[]) {
            Ok(tokenized) => panic!("{text:?} tokenized to {:?}", tokenized.tokens),
            Err(error) => error,
        }
    }

    #[test]
    fn operators_are_longest_match() {
        assert_eq!(
            texts("a==b<=c>=d!=e:=f+=g->h**=i//=j>>=k<<=l...m"),
            [
                "a", "==", "b", "<=", "c", ">=", "d", "!=", "e", ":=", "f", "+=", "g", "->", "h", "**=", "i", "//=",
                "j", ">>=", "k", "<<=", "l", "...", "m"
            ]
        );
        assert_eq!(texts("x=. . ."), ["x", "=", ".", ".", "."]);
        assert_eq!(texts("a @= b @ c"), ["a", "@=", "b", "@", "c"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            texts("0x_1f 0o17 0b1_0 1_000 1.5 .5 1. 1e5 1E-5 1.e+5 1_0.0_1e1_0j 1J 00 0_0 007.5 007j"),
            [
                "0x_1f",
                "0o17",
                "0b1_0",
                "1_000",
                "1.5",
                ".5",
                "1.",
                "1e5",
                "1E-5",
                "1.e+5",
                "1_0.0_1e1_0j",
                "1J",
                "00",
                "0_0",
                "007.5",
                "007j"
            ]
        );
        // `1if`, `1else`: the number stops; e without digits is no exponent.
        assert_eq!(texts("1if 1else 2"), ["1", "if", "1", "else", "2"]);
        assert_eq!(texts("x.5"), ["x", ".5"]);
        assert!(error("0777").message.contains("leading zeros"));
        assert!(error("1__0").message.contains("invalid decimal literal"));
        assert!(error("1_").message.contains("invalid decimal literal"));
        assert!(error("0x").message.contains("invalid hexadecimal literal"));
        assert_eq!(
            texts("1or 2and 3in 4is 5not 0x1for"),
            ["1", "or", "2", "and", "3", "in", "4", "is", "5", "not", "0x1f", "or"]
        );
        assert_eq!(error("x = 10L").message, "invalid decimal literal");
        assert_eq!(error("x = 0xFFL").message, "invalid hexadecimal literal");
        assert_eq!(error("x = 0b12").message, "invalid digit '2' in binary literal");
        assert_eq!(error("x = 0o8").message, "invalid digit '8' in octal literal");
        assert_eq!(error("x = 0o").message, "invalid octal literal");
        assert_eq!(error("x = 1e").message, "invalid decimal literal");
        assert_eq!(error("x = 1jk").message, "invalid imaginary literal");
        assert_eq!(error("x = 1.5_").message, "invalid decimal literal");
    }

    #[test]
    fn strings() {
        assert_eq!(
            kinds_and_texts(r#"'a' "b" '''c''' """d""" rb'\'' Br"\"" u'x' b'' '' ''''''"#),
            [
                (TokenKind::String, "'a'"),
                (TokenKind::String, "\"b\""),
                (TokenKind::String, "'''c'''"),
                (TokenKind::String, "\"\"\"d\"\"\""),
                (TokenKind::String, r"rb'\''"),
                (TokenKind::String, r#"Br"\"""#),
                (TokenKind::String, "u'x'"),
                (TokenKind::String, "b''"),
                (TokenKind::String, "''"),
                (TokenKind::String, "''''''"),
            ]
        );
        assert_eq!(texts("'''a\n'b'\"\"\n'''"), ["'''a\n'b'\"\"\n'''"]);
        assert_eq!(texts("'a\\\nb'"), ["'a\\\nb'"]);
        // Not a prefix: a name, then a string.
        assert_eq!(texts("ur'x' print'x'"), ["ur", "'x'", "print", "'x'"]);
        assert!(error("x = 'abc\n'").message.starts_with("unterminated string literal (detected at line 1)"));
        assert!(
            error("x = '''abc\n").message.starts_with("unterminated triple-quoted string literal (detected at line 2)")
        );
        assert_eq!(error("x = '''abc\n").offset, 4);
        assert!(error("x = 'abc\\").message.starts_with("unterminated string literal"));
    }

    #[test]
    fn fstrings() {
        use TokenKind::*;
        assert_eq!(
            kinds_and_texts(r#"f"a{x!r:>{w}}b{{c}}" 'd'"#),
            [
                (FStringStart, "f\""),
                (Name, "x"),
                (Op, "!"),
                (Name, "r"),
                (Name, "w"),
                (FStringEnd, "\""),
                (String, "'d'"),
            ]
        );
        // PEP 701: the same quotes inside a replacement field.
        assert_eq!(texts(r#"f"{x["a"]}""#), ["f\"", "x", "[", "\"a\"", "]", "\""]);
        assert_eq!(texts(r#"f'{f'{f'{1}'}'}'"#), ["f'", "f'", "f'", "1", "'", "'", "'"]);
        // Fields may span lines and hold comments; the format spec ends at `:` even before `=`.
        assert_eq!(texts("f'{\n1 # c\n}' f'{x:=5}'"), ["f'", "1", "'", "f'", "x", "'"]);
        assert_eq!(texts(r#"f"{a!=b}" f"{x=}""#), ["f\"", "a", "!=", "b", "\"", "f\"", "x", "=", "\""]);
        // Backslashes: `\{` still opens a field, `\N{...}` does not, `\"` does not end the string.
        assert_eq!(
            texts(r#"f"\{6}" f"\N{DASH}{1}" f"\"{2}" rf"\"""#),
            ["f\"", "6", "\"", "f\"", "1", "\"", "f\"", "2", "\"", "rf\"", "\""]
        );
        assert_eq!(texts(r#"rf"\N{x}""#), ["rf\"", "x", "\""]);
        assert_eq!(
            texts(r#"f"{x:\N{EM DASH}}" f"\x41{y}" rf"\N" f"\u00e9\U0001F600""#),
            ["f\"", "x", "\"", "f\"", "y", "\"", "rf\"", "\"", "f\"", "\""]
        );
        assert_eq!(texts("f'''{x:\n}'''"), ["f'''", "x", "'''"]);
    }

    #[test]
    fn fstring_errors() {
        assert!(error("f'{1}}'").message.contains("single '}'"));
        assert!(error("f'abc").message.starts_with("unterminated f-string literal"));
        assert!(error("f'''abc").message.starts_with("unterminated triple-quoted f-string literal"));
        assert!(error("f'{x'").message.contains("unterminated"));
        assert!(error("f'{x:'}'").message.contains("expecting '}'"));
        assert!(error("f'{x)}'").message.contains("f-string: unmatched ')'"));
        for bad in [
            r#"f"\x4{x}""#,
            r#"f"{x:\x4}""#,
            r#"f"\N""#,
            r#"f"{x:\N}""#,
            r#"f"\N{}""#,
            r#"f"\U00110000""#,
            r#"f"\u12""#,
        ] {
            assert!(error(bad).message.starts_with("(unicode error)"), "{bad}");
        }
    }

    #[test]
    fn logical_lines_and_indentation() {
        let source = "import os\n\n# comment\n  # indented comment\nif x:\n    y = 1\n    z = (1,\n 2)\n\x0cw = 3\n  \x0cv = 4\nu = 1 + \\\n    2\n";
        assert_eq!(
            lines(source),
            [
                (0, vec!["import", "os"]),
                (0, vec!["if", "x", ":"]),
                (4, vec!["y", "=", "1"]),
                (4, vec!["z", "=", "(", "1", ",", "2", ")"]),
                (0, vec!["w", "=", "3"]),
                (0, vec!["v", "=", "4"]),
                (0, vec!["u", "=", "1", "+", "2"]),
            ]
        );
        assert_eq!(lines("a; b\n\\\nc\n"), [(0, vec!["a", ";", "b"]), (0, vec!["c"])]);
        // Continuations before the first token: the first backslash's column
        // counts unless it is 0.
        assert_eq!(lines("if x:\n  \\\n      y\n"), [(0, vec!["if", "x", ":"]), (2, vec!["y"])]);
        assert_eq!(lines("if x:\n\\\n    y\n"), [(0, vec!["if", "x", ":"]), (4, vec!["y"])]);
        assert_eq!(lines("x\n\\\n# comment\ny\n"), [(0, vec!["x"]), (0, vec!["y"])]);
        assert_eq!(
            lines("if x:\n\tif y:\n\t\tz\n\tw\n"),
            [(0, vec!["if", "x", ":"]), (8, vec!["if", "y", ":"]), (16, vec!["z"]), (8, vec!["w"])]
        );
        assert_eq!(lines("x = 1"), [(0, vec!["x", "=", "1"])]);
        assert_eq!(lines(""), Vec::<(usize, Vec<&str>)>::new());
    }

    #[test]
    fn indentation_errors() {
        let inconsistent = "inconsistent use of tabs and spaces in indentation";
        assert_eq!(error("if x:\n\tif y:\n\t\tpass\n\telse:\n        pass\n").message, inconsistent);
        assert_eq!(error("if x:\n        a\n\tb\n").message, inconsistent);
        assert_eq!(error("if x:\n    a\n  b\n").message, "unindent does not match any outer indentation level");
        assert_eq!(error("if x:\n    a\n  b\n").offset, 12);
        let deep: String = (0..=100).map(|level| format!("{}if x:\n", " ".repeat(level))).collect();
        assert_eq!(error(&deep).message, "too many levels of indentation");
    }

    #[test]
    fn bracket_errors() {
        assert_eq!(error("x = (1,\n2").message, "'(' was never closed");
        assert_eq!(error("x = (1,\n2").offset, 4);
        assert_eq!(error("x = 1)").message, "unmatched ')'");
        assert_eq!(error("x = (1]").message, "closing parenthesis ']' does not match opening parenthesis '('");
        assert_eq!(
            error("x = (1,\n2]").message,
            "closing parenthesis ']' does not match opening parenthesis '(' on line 1"
        );
        assert_eq!(error(&"(".repeat(201)).message, "too many nested parentheses");
        assert_eq!(error("x = 1 \\ y").message, "unexpected character after line continuation character");
        assert_eq!(error("x = 1 \\").message, "unexpected EOF while parsing");
        assert_eq!(error("x = 1 \\\n").message, "unexpected EOF while parsing");
    }

    #[test]
    fn identifiers() {
        assert_eq!(texts("é = ｆｏｏ"), ["é", "=", "ｆｏｏ"]);
        assert_eq!(error("x = 1 $").message, "invalid character '$' (U+0024)");
        assert_eq!(error("x\u{a0}= 1").message, "invalid non-printable character U+00A0");
        assert_eq!(error("x = €").message, "invalid character '€' (U+20AC)");
        assert_eq!(error("x = \u{0b}1").message, "invalid non-printable character U+000B");
        // Checked as written, before NFKC: U+FF3F is not a start character.
        assert_eq!(error("\u{ff3f}x = 1").message, "invalid character '\u{ff3f}' (U+FF3F)");
        assert_eq!(texts("x\u{ff3f} = 1"), ["x\u{ff3f}", "=", "1"]);
    }

    #[test]
    fn invalid_utf8_only_in_comments() {
        let text = "# \u{fffd}\nx = 1 # \u{fffd}\n";
        assert!(tokenize(text, &[(2, 0xff), (14, 0xfe)]).is_ok());
        let text = "x = '\u{fffd}'\n";
        let error = tokenize(text, &[(5, 0xff)]).err();
        assert_eq!(error.as_ref().map(|error| error.offset), Some(5));
        assert!(error.is_some_and(|error| error.message.contains("0xff")));
        let text = "x\u{fffd} = 1\n";
        let error = tokenize(text, &[(1, 0xc3)]).err();
        assert!(error.is_some_and(|error| error.message.contains("0xc3")));
    }

    #[test]
    fn deep_nesting_is_bounded_not_recursive() {
        let deep = "f'{".repeat(149) + "1" + &"}'".repeat(149);
        assert_eq!(tokenize(&deep, &[]).map(|tokenized| tokenized.tokens.len()), Ok(299));
        let too_deep = "f'{".repeat(200);
        assert!(error(&too_deep).message.contains("too many nested f-strings"));
        let long = "x = ".to_owned() + &"-".repeat(100_000) + "1\n";
        assert_eq!(lines(&long).len(), 1);
    }
}
