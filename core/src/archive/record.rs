//! The wheel's `RECORD` file (PEP 376 / the binary distribution format):
//! one CSV row `path,sha256=<digest>,<size>` per member, written the way
//! flit writes it with Python's `csv.writer` (excel dialect: minimal
//! quoting, `\r\n` line endings), and the reader adaptor that computes a
//! row's hash and size while the member streams into the zip.

use std::io::{self, Read};

use base64::Engine;
use sha2::{Digest, Sha256};

/// The `RECORD` hash field of a SHA-256 digest: `sha256=` followed by the
/// URL-safe base64 of the digest without `=` padding, as the wheel
/// specification requires and flit writes.
pub fn record_hash(digest: &[u8; 32]) -> String {
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
    format!("sha256={encoded}")
}

/// Builds the text of a `RECORD` file row by row, byte-identical to
/// Python's `csv.writer(f)` with the default excel dialect: fields joined by
/// `,`, a field quoted with `"` (and inner `"` doubled) only if it contains
/// `,`, `"`, `\r` or `\n`, and each row ended by `\r\n`.
#[derive(Debug, Default, Clone)]
pub struct RecordWriter {
    text: String,
}

impl RecordWriter {
    /// An empty `RECORD`.
    pub fn new() -> Self {
        RecordWriter::default()
    }

    /// Appends the row `path,hash,size`. The `RECORD` file's own row passes
    /// empty `hash` and `size`.
    pub fn add(&mut self, path: &str, hash: &str, size: &str) {
        for (index, field) in [path, hash, size].into_iter().enumerate() {
            if index > 0 {
                self.text.push(',');
            }
            push_csv_field(&mut self.text, field);
        }
        self.text.push_str("\r\n");
    }

    /// The finished file's text.
    pub fn into_text(self) -> String {
        self.text
    }
}

/// Python's `QUOTE_MINIMAL` rule for the excel dialect: the delimiter, the
/// quote character and the characters of the line terminator force quoting.
fn push_csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// A reader that computes the SHA-256 and the length of everything read
/// through it, so a member can be streamed into the zip once while its
/// `RECORD` row is computed at the same time.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    length: u64,
}

impl<R> HashingReader<R> {
    /// Wraps `inner`; nothing has been hashed yet.
    pub fn new(inner: R) -> Self {
        HashingReader { inner, hasher: Sha256::new(), length: 0 }
    }

    /// The SHA-256 digest and the number of bytes read so far.
    pub fn finish(self) -> ([u8; 32], u64) {
        (self.hasher.finalize().into(), self.length)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        // `read` never exceeds `buf.len()` for a correct reader; `get`
        // keeps a misbehaving one from causing a panic.
        if let Some(data) = buf.get(..read) {
            self.hasher.update(data);
            self.length += read as u64;
        }
        Ok(read)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    #[test]
    fn hash_is_urlsafe_base64_without_padding() {
        // python: urlsafe_b64encode(sha256(b"").digest()).rstrip(b"=")
        let digest: [u8; 32] = Sha256::digest(b"").into();
        assert_eq!(record_hash(&digest), "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
        // A digest with bytes that use the URL-safe alphabet.
        assert_eq!(record_hash(&[0xff; 32]), "sha256=__________________________________________8");
    }

    #[test]
    fn rows_use_crlf_and_minimal_quoting() {
        let mut record = RecordWriter::new();
        record.add("pkg/__init__.py", "sha256=abc", "12");
        record.add("pkg/a,b.py", "sha256=x", "1");
        record.add("pkg/q\"uote.py", "sha256=y", "2");
        record.add("pkg/line\nbreak", "h", "3");
        record.add("pkg/cr\rx", "h", "4");
        record.add("pkg/sp ace;semi'tick", "h", "5");
        record.add("pkg-1.0.dist-info/RECORD", "", "");
        assert_eq!(
            record.into_text(),
            concat!(
                "pkg/__init__.py,sha256=abc,12\r\n",
                "\"pkg/a,b.py\",sha256=x,1\r\n",
                "\"pkg/q\"\"uote.py\",sha256=y,2\r\n",
                "\"pkg/line\nbreak\",h,3\r\n",
                "\"pkg/cr\rx\",h,4\r\n",
                "pkg/sp ace;semi'tick,h,5\r\n",
                "pkg-1.0.dist-info/RECORD,,\r\n",
            )
        );
    }

    #[test]
    fn hashing_reader_hashes_what_passes_through() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 256) as u8).collect();
        let mut reader = HashingReader::new(&data[..]);
        let mut copy = Vec::new();
        reader.read_to_end(&mut copy).unwrap();
        let (digest, length) = reader.finish();
        assert_eq!(copy, data);
        assert_eq!(length, 100_000);
        let expected: [u8; 32] = Sha256::digest(&data).into();
        assert_eq!(digest, expected);
    }
}
