//! Python's string whitespace rules, as flit applies them to a docstring.
//!
//! Flit cleans the docstring with `inspect.cleandoc`, refuses a blank one with
//! `not s.strip()` and takes the summary from `s.lstrip().splitlines()[0]`.
//! Each of those uses Python's own definition of whitespace and of a line
//! break, which differ from Rust's (`str.isspace()` includes the separators
//! U+001C..U+001F; `splitlines` breaks on eleven characters), so they are
//! reimplemented here character for character.

/// Python's `str.isspace()` for one character.
///
/// Unicode `White_Space` (what Rust's `char::is_whitespace` tests) plus the
/// four ASCII information separators U+001C..U+001F, which CPython counts as
/// whitespace because their bidirectional class is `B` or `S`.
pub fn is_python_whitespace(character: char) -> bool {
    matches!(character, '\u{1c}'..='\u{1f}') || character.is_whitespace()
}

/// Python's `str.splitlines()` boundaries (`\r\n` is one boundary made of two).
fn is_line_boundary(character: char) -> bool {
    matches!(
        character,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Python's `str.lstrip()` with no argument.
fn lstrip(text: &str) -> &str {
    text.trim_start_matches(is_python_whitespace)
}

/// Python's `str.expandtabs(tabsize)`: the column restarts after `\n` and
/// `\r` only, and counts code points.
fn expand_tabs(text: &str, tab_size: usize) -> String {
    let mut expanded = String::with_capacity(text.len());
    let mut column = 0usize;
    for character in text.chars() {
        match character {
            '\t' => {
                let spaces = tab_size - column % tab_size;
                expanded.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' | '\r' => {
                expanded.push(character);
                column = 0;
            }
            _ => {
                expanded.push(character);
                column += 1;
            }
        }
    }
    expanded
}

/// Python 3.11's `inspect.cleandoc`, which flit applies to a docstring found
/// statically (through `ast.get_docstring`).
///
/// Exactly as CPython: tabs expanded to 8 columns, lines split on `\n` only,
/// the margin is the smallest indentation (in code points of Python
/// whitespace) of the non-blank lines after the first and is cut from every
/// one of those lines, the first line is left-stripped, and leading and
/// trailing lines that are *empty* (not merely blank) are dropped.
pub fn cleandoc(doc: &str) -> String {
    let expanded = expand_tabs(doc, 8);
    let mut lines: Vec<&str> = expanded.split('\n').collect();
    let mut margin = usize::MAX;
    for line in lines.iter().skip(1) {
        let content = lstrip(line).chars().count();
        if content > 0 {
            let indent = line.chars().count() - content;
            margin = margin.min(indent);
        }
    }
    if let Some(first) = lines.first_mut() {
        *first = lstrip(first);
    }
    if margin != usize::MAX {
        for line in lines.iter_mut().skip(1) {
            // `line[margin:]` in Python: drop `margin` code points, or all of them.
            let cut = line.char_indices().nth(margin).map_or(line.len(), |(index, _)| index);
            *line = &line[cut..];
        }
    }
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    let leading_empty = lines.iter().take_while(|line| line.is_empty()).count();
    lines[leading_empty..].join("\n")
}

/// The summary flit derives from a docstring: `doc.lstrip().splitlines()[0]`.
///
/// `None` where Python would raise `IndexError`, i.e. when the docstring is
/// empty or whitespace only. Trailing spaces on the first line are kept, as in
/// flit.
pub fn first_line(doc: &str) -> Option<String> {
    let stripped = lstrip(doc);
    if stripped.is_empty() {
        return None;
    }
    let end = stripped.find(is_line_boundary).unwrap_or(stripped.len());
    Some(stripped[..end].to_owned())
}

/// Python's `not s.strip()`: flit refuses a docstring for which this holds.
pub fn is_blank(doc: &str) -> bool {
    doc.chars().all(is_python_whitespace)
}

#[cfg(test)]
#[allow(clippy::panic, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;

    /// Every character for which CPython 3.11's `str.isspace()` is true
    /// (`[c for c in map(chr, range(0x110000)) if c.isspace()]`).
    const PYTHON_WHITESPACE: &[u32] = &[
        0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
        0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
    ];

    #[test]
    fn whitespace_is_exactly_pythons() {
        let ours: Vec<u32> = (0..=0x10ffffu32)
            .filter_map(char::from_u32)
            .filter(|&character| is_python_whitespace(character))
            .map(u32::from)
            .collect();
        assert_eq!(ours, PYTHON_WHITESPACE);
    }

    #[test]
    fn cleandoc_matches_inspect() {
        // Expected values from CPython 3.11 `inspect.cleandoc`.
        assert_eq!(cleandoc(""), "");
        assert_eq!(cleandoc("   "), "");
        assert_eq!(cleandoc("Summary."), "Summary.");
        assert_eq!(cleandoc("\n    Summary.\n\n    Body\n      indented\n    "), "Summary.\n\nBody\n  indented");
        assert_eq!(cleandoc("  First\n    second\n  third"), "First\n  second\nthird");
        assert_eq!(cleandoc("a\n\tb\n\t\tc"), "a\nb\n        c");
        assert_eq!(cleandoc("a\n  \n    b\n"), "a\n\nb");
        // Whitespace-only lines longer than the margin keep their excess, and
        // only empty lines are trimmed at the ends.
        assert_eq!(cleandoc("a\n  b\n      \n"), "a\nb\n    ");
        assert_eq!(cleandoc("\n\n  \n  x"), "x");
        // \r is not a line break for cleandoc, but it restarts tab columns.
        assert_eq!(cleandoc("a\r\tb"), "a\r        b");
        assert_eq!(cleandoc("x\n\u{3000}\u{3000}y\n\u{3000}z"), "x\n\u{3000}y\nz");
        assert_eq!(cleandoc("x\n\u{1c}y"), "x\ny");
        assert_eq!(cleandoc("\u{85}x"), "x");
        assert_eq!(cleandoc("ab\tc"), "ab      c");
    }

    #[test]
    fn first_line_matches_splitlines() {
        assert_eq!(first_line("Summary.\nMore"), Some("Summary.".into()));
        assert_eq!(first_line("  \n\n  Indented summary  \nMore"), Some("Indented summary  ".into()));
        assert_eq!(first_line("a\u{2028}b"), Some("a".into()));
        assert_eq!(first_line("a\u{1d}b"), Some("a".into()));
        assert_eq!(first_line("a\u{0b}b"), Some("a".into()));
        assert_eq!(first_line("a\r\nb"), Some("a".into()));
        assert_eq!(first_line("a\u{a0}b"), Some("a\u{a0}b".into()));
        assert_eq!(first_line("a\u{1f}b"), Some("a\u{1f}b".into()));
        assert_eq!(first_line(""), None);
        assert_eq!(first_line(" \u{3000}\n\t"), None);
    }

    #[test]
    fn blank_matches_strip() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\n\u{1f}\u{2029}"));
        assert!(!is_blank(" x "));
        assert!(!is_blank("\u{200b}"));
    }
}
