//! Character classes and small scanners shared by the parsers.
//!
//! packaging matches its tokens with Python's `re` module on `str`
//! patterns, so whitespace (`\s`, `str.strip`) and word boundaries (`\b`)
//! follow Python's Unicode rules; the helpers here reproduce them. All
//! positions are byte offsets into the input.

/// Python's `str.isspace()`, which is also what `\s` matches in a `str`
/// pattern and what `str.strip()` removes: ASCII whitespace, the
/// information separators `\x1c`–`\x1f`, and the Unicode spaces and line
/// separators (the list is short and stable, so it is spelled out rather
/// than taken from a Unicode table whose version might differ from
/// Python's).
pub(crate) fn is_python_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\x1c'..='\x1f'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// The byte range of `text` without leading and trailing Python whitespace
/// (what `str.strip()` keeps).
pub(crate) fn python_strip(text: &str) -> (usize, usize) {
    let start = text.len() - text.trim_start_matches(is_python_whitespace).len();
    let end = text.trim_end_matches(is_python_whitespace).len().max(start);
    (start, end)
}

/// Whether `c` is a word character for `\b`, counting only ASCII letters,
/// digits and `_`.
///
/// Python's `\b` also counts non-ASCII letters and digits. That never
/// changes whether an input is accepted, only which error it gets: every
/// token that may follow a name, a variable or a keyword is ASCII, and the
/// parser never looks for a name or keyword right after a non-ASCII
/// character, so a non-ASCII character next to one is an error either way.
/// Counting ASCII only keeps Unicode tables out of the core (and `fooé` is
/// then reported at the `é`, not at `foo`). The differential test holds
/// this to packaging's decisions.
pub(crate) fn is_word_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// The character at byte offset `pos`, if any.
pub(crate) fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|rest| rest.chars().next())
}

/// The character ending at byte offset `pos`, if any.
pub(crate) fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|head| head.chars().next_back())
}

/// Whether `\b` matches at `pos`: exactly one side is a word character.
/// Like Python's `pattern.match(text, pos)`, the character before `pos`
/// counts even though matching starts at `pos`.
pub(crate) fn at_word_boundary(text: &str, pos: usize) -> bool {
    char_before(text, pos).is_some_and(is_word_char) != char_at(text, pos).is_some_and(is_word_char)
}

/// The byte at `pos`, or 0 past the end (no token starts with a NUL byte,
/// so 0 never matches what the callers look for).
pub(crate) fn byte_at(text: &str, pos: usize) -> u8 {
    text.as_bytes().get(pos).copied().unwrap_or(0)
}

/// The number of ASCII digits starting at `pos`.
pub(crate) fn digits_at(text: &str, pos: usize) -> usize {
    text.as_bytes().get(pos..).map_or(0, |rest| rest.iter().take_while(|byte| byte.is_ascii_digit()).count())
}

/// The length of the run of spaces and tabs at `pos` (packaging's `WS`
/// token, `[ \t]+`; other whitespace is not skipped between tokens).
pub(crate) fn blanks_at(text: &str, pos: usize) -> usize {
    text.as_bytes().get(pos..).map_or(0, |rest| rest.iter().take_while(|&&byte| byte == b' ' || byte == b'\t').count())
}

/// The end of the lexeme starting at `pos`, for pointing at "the offending
/// part" in an error: a quoted string, a run of name-like characters, a run
/// of operator characters, or one character. At the end of the text the
/// span is empty.
pub(crate) fn lexeme_end(text: &str, pos: usize) -> usize {
    let Some(first) = char_at(text, pos) else {
        return text.len().min(pos);
    };
    let rest = &text[pos..];
    let run = |accept: fn(char) -> bool| pos + rest.find(|c: char| !accept(c)).unwrap_or(rest.len());
    match first {
        '\'' | '"' => rest[1..].find(first).map_or_else(|| run(|c| c != '\n'), |close| pos + close + 2),
        '<' | '>' | '=' | '!' | '~' => run(|c| matches!(c, '<' | '>' | '=' | '!' | '~')),
        c if is_name_like(c) => run(is_name_like),
        c => pos + c.len_utf8(),
    }
}

/// Characters that make up names, versions and URLs in error spans
/// (non-ASCII letters included, so a misspelt name is shown whole).
fn is_name_like(c: char) -> bool {
    is_word_char(c)
        || (!c.is_ascii() && !is_python_whitespace(c))
        || matches!(c, '.' | '-' | '+' | '*' | '!' | '/' | ':' | '@' | '%' | '#' | '?' | '&')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_like_python() {
        assert_eq!(python_strip("  a b \u{3000}"), (2, 5));
        assert_eq!(python_strip("\x1c\u{85}"), (3, 3));
        assert_eq!(python_strip(""), (0, 0));
        // U+200B is not whitespace for Python (it is a format character).
        assert_eq!(python_strip("\u{200b}"), (0, 3));
    }

    #[test]
    fn word_boundaries_look_behind_the_start() {
        assert!(at_word_boundary("foo bar", 4));
        assert!(!at_word_boundary("xfoo", 1));
        assert!(at_word_boundary("foo", 3));
        assert!(!at_word_boundary("foo-", 4));
        assert!(at_word_boundary("foo_", 4));
    }

    #[test]
    fn lexemes() {
        let text = "foo >=1.0x 'a b' ;";
        assert_eq!(&text[0..lexeme_end(text, 0)], "foo");
        assert_eq!(&text[4..lexeme_end(text, 4)], ">=");
        assert_eq!(&text[6..lexeme_end(text, 6)], "1.0x");
        assert_eq!(&text[11..lexeme_end(text, 11)], "'a b'");
        assert_eq!(&text[17..lexeme_end(text, 17)], ";");
        assert_eq!(lexeme_end(text, text.len()), text.len());
    }
}
