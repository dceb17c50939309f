"""Generate core/src/spdx/data.rs from the SPDX data shipped with `packaging`.

Usage (from the repository root, with a Python that has `packaging` >= 24.2):

    python core/src/spdx/generate.py > core/src/spdx/data.rs
    cargo fmt

or `python core/src/spdx/generate.py --write` to write the file in place.

Only non-deprecated licenses and exceptions are emitted, as flit 4.2 accepts
only those. Each table is a sorted array of (lower-case ID, canonical ID)
pairs so that lookups are a binary search.
"""

import argparse
import pathlib
import sys

from packaging.licenses import _spdx


def rust_table(name: str, doc: str, entries: dict) -> str:
    rows = sorted(
        (key, value["id"])
        for key, value in entries.items()
        if not value["deprecated"]
    )
    for key, canonical in rows:
        # The lookup relies on this; packaging builds its keys the same way.
        assert key == canonical.lower() and key.isascii(), key
        assert '"' not in key and "\\" not in key, key
    lines = [f"/// {doc}", f"pub(super) static {name}: &[(&str, &str)] = &["]
    lines += [f'    ("{key}", "{canonical}"),' for key, canonical in rows]
    lines.append("];")
    return "\n".join(lines)


def render() -> str:
    header = f"""\
//! SPDX license list {_spdx.VERSION}: the non-deprecated license and exception IDs.
//!
//! GENERATED FILE, do not edit. It is produced by `core/src/spdx/generate.py`
//! from the `packaging` package's `packaging/licenses/_spdx.py`. To update it,
//! install a newer `packaging` and run, from the repository root:
//!
//! ```text
//! python core/src/spdx/generate.py --write && cargo fmt
//! ```
//!
//! Each table holds (lower-case ID, canonical ID) pairs sorted by the
//! lower-case ID, for binary search.

/// The SPDX license list version these tables come from.
pub const SPDX_LIST_VERSION: &str = "{_spdx.VERSION}";
"""
    return "\n".join([
        header,
        rust_table("LICENSES", "Non-deprecated SPDX license IDs.", _spdx.LICENSES),
        "",
        rust_table("EXCEPTIONS", "Non-deprecated SPDX license exception IDs.", _spdx.EXCEPTIONS),
        "",
    ])


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
