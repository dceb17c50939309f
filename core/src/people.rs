//! Authors and maintainers: the `Name <email>` mailbox flit writes into
//! `Author-email` and `Maintainer-email`.
//!
//! For a person with both a name and an email, flit 4.2 writes
//! `str(email.headerregistry.Address(name, addr_spec=email))` and turns a
//! `ValueError` into "Invalid author email address '<e>': <reason>". What
//! that accepts is decided by CPython's RFC 5322 parser
//! (`email/_header_value_parser.py`, `get_addr_spec`), which is lenient in
//! parsing but records every deviation as a "defect"; `Address` rejects an
//! address with any defect, or with anything left over after the address.
//! This module reimplements that decision for CPython 3.11, including its
//! less obvious consequences:
//!
//! - comments and whitespace around the parts are dropped:
//!   `(home) jane @ example.com` gives `jane@example.com`;
//! - a quoted local part is unquoted when it does not need quotes:
//!   `"jane"@example.com` gives `jane@example.com`, `"a b"@x` stays quoted;
//! - the local part must be ASCII; the domain may not be (`a@bü.de` is fine);
//! - non-ASCII whitespace inside the domain disappears;
//! - an RFC 2047 encoded word followed by whitespace is decoded
//!   (`=?utf-8?q?jane?= @example.com` gives `jane@example.com`). Only the
//!   charsets `utf-8`, `latin-1` and `ascii` (under all their Python
//!   aliases) are decoded; an encoded word in any other charset Python knows
//!   is rejected here, a deliberate difference.
//! - comments nested more than [`MAX_COMMENT_NESTING`] deep are rejected
//!   (CPython fails on them too, with a `RecursionError`, somewhat deeper).
//!
//! The display name is not parsed at all: it is double-quoted (with `\` and
//! `"` escaped) if it contains any of `()<>@,:;."[]\`, and used as it is
//! otherwise. Neither part may contain CR or LF.

use crate::validate::pystr::{is_python_whitespace, python_repr};

/// How deeply comments may nest in an address before it is rejected.
pub const MAX_COMMENT_NESTING: usize = 400;

/// An email address that Python's `email.headerregistry.Address` rejects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid email address `{email}`: {reason}; write a plain address such as `jane@example.com` (the name goes in \
     the `name` key)"
)]
pub struct MailboxError {
    /// The display name given with the address.
    pub name: String,
    /// The address as written.
    pub email: String,
    /// Why it is rejected: in the words of Python's email package where
    /// flit reports it (a `ValueError`); where CPython fails with some other
    /// exception (flit then crashes with a traceback), a plain description.
    pub reason: String,
}

impl MailboxError {
    /// flit's message for this error, for `group` `"author"` or
    /// `"maintainer"`: "Invalid author email address 'x': <reason>".
    pub fn flit_message(&self, group: &str) -> String {
        format!("Invalid {group} email address {}: {}", python_repr(&self.email), self.reason)
    }
}

/// Formats a person as an RFC 5322 mailbox, `Display Name <local@domain>`,
/// exactly as `str(email.headerregistry.Address(name, addr_spec=email))`
/// does in CPython 3.11, or explains why Python would reject the address.
///
/// `Bob, Jr.` and `bob@example.com` give `"Bob, Jr." <bob@example.com>`. An
/// empty name gives just the (re-quoted) address.
pub fn format_mailbox(name: &str, email: &str) -> Result<String, MailboxError> {
    let fail = |reason: String| MailboxError { name: name.to_owned(), email: email.to_owned(), reason };
    if name.contains(['\r', '\n']) || email.contains(['\r', '\n']) {
        return Err(fail("invalid arguments; address parts cannot contain CR or LF".into()));
    }
    let address = parse_addr_spec(email).map_err(|Failure(reason)| fail(reason))?;
    if !address.rest.is_empty() {
        let parsed = &email[..email.len() - address.rest.len()];
        return Err(fail(format!("Invalid addr_spec; only '{parsed}' could be parsed from '{email}'")));
    }
    if let Some(defect) = address.defects.into_iter().next() {
        return Err(fail(defect));
    }
    if address.local_is_empty_word {
        // `LocalPart.local_part` indexes the first token of the (empty)
        // encoded word: an IndexError, which flit does not even catch.
        return Err(fail("the local part is an encoded word with nothing in it".into()));
    }

    // `Address.addr_spec`: the local part is quoted if it needs it.
    let local = if address.local.chars().any(is_dot_atom_end) { quote_string(&address.local) } else { address.local };
    let addr_spec = if !address.domain.is_empty() {
        format!("{local}@{}", address.domain)
    } else if local.is_empty() {
        "<>".to_owned()
    } else {
        local
    };
    // `Address.__str__`.
    let display = if name.chars().any(is_special) { quote_string(name) } else { name.to_owned() };
    if display.is_empty() {
        return Ok(addr_spec);
    }
    let inner = if addr_spec == "<>" { "" } else { addr_spec.as_str() };
    Ok(format!("{display} <{inner}>"))
}

/// Python's `quote_string`: double quotes, with `\` and `"` escaped.
fn quote_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

// Character classes of `_header_value_parser`.

fn is_wsp(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_special(c: char) -> bool {
    "()<>@,:;.\\\"[]".contains(c)
}

fn is_atom_end(c: char) -> bool {
    is_special(c) || is_wsp(c)
}

fn is_dot_atom_end(c: char) -> bool {
    is_atom_end(c) && c != '.'
}

fn is_cfws_leader(c: char) -> bool {
    is_wsp(c) || c == '('
}

fn is_phrase_end(c: char) -> bool {
    is_special(c) && !matches!(c, '.' | '"' | '(')
}

fn starts_with(text: &str, class: fn(char) -> bool) -> bool {
    text.chars().next().is_some_and(class)
}

/// A parse that Python abandons with an exception (`HeaderParseError`, or an
/// `IndexError` and the like that flit does not even catch): the address is
/// rejected either way.
#[derive(Debug)]
struct Failure(String);

fn expected(what: &str, found: &str) -> Failure {
    Failure(format!("expected {what} but found '{found}'"))
}

/// Defect messages, in the order Python's `all_defects` lists them (a
/// token's own defects before those of its children).
type Defects = Vec<String>;

/// The defect for ASCII control characters (and space) in a token.
fn non_printables(text: &str, defects: &mut Defects) {
    let found: Vec<String> =
        text.chars().filter(|&c| c <= ' ' || c == '\u{7f}').map(|c| python_repr(&c.to_string())).collect();
    if !found.is_empty() {
        defects.push(format!("the following ASCII non-printables found in header: [{}]", found.join(", ")));
    }
}

/// `get_fws`: called at a space or tab, it consumes *all* leading Python
/// whitespace (`str.lstrip()`), so e.g. a vertical tab after a space is
/// folding whitespace, not a non-printable character.
fn fws(text: &str) -> (&str, &str) {
    let rest = text.trim_start_matches(is_python_whitespace);
    (&text[..text.len() - rest.len()], rest)
}

/// `_get_ptext_to_endchars`: text up to the first space or tab, unescaping
/// quoted pairs, stopping at an unescaped end character. Returns the
/// unescaped text, the rest, and whether an escaped backslash was seen.
fn ptext_to_endchars<'a>(text: &'a str, endchars: &str) -> Result<(String, &'a str, bool), Failure> {
    let fragment = &text[..text.find(is_wsp).unwrap_or(text.len())];
    if fragment.is_empty() {
        // Python's loop variable is never bound: an UnboundLocalError.
        return Err(Failure("unexpected end of the address".into()));
    }
    let mut unescaped = String::new();
    let mut escape = false;
    let mut had_quoted_pair = false;
    let mut stop = fragment.len();
    for (index, c) in fragment.char_indices() {
        if c == '\\' {
            if escape {
                escape = false;
                had_quoted_pair = true;
            } else {
                escape = true;
                continue;
            }
        }
        if escape {
            escape = false;
        } else if endchars.contains(c) {
            stop = index;
            break;
        }
        unescaped.push(c);
    }
    Ok((unescaped, &text[stop..], had_quoted_pair))
}

/// `get_comment` and its nested comments, at a `(`. Python recurses once
/// per nesting level; this keeps a stack instead and gives up at
/// [`MAX_COMMENT_NESTING`].
fn comment(text: &str) -> Result<(Defects, &str), Failure> {
    // For each open comment: its children's defects.
    let mut stack: Vec<Defects> = vec![Vec::new()];
    let mut rest = &text[1..];
    loop {
        match rest.chars().next() {
            None => {
                // End of input inside every open comment: each gets the
                // defect, and its own defects come before its children's
                // (the innermost comment being the last child of its parent).
                let mut carried = Vec::new();
                while let Some(mut children) = stack.pop() {
                    children.append(&mut carried);
                    carried = vec!["end of header inside comment".to_owned()];
                    carried.append(&mut children);
                }
                return Ok((carried, rest));
            }
            Some(')') => {
                rest = &rest[1..];
                let finished = stack.pop().unwrap_or_default();
                match stack.last_mut() {
                    Some(parent) => parent.extend(finished),
                    None => return Ok((finished, rest)),
                }
            }
            Some('(') => {
                if stack.len() >= MAX_COMMENT_NESTING {
                    return Err(Failure("comments nested too deeply".into()));
                }
                stack.push(Vec::new());
                rest = &rest[1..];
            }
            Some(c) if is_wsp(c) => rest = fws(rest).1,
            Some(_) => {
                let (unescaped, after, _) = ptext_to_endchars(rest, "()")?;
                rest = after;
                if let Some(current) = stack.last_mut() {
                    non_printables(&unescaped, current);
                }
            }
        }
    }
}

/// `get_cfws`: folding whitespace and comments.
fn cfws(mut text: &str) -> Result<(Defects, &str), Failure> {
    let mut defects = Vec::new();
    while let Some(c) = text.chars().next() {
        if is_wsp(c) {
            text = fws(text).1;
        } else if c == '(' {
            let (comment_defects, rest) = comment(text)?;
            defects.extend(comment_defects);
            text = rest;
        } else {
            break;
        }
    }
    Ok((defects, text))
}

/// Optional CFWS: `if value and value[0] in CFWS_LEADER: get_cfws(value)`.
fn optional_cfws<'a>(text: &'a str, defects: &mut Defects) -> Result<&'a str, Failure> {
    if starts_with(text, is_cfws_leader) {
        let (found, rest) = cfws(text)?;
        defects.extend(found);
        Ok(rest)
    } else {
        Ok(text)
    }
}

/// `get_bare_quoted_string` at a `"`: the unquoted content.
fn bare_quoted_string(text: &str) -> Result<(String, Defects, &str), Failure> {
    let mut own: Defects = Vec::new();
    let mut children: Defects = Vec::new();
    let mut content = String::new();
    let mut rest = &text[1..];
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            break;
        }
        if is_wsp(c) {
            let (space, after) = fws(rest);
            content.push_str(space);
            rest = after;
        } else if rest.starts_with("=?") {
            match encoded_word(rest) {
                Ok((word, after)) => {
                    own.push("encoded word inside quoted string".into());
                    children.extend(word.defects);
                    content.push_str(&word.raw);
                    rest = after;
                }
                Err(_) => rest = qcontent(rest, &mut content, &mut children)?,
            }
        } else {
            rest = qcontent(rest, &mut content, &mut children)?;
        }
    }
    let rest = match rest.strip_prefix('"') {
        Some(after) => after,
        None => {
            own.push("end of header inside quoted string".into());
            rest
        }
    };
    own.extend(children);
    Ok((content, own, rest))
}

/// `get_qcontent`: quoted-string text up to a `"`, unescaped.
fn qcontent<'a>(text: &'a str, content: &mut String, defects: &mut Defects) -> Result<&'a str, Failure> {
    let (unescaped, rest, _) = ptext_to_endchars(text, "\"")?;
    non_printables(&unescaped, defects);
    content.push_str(&unescaped);
    Ok(rest)
}

/// `get_quoted_string`: `[CFWS] bare-quoted-string [CFWS]`.
fn quoted_string(text: &str) -> Result<(String, Defects, &str), Failure> {
    let mut defects = Vec::new();
    let text = optional_cfws(text, &mut defects)?;
    if !text.starts_with('"') {
        return Err(Failure(format!("expected '\"' but found '{text}'")));
    }
    let (content, found, rest) = bare_quoted_string(text)?;
    defects.extend(found);
    let rest = optional_cfws(rest, &mut defects)?;
    Ok((content, defects, rest))
}

/// `get_atext`: a run of characters that are not specials or whitespace.
fn atext(text: &str) -> Result<(&str, Defects, &str), Failure> {
    let end = text.find(is_atom_end).unwrap_or(text.len());
    if end == 0 {
        return Err(Failure(format!("expected atext but found '{text}'")));
    }
    let mut defects = Vec::new();
    non_printables(&text[..end], &mut defects);
    Ok((&text[..end], defects, &text[end..]))
}

/// `get_dot_atom_text`: `atext *("." atext)`.
fn dot_atom_text(text: &str) -> Result<(String, Defects, &str), Failure> {
    if text.is_empty() || starts_with(text, is_atom_end) {
        return Err(Failure(format!("expected atom at a start of dot-atom-text but found '{text}'")));
    }
    let mut value = String::new();
    let mut defects = Vec::new();
    let mut rest = text;
    let mut ends_with_dot = false;
    while !rest.is_empty() && !starts_with(rest, is_atom_end) {
        let (word, found, after) = atext(rest)?;
        value.push_str(word);
        defects.extend(found);
        ends_with_dot = false;
        rest = after;
        if let Some(after) = rest.strip_prefix('.') {
            value.push('.');
            ends_with_dot = true;
            rest = after;
        }
    }
    if ends_with_dot {
        return Err(Failure(format!("expected atom at end of dot-atom-text but found '.{rest}'")));
    }
    Ok((value, defects, rest))
}

/// An RFC 2047 encoded word as `get_encoded_word` sees it.
struct EncodedWord {
    /// The decoded text with each whitespace run as one space (its `value`).
    value: String,
    /// The decoded text as it is (its `str`).
    raw: String,
    defects: Defects,
}

/// `get_encoded_word` at `=?`. Fails (so the caller parses the text as plain
/// atext instead) when it is not a well-formed encoded word.
fn encoded_word(text: &str) -> Result<(EncodedWord, &str), Failure> {
    let not_encoded = || Failure(format!("expected encoded word but found {text}"));
    let body = text.strip_prefix("=?").ok_or_else(not_encoded)?;
    let end = body.find("?=").ok_or_else(not_encoded)?;
    let mut token = body[..end].to_owned();
    let mut rest = &body[end + 2..];
    // Python's workaround for `?=` followed by a `=XX` escape inside the text.
    let mut chars = rest.chars();
    if let (Some(first), Some(second)) = (chars.next(), chars.next())
        && first.is_ascii_hexdigit()
        && second.is_ascii_hexdigit()
        && token.matches('?').count() < 2
    {
        let (more, after) = match rest.find("?=") {
            Some(index) => (&rest[..index], &rest[index + 2..]),
            None => (rest, ""),
        };
        token = format!("{token}?={more}");
        rest = after;
    }

    let mut own: Defects = Vec::new();
    if token.split(is_python_whitespace).filter(|piece| !piece.is_empty()).count() > 1 {
        own.push("whitespace inside encoded word".into());
    }
    let fields: Vec<&str> = token.split('?').collect();
    let [charset, encoding, encoded] = fields[..] else {
        return Err(Failure(format!("encoded word format invalid: '=?{token}?='")));
    };
    let charset = charset.split_once('*').map_or(charset, |(charset, _language)| charset);
    if !encoded.is_ascii() || charset.contains('\0') {
        return Err(Failure(format!("encoded word format invalid: '=?{token}?='")));
    }
    let bytes = match encoding {
        "q" | "Q" => decode_q(encoded.as_bytes()),
        "b" | "B" => match decode_b(encoded.as_bytes()) {
            Some(bytes) => bytes,
            None => {
                // Python decodes leniently and records a base64 defect.
                own.push("invalid base-64 data in encoded word".into());
                Vec::new()
            }
        },
        _ => return Err(Failure(format!("encoded word format invalid: '=?{token}?='"))),
    };
    let decoded = decode_charset(charset, &bytes, &mut own);

    // The decoded text becomes whitespace and `vtext` tokens.
    let mut children: Defects = Vec::new();
    let mut value = String::new();
    let mut remaining = decoded.as_str();
    while let Some(c) = remaining.chars().next() {
        if is_wsp(c) {
            remaining = fws(remaining).1;
            value.push(' ');
        } else {
            let end = remaining.find(is_wsp).unwrap_or(remaining.len());
            non_printables(&remaining[..end], &mut children);
            value.push_str(&remaining[..end]);
            remaining = &remaining[end..];
        }
    }
    if starts_with(rest, |c| !is_wsp(c)) {
        own.push("missing trailing whitespace after encoded-word".into());
    }
    own.extend(children);
    Ok((EncodedWord { value, raw: decoded, defects: own }, rest))
}

/// RFC 2047 "Q" decoding: `_` is a space, `=XX` a byte.
fn decode_q(encoded: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded.len());
    let mut index = 0;
    while index < encoded.len() {
        let byte = encoded[index];
        let hex = |offset: usize| encoded.get(index + offset).and_then(|b| (*b as char).to_digit(16));
        match (byte, hex(1), hex(2)) {
            (b'=', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            (b'_', _, _) => {
                out.push(b' ');
                index += 1;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    out
}

/// Strict base64 as Python 3.11's `b64decode(validate=True)` accepts it
/// (the only case without a defect): alphabet characters, then padding that
/// completes the last group (or any multiple of four `=` after a complete
/// group). `None` if Python would record a defect.
fn decode_b(encoded: &[u8]) -> Option<Vec<u8>> {
    if !encoded.len().is_multiple_of(4) {
        return None;
    }
    let data_length = encoded.iter().position(|&b| b == b'=').unwrap_or(encoded.len());
    let (data, padding) = encoded.split_at(data_length);
    if padding.iter().any(|&b| b != b'=') || (data.is_empty() && !padding.is_empty()) {
        return None;
    }
    let padding_ok = match data.len() % 4 {
        0 => true,
        2 => padding.len() == 2,
        3 => padding.len() == 1,
        _ => false,
    };
    if !padding_ok {
        return None;
    }
    let sextet = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let mut bits = 0u32;
        for &b in chunk {
            bits = (bits << 6) | sextet(b)?;
        }
        bits <<= 6 * (4 - chunk.len() as u32);
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// The codecs this module decodes, after Python's codec-name lookup.
enum Charset {
    Utf8,
    Latin1,
    Ascii,
}

/// Python's codec lookup for the three charsets supported here. CPython
/// first normalises the name on its UTF-8 bytes (`_Py_normalize_encoding`):
/// ASCII letters and digits and `.` are kept and lower-cased, every other
/// run (including non-ASCII characters) becomes one `_` between kept
/// characters. Then `encodings.search_function` tries the alias table with
/// the name as it is and with dots as underscores, then the codec module of
/// that name if it has no dot.
fn lookup_charset(name: &str) -> Option<Charset> {
    let mut normalised = String::new();
    let mut punctuation = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if punctuation && !normalised.is_empty() {
                normalised.push('_');
            }
            normalised.push(c.to_ascii_lowercase());
            punctuation = false;
        } else {
            punctuation = true;
        }
    }
    let alias = |key: &str| -> Option<Charset> {
        match key {
            "cp65001" | "u8" | "utf" | "utf8" | "utf8_ucs2" | "utf8_ucs4" => Some(Charset::Utf8),
            "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1" | "iso_8859_1"
            | "iso_8859_1_1987" | "iso_ir_100" | "l1" | "latin" | "latin1" => Some(Charset::Latin1),
            "646" | "ansi_x3.4_1968" | "ansi_x3.4_1986" | "ansi_x3_4_1968" | "cp367" | "csascii" | "ibm367"
            | "iso646_us" | "iso_646.irv_1991" | "iso_ir_6" | "us" | "us_ascii" => Some(Charset::Ascii),
            _ => None,
        }
    };
    let module = |name: &str| -> Option<Charset> {
        match name {
            "utf_8" => Some(Charset::Utf8),
            "latin_1" => Some(Charset::Latin1),
            "ascii" => Some(Charset::Ascii),
            _ => None,
        }
    };
    alias(&normalised)
        .or_else(|| alias(&normalised.replace('.', "_")))
        .or_else(|| if normalised.contains('.') { None } else { module(&normalised) })
}

/// Decodes the bytes of an encoded word, recording Python's defects.
fn decode_charset(charset: &str, bytes: &[u8], defects: &mut Defects) -> String {
    // CPython returns "" for empty input before it looks the codec up, so
    // an empty encoded word is fine in any charset.
    if bytes.is_empty() {
        return String::new();
    }
    let undecodable = || format!("Encoded word contains bytes not decodable using {} charset", python_repr(charset));
    match lookup_charset(charset) {
        Some(Charset::Utf8) => String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| {
            defects.push(undecodable());
            String::from_utf8_lossy(bytes).into_owned()
        }),
        Some(Charset::Latin1) => bytes.iter().map(|&b| b as char).collect(),
        Some(Charset::Ascii) => {
            if !bytes.is_ascii() {
                defects.push(undecodable());
            }
            String::from_utf8_lossy(bytes).into_owned()
        }
        None => {
            // Python compares `charset.lower()`, its full Unicode lower case.
            if charset.to_lowercase() != "unknown-8bit" {
                defects.push(format!(
                    "Unknown charset {} in encoded word; decoded as unknown bytes",
                    python_repr(charset)
                ));
            }
            if !bytes.is_ascii() {
                defects.push("Non-ASCII characters found in header token".into());
            }
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// `get_dot_atom`: `[CFWS] (encoded-word | dot-atom-text) [CFWS]`; the value
/// is the text without the surrounding whitespace and comments.
fn dot_atom(text: &str) -> Result<(String, Defects, &str), Failure> {
    if text.is_empty() {
        return Err(Failure("unexpected end of the address".into()));
    }
    let mut defects = Vec::new();
    let text = optional_cfws(text, &mut defects)?;
    let encoded = if text.starts_with("=?") { encoded_word(text).ok() } else { None };
    let (value, found, rest) = match encoded {
        Some((word, rest)) => (word.value, word.defects, rest),
        None => dot_atom_text(text)?,
    };
    defects.extend(found);
    let rest = optional_cfws(rest, &mut defects)?;
    Ok((value, defects, rest))
}

/// The parts of a parsed `addr-spec`.
struct AddrSpec<'a> {
    local: String,
    /// The local part is an encoded word that decodes to nothing.
    local_is_empty_word: bool,
    domain: String,
    defects: Defects,
    rest: &'a str,
}

/// `get_addr_spec`: `local-part "@" domain`. Python's structure is kept
/// where it decides acceptance; branches that can only end in a defect or
/// an exception (the obsolete forms) are cut short with a failure.
fn parse_addr_spec(text: &str) -> Result<AddrSpec<'_>, Failure> {
    let (local, local_is_empty_word, local_defects, rest) = local_part(text)?;
    let mut defects = Vec::new();
    let Some(after_at) = rest.strip_prefix('@') else {
        defects.push("addr-spec local part with no domain".to_owned());
        defects.extend(local_defects);
        return Ok(AddrSpec { local, local_is_empty_word, domain: String::new(), defects, rest });
    };
    defects.extend(local_defects);
    let (domain, domain_defects, rest) = domain(after_at)?;
    defects.extend(domain_defects);
    Ok(AddrSpec { local, local_is_empty_word, domain, defects, rest })
}

/// `get_local_part`: a dot-atom or a quoted string, with optional CFWS, and
/// ASCII only. Returns the unquoted local part, and whether it is an
/// encoded word that decodes to nothing (the only way a dot-atom can be
/// empty; a quoted `""` is not).
fn local_part(text: &str) -> Result<(String, bool, Defects, &str), Failure> {
    if text.is_empty() {
        // An IndexError in CPython.
        return Err(Failure("the address is empty".into()));
    }
    let mut children = Vec::new();
    let after_leader = optional_cfws(text, &mut children)?;
    if after_leader.is_empty() {
        return Err(expected("local-part", after_leader));
    }
    let (local, empty_word, found, rest) = match dot_atom(after_leader) {
        Ok((local, found, rest)) => (local.clone(), local.is_empty(), found, rest),
        // Python then tries `get_word`: a quoted string, or an error at a
        // phrase-ending special; anything else (a trailing `.`, a `\\`) goes
        // on into the obsolete grammar, which never yields a clean result.
        Err(_) if after_leader.starts_with('"') => {
            let (local, found, rest) = quoted_string(after_leader)?;
            (local, false, found, rest)
        }
        Err(_) if starts_with(after_leader, |c| is_phrase_end(c) && c != '\\') => {
            return Err(Failure(format!("Expected 'atom' or 'quoted-string' but found '{after_leader}'")));
        }
        Err(_) => return Err(Failure("local-part is not dot-atom, quoted-string, or obs-local-part".into())),
    };
    children.extend(found);
    // Anything but the end or a phrase-ending special (other than `\`) sends
    // Python into `get_obs_local_part`, which never yields a clean result.
    if starts_with(rest, |c| c == '\\' || !is_phrase_end(c)) {
        return Err(Failure("local-part is not dot-atom, quoted-string, or obs-local-part".into()));
    }
    let mut defects = Vec::new();
    if !local.is_ascii() {
        defects.push("local-part contains non-ASCII characters)".to_owned());
    }
    defects.extend(children);
    Ok((local, empty_word, defects, rest))
}

/// `get_domain`: a dot-atom or a domain literal with optional CFWS. The
/// value has all (Python) whitespace removed.
fn domain(text: &str) -> Result<(String, Defects, &str), Failure> {
    if text.is_empty() {
        // An IndexError in CPython.
        return Err(Failure("there is no domain after `@`".into()));
    }
    let mut children = Vec::new();
    let after_leader = optional_cfws(text, &mut children)?;
    if after_leader.is_empty() {
        return Err(expected("domain", after_leader));
    }
    let strip_spaces = |value: &str| value.chars().filter(|&c| !is_python_whitespace(c)).collect::<String>();
    if after_leader.starts_with('[') {
        let (literal, found, rest) = domain_literal(after_leader)?;
        children.extend(found);
        return Ok((strip_spaces(&literal), children, rest));
    }
    // Python falls back to `get_atom` when the dot-atom fails (it can only
    // succeed on a trailing `.`, which the obsolete-domain loop below meets).
    let (value, found, mut rest) = match dot_atom(after_leader) {
        Ok(parsed) => parsed,
        Err(_) => atom(after_leader)?,
    };
    children.extend(found);
    if rest.starts_with('@') {
        return Err(Failure("Invalid Domain".into()));
    }
    let mut defects = Vec::new();
    if rest.starts_with('.') {
        defects.push("domain is not a dot-atom (contains CFWS)".to_owned());
        while let Some(after_dot) = rest.strip_prefix('.') {
            let (_, found, after) = atom(after_dot)?;
            children.extend(found);
            rest = after;
        }
    }
    defects.extend(children);
    Ok((strip_spaces(&value), defects, rest))
}

/// `get_atom`: `[CFWS] (encoded-word | atext) [CFWS]`.
fn atom(text: &str) -> Result<(String, Defects, &str), Failure> {
    let mut defects = Vec::new();
    let text = optional_cfws(text, &mut defects)?;
    if starts_with(text, is_atom_end) {
        return Err(expected("atom", text));
    }
    let encoded = if text.starts_with("=?") { encoded_word(text).ok() } else { None };
    let (value, found, rest) = match encoded {
        Some((word, rest)) => (word.value, word.defects, rest),
        None => {
            let (value, found, rest) = atext(text)?;
            (value.to_owned(), found, rest)
        }
    };
    defects.extend(found);
    let rest = optional_cfws(rest, &mut defects)?;
    Ok((value, defects, rest))
}

/// `get_domain_literal` at `[`: `"[" [FWS] dtext [FWS] "]" [CFWS]`.
fn domain_literal(text: &str) -> Result<(String, Defects, &str), Failure> {
    let mut defects = Vec::new();
    let early_end = || {
        // CPython appends the defect object to the token list itself, which
        // then breaks `all_defects` with an AttributeError (or, after
        // whitespace, fails with an UnboundLocalError).
        Failure("the domain literal is not closed with `]`".into())
    };
    let mut rest = &text[1..];
    if rest.is_empty() {
        return Err(early_end());
    }
    if starts_with(rest, is_wsp) {
        rest = fws(rest).1;
    }
    if rest.is_empty() {
        return Err(early_end());
    }
    let (dtext, after, had_quoted_pair) = ptext_to_endchars(rest, "[]")?;
    if had_quoted_pair {
        defects.push("quoted printable found in domain-literal".to_owned());
    }
    non_printables(&dtext, &mut defects);
    rest = after;
    if rest.is_empty() {
        return Err(early_end());
    }
    if starts_with(rest, is_wsp) {
        rest = fws(rest).1;
    }
    if rest.is_empty() {
        return Err(early_end());
    }
    let Some(after) = rest.strip_prefix(']') else {
        return Err(Failure(format!("expected ']' at end of domain-literal but found '{rest}'")));
    };
    let rest = optional_cfws(after, &mut defects)?;
    Ok((format!("[{dtext}]"), defects, rest))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    /// (name, email, expected `str(Address(name, addr_spec=email))`),
    /// checked against CPython 3.11.
    const ACCEPTED: &[(&str, &str, &str)] = &[
        ("X", "a@b", "X <a@b>"),
        ("Sir Röbin", "robin@camelot.uk", "Sir Röbin <robin@camelot.uk>"),
        ("Bob, Jr.", "bob@example.com", "\"Bob, Jr.\" <bob@example.com>"),
        ("A. B", "a@b", "\"A. B\" <a@b>"),
        ("Sir \"Q\\\"", "a@b", "\"Sir \\\"Q\\\\\\\"\" <a@b>"),
        ("", "a@b", "a@b"),
        ("  ", "a@b", "   <a@b>"),
        ("X", " a @ b ", "X <a@b>"),
        ("X", "(c)a(d)@(e)b(f)", "X <a@b>"),
        ("X", "a.b@c.d", "X <a.b@c.d>"),
        ("X", "\"a b\"@c", "X <\"a b\"@c>"),
        ("X", "\"a\"@c", "X <a@c>"),
        ("X", "\"\"@c", "X <@c>"),
        ("X", "a@[]", "X <a@[]>"),
        ("X", "a@[1\\]2]", "X <a@[1]2]>"),
        ("X", "=?utf-8?q?abc?= @x", "X <abc@x>"),
        ("X", "a@=?utf-8?q?example.com?=", "X <a@example.com>"),
        ("X", "a@=?utf-8?q??=", "X <a>"),
        ("X", "a@exa\u{3000}mple.com", "X <a@example.com>"),
        ("X", "a@ü", "X <a@ü>"),
        ("X", "\"a\\\\b\"@c", "X <\"a\\\\b\"@c>"),
        ("X", "\"a\\\"b\"@c", "X <\"a\\\"b\"@c>"),
        ("X", "a@[ 1.2.3.4 ]", "X <a@[1.2.3.4]>"),
        ("X", "a@b\t", "X <a@b>"),
        ("", "\"a b\"@c", "\"a b\"@c"),
        ("X", "a!#$%&'*+/=?^_`{|}~-@b", "X <a!#$%&'*+/=?^_`{|}~-@b>"),
        ("X", "=?UTF8?B?YWJj?= @x", "X <abc@x>"),
        ("X", "=?latin-1?q?a_b?= @x", "X <\"a b\"@x>"),
        ("X", "a@b(c(d)e)", "X <a@b>"),
    ];

    const REJECTED: &[(&str, &str, &str)] = &[
        ("X", "=?utf-8?q?abc?=@x", "missing trailing whitespace after encoded-word"),
        ("X", "a@b..c", ""),
        ("X", "a..b@c", "local-part is not dot-atom, quoted-string, or obs-local-part"),
        ("X", "a.@c", "local-part is not dot-atom, quoted-string, or obs-local-part"),
        ("X", ".a@c", "local-part is not dot-atom, quoted-string, or obs-local-part"),
        ("X", "a@", "there is no domain after `@`"),
        ("X", "@b", "Expected 'atom' or 'quoted-string' but found '@b'"),
        ("X", "", "the address is empty"),
        ("X", "a", "addr-spec local part with no domain"),
        ("X", "a@b c", "Invalid addr_spec; only 'a@b ' could be parsed from 'a@b c'"),
        ("X", "a@b@c", "Invalid Domain"),
        ("X", "ü@x", "local-part contains non-ASCII characters)"),
        ("X", "a\\b@c", "local-part is not dot-atom, quoted-string, or obs-local-part"),
        ("X", "a@[", "the domain literal is not closed with `]`"),
        ("X", "a@[ ", "the domain literal is not closed with `]`"),
        ("X", "a@[x", "the domain literal is not closed with `]`"),
        ("X", "=?utf-8?q??= @x", "the local part is an encoded word with nothing in it"),
        ("X", "(a@b", "expected local-part but found ''"),
        ("X", "a(@b", "addr-spec local part with no domain"),
        ("X", "\"a@b", "addr-spec local part with no domain"),
        ("X", "a@b.", ""),
        ("X", "a@.b", "expected atom but found '.b'"),
        ("X", "\"a\" \"b\"@c", "local-part is not dot-atom, quoted-string, or obs-local-part"),
        ("X", "a b@c", "local-part is not dot-atom, quoted-string, or obs-local-part"),
        ("X", "a@b(c", "end of header inside comment"),
        ("X", "x\u{b}@y", "the following ASCII non-printables found in header: ['\\x0b']"),
        ("X", "a@b\u{0}", "the following ASCII non-printables found in header: ['\\x00']"),
        ("x\ny", "a@b", "invalid arguments; address parts cannot contain CR or LF"),
        ("X", "a@b\r", "invalid arguments; address parts cannot contain CR or LF"),
        // A deliberate difference: CPython decodes cp1252 (`X <abc@x>`).
        ("X", "=?cp1252?q?abc?= @x", "Unknown charset 'cp1252' in encoded word; decoded as unknown bytes"),
        // CPython's reason here is an empty InvalidBase64PaddingDefect.
        ("X", "=?utf-8?b?YWJ?= @x", "invalid base-64 data in encoded word"),
    ];

    #[test]
    fn accepted_addresses_format_like_python() {
        for &(name, email, expected) in ACCEPTED {
            assert_eq!(format_mailbox(name, email).as_deref(), Ok(expected), "{name:?} {email:?}");
        }
    }

    #[test]
    fn rejected_addresses_explain_why() {
        for &(name, email, reason) in REJECTED {
            let error = format_mailbox(name, email).expect_err(email);
            if !reason.is_empty() {
                assert_eq!(error.reason, reason, "{email:?}");
            }
            assert_eq!(error.email, email);
        }
    }

    #[test]
    fn deep_comments_are_rejected_not_overflowing() {
        let depth = MAX_COMMENT_NESTING;
        let fine = format!("{}{}a@b", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(format_mailbox("X", &fine).as_deref(), Ok("X <a@b>"));
        let deep = format!("{}{}a@b", "(".repeat(depth + 1), ")".repeat(depth + 1));
        assert!(format_mailbox("X", &deep).is_err());
        assert!(format_mailbox("X", &"(".repeat(100_000)).is_err());
    }

    #[test]
    fn base64_like_python() {
        assert_eq!(decode_b(b""), Some(vec![]));
        assert_eq!(decode_b(b"QUJD"), Some(b"ABC".to_vec()));
        assert_eq!(decode_b(b"QQ=="), Some(b"A".to_vec()));
        assert_eq!(decode_b(b"QR=="), Some(b"A".to_vec()));
        assert_eq!(decode_b(b"QUI="), Some(b"AB".to_vec()));
        assert_eq!(decode_b(b"AAAA===="), Some(vec![0, 0, 0]));
        for bad in [&b"Q==="[..], b"QQ=A", b"====", b"QQ", b"QQ==QQ==", b"AAAAAA======", b"QU-D"] {
            assert_eq!(decode_b(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn charset_names_like_python() {
        for utf8 in [
            "UTF-8", "utf 8", "utf--8", "u8", "UTF8 ", "  utf8", "utf_8", "utf8é", "utfé8", "éutf8", "cp65001",
            "_utf_8_",
        ] {
            assert!(matches!(lookup_charset(utf8), Some(Charset::Utf8)), "{utf8}");
        }
        for latin1 in ["Latin1", "latin-1", "iso-8859-1", "ISO_8859-1:1987", "iso8859.1"] {
            assert!(matches!(lookup_charset(latin1), Some(Charset::Latin1)), "{latin1}");
        }
        for ascii in ["us-ascii", "US_ASCII", "ascii ", "ANSI_X3.4-1968", "ANSI_X3.4.1968"] {
            assert!(matches!(lookup_charset(ascii), Some(Charset::Ascii)), "{ascii}");
        }
        for unknown in
            ["utf.8", "latin.1", "", "utf-8-sig", "cp1252", "unknown-8bit", "utéf8", "ascii.", ".ascii", "u.8"]
        {
            assert!(lookup_charset(unknown).is_none(), "{unknown}");
        }
    }

    #[test]
    fn flit_message_names_the_group() {
        let error = format_mailbox("X", "nope").unwrap_err();
        assert_eq!(
            error.flit_message("author"),
            "Invalid author email address 'nope': addr-spec local part with no domain"
        );
        assert!(error.to_string().starts_with("invalid email address `nope`: addr-spec local part with no domain; "));
    }
}
