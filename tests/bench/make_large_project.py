"""Writes the benchmark's large project: 5,000 modules of about 4 KiB and
three 10 MiB data files, deterministic (the same bytes on every run).

Usage: make_large_project.py DIRECTORY
"""

import os
import random
import sys

MODULES = 5000
DATA_FILES = 3
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

[tool.uv.build-backend]
module-name = "bigpkg"
module-root = ""
data = { data = "data" }
"""

WORDS = (
    "value result config parser token buffer index record stream handle cache "
    "filter render module package layout account invoice customer payload"
).split()


def module_text(rng: random.Random, number: int) -> str:
    """About 4 KiB of plausible Python: functions, docstrings, constants."""
    lines = [f'"""Module {number} of the generated benchmark package."""', "", "import math", ""]
    while sum(len(line) + 1 for line in lines) < 4096:
        name = "_".join(rng.choice(WORDS) for _ in range(2))
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        lines += [
            f"def {name}_{rng.randrange(1000)}({a}, {b}=None):",
            f'    """Combine {a} with {b} and return the {rng.choice(WORDS)}."""',
            f"    if {b} is None:",
            f"        return {a}",
            f"    return math.fsum([{a}, {b}, {rng.random():.6f}])",
            "",
        ]
    return "\n".join(lines) + "\n"


def data_bytes(rng: random.Random, kind: int) -> bytes:
    """Three kinds of data: random bytes, text-like records, and a sparse,
    very compressible dump."""
    if kind == 0:
        return rng.randbytes(DATA_SIZE)
    if kind == 1:
        out = bytearray()
        while len(out) < DATA_SIZE:
            out += f"{rng.randrange(10**9)},{rng.choice(WORDS)},{rng.random():.8f}\n".encode()
        return bytes(out[:DATA_SIZE])
    block = bytearray(DATA_SIZE)
    for _ in range(20000):
        block[rng.randrange(DATA_SIZE)] = rng.randrange(256)
    return bytes(block)


def main() -> None:
    root = sys.argv[1]
    rng = random.Random(20261121)
    os.makedirs(os.path.join(root, "bigpkg"), exist_ok=True)
    with open(os.path.join(root, "pyproject.toml"), "w") as f:
        f.write(PYPROJECT)
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write("# bigpkg\n\nGenerated for benchmarks.\n")
    with open(os.path.join(root, "bigpkg", "__init__.py"), "w") as f:
        f.write('"""The generated benchmark package."""\n')
    for number in range(MODULES):
        package = os.path.join(root, "bigpkg", f"group{number // 100:02d}")
        os.makedirs(package, exist_ok=True)
        init = os.path.join(package, "__init__.py")
        if not os.path.exists(init):
            with open(init, "w") as f:
                f.write("")
        with open(os.path.join(package, f"module{number:04d}.py"), "w") as f:
            f.write(module_text(rng, number))
    os.makedirs(os.path.join(root, "data"), exist_ok=True)
    for kind in range(DATA_FILES):
        with open(os.path.join(root, "data", f"blob{kind}.bin"), "wb") as f:
            f.write(data_bytes(rng, kind))


if __name__ == "__main__":
    main()
