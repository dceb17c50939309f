//! Turning a module's bytes into text exactly as CPython 3.11 does for
//! `ast.parse(bytes)` (PEP 263).
//!
//! The order of operations is CPython's (`decode_str` in its tokenizer):
//! refuse NUL bytes, turn `\r\n` and lone `\r` into `\n` on the raw bytes,
//! strip a UTF-8 byte order mark, look for a coding cookie on line 1 and,
//! only if line 1 is blank or a comment, on line 2, then decode. Two CPython
//! details matter for exactness:
//!
//! - A cookie that CPython's tokenizer normalises to `utf-8` (`utf-8`,
//!   `UTF_8`, `utf-8-sig`, anything starting `utf-8-`) and the default both
//!   leave the bytes undecoded; the tokenizer then accepts bytes that are not
//!   UTF-8 inside comments. Any other spelling (`utf8`, `u8`) runs the real
//!   codec over the whole file, which refuses them everywhere.
//! - Other names go through Python's codec registry: lower-cased, punctuation
//!   runs collapsed to `_`, then looked up among the aliases and module names
//!   of the `encodings` package.

use super::PythonSyntaxError;
use super::codec_tables::{self, ByteTable};

/// A module's text and where it holds bytes that were not UTF-8.
pub(crate) struct Decoded {
    /// The decoded text, with `\n` line endings only and no byte order mark.
    pub text: String,
    /// Offsets into `text` of U+FFFD characters that replace bytes that are
    /// not UTF-8 (with the first such byte), in the default encoding.
    /// CPython tolerates those only inside comments; the tokenizer checks.
    pub invalid_utf8: Vec<(usize, u8)>,
}

/// How the bytes become text.
#[derive(Clone, Copy)]
enum Codec {
    /// No decoding step: UTF-8, tolerated invalid inside comments.
    TokenizerUtf8,
    /// Python's `utf_8` codec over the whole file.
    StrictUtf8,
    /// Python's `latin_1`: byte b is U+00b (not windows-1252, which WHATWG
    /// calls latin1).
    Latin1,
    /// Python's `ascii`.
    Ascii,
    /// An encoding_rs decoder corrected to the Python codec.
    Table(&'static ByteTable),
}

/// Python codec module names this reader can decode.
static MODULES: &[(&str, Codec)] = &[
    ("utf_8", Codec::StrictUtf8),
    ("latin_1", Codec::Latin1),
    ("ascii", Codec::Ascii),
    ("cp1250", Codec::Table(&codec_tables::CP1250)),
    ("cp1251", Codec::Table(&codec_tables::CP1251)),
    ("cp1252", Codec::Table(&codec_tables::CP1252)),
    ("cp1253", Codec::Table(&codec_tables::CP1253)),
    ("cp1254", Codec::Table(&codec_tables::CP1254)),
    ("cp1255", Codec::Table(&codec_tables::CP1255)),
    ("cp1256", Codec::Table(&codec_tables::CP1256)),
    ("cp1257", Codec::Table(&codec_tables::CP1257)),
    ("cp1258", Codec::Table(&codec_tables::CP1258)),
    ("cp874", Codec::Table(&codec_tables::CP874)),
    ("cp866", Codec::Table(&codec_tables::CP866)),
    ("iso8859_2", Codec::Table(&codec_tables::ISO8859_2)),
    ("iso8859_3", Codec::Table(&codec_tables::ISO8859_3)),
    ("iso8859_4", Codec::Table(&codec_tables::ISO8859_4)),
    ("iso8859_5", Codec::Table(&codec_tables::ISO8859_5)),
    ("iso8859_6", Codec::Table(&codec_tables::ISO8859_6)),
    ("iso8859_7", Codec::Table(&codec_tables::ISO8859_7)),
    ("iso8859_8", Codec::Table(&codec_tables::ISO8859_8)),
    ("iso8859_9", Codec::Table(&codec_tables::ISO8859_9)),
    ("iso8859_10", Codec::Table(&codec_tables::ISO8859_10)),
    ("iso8859_11", Codec::Table(&codec_tables::ISO8859_11)),
    ("iso8859_13", Codec::Table(&codec_tables::ISO8859_13)),
    ("iso8859_14", Codec::Table(&codec_tables::ISO8859_14)),
    ("iso8859_15", Codec::Table(&codec_tables::ISO8859_15)),
    ("iso8859_16", Codec::Table(&codec_tables::ISO8859_16)),
    ("koi8_r", Codec::Table(&codec_tables::KOI8_R)),
    ("koi8_u", Codec::Table(&codec_tables::KOI8_U)),
    ("mac_roman", Codec::Table(&codec_tables::MAC_ROMAN)),
    ("mac_cyrillic", Codec::Table(&codec_tables::MAC_CYRILLIC)),
    ("shift_jis", Codec::Table(&codec_tables::SHIFT_JIS)),
    ("cp932", Codec::Table(&codec_tables::CP932)),
    ("euc_jp", Codec::Table(&codec_tables::EUC_JP)),
    ("gbk", Codec::Table(&codec_tables::GBK)),
    ("gb2312", Codec::Table(&codec_tables::GB2312)),
    ("gb18030", Codec::Table(&codec_tables::GB18030)),
    ("big5", Codec::Table(&codec_tables::BIG5)),
    ("cp950", Codec::Table(&codec_tables::CP950)),
    ("euc_kr", Codec::Table(&codec_tables::EUC_KR)),
    ("cp949", Codec::Table(&codec_tables::CP949)),
];

/// The entries of CPython 3.11's `encodings.aliases.aliases` that lead to a
/// module in [`MODULES`].
static ALIASES: &[(&str, &str)] = &[
    ("cp65001", "utf_8"),
    ("u8", "utf_8"),
    ("utf", "utf_8"),
    ("utf8", "utf_8"),
    ("utf8_ucs2", "utf_8"),
    ("utf8_ucs4", "utf_8"),
    ("8859", "latin_1"),
    ("cp819", "latin_1"),
    ("csisolatin1", "latin_1"),
    ("ibm819", "latin_1"),
    ("iso8859", "latin_1"),
    ("iso8859_1", "latin_1"),
    ("iso_8859_1", "latin_1"),
    ("iso_8859_1_1987", "latin_1"),
    ("iso_ir_100", "latin_1"),
    ("l1", "latin_1"),
    ("latin", "latin_1"),
    ("latin1", "latin_1"),
    ("646", "ascii"),
    ("ansi_x3.4_1968", "ascii"),
    ("ansi_x3.4_1986", "ascii"),
    ("ansi_x3_4_1968", "ascii"),
    ("cp367", "ascii"),
    ("csascii", "ascii"),
    ("ibm367", "ascii"),
    ("iso646_us", "ascii"),
    ("iso_646.irv_1991", "ascii"),
    ("iso_ir_6", "ascii"),
    ("us", "ascii"),
    ("us_ascii", "ascii"),
    ("1250", "cp1250"),
    ("windows_1250", "cp1250"),
    ("1251", "cp1251"),
    ("windows_1251", "cp1251"),
    ("1252", "cp1252"),
    ("windows_1252", "cp1252"),
    ("1253", "cp1253"),
    ("windows_1253", "cp1253"),
    ("1254", "cp1254"),
    ("windows_1254", "cp1254"),
    ("1255", "cp1255"),
    ("windows_1255", "cp1255"),
    ("1256", "cp1256"),
    ("windows_1256", "cp1256"),
    ("1257", "cp1257"),
    ("windows_1257", "cp1257"),
    ("1258", "cp1258"),
    ("windows_1258", "cp1258"),
    ("866", "cp866"),
    ("csibm866", "cp866"),
    ("ibm866", "cp866"),
    ("csisolatin2", "iso8859_2"),
    ("iso_8859_2", "iso8859_2"),
    ("iso_8859_2_1987", "iso8859_2"),
    ("iso_ir_101", "iso8859_2"),
    ("l2", "iso8859_2"),
    ("latin2", "iso8859_2"),
    ("csisolatin3", "iso8859_3"),
    ("iso_8859_3", "iso8859_3"),
    ("iso_8859_3_1988", "iso8859_3"),
    ("iso_ir_109", "iso8859_3"),
    ("l3", "iso8859_3"),
    ("latin3", "iso8859_3"),
    ("csisolatin4", "iso8859_4"),
    ("iso_8859_4", "iso8859_4"),
    ("iso_8859_4_1988", "iso8859_4"),
    ("iso_ir_110", "iso8859_4"),
    ("l4", "iso8859_4"),
    ("latin4", "iso8859_4"),
    ("csisolatincyrillic", "iso8859_5"),
    ("cyrillic", "iso8859_5"),
    ("iso_8859_5", "iso8859_5"),
    ("iso_8859_5_1988", "iso8859_5"),
    ("iso_ir_144", "iso8859_5"),
    ("arabic", "iso8859_6"),
    ("asmo_708", "iso8859_6"),
    ("csisolatinarabic", "iso8859_6"),
    ("ecma_114", "iso8859_6"),
    ("iso_8859_6", "iso8859_6"),
    ("iso_8859_6_1987", "iso8859_6"),
    ("iso_ir_127", "iso8859_6"),
    ("csisolatingreek", "iso8859_7"),
    ("ecma_118", "iso8859_7"),
    ("elot_928", "iso8859_7"),
    ("greek", "iso8859_7"),
    ("greek8", "iso8859_7"),
    ("iso_8859_7", "iso8859_7"),
    ("iso_8859_7_1987", "iso8859_7"),
    ("iso_ir_126", "iso8859_7"),
    ("csisolatinhebrew", "iso8859_8"),
    ("hebrew", "iso8859_8"),
    ("iso_8859_8", "iso8859_8"),
    ("iso_8859_8_1988", "iso8859_8"),
    ("iso_ir_138", "iso8859_8"),
    ("csisolatin5", "iso8859_9"),
    ("iso_8859_9", "iso8859_9"),
    ("iso_8859_9_1989", "iso8859_9"),
    ("iso_ir_148", "iso8859_9"),
    ("l5", "iso8859_9"),
    ("latin5", "iso8859_9"),
    ("csisolatin6", "iso8859_10"),
    ("iso_8859_10", "iso8859_10"),
    ("iso_8859_10_1992", "iso8859_10"),
    ("iso_ir_157", "iso8859_10"),
    ("l6", "iso8859_10"),
    ("latin6", "iso8859_10"),
    ("iso_8859_11", "iso8859_11"),
    ("iso_8859_11_2001", "iso8859_11"),
    ("thai", "iso8859_11"),
    ("iso_8859_13", "iso8859_13"),
    ("l7", "iso8859_13"),
    ("latin7", "iso8859_13"),
    ("iso_8859_14", "iso8859_14"),
    ("iso_8859_14_1998", "iso8859_14"),
    ("iso_celtic", "iso8859_14"),
    ("iso_ir_199", "iso8859_14"),
    ("l8", "iso8859_14"),
    ("latin8", "iso8859_14"),
    ("iso_8859_15", "iso8859_15"),
    ("l9", "iso8859_15"),
    ("latin9", "iso8859_15"),
    ("iso_8859_16", "iso8859_16"),
    ("iso_8859_16_2001", "iso8859_16"),
    ("iso_ir_226", "iso8859_16"),
    ("l10", "iso8859_16"),
    ("latin10", "iso8859_16"),
    ("cskoi8r", "koi8_r"),
    ("macintosh", "mac_roman"),
    ("macroman", "mac_roman"),
    ("maccyrillic", "mac_cyrillic"),
    ("csshiftjis", "shift_jis"),
    ("s_jis", "shift_jis"),
    ("shiftjis", "shift_jis"),
    ("sjis", "shift_jis"),
    ("x_mac_japanese", "shift_jis"),
    ("932", "cp932"),
    ("ms932", "cp932"),
    ("ms_kanji", "cp932"),
    ("mskanji", "cp932"),
    ("eucjp", "euc_jp"),
    ("u_jis", "euc_jp"),
    ("ujis", "euc_jp"),
    ("936", "gbk"),
    ("cp936", "gbk"),
    ("ms936", "gbk"),
    ("chinese", "gb2312"),
    ("csiso58gb231280", "gb2312"),
    ("euc_cn", "gb2312"),
    ("euccn", "gb2312"),
    ("eucgb2312_cn", "gb2312"),
    ("gb2312_1980", "gb2312"),
    ("gb2312_80", "gb2312"),
    ("iso_ir_58", "gb2312"),
    ("x_mac_simp_chinese", "gb2312"),
    ("gb18030_2000", "gb18030"),
    ("big5_tw", "big5"),
    ("csbig5", "big5"),
    ("x_mac_trad_chinese", "big5"),
    ("950", "cp950"),
    ("ms950", "cp950"),
    ("euckr", "euc_kr"),
    ("korean", "euc_kr"),
    ("ks_c_5601", "euc_kr"),
    ("ks_c_5601_1987", "euc_kr"),
    ("ks_x_1001", "euc_kr"),
    ("ksc5601", "euc_kr"),
    ("ksx1001", "euc_kr"),
    ("x_mac_korean", "euc_kr"),
    ("949", "cp949"),
    ("ms949", "cp949"),
    ("uhc", "cp949"),
];

/// The Python codec module names a coding cookie may resolve to here.
pub(crate) fn supported_codecs() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(name, _)| *name)
}

/// `encodings.normalize_encoding`: runs of characters other than ASCII
/// letters, digits and `.` become one `_`, except at either end.
fn normalize_encoding(name: &str) -> String {
    let mut normalized = String::with_capacity(name.len());
    let mut punctuation = false;
    for character in name.chars() {
        if character.is_ascii_alphanumeric() || character == '.' {
            if punctuation && !normalized.is_empty() {
                normalized.push('_');
            }
            normalized.push(character);
            punctuation = false;
        } else {
            punctuation = true;
        }
    }
    normalized
}

/// `codecs.lookup(name)` restricted to the supported codecs: `None` means
/// Python does not know the name, or it names a codec not supported here.
fn lookup_codec(name: &str) -> Option<Codec> {
    let normalized = normalize_encoding(&name.to_ascii_lowercase());
    let alias = |key: &str| ALIASES.iter().find(|(alias, _)| *alias == key).map(|(_, module)| *module);
    let aliased = alias(&normalized).or_else(|| alias(&normalized.replace('.', "_")));
    aliased
        .into_iter()
        .chain(std::iter::once(normalized.as_str()))
        .filter(|module| !module.is_empty() && !module.contains('.'))
        .find_map(|module| MODULES.iter().find(|(known, _)| *known == module).map(|(_, codec)| *codec))
}

/// What CPython's tokenizer makes of a cookie's name before anything else
/// (`get_normal_name`): only the first 12 characters count, `_` reads as `-`.
fn tokenizer_normal_name(name: &str) -> &str {
    let head: String = name
        .chars()
        .take(12)
        .map(|character| if character == '_' { '-' } else { character.to_ascii_lowercase() })
        .collect();
    if head == "utf-8" || head.starts_with("utf-8-") {
        "utf-8"
    } else if ["latin-1", "iso-8859-1", "iso-latin-1"].contains(&head.as_str())
        || ["latin-1-", "iso-8859-1-", "iso-latin-1-"].iter().any(|prefix| head.starts_with(prefix))
    {
        "iso-8859-1"
    } else {
        name
    }
}

/// A coding cookie in one line (without its `\n`), as CPython's
/// `get_coding_spec` finds it: the line is a comment (only spaces, tabs and
/// form feeds before `#`) containing `coding` then `:` or `=`, optional
/// spaces or tabs, and a name of ASCII letters, digits, `-`, `_` and `.`.
/// Returns the name and its byte offset in the line.
fn coding_cookie(line: &[u8]) -> Option<(&str, usize)> {
    let hash = line.iter().position(|&byte| !matches!(byte, b' ' | b'\t' | b'\x0c'))?;
    if line[hash] != b'#' {
        return None;
    }
    let mut search = hash;
    while let Some(found) = line[search..].windows(6).position(|window| window == b"coding") {
        let after = search + found + 6;
        search += found + 1;
        if !matches!(line.get(after), Some(b':' | b'=')) {
            continue;
        }
        let mut start = after + 1;
        while matches!(line.get(start), Some(b' ' | b'\t')) {
            start += 1;
        }
        let length = line[start..]
            .iter()
            .take_while(|&&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
            .count();
        if length > 0 {
            // The bytes are ASCII, so this never fails.
            return std::str::from_utf8(&line[start..start + length]).ok().map(|name| (name, start));
        }
    }
    None
}

/// Whether CPython keeps looking for a cookie on line 2 after line 1: only
/// when line 1 is blank or a comment.
fn is_blank_or_comment(line: &[u8]) -> bool {
    line.iter().find(|&&byte| !matches!(byte, b' ' | b'\t' | b'\x0c')).is_none_or(|&byte| byte == b'#')
}

/// Line and column (1-based; the column counts characters of the line's
/// bytes read as UTF-8, replacement characters included) of a byte offset.
pub(crate) fn byte_position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&byte| byte == b'\n').map_or(0, |index| index + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

fn error_at(bytes: &[u8], offset: usize, message: String) -> PythonSyntaxError {
    let (line, column) = byte_position(bytes, offset);
    PythonSyntaxError { message, line, column }
}

/// CPython's `translate_newlines`: `\r\n` and lone `\r` become `\n`.
fn translate_newlines(source: &[u8]) -> Vec<u8> {
    let mut translated = Vec::with_capacity(source.len());
    let mut index = 0;
    while index < source.len() {
        let byte = source[index];
        index += 1;
        if byte == b'\r' {
            translated.push(b'\n');
            if source.get(index) == Some(&b'\n') {
                index += 1;
            }
        } else {
            translated.push(byte);
        }
    }
    translated
}

/// Decodes a module's bytes as `ast.parse` would (see the module docs).
pub(crate) fn decode(source: &[u8]) -> Result<Decoded, PythonSyntaxError> {
    if let Some(position) = source.iter().position(|&byte| byte == 0) {
        let translated = translate_newlines(&source[..position]);
        return Err(error_at(&translated, translated.len(), "source code string cannot contain null bytes".into()));
    }
    let translated = translate_newlines(source);
    let (has_bom, bytes) = match translated.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (true, rest),
        None => (false, &translated[..]),
    };

    let mut lines = bytes.split(|&byte| byte == b'\n');
    let first = lines.next().unwrap_or_default();
    let second_start = first.len() + 1;
    let cookie = match coding_cookie(first) {
        Some((name, offset)) => Some((name, offset)),
        None if is_blank_or_comment(first) => {
            lines.next().and_then(coding_cookie).map(|(name, offset)| (name, second_start + offset))
        }
        None => None,
    };

    let codec = match cookie {
        None => Codec::TokenizerUtf8,
        Some((name, offset)) => {
            let normal = tokenizer_normal_name(name);
            if has_bom && normal != "utf-8" {
                return Err(error_at(bytes, offset, format!("encoding problem: {normal} with BOM")));
            }
            if normal == "utf-8" {
                Codec::TokenizerUtf8
            } else {
                lookup_codec(normal).ok_or_else(|| {
                    error_at(
                        bytes,
                        offset,
                        format!(
                            "unknown encoding: {name} (or a Python codec this static reader does not \
                             support); use UTF-8, or declare one of: {}",
                            MODULES.iter().map(|(module, _)| *module).collect::<Vec<_>>().join(", ")
                        ),
                    )
                })?
            }
        }
    };

    let undecodable = |offset: usize, codec_name: &str| {
        error_at(
            bytes,
            offset,
            format!("'{codec_name}' codec can't decode byte 0x{:02x}", bytes.get(offset).copied().unwrap_or(0)),
        )
    };
    match codec {
        Codec::TokenizerUtf8 => Ok(lossy_utf8(bytes)),
        Codec::StrictUtf8 => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Decoded { text: text.to_owned(), invalid_utf8: Vec::new() }),
            Err(error) => Err(undecodable(error.valid_up_to(), "utf-8")),
        },
        Codec::Latin1 => {
            Ok(Decoded { text: bytes.iter().map(|&byte| char::from(byte)).collect(), invalid_utf8: Vec::new() })
        }
        Codec::Ascii => match bytes.iter().position(|byte| !byte.is_ascii()) {
            Some(offset) => Err(undecodable(offset, "ascii")),
            None => {
                Ok(Decoded { text: bytes.iter().map(|&byte| char::from(byte)).collect(), invalid_utf8: Vec::new() })
            }
        },
        Codec::Table(table) => match decode_with_table(bytes, table) {
            Ok(text) => Ok(Decoded { text, invalid_utf8: Vec::new() }),
            Err(offset) => Err(undecodable(offset, table_name(table))),
        },
    }
}

fn table_name(table: &ByteTable) -> &'static str {
    MODULES
        .iter()
        .find_map(|(name, codec)| match codec {
            Codec::Table(candidate) if std::ptr::eq(*candidate, table) => Some(*name),
            _ => None,
        })
        .unwrap_or("unknown")
}

/// The default: UTF-8, with each maximal invalid sequence replaced by
/// U+FFFD and remembered for the tokenizer's comment check.
fn lossy_utf8(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    let mut invalid_utf8 = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if let Some(&first) = chunk.invalid().first() {
            invalid_utf8.push((text.len(), first));
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    Decoded { text, invalid_utf8 }
}

/// Decodes with an encoding_rs decoder corrected by `table`; `Err` carries
/// the offset of the first character Python refuses.
fn decode_with_table(bytes: &[u8], table: &ByteTable) -> Result<String, usize> {
    let mut text = String::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let lead = bytes[index];
        if lead < 0x80 {
            text.push(char::from(lead));
            index += 1;
            continue;
        }
        let length = match table.classes[usize::from(lead - 0x80)] {
            b'1' => 1,
            b'2' => 2,
            b'3' => 3,
            b'4' if bytes.get(index + 1).is_some_and(u8::is_ascii_digit) => 4,
            b'4' => 2,
            _ => return Err(index),
        };
        let character = bytes.get(index..index + length).ok_or(index)?;
        let code = character.iter().fold(0u32, |code, &byte| (code << 8) | u32::from(byte));
        if let Ok(found) = table.remap.binary_search_by_key(&code, |(key, _)| *key) {
            text.push_str(table.remap[found].1);
        } else {
            let rejected = table
                .reject
                .binary_search_by(|(start, end)| {
                    if *end < code {
                        std::cmp::Ordering::Less
                    } else if *start > code {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok();
            if rejected {
                return Err(index);
            }
            let decoded = table.encoding.decode_without_bom_handling_and_without_replacement(character).ok_or(index)?;
            text.push_str(&decoded);
        }
        index += length;
    }
    Ok(text)
}

#[cfg(test)]
#[allow(clippy::panic, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    fn text(source: &[u8]) -> String {
        match decode(source) {
            Ok(decoded) => decoded.text,
            Err(error) => panic!("{source:?}: {error:?}"),
        }
    }

    fn error(source: &[u8]) -> PythonSyntaxError {
        match decode(source) {
            Ok(decoded) => panic!("{source:?} decoded to {:?}", decoded.text),
            Err(error) => error,
        }
    }

    #[test]
    fn default_is_utf8_and_newlines_are_translated() {
        assert_eq!(text(b"x = '\xc3\xa9'\r\ny\rz\n"), "x = 'é'\ny\nz\n");
        assert_eq!(text(b"\xef\xbb\xbfx"), "x");
        let decoded = decode(b"# \xff\xfe\nx = 1 # \xed\xa0\x80\n").map_err(|error| error.message);
        let decoded = decoded.as_ref().map(|decoded| decoded.invalid_utf8.clone());
        assert_eq!(decoded, Ok(vec![(2, 0xff), (5, 0xfe), (17, 0xed), (20, 0xa0), (23, 0x80)]));
    }

    #[test]
    fn nul_bytes_are_refused() {
        let error = error(b"x = 1\r\ny = 2\0");
        assert_eq!((error.line, error.column), (2, 6));
        assert!(error.message.contains("null bytes"));
    }

    #[test]
    fn cookies() {
        assert_eq!(text(b"# -*- coding: latin-1 -*-\nx = '\xe9'"), "# -*- coding: latin-1 -*-\nx = 'é'");
        assert_eq!(
            text(b"#!/usr/bin/python\n# vim: set fileencoding=iso-8859-15 :\n'\xa4'").chars().last(),
            Some('\'')
        );
        assert!(text(b"#!/usr/bin/python\n# vim: set fileencoding=iso-8859-15 :\n'\xa4'").contains('€'));
        assert!(text(b"  \x0c # coding=cp1252\n'\x80'").contains('€'));
        assert!(text(b"\n# coding: koi8-r\n'\xc1'").contains('а'));
        // The cookie is ignored (so the text stays UTF-8, here invalid) when:
        let ignored = |source: &[u8]| decode(source).is_ok_and(|decoded| decoded.invalid_utf8.len() == 1);
        // it is on line 2 after a line 1 that is not blank or a comment,
        assert!(ignored(b"x = 1\n# coding: latin-1\n'\xe9'"));
        // it is on line 3,
        assert!(ignored(b"#\n#\n# coding: latin-1\n'\xe9'"));
        // it is in a comment after code,
        assert!(ignored(b"x = 1 # coding: latin-1\n'\xe9'"));
        // `coding` is not directly followed by : or =.
        assert!(ignored(b"# coding latin-1\n'\xe9'"));
        assert!(!ignored(b"\n# coding: latin-1\n'\xe9'"));
        assert!(text(b"# coding is: coding=latin-1\n'\xe9'").contains('é'));
        assert!(text(b"# coding: \n# coding=latin-1\n'\xe9'").contains('é'));
        assert!(text(b"# coding:  \t latin-1 \n'\xe9'").contains('é'));
        assert!(error(b"# xcoding: coding=latin-1\n").message.starts_with("unknown encoding: coding "));
        // latin-1 means ISO-8859-1 (0x80 is U+0080), not windows-1252.
        assert_eq!(text(b"# coding: latin1\n\x80").chars().last(), Some('\u{80}'));
        assert_eq!(text(b"# coding: ISO_8859-1\n\x80").chars().last(), Some('\u{80}'));
        assert_eq!(text(b"# coding: l1\n\x80").chars().last(), Some('\u{80}'));
        assert_eq!(text(b"# coding: cp1252\n\x80").chars().last(), Some('€'));
        // cp1252 leaves 0x81 undefined, unlike WHATWG windows-1252.
        assert!(error(b"# coding: cp1252\n\x81").message.contains("cp1252"));
    }

    #[test]
    fn utf8_spellings() {
        // Spellings the tokenizer normalises to utf-8 tolerate bad bytes in comments ...
        for cookie in ["utf-8", "UTF-8", "utf_8", "utf-8-sig", "UTF-8-whatever"] {
            let source = format!("# coding: {cookie}\n# \u{e9}\n").into_bytes();
            let mut source = source.clone();
            source.push(0xff);
            assert_eq!(decode(&source).map(|decoded| decoded.invalid_utf8.len()), Ok(1), "{cookie}");
        }
        // ... other spellings of the same codec decode the whole file strictly.
        for cookie in ["utf8", "U8", "cp65001", "utf"] {
            let source = [format!("# coding: {cookie}\n# ").as_bytes(), b"\xff\n"].concat();
            assert!(error(&source).message.contains("utf-8"), "{cookie}");
            assert!(text(format!("# coding: {cookie}\n'é'").as_bytes()).ends_with("'é'"), "{cookie}");
        }
    }

    #[test]
    fn byte_order_mark() {
        assert_eq!(text(b"\xef\xbb\xbf# coding: utf-8\nx"), "# coding: utf-8\nx");
        assert_eq!(text(b"\xef\xbb\xbf# coding: UTF_8\nx"), "# coding: UTF_8\nx");
        assert_eq!(text(b"\xef\xbb\xbf#!python\n# coding: utf-8-sig\nx"), "#!python\n# coding: utf-8-sig\nx");
        assert_eq!(error(b"\xef\xbb\xbf# coding: utf8\nx").message, "encoding problem: utf8 with BOM");
        assert_eq!(error(b"\xef\xbb\xbf# coding: latin-1\nx").message, "encoding problem: iso-8859-1 with BOM");
        // A partial mark is just bytes that are not UTF-8.
        assert_eq!(decode(b"\xef\xbbx").map(|decoded| decoded.invalid_utf8.len()), Ok(1));
    }

    #[test]
    fn unknown_encodings() {
        for name in ["foo", "utf-16", "rot13", "utf.8", "latin.1", "cp-1252"] {
            let error = error(format!("# coding: {name}\nx = 1\n").as_bytes());
            assert!(error.message.starts_with(&format!("unknown encoding: {name}")), "{}", error.message);
            assert_eq!((error.line, error.column), (1, 11));
        }
        let error = error(b"#!/bin/python\n#   coding=nope\n");
        assert_eq!((error.line, error.column), (2, 12));
    }

    #[test]
    fn codec_names_resolve_like_codecs_lookup() {
        // Expected results from CPython 3.11 codecs.lookup(name).name.
        let resolves = |name: &str, module: &str| {
            let codec = lookup_codec(name);
            let found = MODULES.iter().find(|(_, candidate)| match (candidate, codec) {
                (Codec::Table(a), Some(Codec::Table(b))) => std::ptr::eq(*a, b),
                (Codec::StrictUtf8, Some(Codec::StrictUtf8))
                | (Codec::Latin1, Some(Codec::Latin1))
                | (Codec::Ascii, Some(Codec::Ascii)) => true,
                _ => false,
            });
            assert_eq!(found.map(|(name, _)| *name), Some(module), "{name}");
        };
        resolves("UTF8", "utf_8");
        resolves("utf--8", "utf_8");
        resolves("_utf8", "utf_8");
        resolves("ISO_8859-15", "iso8859_15");
        resolves("Cp1252", "cp1252");
        resolves("WINDOWS_1252", "cp1252");
        resolves("sjis", "shift_jis");
        resolves("Shift-JIS", "shift_jis");
        resolves("8859", "latin_1");
        resolves("US-ASCII", "ascii");
        resolves("us.ascii", "ascii");
        resolves("ansi_x3.4_1968", "ascii");
        resolves("macintosh", "mac_roman");
        resolves("big5-tw", "big5");
        resolves("cp936", "gbk");
        for unknown in ["utf.8", "latin.1", "iso8859.15", "koi8.r", "cp-1252", "x-mac-cyrillic", "utf_8.", "", "_"] {
            assert!(lookup_codec(unknown).is_none(), "{unknown}");
        }
    }

    #[test]
    fn tables_correct_encoding_rs() {
        // shift_jis 0x8160 is WAVE DASH in Python, FULLWIDTH TILDE in WHATWG.
        assert!(text(b"# coding: shift_jis\n'\x81\x60'").contains('\u{301c}'));
        assert!(text(b"# coding: cp932\n'\x81\x60'").contains('\u{ff5e}'));
        // NEC row 13 exists in cp932 only.
        assert!(text(b"# coding: cp932\n'\x87\x40'").contains('\u{2460}'));
        assert!(error(b"# coding: shift_jis\n'\x87\x40'").message.contains("shift_jis"));
        assert!(text(b"# coding: cp932\n'\xa0'").contains('\u{f8f0}'));
        assert!(text(b"# coding: koi8_u\n'\xae'").contains('\u{255d}'));
        assert!(text(b"# coding: latin5\n'\x80\xd0'").contains("\u{80}\u{11e}"));
        assert!(text(b"# coding: euc-jp\n'\xa4\xa2\x8f\xb0\xa1'").contains("\u{3042}\u{4e02}"));
        assert!(text(b"# coding: gb18030\n'\x81\x30\x81\x30\x95\x32\x82\x36'").contains("\u{80}\u{20000}"));
        assert!(error(b"# coding: gb18030\n'\x80'").message.contains("gb18030"));
        assert!(error(b"# coding: gbk\n'\x81'").message.contains("gbk"));
        assert!(text(b"# coding: big5\n'\xa4\x40'").contains('\u{4e00}'));
        assert!(text(b"# coding: euc_kr\n'\xb0\xa1'").contains('\u{ac00}'));
        let error = error(b"# coding: shift_jis\nx = 1\nab'\x87\x40'");
        assert_eq!((error.line, error.column), (3, 4));
    }

    #[test]
    fn every_table_is_sorted() {
        for (name, codec) in MODULES {
            if let Codec::Table(table) = codec {
                assert!(table.remap.windows(2).all(|pair| pair[0].0 < pair[1].0), "{name}");
                assert!(table.reject.windows(2).all(|pair| pair[0].1 < pair[1].0), "{name}");
                assert!(table.reject.iter().all(|(start, end)| start <= end), "{name}");
            }
        }
        for (alias, module) in ALIASES {
            assert!(MODULES.iter().any(|(name, _)| name == module), "{alias}");
        }
    }
}
