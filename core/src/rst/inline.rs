//! Inline markup (`docutils.parsers.rst.states.Inliner`): emphasis, strong,
//! literals, interpreted text and roles, references, targets, footnote and
//! substitution references.
//!
//! The text is scanned once from left to right, as docutils' regular
//! expression search does: at each position the start-strings are tried in
//! docutils' order, and a start-string without its end-string is reported
//! and skipped. The end-strings are found through tables of candidate
//! positions computed once per text, so a paragraph full of unmatched
//! start-strings still takes linear time.

use super::RstLevel;
use super::body::Parser;
use super::document::Pointer;
use super::text::{is_end_suffix, is_name_char, is_quote_pair, is_space, is_start_prefix, normalize_name};

/// The escape marker docutils substitutes for backslashes.
const NUL: char = '\0';

/// What a substitution definition must not contain, in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flag {
    /// Markup docutils could not parse.
    Problematic,
    /// An anonymous reference.
    AnonymousReference,
    /// A reference to an auto-numbered or auto-symbol footnote.
    AutoFootnoteReference,
    /// An element with a name or an identifier (targets, footnote and
    /// citation references).
    Target,
}

/// The result of parsing a piece of inline text.
#[derive(Default)]
pub(super) struct Inline {
    /// The text without markup (`astext()`), for names.
    pub(super) text: String,
    /// The offending elements for substitution definitions, in order.
    pub(super) flags: Vec<Flag>,
    /// Whether any markup failed (a `problematic` element).
    pub(super) problematic: bool,
    /// The system messages the parse produced (level and line), which
    /// docutils places after the text's element.
    pub(super) messages: Vec<(u8, usize)>,
}

/// `nodes.unescape`: drops escape markers, and escaped whitespace with them.
pub(super) fn unescape(text: &[char]) -> String {
    let mut out = String::new();
    let mut index = 0;
    while index < text.len() {
        if text[index] == NUL {
            if matches!(text.get(index + 1), Some(' ' | '\n')) {
                index += 2;
            } else {
                index += 1;
            }
            continue;
        }
        out.push(text[index]);
        index += 1;
    }
    out
}

/// `utils.escape2null`: each backslash and the character after it become
/// NUL and that character.
pub(super) fn escape(text: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    let mut index = 0;
    while index < text.len() {
        if text[index] == '\\' {
            out.push(NUL);
            if let Some(&next) = text.get(index + 1) {
                out.push(next);
            }
            index += 2;
        } else {
            out.push(text[index]);
            index += 1;
        }
    }
    out
}

/// The structure of "simplenames" (`(?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*`)
/// in a text: runs of name characters joined by single separators.
struct Names {
    /// For each position starting a run, the end of the longest simplename
    /// starting there.
    chain_end: Vec<usize>,
    /// For each position starting a run, the end of the longest simplename
    /// starting there that is followed by a valid reference end (`_` or
    /// `__` and an end-string suffix), with the end of that suffix.
    reference_end: Vec<Option<(usize, usize)>>,
}

impl Names {
    fn new(s: &[char]) -> Self {
        let n = s.len();
        let mut run_end = vec![0; n];
        let mut chain_end = vec![0; n];
        let mut reference_end = vec![None; n];
        // Runs, right to left.
        let mut index = n;
        while index > 0 {
            index -= 1;
            if !is_name_char(s[index]) {
                continue;
            }
            let end = if index + 1 < n && is_name_char(s[index + 1]) { run_end[index + 1] } else { index + 1 };
            run_end[index] = end;
        }
        // Chains and reference ends, right to left over run starts.
        let suffix_ok = |position: usize| position >= n || is_end_suffix(s[position]);
        let mut index = n;
        while index > 0 {
            index -= 1;
            let is_run_start = is_name_char(s[index]) && (index == 0 || !is_name_char(s[index - 1]));
            if !is_run_start {
                continue;
            }
            let end = run_end[index];
            let continues = end + 1 < n && matches!(s[end], '-' | '.' | '_' | '+' | ':') && is_name_char(s[end + 1]);
            let own = if end < n && s[end] == '_' {
                if end + 1 < n && s[end + 1] == '_' && suffix_ok(end + 2) {
                    Some((end, end + 2))
                } else if suffix_ok(end + 1) {
                    Some((end, end + 1))
                } else {
                    None
                }
            } else {
                None
            };
            if continues {
                chain_end[index] = chain_end[end + 1];
                reference_end[index] = reference_end[end + 1].or(own);
            } else {
                chain_end[index] = end;
                reference_end[index] = own;
            }
        }
        Names { chain_end, reference_end }
    }

    /// Whether a run starts at `position`.
    fn starts_run(&self, s: &[char], position: usize) -> bool {
        position < s.len() && is_name_char(s[position]) && (position == 0 || !is_name_char(s[position - 1]))
    }

    /// The end of the longest simplename at `position`, which must start a
    /// run (every caller looks after a character that is not a name
    /// character).
    fn simplename_end(&self, s: &[char], position: usize) -> Option<usize> {
        self.starts_run(s, position).then(|| self.chain_end[position])
    }
}

/// What an end-string search looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EndKind {
    Emphasis,
    Strong,
    Literal,
    Target,
    Substitution,
}

/// The end of an interpreted text or phrase reference: the backquote
/// position, the suffix role and reference mark, and the end.
struct InterpretedEnd {
    backquote: usize,
    role: Option<(usize, usize)>,
    refend: usize,
    end: usize,
}

/// One inline text being parsed.
struct Scan<'t> {
    s: &'t [char],
    names: Names,
    /// Lazily built "next candidate at or after" tables for each end kind.
    next: [Option<Vec<usize>>; 6],
    /// For each position, the next `]` at or after it.
    next_bracket: Vec<usize>,
}

impl<'t> Scan<'t> {
    fn new(s: &'t [char]) -> Self {
        let mut next_bracket = vec![usize::MAX; s.len() + 1];
        for index in (0..s.len()).rev() {
            next_bracket[index] = if s[index] == ']' { index } else { next_bracket[index + 1] };
        }
        Scan { s, names: Names::new(s), next: Default::default(), next_bracket }
    }

    fn len(&self) -> usize {
        self.s.len()
    }

    fn at(&self, index: usize) -> Option<char> {
        self.s.get(index).copied()
    }

    fn suffix_ok(&self, position: usize) -> bool {
        position >= self.s.len() || is_end_suffix(self.s[position])
    }

    /// Whether `position` may start inline markup, the remaining text
    /// starting at `base`.
    fn prefix_ok(&self, base: usize, position: usize) -> bool {
        position == base || is_start_prefix(self.s[position - 1])
    }

    /// `quoted_start`: a start-string between a matching opener and closer.
    fn quoted(&self, base: usize, start: usize, end: usize) -> bool {
        if start == base {
            return false;
        }
        match self.at(end) {
            None => true,
            Some(after) => is_quote_pair(self.s[start - 1], after),
        }
    }

    /// Whether an end-string of `kind` matches at `j` ignoring what precedes
    /// it; returns the end of the end-string.
    fn end_here(&self, kind: EndKind, j: usize) -> Option<usize> {
        let s = self.s;
        match kind {
            EndKind::Emphasis => (s.get(j) == Some(&'*') && self.suffix_ok(j + 1)).then_some(j + 1),
            EndKind::Strong => {
                (s.get(j) == Some(&'*') && s.get(j + 1) == Some(&'*') && self.suffix_ok(j + 2)).then_some(j + 2)
            }
            EndKind::Literal => {
                (s.get(j) == Some(&'`') && s.get(j + 1) == Some(&'`') && self.suffix_ok(j + 2)).then_some(j + 2)
            }
            EndKind::Target => (s.get(j) == Some(&'`') && self.suffix_ok(j + 1)).then_some(j + 1),
            EndKind::Substitution => {
                if s.get(j) != Some(&'|') {
                    return None;
                }
                (0..=2)
                    .rev()
                    .find(|&count| {
                        (1..=count).all(|offset| s.get(j + offset) == Some(&'_')) && self.suffix_ok(j + 1 + count)
                    })
                    .map(|count| j + 1 + count)
            }
        }
    }

    /// Whether the character before `j` allows an end-string there.
    fn end_lookbehind(&self, kind: EndKind, j: usize) -> bool {
        let before = self.s[j - 1];
        match kind {
            EndKind::Literal => !is_space(before),
            _ => !(is_space(before) || before == NUL),
        }
    }

    fn table_index(kind: EndKind) -> usize {
        match kind {
            EndKind::Emphasis => 0,
            EndKind::Strong => 1,
            EndKind::Literal => 2,
            EndKind::Target => 3,
            EndKind::Substitution => 4,
        }
    }

    /// The leftmost end-string of `kind` at or after `from` (the remaining
    /// text starting at `from`): its position and end.
    fn find_end(&mut self, kind: EndKind, from: usize) -> Option<(usize, usize)> {
        if let Some(end) = self.end_here(kind, from) {
            return Some((from, end));
        }
        let table_index = Self::table_index(kind);
        if self.next[table_index].is_none() {
            let n = self.len();
            let mut next = vec![usize::MAX; n + 1];
            for j in (1..n).rev() {
                next[j] =
                    if self.end_here(kind, j).is_some() && self.end_lookbehind(kind, j) { j } else { next[j + 1] };
            }
            self.next[table_index] = Some(next);
        }
        let table = self.next[table_index].as_ref()?;
        let j = *table.get(from + 1)?;
        if j == usize::MAX {
            return None;
        }
        self.end_here(kind, j).map(|end| (j, end))
    }

    /// The interpreted-text end-string at `j`, ignoring what precedes it.
    fn interpreted_end_here(&self, j: usize) -> Option<InterpretedEnd> {
        let s = self.s;
        if s.get(j) != Some(&'`') {
            return None;
        }
        let after = j + 1;
        let mut roles = Vec::new();
        if s.get(after) == Some(&':')
            && let Some(name_end) = self.names.simplename_end(s, after + 1)
            && self.names.starts_run(s, after + 1)
            && s.get(name_end) == Some(&':')
        {
            roles.push(Some((after + 1, name_end)));
        }
        roles.push(None);
        for role in roles {
            let position = role.map_or(after, |(_, name_end)| name_end + 1);
            for refend in [2, 1, 0] {
                if (0..refend).all(|offset| s.get(position + offset) == Some(&'_')) && self.suffix_ok(position + refend)
                {
                    return Some(InterpretedEnd { backquote: j, role, refend, end: position + refend });
                }
            }
        }
        None
    }

    /// Whether the character(s) before `j` allow an interpreted-text end
    /// (`(?<!(?<!\x00)[\s\x00])`), the remaining text starting at `from`.
    fn interpreted_lookbehind(&self, from: usize, j: usize) -> bool {
        if j <= from {
            return true;
        }
        let before = self.s[j - 1];
        if !(is_space(before) || before == NUL) {
            return true;
        }
        j >= from + 2 && self.s[j - 2] == NUL
    }

    fn find_interpreted_end(&mut self, from: usize) -> Option<InterpretedEnd> {
        // The two first positions depend on where the remaining text starts;
        // the others are looked up in a table of candidates.
        for j in from..(from + 2).min(self.len()) {
            if self.interpreted_lookbehind(from, j)
                && let Some(found) = self.interpreted_end_here(j)
            {
                return Some(found);
            }
        }
        let n = self.len();
        if self.next[5].is_none() {
            let mut next = vec![usize::MAX; n + 1];
            for j in (0..n).rev() {
                let candidate =
                    self.s[j] == '`' && self.interpreted_lookbehind(0, j) && self.interpreted_end_here(j).is_some();
                next[j] = if candidate { j } else { next[j + 1] };
            }
            self.next[5] = Some(next);
        }
        let candidate = *self.next[5].as_ref()?.get(from + 2)?;
        if candidate == usize::MAX {
            return None;
        }
        self.interpreted_end_here(candidate)
    }
}

/// The start of an inline construct found by the scan.
enum Start {
    /// A simple start-string: emphasis, strong, literal, target,
    /// substitution reference; with the end of the start-string.
    Simple(EndKind, usize),
    /// `name_` or `name__`: the name's end and the whole match's end.
    Reference(usize, usize),
    /// `[label]_`: the label's range and the match's end.
    Footnote(usize, usize, usize),
    /// Interpreted text or phrase reference: the prefix role's name range
    /// (if any) and the backquote's position.
    Backquote(Option<(usize, usize)>, usize),
}

impl Scan<'_> {
    /// The construct starting at `i`, if any (the remaining text starts at
    /// `base`).
    fn start_at(&self, base: usize, i: usize) -> Option<Start> {
        if !self.prefix_ok(base, i) {
            return None;
        }
        let s = self.s;
        let not_space_at = |position: usize| s.get(position).is_none_or(|&c| !is_space(c));
        // Simple start-strings, in docutils' order.
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '*' && next == Some('*') && not_space_at(i + 2) {
            return Some(Start::Simple(EndKind::Strong, i + 2));
        }
        if c == '*' && next != Some('*') && not_space_at(i + 1) {
            return Some(Start::Simple(EndKind::Emphasis, i + 1));
        }
        if c == '`' && next == Some('`') && not_space_at(i + 2) {
            return Some(Start::Simple(EndKind::Literal, i + 2));
        }
        if c == '_' && next == Some('`') && not_space_at(i + 2) {
            return Some(Start::Simple(EndKind::Target, i + 2));
        }
        if c == '|' && next != Some('|') && not_space_at(i + 1) {
            return Some(Start::Simple(EndKind::Substitution, i + 1));
        }
        // Whole constructs: references and footnote references.
        if is_name_char(c)
            && let Some((name_end, end)) = self.reference_at(i)
        {
            return Some(Start::Reference(name_end, end));
        }
        if c == '['
            && let Some(found) = self.footnote_at(i)
        {
            return Some(found);
        }
        // Interpreted text, with an optional prefix role.
        if c == ':'
            && self.names.starts_run(s, i + 1)
            && let Some(name_end) = self.names.simplename_end(s, i + 1)
            && s.get(name_end) == Some(&':')
            && s.get(name_end + 1) == Some(&'`')
            && s.get(name_end + 2) != Some(&'`')
            && not_space_at(name_end + 2)
        {
            return Some(Start::Backquote(Some((i + 1, name_end)), name_end + 1));
        }
        if c == '`' && next != Some('`') && not_space_at(i + 1) {
            return Some(Start::Backquote(None, i));
        }
        None
    }

    /// `name_` / `name__` at `i`: the longest simplename followed by a
    /// valid reference end.
    fn reference_at(&self, i: usize) -> Option<(usize, usize)> {
        if self.names.starts_run(self.s, i) {
            self.names.reference_end[i]
        } else {
            // Within a run (after an opener that is a name character cannot
            // happen; a run always starts after a non-name character).
            None
        }
    }

    /// `[label]_` at `i`.
    fn footnote_at(&self, i: usize) -> Option<Start> {
        let s = self.s;
        let close = self.next_bracket.get(i + 1).copied().filter(|&close| close != usize::MAX)?;
        if s.get(close + 1) != Some(&'_') || !self.suffix_ok(close + 2) {
            return None;
        }
        let label = &s[i + 1..close];
        let simplename = |start: usize| {
            start < close && self.names.starts_run(s, start) && self.names.simplename_end(s, start) == Some(close)
        };
        let valid = (!label.is_empty() && label.iter().all(char::is_ascii_digit))
            || label == ['#']
            || (label.first() == Some(&'#') && simplename(i + 2))
            || label == ['*']
            || simplename(i + 1);
        valid.then_some(Start::Footnote(i + 1, close, close + 2))
    }

    /// The first construct at or after `from`.
    fn search(&self, base: usize, from: usize) -> Option<(usize, Start)> {
        (from..self.len()).find_map(|i| self.start_at(base, i).map(|start| (i, start)))
    }
}

/// The embedded `<target>` at the end of a phrase reference's text: the
/// text before it (end index) and the target's range.
fn embedded_target(s: &[char]) -> Option<(usize, usize, usize)> {
    let last = s.len().checked_sub(1)?;
    if s[last] != '>' || last == 0 {
        return None;
    }
    if is_space(s[last - 1]) || s[last - 1] == NUL {
        return None;
    }
    // The last unescaped '<' with no unescaped angle bracket after it.
    let mut index = last;
    let open = loop {
        if index == 0 {
            return None;
        }
        index -= 1;
        let c = s[index];
        let escaped = index > 0 && s[index - 1] == NUL;
        if c == '>' && !escaped {
            return None;
        }
        if c == '<' && !escaped {
            break index;
        }
    };
    if open + 1 >= last || is_space(s[open + 1]) {
        return None;
    }
    // Preceded by spaces or newlines, or at the start.
    let mut text_end = open;
    while text_end > 0 && matches!(s[text_end - 1], ' ' | '\n') {
        text_end -= 1;
    }
    if text_end == open && open != 0 {
        return None;
    }
    Some((text_end, open + 1, last))
}

/// Whether an embedded target ending in `_` is nevertheless a URI (it
/// starts with a scheme or looks like an e-mail address). Kept generous:
/// treating a name as a URI can only miss a problem, never invent one.
fn looks_like_uri(alias: &[char]) -> bool {
    let scheme = alias.first().is_some_and(char::is_ascii_alphabetic)
        && alias.iter().position(|&c| c == ':').is_some_and(|colon| {
            alias[..colon].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
        });
    scheme || alias.contains(&'@')
}

/// Python's `int()` on a string, for the `pep` and `rfc` roles: `None`
/// when it is not an integer. Non-ASCII digits (which Python accepts) are
/// reported as "unknown", never as invalid.
fn python_int(text: &str) -> Result<i128, bool> {
    let trimmed = text.trim_matches(is_space);
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if digits.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
        return Err(true);
    }
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return Err(false);
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let digit = c.to_digit(10).ok_or(false)?;
        value = value.saturating_mul(10).saturating_add(i128::from(digit));
    }
    Ok(if negative { -value } else { value })
}

/// Python's `int()` for option values: the value, with non-ASCII digits
/// (not checked) counted as valid.
pub(super) fn python_int_value(text: &str) -> Option<i128> {
    match python_int(text) {
        Ok(value) => Some(value),
        Err(true) => Some(1),
        Err(false) => None,
    }
}

/// The interpreted text roles docutils knows (`languages/en.py` and the
/// canonical names), with what each does with its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RoleKind {
    /// Wraps the text in an element: always fine.
    Generic,
    /// `pep`: a number from 0 to 9999.
    Pep,
    /// `rfc`: a number from 1, optionally followed by `#section`.
    Rfc,
    /// `raw`: disabled on the index.
    Raw,
    /// Registered but not implemented: an error.
    Unimplemented,
}

/// The built-in role called `name` (lower case), if any.
pub(super) fn standard_role(name: &str) -> Option<RoleKind> {
    Some(match name {
        "abbreviation" | "ab" | "acronym" | "ac" | "code" | "emphasis" | "literal" | "math" | "strong"
        | "subscript" | "sub" | "superscript" | "sup" | "title-reference" | "title" | "t" => RoleKind::Generic,
        "pep-reference" | "pep" => RoleKind::Pep,
        "rfc-reference" | "rfc" => RoleKind::Rfc,
        "raw" => RoleKind::Raw,
        "index"
        | "i"
        | "anonymous-reference"
        | "citation-reference"
        | "footnote-reference"
        | "named-reference"
        | "substitution-reference"
        | "uri-reference"
        | "uri"
        | "url"
        | "target"
        | "restructuredtext-unimplemented-role" => RoleKind::Unimplemented,
        _ => return None,
    })
}

/// Where the references found in a piece of inline text are reported.
#[derive(Clone, Copy)]
pub(super) struct Place {
    /// The line docutils gives messages of the inline parser (the line
    /// passed to `Inliner.parse`).
    pub(super) line: usize,
    /// The line of the element that will hold the text (`None` when
    /// docutils records none, as for section titles).
    pub(super) element_line: Option<usize>,
}

impl Parser {
    /// Parses inline markup in `raw` (the unescaped source text), reporting
    /// problems and registering references and targets.
    pub(super) fn inline(&mut self, raw: &[char], place: Place) -> Inline {
        let before = self.doc.problems.len();
        let mut out = self.inline_markup(raw, place);
        for problem in &self.doc.problems[before..] {
            out.messages.push((problem.level.number(), problem.line));
        }
        out
    }

    fn inline_markup(&mut self, raw: &[char], place: Place) -> Inline {
        let s = escape(raw);
        let mut scan = Scan::new(&s);
        let mut out = Inline::default();
        let mut base = 0;
        let mut plain_from = 0;
        let mut from = 0;
        while let Some((i, start)) = scan.search(base, from) {
            match start {
                Start::Simple(kind, matchend) => {
                    if scan.quoted(base, i, matchend) {
                        base = matchend;
                        from = matchend;
                        continue;
                    }
                    match scan.find_end(kind, matchend) {
                        Some((j, end)) if j > matchend => {
                            out.text.push_str(&unescape(&s[plain_from..i]));
                            let content = &s[matchend..j];
                            self.simple_construct(kind, content, &s[j..end], place, &mut out);
                            base = end;
                            from = end;
                            plain_from = end;
                        }
                        _ => {
                            let name = match kind {
                                EndKind::Emphasis => "emphasis",
                                EndKind::Strong => "strong",
                                EndKind::Literal => "literal",
                                EndKind::Target => "target",
                                EndKind::Substitution => "substitution_reference",
                            };
                            self.doc.report(
                                RstLevel::Warning,
                                format!("Inline {name} start-string without end-string."),
                                place.line,
                            );
                            out.problematic = true;
                            out.flags.push(Flag::Problematic);
                            base = matchend;
                            from = matchend;
                        }
                    }
                }
                Start::Reference(name_end, end) => {
                    out.text.push_str(&unescape(&s[plain_from..i]));
                    let name = &s[i..name_end];
                    out.text.push_str(&unescape(name));
                    if end - name_end == 2 {
                        self.doc.anonymous_references.push(place.element_line.unwrap_or(place.line));
                        out.flags.push(Flag::AnonymousReference);
                    } else {
                        self.reference(normalize_name(&unescape(name).chars().collect::<Vec<_>>()), place);
                    }
                    base = end;
                    from = end;
                    plain_from = end;
                }
                Start::Footnote(label_start, label_end, end) => {
                    out.text.push_str(&unescape(&s[plain_from..i]));
                    self.footnote_reference(&s[label_start..label_end], place, &mut out);
                    base = end;
                    from = end;
                    plain_from = end;
                }
                Start::Backquote(role, backquote) => {
                    let matchend = backquote + 1;
                    if role.is_none() && scan.quoted(base, i, matchend) {
                        base = matchend;
                        from = matchend;
                        continue;
                    }
                    match scan.find_interpreted_end(matchend) {
                        Some(found) if found.backquote > matchend => {
                            out.text.push_str(&unescape(&s[plain_from..i]));
                            self.interpreted_or_phrase(&s, i, role, matchend, &found, place, &mut out);
                            base = found.end;
                            from = found.end;
                            plain_from = found.end;
                        }
                        _ => {
                            self.doc.report(
                                RstLevel::Warning,
                                "Inline interpreted text or phrase reference start-string without end-string.",
                                place.line,
                            );
                            out.problematic = true;
                            out.flags.push(Flag::Problematic);
                            base = matchend;
                            from = matchend;
                        }
                    }
                }
            }
        }
        out.text.push_str(&unescape(&s[plain_from..]));
        out
    }

    /// A successfully closed emphasis, strong, literal, inline target or
    /// substitution reference.
    fn simple_construct(&mut self, kind: EndKind, content: &[char], end: &[char], place: Place, out: &mut Inline) {
        match kind {
            EndKind::Emphasis | EndKind::Strong => out.text.push_str(&unescape(content)),
            EndKind::Literal => out.text.extend(content.iter().map(|&c| if c == NUL { '\\' } else { c })),
            EndKind::Target => {
                let text = unescape(content);
                out.text.push_str(&text);
                let name = normalize_name(&text.chars().collect::<Vec<_>>());
                let line = self.top_line().unwrap_or(1);
                self.doc.note_target(&name, Pointer::Here, true, None, line);
                out.flags.push(Flag::Target);
            }
            EndKind::Substitution => {
                let text = unescape(content);
                out.text.push_str(&text);
                let chars: Vec<char> = text.chars().collect();
                let name = super::text::whitespace_normalize(&chars);
                let underscores = end.iter().filter(|&&c| c == '_').count();
                if underscores == 2 {
                    self.doc.anonymous_references.push(place.element_line.unwrap_or(place.line));
                    out.flags.push(Flag::AnonymousReference);
                } else if underscores == 1 {
                    self.reference(normalize_name(&chars), place);
                }
                self.substitution_reference(name, place);
            }
        }
    }

    /// Registers a reference to `refname` (and records it in the
    /// substitution definition being parsed, if any).
    pub(super) fn reference(&mut self, refname: String, place: Place) {
        let mut line = place.element_line;
        if let Some(capture) = self.capture.as_mut() {
            capture.references.push(refname.clone());
            line = Some(capture.line);
        }
        self.doc.note_reference(refname, line, place.line);
    }

    fn substitution_reference(&mut self, name: String, place: Place) {
        let in_definition = self.capture.as_ref().map(|capture| capture.name.clone());
        let mut line = place.element_line;
        if let Some(capture) = self.capture.as_mut() {
            capture.nested.push(name.clone());
            line = Some(capture.line);
        }
        self.doc.substitution_uses.push(super::document::SubstitutionUse {
            name,
            line,
            fallback_line: place.line,
            in_definition,
        });
    }

    /// `[label]_`.
    fn footnote_reference(&mut self, label: &[char], place: Place, out: &mut Inline) {
        let text = unescape(label);
        let is_number = !label.is_empty() && label.iter().all(char::is_ascii_digit);
        if label.first() == Some(&'#') {
            let name = normalize_name(&text.chars().skip(1).collect::<Vec<_>>());
            self.doc.auto_footnote_references.push((name, place.element_line, place.line));
            out.flags.push(Flag::AutoFootnoteReference);
        } else if label == ['*'] {
            self.doc.symbol_footnote_references.push((place.element_line, place.line));
            out.flags.push(Flag::AutoFootnoteReference);
        } else {
            out.text.push_str(&text);
            let _ = is_number;
            self.reference(normalize_name(&text.chars().collect::<Vec<_>>()), place);
            out.flags.push(Flag::Target);
        }
    }

    /// Interpreted text or a phrase reference, closed at `found`.
    #[allow(clippy::too_many_arguments, reason = "the pieces of one regular expression match")]
    fn interpreted_or_phrase(
        &mut self,
        s: &[char],
        start: usize,
        prefix_role: Option<(usize, usize)>,
        matchend: usize,
        found: &InterpretedEnd,
        place: Place,
        out: &mut Inline,
    ) {
        let content = &s[matchend..found.backquote];
        let mut role = prefix_role;
        let mut position = "prefix";
        if let Some(suffix) = found.role {
            if role.is_some() {
                self.doc.report(
                    RstLevel::Warning,
                    "Multiple roles in interpreted text (both prefix and suffix present; only one allowed).",
                    place.line,
                );
                out.problematic = true;
                out.flags.push(Flag::Problematic);
                out.text.push_str(&unescape(&s[start..found.end]));
                return;
            }
            role = Some(suffix);
            position = "suffix";
        }
        if found.refend > 0 {
            if role.is_some() {
                self.doc.report(
                    RstLevel::Warning,
                    format!("Mismatch: both interpreted text role {position} and reference suffix."),
                    place.line,
                );
                out.problematic = true;
                out.flags.push(Flag::Problematic);
                out.text.push_str(&unescape(&s[start..found.end]));
                return;
            }
            self.phrase_reference(content, found.refend == 2, place, out);
            return;
        }
        let role_name: Option<String> = role.map(|(from, to)| s[from..to].iter().collect());
        let rawsource: String = s[start..found.end].iter().map(|&c| if c == NUL { '\\' } else { c }).collect();
        self.interpreted(role_name.as_deref(), content, &rawsource, place, out);
    }

    /// `Inliner.phrase_ref`: `text`_, `text <uri>`_, `text <name_>`_ and
    /// their anonymous forms.
    fn phrase_reference(&mut self, content: &[char], anonymous: bool, place: Place, out: &mut Inline) {
        let element_line = place.element_line.unwrap_or(place.line);
        let Some((text_end, alias_start, alias_end)) = embedded_target(content) else {
            let text = unescape(content);
            out.text.push_str(&text);
            if anonymous {
                self.doc.anonymous_references.push(element_line);
                out.flags.push(Flag::AnonymousReference);
            } else {
                self.reference(normalize_name(&text.chars().collect::<Vec<_>>()), place);
            }
            return;
        };
        let alias = &content[alias_start..alias_end];
        let underscore_escaped = alias.len() >= 2 && alias[alias.len() - 1] == '_' && alias[alias.len() - 2] == NUL;
        let is_name = alias.last() == Some(&'_') && !underscore_escaped && !looks_like_uri(alias);
        let mut text = unescape(&content[..text_end]);
        let target_name = if is_name {
            normalize_name(&unescape(&alias[..alias.len() - 1]).chars().collect::<Vec<_>>())
        } else {
            let parts: String = unescape(alias).split(is_space).collect();
            parts
        };
        if text.is_empty() {
            text = if is_name { unescape(alias) } else { target_name.clone() };
        }
        out.text.push_str(&text);
        let refname = normalize_name(&text.chars().collect::<Vec<_>>());
        if anonymous {
            if is_name {
                self.reference(target_name, place);
            }
            return;
        }
        let pointer = if is_name { Pointer::Name(target_name.clone()) } else { Pointer::Uri(target_name.clone()) };
        self.doc.note_target(&refname, pointer, false, place.element_line, place.line);
        if is_name {
            self.reference(target_name.clone(), place);
            self.doc.note_indirect(refname.clone(), target_name, element_line, None);
        }
        out.flags.push(Flag::Target);
    }

    /// Interpreted text with `role` (`None` for the default role).
    fn interpreted(&mut self, role: Option<&str>, content: &[char], rawsource: &str, place: Place, out: &mut Inline) {
        let text = unescape(content);
        let kind = match role {
            None => Some(self.default_role),
            Some(name) => self.role(name),
        };
        let Some(kind) = kind else {
            let name = role.unwrap_or_default();
            // docutils also reports (at INFO level) that it looked the role
            // up as a canonical name.
            out.messages.push((1, place.line));
            self.doc.report(RstLevel::Error, format!("Unknown interpreted text role \"{name}\"."), place.line);
            out.problematic = true;
            out.flags.push(Flag::Problematic);
            out.text.push_str(rawsource);
            return;
        };
        match kind {
            RoleKind::Generic => out.text.push_str(&text),
            RoleKind::Pep => match python_int(&text) {
                Ok(number) if (0..=9999).contains(&number) => out.text.push_str(&format!("PEP {text}")),
                Err(true) => out.text.push_str(&format!("PEP {text}")),
                _ => {
                    self.doc.report(
                        RstLevel::Error,
                        format!(
                            "PEP number must be a number from 0 to 9999; \"{}\" is invalid.",
                            content_text(content)
                        ),
                        place.line,
                    );
                    out.problematic = true;
                    out.flags.push(Flag::Problematic);
                    out.text.push_str(rawsource);
                }
            },
            RoleKind::Rfc => {
                let number = text.split('#').next().unwrap_or_default();
                match python_int(number) {
                    Ok(value) if value >= 1 => out.text.push_str(&format!("RFC {value}")),
                    Err(true) => out.text.push_str(&format!("RFC {number}")),
                    _ => {
                        self.doc.report(
                            RstLevel::Error,
                            format!(
                                "RFC number must be a number greater than or equal to 1; \"{}\" is invalid.",
                                content_text(content)
                            ),
                            place.line,
                        );
                        out.problematic = true;
                        out.flags.push(Flag::Problematic);
                        out.text.push_str(rawsource);
                    }
                }
            }
            RoleKind::Raw => {
                let line = self.top_line().unwrap_or(1);
                self.doc.report(RstLevel::Warning, "raw (and derived) roles disabled", line);
                out.problematic = true;
                out.flags.push(Flag::Problematic);
                out.text.push_str(rawsource);
            }
            RoleKind::Unimplemented => {
                let name = role.unwrap_or_default();
                self.doc.report(
                    RstLevel::Error,
                    format!("Interpreted text role \"{name}\" not implemented."),
                    place.line,
                );
                out.problematic = true;
                out.flags.push(Flag::Problematic);
                out.text.push_str(rawsource);
            }
        }
    }

    /// The role called `name` (as written): a custom role from the `role`
    /// directive, or a standard one.
    pub(super) fn role(&self, name: &str) -> Option<RoleKind> {
        let lower = name.to_lowercase();
        self.custom_roles.get(&lower).copied().or_else(|| standard_role(&lower))
    }
}

/// The text of interpreted content as docutils prints it in messages (the
/// escaped text, escape markers shown as nothing).
fn content_text(content: &[char]) -> String {
    content.iter().filter(|&&c| c != NUL).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn escapes() {
        assert_eq!(escape(&chars(r"a\*b\\")), chars("a\0*b\0\\"));
        assert_eq!(unescape(&chars("a\0 b\0*c")), "ab*c");
    }

    #[test]
    fn embedded_targets() {
        let text = chars("Python <https://python.org>");
        assert_eq!(embedded_target(&text), Some((6, 8, 26)));
        assert_eq!(embedded_target(&chars("<https://x>")), Some((0, 1, 10)));
        assert_eq!(embedded_target(&chars("a<b>")), None);
        assert_eq!(embedded_target(&chars("a < b >")), None);
    }

    #[test]
    fn integers() {
        assert_eq!(python_int(" 8 "), Ok(8));
        assert_eq!(python_int("1_000"), Ok(1000));
        assert_eq!(python_int("x"), Err(false));
        assert_eq!(python_int("١٢"), Err(true));
    }

    #[test]
    fn simplenames() {
        let s = chars("foo_bar-baz_ x");
        let names = Names::new(&s);
        assert_eq!(names.chain_end[0], 11);
        assert_eq!(names.reference_end[0], Some((11, 12)));
        let s = chars("a_b");
        assert_eq!(Names::new(&s).reference_end[0], None);
    }
}
