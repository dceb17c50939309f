"""Build a project the way `flit build` does, with flit_core 4.2.0's PEP 517 hooks.

This is the reference side of the differential tests: the Rust tests run it with
the Python of the test virtualenv (FLIT_TEST_PYTHON) and compare its archives
with ours.

    python flit_core_build.py PROJECT_DIR OUT_DIR [--format wheel|sdist]... [--config NAME]

- No --format, or both: `build_sdist`, then the sdist is extracted (tarfile
  "data" filter, when this Python has it, exactly as flit does) into a temporary
  directory and the wheel is built there with `build_wheel`. So sdist excludes
  also shape the wheel, as with `flit build`.
- --format sdist: `build_sdist` only.  --format wheel: `build_wheel` in PROJECT_DIR.
- --config NAME: a config file other than pyproject.toml (flit's `-f`). The PEP 517
  hooks always read ./pyproject.toml, so for another name the helper calls the
  same functions the hooks call (`SdistBuilder.from_ini_path`, `make_wheel_in`)
  with that file.

Environment variables (SOURCE_DATE_EPOCH, FLIT_ALLOW_INVALID) are read by
flit_core itself. Anything printed during the build (e.g. by a module imported
for its metadata) goes to stderr. On success, prints one line of JSON on stdout:
    {"sdist": "name-1.0.tar.gz" or null, "wheel": "name-1.0-py3-none-any.whl" or null}
and exits 0. On failure, prints the exception (type, message, traceback) on
stderr and exits 1. Exits 3 if flit_core is missing or not version 4.2.0.
"""

import argparse
import contextlib
import json
import logging
import os
import sys
import tarfile
import tempfile
import traceback
from pathlib import Path

EXPECTED_FLIT_CORE = "4.2.0"


def import_flit_core():
    """Import flit_core from this interpreter and check its version."""
    try:
        import flit_core
        from flit_core import buildapi, sdist, wheel
    except ImportError as error:
        print(
            f"flit_core_build: cannot import flit_core with {sys.executable}: {error}\n"
            f"Install it in the test virtualenv: pip install flit_core=={EXPECTED_FLIT_CORE}",
            file=sys.stderr,
        )
        sys.exit(3)
    if flit_core.__version__ != EXPECTED_FLIT_CORE:
        print(
            f"flit_core_build: {sys.executable} has flit_core {flit_core.__version__} "
            f"from {flit_core.__file__}; the reference is {EXPECTED_FLIT_CORE}",
            file=sys.stderr,
        )
        sys.exit(3)
    return buildapi, sdist, wheel


def build_sdist(modules, config, out_dir):
    buildapi, sdist, _ = modules
    if config == "pyproject.toml":
        return buildapi.build_sdist(str(out_dir))
    return sdist.SdistBuilder.from_ini_path(Path(config)).build(out_dir).name


def build_wheel(modules, config, out_dir):
    buildapi, _, wheel = modules
    if config == "pyproject.toml":
        return buildapi.build_wheel(str(out_dir))
    return wheel.make_wheel_in(Path(config), out_dir).file.name


def extract_sdist(sdist_path, into):
    """Unpack like flit.build.unpacked_tarball; returns the single top directory."""
    with tarfile.open(str(sdist_path)) as archive:
        options = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(into, **options)
    entries = os.listdir(into)
    if len(entries) != 1:
        raise RuntimeError(f"the sdist should unpack to one directory, not {entries}")
    return Path(into, entries[0])


def build(project, out_dir, formats, config):
    modules = import_flit_core()
    out_dir.mkdir(parents=True, exist_ok=True)
    built = {"sdist": None, "wheel": None}
    os.chdir(project)
    if "sdist" in formats:
        built["sdist"] = build_sdist(modules, config, out_dir)
        if "wheel" in formats:
            with tempfile.TemporaryDirectory(prefix="flit-core-build-") as temp:
                unpacked = extract_sdist(out_dir / built["sdist"], temp)
                os.chdir(unpacked)
                try:
                    built["wheel"] = build_wheel(modules, config, out_dir)
                finally:
                    os.chdir(project)
    elif "wheel" in formats:
        built["wheel"] = build_wheel(modules, config, out_dir)
    return built


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--format", action="append", choices=["wheel", "sdist"], dest="formats")
    parser.add_argument("--config", default="pyproject.toml")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    formats = set(args.formats or ["wheel", "sdist"])
    try:
        # A module imported for its metadata may print; keep stdout for the result.
        with contextlib.redirect_stdout(sys.stderr):
            built = build(args.project.resolve(), args.out_dir.resolve(), formats, args.config)
    except SystemExit:
        raise
    except BaseException as error:  # report everything, as flit's traceback would
        traceback.print_exc(file=sys.stderr)
        print(f"flit_core_build: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(built))
    return 0


if __name__ == "__main__":
    sys.exit(main())
