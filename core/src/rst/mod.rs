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
//! [`check_rst`] reimplements the parts of docutils 0.23 (the version
//! `readme_renderer` 46.0 runs) that produce those messages: the block
//! parser and its recursive state machine (`body`, `machine`), the inline
//! parser (`inline`), the directives and roles docutils registers, with the
//! index's settings: no file insertion, no raw output (`directives`), the
//! grid and simple table parsers (`table`), and the checks of the
//! transforms that run after parsing, in their order (`document`). Each
//! problem is reported at the line docutils reports it, with docutils'
//! message text; where docutils' arithmetic gives odd line numbers (directive
//! content with options, table cells), the same odd numbers are reproduced.
//! Unlike the renderer, which stops at the first problem, every problem is
//! reported.
//!
//! Verified against docutils 0.23 on a corpus of 85 hand-written READMEs
//! (`tests/rst-corpus/`, also in CI), the installed packages'
//! descriptions, about 2,600 `.rst` files found on a development machine,
//! and over 70,000 generated and mutated documents: no false alarm, and the
//! same messages at the same lines, except for what is listed below.
//!
//! # Covered
//!
//! Sections and transitions: "Title underline too short.", "Title overline
//! too short.", "Title overline & underline mismatch.", "Missing matching
//! underline for section title overline.", "Incomplete section title.",
//! "Invalid section title or transition marker.", "Unexpected section
//! title.", "Unexpected section title or transition.", "Inconsistent title
//! style: skip from level N to M.", "A level N section cannot be used
//! here.", "Transition at the start of the document/section.", "Transition
//! at the end of the document.", "At least one body element should separate
//! transitions.".
//!
//! Block structure: "Unexpected indentation.", "<construct> ends without a
//! blank line; unexpected unindent." for block quotes, bullet, enumerated,
//! definition, field and option lists, explicit markup and literal blocks;
//! "Line block ends without a blank line.", "Literal block expected; none
//! found.", "Inconsistent literal block quoting.", "Malformed table." with
//! every detail of docutils' grid and simple table parsers, "Blank line
//! required after table.".
//!
//! Explicit markup: "Footnote content expected.", "Citation content
//! expected.", "malformed hyperlink target.", "malformed substitution
//! definition.", "Substitution definition "x" missing contents." / "empty or
//! invalid.", "Problematic content in substitution definition", "... are not
//! supported in a substitution definition.", "Duplicate substitution
//! definition name", "Unknown directive type".
//!
//! Inline markup: "Inline emphasis/strong/literal/target/
//! substitution_reference start-string without end-string.", "Inline
//! interpreted text or phrase reference start-string without end-string.",
//! "Multiple roles in interpreted text ...", "Mismatch: both interpreted
//! text role prefix/suffix and reference suffix.", "Unknown interpreted text
//! role", "Interpreted text role "x" not implemented.", invalid `pep` and
//! `rfc` numbers, "raw (and derived) roles disabled"; custom roles (`role`)
//! and `default-role` are followed.
//!
//! Directives (every one docutils 0.23 registers, any case, and the
//! `code-block`, `sourcecode`, `rst-class` and `section-numbering`
//! aliases): "Error in "x" directive:" for missing or extra arguments,
//! unknown, duplicate and invalid options (every option conversion except
//! encodings and parser names, which only matter with file insertion) and
//! content where none is allowed; "Content block expected ..."; `raw` and
//! `include` being disabled; `replace`, `unicode` and `date` outside a
//! substitution definition and their own errors; image and figure
//! alignment; figure captions; topics, sidebars and tables of contents in
//! body elements; invalid class values; `table`, `list-table` and
//! `csv-table` structure (a reader compatible with Python's `csv` module in
//! strict mode), dimensions and widths, and the content of their cells;
//! `role` and `default-role` errors; "Invalid meta directive."; "File and
//! URL access deactivated".
//!
//! After parsing: "Unknown target name", "Duplicate target name, cannot be
//! used as a unique reference", "Duplicate explicit target name" (docutils'
//! rules for explicit and implicit names: section titles, targets, embedded
//! URIs and aliases, footnote and citation labels, `:name:` options),
//! "Indirect hyperlink target ... refers to target ...", "Anonymous
//! hyperlink mismatch", "Undefined substitution referenced" and circular
//! substitutions (references inside a substitution are checked where it is
//! used, as docutils does), "Too many autonumbered/symbol footnote
//! references", the bibliographic-field checks of a leading field list,
//! "No suitable element following "class" directive"; "Line N exceeds the
//! line-length-limit."; and the renderer's own failure when nothing would be
//! rendered ("No content rendered from RST source.", reported at line 1).
//!
//! # Not covered (never reported, so never a false alarm)
//!
//! - a `code` directive or role given a language Pygments does not know
//!   through a custom role's `language` option ("Cannot analyze code. No
//!   Pygments lexer found ...": it needs Pygments' lexer list);
//! - attribute syntax errors in `meta` field names ("Error parsing meta tag
//!   attribute");
//! - class names made only of characters whose compatibility decomposition
//!   has no ASCII letter are reported only for scripts known to have none
//!   (Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, kana, CJK, Hangul,
//!   combining marks, ASCII digits and punctuation);
//! - "Duplicate ID" messages, and documents on which docutils itself
//!   crashes.
//!
//! # Differences in detail
//!
//! - docutils gives a few messages no line (an "Unknown target name" in a
//!   section title or an image target, "Anonymous hyperlink mismatch" in
//!   some documents); they are reported at the title's line, the directive's
//!   line and the first anonymous reference's line.
//! - The `(id="...")` part of "Indirect hyperlink target" messages is an
//!   approximation of docutils' identifiers.
//! - Circular substitution definitions are all reported, in line order.
//! - Constructs nested more than 48 levels deep are not looked into (docutils
//!   itself fails on Python's recursion limit not much deeper).
//!
//! Lines are numbered as docutils numbers them: the input is split at
//! Python's line boundaries (including `\r`, `\x1c` to `\x1e`, `\x85`,
//! U+2028 and U+2029), after vertical tabs and form feeds became spaces.
//! The work is linear in the size of the input.

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of `text` as (line, message) pairs.
    fn problems(text: &str) -> Vec<(usize, String)> {
        check_rst(text).into_iter().map(|problem| (problem.line, problem.message)).collect()
    }

    fn one(line: usize, message: &str) -> Vec<(usize, String)> {
        vec![(line, message.to_owned())]
    }

    #[test]
    fn valid_documents() {
        let readme = "\
Project
=======

|badge| A *short* description with ``code``, a link_ and `another <https://example.com>`_.

.. |badge| image:: https://example.com/badge.svg
   :target: https://example.com

.. _link: https://example.com

Install
-------

::

    pip install project

- a list

  1. nested
  2. items

.. note:: Something.

+-----+-----+
| a   | b   |
+=====+=====+
| 1   | 2   |
+-----+-----+
";
        assert_eq!(problems(readme), vec![]);
        assert_eq!(problems("Just text.\n"), vec![]);
        assert_eq!(problems(".. _anchor:\n"), vec![]);
    }

    #[test]
    fn block_structure() {
        assert_eq!(problems("Title\n=====\n\ntext\n"), vec![]);
        assert_eq!(problems("Title\n===\n\ntext\n"), vec![]);
        assert_eq!(problems("A long title\n=====\n"), one(2, "Title underline too short."));
        assert_eq!(problems("- a\n- b\ntext\n"), one(3, "Bullet list ends without a blank line; unexpected unindent."));
        assert_eq!(problems("a\nb\n  c\n"), one(3, "Unexpected indentation."));
        assert_eq!(
            problems("term\n   def\nnext\n"),
            one(3, "Definition list ends without a blank line; unexpected unindent.")
        );
        assert_eq!(
            problems(".. note:: x\ny\n"),
            one(2, "Explicit markup ends without a blank line; unexpected unindent.")
        );
        assert_eq!(problems("Para::\n\ntext\n"), one(3, "Literal block expected; none found."));
        assert_eq!(
            problems("T\n=\n\nS\n-\n\nU\n~\n\nV\n=\n\nW\n~\n"),
            one(13, "Inconsistent title style: skip from level 1 to 3.")
        );
        assert_eq!(problems("=====\nTitle\n-----\n"), one(1, "Title overline & underline mismatch."));
        assert_eq!(problems("text\n\n----\n"), one(3, "Transition at the end of the document."));
    }

    #[test]
    fn inline_markup() {
        assert_eq!(problems("a *b\n"), one(1, "Inline emphasis start-string without end-string."));
        assert_eq!(problems("l1\nl2 ``x\n"), one(1, "Inline literal start-string without end-string."));
        assert_eq!(problems(":ref:`x`\n"), one(1, "Unknown interpreted text role \"ref\"."));
        assert_eq!(problems(":pep:`x`\n"), one(1, "PEP number must be a number from 0 to 9999; \"x\" is invalid."));
        assert_eq!(problems("\\*a, (*), \"*\", 2 * 3\n"), vec![]);
        assert_eq!(problems("nope_\n"), one(1, "Unknown target name: \"nope\"."));
        assert_eq!(problems("|x|\n"), one(1, "Undefined substitution referenced: \"x\"."));
        assert_eq!(
            problems("`a`__\n"),
            one(2, "Anonymous hyperlink mismatch: 1 references but 0 targets.\nSee \"backrefs\" attribute for IDs.")
        );
    }

    #[test]
    fn directives() {
        assert_eq!(problems(".. toctree::\n"), one(1, "Unknown directive type \"toctree\"."));
        assert_eq!(problems(".. raw:: html\n\n   <b>\n"), one(1, "\"raw\" directive disabled."));
        assert_eq!(
            problems(".. image:: x.png\n   :width: big\n")[0].1.lines().next(),
            Some("Error in \"image\" directive:")
        );
        assert_eq!(problems(".. note::\n"), one(1, "Content block expected for the \"note\" directive; none found."));
        assert_eq!(problems(".. Code-Block:: python\n\n   x = 1\n"), vec![]);
        assert_eq!(problems(".. role:: custom\n\n:custom:`x`\n"), vec![]);
    }

    #[test]
    fn tables() {
        assert_eq!(
            problems("+---+---+\n| a | b |\n+---+\n"),
            one(3, "Malformed table.\nRight border not aligned or missing.")
        );
        assert_eq!(problems("===  ===\na    b\n===  ===\n"), vec![]);
    }

    #[test]
    fn references_and_targets() {
        assert_eq!(problems("a_\n\n.. _a: https://x\n.. _a: https://y\n"), {
            let mut expected = one(4, "Duplicate explicit target name: \"a\".");
            expected.push((1, "Duplicate target name, cannot be used as a unique reference: \"a\".".to_owned()));
            expected.sort();
            expected
        });
        assert_eq!(problems("a_\n\n.. _a: https://x\n.. _a: https://x\n"), vec![]);
        assert_eq!(problems("Title\n=====\n\n`Title`_\n"), vec![]);
    }

    #[test]
    fn empty_output_and_long_lines() {
        assert_eq!(problems(""), one(1, "No content rendered from RST source."));
        assert_eq!(problems(".. comment\n"), one(1, "No content rendered from RST source."));
        let long = format!("ok\n{}\n", "x".repeat(LINE_LENGTH_LIMIT + 1));
        assert_eq!(problems(&long), one(2, "Line 2 exceeds the line-length-limit."));
    }

    #[test]
    fn hostile_input_terminates() {
        // Deep nesting stops being looked into; nothing panics or
        // overflows the stack.
        let mut deep = String::new();
        for level in 0..300 {
            deep.push_str(&"  ".repeat(level));
            deep.push_str("- .. note::\n\n");
        }
        let _ = check_rst(&deep);
        let unmatched = "*a `b ``c |d [e :f:".repeat(400);
        assert!(!check_rst(&unmatched).is_empty());
        let chain: String = (0..2000).map(|i| format!(".. |s{i}| replace:: |s{}|\n\n", i + 1)).collect();
        assert!(!check_rst(&chain).is_empty());
        let _ = check_rst("\u{2028}\r\n\t\u{b}\u{c}\u{1c}\u{85}");
        let _ = check_rst("+\n|\n+\n====\n=\n::\n..\n__\n|\n>>>\n");
    }

    #[test]
    fn levels() {
        assert_eq!(RstLevel::Warning.number(), 2);
        assert_eq!(RstLevel::Error.name(), "ERROR");
        assert!(RstLevel::Warning < RstLevel::Severe);
    }
}
