//! Grid and simple tables (`Body.isolate_grid_table`,
//! `Body.isolate_simple_table` and `docutils.parsers.rst.tableparser`):
//! finding the table's lines, checking its borders and structure, and
//! parsing each cell's content.

use std::collections::BTreeMap;

use super::RstLevel;
use super::body::{Parser, Run, is_grid_head_separator, is_grid_table_top, is_simple_table_border};
use super::document::Kind;
use super::machine::Machine;
use super::text::{Line, is_combining, is_space};

/// A table line with docutils' padding: each wide character is followed by
/// a pad, so that columns line up; pads remember nothing, real characters
/// their index in the line.
struct Padded {
    chars: Vec<char>,
    origin: Vec<Option<usize>>,
    line: Line,
}

/// The pad character (docutils uses NUL).
const PAD: char = '\0';

impl Padded {
    fn new(line: &Line) -> Self {
        let mut chars = Vec::with_capacity(line.len());
        let mut origin = Vec::with_capacity(line.len());
        for (index, &c) in line.chars().iter().enumerate() {
            chars.push(c);
            origin.push(Some(index));
            if super::text::column_width(&[c]) == 2 && !is_combining(c) {
                chars.push(PAD);
                origin.push(None);
            }
        }
        Padded { chars, origin, line: line.clone() }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// The length without combining characters.
    fn width(&self) -> usize {
        self.chars.iter().filter(|&&c| !is_combining(c)).count()
    }

    /// `strip_combining_chars`.
    fn without_combining(&self) -> Vec<char> {
        self.chars.iter().copied().filter(|&c| !is_combining(c)).collect()
    }

    /// The original text of the padded range `from..to` (pads dropped), as
    /// a view of the line.
    fn view(&self, from: usize, to: usize) -> Line {
        let from = from.min(self.len());
        let to = to.min(self.len()).max(from);
        let first = self.origin[from..to].iter().flatten().next().copied();
        let last = self.origin[from..to].iter().flatten().last().copied();
        match (first, last) {
            (Some(first), Some(last)) => self.line.slice(first, last + 1),
            _ => self.line.slice(0, 0),
        }
    }

    /// `get_2D_block` for one line: the columns `left..right` (skipping
    /// combining characters), right-stripped; returns the padded range.
    fn columns(&self, left: usize, right: usize) -> (usize, usize) {
        let indices: Vec<usize> = (0..self.len()).filter(|&index| !is_combining(self.chars[index])).collect();
        let left_index = indices.get(left).copied().unwrap_or(left);
        let right_index = indices.get(right).copied().unwrap_or(self.len());
        let left_index = left_index.min(self.len());
        let right_index = right_index.min(self.len()).max(left_index);
        let mut end = right_index;
        while end > left_index && is_space(self.chars[end - 1]) {
            end -= 1;
        }
        (left_index, end)
    }
}

/// `get_2D_block`: the cell `top..bottom` x `left..right` of `rows`, with
/// the common indentation removed.
fn cell_block(rows: &[Padded], top: usize, left: usize, bottom: usize, right: usize) -> Vec<Line> {
    let ranges: Vec<(usize, usize)> = rows[top..bottom].iter().map(|row| row.columns(left, right)).collect();
    let mut indent = right;
    for (row, &(from, to)) in rows[top..bottom].iter().zip(&ranges) {
        if to > from {
            let leading = row.chars[from..to].iter().take_while(|&&c| is_space(c)).count();
            indent = indent.min(leading);
        }
    }
    let strip = indent > 0 && indent < right;
    rows[top..bottom]
        .iter()
        .zip(&ranges)
        .map(|(row, &(from, to))| {
            let from = if strip { (from + indent).min(to) } else { from };
            row.view(from, to)
        })
        .collect()
}

/// A parsed table: its column count and its cells (the row offset in the
/// table and the content lines).
struct TableData {
    columns: usize,
    cells: Vec<(usize, Vec<Line>)>,
}

/// A table markup error: the message and its line offset in the table.
type TableError = (String, usize);

/// `find_head_body_sep`: the row index of the head/body separator.
fn head_body_separator(
    lines: &[Vec<char>],
    is_separator: impl Fn(&[char]) -> bool,
) -> Result<Option<usize>, TableError> {
    let mut found: Option<usize> = None;
    for (index, line) in lines.iter().enumerate() {
        if is_separator(line) {
            if let Some(first) = found.filter(|&first| first > 0) {
                return Err((
                    format!(
                        "Multiple head/body row separators (table lines {} and {}); only one allowed.",
                        first + 1,
                        index + 1
                    ),
                    index,
                ));
            }
            found = Some(index);
        }
    }
    let last = lines.len().saturating_sub(1);
    if found == Some(0) || found == Some(last) {
        return Err(("The head/body row separator may not be the first or last line of the table.".to_owned(), last));
    }
    Ok(found)
}

/// `GridTableParser.parse`.
fn parse_grid(rows: &[Padded]) -> Result<TableData, TableError> {
    let mut lines: Vec<Vec<char>> = rows.iter().map(Padded::without_combining).collect();
    if let Some(separator) = head_body_separator(&lines, is_grid_head_separator)? {
        for c in &mut lines[separator] {
            if *c == '=' {
                *c = '-';
            }
        }
    }
    let bottom = lines.len() - 1;
    let right = lines[0].len().saturating_sub(1);
    let mut done: Vec<isize> = vec![-1; lines[0].len()];
    let mut row_separators: BTreeMap<usize, ()> = BTreeMap::from([(0, ())]);
    let mut column_separators: BTreeMap<usize, ()> = BTreeMap::from([(0, ())]);
    let mut corners: Vec<(usize, usize)> = vec![(0, 0)];
    let mut cells: Vec<(usize, usize, usize, usize)> = Vec::new();
    let at = |row: usize, column: usize| lines.get(row).and_then(|line| line.get(column)).copied().unwrap_or(' ');
    let mut guard = 0usize;
    while !corners.is_empty() {
        guard += 1;
        if guard > 1_000_000 {
            return Err(("Malformed table; parse incomplete.".to_owned(), 0));
        }
        let (top, left) = corners.remove(0);
        if top == bottom || left == right || (top as isize) <= done.get(left).copied().unwrap_or(isize::MAX) {
            continue;
        }
        // scan_cell: right along the top, down, left along the bottom, up.
        let Some(found) = scan_cell(&at, top, left, bottom, right) else { continue };
        let (cell_bottom, cell_right, rows_seen, columns_seen) = found;
        for row in rows_seen {
            row_separators.insert(row, ());
        }
        for column in columns_seen {
            column_separators.insert(column, ());
        }
        for column in left..cell_right {
            if let Some(slot) = done.get_mut(column) {
                *slot = cell_bottom as isize - 1;
            }
        }
        cells.push((top, left, cell_bottom, cell_right));
        corners.push((top, cell_right));
        corners.push((cell_bottom, left));
        corners.sort_unstable();
    }
    let last = bottom as isize - 1;
    if (0..right).any(|column| done.get(column).copied() != Some(last)) {
        return Err(("Malformed table; parse incomplete.".to_owned(), 0));
    }
    let columns = column_separators.len().saturating_sub(1);
    let cells = cells
        .into_iter()
        .map(|(top, left, cell_bottom, cell_right)| {
            (top + 1, cell_block(rows, top + 1, left + 1, cell_bottom, cell_right))
        })
        .collect();
    Ok(TableData { columns, cells })
}

/// Traces one grid table cell from its top-left corner: its bottom and
/// right, and the row and column separators seen.
type Cell = (usize, usize, Vec<usize>, Vec<usize>);

fn scan_cell(at: &impl Fn(usize, usize) -> char, top: usize, left: usize, bottom: usize, right: usize) -> Option<Cell> {
    let mut columns = Vec::new();
    for i in left + 1..=right {
        match at(top, i) {
            '+' => {
                columns.push(i);
                if let Some((cell_bottom, rows, more_columns)) = scan_down(at, top, left, i, bottom) {
                    columns.extend(more_columns);
                    return Some((cell_bottom, i, rows, columns));
                }
            }
            '-' => {}
            _ => return None,
        }
    }
    None
}

fn scan_down(
    at: &impl Fn(usize, usize) -> char,
    top: usize,
    left: usize,
    right: usize,
    bottom: usize,
) -> Option<(usize, Vec<usize>, Vec<usize>)> {
    let mut rows = Vec::new();
    for i in top + 1..=bottom {
        match at(i, right) {
            '+' => {
                rows.push(i);
                if let Some((more_rows, columns)) = scan_left(at, top, left, i, right) {
                    rows.extend(more_rows);
                    return Some((i, rows, columns));
                }
            }
            '|' => {}
            _ => return None,
        }
    }
    None
}

fn scan_left(
    at: &impl Fn(usize, usize) -> char,
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut columns = Vec::new();
    for i in (left + 1..right).rev() {
        match at(bottom, i) {
            '+' => columns.push(i),
            '-' => {}
            _ => return None,
        }
    }
    if at(bottom, left) != '+' {
        return None;
    }
    let mut rows = Vec::new();
    for i in (top + 1..bottom).rev() {
        match at(i, left) {
            '+' => rows.push(i),
            '|' => {}
            _ => return None,
        }
    }
    Some((rows, columns))
}

/// `SimpleTableParser.parse`.
fn parse_simple(rows: &[Padded]) -> Result<TableData, TableError> {
    let mut lines: Vec<Vec<char>> = rows.iter().map(|row| row.chars.clone()).collect();
    let last = lines.len() - 1;
    for index in [0, last] {
        for c in &mut lines[index] {
            if *c == '=' {
                *c = '-';
            }
        }
    }
    if let Some(separator) = head_body_separator(&lines, is_simple_table_border)? {
        for c in &mut lines[separator] {
            if *c == '=' {
                *c = '-';
            }
        }
    }
    let mut parser = SimpleTable { lines: &lines, rows, columns: Vec::new(), border_end: 0, cells: Vec::new() };
    parser.columns = parser.parse_columns(&lines[0], 0)?;
    parser.border_end = parser.columns.last().map_or(0, |&(_, end)| end);
    let (first_start, first_end) = parser.columns.first().copied().unwrap_or((0, 0));
    let is_span = |line: &[char]| line.first() == Some(&'-') && line.iter().all(|&c| c == '-' || c == ' ');
    let mut offset = 1;
    let mut start = 1;
    let mut text_found = false;
    while offset < lines.len() {
        let line = &lines[offset];
        if is_span(line) {
            let span: Vec<char> = super::text::strip_end(line).to_vec();
            parser.parse_row(start, offset, Some((span, offset)))?;
            start = offset + 1;
            text_found = false;
        } else if line
            .get(first_start..first_end.min(line.len()))
            .is_some_and(|part| part.iter().any(|&c| !is_space(c)))
        {
            if text_found && offset != start {
                parser.parse_row(start, offset, None)?;
            }
            start = offset;
            text_found = true;
        } else if !text_found {
            start = offset + 1;
        }
        offset += 1;
    }
    let columns = parser.columns.len();
    Ok(TableData { columns, cells: parser.cells })
}

/// The state of `SimpleTableParser`.
struct SimpleTable<'a> {
    lines: &'a [Vec<char>],
    rows: &'a [Padded],
    columns: Vec<(usize, usize)>,
    border_end: usize,
    cells: Vec<(usize, Vec<Line>)>,
}

impl SimpleTable<'_> {
    /// `parse_columns`: the column ranges of a border or span line.
    fn parse_columns(&self, line: &[char], offset: usize) -> Result<Vec<(usize, usize)>, TableError> {
        let mut columns = Vec::new();
        let mut end = 0;
        while let Some(begin) = (end..line.len()).find(|&index| line[index] == '-') {
            end = (begin..line.len()).find(|&index| line[index] == ' ').unwrap_or(line.len());
            columns.push((begin, end));
        }
        if !self.columns.is_empty() {
            let last_end = columns.last().map(|&(_, end)| end);
            if last_end != Some(self.border_end) {
                return Err((format!("Column span incomplete in table line {}.", offset + 1), offset));
            }
            if let (Some(last), Some(main)) = (columns.last_mut(), self.columns.last()) {
                last.1 = main.1;
            }
        }
        Ok(columns)
    }

    /// `parse_row`: the row made of lines `start..end`.
    fn parse_row(&mut self, start: usize, end: usize, span: Option<(Vec<char>, usize)>) -> Result<(), TableError> {
        if start >= end && span.is_none() {
            return Ok(());
        }
        let mut columns = match &span {
            Some((line, offset)) => self.parse_columns(line, *offset)?,
            None => self.columns.clone(),
        };
        self.check_columns(start, end, &mut columns)?;
        self.init_row(&columns, start)?;
        for &(from, to) in &columns {
            let block = if start < end { cell_block(self.rows, start, from, end, to) } else { Vec::new() };
            self.cells.push((start, block));
        }
        Ok(())
    }

    /// `check_columns`: no text in the margins between columns; text past
    /// the last column widens it.
    fn check_columns(&mut self, start: usize, end: usize, columns: &mut [(usize, usize)]) -> Result<(), TableError> {
        let stripped: Vec<Vec<char>> = self.rows[start..end].iter().map(Padded::without_combining).collect();
        let last_column = columns.len().saturating_sub(1);
        for i in 0..columns.len() {
            let (column_start, column_end) = columns[i];
            let next_start = columns.get(i + 1).map_or(usize::MAX, |&(next, _)| next);
            for (offset, line) in stripped.iter().enumerate() {
                let tail = line.get(column_end..).unwrap_or(&[]);
                if i == last_column && tail.iter().any(|&c| !is_space(c)) {
                    let text = super::text::strip_end(line.get(column_start..).unwrap_or(&[]));
                    let new_end = column_start + text.len();
                    let (main_start, main_end) = self.columns.last().copied().unwrap_or((0, 0));
                    columns[i] = (column_start, main_end.max(new_end));
                    if new_end > main_end
                        && let Some(last) = self.columns.last_mut()
                    {
                        *last = (main_start, new_end);
                    }
                } else if i != last_column {
                    let margin = line.get(column_end.min(line.len())..next_start.min(line.len())).unwrap_or(&[]);
                    if margin.iter().any(|&c| !is_space(c)) {
                        return Err((
                            format!("Text in column margin in table line {}.", start + offset + 1),
                            start + offset,
                        ));
                    }
                }
            }
        }
        let _ = self.lines;
        Ok(())
    }

    /// `init_row`: each cell must start at a column and end at one.
    fn init_row(&self, columns: &[(usize, usize)], offset: usize) -> Result<(), TableError> {
        let error = || (format!("Column span alignment problem in table line {}.", offset + 2), offset + 1);
        let mut i = 0;
        for &(start, end) in columns {
            let Some(&(main_start, _)) = self.columns.get(i) else { return Err(error()) };
            if start != main_start {
                return Err(error());
            }
            loop {
                let Some(&(_, main_end)) = self.columns.get(i) else { return Err(error()) };
                if main_end == end {
                    break;
                }
                i += 1;
            }
            i += 1;
        }
        Ok(())
    }
}

impl Parser {
    /// A grid or simple table at the current line (`table_top`).
    pub(super) fn table(&mut self, grid: bool, m: &mut Machine<'_>, run: &mut Run) {
        let (rows, blank_finish) =
            if grid { self.isolate_grid_table(m, run) } else { self.isolate_simple_table(m, run) };
        if let Some(rows) = rows {
            let table_line = m.abs_line_number() + 1 - rows.len() as isize;
            let parsed = if grid { parse_grid(&rows) } else { parse_simple(&rows) };
            match parsed {
                Ok(data) => {
                    let line = rows.first().map_or_else(|| self.doc.wrap(table_line), |row| row.line.number);
                    // Built detached, then appended (as docutils does).
                    let table = self.doc.create(Kind::Table, Some(line));
                    self.table_columns.insert(table, data.columns);
                    for (offset, lines) in data.cells {
                        if lines.iter().all(|line| line.len() == 0) {
                            continue;
                        }
                        let entry = self.doc.add(table, Kind::Entry, None);
                        self.nested_parse(&lines, table_line + offset as isize - 1, entry);
                    }
                    self.doc.append(run.node, table);
                }
                Err((detail, offset)) => {
                    self.malformed_table(rows.len(), &detail, offset, m, run);
                }
            }
        }
        if !blank_finish {
            let line = m.abs_line_number() + 1;
            self.doc.report_in(run.node, RstLevel::Warning, "Blank line required after table.", line);
        }
    }

    /// `malformed_table`: reported at the table's first line plus `offset`,
    /// the cursor being on the table's last line.
    fn malformed_table(&mut self, rows: usize, detail: &str, offset: usize, m: &Machine<'_>, run: &mut Run) {
        let line = m.abs_line_number() + 1 - rows as isize + offset as isize;
        let message =
            if detail.is_empty() { "Malformed table.".to_owned() } else { format!("Malformed table.\n{detail}") };
        self.doc.report_in(run.node, RstLevel::Error, message, line);
    }

    /// `isolate_grid_table`: the table's lines, or `None` after reporting
    /// a malformed table; and `blank_finish`.
    fn isolate_grid_table(&mut self, m: &mut Machine<'_>, run: &mut Run) -> (Option<Vec<Padded>>, bool) {
        let mut blank_finish = true;
        let block: Vec<Line> = match m.get_text_block(true) {
            Ok(block) => block.to_vec(),
            Err((block, line)) => {
                self.doc.report_in(run.node, RstLevel::Error, "Unexpected indentation.", line);
                blank_finish = false;
                block.to_vec()
            }
        };
        if block.is_empty() {
            return (None, blank_finish);
        }
        let mut rows: Vec<Padded> = block.iter().map(|line| Padded::new(&line.trimmed())).collect();
        let width = rows[0].len();
        let mut last_index = 0;
        for index in 0..rows.len() {
            last_index = index;
            if !matches!(rows[index].chars.first(), Some('+' | '|')) {
                blank_finish = false;
                m.previous_line(rows.len() - index);
                rows.truncate(index);
                break;
            }
        }
        if rows.is_empty() {
            return (None, blank_finish);
        }
        if !is_grid_table_top(&rows[rows.len() - 1].chars) {
            let mut found = false;
            let mut index = rows.len().saturating_sub(2);
            while index > 1 {
                last_index = index;
                if is_grid_table_top(&rows[index].chars) {
                    m.previous_line(rows.len() - index + 1);
                    rows.truncate(index + 1);
                    blank_finish = false;
                    found = true;
                    break;
                }
                index -= 1;
            }
            if !found {
                self.malformed_table(rows.len(), "Bottom border missing or corrupt.", last_index, m, run);
                return (None, blank_finish);
            }
        }
        for index in 0..rows.len() {
            if rows[index].width() != width || !matches!(rows[index].chars.last(), Some('+' | '|')) {
                self.malformed_table(rows.len(), "Right border not aligned or missing.", index, m, run);
                return (None, blank_finish);
            }
        }
        (Some(rows), blank_finish)
    }

    /// `isolate_simple_table`.
    fn isolate_simple_table(&mut self, m: &mut Machine<'_>, run: &mut Run) -> (Option<Vec<Padded>>, bool) {
        let lines = m.current_and_rest();
        if lines.is_empty() {
            return (None, true);
        }
        let limit = lines.len() - 1;
        let top_length = super::text::strip(lines[0].chars()).len();
        let mut found = 0;
        let mut found_at = 0;
        let mut end = None;
        let mut index = 1;
        while index <= limit {
            let line = lines[index].chars();
            if is_simple_table_border(line) {
                if super::text::strip(line).len() != top_length {
                    m.next_line(index);
                    let blank = index == limit || lines[index + 1].is_blank();
                    self.malformed_table(
                        index + 1,
                        "Bottom border or header rule does not match top border.",
                        index,
                        m,
                        run,
                    );
                    return (None, blank);
                }
                found += 1;
                found_at = index;
                if found == 2 || index == limit || lines[index + 1].is_blank() {
                    end = Some(index);
                    break;
                }
            }
            index += 1;
        }
        let Some(end) = end else {
            let (detail, rows) = if found > 0 {
                m.next_line(found_at);
                ("No bottom table border found or no blank line after table bottom.", found_at + 1)
            } else {
                m.next_line(index - 1);
                ("No bottom table border found.", lines.len())
            };
            self.malformed_table(rows, detail, 0, m, run);
            return (None, found == 0);
        };
        m.next_line(end);
        let rows: Vec<Padded> = lines[..=end].iter().map(Padded::new).collect();
        let blank = end == limit || lines[end + 1].is_blank();
        (Some(rows), blank)
    }
}
