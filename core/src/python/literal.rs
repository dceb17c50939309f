//! The values of Python literals, as `ast.parse` computes them.
//!
//! String escapes follow CPython 3.11's `decode_unicode_with_escapes` and
//! `_PyBytes_DecodeEscape`; numbers only need their type and truthiness,
//! because that is all flit looks at for a non-string `__version__`.

/// The letters in front of a string literal's opening quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StringPrefix {
    /// `b`: a bytes literal.
    pub bytes: bool,
    /// `r`: backslashes are kept as written.
    pub raw: bool,
    /// `f`: an f-string, which `ast` never turns into a constant.
    pub formatted: bool,
}

impl StringPrefix {
    /// Reads a prefix, or `None` if these letters are not a Python 3 string
    /// prefix (so they are a name followed by a string).
    pub fn parse(letters: &str) -> Option<StringPrefix> {
        if letters.len() > 2 {
            return None;
        }
        let mut prefix = StringPrefix::default();
        let mut unicode = false;
        for letter in letters.bytes() {
            let seen = match letter.to_ascii_lowercase() {
                b'b' => std::mem::replace(&mut prefix.bytes, true),
                b'r' => std::mem::replace(&mut prefix.raw, true),
                b'f' => std::mem::replace(&mut prefix.formatted, true),
                b'u' => std::mem::replace(&mut unicode, true),
                _ => return None,
            };
            if seen {
                return None;
            }
        }
        let valid = match (prefix.bytes, prefix.raw, prefix.formatted, unicode) {
            (_, _, _, true) => letters.len() == 1,
            (true, _, true, _) => false,
            _ => true,
        };
        valid.then_some(prefix)
    }
}

/// Why a literal is not valid Python; `offset` is a byte offset into the
/// literal's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiteralError {
    pub message: String,
    pub offset: usize,
}

/// The value of one `str` literal's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StrValue {
    /// The exact value.
    Known(String),
    /// Valid, but not computable here: it contains a `\N{...}` escape (we do
    /// not carry the Unicode name table) or a lone surrogate (which a Rust
    /// `String` cannot hold).
    NotStatic,
}

fn hex_value(text: &[u8]) -> Option<u32> {
    let mut value = 0u32;
    for &digit in text {
        value = value.checked_mul(16)? + char::from(digit).to_digit(16)?;
    }
    Some(value)
}

/// Reads up to three octal digits starting at `start` (the first is known to
/// be one); returns the value and the index after them.
fn octal_escape(body: &[u8], start: usize) -> (u32, usize) {
    let mut value = 0u32;
    let mut index = start;
    while index < body.len() && index < start + 3 && (b'0'..=b'7').contains(&body[index]) {
        value = value * 8 + u32::from(body[index] - b'0');
        index += 1;
    }
    (value, index)
}

/// The value of a non-raw `str` literal body (between the quotes).
pub(crate) fn decode_str(body: &str) -> Result<StrValue, LiteralError> {
    let bytes = body.as_bytes();
    let mut value = String::with_capacity(body.len());
    let mut not_static = false;
    let mut index = 0;
    while let Some(relative) = body[index..].find('\\') {
        value.push_str(&body[index..index + relative]);
        let escape_start = index + relative;
        let Some(&letter) = bytes.get(escape_start + 1) else {
            return Err(LiteralError { message: "\\ at end of string".into(), offset: escape_start });
        };
        let mut next = escape_start + 2;
        let error =
            |message: &str| LiteralError { message: format!("(unicode error) {message}"), offset: escape_start };
        match letter {
            b'\n' => {}
            b'\\' => value.push('\\'),
            b'\'' => value.push('\''),
            b'"' => value.push('"'),
            b'a' => value.push('\u{07}'),
            b'b' => value.push('\u{08}'),
            b'f' => value.push('\u{0c}'),
            b'n' => value.push('\n'),
            b'r' => value.push('\r'),
            b't' => value.push('\t'),
            b'v' => value.push('\u{0b}'),
            b'0'..=b'7' => {
                let (code, after) = octal_escape(bytes, escape_start + 1);
                // At most 0o777, always a valid scalar value.
                value.extend(char::from_u32(code));
                next = after;
            }
            b'x' | b'u' | b'U' => {
                let (width, name) = match letter {
                    b'x' => (2, "truncated \\xXX escape"),
                    b'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let digits = bytes.get(next..next + width).ok_or_else(|| error(name))?;
                let code = hex_value(digits).ok_or_else(|| error(name))?;
                if code > 0x10ffff {
                    return Err(error("illegal Unicode character"));
                }
                match char::from_u32(code) {
                    Some(character) => value.push(character),
                    // A lone surrogate: valid in a Python str, not in a Rust String.
                    None => not_static = true,
                }
                next += width;
            }
            b'N' => {
                let malformed = || error("malformed \\N character escape");
                if bytes.get(next) != Some(&b'{') {
                    return Err(malformed());
                }
                let close = body[next..].find('}').ok_or_else(malformed)?;
                if close <= 1 {
                    return Err(malformed());
                }
                // The Unicode name table is not embedded; see `StrValue::NotStatic`.
                not_static = true;
                next += close + 1;
            }
            _ => {
                // Unknown escapes (and a backslash before a non-ASCII
                // character) are kept as written; the character itself is
                // copied on the next round.
                value.push('\\');
                next = escape_start + 1;
            }
        }
        index = next;
    }
    value.push_str(&body[index..]);
    Ok(if not_static { StrValue::NotStatic } else { StrValue::Known(value) })
}

/// The value of a bytes literal body; `raw` keeps backslashes as written.
pub(crate) fn decode_bytes(body: &str, raw: bool) -> Result<Vec<u8>, LiteralError> {
    if let Some(position) = body.bytes().position(|byte| !byte.is_ascii()) {
        return Err(LiteralError {
            message: "bytes can only contain ASCII literal characters".into(),
            offset: position,
        });
    }
    let bytes = body.as_bytes();
    if raw {
        return Ok(bytes.to_vec());
    }
    let mut value = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte != b'\\' {
            value.push(byte);
            index += 1;
            continue;
        }
        let escape_start = index;
        let Some(&letter) = bytes.get(index + 1) else {
            return Err(LiteralError { message: "\\ at end of string".into(), offset: escape_start });
        };
        index += 2;
        match letter {
            b'\n' => {}
            b'\\' => value.push(b'\\'),
            b'\'' => value.push(b'\''),
            b'"' => value.push(b'"'),
            b'a' => value.push(0x07),
            b'b' => value.push(0x08),
            b'f' => value.push(0x0c),
            b'n' => value.push(b'\n'),
            b'r' => value.push(b'\r'),
            b't' => value.push(b'\t'),
            b'v' => value.push(0x0b),
            b'0'..=b'7' => {
                let (code, after) = octal_escape(bytes, escape_start + 1);
                // CPython stores the low byte of escapes above 0o377.
                value.push((code & 0xff) as u8);
                index = after;
            }
            b'x' => {
                let code = bytes.get(index..index + 2).and_then(hex_value).ok_or_else(|| LiteralError {
                    message: format!("(value error) invalid \\x escape at position {escape_start}"),
                    offset: escape_start,
                })?;
                value.push(code as u8);
                index += 2;
            }
            _ => {
                value.push(b'\\');
                index = escape_start + 1;
            }
        }
    }
    Ok(value)
}

/// The Python class name and truthiness of a number literal (the tokenizer
/// has already checked its shape).
pub(crate) fn number_facts(text: &str) -> (&'static str, bool) {
    let digits: String = text.chars().filter(|&character| character != '_').collect();
    let lower = digits.to_ascii_lowercase();
    if let Some(imaginary) = lower.strip_suffix('j') {
        // Parsed like float(): underflow to zero makes the literal falsy.
        return ("complex", imaginary.parse::<f64>().is_ok_and(|value| value != 0.0));
    }
    let is_radix = lower.starts_with("0x") || lower.starts_with("0o") || lower.starts_with("0b");
    if !is_radix && (lower.contains('.') || lower.contains('e')) {
        return ("float", lower.parse::<f64>().is_ok_and(|value| value != 0.0));
    }
    let significant = if is_radix { &lower[2..] } else { &lower[..] };
    ("int", significant.bytes().any(|digit| digit != b'0'))
}

#[cfg(test)]
#[allow(clippy::panic, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    fn known(body: &str) -> String {
        match decode_str(body) {
            Ok(StrValue::Known(value)) => value,
            other => panic!("{body:?} gave {other:?}"),
        }
    }

    #[test]
    fn prefixes() {
        for letters in ["", "r", "R", "u", "U", "b", "B", "br", "Br", "bR", "RB", "rb", "f", "F", "fr", "rF", "Rf"] {
            assert!(StringPrefix::parse(letters).is_some(), "{letters}");
        }
        for letters in ["ur", "ub", "bf", "fb", "rr", "x", "bu", "uf", "rbf"] {
            assert!(StringPrefix::parse(letters).is_none(), "{letters}");
        }
        assert_eq!(StringPrefix::parse("Rb"), Some(StringPrefix { bytes: true, raw: true, formatted: false }));
    }

    #[test]
    fn str_escapes() {
        // Expected values from CPython 3.11's ast.
        assert_eq!(known(r#"a\nb\tc\\d\'e\"f"#), "a\nb\tc\\d'e\"f");
        assert_eq!(known(r"\a\b\f\r\v"), "\u{7}\u{8}\u{c}\r\u{b}");
        assert_eq!(known("a\\\nb"), "ab");
        assert_eq!(known(r"\0\12\101\1234"), "\0\nAS4");
        assert_eq!(known(r"\777"), "\u{1ff}");
        assert_eq!(known(r"\8\d\ \{"), r"\8\d\ \{");
        assert_eq!(known("\\é"), "\\é");
        assert_eq!(known(r"\x41\u00e9\U0001F600"), "Aé\u{1f600}");
        assert_eq!(known(r"\U0010FFFF"), "\u{10ffff}");
        assert_eq!(decode_str(r"\N{EM DASH}"), Ok(StrValue::NotStatic));
        assert_eq!(decode_str(r"\ud800"), Ok(StrValue::NotStatic));
        for bad in [r"\x4", r"\xg0", r"\u12", r"\U0011000", r"\U00110000", r"\N", r"\N{}", r"\N{x", "\\"] {
            assert!(decode_str(bad).is_err(), "{bad}");
        }
        assert_eq!(decode_str(r"ab\x4").map_err(|error| error.offset), Err(2));
    }

    #[test]
    fn bytes_escapes() {
        assert_eq!(decode_bytes(r"a\x41\101\n\\", false), Ok(b"aAA\n\\".to_vec()));
        assert_eq!(decode_bytes(r"\777\400", false), Ok(vec![0xff, 0x00]));
        assert_eq!(decode_bytes(r"\u1234\N{DASH}\d", false), Ok(br"\u1234\N{DASH}\d".to_vec()));
        assert_eq!(decode_bytes("\\\n", false), Ok(vec![]));
        assert_eq!(decode_bytes(r"\x", true), Ok(br"\x".to_vec()));
        assert!(decode_bytes(r"\x4", false).is_err());
        assert!(decode_bytes("é", false).is_err());
        assert!(decode_bytes("é", true).is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(number_facts("0"), ("int", false));
        assert_eq!(number_facts("00"), ("int", false));
        assert_eq!(number_facts("0_0"), ("int", false));
        assert_eq!(number_facts("0x0"), ("int", false));
        assert_eq!(number_facts("0X_1"), ("int", true));
        assert_eq!(number_facts("0b10"), ("int", true));
        assert_eq!(number_facts("0o0"), ("int", false));
        assert_eq!(number_facts("1_000"), ("int", true));
        assert_eq!(number_facts("0.0"), ("float", false));
        assert_eq!(number_facts(".5"), ("float", true));
        assert_eq!(number_facts("1."), ("float", true));
        assert_eq!(number_facts("1.e5"), ("float", true));
        assert_eq!(number_facts("0e5"), ("float", false));
        assert_eq!(number_facts("1e-400"), ("float", false));
        assert_eq!(number_facts("1E400"), ("float", true));
        assert_eq!(number_facts("1_0.0_1e1_0"), ("float", true));
        assert_eq!(number_facts("0j"), ("complex", false));
        assert_eq!(number_facts("0.0J"), ("complex", false));
        assert_eq!(number_facts("1j"), ("complex", true));
        assert_eq!(number_facts("1.j"), ("complex", true));
        assert_eq!(number_facts("1e-999j"), ("complex", false));
        assert_eq!(number_facts("007j"), ("complex", true));
    }
}
