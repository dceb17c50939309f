//! Directives: the set docutils registers (`parsers/rst/directives`), the
//! parsing of their arguments, options and content
//! (`RSTState.parse_directive_block`), option value checks, and what each
//! directive checks when it runs, with the settings the index renders with
//! (no file insertion, no raw output).

use super::RstLevel;
use super::body::{Parser, Run, State, is_simplename, match_field_marker, simplename_ends};
use super::document::{Document, Kind, Mark, NodeId, Pointer};
use super::inline::{Flag, Place, RoleKind, python_int_value, unescape};
use super::machine::Machine;
use super::text::{Line, is_space, normalize_name, split_whitespace, strip};

/// How an option's value is checked (docutils' conversion functions).
#[derive(Debug, Clone, Copy)]
enum Conversion {
    /// `flag`: no value.
    Flag,
    /// `unchanged`: anything, or nothing.
    Unchanged,
    /// `unchanged_required`, `path`, `uri`: a value.
    Required,
    /// Python's `int`.
    Int,
    /// `nonnegative_int`.
    NonnegativeInt,
    /// `percentage`: a non-negative integer with an optional `%`.
    Percentage,
    /// `length_or_unitless`.
    Length,
    /// `length_or_percentage_or_unitless`.
    LengthOrPercentage,
    /// `figwidth_value`: `image` or a length.
    FigureWidth,
    /// `class_option`: words that can be class names.
    Class,
    /// `choice` among these values.
    Choice(&'static [&'static str]),
    /// `value_or((None,), int)`: nothing or an integer.
    NothingOrInt,
    /// `value_or(values, positive_int_list)`.
    WordsOrPositiveInts(&'static [&'static str]),
    /// `single_char_or_unicode`, `single_char_or_whitespace_or_unicode`.
    Character { whitespace_names: bool },
    /// `encoding`, `parser_name`: not checked (Python's codec and parser
    /// registries; these options only matter with file insertion, which is
    /// disabled anyway).
    Unchecked,
}

use Conversion::*;

const ALIGN_HORIZONTAL: &[&str] = &["left", "center", "right"];
const ALIGN_IMAGE: &[&str] = &["top", "middle", "bottom", "left", "center", "right"];
const LOADING: &[&str] = &["embed", "link", "lazy"];
const BACKLINKS: &[&str] = &["top", "entry", "none"];

const CLASS_NAME: &[(&str, Conversion)] = &[("class", Class), ("name", Unchanged)];
const IMAGE: &[(&str, Conversion)] = &[
    ("alt", Unchanged),
    ("height", Length),
    ("width", LengthOrPercentage),
    ("scale", Percentage),
    ("align", Choice(ALIGN_IMAGE)),
    ("target", Required),
    ("loading", Choice(LOADING)),
    ("class", Class),
    ("name", Unchanged),
];
const FIGURE: &[(&str, Conversion)] = &[
    ("alt", Unchanged),
    ("height", Length),
    ("width", LengthOrPercentage),
    ("scale", Percentage),
    ("align", Choice(ALIGN_HORIZONTAL)),
    ("target", Required),
    ("loading", Choice(LOADING)),
    ("class", Class),
    ("name", Unchanged),
    ("figwidth", FigureWidth),
    ("figclass", Class),
    ("figname", Unchanged),
];
const TABLE: &[(&str, Conversion)] = &[
    ("class", Class),
    ("name", Unchanged),
    ("align", Choice(ALIGN_HORIZONTAL)),
    ("width", LengthOrPercentage),
    ("widths", WordsOrPositiveInts(&["auto", "grid"])),
];
const CSV_TABLE: &[(&str, Conversion)] = &[
    ("header-rows", NonnegativeInt),
    ("stub-columns", NonnegativeInt),
    ("header", Unchanged),
    ("width", LengthOrPercentage),
    ("widths", WordsOrPositiveInts(&["auto"])),
    ("file", Required),
    ("url", Required),
    ("encoding", Unchecked),
    ("class", Class),
    ("name", Unchanged),
    ("align", Choice(ALIGN_HORIZONTAL)),
    ("delim", Character { whitespace_names: true }),
    ("keepspace", Flag),
    ("quote", Character { whitespace_names: false }),
    ("escape", Character { whitespace_names: false }),
];
const LIST_TABLE: &[(&str, Conversion)] = &[
    ("header-rows", NonnegativeInt),
    ("stub-columns", NonnegativeInt),
    ("width", LengthOrPercentage),
    ("widths", WordsOrPositiveInts(&["auto"])),
    ("class", Class),
    ("name", Unchanged),
    ("align", Choice(ALIGN_HORIZONTAL)),
];
const INCLUDE: &[(&str, Conversion)] = &[
    ("literal", Flag),
    ("code", Unchanged),
    ("encoding", Unchecked),
    ("parser", Unchecked),
    ("tab-width", Int),
    ("start-line", Int),
    ("end-line", Int),
    ("start-after", Unchanged),
    ("end-before", Unchanged),
    ("number-lines", NothingOrInt),
    ("class", Class),
    ("name", Unchanged),
];

/// A directive's shape: arguments, options and content.
struct Spec {
    /// The canonical name.
    name: &'static str,
    required: usize,
    optional: usize,
    final_whitespace: bool,
    /// `None` when the directive has no option specification at all.
    options: Option<&'static [(&'static str, Conversion)]>,
    content: bool,
}

const fn spec(
    name: &'static str,
    required: usize,
    optional: usize,
    final_whitespace: bool,
    options: Option<&'static [(&'static str, Conversion)]>,
    content: bool,
) -> Spec {
    Spec { name, required, optional, final_whitespace, options, content }
}

/// Every directive docutils 0.23 registers, by canonical name.
static SPECS: &[Spec] = &[
    spec("admonition", 1, 0, true, Some(CLASS_NAME), true),
    spec("attention", 0, 0, true, Some(CLASS_NAME), true),
    spec("caution", 0, 0, true, Some(CLASS_NAME), true),
    spec("class", 1, 0, true, None, true),
    spec("code", 0, 1, false, Some(&[("class", Class), ("name", Unchanged), ("number-lines", NothingOrInt)]), true),
    spec("compound", 0, 0, false, Some(CLASS_NAME), true),
    spec("container", 0, 1, true, Some(&[("name", Unchanged)]), true),
    spec(
        "contents",
        0,
        1,
        true,
        Some(&[("depth", NonnegativeInt), ("local", Flag), ("backlinks", Choice(BACKLINKS)), ("class", Class)]),
        false,
    ),
    spec("csv-table", 0, 1, true, Some(CSV_TABLE), true),
    spec("danger", 0, 0, true, Some(CLASS_NAME), true),
    spec("date", 0, 0, false, None, true),
    spec("default-role", 0, 1, false, None, false),
    spec("epigraph", 0, 0, false, None, true),
    spec("error", 0, 0, true, Some(CLASS_NAME), true),
    spec("figure", 1, 0, true, Some(FIGURE), true),
    spec("footer", 0, 0, false, None, true),
    spec("header", 0, 0, false, None, true),
    spec("highlights", 0, 0, false, None, true),
    spec("hint", 0, 0, true, Some(CLASS_NAME), true),
    spec("image", 1, 0, true, Some(IMAGE), false),
    spec("important", 0, 0, true, Some(CLASS_NAME), true),
    spec("include", 1, 0, true, Some(INCLUDE), false),
    spec("line-block", 0, 0, false, Some(CLASS_NAME), true),
    spec("list-table", 0, 1, true, Some(LIST_TABLE), true),
    spec("math", 0, 0, false, Some(CLASS_NAME), true),
    spec("meta", 0, 0, false, None, true),
    spec("note", 0, 0, true, Some(CLASS_NAME), true),
    spec("parsed-literal", 0, 0, false, Some(CLASS_NAME), true),
    spec("pull-quote", 0, 0, false, None, true),
    spec(
        "raw",
        1,
        0,
        true,
        Some(&[("file", Required), ("url", Required), ("encoding", Unchecked), ("class", Class)]),
        true,
    ),
    spec("replace", 0, 0, false, None, true),
    spec("restructuredtext-test-directive", 0, 1, true, Some(&[("option", Required)]), true),
    spec("role", 0, 0, false, None, true),
    spec("rubric", 1, 0, true, Some(CLASS_NAME), false),
    spec(
        "sectnum",
        0,
        0,
        false,
        Some(&[("depth", Int), ("start", Int), ("prefix", Required), ("suffix", Required)]),
        false,
    ),
    spec("sidebar", 0, 1, true, Some(&[("class", Class), ("name", Unchanged), ("subtitle", Required)]), true),
    spec("table", 0, 1, true, Some(TABLE), true),
    spec("target-notes", 0, 0, false, Some(&[("class", Class)]), false),
    spec("tip", 0, 0, true, Some(CLASS_NAME), true),
    spec("title", 1, 0, true, None, false),
    spec("topic", 1, 0, true, Some(CLASS_NAME), true),
    spec("unicode", 1, 0, true, Some(&[("trim", Flag), ("ltrim", Flag), ("rtrim", Flag)]), false),
    spec("warning", 0, 0, true, Some(CLASS_NAME), true),
];

/// The English directive names that differ from the canonical ones.
const ALIASES: &[(&str, &str)] =
    &[("code-block", "code"), ("sourcecode", "code"), ("rst-class", "class"), ("section-numbering", "sectnum")];

/// The directive called `name` (any case).
fn lookup(name: &str) -> Option<&'static Spec> {
    let lower = name.to_lowercase();
    let canonical =
        ALIASES.iter().find(|(alias, _)| *alias == lower).map_or(lower.as_str(), |(_, canonical)| canonical);
    SPECS.iter().find(|spec| spec.name == canonical)
}

/// A directive's parsed arguments, options and content.
struct Parsed {
    arguments: Vec<String>,
    options: Vec<(String, Option<String>)>,
    content: Vec<Line>,
    content_offset: isize,
}

impl Parsed {
    fn option(&self, name: &str) -> Option<&Option<String>> {
        self.options.iter().find(|(key, _)| key == name).map(|(_, value)| value)
    }

    fn has(&self, name: &str) -> bool {
        self.option(name).is_some()
    }
}

/// The text of `lines` joined by newlines.
fn joined(lines: &[Line]) -> Vec<char> {
    let mut text = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            text.push('\n');
        }
        text.extend_from_slice(line.chars());
    }
    text
}

/// Python's `repr` of a string, roughly (for messages).
fn python_repr(text: &str) -> String {
    if text.contains('\'') && !text.contains('"') {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'").replace('\n', "\\n"))
    }
}

/// `nodes.parse_measure` and `get_measure`: a non-negative number with one
/// of `units` (an empty unit meaning none).
fn check_measure(value: &str, units: &[&str]) -> Result<(), String> {
    let chars: Vec<char> = value.chars().collect();
    let mut index = 0;
    if chars.first() == Some(&'-') {
        index = 1;
    }
    let number_start = index;
    while index < chars.len() && (chars[index].is_ascii_digit() || chars[index] == '.') {
        index += 1;
    }
    let number: String = chars[number_start..index].iter().collect();
    while index < chars.len() && chars[index] == ' ' {
        index += 1;
    }
    let unit: String = chars[index..].iter().collect();
    let unit_ok = unit.is_empty() || unit == "%" || unit.chars().all(|c| c.is_ascii_alphabetic() || c == 'µ');
    let number_ok = !number.is_empty() && number.parse::<f64>().is_ok() && number.matches('.').count() <= 1;
    if !unit_ok || !number_ok {
        return Err(format!("\"{value}\" is no valid measure."));
    }
    let negative = number_start == 1 && number.parse::<f64>().is_ok_and(|v| v != 0.0);
    if negative || !units.contains(&unit.as_str()) {
        let named: Vec<&str> = units.iter().copied().filter(|unit| !unit.is_empty()).collect();
        return Err(format!("not a positive number or measure of one of the following units:\n{}", named.join(", ")));
    }
    Ok(())
}

const CSS_UNITS: &[&str] =
    &["em", "ex", "ch", "rem", "vw", "vh", "vmin", "vmax", "cm", "mm", "Q", "in", "pt", "pc", "px"];

/// Python's `int()` error text.
fn int_error(value: &str) -> String {
    format!("invalid literal for int() with base 10: {}", python_repr(value))
}

/// Checks an option value the way its conversion function does.
fn convert(conversion: Conversion, value: Option<&str>) -> Result<(), String> {
    let none_int = "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'";
    match conversion {
        Flag => match value {
            Some(text) if !text.trim().is_empty() => Err(format!("no argument is allowed; \"{text}\" supplied")),
            _ => Ok(()),
        },
        Unchanged | Unchecked => Ok(()),
        Required => value.map(|_| ()).ok_or_else(|| "argument required but none supplied".to_owned()),
        Int => match value {
            None => Err(none_int.to_owned()),
            Some(text) => python_int_value(text).map(|_| ()).ok_or_else(|| int_error(text)),
        },
        NonnegativeInt => match value {
            None => Err(none_int.to_owned()),
            Some(text) => match python_int_value(text) {
                None => Err(int_error(text)),
                Some(number) if number < 0 => Err("negative value; must be positive or zero".to_owned()),
                Some(_) => Ok(()),
            },
        },
        Percentage => match value {
            None => Err(none_int.to_owned()),
            Some(text) => {
                let trimmed = text.trim_end_matches([' ', '%']);
                match python_int_value(trimmed) {
                    None => Err(int_error(trimmed)),
                    Some(number) if number < 0 => Err("negative value; must be positive or zero".to_owned()),
                    Some(_) => Ok(()),
                }
            }
        },
        Length => {
            let Some(text) = value else {
                return Err("expected string or bytes-like object, got 'NoneType'".to_owned());
            };
            let mut units: Vec<&str> = CSS_UNITS.to_vec();
            units.push("");
            check_measure(text, &units)
        }
        LengthOrPercentage | FigureWidth => {
            let Some(text) = value else {
                return Err("expected string or bytes-like object, got 'NoneType'".to_owned());
            };
            if matches!(conversion, FigureWidth) && text.to_lowercase() == "image" {
                return Ok(());
            }
            let mut units: Vec<&str> = CSS_UNITS.to_vec();
            units.push("%");
            check_measure(text, &units).or_else(|error| check_measure(text, &[""]).map_err(|_| error))
        }
        Class => {
            let Some(text) = value else { return Err("argument required but none supplied".to_owned()) };
            for word in text.split(|c: char| is_space(c)).filter(|word| !word.is_empty()) {
                // `make_id` keeps ASCII letters and drops what has no ASCII
                // letter in its compatibility decomposition. Only the
                // characters known to decompose to nothing ASCII count as
                // empty; others (accented Latin letters, letter-like
                // symbols) may become letters and are not flagged.
                if word.chars().all(makes_no_id_letter) {
                    return Err(format!("cannot make \"{word}\" into a class name"));
                }
            }
            Ok(())
        }
        Choice(values) => {
            let Some(text) = value else {
                return Err(format!("must supply an argument; choose from {}", format_values(values)));
            };
            let normalized = text.to_lowercase();
            if values.contains(&normalized.trim_matches(|c: char| is_space(c))) {
                Ok(())
            } else {
                Err(format!("\"{text}\" unknown; choose from {}", format_values(values)))
            }
        }
        NothingOrInt => match value {
            None => Ok(()),
            Some(text) => python_int_value(text).map(|_| ()).ok_or_else(|| int_error(text)),
        },
        WordsOrPositiveInts(words) => {
            let Some(text) = value else {
                return Err("argument of type 'NoneType' is not iterable".to_owned());
            };
            if words.contains(&text) {
                return Ok(());
            }
            let entries: Vec<&str> = if text.contains(',') {
                text.split(',').collect()
            } else {
                text.split(|c: char| is_space(c)).filter(|entry| !entry.is_empty()).collect()
            };
            for entry in entries {
                match python_int_value(entry) {
                    None => return Err(int_error(entry)),
                    Some(number) if number < 1 => return Err("negative or zero value; must be positive".to_owned()),
                    Some(_) => {}
                }
            }
            Ok(())
        }
        Character { whitespace_names } => {
            let Some(text) = value else { return Err("'NoneType' object has no attribute 'isdigit'".to_owned()) };
            if whitespace_names && (text == "tab" || text == "space") {
                return Ok(());
            }
            match unicode_code(text) {
                Err(message) => Err(message),
                Ok(None) => Ok(()),
                Ok(Some(decoded)) if decoded.chars().count() == 1 => Ok(()),
                Ok(Some(decoded)) => {
                    Err(format!("{} invalid; must be a single character or a Unicode code", python_repr(&decoded)))
                }
            }
        }
    }
}

/// Characters that contribute no letter to `nodes.make_id`: ASCII
/// characters other than letters, combining marks, and the letters of
/// scripts without an ASCII decomposition (checked against docutils for
/// these blocks).
fn makes_no_id_letter(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_alphabetic();
    }
    super::text::is_combining(c)
        || matches!(
            u32::from(c),
            0x0370..=0x03FF
                | 0x0400..=0x04FF
                | 0x0590..=0x05FF
                | 0x0600..=0x06FF
                | 0x0900..=0x097F
                | 0x0E00..=0x0E7F
                | 0x3040..=0x30FF
                | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF
                | 0xAC00..=0xD7A3
        )
}

fn format_values(values: &[&str]) -> String {
    let (last, rest) = values.split_last().map_or((&"", &[][..]), |(last, rest)| (last, rest));
    let quoted: Vec<String> = rest.iter().map(|value| format!("\"{value}\"")).collect();
    format!("{}, or \"{last}\"", quoted.join(", "))
}

/// `directives.unicode_code`: decimal or hexadecimal character codes;
/// `Ok(None)` when the value is not checked (non-ASCII digits), the decoded
/// text otherwise.
fn unicode_code(code: &str) -> Result<Option<String>, String> {
    let out_of_range = || "chr() arg not in range(0x110000)".to_owned();
    if !code.is_empty() && code.chars().all(|c| c.is_numeric()) {
        if !code.is_ascii() {
            return Ok(None);
        }
        let value: u64 = code.parse().map_err(|_| out_of_range())?;
        return u32::try_from(value)
            .ok()
            .and_then(|value| (value < 0x11_0000).then_some(value))
            .map(|value| Some(char::from_u32(value).map_or_else(|| "\u{fffd}".to_owned(), String::from)))
            .ok_or_else(out_of_range);
    }
    let lower = code.to_lowercase();
    let hex = ["0x", "x", "\\x", "u+", "u", "\\u"]
        .iter()
        .filter_map(|prefix| lower.strip_prefix(prefix))
        .find(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit()))
        .or_else(|| {
            lower
                .strip_prefix("&#x")
                .and_then(|rest| rest.strip_suffix(';'))
                .filter(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit()))
        });
    match hex {
        Some(digits) => {
            let value = u64::from_str_radix(digits.trim_start_matches('0').get(..).unwrap_or("0"), 16).ok();
            let value = if digits.trim_start_matches('0').is_empty() { Some(0) } else { value };
            value
                .and_then(|value| u32::try_from(value).ok())
                .filter(|&value| value < 0x11_0000)
                .map(|value| Some(char::from_u32(value).map_or_else(|| "\u{fffd}".to_owned(), String::from)))
                .ok_or_else(out_of_range)
        }
        None => Ok(Some(code.to_owned())),
    }
}

impl Parser {
    /// A directive whose marker ends at `marker_end` on the current line.
    /// Returns the elements to append to the current element and
    /// `blank_finish`.
    pub(super) fn directive(
        &mut self,
        name: &str,
        marker_end: usize,
        m: &mut Machine<'_>,
        run: &mut Run,
        substitution: Option<String>,
    ) -> (Vec<NodeId>, bool) {
        let Some(spec) = lookup(name) else {
            let lineno = self.doc.wrap(m.abs_line_number());
            let indented = m.get_first_known_indented(0, false, false, true);
            let info = self.doc.create(Kind::Message(1), Some(lineno));
            self.doc.report(RstLevel::Error, format!("Unknown directive type \"{name}\"."), lineno);
            let error = self.doc.create(Kind::Message(3), Some(lineno));
            return (vec![info, error], indented.blank_finish);
        };
        let lineno = self.doc.wrap(m.abs_line_number());
        // Elements take their line from the source, messages from the
        // machine's count; they differ in directive content with options.
        let real = m.line().map_or(lineno, |line| line.number);
        let indented = m.get_first_known_indented(marker_end, false, true, false);
        let blank_finish = indented.blank_finish;
        let parsed = match self.parse_directive_block(indented.lines, indented.offset, spec) {
            Ok(parsed) => parsed,
            Err(detail) => {
                let error = self.error_node(format!("Error in \"{name}\" directive:\n{detail}."), lineno);
                return (vec![error], blank_finish);
            }
        };
        let result = self.run_directive(spec, name, &parsed, (lineno, real), m, run, substitution.is_some());
        (result, blank_finish || m.is_next_line_blank())
    }

    /// Reports an error and returns a message element for it.
    fn error_node(&mut self, message: String, line: usize) -> NodeId {
        self.doc.report(RstLevel::Error, message, line);
        self.doc.create(Kind::Message(3), Some(line))
    }

    fn warning_node(&mut self, message: String, line: usize) -> NodeId {
        self.doc.report(RstLevel::Warning, message, line);
        self.doc.create(Kind::Message(2), Some(line))
    }

    /// `parse_directive_block`.
    fn parse_directive_block(
        &mut self,
        mut lines: Vec<Line>,
        mut offset: isize,
        spec: &Spec,
    ) -> Result<Parsed, String> {
        if lines.first().is_some_and(Line::is_blank) {
            lines.remove(0);
            offset += 1;
        }
        while lines.last().is_some_and(Line::is_blank) {
            lines.pop();
        }
        let takes_arguments = spec.required > 0 || spec.optional > 0;
        let mut argument_block: Vec<Line>;
        let mut content: Vec<Line>;
        let mut content_offset;
        let mut split = 0;
        if !lines.is_empty() && (takes_arguments || spec.options.is_some()) {
            split = lines.iter().position(Line::is_blank).unwrap_or(lines.len());
            argument_block = lines[..split].to_vec();
            content = lines.get(split + 1..).map(<[Line]>::to_vec).unwrap_or_default();
            content_offset = offset + split as isize + 1;
        } else {
            content = lines.clone();
            content_offset = offset;
            argument_block = Vec::new();
        }
        let mut options = Vec::new();
        if let Some(option_spec) = spec.options
            && let Some(first_option) =
                argument_block.iter().position(|line| match_field_marker(line.chars()).is_some())
        {
            let option_block = argument_block.split_off(first_option);
            options = self.parse_options(&option_block, option_spec)?;
        }
        if !argument_block.is_empty() && !takes_arguments {
            let mut all = argument_block;
            all.extend(lines[split.min(lines.len())..].iter().cloned());
            content = all;
            content_offset = offset;
            argument_block = Vec::new();
        }
        let leading = content.iter().take_while(|line| line.is_blank()).count();
        content.drain(..leading);
        content_offset += leading as isize;
        let mut arguments = Vec::new();
        if takes_arguments {
            let text = joined(&argument_block);
            let words: Vec<&[char]> = split_whitespace(&text).collect();
            if words.len() < spec.required {
                return Err(format!("{} argument(s) required, {} supplied", spec.required, words.len()));
            }
            let maximum = spec.required + spec.optional;
            if words.len() > maximum {
                if !spec.final_whitespace {
                    return Err(format!("maximum {maximum} argument(s) allowed, {} supplied", words.len()));
                }
                arguments = split_max(&text, maximum - 1);
            } else {
                arguments = words.iter().map(|word| word.iter().collect()).collect();
            }
        }
        if !content.is_empty() && !spec.content {
            return Err("no content permitted".to_owned());
        }
        Ok(Parsed { arguments, options, content, content_offset })
    }

    /// `parse_extension_options`: the directive options in `block`.
    fn parse_options(
        &mut self,
        block: &[Line],
        option_spec: &[(&str, Conversion)],
    ) -> Result<Vec<(String, Option<String>)>, String> {
        let list = self.doc.create(Kind::FieldList, None);
        let (offset, blank_finish) = self.nested_list_parse(block, 0, list, State::ExtensionOptions, true, |_| {});
        if offset != block.len() as isize {
            return Err("invalid option block".to_owned());
        }
        let mut options: Vec<(String, Option<String>)> = Vec::new();
        for field in self.doc.children(list).to_vec() {
            let Some((name, paragraphs)) = self.option_fields.remove(&field) else { continue };
            if name.split(|c: char| is_space(c)).filter(|word| !word.is_empty()).count() != 1 {
                return Err(
                    "invalid option data: extension option field name may not contain multiple words".to_owned()
                );
            }
            let name = name.to_lowercase();
            let value = match paragraphs.len() {
                0 => None,
                1 => paragraphs.into_iter().next(),
                _ => {
                    return Err(format!(
                        "invalid option data: extension option field body may contain\na single paragraph only (option \"{name}\")"
                    ));
                }
            };
            options.push((name, value));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in &options {
            let Some((_, conversion)) = option_spec.iter().find(|(key, _)| key == name) else {
                return Err(format!("unknown option: \"{name}\""));
            };
            if seen.contains(&name.as_str()) {
                return Err(format!("invalid option data: duplicate option \"{name}\""));
            }
            seen.push(name);
            if let Err(detail) = convert(*conversion, value.as_deref()) {
                let shown = value.as_deref().map_or_else(|| "None".to_owned(), python_repr);
                return Err(format!("invalid option value: (option: \"{name}\"; value: {shown})\n{detail}"));
            }
        }
        if !blank_finish {
            return Err("option data incompletely parsed".to_owned());
        }
        Ok(options)
    }

    /// What the directive does when it runs.
    #[allow(clippy::too_many_arguments, reason = "the directive's whole context")]
    fn run_directive(
        &mut self,
        spec: &Spec,
        name: &str,
        parsed: &Parsed,
        (lineno, real): (usize, usize),
        m: &mut Machine<'_>,
        run: &mut Run,
        in_substitution: bool,
    ) -> Vec<NodeId> {
        let no_content = || format!("Content block expected for the \"{name}\" directive; none found.");
        let parent_kind = self.doc.kind(run.node);
        let here = Place { line: lineno, element_line: Some(real) };
        match spec.name {
            "attention" | "caution" | "danger" | "error" | "hint" | "important" | "note" | "tip" | "warning"
            | "admonition" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let node = self.doc.create(Kind::Admonition, Some(real));
                if spec.name == "admonition" {
                    let title: Vec<char> = parsed.arguments[0].chars().collect();
                    self.inline(&title, here);
                }
                self.add_name(parsed, node, Some(real));
                self.nested_parse(&parsed.content, parsed.content_offset, node);
                vec![node]
            }
            "topic" | "sidebar" => {
                if spec.name == "sidebar" {
                    if parent_kind == Kind::Sidebar {
                        return vec![self.error_node(
                            format!("The \"{name}\" directive may not be used within a sidebar element."),
                            lineno,
                        )];
                    }
                    if parsed.has("subtitle") && parsed.arguments.is_empty() {
                        return vec![self.error_node(
                            "The \"subtitle\" option may not be used without a title.".to_owned(),
                            lineno,
                        )];
                    }
                }
                if parent_kind.refuses_topics() {
                    return vec![self.error_node(
                        format!("The \"{name}\" directive may not be used within topics or body elements."),
                        lineno,
                    )];
                }
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                if let Some(title) = parsed.arguments.first() {
                    self.inline(&title.chars().collect::<Vec<_>>(), here);
                    if let Some(Some(subtitle)) = parsed.option("subtitle") {
                        self.inline(&subtitle.chars().collect::<Vec<_>>(), here);
                    }
                }
                let kind = if spec.name == "topic" { Kind::Topic } else { Kind::Sidebar };
                let node = self.doc.create(kind, Some(lineno));
                self.add_name(parsed, node, Some(real));
                self.nested_parse(&parsed.content, parsed.content_offset, node);
                vec![node]
            }
            "line-block" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let node = self.doc.create(Kind::LineBlock, Some(real));
                self.add_name(parsed, node, Some(real));
                for (index, line) in parsed.content.iter().enumerate() {
                    let text = strip(line.chars()).to_vec();
                    let line_number = self.doc.wrap(lineno as isize + parsed.content_offset + index as isize);
                    self.inline(&text, Place { line: line_number, element_line: Some(real + index) });
                }
                vec![node]
            }
            "parsed-literal" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let text = joined(&parsed.content);
                let content_line = self.doc.wrap(parsed.content_offset + 1);
                self.inline(&text, Place { line: lineno, element_line: Some(content_line) });
                let node = self.doc.create(Kind::LiteralBlock, Some(content_line));
                self.add_name(parsed, node, Some(content_line));
                vec![node]
            }
            "code" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let node = self.doc.create(Kind::LiteralBlock, None);
                self.add_name(parsed, node, None);
                vec![node]
            }
            "math" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let node = self.doc.create(Kind::MathBlock, Some(real));
                self.add_name(parsed, node, Some(real));
                vec![node]
            }
            "rubric" => {
                self.inline(&parsed.arguments[0].chars().collect::<Vec<_>>(), here);
                let node = self.doc.create(Kind::Rubric, Some(real));
                self.add_name(parsed, node, Some(real));
                vec![node]
            }
            "epigraph" | "highlights" | "pull-quote" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let container = self.doc.create(Kind::Element, None);
                self.block_quote(&parsed.content, parsed.content_offset, container);
                self.take_children(container)
            }
            "compound" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let node = self.doc.create(Kind::Compound, Some(real));
                self.add_name(parsed, node, Some(real));
                self.nested_parse(&parsed.content, parsed.content_offset, node);
                vec![node]
            }
            "container" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                if let Some(classes) = parsed.arguments.first()
                    && convert(Class, Some(classes)).is_err()
                {
                    return vec![self.error_node(
                        format!("Invalid class attribute value for \"{name}\" directive: \"{classes}\"."),
                        lineno,
                    )];
                }
                let node = self.doc.create(Kind::Container, Some(real));
                self.add_name(parsed, node, Some(real));
                self.nested_parse(&parsed.content, parsed.content_offset, node);
                vec![node]
            }
            "table" => self.table_directive(name, parsed, lineno, real),
            "csv-table" => self.csv_table_directive(name, parsed, lineno, real),
            "list-table" => self.list_table_directive(name, parsed, lineno, real),
            "image" | "figure" => {
                self.image_directive(spec.name == "figure", name, parsed, (lineno, real), run, in_substitution)
            }
            "contents" => {
                if parent_kind.refuses_topics() {
                    return vec![self.error_node(
                        format!("The \"{name}\" directive may not be used within topics or body elements."),
                        lineno,
                    )];
                }
                let title_name = match parsed.arguments.first() {
                    Some(title) => {
                        let inline = self.inline(&title.chars().collect::<Vec<_>>(), here);
                        Some(inline.text)
                    }
                    None if parsed.has("local") => None,
                    None => Some("Contents".to_owned()),
                };
                let topic_line = self.doc.wrap(m.abs_line_number() - 1);
                let topic = self.doc.create(Kind::Contents, Some(topic_line));
                if parsed.has("local") {
                    self.doc.local_contents.push(topic);
                }
                self.doc.add(topic, Kind::Pending, None);
                let name =
                    normalize_name(&title_name.unwrap_or_else(|| "Contents".to_owned()).chars().collect::<Vec<_>>());
                if !self.doc.has_name(&name) {
                    self.doc.note_target(&name, Pointer::Here, false, Some(topic_line), topic_line);
                }
                vec![topic]
            }
            "sectnum" | "target-notes" => vec![self.doc.create(Kind::Pending, None)],
            "header" | "footer" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let decoration = self.decoration();
                let part = self.doc.add(decoration, Kind::Other, None);
                self.nested_parse(&parsed.content, parsed.content_offset, part);
                Vec::new()
            }
            "meta" => {
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let list = self.doc.create(Kind::FieldList, None);
                let (offset, _) = self.nested_list_parse(
                    &parsed.content,
                    parsed.content_offset,
                    list,
                    State::ExtensionOptions,
                    true,
                    |_| {},
                );
                for field in self.doc.children(list).to_vec() {
                    self.option_fields.remove(&field);
                }
                if offset - parsed.content_offset != parsed.content.len() as isize {
                    // docutils inserts the error at the start of the document.
                    let error = self.error_node("Invalid meta directive.".to_owned(), lineno);
                    let children = &self.doc.nodes[Document::ROOT].children;
                    let position = children.iter().position(|&id| self.doc.kind(id) != Kind::Title).unwrap_or(0);
                    self.doc.nodes[error].parent = Some(Document::ROOT);
                    self.doc.nodes[Document::ROOT].children.insert(position, error);
                }
                Vec::new()
            }
            "raw" | "include" => vec![self.warning_node(format!("\"{name}\" directive disabled."), lineno)],
            "replace" => {
                if !in_substitution {
                    return vec![self.invalid_context(name, lineno)];
                }
                if parsed.content.is_empty() {
                    return vec![self.error_node(no_content(), lineno)];
                }
                let mark = self.doc.mark();
                let container = self.doc.create(Kind::Element, None);
                self.nested_parse(&parsed.content, parsed.content_offset, container);
                let mut paragraph = None;
                let mut messages = Vec::new();
                for child in self.doc.children(container).to_vec() {
                    match self.doc.kind(child) {
                        Kind::Paragraph if paragraph.is_none() => paragraph = Some(child),
                        Kind::Message(_) => messages.push(child),
                        _ => {
                            self.doc.discard(mark);
                            return vec![self.error_node(
                                format!("Error in \"{name}\" directive: may contain a single paragraph only."),
                                lineno,
                            )];
                        }
                    }
                }
                if let Some(paragraph) = paragraph {
                    self.substitution_flags = self.paragraph_flags.remove(&paragraph).unwrap_or_default();
                    messages.push(self.doc.create(Kind::Inline, None));
                }
                messages
            }
            "unicode" => {
                if !in_substitution {
                    return vec![self.invalid_context(name, lineno)];
                }
                let argument: Vec<char> = parsed.arguments[0].chars().collect();
                let codes = strip_unicode_comment(&argument);
                let mut produced = Vec::new();
                for code in split_whitespace(&codes) {
                    let code: String = code.iter().collect();
                    if let Err(detail) = unicode_code(&code) {
                        return vec![
                            self.error_node(format!("Invalid character code: {code}\nValueError: {detail}"), lineno),
                        ];
                    }
                    produced.push(self.doc.create(Kind::Inline, None));
                }
                produced
            }
            "date" => {
                if !in_substitution {
                    return vec![self.invalid_context(name, lineno)];
                }
                vec![self.doc.create(Kind::Inline, None)]
            }
            "class" => {
                let value = &parsed.arguments[0];
                if convert(Class, Some(value)).is_err() {
                    return vec![self.error_node(
                        format!("Invalid class attribute value for \"{name}\" directive: \"{value}\"."),
                        lineno,
                    )];
                }
                if parsed.content.is_empty() {
                    // The placeholder gets docutils' current line when its
                    // parent is in the document, none otherwise.
                    let line = if self.doc.attached(run.node) { self.current_line() } else { None };
                    let pending = self.doc.create(Kind::PendingClass, line);
                    self.doc.class_fallback.insert(pending, lineno);
                    return vec![pending];
                }
                let container = self.doc.create(Kind::Element, None);
                self.nested_parse(&parsed.content, parsed.content_offset, container);
                self.take_children(container)
            }
            "role" => self.role_directive(name, parsed, lineno),
            "default-role" => {
                let Some(role) = parsed.arguments.first() else {
                    self.default_role = RoleKind::Generic;
                    return Vec::new();
                };
                match self.role(role) {
                    Some(kind) => {
                        self.default_role = kind;
                        Vec::new()
                    }
                    None => vec![self.error_node(format!("Unknown interpreted text role \"{role}\"."), lineno)],
                }
            }
            "title" => Vec::new(),
            _ => vec![self.doc.create(Kind::Message(1), Some(lineno))],
        }
    }

    fn invalid_context(&mut self, name: &str, lineno: usize) -> NodeId {
        self.error_node(
            format!("Invalid context: the \"{name}\" directive can only be used within a substitution definition."),
            lineno,
        )
    }

    /// Detaches and returns the children of a parsing container.
    fn take_children(&mut self, container: NodeId) -> Vec<NodeId> {
        std::mem::take(&mut self.doc.nodes[container].children)
    }

    /// The document's decoration element (header and footer), created on
    /// first use.
    fn decoration(&mut self) -> NodeId {
        if let Some(&first) = self.doc.children(Document::ROOT).first()
            && self.doc.kind(first) == Kind::Decoration
        {
            return first;
        }
        let decoration = self.doc.create(Kind::Decoration, None);
        self.doc.nodes[decoration].parent = Some(Document::ROOT);
        self.doc.nodes[Document::ROOT].children.insert(0, decoration);
        decoration
    }

    /// `add_name`: the `name` option registers an explicit target.
    fn add_name(&mut self, parsed: &Parsed, _node: NodeId, line: Option<usize>) {
        if let Some(Some(name)) = parsed.option("name") {
            let name = normalize_name(&name.chars().collect::<Vec<_>>());
            let fallback = self.top_line().unwrap_or(1);
            self.doc.note_target(&name, Pointer::Here, true, line, fallback);
        } else if let Some(None) = parsed.option("name") {
            let fallback = self.top_line().unwrap_or(1);
            self.doc.note_target("", Pointer::Here, true, line, fallback);
        }
    }

    /// The `image` and `figure` directives.
    fn image_directive(
        &mut self,
        figure: bool,
        name: &str,
        parsed: &Parsed,
        (lineno, real): (usize, usize),
        run: &Run,
        in_substitution: bool,
    ) -> Vec<NodeId> {
        if let Some(Some(align)) = parsed.option("align") {
            let align = align.to_lowercase();
            let align = align.trim();
            if in_substitution && !["top", "middle", "bottom"].contains(&align) {
                return vec![self.error_node(
                    format!(
                        "Error in \"{name}\" directive: \"{align}\" is not a valid value for the \"align\" option within a substitution definition.  Valid values for \"align\" are: \"top\", \"middle\", \"bottom\"."
                    ),
                    lineno,
                )];
            }
            if !in_substitution && !["left", "center", "right"].contains(&align) {
                return vec![self.error_node(
                    format!(
                        "Error in \"{name}\" directive: \"{align}\" is not a valid value for the \"align\" option.  Valid values for \"align\" are: \"left\", \"center\", \"right\"."
                    ),
                    lineno,
                )];
            }
        }
        if let Some(Some(target)) = parsed.option("target") {
            let lines: Vec<Vec<char>> =
                target.split('\n').map(|line| super::inline::escape(&line.chars().collect::<Vec<_>>())).collect();
            if let Some(refname) = super::body::indirect_reference_of(&lines) {
                // The reference element gets docutils' current line (none
                // after the options were read) when its parent is in the
                // document, and otherwise its ancestors' line.
                let element_line = if in_substitution {
                    self.capture_line()
                } else if self.doc.attached(run.node) {
                    self.current_line()
                } else {
                    self.doc.line_of(run.node)
                };
                let place = Place { line: lineno, element_line };
                self.reference(refname, place);
            }
        }
        let kind = if in_substitution { Kind::Inline } else { Kind::Other };
        let image = self.doc.create(kind, Some(real));
        self.add_name(parsed, image, Some(real));
        if !figure {
            return vec![image];
        }
        let node = self.doc.create(Kind::Figure, Some(real));
        self.doc.append(node, image);
        if let Some(Some(figname)) = parsed.option("figname") {
            let figname = normalize_name(&figname.chars().collect::<Vec<_>>());
            self.doc.note_target(&figname, Pointer::Here, true, Some(real), real);
        }
        if !parsed.content.is_empty() {
            let mark = self.doc.mark();
            let container = self.doc.create(Kind::Element, None);
            self.nested_parse(&parsed.content, parsed.content_offset, container);
            for child in self.doc.children(container).to_vec() {
                match self.doc.kind(child) {
                    Kind::Target | Kind::Pending | Kind::PendingClass => continue,
                    Kind::Paragraph | Kind::Comment { empty: true } => break,
                    _ => {
                        self.doc.discard(mark);
                        let error =
                            self.error_node("Figure caption must be a paragraph or empty comment.".to_owned(), lineno);
                        return vec![node, error];
                    }
                }
            }
        }
        vec![node]
    }

    /// The line of the substitution definition being parsed.
    fn capture_line(&self) -> Option<usize> {
        self.capture.as_ref().map(|capture| capture.line)
    }

    /// The title (first argument) and content of `table` and `list-table`:
    /// the content must parse to exactly one element of `kind`. Returns the
    /// mark to discard on a later error, the container holding the content,
    /// and that element; or the error node (everything parsed discarded).
    fn parse_single_element(
        &mut self,
        name: &str,
        parsed: &Parsed,
        lineno: usize,
        real: usize,
        kind: Kind,
        what: &str,
    ) -> Result<(Mark, NodeId, NodeId), Vec<NodeId>> {
        let mark = self.doc.mark();
        if let Some(title) = parsed.arguments.first() {
            self.inline(&title.chars().collect::<Vec<_>>(), Place { line: lineno, element_line: Some(real) });
        }
        let container = self.doc.create(Kind::Element, None);
        self.nested_parse(&parsed.content, parsed.content_offset, container);
        let children = self.doc.children(container).to_vec();
        match children.as_slice() {
            [only] if self.doc.kind(*only) == kind => Ok((mark, container, *only)),
            _ => {
                self.doc.discard(mark);
                Err(vec![self.error_node(
                    format!("Error parsing content block for the \"{name}\" directive: exactly one {what} expected."),
                    lineno,
                )])
            }
        }
    }

    /// The `table` directive.
    fn table_directive(&mut self, name: &str, parsed: &Parsed, lineno: usize, real: usize) -> Vec<NodeId> {
        if parsed.content.is_empty() {
            return vec![
                self.warning_node(format!("Content block expected for the \"{name}\" directive; none found."), lineno),
            ];
        }
        let (mark, container, table) = match self.parse_single_element(name, parsed, lineno, real, Kind::Table, "table")
        {
            Ok(parsed_content) => parsed_content,
            Err(problem) => return problem,
        };
        if let Some(Some(widths)) = parsed.option("widths")
            && widths != "auto"
            && widths != "grid"
        {
            let columns = self.table_columns.get(&table).copied().unwrap_or(0);
            if count_widths(widths) != columns {
                self.doc.discard(mark);
                return vec![self.error_node(
                    format!("\"{name}\" widths do not match the number of columns in table ({columns})."),
                    lineno,
                )];
            }
        }
        self.add_name(parsed, table, Some(real));
        self.take_children(container)
    }

    /// The `list-table` directive.
    fn list_table_directive(&mut self, name: &str, parsed: &Parsed, lineno: usize, real: usize) -> Vec<NodeId> {
        if parsed.content.is_empty() {
            return vec![self.error_node(format!("The \"{name}\" directive is empty; content required."), lineno)];
        }
        let (mark, _container, list) =
            match self.parse_single_element(name, parsed, lineno, real, Kind::BulletList, "bullet list") {
                Ok(parsed_content) => parsed_content,
                Err(problem) => return problem,
            };
        let rows = self.doc.children(list).to_vec();
        let mut columns = 0;
        let mut row_lengths = Vec::new();
        for (index, &item) in rows.iter().enumerate() {
            let inner = self.doc.children(item).to_vec();
            if inner.len() != 1 || self.doc.kind(inner[0]) != Kind::BulletList {
                self.doc.discard(mark);
                return vec![self.error_node(
                    format!(
                        "Error parsing content block for the \"{name}\" directive: two-level bullet list expected, but row {} does not contain a second-level bullet list.",
                        index + 1
                    ),
                    lineno,
                )];
            }
            let length = self.doc.children(inner[0]).len();
            if index == 0 {
                columns = length;
            } else if length != columns {
                self.doc.discard(mark);
                return vec![self.error_node(
                    format!(
                        "Error parsing content block for the \"{name}\" directive: uniform two-level bullet list expected, but row {} does not contain the same number of items as row 1 ({length} vs {columns}).",
                        index + 1
                    ),
                    lineno,
                )];
            }
            row_lengths.push(length);
        }
        if let Some(error) = self.check_widths(name, parsed, columns, lineno) {
            self.doc.discard(mark);
            return vec![error];
        }
        if let Some(error) = self.check_dimensions(name, parsed, &row_lengths, lineno) {
            self.doc.discard(mark);
            return vec![error];
        }
        let table = self.doc.create(Kind::Table, Some(real));
        self.add_name(parsed, table, Some(real));
        vec![table]
    }

    /// `get_column_widths`: an explicit list of widths must match the
    /// columns.
    fn check_widths(&mut self, name: &str, parsed: &Parsed, columns: usize, lineno: usize) -> Option<NodeId> {
        match parsed.option("widths") {
            Some(Some(widths)) if widths != "auto" => (count_widths(widths) != columns).then(|| {
                self.error_node(
                    format!("\"{name}\" widths do not match the number of columns in table ({columns})."),
                    lineno,
                )
            }),
            _ => {
                if columns == 0 {
                    Some(self.error_node("No table data detected in CSV file.".to_owned(), lineno))
                } else {
                    None
                }
            }
        }
    }

    /// `check_table_dimensions`.
    fn check_dimensions(&mut self, name: &str, parsed: &Parsed, rows: &[usize], lineno: usize) -> Option<NodeId> {
        let value = |key: &str| {
            parsed
                .option(key)
                .and_then(|value| value.as_deref())
                .and_then(python_int_value)
                .map_or(0, |v| v.max(0) as usize)
        };
        let header_rows = value("header-rows");
        let stub_columns = value("stub-columns");
        if rows.len() < header_rows {
            return Some(self.error_node(
                format!(
                    "{header_rows} header row(s) specified but only {} row(s) of data supplied (\"{name}\" directive).",
                    rows.len()
                ),
                lineno,
            ));
        }
        if rows.len() == header_rows && header_rows > 0 {
            return Some(self.error_node(
                format!(
                    "Insufficient data supplied ({} row(s)); no data remaining for table body, required by \"{name}\" directive.",
                    rows.len()
                ),
                lineno,
            ));
        }
        for &length in rows {
            if length < stub_columns {
                return Some(self.error_node(
                    format!(
                        "{stub_columns} stub column(s) specified but only {length} columns(s) of data supplied (\"{name}\" directive)."
                    ),
                    lineno,
                ));
            }
            if length == stub_columns && stub_columns > 0 {
                return Some(self.error_node(
                    format!(
                        "Insufficient data supplied ({length} columns(s)); no data remaining for table body, required by \"{name}\" directive."
                    ),
                    lineno,
                ));
            }
        }
        None
    }

    /// The `csv-table` directive (its cells' content is not checked).
    fn csv_table_directive(&mut self, name: &str, parsed: &Parsed, lineno: usize, real: usize) -> Vec<NodeId> {
        if parsed.has("file") || parsed.has("url") {
            return vec![
                self.warning_node(format!("File and URL access deactivated; ignoring \"{name}\" directive."), lineno),
            ];
        }
        let mark = self.doc.mark();
        if let Some(title) = parsed.arguments.first() {
            self.inline(&title.chars().collect::<Vec<_>>(), Place { line: lineno, element_line: Some(real) });
        }
        if parsed.content.is_empty() {
            self.doc.discard(mark);
            return vec![
                self.warning_node(format!("The \"{name}\" directive requires content; none supplied."), lineno),
            ];
        }
        let dialect = CsvDialect::from_options(parsed);
        let mut header_columns = 0;
        let mut header_rows: Vec<Vec<String>> = Vec::new();
        if let Some(Some(header)) = parsed.option("header") {
            let lines: Vec<String> = header.split('\n').map(str::to_owned).collect();
            match dialect.rows(&lines) {
                Ok(rows) => {
                    header_columns = rows.iter().map(Vec::len).max().unwrap_or(0);
                    header_rows = rows;
                }
                Err(message) => {
                    self.doc.discard(mark);
                    return vec![
                        self.error_node(format!("Error with CSV data in \"{name}\" directive:\n{message}"), lineno),
                    ];
                }
            }
        }
        let lines: Vec<String> = parsed.content.iter().map(|line| line.chars().iter().collect()).collect();
        let rows = match dialect.rows(&lines) {
            Ok(rows) => rows,
            Err(message) => {
                self.doc.discard(mark);
                return vec![
                    self.error_node(format!("Error with CSV data in \"{name}\" directive:\n{message}"), lineno),
                ];
            }
        };
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(header_columns);
        let lengths: Vec<usize> = rows.iter().map(Vec::len).collect();
        if let Some(error) = self.check_dimensions(name, parsed, &lengths, lineno) {
            self.doc.discard(mark);
            return vec![error];
        }
        if let Some(error) = self.check_widths(name, parsed, columns, lineno) {
            self.doc.discard(mark);
            return vec![error];
        }
        // Each cell is parsed as reStructuredText, numbered as docutils
        // numbers it: from the line before the content, and from 1 within
        // the cell.
        let table = self.doc.create(Kind::Table, Some(real));
        for cell in header_rows.iter().chain(&rows).flatten() {
            // `str.splitlines()`: no empty piece after a final newline.
            let mut pieces: Vec<&str> = cell.split(['\n', '\r']).collect();
            if cell.ends_with(['\n', '\r']) {
                pieces.pop();
            }
            if pieces.iter().all(|piece| piece.is_empty()) {
                continue;
            }
            let lines: Vec<Line> = pieces
                .iter()
                .enumerate()
                .map(|(index, text)| Line::synthetic(&text.chars().collect::<Vec<_>>(), index + 1))
                .collect();
            let entry = self.doc.add(table, Kind::Entry, None);
            self.nested_parse(&lines, parsed.content_offset - 1, entry);
        }
        self.add_name(parsed, table, Some(real));
        vec![table]
    }

    /// The `role` directive: defines a custom interpreted text role.
    fn role_directive(&mut self, name: &str, parsed: &Parsed, lineno: usize) -> Vec<NodeId> {
        // docutils compares the content's 0-based offset with the 1-based
        // line: content starting on the next line still counts as "on the
        // first line".
        if parsed.content_offset > lineno as isize || parsed.content.is_empty() {
            return vec![
                self.error_node(format!("\"{name}\" directive requires arguments on the first line."), lineno),
            ];
        }
        let arguments: Vec<char> = parsed.content[0].chars().to_vec();
        let Some((new_name, base)) = role_arguments(&arguments) else {
            let text: String = arguments.iter().collect();
            return vec![
                self.error_node(format!("\"{name}\" directive arguments not valid role names: \"{text}\"."), lineno),
            ];
        };
        let base_kind = match &base {
            Some(base) => match self.role(base) {
                Some(kind) => kind,
                None => return vec![self.error_node(format!("Unknown interpreted text role \"{base}\"."), lineno)],
            },
            None => RoleKind::Generic,
        };
        let base_lower = base.as_deref().map(str::to_lowercase);
        let role_options: &'static [(&'static str, Conversion)] = match base_lower.as_deref() {
            Some("raw") => &[("format", Unchanged), ("class", Class)],
            Some("code") => &[("language", Unchanged), ("class", Class)],
            _ => &[("class", Class)],
        };
        let role_spec = Spec {
            name: "role",
            required: 0,
            optional: 0,
            final_whitespace: false,
            options: Some(role_options),
            content: false,
        };
        let rest: Vec<Line> = parsed.content[1..].to_vec();
        let options = match self.parse_directive_block(rest, parsed.content_offset, &role_spec) {
            Ok(options) => options,
            Err(detail) => return vec![self.error_node(format!("Error in \"{name}\" directive:\n{detail}."), lineno)],
        };
        if !options.has("class") && convert(Class, Some(&new_name)).is_err() {
            return vec![self.error_node(
                format!("Invalid argument for \"{name}\" directive:\ncannot make \"{new_name}\" into a class name."),
                lineno,
            )];
        }
        self.custom_roles.insert(new_name.to_lowercase(), base_kind);
        Vec::new()
    }
}

/// The number of widths in a `widths` option value.
fn count_widths(widths: &str) -> usize {
    if widths.contains(',') {
        widths.split(',').count()
    } else {
        widths.split(|c: char| is_space(c)).filter(|entry| !entry.is_empty()).count()
    }
}

/// Python's `str.split(None, maxsplit)`.
fn split_max(text: &[char], maxsplit: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut index = 0;
    while index < text.len() {
        while index < text.len() && is_space(text[index]) {
            index += 1;
        }
        if index >= text.len() {
            break;
        }
        if parts.len() == maxsplit {
            parts.push(text[index..].iter().collect());
            break;
        }
        let start = index;
        while index < text.len() && !is_space(text[index]) {
            index += 1;
        }
        parts.push(text[start..index].iter().collect());
    }
    parts
}

/// The `unicode` directive's argument without a trailing `.. comment`.
fn strip_unicode_comment(text: &[char]) -> Vec<char> {
    for index in 0..text.len() {
        let at_boundary = index == 0 || matches!(text[index - 1], ' ' | '\n');
        if at_boundary && text[index..].starts_with(&['.', '.', ' ']) {
            let end = if index > 0 { index - 1 } else { 0 };
            return text[..end].to_vec();
        }
    }
    text.to_vec()
}

/// The `role` directive's arguments: `name` or `name(base)`.
fn role_arguments(text: &[char]) -> Option<(String, Option<String>)> {
    let ends = simplename_ends(text, 0);
    for end in ends {
        let name: String = text[..end].iter().collect();
        let mut index = end;
        while index < text.len() && is_space(text[index]) {
            index += 1;
        }
        if index == text.len() {
            return Some((name, None));
        }
        if text[index] != '(' {
            continue;
        }
        index += 1;
        while index < text.len() && is_space(text[index]) {
            index += 1;
        }
        let base_start = index;
        for base_end in simplename_ends(text, base_start) {
            let mut after = base_end;
            while after < text.len() && is_space(text[after]) {
                after += 1;
            }
            if text.get(after) != Some(&')') {
                continue;
            }
            after += 1;
            while after < text.len() && is_space(text[after]) {
                after += 1;
            }
            if after == text.len() {
                return Some((name, Some(text[base_start..base_end].iter().collect())));
            }
        }
    }
    None
}

/// The CSV dialect of the `csv-table` directive (Python's `csv` module in
/// strict mode).
struct CsvDialect {
    delimiter: char,
    quote: char,
    escape: Option<char>,
    double_quote: bool,
    skip_initial_space: bool,
}

impl CsvDialect {
    fn from_options(parsed: &Parsed) -> Self {
        let character = |key: &str| -> Option<char> {
            let value = parsed.option(key)?.as_deref()?;
            let decoded = match value {
                "tab" if key == "delim" => "\t".to_owned(),
                "space" if key == "delim" => " ".to_owned(),
                _ => unicode_code(value).ok().flatten().unwrap_or_else(|| value.to_owned()),
            };
            decoded.chars().next()
        };
        let escape = character("escape");
        CsvDialect {
            delimiter: character("delim").unwrap_or(','),
            quote: character("quote").unwrap_or('"'),
            escape,
            double_quote: escape.is_none(),
            skip_initial_space: !parsed.has("keepspace"),
        }
    }

    /// The records of `lines` as Python's `csv` module reads them (each a
    /// list of field texts), or its error.
    fn rows(&self, lines: &[String]) -> Result<Vec<Vec<String>>, String> {
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum S {
            StartRecord,
            StartField,
            Escaped,
            InField,
            InQuoted,
            EscapeInQuoted,
            QuoteInQuoted,
            EatNewline,
        }
        let mut rows = Vec::new();
        let mut state = S::StartRecord;
        let mut fields: Vec<String> = Vec::new();
        let mut field = String::new();
        let mut field_started = false;
        for line in lines {
            // `None` is the end of the line.
            for c in line.chars().chain(std::iter::once('\n')).map(Some).chain(std::iter::once(None)) {
                let mut save = false;
                let mut current = state;
                loop {
                    match current {
                        S::StartRecord => match c {
                            None => {}
                            Some('\n' | '\r') => state = S::EatNewline,
                            _ => {
                                current = S::StartField;
                                state = S::StartField;
                                continue;
                            }
                        },
                        S::StartField => match c {
                            None | Some('\n' | '\r') => {
                                save = true;
                                state = if c.is_none() { S::StartRecord } else { S::EatNewline };
                            }
                            Some(ch) if ch == self.quote => state = S::InQuoted,
                            Some(ch) if Some(ch) == self.escape => state = S::Escaped,
                            Some(' ') if self.skip_initial_space => {}
                            Some(ch) if ch == self.delimiter => save = true,
                            Some(ch) => {
                                field.push(ch);
                                state = S::InField;
                            }
                        },
                        S::Escaped => {
                            field.push(c.unwrap_or('\n'));
                            state = S::InField;
                        }
                        S::InField => match c {
                            None | Some('\n' | '\r') => {
                                save = true;
                                state = if c.is_none() { S::StartRecord } else { S::EatNewline };
                            }
                            Some(ch) if Some(ch) == self.escape => state = S::Escaped,
                            Some(ch) if ch == self.delimiter => {
                                save = true;
                                state = S::StartField;
                            }
                            Some(ch) => field.push(ch),
                        },
                        S::InQuoted => match c {
                            None => {}
                            Some(ch) if Some(ch) == self.escape => state = S::EscapeInQuoted,
                            Some(ch) if ch == self.quote => {
                                state = if self.double_quote { S::QuoteInQuoted } else { S::InField };
                            }
                            Some(ch) => field.push(ch),
                        },
                        S::EscapeInQuoted => {
                            field.push(c.unwrap_or('\n'));
                            state = S::InQuoted;
                        }
                        S::QuoteInQuoted => match c {
                            Some(ch) if ch == self.quote => {
                                field.push(ch);
                                state = S::InQuoted;
                            }
                            Some(ch) if ch == self.delimiter => {
                                save = true;
                                state = S::StartField;
                            }
                            None | Some('\n' | '\r') => {
                                save = true;
                                state = if c.is_none() { S::StartRecord } else { S::EatNewline };
                            }
                            Some(_) => {
                                return Err(format!("'{}' expected after '{}'", self.delimiter, self.quote));
                            }
                        },
                        S::EatNewline => match c {
                            Some('\n' | '\r') => {}
                            None => state = S::StartRecord,
                            Some(_) => {
                                return Err(
                                    "new-line character seen in unquoted field - do you need to open the file with newline=''?"
                                        .to_owned(),
                                );
                            }
                        },
                    }
                    break;
                }
                if save {
                    fields.push(std::mem::take(&mut field));
                }
                field_started = !field.is_empty();
            }
            if state == S::StartRecord {
                rows.push(std::mem::take(&mut fields));
            }
        }
        if state != S::StartRecord && state != S::EatNewline && (field_started || state == S::InQuoted) {
            return Err("unexpected end of data".to_owned());
        }
        Ok(rows)
    }
}

/// Whether `text` is a valid role or directive name.
#[allow(dead_code)]
pub(super) fn is_valid_name(text: &[char]) -> bool {
    is_simplename(text)
}

#[allow(dead_code)]
fn unused(_: Flag) -> String {
    unescape(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures() {
        let units = ["px", ""];
        assert!(check_measure("12", &units).is_ok());
        assert!(check_measure("12px", &units).is_ok());
        assert!(check_measure("12 px", &units).is_ok());
        assert!(check_measure("1.5", &units).is_ok());
        assert!(check_measure("12em", &units).is_err());
        assert!(check_measure("abc", &units).is_err());
        assert!(check_measure("-3", &units).is_err());
        assert!(convert(LengthOrPercentage, Some("50%")).is_ok());
        assert!(convert(LengthOrPercentage, Some("50")).is_ok());
        assert!(convert(LengthOrPercentage, Some("50 furlongs")).is_err());
    }

    #[test]
    fn conversions() {
        assert!(convert(Flag, None).is_ok());
        assert!(convert(Flag, Some("x")).is_err());
        assert!(convert(Class, Some("a b-c")).is_ok());
        assert!(convert(Class, Some("123")).is_err());
        assert!(convert(Choice(ALIGN_HORIZONTAL), Some("Center")).is_ok());
        assert!(convert(Choice(ALIGN_HORIZONTAL), Some("middle")).is_err());
        assert!(convert(NonnegativeInt, Some("3")).is_ok());
        assert!(convert(NonnegativeInt, Some("-3")).is_err());
        assert!(convert(WordsOrPositiveInts(&["auto"]), Some("1, 2,3")).is_ok());
        assert!(convert(WordsOrPositiveInts(&["auto"]), Some("1 0")).is_err());
        assert!(convert(Character { whitespace_names: true }, Some("tab")).is_ok());
        assert!(convert(Character { whitespace_names: false }, Some("ab")).is_err());
        assert!(convert(Character { whitespace_names: false }, Some("0x2c")).is_ok());
    }

    #[test]
    fn csv() {
        let dialect =
            CsvDialect { delimiter: ',', quote: '"', escape: None, double_quote: true, skip_initial_space: true };
        let lines = |text: &str| text.split('\n').map(str::to_owned).collect::<Vec<_>>();
        let counts = |text: &str| dialect.rows(&lines(text)).map(|rows| rows.iter().map(Vec::len).collect::<Vec<_>>());
        assert_eq!(counts("a, b, c\nd, \"e, f\", g"), Ok(vec![3, 3]));
        assert_eq!(counts("\"multi\nline\", x"), Ok(vec![2]));
        assert_eq!(dialect.rows(&lines("a,  \"b \"\"q\"\"\"")), Ok(vec![vec!["a".to_owned(), "b \"q\"".to_owned()]]));
        assert!(dialect.rows(&lines("\"a\"b, c")).is_err());
        assert!(dialect.rows(&lines("\"open")).is_err());
    }

    #[test]
    fn role_names() {
        let chars = |text: &str| text.chars().collect::<Vec<_>>();
        assert_eq!(role_arguments(&chars("custom")), Some(("custom".to_owned(), None)));
        assert_eq!(role_arguments(&chars("html(raw)")), Some(("html".to_owned(), Some("raw".to_owned()))));
        assert_eq!(role_arguments(&chars("a b")), None);
    }

    #[test]
    fn names() {
        assert!(lookup("Code-Block").is_some());
        assert!(lookup("note").is_some());
        assert!(lookup("toctree").is_none());
    }
}
