//! Characters and lines as docutils sees them: Python's notions of
//! whitespace and word characters, display widths, and the splitting of the
//! input into lines (`docutils.statemachine.string2lines`).

use std::rc::Rc;

use super::unicode;

/// Python's `str.isspace()` (and `\s` in `str` regular expressions).
pub(super) fn is_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\u{1c}'..='\u{20}' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
}

/// Whether `c` falls in one of the sorted inclusive ranges of `table`.
fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let code = u32::from(c);
    let index = table.partition_point(|&(_, end)| end < code);
    table.get(index).is_some_and(|&(start, _)| start <= code)
}

/// Python's `\w` in `str` regular expressions.
pub(super) fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    in_table(unicode::WORD, c)
}

/// `(?!_)\w`: the characters of a docutils "simplename" run.
pub(super) fn is_name_char(c: char) -> bool {
    c != '_' && is_word(c)
}

/// `unicodedata.combining(c) != 0`.
pub(super) fn is_combining(c: char) -> bool {
    !c.is_ascii() && in_table(unicode::COMBINING, c)
}

/// `docutils.utils.column_width`: wide and full-width characters count two
/// columns, combining characters none.
pub(super) fn column_width(text: &[char]) -> usize {
    text.iter()
        .map(|&c| {
            if c.is_ascii() {
                1
            } else if is_combining(c) {
                0
            } else if in_table(unicode::WIDE, c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Characters after which inline markup may start: whitespace, openers and
/// delimiters.
pub(super) fn is_start_prefix(c: char) -> bool {
    is_space(c) || in_table(unicode::START_PREFIX, c)
}

/// Characters before which inline markup may end: whitespace, the escape
/// marker, closing delimiters, delimiters and closers.
pub(super) fn is_end_suffix(c: char) -> bool {
    is_space(c) || in_table(unicode::END_SUFFIX, c)
}

/// Whether `opener` and `closer` enclose a start-string ("quoted" markup).
pub(super) fn is_quote_pair(opener: char, closer: char) -> bool {
    unicode::QUOTE_PAIRS.binary_search(&(opener, closer)).is_ok()
}

/// Python's `str.strip()` on a character slice.
pub(super) fn strip(text: &[char]) -> &[char] {
    strip_end(strip_start(text))
}

/// Python's `str.lstrip()` on a character slice.
pub(super) fn strip_start(text: &[char]) -> &[char] {
    let start = text.iter().position(|&c| !is_space(c)).unwrap_or(text.len());
    &text[start..]
}

/// Python's `str.rstrip()` on a character slice.
pub(super) fn strip_end(text: &[char]) -> &[char] {
    let end = text.iter().rposition(|&c| !is_space(c)).map_or(0, |index| index + 1);
    &text[..end]
}

/// Whether a line is blank (`not line.strip()`).
pub(super) fn is_blank(text: &[char]) -> bool {
    text.iter().all(|&c| is_space(c))
}

/// Python's `str.split()`: runs of non-whitespace.
pub(super) fn split_whitespace(text: &[char]) -> impl Iterator<Item = &[char]> {
    text.split(|&c| is_space(c)).filter(|word| !word.is_empty())
}

/// `nodes.whitespace_normalize_name`: words joined by single spaces.
pub(super) fn whitespace_normalize(text: &[char]) -> String {
    let mut out = String::new();
    for word in split_whitespace(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word);
    }
    out
}

/// `nodes.fully_normalize_name`: lower case, words joined by single spaces.
pub(super) fn normalize_name(text: &[char]) -> String {
    whitespace_normalize(text).to_lowercase()
}

/// One line of the input, or a part of one (nested blocks and table cells
/// are views into the original lines).
#[derive(Clone)]
pub(super) struct Line {
    /// The whole original line, after tab expansion and right-stripping.
    buffer: Rc<[char]>,
    /// Where this view starts in `buffer`.
    start: usize,
    /// Where this view ends in `buffer`.
    end: usize,
    /// The 1-based number of the original line.
    pub(super) number: usize,
}

impl Line {
    /// A line that is not part of the input (docutils parses the text of
    /// CSV cells as lines of their own), numbered `number`.
    pub(super) fn synthetic(text: &[char], number: usize) -> Line {
        let buffer: Rc<[char]> = Rc::from(text);
        let end = buffer.len();
        Line { buffer, start: 0, end, number }
    }

    /// The characters of this view.
    pub(super) fn chars(&self) -> &[char] {
        &self.buffer[self.start..self.end]
    }

    /// The view without its first `count` characters (all of them when
    /// shorter).
    pub(super) fn skip(&self, count: usize) -> Line {
        let start = (self.start + count).min(self.end);
        Line { buffer: Rc::clone(&self.buffer), start, end: self.end, number: self.number }
    }

    /// The sub-view `range` of this view (clamped to it).
    pub(super) fn slice(&self, from: usize, to: usize) -> Line {
        let length = self.end - self.start;
        let to = to.min(length);
        let from = from.min(to);
        Line { buffer: Rc::clone(&self.buffer), start: self.start + from, end: self.start + to, number: self.number }
    }

    /// The view without leading and trailing whitespace.
    pub(super) fn trimmed(&self) -> Line {
        let chars = self.chars();
        let leading = chars.len() - strip_start(chars).len();
        let kept = strip(chars).len();
        self.slice(leading, leading + kept)
    }

    /// Whether the view is blank.
    pub(super) fn is_blank(&self) -> bool {
        is_blank(self.chars())
    }

    /// The view's length in characters.
    pub(super) fn len(&self) -> usize {
        self.end - self.start
    }

    /// The character at `index`, if any.
    pub(super) fn at(&self, index: usize) -> Option<char> {
        self.chars().get(index).copied()
    }
}

/// Splits the input as `docutils.statemachine.string2lines` does: vertical
/// tabs and form feeds become spaces, lines end at any of Python's line
/// boundaries, tabs expand to 8 columns, and each line is right-stripped.
pub(super) fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current: Vec<char> = Vec::new();
    let mut pending_cr = false;
    let finish = |current: &mut Vec<char>, lines: &mut Vec<Line>| {
        let kept = strip_end(current).len();
        current.truncate(kept);
        let buffer: Rc<[char]> = Rc::from(current.as_slice());
        let end = buffer.len();
        lines.push(Line { buffer, start: 0, end, number: lines.len() + 1 });
        current.clear();
    };
    for c in text.chars() {
        if pending_cr {
            pending_cr = false;
            if c == '\n' {
                continue;
            }
        }
        match c {
            '\n' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                finish(&mut current, &mut lines);
            }
            '\r' => {
                finish(&mut current, &mut lines);
                pending_cr = true;
            }
            '\t' => {
                let spaces = 8 - current.len() % 8;
                current.extend(std::iter::repeat_n(' ', spaces));
            }
            '\u{b}' | '\u{c}' => current.push(' '),
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        finish(&mut current, &mut lines);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|line| line.chars().iter().collect()).collect()
    }

    #[test]
    fn splits_like_string2lines() {
        assert_eq!(texts(&split_lines("")), Vec::<String>::new());
        assert_eq!(texts(&split_lines("a\n")), ["a"]);
        assert_eq!(texts(&split_lines("a\n\n")), ["a", ""]);
        assert_eq!(texts(&split_lines("a\r\nb\rc\u{2028}d  ")), ["a", "b", "c", "d"]);
        assert_eq!(texts(&split_lines("a\tb\n\tc")), ["a       b", "        c"]);
        assert_eq!(texts(&split_lines("a\u{b}b\u{c}")), ["a b"]);
        assert_eq!(texts(&split_lines("x\u{3000}\n")), ["x"]);
        let lines = split_lines("one\ntwo");
        assert_eq!(lines[1].number, 2);
    }

    #[test]
    fn widths_and_classes() {
        assert_eq!(column_width(&['a', 'b']), 2);
        assert_eq!(column_width(&['日', '本']), 4);
        assert_eq!(column_width(&['e', '\u{301}']), 1);
        assert!(is_word('é') && is_word('_') && !is_word('-'));
        assert!(is_name_char('a') && !is_name_char('_'));
        assert!(is_start_prefix('(') && is_start_prefix(' ') && !is_start_prefix('a'));
        assert!(is_end_suffix('.') && is_end_suffix('\0') && !is_end_suffix('a'));
        assert!(is_quote_pair('(', ')') && is_quote_pair('"', '"') && !is_quote_pair('(', ']'));
        assert!(is_space('\u{1c}') && !is_space('\u{200b}'));
    }

    #[test]
    fn names() {
        let chars: Vec<char> = "  Foo   Bar\n baz ".chars().collect();
        assert_eq!(normalize_name(&chars), "foo bar baz");
        assert_eq!(whitespace_normalize(&chars), "Foo Bar baz");
    }
}
