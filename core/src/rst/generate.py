"""Generate core/src/rst/unicode.rs: the character classes the reStructuredText
checker needs, taken from the Python and docutils that PyPI's renderer uses.

Usage (from the repository root, with a Python that has the pinned docutils
of tests/requirements.txt installed):

    python core/src/rst/generate.py --write
    cargo fmt

Without `--write` the Rust source is printed to standard output.

Each class is a sorted list of inclusive code point ranges. Unassigned code
points (general category Cn) are "don't care": ranges separated only by
unassigned code points are merged, which keeps the tables small.
"""

import argparse
import pathlib
import re
import sys
import unicodedata

import docutils
from docutils.utils import punctuation_chars


def ranges(predicate):
    result = []
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cn" or not predicate(char):
            continue
        if result and all(
            unicodedata.category(chr(gap)) == "Cn" for gap in range(result[-1][1] + 1, code)
        ):
            result[-1] = (result[-1][0], code)
        else:
            result.append((code, code))
    return result


def regex_class(pattern):
    compiled = re.compile(pattern)
    return lambda char: compiled.fullmatch(char) is not None


def table(name, doc, items):
    lines = [f"/// {line}" for line in doc.splitlines()]
    lines.append(f"pub(super) static {name}: &[(u32, u32)] = &[")
    row = []
    for start, end in items:
        row.append(f"(0x{start:x}, 0x{end:x})")
        if len(row) == 6:
            lines.append("    " + ", ".join(row) + ",")
            row = []
    if row:
        lines.append("    " + ", ".join(row) + ",")
    lines.append("];")
    return "\n".join(lines)


def render():
    p = punctuation_chars
    start_prefix = regex_class("[%s%s]" % (p.openers, p.delimiters))
    end_suffix = regex_class("[\x00%s%s%s]" % (p.closing_delimiters, p.delimiters, p.closers))
    assert len(p.openers) == len(p.closers)
    pairs = sorted(set(zip(p.openers, p.closers)) | {
        (opener, closer) for opener, closers in p.quote_pairs.items() for closer in closers
    })
    header = f"""\
//! Character classes for the reStructuredText checker.
//!
//! GENERATED FILE, do not edit. It is produced by `core/src/rst/generate.py`
//! from Python {sys.version.split()[0]} (Unicode {unicodedata.unidata_version}) and docutils {docutils.__version__}
//! (`docutils.utils.punctuation_chars`). To update it, run from the repository
//! root, with the pinned docutils installed:
//!
//! ```text
//! python core/src/rst/generate.py --write && cargo fmt
//! ```
//!
//! Each table is a sorted list of inclusive code point ranges; unassigned
//! code points between two ranges are merged into them.
"""
    parts = [
        header,
        table("WORD", "Python's `\\w` in `str` patterns: `isalnum()` or `_`.",
              ranges(lambda c: c.isalnum() or c == "_")),
        "",
        table("WIDE", "East Asian Width `W` or `F`: two columns in `docutils.utils.column_width`.",
              ranges(lambda c: unicodedata.east_asian_width(c) in "WF")),
        "",
        table("COMBINING", "Non-zero canonical combining class: zero columns.",
              ranges(lambda c: unicodedata.combining(c) != 0)),
        "",
        table("START_PREFIX",
              "Characters after which an inline markup start-string may begin\n"
              "(docutils' openers and delimiters; whitespace is tested apart).",
              ranges(start_prefix)),
        "",
        table("END_SUFFIX",
              "Characters before which an inline markup end-string may end\n"
              "(docutils' closing delimiters, delimiters and closers, and the escape\n"
              "marker NUL; whitespace is tested apart).",
              ranges(end_suffix)),
        "",
        "/// Matching (opener, closer) pairs: a start-string between them is quoted,",
        "/// not markup (`docutils.utils.punctuation_chars.match_chars`).",
        "pub(super) static QUOTE_PAIRS: &[(char, char)] = &[",
    ]
    for opener, closer in pairs:
        parts.append(f"    ('\\u{{{ord(opener):x}}}', '\\u{{{ord(closer):x}}}'),")
    parts += ["];", ""]
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write unicode.rs next to this script")
    args = parser.parse_args()
    text = render()
    if args.write:
        target = pathlib.Path(__file__).with_name("unicode.rs")
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
