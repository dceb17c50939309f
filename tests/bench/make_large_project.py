"""Writes the benchmark's large project: 5,000 modules of about 4 KiB and
three 10 MiB data files, deterministic (the same bytes on every run).

The files are meant to compress the way real package contents do, neither
almost for free (zeros) nor not at all (random bytes). At gzip level 6: the
modules about 4:1; a CSV table about 3.8:1, a JSON-lines log about 5:1, and
little-endian 16-bit samples of a noisy signal about 1.07:1 (like sensor or
audio data), so the data as a whole about 2.1:1.

The project configures both flit (`[tool.flit.external-data]`) and
uv-build (`[tool.uv.build-backend]`), which then select the same files.

Usage: make_large_project.py DIRECTORY
"""

import array
import math
import os
import random
import sys
from collections.abc import Callable

MODULES = 5000
MODULES_PER_PACKAGE = 100
DATA_SIZE = 10 * 1024 * 1024

PYPROJECT = """\
[build-system]
requires = ["flit_core >=3.11,<5"]
build-backend = "flit_core.buildapi"

[project]
name = "bigpkg"
version = "1.0.0"
description = "A large generated package for benchmarks"
readme = "README.md"
license = "MIT"
requires-python = ">=3.9"

[tool.flit.external-data]
directory = "data"

# The same selection for uv-build: the package at the top level, and data/
# as the wheel's `.data/data/` directory (flit's external data).
[tool.uv.build-backend]
module-name = "bigpkg"
module-root = ""
data = { data = "data" }
"""

WORDS = (
    "value result config parser token buffer index record stream handle cache "
    "filter render module package layout account invoice customer payload "
    "request session window border column schema signal sample vector matrix"
).split()
LEVELS = ["DEBUG", "INFO", "INFO", "INFO", "WARNING", "ERROR"]
# Identifiers for the modules: a vocabulary of a few thousand made-up words,
# so that the source compresses like real code (about 4:1 at level 6), not
# like a template repeated (7:1 with WORDS alone).
SYLLABLES = "ba ce di fo gu ha je ki lo mu na pe ri so tu va we xi yo zu ar en il or un st tr pl".split()


def identifier(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 5)))


def distinct_identifiers(rng: random.Random, count: int) -> list[str]:
    """`count` different identifiers (parameters of one function)."""
    names: list[str] = []
    while len(names) < count:
        name = identifier(rng)
        if name not in names:
            names.append(name)
    return names


def module_text(rng: random.Random, number: int) -> str:
    """About 4 KiB of plausible Python: a docstring, imports, constants,
    functions and classes with varied names, numbers and strings."""
    lines = [
        f'"""Module {number}: {" ".join(rng.choice(WORDS) for _ in range(6))}."""',
        "",
        "from __future__ import annotations",
        "",
        f"import {rng.choice(('math', 'os', 're', 'json', 'itertools'))}",
        "",
        f"{identifier(rng).upper()} = {rng.randrange(10**6)}",
        f'{identifier(rng).upper()} = "{identifier(rng)}-{rng.getrandbits(32):08x}"',
        "",
    ]
    size = sum(len(line) + 1 for line in lines)
    while size < 4096:
        a, b, c = distinct_identifiers(rng, 3)
        if rng.random() < 0.5:
            block = [
                "",
                f"def {identifier(rng)}_{rng.choice(WORDS)}({a}, {b}=None, *, {c}={rng.randrange(100)}):",
                f'    """Return the {rng.choice(WORDS)} of {a} and {b}, scaled by {c}."""',
                f"    if {b} is None:",
                f"        {b} = {rng.random():.6f}",
                f"    for {identifier(rng)} in range({c}):",
                f"        {a} = {a} * {rng.randrange(2, 50)} + {b}",
                f"    return {a} / max({c}, 1)",
                "",
            ]
        else:
            block = [
                "",
                f"class {a.capitalize()}{rng.choice(WORDS).capitalize()}:",
                f'    """A {rng.choice(WORDS)} that keeps its {b} and {c}."""',
                "",
                f"    def __init__(self, {b}: int, {c}: str = {identifier(rng)!r}) -> None:",
                f"        self.{b} = {b}",
                f"        self.{c} = {c}",
                "",
                f"    def {identifier(rng)}(self) -> str:",
                f'        return f"{{self.{c}}}:{{self.{b} + {rng.randrange(1000)}}}"',
                "",
            ]
        lines += block
        size += sum(len(line) + 1 for line in block)
    return "\n".join(lines) + "\n"


def fill(make_chunk: Callable[[], bytes], header: bytes = b"") -> bytes:
    """`header`, then chunks, up to exactly DATA_SIZE bytes."""
    parts = [header]
    size = len(header)
    while size < DATA_SIZE:
        chunk = make_chunk()
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)[:DATA_SIZE]


def csv_table(rng: random.Random) -> bytes:
    """Customer records: ids, names, amounts, dates."""
    counter = iter(range(10**9))

    def rows() -> bytes:
        return "".join(
            f"{next(counter)},{rng.choice(WORDS)}_{rng.randrange(5000)},{rng.choice(WORDS)},"
            f"{rng.lognormvariate(4, 1.2):.2f},{rng.choice(('EUR', 'USD', 'GBP'))},"
            f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d},"
            f"{rng.choice(('paid', 'open', 'overdue'))}\n"
            for _ in range(1000)
        ).encode()

    return fill(rows, header=b"id,customer,category,amount,currency,date,status\n")


def json_log(rng: random.Random) -> bytes:
    """A service's log: timestamps, levels, messages from a small vocabulary."""
    clock = [1_700_000_000.0]

    def lines() -> bytes:
        out = []
        for _ in range(1000):
            clock[0] += rng.expovariate(20)
            out.append(
                f'{{"ts": {clock[0]:.3f}, "level": "{rng.choice(LEVELS)}", '
                f'"logger": "{rng.choice(WORDS)}.{rng.choice(WORDS)}", '
                f'"msg": "{rng.choice(WORDS)} {rng.choice(WORDS)} took {rng.randrange(1, 900)} ms", '
                f'"request_id": "{rng.getrandbits(64):016x}"}}\n'
            )
        return "".join(out).encode()

    return fill(lines)


def signal_samples(rng: random.Random) -> bytes:
    """16-bit samples: a sum of slow sines plus noise, like a sensor's."""
    samples = array.array("h")
    phase = 0.0
    for _ in range(DATA_SIZE // 2):
        phase += 0.001
        value = 6000 * math.sin(phase) + 2500 * math.sin(phase * 7.3) + rng.gauss(0, 180)
        samples.append(max(-32768, min(32767, int(value))))
    if sys.byteorder != "little":
        samples.byteswap()
    return samples.tobytes()


DATA_FILES: dict[str, Callable[[random.Random], bytes]] = {
    "customers.csv": csv_table,
    "service.log.jsonl": json_log,
    "signal.s16le": signal_samples,
}


def write(path: str, content: str | bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content.encode() if isinstance(content, str) else content)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    if os.path.exists(root):
        sys.exit(f"{root} exists; this writes a new project only")
    rng = random.Random(20261121)
    write(os.path.join(root, "pyproject.toml"), PYPROJECT)
    write(os.path.join(root, "README.md"), "# bigpkg\n\nGenerated for benchmarks.\n")
    write(os.path.join(root, "bigpkg", "__init__.py"), '"""The generated benchmark package."""\n')
    for number in range(MODULES):
        package = os.path.join(root, "bigpkg", f"group{number // MODULES_PER_PACKAGE:02d}")
        if number % MODULES_PER_PACKAGE == 0:
            write(os.path.join(package, "__init__.py"), "")
        write(os.path.join(package, f"module{number:04d}.py"), module_text(rng, number))
    for name, make in DATA_FILES.items():
        write(os.path.join(root, "data", name), make(rng))


if __name__ == "__main__":
    main()
