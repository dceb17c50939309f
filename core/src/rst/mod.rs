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
        assert_eq!(problems("Title\n====\n\ntext\n"), vec![]);
        assert_eq!(problems("A long title\n=====\n"), one(2, "Title underline too short."));
        assert_eq!(problems("- a\n- b\ntext\n"), one(3, "Bullet list ends without a blank line; unexpected unindent."));
        assert_eq!(problems("a\nb\n  c\n"), one(3, "Unexpected indentation."));
        assert_eq!(problems("term\n   def\nnext\n"), one(3, "Definition list ends without a blank line; unexpected unindent."));
        assert_eq!(problems(".. note:: x\ny\n"), one(2, "Explicit markup ends without a blank line; unexpected unindent."));
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
            one(1, "Anonymous hyperlink mismatch: 1 references but 0 targets.\nSee \"backrefs\" attribute for IDs.")
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
