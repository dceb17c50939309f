//! The block parser: docutils' recursive state machine
//! (`docutils.parsers.rst.states`), states `Body`, `Text`, `Line`, the
//! list states, `Explicit`, `Definition`, `SubstitutionDef` and
//! `QuotedLiteralBlock`, with the same line-by-line decisions, so that the
//! same constructs are recognised and problems are found at the same lines.

use std::collections::HashMap;
use std::rc::Rc;

use super::RstLevel;
use super::document::{Document, Kind, NodeId, Pointer};
use super::inline::{Flag, Place, RoleKind};
use super::machine::{Machine, Shared};
use super::text::{Line, column_width, is_blank, is_name_char, is_space, normalize_name, strip};

/// How deep constructs may nest before the parser stops looking inside
/// them (docutils itself hits Python's recursion limit somewhat deeper).
const MAX_DEPTH: usize = 48;

/// The states of docutils' parser that this one implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Body,
    BulletList,
    DefinitionList,
    EnumeratedList,
    FieldList,
    OptionList,
    LineBlock,
    ExtensionOptions,
    Explicit,
    Text,
    Definition,
    Line,
    SubstitutionDef,
    QuotedLiteral,
}

/// What a transition method tells the run loop.
enum Flow {
    /// Go on with the next line, in this state.
    Next(State),
    /// docutils' `EOFError`: run the state's end-of-file method and stop.
    Stop,
    /// docutils' `TransitionCorrection('text')` or
    /// `StateCorrection(state, 'text')`: back up one line and try only the
    /// `text` transition (in the given state).
    Retry(Option<State>),
}

/// A title style: an underline alone, or an overline and an underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Under(char),
    Over(char, char),
}

impl Style {
    fn describe(self) -> String {
        match self {
            Style::Under(c) => c.to_string(),
            Style::Over(over, under) => format!("{over}/{under}"),
        }
    }
}

/// The enumeration of an enumerated list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sequence {
    Arabic,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
    Auto,
}

/// The punctuation around an enumerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// `(1)`
    Parens,
    /// `1)`
    RightParen,
    /// `1.`
    Period,
}

impl Format {
    fn prefix(self) -> &'static str {
        if self == Format::Parens { "(" } else { "" }
    }

    fn suffix(self) -> &'static str {
        if self == Format::Period { "." } else { ")" }
    }
}

/// The data of one state machine run (docutils keeps it on the state
/// objects and the machine).
pub(super) struct Run {
    /// The element new elements go into (`state_machine.node`).
    pub(super) node: NodeId,
    /// Whether section titles are allowed here.
    pub(super) match_titles: bool,
    /// Whether the last item ended with a blank line.
    pub(super) blank_finish: bool,
    /// The bullet of the bullet list being parsed.
    bullet: char,
    /// The enumerated list being parsed: format, sequence, last ordinal,
    /// and whether it switched to auto-enumeration.
    enumeration: Option<(Format, Sequence, i64, bool)>,
    /// The quote character of a quoted literal block, and its lines.
    quote: Option<char>,
    /// Messages of a quoted literal block, emitted at its end.
    quoted_lines: usize,
    /// The name and line of the substitution being defined
    /// (SubstitutionDef state).
    pub(super) substitution: Option<(String, usize)>,
}

impl Run {
    pub(super) fn new(node: NodeId, match_titles: bool) -> Self {
        Run {
            node,
            match_titles,
            blank_finish: true,
            bullet: '-',
            enumeration: None,
            quote: None,
            quoted_lines: 0,
            substitution: None,
        }
    }
}

/// What a substitution definition's content collected while parsing.
pub(super) struct Capture {
    pub(super) name: String,
    /// The definition's line: the references in it are reported there.
    pub(super) line: usize,
    pub(super) references: Vec<String>,
    pub(super) nested: Vec<String>,
}

/// The parser of one document.
pub(super) struct Parser {
    pub(super) doc: Document,
    /// What the state machines share: the top-level machine's line (for
    /// messages without a line) and docutils' `current_line`.
    pub(super) shared: Rc<Shared>,
    /// The default role of interpreted text (`default-role`).
    pub(super) default_role: RoleKind,
    /// Roles defined by the `role` directive, by lower-case name.
    pub(super) custom_roles: HashMap<String, RoleKind>,
    /// The substitution definition whose directive is being run.
    pub(super) capture: Option<Capture>,
    /// What the last substitution definition's directive registered, and
    /// where its registrations started.
    substitution_result: Option<(Capture, super::document::Mark)>,
    /// Title styles in the order they were first used.
    title_styles: Vec<Style>,
    /// Current nesting of state machines.
    depth: usize,
    /// The fields of directive option blocks: name and paragraphs.
    pub(super) option_fields: HashMap<NodeId, (String, Vec<String>)>,
    /// The inline flags of paragraphs parsed inside a substitution
    /// definition.
    pub(super) paragraph_flags: HashMap<NodeId, Vec<Flag>>,
    /// The flags of the inline content a `replace` directive produced.
    pub(super) substitution_flags: Vec<Flag>,
    /// The number of columns of each table.
    pub(super) table_columns: HashMap<NodeId, usize>,
}

/// Docutils' `Body.patterns`, recognised by hand: the first transition
/// that matches a line (blank and indented lines are handled before).
#[derive(Debug, Clone, Copy)]
enum BodyMatch {
    Bullet(usize),
    Enumerator(Enumerator),
    FieldMarker(usize),
    OptionMarker(usize),
    Doctest,
    LineBlock(usize),
    GridTableTop,
    SimpleTableTop,
    ExplicitMarkup,
    Anonymous(usize),
    Line,
    Text,
}

/// A matched enumerator: its format, the text between the punctuation,
/// and where the match ends.
#[derive(Debug, Clone, Copy)]
pub(super) struct Enumerator {
    format: Format,
    text_start: usize,
    text_end: usize,
    end: usize,
}

/// `( +|$)` at `index`: where the match ends.
fn spaces_or_end(c: &[char], index: usize) -> Option<usize> {
    if index == c.len() {
        return Some(index);
    }
    let spaces = c[index..].iter().take_while(|&&ch| ch == ' ').count();
    (spaces > 0).then_some(index + spaces)
}

/// Is `c` 7-bit punctuation (`[!-/:-@[-`{-~]`)?
fn is_punctuation7(c: char) -> bool {
    matches!(c, '!'..='/' | ':'..='@' | '['..='`' | '{'..='~')
}

/// The `line` pattern: one punctuation character repeated.
pub(super) fn is_line(c: &[char]) -> bool {
    let Some(&first) = c.first() else { return false };
    if !is_punctuation7(first) {
        return false;
    }
    let repeated = c.iter().take_while(|&&ch| ch == first).count();
    c[repeated..].iter().all(|&ch| ch == ' ')
}

fn match_enumerator(c: &[char]) -> Option<Enumerator> {
    let valid_text = |text: &[char]| {
        !text.is_empty()
            && (text.iter().all(char::is_ascii_digit)
                || (text.len() == 1 && text[0].is_ascii_alphabetic())
                || text.iter().all(|ch| "ivxlcdm".contains(*ch))
                || text.iter().all(|ch| "IVXLCDM".contains(*ch))
                || text == ['#'])
    };
    let enumerator_end = |start: usize| {
        let mut end = start;
        while end < c.len() && (c[end].is_ascii_alphanumeric() || c[end] == '#') {
            end += 1;
        }
        end
    };
    // `(enum)`
    if c.first() == Some(&'(') {
        let end = enumerator_end(1);
        if c.get(end) == Some(&')')
            && valid_text(&c[1..end])
            && let Some(match_end) = spaces_or_end(c, end + 1)
        {
            return Some(Enumerator { format: Format::Parens, text_start: 1, text_end: end, end: match_end });
        }
    }
    let end = enumerator_end(0);
    if valid_text(&c[..end]) {
        for (punctuation, format) in [(')', Format::RightParen), ('.', Format::Period)] {
            if c.get(end) == Some(&punctuation)
                && let Some(match_end) = spaces_or_end(c, end + 1)
            {
                return Some(Enumerator { format, text_start: 0, text_end: end, end: match_end });
            }
        }
    }
    None
}

/// `field_marker`: `:(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)`.
pub(super) fn match_field_marker(c: &[char]) -> Option<usize> {
    if c.first() != Some(&':') || matches!(c.get(1), Some(':' | ' ')) {
        return None;
    }
    let mut index = 1;
    while index < c.len() {
        match c[index] {
            '\\' => {
                if index + 1 >= c.len() {
                    return None;
                }
                index += 2;
            }
            ':' => {
                let next = c.get(index + 1);
                if next.is_none() || next == Some(&' ') {
                    if c[index - 1] == ' ' {
                        return None;
                    }
                    return spaces_or_end(c, index + 1);
                }
                if next == Some(&'`') {
                    return None;
                }
                index += 1;
            }
            _ => index += 1,
        }
    }
    None
}

/// `option_marker`: options separated by `, `, then two spaces or the end.
fn match_option_marker(c: &[char]) -> Option<usize> {
    fn alnum(c: char) -> bool {
        c.is_ascii_alphanumeric()
    }
    fn alnum_plus(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '_' || c == '-'
    }
    // The ends an optional `optarg` can have at `index`.
    fn optarg_ends(c: &[char], index: usize) -> Vec<usize> {
        let mut ends = Vec::new();
        if c.get(index).is_some_and(char::is_ascii_alphabetic) {
            let mut end = index + 1;
            while end < c.len() && alnum_plus(c[end]) {
                end += 1;
            }
            // Greedy first; shorter ends only matter for backtracking.
            for candidate in (index + 1..=end).rev() {
                ends.push(candidate);
            }
        } else if c.get(index) == Some(&'<') {
            let mut end = index + 1;
            while end < c.len() && c[end] != '<' && c[end] != '>' {
                end += 1;
            }
            if c.get(end) == Some(&'>') && end > index + 1 {
                ends.push(end + 1);
            }
        }
        ends
    }
    // The ends an option can have at `index`, most greedy first.
    fn option_ends(c: &[char], index: usize) -> Vec<usize> {
        let mut ends = Vec::new();
        let first = c.get(index).copied();
        let second = c.get(index + 1).copied();
        if (first == Some('-') || first == Some('+')) && second.is_some_and(alnum) {
            // shortopt: (-|\+)[a-zA-Z0-9]( ?optarg)?
            let after = index + 2;
            if c.get(after) == Some(&' ') {
                ends.extend(optarg_ends(c, after + 1));
            }
            ends.extend(optarg_ends(c, after));
            ends.push(after);
        }
        let long_start = if first == Some('-') && second == Some('-') {
            Some(index + 2)
        } else if first == Some('/') {
            Some(index + 1)
        } else {
            None
        };
        if let Some(start) = long_start
            && c.get(start).copied().is_some_and(alnum)
        {
            let mut name_end = start + 1;
            while name_end < c.len() && alnum_plus(c[name_end]) {
                name_end += 1;
            }
            for end in (start + 1..=name_end).rev() {
                if matches!(c.get(end), Some(' ' | '=')) {
                    ends.extend(optarg_ends(c, end + 1));
                }
                ends.push(end);
            }
        }
        ends
    }
    // The end of the marker when options start at `index`; memoised, so
    // backtracking stays linear.
    fn rest(c: &[char], index: usize, depth: usize, memo: &mut HashMap<usize, Option<usize>>) -> Option<usize> {
        if depth > 64 {
            return None;
        }
        if let Some(&known) = memo.get(&index) {
            return known;
        }
        let mut result = None;
        for end in option_ends(c, index) {
            // More options.
            if c.get(end) == Some(&',')
                && c.get(end + 1) == Some(&' ')
                && let Some(found) = rest(c, end + 2, depth + 1, memo)
            {
                result = Some(found);
                break;
            }
            // `(  +| ?$)`
            let spaces = c[end..].iter().take_while(|&&ch| ch == ' ').count();
            if spaces >= 2 || end + spaces == c.len() && spaces <= 1 {
                result = Some(end + spaces);
                break;
            }
        }
        memo.insert(index, result);
        result
    }
    rest(c, 0, 0, &mut HashMap::new())
}

/// The first of docutils' body transitions that matches a non-blank,
/// non-indented line.
fn match_body(c: &[char]) -> BodyMatch {
    let first = c.first().copied().unwrap_or(' ');
    if matches!(first, '-' | '+' | '*' | '\u{2022}' | '\u{2023}' | '\u{2043}')
        && let Some(end) = spaces_or_end(c, 1)
    {
        return BodyMatch::Bullet(end);
    }
    if let Some(enumerator) = match_enumerator(c) {
        return BodyMatch::Enumerator(enumerator);
    }
    if let Some(end) = match_field_marker(c) {
        return BodyMatch::FieldMarker(end);
    }
    if let Some(end) = match_option_marker(c) {
        return BodyMatch::OptionMarker(end);
    }
    if c.starts_with(&['>', '>', '>']) && spaces_or_end(c, 3).is_some() {
        return BodyMatch::Doctest;
    }
    if first == '|'
        && let Some(end) = spaces_or_end(c, 1)
    {
        return BodyMatch::LineBlock(end);
    }
    if is_grid_table_top(c) {
        return BodyMatch::GridTableTop;
    }
    if is_simple_table_top(c) {
        return BodyMatch::SimpleTableTop;
    }
    if c.starts_with(&['.', '.']) && spaces_or_end(c, 2).is_some() {
        return BodyMatch::ExplicitMarkup;
    }
    if c.starts_with(&['_', '_'])
        && let Some(end) = spaces_or_end(c, 2)
    {
        return BodyMatch::Anonymous(end);
    }
    if is_line(c) {
        return BodyMatch::Line;
    }
    BodyMatch::Text
}

/// `\+-[-+]+-\+ *$`
pub(super) fn is_grid_table_top(c: &[char]) -> bool {
    is_grid_border(c, '-')
}

/// `\+=[=+]+=\+ *$`: a grid table's head/body separator.
pub(super) fn is_grid_head_separator(c: &[char]) -> bool {
    is_grid_border(c, '=')
}

/// `\+F[F+]+F\+ *$` for the fill character `F`.
fn is_grid_border(c: &[char], fill: char) -> bool {
    let c = super::text::strip_end(c);
    let n = c.len();
    n >= 5
        && c[0] == '+'
        && c[1] == fill
        && c[n - 2] == fill
        && c[n - 1] == '+'
        && c[2..n - 2].iter().all(|&ch| ch == fill || ch == '+')
}

/// `=+( +=+)+ *$`
fn is_simple_table_top(c: &[char]) -> bool {
    let c = super::text::strip_end(c);
    if c.first() != Some(&'=') || c.iter().any(|&ch| ch != '=' && ch != ' ') {
        return false;
    }
    c.split(|&ch| ch == ' ').filter(|group| !group.is_empty()).count() >= 2
}

/// `=+[ =]*$`: a simple table's border or head/body separator.
pub(super) fn is_simple_table_border(c: &[char]) -> bool {
    c.first() == Some(&'=') && c.iter().all(|&ch| ch == '=' || ch == ' ')
}

/// The value of a roman numeral as docutils accepts it
/// (`RomanNumeral.from_string`: canonical numerals from 1 to 4999).
fn roman_value(text: &[char]) -> Option<i64> {
    let upper: String = text.iter().map(|c| c.to_ascii_uppercase()).collect();
    let value_of = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Option<Vec<i64>> = upper.chars().map(value_of).collect();
    let values = values?;
    let mut total = 0;
    for (index, &value) in values.iter().enumerate() {
        if values.get(index + 1).is_some_and(|&next| next > value) {
            total -= value;
        } else {
            total += value;
        }
    }
    (1..=4999).contains(&total).then_some(total).filter(|&total| to_roman(total) == upper)
}

/// The canonical upper-case roman numeral of `value` (1 to 4999).
fn to_roman(mut value: i64) -> String {
    const TABLE: &[(i64, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for &(amount, numeral) in TABLE {
        while value >= amount {
            out.push_str(numeral);
            value -= amount;
        }
    }
    out
}

impl Parser {
    pub(super) fn new() -> Self {
        Parser {
            doc: Document::new(),
            shared: Rc::new(Shared::default()),
            default_role: RoleKind::Generic,
            custom_roles: HashMap::new(),
            capture: None,
            substitution_result: None,
            title_styles: Vec::new(),
            depth: 0,
            option_fields: HashMap::new(),
            paragraph_flags: HashMap::new(),
            substitution_flags: Vec::new(),
            table_columns: HashMap::new(),
        }
    }

    /// Parses the whole document.
    pub(super) fn parse_document(&mut self, lines: &[Line]) {
        self.doc.line_count = lines.len();
        let mut machine = Machine::new(lines, 0, Rc::clone(&self.shared), true);
        let mut run = Run::new(Document::ROOT, true);
        self.run(&mut machine, State::Body, &mut run);
        self.doc.end_position = self.shared.top_position.get();
    }

    /// `nested_parse`: parses `lines` (starting at 0-based absolute offset
    /// `offset`) into `node`; returns the absolute offset where it stopped.
    pub(super) fn nested_parse(&mut self, lines: &[Line], offset: isize, node: NodeId) -> isize {
        if self.depth >= MAX_DEPTH {
            return offset + lines.len() as isize;
        }
        self.depth += 1;
        let mut machine = Machine::new(lines, offset, Rc::clone(&self.shared), false);
        let mut run = Run::new(node, false);
        self.run(&mut machine, State::Body, &mut run);
        self.depth -= 1;
        machine.abs_line_offset()
    }

    /// `nested_list_parse`: runs a machine in `state` over `lines` (the rest
    /// of the current block); returns where it stopped and the final
    /// `blank_finish`.
    pub(super) fn nested_list_parse(
        &mut self,
        lines: &[Line],
        offset: isize,
        node: NodeId,
        state: State,
        blank_finish: bool,
        setup: impl FnOnce(&mut Run),
    ) -> (isize, bool) {
        if self.depth >= MAX_DEPTH {
            return (offset + lines.len() as isize, true);
        }
        self.depth += 1;
        let mut machine = Machine::new(lines, offset, Rc::clone(&self.shared), false);
        let mut run = Run::new(node, false);
        run.blank_finish = blank_finish;
        setup(&mut run);
        self.run(&mut machine, state, &mut run);
        self.depth -= 1;
        (machine.abs_line_offset(), run.blank_finish)
    }

    /// The top-level machine's current line (docutils' line for messages
    /// that give none).
    pub(super) fn top_line(&self) -> Option<usize> {
        self.doc.reporter_line(self.shared.top_position.get())
    }

    /// docutils' `document.current_line`: the line an element appended
    /// without a line of its own receives, when its parent is already in the
    /// document.
    pub(super) fn current_line(&self) -> Option<usize> {
        self.shared.current_line.get()
    }

    /// The line docutils reports for the machine's current line.
    fn here(&self, m: &Machine<'_>) -> usize {
        self.doc.wrap(m.abs_line_number())
    }

    /// The run loop of one state machine.
    pub(super) fn run(&mut self, m: &mut Machine<'_>, initial: State, run: &mut Run) {
        let mut state = initial;
        let mut context: Vec<Line> = Vec::new();
        let mut only_text = false;
        loop {
            let flow = match m.next_line(1).cloned() {
                Some(line) => {
                    let flow = self.transition(state, &line, only_text, &mut context, m, run);
                    only_text = false;
                    flow
                }
                // A correction raised at the end of the input restarts the
                // loop, as in docutils.
                None => match self.eof(state, &mut context, m, run) {
                    Some(correction) => correction,
                    None => return,
                },
            };
            match flow {
                Flow::Next(next) => state = next,
                Flow::Stop => match self.eof(state, &mut context, m, run) {
                    Some(Flow::Retry(next)) => {
                        m.previous_line(1);
                        if let Some(next) = next {
                            state = next;
                        }
                        only_text = true;
                    }
                    _ => return,
                },
                Flow::Retry(next) => {
                    m.previous_line(1);
                    if let Some(next) = next {
                        state = next;
                    }
                    only_text = true;
                }
            }
        }
    }

    /// A state's end-of-file method; `Some` when it corrects the state
    /// (and parsing goes on).
    fn eof(&mut self, state: State, context: &mut Vec<Line>, m: &mut Machine<'_>, run: &mut Run) -> Option<Flow> {
        match state {
            State::Text if !context.is_empty() => {
                let line = self.doc.wrap(m.abs_line_number() - 1);
                self.text_blank(context, line, m, run);
            }
            State::Definition => m.previous_line(2),
            State::Line => {
                // A transition marker at the end of the input.
                let marker = strip(context.first().map_or(&[][..], Line::chars)).len();
                if marker < 4 {
                    // Too short for a transition: read it again as text.
                    context.clear();
                    m.previous_line(1);
                    return Some(Flow::Retry(Some(State::Body)));
                }
                let line = self.doc.wrap(m.abs_line_number() - 1);
                let line = if m.line().is_none() { line } else { line + 1 };
                self.doc.add(run.node, Kind::Transition, Some(context.first().map_or(line, |l| l.number)));
            }
            State::QuotedLiteral => {
                if run.quoted_lines > 0 {
                    self.doc.add(run.node, Kind::LiteralBlock, None);
                } else {
                    let line = m.abs_line_number();
                    self.doc.report_in(run.node, RstLevel::Warning, "Literal block expected; none found.", line);
                    m.previous_line(1);
                }
            }
            _ => {}
        }
        None
    }

    /// Dispatches one line in `state`.
    fn transition(
        &mut self,
        state: State,
        line: &Line,
        only_text: bool,
        context: &mut Vec<Line>,
        m: &mut Machine<'_>,
        run: &mut Run,
    ) -> Flow {
        let c = line.chars();
        match state {
            State::Text => return self.text_state(line, only_text, context, m, run),
            State::Line => return self.line_state(line, context, m, run),
            State::Definition => {
                if only_text || is_spaces(c) || c[0] != ' ' {
                    // blank, underline and text: not a definition.
                    return Flow::Stop;
                }
                let (item, blank_finish) = self.definition_list_item(context, m);
                self.doc.append(run.node, item);
                run.blank_finish = blank_finish;
                context.clear();
                return Flow::Next(State::DefinitionList);
            }
            State::QuotedLiteral => return self.quoted_literal_state(line, m, run),
            _ => {}
        }
        // Body and the states derived from it.
        if only_text {
            return self.body_text(state, line, context, m, run);
        }
        if is_spaces(c) {
            return match state {
                State::LineBlock | State::Explicit => {
                    m.previous_line(1);
                    Flow::Stop
                }
                _ => Flow::Next(state),
            };
        }
        if c[0] == ' ' {
            return match state {
                State::Body | State::SubstitutionDef => {
                    self.block_quote_transition(m, run);
                    Flow::Next(state)
                }
                _ => invalid(m),
            };
        }
        if state == State::SubstitutionDef {
            return self.substitution_def_state(line, m, run);
        }
        let matched = match_body(c);
        match (state, matched) {
            (State::Body, BodyMatch::Bullet(end)) => self.bullet(end, m, run),
            (State::BulletList, BodyMatch::Bullet(end)) => {
                if c[0] != run.bullet {
                    return invalid(m);
                }
                let (item, blank_finish) = self.list_item(end, m);
                self.doc.append(run.node, item);
                run.blank_finish = blank_finish;
                Flow::Next(state)
            }
            (State::Body, BodyMatch::Enumerator(enumerator)) => self.enumerator(line, enumerator, m, run),
            (State::EnumeratedList, BodyMatch::Enumerator(enumerator)) => {
                self.next_enumerator(line, enumerator, m, run)
            }
            (State::Body, BodyMatch::FieldMarker(end)) => self.field_marker(line, end, m, run),
            (State::FieldList | State::ExtensionOptions, BodyMatch::FieldMarker(end)) => {
                let (field, blank_finish) = self.field(line, end, m, state == State::ExtensionOptions);
                self.doc.append(run.node, field);
                run.blank_finish = blank_finish;
                Flow::Next(state)
            }
            (State::Body, BodyMatch::OptionMarker(end)) => self.option_marker(end, m, run),
            (State::OptionList, BodyMatch::OptionMarker(end)) => match self.option_list_item(end, m) {
                Some((item, blank_finish)) => {
                    self.doc.append(run.node, item);
                    run.blank_finish = blank_finish;
                    Flow::Next(state)
                }
                None => Flow::Retry(None),
            },
            (State::Body, BodyMatch::Doctest) => {
                let _ = m.get_text_block(false);
                self.doc.add(run.node, Kind::DoctestBlock, Some(line.number));
                Flow::Next(state)
            }
            (State::Body, BodyMatch::LineBlock(end)) => self.line_block(end, m, run),
            (State::LineBlock, BodyMatch::LineBlock(end)) => {
                let lineno = self.here(m);
                let blank_finish = self.line_block_line(end, lineno, m, run);
                run.blank_finish = blank_finish;
                Flow::Next(state)
            }
            (State::Body, BodyMatch::GridTableTop) => {
                self.table(true, m, run);
                Flow::Next(state)
            }
            (State::Body, BodyMatch::SimpleTableTop) => {
                self.table(false, m, run);
                Flow::Next(state)
            }
            (State::Body, BodyMatch::ExplicitMarkup) => {
                let blank_finish = self.explicit_construct(line, m, run);
                self.explicit_list(blank_finish, m, run);
                Flow::Next(state)
            }
            (State::Explicit, BodyMatch::ExplicitMarkup) => {
                run.blank_finish = self.explicit_construct(line, m, run);
                Flow::Next(state)
            }
            (State::Body, BodyMatch::Anonymous(end)) => {
                let blank_finish = self.anonymous_target(end, m, run);
                self.explicit_list(blank_finish, m, run);
                Flow::Next(state)
            }
            (State::Explicit, BodyMatch::Anonymous(end)) => {
                run.blank_finish = self.anonymous_target(end, m, run);
                Flow::Next(state)
            }
            (State::Body, BodyMatch::Line) => self.body_line(line, context, m, run),
            (State::Body, BodyMatch::Text) => {
                context.push(line.clone());
                Flow::Next(State::Text)
            }
            (State::DefinitionList, BodyMatch::Text) => {
                context.push(line.clone());
                Flow::Next(State::Definition)
            }
            _ => invalid(m),
        }
    }

    /// The `text` transition alone (after a correction).
    fn body_text(
        &mut self,
        state: State,
        line: &Line,
        context: &mut Vec<Line>,
        m: &mut Machine<'_>,
        run: &mut Run,
    ) -> Flow {
        match state {
            State::Body => {
                context.push(line.clone());
                Flow::Next(State::Text)
            }
            State::DefinitionList => {
                context.push(line.clone());
                Flow::Next(State::Definition)
            }
            State::SubstitutionDef => self.substitution_def_state(line, m, run),
            _ => invalid(m),
        }
    }

    /// Body's `indent` transition: a block quote.
    fn block_quote_transition(&mut self, m: &mut Machine<'_>, run: &mut Run) {
        let indented = m.get_indented(false, true);
        self.block_quote(&indented.lines, indented.offset, run.node);
        if !indented.blank_finish {
            self.unindent_warning("Block quote", m, run.node);
        }
    }

    /// Places the message elements of an inline parse in `parent`, as
    /// docutils appends them after the text's element.
    pub(super) fn add_messages(&mut self, parent: NodeId, inline: &super::inline::Inline) {
        for &(level, line) in &inline.messages {
            self.doc.add(parent, Kind::Message(level), Some(line));
        }
    }

    /// `unindent_warning`: the construct ended at the current line without
    /// a blank line.
    pub(super) fn unindent_warning(&mut self, construct: &str, m: &Machine<'_>, parent: NodeId) {
        let line = m.abs_line_number() + 1;
        self.doc.report_in(
            parent,
            RstLevel::Warning,
            format!("{construct} ends without a blank line; unexpected unindent."),
            line,
        );
    }

    /// `Body.block_quote`: block quotes, split at attributions.
    pub(super) fn block_quote(&mut self, lines: &[Line], offset: isize, parent: NodeId) {
        let mut lines: Vec<Line> = lines.to_vec();
        let mut offset = offset;
        while !lines.is_empty() {
            // The element's line comes from the source (docutils'
            // `get_source_and_line`), which can differ from the machine's
            // count in directive content.
            let quote_line = lines[0].number;
            // Built detached, then appended (as docutils does).
            let quote = self.doc.create(Kind::BlockQuote, Some(quote_line));
            match split_attribution(&lines) {
                None => {
                    self.nested_parse(&lines, offset, quote);
                    self.doc.append(parent, quote);
                    return;
                }
                Some((start, first_skip, indent, end)) => {
                    self.nested_parse(&lines[..start], offset, quote);
                    self.doc.append(parent, quote);
                    let mut text: Vec<char> = Vec::new();
                    for (index, line) in lines[start..end.min(lines.len())].iter().enumerate() {
                        if index > 0 {
                            text.push('\n');
                            text.extend_from_slice(line.skip(indent).chars());
                        } else {
                            text.extend_from_slice(line.skip(first_skip).chars());
                        }
                    }
                    let text = super::text::strip_end(&text).to_vec();
                    let lineno = self.doc.wrap(1 + offset + start as isize);
                    let real = lines[start].number;
                    let inline = self.inline(&text, Place { line: lineno, element_line: Some(real) });
                    self.add_messages(parent, &inline);
                    let rest: Vec<Line> = lines[end.min(lines.len())..].to_vec();
                    offset += end as isize;
                    let leading = rest.iter().take_while(|line| line.is_blank()).count();
                    offset += leading as isize;
                    lines = rest[leading..].to_vec();
                }
            }
        }
    }

    /// Body's `bullet` transition.
    fn bullet(&mut self, end: usize, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let Some(line) = m.line() else { return Flow::Next(State::Body) };
        let bullet = line.chars()[0];
        let list = self.doc.add(run.node, Kind::BulletList, Some(line.number));
        let (item, blank_finish) = self.list_item(end, m);
        self.doc.append(list, item);
        let rest = m.rest();
        let (offset, blank_finish) =
            self.nested_list_parse(rest, m.abs_line_offset() + 1, list, State::BulletList, blank_finish, |run| {
                run.bullet = bullet;
            });
        m.goto_line(offset);
        if !blank_finish {
            self.unindent_warning("Bullet list", m, run.node);
        }
        Flow::Next(State::Body)
    }

    /// `list_item`: the item whose marker ends at `indent`.
    fn list_item(&mut self, indent: usize, m: &mut Machine<'_>) -> (NodeId, bool) {
        let line = m.line().map(|line| line.number);
        let has_text = m.line().is_some_and(|line| line.len() > indent);
        let indented =
            if has_text { m.get_known_indented(indent) } else { m.get_first_known_indented(indent, false, true, true) };
        let item = self.doc.create(Kind::ListItem, line);
        if !indented.lines.is_empty() {
            self.nested_parse(&indented.lines, indented.offset, item);
        }
        (item, indented.blank_finish)
    }

    /// `parse_enumerator`.
    fn parse_enumerator(&self, c: &[char], found: Enumerator, expected: Option<Sequence>) -> (Sequence, Option<i64>) {
        let text = &c[found.text_start..found.text_end];
        let matches = |sequence: Sequence| match sequence {
            Sequence::Arabic => text.iter().all(char::is_ascii_digit),
            Sequence::LowerAlpha => text.len() == 1 && text[0].is_ascii_lowercase(),
            Sequence::UpperAlpha => text.len() == 1 && text[0].is_ascii_uppercase(),
            Sequence::LowerRoman => text.iter().all(|ch| "ivxlcdm".contains(*ch)),
            Sequence::UpperRoman => text.iter().all(|ch| "IVXLCDM".contains(*ch)),
            Sequence::Auto => text == ['#'],
        };
        let mut sequence = None;
        if text == ['#'] {
            sequence = Some(Sequence::Auto);
        } else if let Some(expected) = expected {
            if expected != Sequence::Auto && matches(expected) {
                sequence = Some(expected);
            }
        } else if text == ['i'] {
            sequence = Some(Sequence::LowerRoman);
        } else if text == ['I'] {
            sequence = Some(Sequence::UpperRoman);
        }
        let sequence = sequence.unwrap_or_else(|| {
            [Sequence::Arabic, Sequence::LowerAlpha, Sequence::UpperAlpha, Sequence::LowerRoman, Sequence::UpperRoman]
                .into_iter()
                .find(|&sequence| matches(sequence))
                .unwrap_or(Sequence::Arabic)
        });
        let ordinal = match sequence {
            Sequence::Auto => Some(1),
            Sequence::Arabic => {
                let digits: String = text.iter().collect();
                Some(digits.parse::<i64>().unwrap_or(i64::MAX / 2))
            }
            Sequence::LowerAlpha => Some(i64::from(u32::from(text[0]) - u32::from('a') + 1)),
            Sequence::UpperAlpha => Some(i64::from(u32::from(text[0]) - u32::from('A') + 1)),
            Sequence::LowerRoman | Sequence::UpperRoman => roman_value(text),
        };
        (sequence, ordinal)
    }

    /// `is_enumerated_list_item`: a valid ordinal, and the next line blank,
    /// indented, or the next item.
    fn is_enumerated_list_item(
        &self,
        ordinal: Option<i64>,
        sequence: Sequence,
        format: Format,
        m: &Machine<'_>,
    ) -> bool {
        let Some(ordinal) = ordinal else { return false };
        let next = m.rest().first();
        let Some(next) = next else { return true };
        let chars = next.chars();
        if chars.first().is_none_or(|&ch| is_space(ch)) {
            return true;
        }
        let Some(number) = ordinal.checked_add(1) else { return false };
        let enumerator = match sequence {
            Sequence::Auto => Some("#".to_owned()),
            Sequence::Arabic => Some(number.to_string()),
            Sequence::LowerAlpha | Sequence::UpperAlpha => (number <= 26).then(|| {
                let letter = char::from(b'a' + u8::try_from(number - 1).unwrap_or(0));
                if sequence == Sequence::UpperAlpha {
                    letter.to_ascii_uppercase().to_string()
                } else {
                    letter.to_string()
                }
            }),
            Sequence::LowerRoman | Sequence::UpperRoman => (1..=4999).contains(&number).then(|| {
                let roman = to_roman(number);
                if sequence == Sequence::LowerRoman { roman.to_lowercase() } else { roman }
            }),
        };
        let Some(enumerator) = enumerator else { return false };
        let next_enumerator = format!("{}{enumerator}{} ", format.prefix(), format.suffix());
        let auto_enumerator = format!("{}#{} ", format.prefix(), format.suffix());
        let text: String = chars.iter().collect();
        text.starts_with(&next_enumerator) || text.starts_with(&auto_enumerator)
    }

    /// Body's `enumerator` transition.
    fn enumerator(&mut self, line: &Line, found: Enumerator, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let c = line.chars();
        let (sequence, ordinal) = self.parse_enumerator(c, found, None);
        if !self.is_enumerated_list_item(ordinal, sequence, found.format, m) {
            return Flow::Retry(None);
        }
        let ordinal = ordinal.unwrap_or(1);
        let list = self.doc.add(run.node, Kind::EnumeratedList, Some(line.number));
        if ordinal != 1 {
            self.doc.add(run.node, Kind::Message(1), Some(line.number));
        }
        let (item, blank_finish) = self.list_item(found.end, m);
        self.doc.append(list, item);
        let list_type = if sequence == Sequence::Auto { Sequence::Arabic } else { sequence };
        let auto = sequence == Sequence::Auto;
        let rest = m.rest();
        let (offset, blank_finish) =
            self.nested_list_parse(rest, m.abs_line_offset() + 1, list, State::EnumeratedList, blank_finish, |run| {
                run.enumeration = Some((found.format, list_type, ordinal, auto));
            });
        m.goto_line(offset);
        if !blank_finish {
            self.unindent_warning("Enumerated list", m, run.node);
        }
        Flow::Next(State::Body)
    }

    /// EnumeratedList's `enumerator` transition: the next item, or the end
    /// of the list.
    fn next_enumerator(&mut self, line: &Line, found: Enumerator, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let Some((format, list_type, last, auto)) = run.enumeration else { return invalid(m) };
        let (sequence, ordinal) = self.parse_enumerator(line.chars(), found, Some(list_type));
        let different = found.format != format
            || (sequence != Sequence::Auto && (sequence != list_type || auto || ordinal != last.checked_add(1)));
        if different || !self.is_enumerated_list_item(ordinal, sequence, found.format, m) {
            return invalid(m);
        }
        let auto = auto || sequence == Sequence::Auto;
        let (item, blank_finish) = self.list_item(found.end, m);
        self.doc.append(run.node, item);
        run.blank_finish = blank_finish;
        run.enumeration = Some((format, list_type, ordinal.unwrap_or(last), auto));
        Flow::Next(State::EnumeratedList)
    }

    /// Body's `field_marker` transition.
    fn field_marker(&mut self, line: &Line, end: usize, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let list = self.doc.add(run.node, Kind::FieldList, Some(line.number));
        let (field, blank_finish) = self.field(line, end, m, false);
        self.doc.append(list, field);
        let rest = m.rest();
        let (offset, blank_finish) =
            self.nested_list_parse(rest, m.abs_line_offset() + 1, list, State::FieldList, blank_finish, |_| {});
        m.goto_line(offset);
        if !blank_finish {
            self.unindent_warning("Field list", m, run.node);
        }
        Flow::Next(State::Body)
    }

    /// `field`: one field; `options` for directive options (no parsing of
    /// the body).
    fn field(&mut self, line: &Line, end: usize, m: &mut Machine<'_>, options: bool) -> (NodeId, bool) {
        let c = line.chars();
        let marker = &c[1..end];
        let close = marker.iter().rposition(|&ch| ch == ':').unwrap_or(0);
        let name = &marker[..close];
        let lineno = self.here(m);
        let indented = m.get_first_known_indented(end, false, true, true);
        let field = self.doc.create(Kind::Field, Some(line.number));
        let body = self.doc.add(field, Kind::FieldBody, None);
        let inline = self.inline(name, Place { line: lineno, element_line: Some(line.number) });
        self.add_messages(body, &inline);
        let name_text: String = name.iter().collect();
        if options {
            // One paragraph per run of non-blank lines, not parsed.
            let mut paragraphs: Vec<String> = Vec::new();
            let mut current: Option<String> = None;
            for option_line in &indented.lines {
                if option_line.is_blank() {
                    paragraphs.extend(current.take());
                } else {
                    let text: String = option_line.chars().iter().collect();
                    match current.as_mut() {
                        Some(paragraph) => {
                            paragraph.push('\n');
                            paragraph.push_str(&text);
                        }
                        None => current = Some(text),
                    }
                }
            }
            paragraphs.extend(current);
            for _ in &paragraphs {
                self.doc.add(body, Kind::Paragraph, None);
            }
            self.option_fields.insert(field, (inline.text, paragraphs));
        } else {
            // The number of lines of the body's text once stripped (docutils
            // re-parses a one-line body that became an enumerated list).
            let first = indented.lines.iter().position(|line| !line.is_blank());
            let last = indented.lines.iter().rposition(|line| !line.is_blank());
            let body_lines = match (first, last) {
                (Some(first), Some(last)) => last - first + 1,
                _ => 0,
            };
            self.doc.fields.insert(field, (name_text, body_lines, line.number));
            if !indented.lines.is_empty() {
                self.nested_parse(&indented.lines, indented.offset, body);
            }
        }
        (field, indented.blank_finish)
    }

    /// Body's `option_marker` transition.
    fn option_marker(&mut self, end: usize, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let line = m.line().map(|line| line.number);
        let Some((item, blank_finish)) = self.option_list_item(end, m) else { return Flow::Retry(None) };
        let list = self.doc.add(run.node, Kind::OptionList, line);
        self.doc.append(list, item);
        let rest = m.rest();
        let (offset, blank_finish) =
            self.nested_list_parse(rest, m.abs_line_offset() + 1, list, State::OptionList, blank_finish, |_| {});
        m.goto_line(offset);
        if !blank_finish {
            self.unindent_warning("Option list", m, run.node);
        }
        Flow::Next(State::Body)
    }

    /// `option_list_item`; `None` when there is no description (then the
    /// line is text).
    fn option_list_item(&mut self, end: usize, m: &mut Machine<'_>) -> Option<(NodeId, bool)> {
        let offset = m.abs_line_offset();
        let indented = m.get_first_known_indented(end, false, true, true);
        if indented.lines.is_empty() {
            m.goto_line(offset);
            return None;
        }
        let item = self.doc.create(Kind::Other, None);
        let description = self.doc.add(item, Kind::Description, None);
        self.nested_parse(&indented.lines, indented.offset, description);
        Some((item, indented.blank_finish))
    }

    /// Body's `line_block` transition.
    fn line_block(&mut self, end: usize, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let lineno = self.here(m);
        self.doc.add(run.node, Kind::LineBlock, Some(lineno));
        let mut blank_finish = self.line_block_line(end, lineno, m, run);
        if !blank_finish {
            let rest = m.rest();
            let node = run.node;
            let (offset, finish) =
                self.nested_list_parse(rest, m.abs_line_offset() + 1, node, State::LineBlock, false, |_| {});
            m.goto_line(offset);
            blank_finish = finish;
        }
        if !blank_finish {
            self.doc.report_in(run.node, RstLevel::Warning, "Line block ends without a blank line.", lineno + 1);
        }
        Flow::Next(State::Body)
    }

    /// `line_block_line`: one line of a line block, with its continuation
    /// lines.
    fn line_block_line(&mut self, end: usize, lineno: usize, m: &mut Machine<'_>, run: &mut Run) -> bool {
        let real = m.line().map_or(lineno, |line| line.number);
        let indented = m.get_first_known_indented(end, true, true, true);
        let mut text: Vec<char> = Vec::new();
        for (index, line) in indented.lines.iter().enumerate() {
            if index > 0 {
                text.push('\n');
            }
            text.extend_from_slice(line.chars());
        }
        let inline = self.inline(&text, Place { line: lineno, element_line: Some(real) });
        self.add_messages(run.node, &inline);
        indented.blank_finish
    }

    /// Body's `line` transition: a section overline or a transition.
    fn body_line(&mut self, line: &Line, context: &mut Vec<Line>, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        if run.match_titles {
            context.clear();
            context.push(line.clone());
            return Flow::Next(State::Line);
        }
        let stripped = strip(line.chars());
        if stripped == [':', ':'] {
            return Flow::Retry(None);
        }
        if stripped.len() < 4 {
            let line = self.here(m);
            self.doc.add(run.node, Kind::Message(1), Some(line));
            return Flow::Retry(None);
        }
        let number = m.abs_line_number();
        self.doc.report_in(run.node, RstLevel::Error, "Unexpected section title or transition.", number);
        Flow::Next(State::Body)
    }

    /// The `Text` state: the line after a paragraph's first line.
    fn text_state(
        &mut self,
        line: &Line,
        only_text: bool,
        context: &mut Vec<Line>,
        m: &mut Machine<'_>,
        run: &mut Run,
    ) -> Flow {
        let c = line.chars();
        if !only_text {
            if is_spaces(c) {
                let lineno = self.doc.wrap(m.abs_line_number() - 1);
                self.text_blank(context, lineno, m, run);
                context.clear();
                return Flow::Next(State::Body);
            }
            if c[0] == ' ' {
                self.definition_list(context, m, run);
                context.clear();
                return Flow::Next(State::Body);
            }
            if is_line(c) {
                return self.underline(line, context, m, run);
            }
        }
        // Text: a paragraph of several lines.
        let startline = self.doc.wrap(m.abs_line_number() - 1);
        let (block, unexpected) = match m.get_text_block(true) {
            Ok(block) => (block, None),
            Err((block, line)) => (block, Some(line)),
        };
        let mut lines: Vec<Line> = std::mem::take(context);
        lines.extend(block.iter().cloned());
        let literal_next = self.paragraph(&lines, startline, run);
        if let Some(line) = unexpected {
            self.doc.report_in(run.node, RstLevel::Error, "Unexpected indentation.", line);
        }
        if literal_next {
            m.next_line(1);
            self.literal_block(m, run);
        }
        Flow::Next(State::Body)
    }

    /// `Text.blank` (and the end of the input in the Text state): the
    /// paragraph in `context` ends.
    fn text_blank(&mut self, context: &mut Vec<Line>, lineno: usize, m: &mut Machine<'_>, run: &mut Run) {
        let lines = std::mem::take(context);
        if self.paragraph(&lines, lineno, run) {
            self.literal_block(m, run);
        }
    }

    /// `paragraph`: adds a paragraph (unless it is just `::`) and parses its
    /// inline markup; returns whether a literal block follows.
    fn paragraph(&mut self, lines: &[Line], lineno: usize, run: &mut Run) -> bool {
        let mut data: Vec<char> = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                data.push('\n');
            }
            data.extend_from_slice(line.chars());
        }
        let data = super::text::strip_end(&data).to_vec();
        let (text, literal_next) = if ends_with_unescaped_colons(&data) {
            if data.len() == 2 {
                return true;
            }
            let before = data[data.len() - 3];
            if before == ' ' || before == '\n' {
                (super::text::strip_end(&data[..data.len() - 3]).to_vec(), true)
            } else {
                (data[..data.len() - 1].to_vec(), true)
            }
        } else {
            (data, false)
        };
        let real = lines.first().map_or(lineno, |line| line.number);
        let paragraph = self.doc.add(run.node, Kind::Paragraph, Some(real));
        let inline = self.inline(&text, Place { line: lineno, element_line: Some(real) });
        self.add_messages(run.node, &inline);
        if self.capture.is_some() {
            self.paragraph_flags.insert(paragraph, inline.flags);
        }
        literal_next
    }

    /// `literal_block`: the indented block after `::`, or a quoted one.
    fn literal_block(&mut self, m: &mut Machine<'_>, run: &mut Run) {
        let mut indented = m.get_indented(false, true);
        while indented.lines.last().is_some_and(Line::is_blank) {
            indented.lines.pop();
        }
        if indented.lines.is_empty() {
            self.quoted_literal_block(m, run);
            return;
        }
        let line = indented.lines.first().map_or_else(|| self.doc.wrap(indented.offset + 1), |line| line.number);
        self.doc.add(run.node, Kind::LiteralBlock, Some(line));
        if !indented.blank_finish {
            self.unindent_warning("Literal block", m, run.node);
        }
    }

    /// `quoted_literal_block`: unindented lines that all start with the same
    /// punctuation character.
    fn quoted_literal_block(&mut self, m: &mut Machine<'_>, run: &mut Run) {
        let offset = m.abs_line_offset();
        let lines = m.current_and_rest();
        let container = self.doc.create(Kind::Element, None);
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let mut machine = Machine::new(lines, offset, Rc::clone(&self.shared), false);
        let mut quoted = Run::new(container, false);
        self.run(&mut machine, State::QuotedLiteral, &mut quoted);
        self.depth -= 1;
        let new_offset = machine.abs_line_offset();
        for child in self.doc.children(container).to_vec() {
            self.doc.append(run.node, child);
        }
        m.goto_line(new_offset);
    }

    /// The `QuotedLiteralBlock` state.
    fn quoted_literal_state(&mut self, line: &Line, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let c = line.chars();
        if is_spaces(c) {
            return if run.quoted_lines > 0 { Flow::Stop } else { Flow::Next(State::QuotedLiteral) };
        }
        if c[0] == ' ' {
            let number = m.abs_line_number();
            self.doc.report(RstLevel::Error, "Unexpected indentation.", number);
            m.previous_line(1);
            return Flow::Stop;
        }
        match run.quote {
            None if is_punctuation7(c[0]) => {
                run.quote = Some(c[0]);
                run.quoted_lines = 1;
                Flow::Next(State::QuotedLiteral)
            }
            Some(quote) if c[0] == quote => {
                run.quoted_lines += 1;
                Flow::Next(State::QuotedLiteral)
            }
            _ => {
                if run.quoted_lines > 0 {
                    let number = m.abs_line_number();
                    self.doc.report(RstLevel::Error, "Inconsistent literal block quoting.", number);
                    m.previous_line(1);
                }
                Flow::Stop
            }
        }
    }

    /// `Text.indent`: a definition list.
    fn definition_list(&mut self, context: &mut [Line], m: &mut Machine<'_>, run: &mut Run) {
        let lineno = self.doc.wrap(m.abs_line_number() - 1);
        let list = self.doc.add(run.node, Kind::DefinitionList, Some(lineno));
        let (item, blank_finish) = self.definition_list_item(context, m);
        self.doc.append(list, item);
        let rest = m.rest();
        let (offset, blank_finish) =
            self.nested_list_parse(rest, m.abs_line_offset() + 1, list, State::DefinitionList, blank_finish, |_| {});
        m.goto_line(offset);
        if !blank_finish {
            self.unindent_warning("Definition list", m, run.node);
        }
    }

    /// `definition_list_item`: the term in `context`, the definition from
    /// the current (indented) line.
    fn definition_list_item(&mut self, context: &[Line], m: &mut Machine<'_>) -> (NodeId, bool) {
        let dd_line = m.line().map_or_else(|| self.here(m), |line| line.number);
        let dt_line = self.doc.wrap(m.abs_line_number() - 1);
        let dt_real = context.first().map_or(dt_line, |line| line.number);
        let indented = m.get_indented(false, true);
        let item = self.doc.create(Kind::Other, Some(dt_real));
        let definition = self.doc.add(item, Kind::Definition, Some(dd_line));
        if let Some(term) = context.first() {
            let inline = self.inline(term.chars(), Place { line: dt_line, element_line: Some(dt_real) });
            self.add_messages(definition, &inline);
            if term.chars().ends_with(&[':', ':']) {
                self.doc.add(definition, Kind::Message(1), Some(dd_line));
            }
        }
        self.nested_parse(&indented.lines, indented.offset, definition);
        (item, indented.blank_finish)
    }

    /// `Text.underline`: a section title with an underline.
    fn underline(&mut self, line: &Line, context: &mut Vec<Line>, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let lineno = self.here(m);
        let Some(title_line) = context.first().cloned() else { return Flow::Next(State::Body) };
        let title = super::text::strip_end(title_line.chars()).to_vec();
        let underline = super::text::strip_end(line.chars());
        let mut messages = Vec::new();
        if column_width(&title) > underline.len() {
            if underline.len() < 4 {
                if run.match_titles {
                    self.doc.add(run.node, Kind::Message(1), Some(lineno));
                }
                return Flow::Retry(None);
            }
            messages.push(("Title underline too short.", lineno));
        }
        if !run.match_titles {
            for (message, line) in messages {
                self.doc.report_in(run.node, RstLevel::Warning, message, line);
            }
            // docutils takes this line from the source.
            self.doc.report_in(run.node, RstLevel::Error, "Unexpected section title.", line.number);
            context.clear();
            return Flow::Next(State::Body);
        }
        let style = Style::Under(underline[0]);
        context.clear();
        self.section(&title, style, lineno - 1, messages, run);
        Flow::Next(State::Body)
    }

    /// The `Line` state: the line after an overline or transition marker.
    fn line_state(&mut self, line: &Line, context: &mut Vec<Line>, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let c = line.chars();
        let Some(overline_line) = context.first().cloned() else { return Flow::Next(State::Body) };
        let overline = super::text::strip_end(overline_line.chars()).to_vec();
        if is_spaces(c) {
            // A transition.
            if strip(&overline).len() < 4 {
                context.clear();
                m.previous_line(1);
                return Flow::Retry(Some(State::Body));
            }
            let line = self.doc.wrap(m.abs_line_number() - 1);
            self.doc.add(run.node, Kind::Transition, Some(line));
            context.clear();
            return Flow::Next(State::Body);
        }
        let lineno = self.doc.wrap(m.abs_line_number() - 1);
        if c[0] != ' ' && is_line(c) {
            // Two punctuation lines: neither title nor transition.
            if overline.len() < 4 {
                self.doc.add(run.node, Kind::Message(1), Some(lineno));
                context.clear();
                m.previous_line(1);
                return Flow::Retry(Some(State::Body));
            }
            self.doc.report_in(run.node, RstLevel::Error, "Invalid section title or transition marker.", lineno);
            context.clear();
            return Flow::Next(State::Body);
        }
        // An overlined title (the title line may be indented).
        let title = line.chars().to_vec();
        let Some(underline_line) = m.next_line(1).cloned() else {
            if overline.len() < 4 {
                self.doc.add(run.node, Kind::Message(1), Some(lineno));
                context.clear();
                m.previous_line(2);
                return Flow::Retry(Some(State::Body));
            }
            self.doc.report_in(run.node, RstLevel::Error, "Incomplete section title.", lineno);
            context.clear();
            return Flow::Next(State::Body);
        };
        let underline = super::text::strip_end(underline_line.chars()).to_vec();
        let short = |parser: &mut Parser, m: &mut Machine<'_>, context: &mut Vec<Line>| {
            parser.doc.add(run.node, Kind::Message(1), Some(lineno));
            context.clear();
            m.previous_line(2);
            Flow::Retry(Some(State::Body))
        };
        if underline.first() == Some(&' ') || !is_line(&underline) {
            if overline.len() < 4 {
                return short(self, m, context);
            }
            self.doc.report_in(
                run.node,
                RstLevel::Error,
                "Missing matching underline for section title overline.",
                lineno,
            );
            context.clear();
            return Flow::Next(State::Body);
        }
        if overline != underline {
            if overline.len() < 4 {
                return short(self, m, context);
            }
            self.doc.report_in(run.node, RstLevel::Error, "Title overline & underline mismatch.", lineno);
            context.clear();
            return Flow::Next(State::Body);
        }
        let title = super::text::strip_end(&title).to_vec();
        let mut messages = Vec::new();
        if column_width(&title) > overline.len() {
            if overline.len() < 4 {
                return short(self, m, context);
            }
            messages.push(("Title overline too short.", lineno));
        }
        let style = Style::Over(overline[0], underline[0]);
        context.clear();
        let title = super::text::strip_start(&title).to_vec();
        self.section(&title, style, lineno + 1, messages, run);
        Flow::Next(State::Body)
    }

    /// `section`: checks the title's level and starts the section.
    fn section(&mut self, title: &[char], style: Style, lineno: usize, messages: Vec<(&str, usize)>, run: &mut Run) {
        for (message, line) in &messages {
            self.doc.report(RstLevel::Warning, *message, *line);
        }
        let parents = self.doc.section_hierarchy(run.node);
        let old_level = parents.len();
        let new_level = self
            .title_styles
            .iter()
            .position(|&known| known == style)
            .map_or(self.title_styles.len() + 1, |index| index + 1);
        let styles = || self.title_styles.iter().map(|style| style.describe()).collect::<Vec<_>>().join(" ");
        if new_level > old_level + 1 {
            let _ = styles();
            self.doc.report_in(
                run.node,
                RstLevel::Error,
                format!("Inconsistent title style: skip from level {old_level} to {new_level}."),
                lineno,
            );
            return;
        }
        if new_level <= old_level {
            let index = parents.len() + new_level - old_level - 1;
            let Some(parent) = parents.get(index).and_then(|&section| self.doc.nodes[section].parent) else {
                self.doc.report_in(
                    run.node,
                    RstLevel::Error,
                    format!("A level {new_level} section cannot be used here."),
                    lineno,
                );
                return;
            };
            run.node = parent;
        }
        if new_level > self.title_styles.len() {
            self.title_styles.push(style);
        }
        // new_subsection
        let section = self.doc.add(run.node, Kind::Section, None);
        self.doc.add(section, Kind::Title, None);
        for (_, line) in &messages {
            self.doc.add(section, Kind::Message(2), Some(*line));
        }
        // The title element gets docutils' current line (the underline).
        let title_line = self.current_line();
        let inline = self.inline(title, Place { line: lineno, element_line: title_line });
        self.add_messages(section, &inline);
        let name = normalize_name(&inline.text.chars().collect::<Vec<_>>());
        let line = self.top_line().unwrap_or(1);
        self.doc.note_target(&name, Pointer::Here, false, None, line);
        run.node = section;
    }

    /// Explicit markup (`..`): footnotes, citations, targets, substitution
    /// definitions, directives and comments. Returns `blank_finish`.
    fn explicit_construct(&mut self, line: &Line, m: &mut Machine<'_>, run: &mut Run) -> bool {
        let c = line.chars();
        let after_dots = 2 + c[2..].iter().take_while(|&&ch| ch == ' ').count();
        let has_space = after_dots > 2;
        if has_space {
            // Footnotes and citations: `.. [label]`.
            if c.get(after_dots) == Some(&'[')
                && let Some((label_end, end)) = explicit_label(c, after_dots + 1)
            {
                let label = &c[after_dots + 1..label_end];
                return self.footnote_or_citation(label, end, m, run);
            }
            // A malformed target or substitution definition leaves the
            // cursor at the end of its block; docutils then reads a comment
            // from there and reports the problem at that line.
            if c.get(after_dots) == Some(&'_') && c.get(after_dots + 1).is_some_and(|&ch| ch != ' ') {
                match self.hyperlink_target(after_dots + 1, m, run) {
                    Ok(blank_finish) => return blank_finish,
                    Err(()) => {
                        let number = m.abs_line_number();
                        let blank_finish = self.comment(c, after_dots, m, run);
                        self.doc.report_in(run.node, RstLevel::Warning, "malformed hyperlink target.", number);
                        return blank_finish;
                    }
                }
            }
            if c.get(after_dots) == Some(&'|') && c.get(after_dots + 1).is_some_and(|&ch| ch != ' ') {
                match self.substitution_def(after_dots + 1, m, run) {
                    Ok(blank_finish) => return blank_finish,
                    Err(()) => {
                        let number = m.abs_line_number();
                        let blank_finish = self.comment(c, after_dots, m, run);
                        self.doc.report_in(run.node, RstLevel::Warning, "malformed substitution definition.", number);
                        return blank_finish;
                    }
                }
            }
            if let Some((name_end, end)) = directive_marker(c, after_dots) {
                let name: String = c[after_dots..name_end].iter().collect();
                let (nodes, blank_finish) = self.directive(&name, end, m, run, None);
                for node in nodes {
                    self.doc.append(run.node, node);
                }
                return blank_finish;
            }
        }
        self.comment(c, after_dots, m, run)
    }

    /// `comment`.
    fn comment(&mut self, c: &[char], end: usize, m: &mut Machine<'_>, run: &mut Run) -> bool {
        if m.is_next_line_blank() && is_blank(&c[end.min(c.len())..]) {
            let line = self.here(m);
            self.doc.add(run.node, Kind::Comment { empty: true }, Some(line));
            return true;
        }
        let line = self.here(m);
        let indented = m.get_first_known_indented(end, false, true, true);
        let empty = indented.lines.iter().all(Line::is_blank);
        self.doc.add(run.node, Kind::Comment { empty }, Some(line));
        indented.blank_finish
    }

    /// `explicit_list`: more explicit constructs directly after this one.
    fn explicit_list(&mut self, blank_finish: bool, m: &mut Machine<'_>, run: &mut Run) {
        let rest = m.rest();
        let node = run.node;
        let (offset, blank_finish) =
            self.nested_list_parse(rest, m.abs_line_offset() + 1, node, State::Explicit, blank_finish, |_| {});
        m.goto_line(offset);
        if !blank_finish {
            self.unindent_warning("Explicit markup", m, run.node);
        }
    }

    /// `.. [label]`: a footnote or a citation.
    fn footnote_or_citation(&mut self, label: &[char], end: usize, m: &mut Machine<'_>, run: &mut Run) -> bool {
        let line = m.line().map_or_else(|| self.here(m), |line| line.number);
        let indented = m.get_first_known_indented(end, false, true, true);
        let is_footnote = label.iter().all(char::is_ascii_digit) || label.first() == Some(&'#') || label == ['*'];
        let kind = if is_footnote { Kind::Footnote } else { Kind::Citation };
        let node = self.doc.create(kind, Some(line));
        let name = normalize_name(label);
        if label.first() == Some(&'#') {
            let label_name: String = name.chars().skip(1).collect();
            if label_name.is_empty() {
                self.doc.auto_footnotes.push(None);
            } else {
                self.doc.auto_footnotes.push(Some(label_name.clone()));
                self.doc.note_target(&label_name, Pointer::Here, true, Some(line), line);
            }
        } else if label == ['*'] {
            self.doc.symbol_footnotes += 1;
        } else {
            self.doc.note_target(&name, Pointer::Here, true, Some(line), line);
        }
        if indented.lines.is_empty() {
            let top = self.top_line().unwrap_or(line);
            let message = if is_footnote { "Footnote content expected." } else { "Citation content expected." };
            self.doc.report_in(node, RstLevel::Warning, message, top);
        } else {
            self.nested_parse(&indented.lines, indented.offset, node);
        }
        self.doc.append(run.node, node);
        indented.blank_finish
    }

    /// `.. _name: target` (the `_` ends at `start`).
    fn hyperlink_target(&mut self, start: usize, m: &mut Machine<'_>, run: &mut Run) -> Result<bool, ()> {
        let lineno = self.here(m);
        let indented = m.get_first_known_indented(start, true, false, true);
        let block: Vec<Vec<char>> = indented.lines.iter().map(|line| super::inline::escape(line.chars())).collect();
        let Some((index, name, rest)) = match_target_block(&block) else {
            return Err(());
        };
        let mut target_lines: Vec<Vec<char>> = vec![strip(&rest).to_vec()];
        target_lines.extend(block[index + 1..].iter().cloned());
        self.make_target(&target_lines, lineno, name, run);
        Ok(indented.blank_finish)
    }

    /// `__ target`: an anonymous target.
    fn anonymous_target(&mut self, end: usize, m: &mut Machine<'_>, run: &mut Run) -> bool {
        let lineno = self.here(m);
        let indented = m.get_first_known_indented(end, true, true, true);
        let block: Vec<Vec<char>> = indented.lines.iter().map(|line| super::inline::escape(line.chars())).collect();
        self.make_target(&block, lineno, None, run);
        indented.blank_finish
    }

    /// `make_target`: registers a named target.
    fn make_target(&mut self, block: &[Vec<char>], lineno: usize, name: Option<Vec<char>>, run: &mut Run) {
        let Some(name) = name else {
            // `.. __: uri`: anonymous.
            self.doc.anonymous_targets.push(lineno);
            let target = self.doc.add(run.node, Kind::Target, Some(lineno));
            if let Some(refname) = indirect_reference(block) {
                self.doc.note_indirect(String::new(), refname, lineno, Some(target));
            }
            if target_uri(block).is_empty() {
                self.doc.internal_targets.push(target);
            }
            return;
        };
        let name = normalize_name(&super::inline::unescape(&name).chars().collect::<Vec<_>>());
        let target = self.doc.add(run.node, Kind::Target, Some(lineno));
        if let Some(refname) = indirect_reference(block) {
            self.doc.note_target(&name, Pointer::Name(refname.clone()), true, Some(lineno), lineno);
            self.doc.note_indirect(name, refname, lineno, Some(target));
            return;
        }
        let uri = target_uri(block);
        if uri.is_empty() {
            // An internal target that nothing follows is rendered as an
            // anchor.
            self.doc.internal_targets.push(target);
        }
        let pointer = if uri.is_empty() { Pointer::Here } else { Pointer::Uri(uri) };
        self.doc.note_target(&name, pointer, true, Some(lineno), lineno);
    }

    /// `.. |name| directive:: ...` (the `|` ends at `start`).
    fn substitution_def(&mut self, start: usize, m: &mut Machine<'_>, run: &mut Run) -> Result<bool, ()> {
        // docutils takes this line from the source, not from the machine's
        // count.
        let srcline = m.line().map_or_else(|| self.here(m), |line| line.number);
        let indented = m.get_first_known_indented(start, false, false, true);
        let mut block = indented.lines.clone();
        let mut offset = indented.offset;
        // Find the closing `|`, joining lines with spaces.
        let mut escaped: Vec<char> = Vec::new();
        let mut found = None;
        for (index, line) in block.iter().enumerate() {
            if index == 0 {
                escaped.extend(super::inline::escape(super::text::strip_end(line.chars())));
            } else {
                escaped.push(' ');
                escaped.extend(super::inline::escape(strip(line.chars())));
            }
            if let Some((name_end, match_end)) = match_substitution_name(&escaped) {
                found = Some((index, name_end, match_end));
                break;
            }
            if index > 64 {
                break;
            }
        }
        let Some((index, name_end, match_end)) = found else {
            return Err(());
        };
        let name_chars: Vec<char> = escaped[..name_end].to_vec();
        let subname: String = name_chars.iter().map(|&c| if c == '\0' { '\\' } else { c }).collect();
        block.drain(..index);
        // The rest of the line after `|name| `.
        let first = block[0].trimmed();
        let keep_from = first.len() + 1 - (escaped.len() + 1 - match_end).min(first.len() + 1);
        let rest = first.slice(keep_from, first.len());
        block[0] = rest;
        if block[0].is_blank() {
            block.remove(0);
            offset += 1;
        }
        while block.last().is_some_and(Line::is_blank) {
            block.pop();
        }
        if block.is_empty() {
            self.doc.report_in(
                run.node,
                RstLevel::Warning,
                format!("Substitution definition \"{subname}\" missing contents."),
                srcline,
            );
            return Ok(indented.blank_finish);
        }
        block[0] = block[0].trimmed();
        let name = super::text::whitespace_normalize(&subname.chars().collect::<Vec<_>>());
        let definition = self.doc.create(Kind::SubstitutionDefinition, Some(srcline));
        self.substitution_flags.clear();
        self.substitution_result = None;
        let (_, blank_finish) =
            self.nested_list_parse(&block, offset, definition, State::SubstitutionDef, indented.blank_finish, |run| {
                run.substitution = Some((name.clone(), srcline));
            });
        // What the directive registered; indented blocks before it were
        // parsed as block quotes and move to the parent with their
        // references.
        let (capture, mark) = match self.substitution_result.take() {
            Some((capture, mark)) => (Some(capture), Some(mark)),
            None => (None, None),
        };
        // Block-level results move to the parent; the rest must be inline.
        let children = self.doc.children(definition).to_vec();
        self.doc.nodes[definition].children.clear();
        let mut inline_count = 0;
        for child in children {
            match self.doc.kind(child) {
                Kind::Inline => {
                    self.doc.append(definition, child);
                    inline_count += 1;
                }
                _ => self.doc.append(run.node, child),
            }
        }
        let flags = std::mem::take(&mut self.substitution_flags);
        if let Some(flag) = flags.first() {
            let message = match flag {
                Flag::Problematic => "Problematic content in substitution definition".to_owned(),
                Flag::AnonymousReference => "Anonymous references are not supported in a substitution definition.".to_owned(),
                Flag::AutoFootnoteReference => {
                    "References to auto-numbered and auto-symbol footnotes are not supported in a substitution definition."
                        .to_owned()
                }
                Flag::Target => "Targets (names and identifiers) are not supported in a substitution definition.".to_owned(),
            };
            self.doc.report_in(run.node, RstLevel::Error, message, srcline);
            if let Some(mark) = mark {
                self.doc.discard(mark);
            }
            return Ok(blank_finish);
        }
        if inline_count == 0 {
            if let Some(mark) = mark {
                self.doc.discard(mark);
            }
            self.doc.report_in(
                run.node,
                RstLevel::Warning,
                format!("Substitution definition \"{subname}\" empty or invalid."),
                srcline,
            );
            return Ok(blank_finish);
        }
        if self.doc.substitutions.contains_key(&name) {
            self.doc.report(RstLevel::Error, format!("Duplicate substitution definition name: \"{name}\"."), srcline);
        }
        if let Some(capture) = capture {
            self.doc.substitutions.insert(
                name,
                super::document::Substitution { line: srcline, references: capture.references, nested: capture.nested },
            );
        }
        self.doc.append(run.node, definition);
        Ok(blank_finish)
    }

    /// The `SubstitutionDef` state: an embedded directive, or nothing.
    fn substitution_def_state(&mut self, line: &Line, m: &mut Machine<'_>, run: &mut Run) -> Flow {
        let c = line.chars();
        if let Some((name_end, end)) = embedded_directive_marker(c) {
            let name: String = c[..name_end].iter().collect();
            let (substitution, line) = run.substitution.clone().unwrap_or_default();
            let mark = self.doc.mark();
            let saved = self.capture.replace(Capture {
                name: substitution.clone(),
                line,
                references: Vec::new(),
                nested: Vec::new(),
            });
            let (nodes, blank_finish) = self.directive(&name, end, m, run, Some(substitution));
            let capture = std::mem::replace(&mut self.capture, saved);
            if let Some(capture) = capture {
                self.substitution_result = Some((capture, mark));
            }
            for node in nodes {
                self.doc.append(run.node, node);
            }
            if !m.at_eof() {
                run.blank_finish = blank_finish;
            }
        } else if !m.at_eof() {
            run.blank_finish = m.is_next_line_blank();
        }
        Flow::Stop
    }
}

/// docutils' `blank` pattern (`' *$'`).
fn is_spaces(c: &[char]) -> bool {
    c.iter().all(|&ch| ch == ' ')
}

/// `invalid_input` of the list states: back up and stop.
fn invalid(m: &mut Machine<'_>) -> Flow {
    m.previous_line(1);
    Flow::Stop
}

/// Whether `data` ends with `::` not escaped by a backslash
/// (`(?<!\\)(\\\\)*::$`).
fn ends_with_unescaped_colons(data: &[char]) -> bool {
    if !data.ends_with(&[':', ':']) {
        return false;
    }
    let backslashes = data[..data.len() - 2].iter().rev().take_while(|&&c| c == '\\').count();
    backslashes % 2 == 0
}

/// `split_attribution`: where a block quote's attribution starts (a line
/// after a blank line beginning with `--`, `---` or an em dash), with the
/// first line's marker length, the indentation of the following lines and
/// the index after the attribution.
fn split_attribution(lines: &[Line]) -> Option<(usize, usize, usize, usize)> {
    let mut blank: Option<usize> = None;
    let mut nonblank_seen = false;
    for (index, line) in lines.iter().enumerate() {
        let text = super::text::strip_end(line.chars());
        if text.is_empty() {
            blank = Some(index);
            continue;
        }
        if nonblank_seen
            && index > 0
            && blank == Some(index - 1)
            && let Some(marker_end) = attribution_marker(text)
            && let Some((end, indent)) = check_attribution(lines, index)
        {
            return Some((index, marker_end, indent, end));
        }
        nonblank_seen = true;
    }
    None
}

/// `(---?(?!-)|\u2014) *(?=[^ \n])`: the end of an attribution marker.
fn attribution_marker(text: &[char]) -> Option<usize> {
    let dashes = if text.first() == Some(&'\u{2014}') {
        1
    } else {
        let count = text.iter().take_while(|&&c| c == '-').count();
        if count == 2 || count == 3 { count } else { return None }
    };
    let spaces = text[dashes..].iter().take_while(|&&c| c == ' ').count();
    let end = dashes + spaces;
    text.get(end).is_some_and(|&c| c != ' ' && c != '\n').then_some(end)
}

/// `check_attribution`: the attribution's lines must share one indentation.
fn check_attribution(lines: &[Line], start: usize) -> Option<(usize, usize)> {
    let mut indent: Option<usize> = None;
    let mut index = start + 1;
    let mut broke = false;
    while index < lines.len() {
        let text = super::text::strip_end(lines[index].chars());
        if text.is_empty() {
            broke = true;
            break;
        }
        let leading = text.len() - super::text::strip_start(text).len();
        match indent {
            None => indent = Some(leading),
            Some(known) if known != leading => return None,
            Some(_) => {}
        }
        index += 1;
    }
    if !broke && start + 1 >= lines.len() {
        index = start + 2;
    }
    Some((index, indent.unwrap_or(0)))
}

/// `.. [label]` at `start` (after the `[`): the label's end and the end of
/// the marker, for footnote and citation labels.
fn explicit_label(c: &[char], start: usize) -> Option<(usize, usize)> {
    let close = (start..c.len()).find(|&index| c[index] == ']')?;
    let label = &c[start..close];
    let simplename = |text: &[char]| is_simplename(text);
    let valid = (!label.is_empty() && label.iter().all(char::is_ascii_digit))
        || label == ['#']
        || (label.first() == Some(&'#') && simplename(&label[1..]))
        || label == ['*']
        || simplename(label);
    if !valid {
        return None;
    }
    spaces_or_end(c, close + 1).map(|end| (close, end))
}

/// Whether `text` is exactly one docutils simplename.
pub(super) fn is_simplename(text: &[char]) -> bool {
    if text.is_empty() || !is_name_char(text[0]) {
        return false;
    }
    let mut index = 0;
    loop {
        while index < text.len() && is_name_char(text[index]) {
            index += 1;
        }
        if index == text.len() {
            return true;
        }
        if matches!(text[index], '-' | '.' | '_' | '+' | ':') && text.get(index + 1).is_some_and(|&c| is_name_char(c)) {
            index += 1;
        } else {
            return false;
        }
    }
}

/// `.. name::` at `start`: the directive name's end and the end of the
/// marker (`(simplename)[ ]?::([ ]+|$)`).
fn directive_marker(c: &[char], start: usize) -> Option<(usize, usize)> {
    simplename_ends(c, start).into_iter().find_map(|name_end| {
        let mut index = name_end;
        if c.get(index) == Some(&' ') {
            index += 1;
        }
        if c.get(index) == Some(&':') && c.get(index + 1) == Some(&':') {
            return spaces_or_end(c, index + 2).map(|end| (name_end, end));
        }
        // Without the optional space.
        if c.get(name_end) == Some(&':') && c.get(name_end + 1) == Some(&':') {
            return spaces_or_end(c, name_end + 2).map(|end| (name_end, end));
        }
        None
    })
}

/// The embedded directive of a substitution definition
/// (`(simplename)::( +|$)`).
fn embedded_directive_marker(c: &[char]) -> Option<(usize, usize)> {
    simplename_ends(c, 0).into_iter().find_map(|name_end| {
        if c.get(name_end) == Some(&':') && c.get(name_end + 1) == Some(&':') {
            spaces_or_end(c, name_end + 2).map(|end| (name_end, end))
        } else {
            None
        }
    })
}

/// The possible ends of a simplename starting at `start`, longest first.
pub(super) fn simplename_ends(c: &[char], start: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    if !c.get(start).is_some_and(|&ch| is_name_char(ch)) {
        return ends;
    }
    let mut index = start;
    loop {
        while index < c.len() && is_name_char(c[index]) {
            index += 1;
        }
        ends.push(index);
        if index + 1 < c.len() && matches!(c[index], '-' | '.' | '_' | '+' | ':') && is_name_char(c[index + 1]) {
            index += 1;
        } else {
            break;
        }
    }
    ends.reverse();
    ends
}

/// Matches docutils' hyperlink target pattern on the block's lines joined
/// without separators, adding lines until it matches: the index of the last
/// line used, the name (`None` for `__`), and the rest of that line.
fn match_target_block(block: &[Vec<char>]) -> Option<(usize, Option<Vec<char>>, Vec<char>)> {
    let mut escaped: Vec<char> = Vec::new();
    for (index, line) in block.iter().enumerate() {
        escaped.extend_from_slice(line);
        if let Some((name, end)) = match_target(&escaped) {
            let remaining = escaped.len() - end;
            let mut last: Vec<char> = line.clone();
            last.push(' ');
            let keep = remaining + 1;
            let rest = last[last.len().saturating_sub(keep)..].to_vec();
            return Some((index, name, rest));
        }
        if index > 64 {
            break;
        }
    }
    None
}

/// The hyperlink target pattern at the start of `s`: the name (`None` for
/// an anonymous `_`) and where the match ends.
fn match_target(s: &[char]) -> Option<(Option<Vec<char>>, usize)> {
    let tail = |position: usize| -> Option<usize> {
        if position == 0 {
            return None;
        }
        let before = s[position - 1];
        if before == ':' && !(position >= 2 && s[position - 2] == '\0') {
            return None;
        }
        if is_space(before) || before == '\0' {
            return None;
        }
        for space in [1, 0] {
            let mut index = position;
            if space == 1 {
                if s.get(index) != Some(&' ') {
                    continue;
                }
                index += 1;
            }
            if s.get(index) == Some(&':')
                && let Some(end) = spaces_or_end(s, index + 1)
            {
                return Some(end);
            }
        }
        None
    };
    if s.first() == Some(&'_') {
        return tail(1).map(|end| (None, end));
    }
    let quote = s.first() == Some(&'`');
    let name_start = usize::from(quote);
    if s.get(name_start).is_none_or(|&c| c == ' ' || c == '`') {
        return None;
    }
    for name_end in name_start + 1..=s.len() {
        let before = s[name_end - 1];
        if is_space(before) || before == '\0' {
            continue;
        }
        let position = if quote {
            if s.get(name_end) != Some(&'`') {
                continue;
            }
            name_end + 1
        } else {
            name_end
        };
        if let Some(end) = tail(position) {
            return Some((Some(s[name_start..name_end].to_vec()), end));
        }
    }
    None
}

/// The closing `|` of a substitution definition's name
/// (`(?![ ])(?P<name>.+?)(?<![\s\x00])\|([ ]+|$)`): the name's end and the
/// match's end.
fn match_substitution_name(s: &[char]) -> Option<(usize, usize)> {
    if s.first().is_none_or(|&c| c == ' ') {
        return None;
    }
    for name_end in 1..s.len() {
        if s[name_end] != '|' {
            continue;
        }
        let before = s[name_end - 1];
        if is_space(before) || before == '\0' {
            continue;
        }
        if let Some(end) = spaces_or_end(s, name_end + 1) {
            return Some((name_end, end));
        }
    }
    None
}

/// `parse_target`: an indirect target's reference name, if the block (of
/// escaped lines) is one (`name_` or `` `phrase`_ ``).
pub(super) fn indirect_reference_of(block: &[Vec<char>]) -> Option<String> {
    indirect_reference(block)
}

fn indirect_reference(block: &[Vec<char>]) -> Option<String> {
    let last = block.last()?;
    if strip(last).last() != Some(&'_') {
        return None;
    }
    let joined: Vec<char> = block.iter().map(|line| strip(line).to_vec()).collect::<Vec<_>>().join(&' ');
    let normalized: Vec<char> = super::text::whitespace_normalize(&joined).chars().collect();
    let n = normalized.len();
    if n >= 2 && normalized[n - 1] == '_' && is_simplename(&normalized[..n - 1]) {
        return Some(normalize_name(&super::inline::unescape(&normalized[..n - 1]).chars().collect::<Vec<_>>()));
    }
    if n >= 4 && normalized[0] == '`' && normalized[n - 2] == '`' && normalized[n - 1] == '_' && normalized[1] != ' ' {
        let phrase = &normalized[1..n - 2];
        let last_char = phrase.last().copied().unwrap_or(' ');
        if !phrase.is_empty() && !is_space(last_char) && last_char != '\0' {
            return Some(normalize_name(&super::inline::unescape(phrase).chars().collect::<Vec<_>>()));
        }
    }
    None
}

/// The URI of a target block: the lines joined, unescaped whitespace
/// removed.
fn target_uri(block: &[Vec<char>]) -> String {
    let joined: Vec<char> = block.to_vec().join(&' ');
    let mut parts: Vec<String> = Vec::new();
    let mut current: Vec<char> = Vec::new();
    let mut index = 0;
    while index < joined.len() {
        if joined[index] == '\0' && matches!(joined.get(index + 1), Some(' ' | '\n')) {
            parts.push(super::inline::unescape(&current).split(is_space).collect());
            current.clear();
            index += 2;
            continue;
        }
        current.push(joined[index]);
        index += 1;
    }
    parts.push(super::inline::unescape(&current).split(is_space).collect());
    parts.join(" ")
}
