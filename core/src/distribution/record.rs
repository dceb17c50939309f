//! Reading a wheel's `RECORD`: CSV rows `path,algorithm=digest,size`, read
//! with the rules of Python's `csv.reader` (excel dialect, not strict), which
//! is what installers use.

use base64::Engine;

/// One row of `RECORD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordRow {
    /// 1-based line where the row starts.
    pub line: usize,
    /// The fields (three in a valid row).
    pub fields: Vec<String>,
}

/// Splits `text` into CSV rows. A quoted field may span lines; `""` inside
/// quotes is one `"`; after a closing quote, text up to the next comma is
/// appended (Python's non-strict behaviour). An empty line is an empty row.
pub(crate) fn parse_rows(text: &str) -> Vec<RecordRow> {
    let mut rows = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut in_quotes = false;
    let mut field_started = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => {
                    if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if !field_started => {
                in_quotes = true;
                field_started = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                field_started = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if field_started || !fields.is_empty() {
                    fields.push(std::mem::take(&mut field));
                }
                rows.push(RecordRow { line: row_line, fields: std::mem::take(&mut fields) });
                field_started = false;
                line += 1;
                row_line = line;
            }
            _ => {
                field.push(c);
                field_started = true;
            }
        }
    }
    if field_started || !fields.is_empty() || in_quotes {
        fields.push(field);
        rows.push(RecordRow { line: row_line, fields });
    }
    rows
}

/// The hash algorithms whose digests are verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    /// SHA-256, what every builder writes.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// A `RECORD` hash field, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RecordHash {
    /// Empty (allowed only for `RECORD` itself and its signatures).
    None,
    /// A digest to verify.
    Digest {
        /// Which algorithm.
        algorithm: Algorithm,
        /// The decoded digest bytes.
        digest: Vec<u8>,
    },
    /// A strong algorithm this checker does not compute (BLAKE2, SHA-3).
    Unverifiable(String),
    /// Not `algorithm=urlsafe-base64` of the right length, or a weak
    /// algorithm; the reason in words.
    Invalid(String),
}

/// Decodes a `RECORD` hash field.
pub(crate) fn parse_hash(field: &str) -> RecordHash {
    if field.is_empty() {
        return RecordHash::None;
    }
    let Some((name, encoded)) = field.split_once('=') else {
        return RecordHash::Invalid(format!("`{field}` is not `algorithm=digest`"));
    };
    let (algorithm, length) = match name {
        "sha256" => (Algorithm::Sha256, 32),
        "sha384" => (Algorithm::Sha384, 48),
        "sha512" => (Algorithm::Sha512, 64),
        "md5" | "sha1" | "sha224" => {
            return RecordHash::Invalid(format!(
                "`{name}` is too weak; the wheel specification requires sha256 or better"
            ));
        }
        "blake2b" | "blake2s" | "sha3_256" | "sha3_384" | "sha3_512" => {
            return RecordHash::Unverifiable(name.to_owned());
        }
        other => return RecordHash::Invalid(format!("`{other}` is not a known hash algorithm")),
    };
    // The specification writes the digest without `=` padding; Python's
    // decoder also accepts it padded.
    let trimmed = encoded.trim_end_matches('=');
    match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed) {
        Ok(digest) if digest.len() == length => RecordHash::Digest { algorithm, digest },
        Ok(_) => RecordHash::Invalid(format!("the {name} digest `{encoded}` has the wrong length")),
        Err(_) => RecordHash::Invalid(format!("`{encoded}` is not URL-safe base64")),
    }
}

/// A digest as `RECORD` writes it: URL-safe base64 without padding.
pub(crate) fn encode_digest(digest: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        parse_rows(text).into_iter().map(|row| row.fields).collect()
    }

    #[test]
    fn csv_rows_like_python() {
        assert_eq!(fields("a,b,c\r\nd,e,f\n"), vec![vec!["a", "b", "c"], vec!["d", "e", "f"]]);
        assert_eq!(fields("\"a,b\",\"q\"\"x\",1"), vec![vec!["a,b", "q\"x", "1"]]);
        assert_eq!(fields("\"line\nbreak\",h,3\nx,,\n"), vec![vec!["line\nbreak", "h", "3"], vec!["x", "", ""]]);
        assert_eq!(fields("a,b\n\nc"), vec![vec!["a", "b"], vec![], vec!["c"]]);
        assert_eq!(fields("a\"b,c"), vec![vec!["a\"b", "c"]]);
        let rows = parse_rows("\"a\nb\",1,2\nc,1,2\n");
        assert_eq!((rows[0].line, rows[1].line), (1, 3));
    }

    #[test]
    fn hashes() {
        assert_eq!(parse_hash(""), RecordHash::None);
        assert!(matches!(
            parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"),
            RecordHash::Digest { algorithm: Algorithm::Sha256, .. }
        ));
        assert!(matches!(parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU="), RecordHash::Digest { .. }));
        assert!(matches!(parse_hash("sha256=abc"), RecordHash::Invalid(_)));
        assert!(matches!(parse_hash("md5=abc"), RecordHash::Invalid(_)));
        assert!(matches!(parse_hash("blake2b=abc"), RecordHash::Unverifiable(_)));
        assert!(matches!(parse_hash("nohash"), RecordHash::Invalid(_)));
    }
}
