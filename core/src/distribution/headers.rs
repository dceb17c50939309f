//! The RFC 822 header format of `METADATA`, `PKG-INFO` and `WHEEL`, read the
//! way Python's `email.parser` reads it with the `compat32` policy (which is
//! what `packaging.metadata` and pip use), but keeping where every field is.
//!
//! The rules that matter, all from CPython's `email.feedparser`:
//! - lines end with `\r\n`, `\r` or `\n`;
//! - a header line is `Name: value` where the name is printable ASCII other
//!   than `:` (no spaces); a line starting with a space or tab continues the
//!   previous field;
//! - the first empty line ends the headers and is dropped; a line that is
//!   neither a header, a continuation nor empty also ends them, but is kept as
//!   the first line of the body (Python notes a defect; here it is a problem);
//! - a field's value is the rest of its first line without leading spaces
//!   and tabs, followed by its continuation lines verbatim (line breaks and
//!   indentation included), without trailing `\r` and `\n`.

use crate::diagnostic::Span;

/// One line of a text: `[start, end)` is its content, `[end, next)` its line
/// break (empty for a last line without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

/// Splits `text` into lines at `\r\n`, `\r` and `\n` (the email parser's
/// line breaks; Python's other line boundaries such as `\x0c` are content).
pub(crate) fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'\n' => {
                lines.push(Line { start, end: index, next: index + 1 });
                index += 1;
                start = index;
            }
            b'\r' => {
                let next = if bytes.get(index + 1) == Some(&b'\n') { index + 2 } else { index + 1 };
                lines.push(Line { start, end: index, next });
                index = next;
                start = index;
            }
            _ => index += 1,
        }
    }
    if start < bytes.len() {
        lines.push(Line { start, end: bytes.len(), next: bytes.len() });
    }
    lines
}

/// One field of the header block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderField {
    /// The name as written (`Home-page`).
    pub name: String,
    /// The value as Python's `compat32` policy gives it (see the module
    /// documentation): continuation lines keep their line breaks.
    pub value: String,
    /// The name, for pointing at the field itself.
    pub name_span: Span,
    /// The value, from its first character to the end of its last line.
    pub value_span: Span,
    /// Index (0-based) of the field's first line in [`split_lines`].
    pub first_line: usize,
    /// Index of its last line.
    pub last_line: usize,
}

/// A problem with the shape of the header block (not with a field's value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderDefect {
    /// The offending line.
    pub span: Span,
    /// What is wrong with it.
    pub message: String,
}

/// A parsed message: the fields, where the body starts, and the defects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Message {
    /// Every field, in file order.
    pub fields: Vec<HeaderField>,
    /// Byte offset where the body starts (the text's length if there is
    /// none).
    pub body_start: usize,
    /// Index of the body's first line (the number of lines if there is none).
    pub body_first_line: usize,
    /// Lines that are not fields.
    pub defects: Vec<HeaderDefect>,
}

/// Where the name of a header line ends: the index of its `:` when every
/// byte before it is printable ASCII other than `:`, as `headerRE` requires.
fn header_name_end(content: &str) -> Option<usize> {
    for (index, byte) in content.bytes().enumerate() {
        if byte == b':' {
            return Some(index);
        }
        if !(0x21..=0x7e).contains(&byte) {
            return None;
        }
    }
    None
}

/// Parses the header block of `text` and finds its body.
pub(crate) fn parse_message(text: &str) -> Message {
    let lines = split_lines(text);
    let mut message = Message { body_start: text.len(), body_first_line: lines.len(), ..Message::default() };
    // The field being collected: its name end, and its lines.
    let mut current: Option<(usize, usize, usize)> = None; // (first line, last line, colon offset)
    // After a line that is not a field, its continuation lines belong to it.
    let mut in_defect = false;
    let finish = |current: &mut Option<(usize, usize, usize)>, fields: &mut Vec<HeaderField>| {
        if let Some((first, last, colon)) = current.take() {
            fields.push(build_field(text, &lines, first, last, colon));
        }
    };
    for (index, line) in lines.iter().enumerate() {
        let content = text.get(line.start..line.end).unwrap_or_default();
        let span = Span { start: line.start, end: line.end };
        if content.is_empty() {
            // A blank line (or the end of the text) ends the headers.
            finish(&mut current, &mut message.fields);
            message.body_start = line.next;
            message.body_first_line = index + 1;
            return message;
        }
        if content.starts_with([' ', '\t']) {
            match current.as_mut() {
                Some((_, last, _)) => *last = index,
                None if in_defect => {}
                None => message.defects.push(HeaderDefect {
                    span,
                    message: "this line is indented, so it continues a field, but there is no field before it"
                        .to_owned(),
                }),
            }
            continue;
        }
        finish(&mut current, &mut message.fields);
        in_defect = false;
        if content.starts_with("From ") {
            // Python takes a first `From ` line for an mbox envelope and
            // ignores any other; neither belongs in core metadata.
            message.defects.push(HeaderDefect {
                span,
                message: "a line starting with `From ` is not a `Name: value` field".to_owned(),
            });
            in_defect = true;
            continue;
        }
        match header_name_end(content) {
            Some(0) => {
                message.defects.push(HeaderDefect { span, message: "the field has no name before `:`".to_owned() });
                in_defect = true;
            }
            Some(colon) => current = Some((index, index, line.start + colon)),
            None => {
                // Python ends the headers here and makes this line the first
                // line of the body.
                message.defects.push(HeaderDefect {
                    span,
                    message: "this line is not a `Name: value` field, and no empty line separates it from the \
                              fields above, so everything from here on is read as the description"
                        .to_owned(),
                });
                message.body_start = line.start;
                message.body_first_line = index;
                return message;
            }
        }
    }
    finish(&mut current, &mut message.fields);
    message
}

fn build_field(text: &str, lines: &[Line], first: usize, last: usize, colon: usize) -> HeaderField {
    let first_line = lines.get(first).copied().unwrap_or(Line { start: 0, end: 0, next: 0 });
    let last_line = lines.get(last).copied().unwrap_or(first_line);
    let name = text.get(first_line.start..colon).unwrap_or_default();
    let after_colon = text.get(colon + 1..first_line.end).unwrap_or_default();
    let stripped = after_colon.trim_start_matches([' ', '\t']);
    let value_start = first_line.end - stripped.len();
    // `value.lstrip(' \t') + ''.join(continuation lines)`, then
    // `.rstrip('\r\n')`: everything from the value's start to the end of
    // the last line, with trailing line-break characters removed.
    let raw = text.get(value_start..last_line.next).unwrap_or_default();
    let value = raw.trim_end_matches(['\r', '\n']);
    HeaderField {
        name: name.to_owned(),
        value: value.to_owned(),
        name_span: Span { start: first_line.start, end: colon },
        value_span: Span { start: value_start, end: last_line.end.max(value_start) },
        first_line: first,
        last_line: last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_at_every_email_line_break() {
        let text = "a\r\nb\rc\nd";
        let lines: Vec<&str> = split_lines(text).iter().map(|line| &text[line.start..line.end]).collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert!(split_lines("").is_empty());
        assert_eq!(split_lines("\n\n").len(), 2);
    }

    #[test]
    fn values_keep_continuation_lines_like_compat32() {
        let message = parse_message("Summary:  a\n  b\r\nName:\tx \n\nbody\n");
        assert_eq!(message.fields.len(), 2);
        assert_eq!(message.fields[0].value, "a\n  b");
        assert_eq!(message.fields[0].last_line, 1);
        assert_eq!(message.fields[1].value, "x ");
        assert_eq!(message.body_start, "Summary:  a\n  b\r\nName:\tx \n\n".len());
        assert!(message.defects.is_empty());
    }

    #[test]
    fn a_line_that_is_not_a_field_starts_the_body() {
        let text = "Name: a\ngarbage line\nVersion: 1\n";
        let message = parse_message(text);
        assert_eq!(message.fields.len(), 1);
        assert_eq!(&text[message.body_start..], "garbage line\nVersion: 1\n");
        assert_eq!(message.defects.len(), 1);
    }

    #[test]
    fn nameless_and_orphan_lines_are_defects() {
        let message = parse_message(" orphan\n: x\n  more\nName: a\n");
        assert_eq!(message.defects.len(), 2);
        assert_eq!(message.fields.len(), 1);
        assert_eq!(message.fields[0].value, "a");
    }

    #[test]
    fn no_body_without_a_blank_line() {
        let message = parse_message("Name: a");
        assert_eq!(message.fields[0].value, "a");
        assert_eq!(message.body_start, 7);
    }
}
