//! Checks a reStructuredText long description the way the index renders it.
//!
//! The index renders `text/x-rst` descriptions with `readme_renderer`, which
//! runs docutils with every system message of level WARNING or above made
//! fatal; when that happens the page falls back to plain text (and
//! `twine check` reports "`long_description` has syntax errors in markup
//! and would not be rendered on PyPI"). flit's command line runs the same
//! check and refuses to build (see `flit-behaviour.md` §4.11). A Markdown
//! description always passes and is not checked here.
//!
//! [`check_rst`] is a reimplementation of the parts of docutils 0.23 (the
//! version `readme_renderer` 46.0 uses) that produce those messages: the
//! block parser with its recursive state machine, the inline parser, the
//! directives and roles docutils registers (with the index's settings: no
//! file insertion, no raw output), the table parsers, and the checks of the
//! transforms that run after parsing (references, substitutions, footnotes,
//! transitions, bibliographic fields). It reports each problem at the line
//! docutils reports it, with docutils' message text.
//!
//! # Covered
//!
//! Block structure:
//! - "Title underline too short.", "Title overline too short.",
//!   "Title overline & underline mismatch.", "Missing matching underline for
//!   section title overline.", "Incomplete section title.", "Invalid section
//!   title or transition marker.", "Unexpected section title.", "Unexpected
//!   section title or transition.", "Inconsistent title style: skip from
//!   level N to M.", "A level N section cannot be used here.";
//! - "Unexpected indentation.", and "<construct> ends without a blank line;
//!   unexpected unindent." for block quotes, bullet, enumerated, definition,
//!   field and option lists, explicit markup and literal blocks; "Line block
//!   ends without a blank line.";
//! - "Literal block expected; none found.", "Inconsistent literal block
//!   quoting.";
//! - "Malformed table." with every detail of docutils' grid and simple
//!   table parsers (borders, separators, column spans and margins, parse
//!   incomplete), "Blank line required after table.";
//! - "Footnote content expected.", "Citation content expected.",
//!   "malformed hyperlink target.", "malformed substitution definition.",
//!   "Substitution definition "x" missing contents.", "... empty or
//!   invalid.", "Problematic content in substitution definition", "... are
//!   not supported in a substitution definition.", "Duplicate substitution
//!   definition name".
//!
//! Inline markup: "Inline emphasis/strong/literal/target/
//! substitution_reference start-string without end-string.", "Inline
//! interpreted text or phrase reference start-string without end-string.",
//! "Multiple roles in interpreted text", "Mismatch: both interpreted text
//! role prefix/suffix and reference suffix.", "Unknown interpreted text role",
//! "Interpreted text role "x" not implemented.", invalid `pep`/`rfc`
//! numbers, "raw (and derived) roles disabled"; custom roles (`role`) and
//! `default-role` are followed.
//!
//! Directives: "Unknown directive type" (the set docutils registers, any
//! case, with the `code-block`, `sourcecode`, `rst-class` and
//! `section-numbering` aliases); "Error in "x" directive:" for missing or
//! extra arguments, unknown, duplicate and invalid options (every option
//! conversion of docutils except encodings and parser names) and content
//! where none is allowed; "Content block expected"; the `raw` and `include`
//! directives being disabled; `replace`/`unicode`/`date` outside a
//! substitution definition; image and figure alignment; figure captions;
//! topics, sidebars and tables of contents in body elements; `class`
//! without a following element; invalid class values; `table`,
//! `list-table` and `csv-table` structure (a Python-`csv`-compatible reader
//! in strict mode), dimensions and widths; `role` and `default-role`
//! errors; "Invalid meta directive.".
//!
//! After parsing: "Unknown target name", "Duplicate target name, cannot be
//! used as a unique reference", "Duplicate explicit target name" (with
//! docutils' rules for names: explicit and implicit targets, section titles,
//! embedded URIs and aliases, footnote and citation labels, `:name:`
//! options), "Indirect hyperlink target ... refers to target ...",
//! "Anonymous hyperlink mismatch", "Undefined substitution referenced"
//! (references inside a substitution are checked where it is used, as
//! docutils does), "Too many autonumbered/symbol footnote references",
//! transitions at the start or end of the document or a section or next to
//! each other, the bibliographic-field checks of a leading field list, "No
//! suitable element following "class" directive", "Line N exceeds the
//! line-length-limit.", and the empty-output failure ("No content rendered
//! from RST source.").
//!
//! # Not covered (never reported, so never a false alarm)
//!
//! - problems inside `csv-table` cells (docutils parses each cell as
//!   reStructuredText at line numbers unrelated to the source);
//! - `code` blocks and roles given an unknown language through a custom
//!   role's `language` option (needs Pygments' lexer list);
//! - `meta` tag attribute errors; circular substitution definitions are
//!   found but reported once per use rather than exactly as docutils does;
//! - messages that docutils produces only through crashes or internal
//!   inconsistencies, and "Duplicate ID" messages.
//!
//! # Differences in detail
//!
//! - docutils gives some messages no line at all ("Anonymous hyperlink
//!   mismatch", "Unknown target name" for a reference in a section title or
//!   an image target); they are reported at the line of the first anonymous
//!   reference, the title, and the directive.
//! - "Indirect hyperlink target" messages omit docutils' `(id="...")` part.
//! - Constructs nested more than 48 levels deep are not looked into (docutils
//!   itself fails on Python's recursion limit a little deeper).
//!
//! Lines are numbered as docutils numbers them: the input is split at
//! Python's line boundaries (including `\r`, `\x1c`–`\x1e`, `\x85`,
//! U+2028 and U+2029), after vertical tabs and form feeds became spaces.

mod body;
mod directives;
mod document;
mod inline;
mod machine;
mod table;
mod text;
mod unicode;

/// The severity of a problem, as docutils' system message levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RstLevel {
    /// Level 2: the index refuses the description (its renderer halts on
    /// warnings).
    Warning,
    /// Level 3.
    Error,
    /// Level 4.
    Severe,
}

impl RstLevel {
    /// docutils' number for the level.
    pub fn number(self) -> u8 {
        match self {
            RstLevel::Warning => 2,
            RstLevel::Error => 3,
            RstLevel::Severe => 4,
        }
    }

    /// docutils' name for the level (`WARNING`, `ERROR`, `SEVERE`).
    pub fn name(self) -> &'static str {
        match self {
            RstLevel::Warning => "WARNING",
            RstLevel::Error => "ERROR",
            RstLevel::Severe => "SEVERE",
        }
    }
}

/// One reason the index would render the description as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RstProblem {
    /// The 1-based line in the description text.
    pub line: usize,
    /// How serious docutils considers it (all of them are fatal on the
    /// index).
    pub level: RstLevel,
    /// docutils' message.
    pub message: String,
}

/// docutils' `line_length_limit` default: longer lines stop the parse.
const LINE_LENGTH_LIMIT: usize = 10_000;

/// Checks a reStructuredText description; an empty result means the index
/// will render it. Problems are sorted by line.
pub fn check_rst(text: &str) -> Vec<RstProblem> {
    let lines = text::split_lines(text);
    if let Some(long) = lines.iter().find(|line| line.len() > LINE_LENGTH_LIMIT) {
        return vec![RstProblem {
            line: long.number,
            level: RstLevel::Error,
            message: format!("Line {} exceeds the line-length-limit.", long.number),
        }];
    }
    let mut parser = body::Parser::new();
    parser.parse_document(&lines);
    parser.doc.finish()
}
