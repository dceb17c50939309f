//! The line cursor of one (possibly nested) state machine, with docutils'
//! ways of cutting indented blocks out of the input
//! (`docutils.statemachine.StateMachineWS` and `StringList`).

use std::cell::Cell;
use std::rc::Rc;

use super::text::{Line, is_space};

/// A block of lines: the input of a state machine.
pub(super) type Block = Vec<Line>;

/// An indented block cut out of the input.
pub(super) struct Indented {
    /// The lines, with the indentation removed.
    pub(super) lines: Block,
    /// The 0-based absolute offset of the first line of `lines` (docutils'
    /// arithmetic can make it negative, see [`Machine::input_offset`]).
    pub(super) offset: isize,
    /// Whether the block ended with a blank line or the end of the input.
    pub(super) blank_finish: bool,
}

/// The cursor of one state machine over its input lines.
pub(super) struct Machine<'b> {
    /// The input lines.
    pub(super) lines: &'b [Line],
    /// The current line's index in `lines` (-1 before the first).
    position: isize,
    /// The 0-based absolute offset of `lines[0]`. docutils derives it by
    /// arithmetic that does not always match the lines' real positions
    /// (directive content with options removed, table cells), and it can
    /// even be negative; messages follow it, so it is kept as docutils has
    /// it.
    pub(super) input_offset: isize,
    /// What the machines of a document share.
    shared: Rc<Shared>,
    /// Whether this is the top-level machine.
    top: bool,
}

/// The state all machines of one document share.
#[derive(Default)]
pub(super) struct Shared {
    /// The top-level machine's current position (0-based, possibly -1 or
    /// past the end): docutils' reporter gives messages that carry no line
    /// the line at that position (see `Document::reporter_line`).
    pub(super) top_position: Cell<isize>,
    /// The line the most recently moved machine is on (`None` past the
    /// end): docutils gives elements appended without a line of their own
    /// this one (`document.current_line`).
    pub(super) current_line: Cell<Option<usize>>,
}

impl<'b> Machine<'b> {
    /// A machine over `lines`, whose first line has the 0-based absolute
    /// offset `input_offset`; `top` for the top-level machine.
    pub(super) fn new(lines: &'b [Line], input_offset: isize, shared: Rc<Shared>, top: bool) -> Self {
        let machine = Machine { lines, position: -1, input_offset, shared, top };
        if top {
            machine.shared.top_position.set(-1);
        }
        machine
    }

    /// docutils' observers: after each move, the current line as the input
    /// list's `info()` gives it (Python indexing: -1 is the last line, the
    /// end and beyond give nothing).
    fn sync(&self) {
        if self.top {
            self.shared.top_position.set(self.abs_line_offset());
        }
        let length = self.lines.len() as isize;
        let index = if self.position < 0 { self.position + length } else { self.position };
        let line =
            usize::try_from(index).ok().filter(|_| self.position < length).and_then(|index| self.lines.get(index));
        self.shared.current_line.set(line.map(|line| line.number));
    }

    /// The current line, if the cursor is on one.
    pub(super) fn line(&self) -> Option<&'b Line> {
        usize::try_from(self.position).ok().and_then(|index| self.lines.get(index))
    }

    /// Moves to the `n`-th next line; `None` at the end of the input (the
    /// cursor then stays past the end, as docutils' does).
    pub(super) fn next_line(&mut self, n: usize) -> Option<&'b Line> {
        self.position = self.position.saturating_add(isize::try_from(n).unwrap_or(isize::MAX));
        self.sync();
        self.line()
    }

    /// Moves back `n` lines.
    pub(super) fn previous_line(&mut self, n: usize) {
        self.position = self.position.saturating_sub(isize::try_from(n).unwrap_or(isize::MAX));
        self.sync();
    }

    /// Jumps to the line with 0-based absolute offset `offset`; `false` when
    /// that is past the end.
    pub(super) fn goto_line(&mut self, offset: isize) -> bool {
        let relative = offset - self.input_offset;
        self.position = relative;
        self.sync();
        self.line().is_some()
    }

    /// Whether the next line is blank or missing.
    pub(super) fn is_next_line_blank(&self) -> bool {
        usize::try_from(self.position + 1).ok().and_then(|index| self.lines.get(index)).is_none_or(Line::is_blank)
    }

    /// Whether the cursor is on or past the last line.
    pub(super) fn at_eof(&self) -> bool {
        self.position >= self.lines.len() as isize - 1
    }

    /// The 0-based absolute offset of the current line.
    pub(super) fn abs_line_offset(&self) -> isize {
        self.position + self.input_offset
    }

    /// The 1-based absolute number of the current line.
    pub(super) fn abs_line_number(&self) -> isize {
        self.position + self.input_offset + 1
    }

    /// The lines from the one after the current line to the end.
    pub(super) fn rest(&self) -> &'b [Line] {
        let start = usize::try_from(self.position + 1).unwrap_or(0).min(self.lines.len());
        &self.lines[start..]
    }

    /// The lines from the current line to the end.
    pub(super) fn current_and_rest(&self) -> &'b [Line] {
        let start = usize::try_from(self.position).unwrap_or(0).min(self.lines.len());
        &self.lines[start..]
    }

    /// `StringList.get_indented` from the current line, then moves to the
    /// block's last line. `first_indent` and `block_indent` as in docutils.
    fn cut_indented(
        &mut self,
        until_blank: bool,
        strip_indent: bool,
        block_indent: Option<usize>,
        first_indent: Option<usize>,
    ) -> (Block, usize, bool) {
        let start = usize::try_from(self.position).unwrap_or(0);
        let (lines, indent, blank_finish) =
            get_indented(self.lines, start, until_blank, strip_indent, block_indent, first_indent);
        (lines, indent, blank_finish)
    }

    /// `get_indented`: an indented block whose indentation is unknown.
    pub(super) fn get_indented(&mut self, until_blank: bool, strip_indent: bool) -> Indented {
        let mut offset = self.abs_line_offset();
        let (mut lines, _, blank_finish) = self.cut_indented(until_blank, strip_indent, None, None);
        if !lines.is_empty() {
            self.next_line(lines.len() - 1);
        }
        let leading = lines.iter().take_while(|line| line.is_blank()).count();
        lines.drain(..leading);
        offset += leading as isize;
        Indented { lines, offset, blank_finish }
    }

    /// `get_known_indented`: every line indented by at least `indent`.
    pub(super) fn get_known_indented(&mut self, indent: usize) -> Indented {
        let mut offset = self.abs_line_offset();
        let (mut lines, _, blank_finish) = self.cut_indented(false, true, Some(indent), None);
        self.next_line(lines.len().saturating_sub(1));
        let leading = lines.iter().take_while(|line| line.is_blank()).count();
        lines.drain(..leading);
        offset += leading as isize;
        Indented { lines, offset, blank_finish }
    }

    /// `get_first_known_indented`: the first line's indentation is known
    /// (`indent` characters, usually a marker), the rest is not.
    pub(super) fn get_first_known_indented(
        &mut self,
        indent: usize,
        until_blank: bool,
        strip_indent: bool,
        strip_top: bool,
    ) -> Indented {
        let mut offset = self.abs_line_offset();
        let (mut lines, _, blank_finish) = self.cut_indented(until_blank, strip_indent, None, Some(indent));
        self.next_line(lines.len().saturating_sub(1));
        if strip_top {
            let leading = lines.iter().take_while(|line| line.is_blank()).count();
            lines.drain(..leading);
            offset += leading as isize;
        }
        Indented { lines, offset, blank_finish }
    }

    /// `get_text_block`: the lines from the current one up to a blank line.
    /// With `flush_left`, an indented line ends the block early and is
    /// reported as `Err` with the block before it and the indented line's
    /// number. The cursor moves to the block's last line.
    pub(super) fn get_text_block(&mut self, flush_left: bool) -> Result<&'b [Line], (&'b [Line], usize)> {
        let start = usize::try_from(self.position).unwrap_or(0).min(self.lines.len());
        let mut end = start;
        while end < self.lines.len() {
            let line = &self.lines[end];
            if line.is_blank() {
                break;
            }
            if flush_left && line.at(0) == Some(' ') {
                let block = &self.lines[start..end];
                self.next_line(block.len().saturating_sub(1));
                if block.is_empty() {
                    // docutils moves back one line here (next_line(-1)).
                    self.previous_line(1);
                }
                return Err((block, line.number));
            }
            end += 1;
        }
        let block = &self.lines[start..end];
        self.next_line(block.len().saturating_sub(1));
        Ok(block)
    }
}

/// `StringList.get_indented` over `lines` from `start`: collects the
/// indented lines (stopping at the first line that is not indented enough,
/// or at a blank line with `until_blank`), strips the common indentation,
/// and says whether the block finished with a blank line or the end.
pub(super) fn get_indented(
    lines: &[Line],
    start: usize,
    until_blank: bool,
    strip_indent: bool,
    block_indent: Option<usize>,
    first_indent: Option<usize>,
) -> (Block, usize, bool) {
    let first_indent = first_indent.or(block_indent);
    let mut indent = block_indent;
    let mut end = start;
    if first_indent.is_some() {
        end += 1;
    }
    let mut blank_finish = true;
    while end < lines.len() {
        let chars = lines[end].chars();
        let insufficient = match block_indent {
            Some(block) => chars[..block.min(chars.len())].iter().any(|&c| !is_space(c)),
            None => false,
        };
        if !chars.is_empty() && (chars[0] != ' ' || insufficient) {
            blank_finish = end > start && lines[end - 1].is_blank();
            break;
        }
        let leading = chars.iter().take_while(|&&c| is_space(c)).count();
        if leading == chars.len() {
            if until_blank {
                blank_finish = true;
                break;
            }
        } else if block_indent.is_none() {
            indent = Some(indent.map_or(leading, |current| current.min(leading)));
        }
        end += 1;
    }
    let end = end.min(lines.len());
    let mut block: Block = lines[start.min(end)..end].to_vec();
    if let (Some(first), Some(line)) = (first_indent, block.first_mut()) {
        *line = line.skip(first);
    }
    let indent = indent.unwrap_or(0);
    if indent > 0 && strip_indent {
        let skip_first = usize::from(first_indent.is_some());
        for line in block.iter_mut().skip(skip_first) {
            *line = line.skip(indent);
        }
    }
    (block, indent, blank_finish)
}
