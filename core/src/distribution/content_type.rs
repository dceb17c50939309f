//! `Description-Content-Type`: a MIME type with parameters (RFC 2045, with
//! RFC 2231 extended parameters), read as strictly as Python's `email`
//! header registry reads a `Content-Type`, which is what
//! `packaging.metadata` uses to validate the field.

/// A parsed `type/subtype; name=value; ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// `type/subtype`, lower-cased (`text/markdown`).
    pub mime_type: String,
    /// The parameters in order: the name lower-cased (without a trailing
    /// `*`), the value unquoted and, for extended parameters, decoded.
    pub parameters: Vec<(String, String)>,
}

impl ContentType {
    /// The value of parameter `name` (lower case), if given.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// RFC 2045 `tspecials`, which cannot appear in a token.
const TSPECIALS: &[u8] = b"()<>@,;:\\\"/[]?=";

fn is_token_byte(byte: u8) -> bool {
    (0x21..=0x7e).contains(&byte) && !TSPECIALS.contains(&byte)
}

/// Python's parser also ends an unquoted parameter value at `'`, `*` and
/// `%` (RFC 2231 delimiters), so `variant=G'FM` is invalid there.
fn is_value_byte(byte: u8) -> bool {
    is_token_byte(byte) && !b"'*".contains(&byte)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Parses a content type. The error says what is wrong, in words.
pub fn parse_content_type(value: &str) -> Result<ContentType, String> {
    let text = value.trim_matches(is_space);
    if text.is_empty() {
        return Err("the content type is empty".to_owned());
    }
    let (head, rest) = match split_unquoted(text, ';').split_first() {
        Some((head, rest)) => (*head, rest.to_vec()),
        None => (text, Vec::new()),
    };
    let head = head.trim_matches(is_space);
    let Some((main, sub)) = head.split_once('/') else {
        return Err(format!("`{head}` is not `type/subtype`"));
    };
    if main.is_empty() || !main.bytes().all(is_token_byte) {
        return Err(format!("`{head}` is not `type/subtype`"));
    }
    if sub.is_empty() || !sub.bytes().all(is_token_byte) {
        return Err(if !sub.is_empty() && sub.contains(|c: char| is_space(c) || c == '/' || c == ',') {
            format!("only `; name=value` parameters may follow the type, in `{head}`")
        } else {
            format!("`{head}` is not `type/subtype`")
        });
    }
    let mut parameters: Vec<(String, String)> = Vec::new();
    let count = rest.len();
    for (index, entry) in rest.into_iter().enumerate() {
        let entry = entry.trim_matches(is_space);
        if entry.is_empty() {
            // Python accepts one trailing `;` but not an empty entry between two.
            if index + 1 == count {
                continue;
            }
            return Err("there is an empty parameter (`;;`)".to_owned());
        }
        let (name, parameter_value) = parse_parameter(entry)?;
        if parameters.iter().any(|(existing, _)| *existing == name) {
            return Err(format!("the parameter `{name}` is given twice"));
        }
        parameters.push((name, parameter_value));
    }
    Ok(ContentType { mime_type: head.to_ascii_lowercase(), parameters })
}

/// Splits at `separator` outside double-quoted strings.
fn split_unquoted(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            parts.push(text.get(start..index).unwrap_or_default());
            start = index + c.len_utf8();
        }
    }
    parts.push(text.get(start..).unwrap_or_default());
    parts
}

/// One `name=value` (already trimmed, not empty).
fn parse_parameter(entry: &str) -> Result<(String, String), String> {
    let Some((name, value)) = entry.split_once('=') else {
        return Err(format!("the parameter `{entry}` has a name but no value"));
    };
    let name = name.trim_matches(is_space);
    let value = value.trim_matches(is_space);
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(format!("`{entry}` is not a valid parameter"));
    }
    if value.is_empty() {
        return Err(format!("the parameter `{name}` has no value"));
    }
    let lower_name = name.to_ascii_lowercase();
    if let Some(extended) = lower_name.strip_suffix('*') {
        // RFC 2231: charset'language'percent-encoded-value.
        let decoded = decode_extended(value).ok_or_else(|| format!("`{entry}` is not a valid RFC 2231 parameter"))?;
        return Ok((extended.to_owned(), decoded));
    }
    if let Some(quoted) = value.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = quoted.char_indices();
        while let Some((index, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, escaped)) => out.push(escaped),
                    None => return Err(format!("the quoted value of `{name}` is not closed")),
                },
                '"' => {
                    let trailing = quoted.get(index + 1..).unwrap_or_default();
                    if !trailing.trim_matches(is_space).is_empty() {
                        return Err(format!("the parameter `{name}` has text after its quoted value"));
                    }
                    return Ok((lower_name, out));
                }
                _ => out.push(c),
            }
        }
        return Err(format!("the quoted value of `{name}` is not closed"));
    }
    if value.contains(is_space) {
        return Err(format!("the parameter `{name}` has text after its value"));
    }
    if !value.bytes().all(is_value_byte) {
        return Err(format!("the value of `{name}` contains a character that must be quoted"));
    }
    Ok((lower_name, value.to_owned()))
}

/// Decodes `charset'language'value` with `%XX` escapes (charset UTF-8 or
/// ASCII-compatible; other charsets are decoded as UTF-8 anyway, since only
/// ASCII values matter for the parameters core metadata knows).
fn decode_extended(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let (_charset, _language, encoded) = (parts.next()?, parts.next()?, parts.next()?);
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut iter = encoded.bytes();
    while let Some(byte) = iter.next() {
        if byte == b'%' {
            let high = (iter.next()? as char).to_digit(16)?;
            let low = (iter.next()? as char).to_digit(16)?;
            bytes.push((high * 16 + low) as u8);
        } else {
            bytes.push(byte);
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expectations from Python 3.11's `email.headerregistry`, as
    /// `packaging.metadata` 26.3 applies it (`true` = parses).
    #[test]
    fn agrees_with_python_on_the_cases_that_matter() {
        let cases: &[(&str, bool)] = &[
            ("text/markdown;", true),
            ("text/markdown; variant=", false),
            ("text/markdown; variant=CommonMark; charset=\"UTF-8\"", true),
            ("text/markdown variant=GFM", false),
            ("text/markdown; foo=bar", true),
            (" text/plain ", true),
            ("text/plain;charset=UTF-8;", true),
            ("text/markdown; charset", false),
            ("text/markdown; VARIANT=GFM", true),
            ("text/markdown ; variant = GFM", true),
            ("text/x-rst; charset=UTF-8; charset=latin1", false),
            ("text/markdown; variant*=utf-8''GFM", true),
            ("markdown", false),
            ("text / markdown", false),
            ("text/markdown; variant=GFM extra", false),
            ("text/markdown, text/plain", false),
            ("", false),
            ("text/markdown; variant='GFM'", false),
            ("text/markdown; variant=GFM;;", false),
            ("text/markdown;; variant=GFM", false),
            ("text/markdown; =x", false),
            ("text/plain\tx", false),
            ("text/markdown; variant=\"GFM\"x", false),
            ("text/markdown; variant=[GFM]", false),
            ("text/markdown; variant=G@FM", false),
            ("text/markdown/x", false),
            ("text/markdown; variant=\"G\\FM\"", true),
            ("text/markdown;charset*=utf-8''UTF%2D8", true),
        ];
        for (value, ok) in cases {
            assert_eq!(parse_content_type(value).is_ok(), *ok, "{value:?}: {:?}", parse_content_type(value));
        }
    }

    #[test]
    fn parameters_are_decoded() {
        let parsed = parse_content_type("Text/Markdown; Charset=\"utf-8\"; variant*=utf-8''Common%4Dark").unwrap();
        assert_eq!(parsed.mime_type, "text/markdown");
        assert_eq!(parsed.parameter("charset"), Some("utf-8"));
        assert_eq!(parsed.parameter("variant"), Some("CommonMark"));
    }
}
