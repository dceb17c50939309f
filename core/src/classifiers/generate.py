"""Generate core/src/classifiers/data.rs from the installed `trove-classifiers` package.

Usage (from the repository root, with a Python that has the pinned
`trove-classifiers` of tests/requirements.txt installed):

    python core/src/classifiers/generate.py --write
    cargo fmt

Without `--write` the Rust source is printed to standard output.

The tables are sorted by code point (Rust's `str` ordering), so that lookups
are binary searches and every classifier sharing a prefix such as
`"Programming Language :: "` forms one contiguous run (the suggestion index
relies on this).
"""

import argparse
import importlib.metadata
import pathlib
import sys

import trove_classifiers


def rust_str(text: str) -> str:
    assert text.isascii() and text.isprintable(), text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render() -> str:
    version = importlib.metadata.version("trove-classifiers")
    valid = sorted(trove_classifiers.sorted_classifiers)
    deprecated = sorted(trove_classifiers.deprecated_classifiers.items())
    assert len(set(valid)) == len(valid)
    assert not set(valid) & {old for old, _ in deprecated}
    for _, replacements in deprecated:
        for replacement in replacements:
            assert replacement in valid, replacement
    lines = [
        f"//! Trove classifiers from the `trove-classifiers` package, version {version}.",
        "//!",
        "//! GENERATED FILE, do not edit. It is produced by",
        "//! `core/src/classifiers/generate.py` from the installed package's",
        "//! `sorted_classifiers` and `deprecated_classifiers`. To update it, pin a",
        "//! newer `trove-classifiers` in `tests/requirements.txt`, install it, and run",
        "//! from the repository root:",
        "//!",
        "//! ```text",
        "//! python core/src/classifiers/generate.py --write && cargo fmt",
        "//! ```",
        "//!",
        "//! Both tables are sorted by code point, for binary search.",
        "",
        "/// The `trove-classifiers` package version these tables come from.",
        f'pub const TROVE_CLASSIFIERS_VERSION: &str = "{version}";',
        "",
        "/// Every valid classifier (the package's `sorted_classifiers`).",
        "pub(super) static CLASSIFIERS: &[&str] = &[",
    ]
    lines += [f"    {rust_str(c)}," for c in valid]
    lines += [
        "];",
        "",
        "/// Deprecated classifiers and their replacements (the package's",
        "/// `deprecated_classifiers`; an empty list means there is no replacement).",
        "pub(super) static DEPRECATED: &[(&str, &[&str])] = &[",
    ]
    for old, replacements in deprecated:
        inner = ", ".join(rust_str(r) for r in replacements)
        lines.append(f"    ({rust_str(old)}, &[{inner}]),")
    lines += ["];", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write data.rs next to this script")
    args = parser.parse_args()
    text = render()
    if args.write:
        target = pathlib.Path(__file__).with_name("data.rs")
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
