"""Check the fixtures against the reference, without any Rust.

    python tests/support/verify_fixtures.py [--only NAME]... [--show-locations]

Run it with the Python of the test virtualenv (flit 4.2.0 and flit_core 4.2.0).

Build fixtures (tests/fixtures/build/<name>/): each must build with
flit_core_build.py (the PEP 517 hooks, as `flit build` uses them) and with the
real `flit build` CLI (FLIT_NO_NETWORK=1, so its extra validation runs without
the classifier download), for both formats together and each alone, with
SOURCE_DATE_EPOCH=1700000000; the two must give the same archives (the same
decompressed tar stream, gzip header and wheel members). That shows both that
the fixture is valid for flit 4.2 and that the helper mirrors `flit build`.

Error fixtures (tests/fixtures/errors/<name>/): the project in project/ must be
rejected by the reference named in expected.toml (`rejected-by`), with
`reference-message` in its output; for `rejected-by = "flit"` flit_core alone
must accept it (the check is one only the CLI does). expected.toml must name a
code and, when it gives a line (and column), that place must exist in the file;
--show-locations prints each place with a caret, to review the spans by eye.

Exits 1 if anything failed, listing every failure.
"""

import argparse
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
HELPER = HERE / "flit_core_build.py"
EPOCH = "1700000000"
EXPECTED_KEYS = {"code", "file", "line", "column", "end-column", "rejected-by", "reference-message", "formats"}


def copy_fixture(source, destination):
    shutil.copytree(source, destination, symlinks=True)
    return destination


def base_env(extra=None):
    env = {k: v for k, v in os.environ.items() if k not in {"SOURCE_DATE_EPOCH", "FLIT_ALLOW_INVALID"}}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env["FLIT_NO_NETWORK"] = "1"
    env.update(extra or {})
    return env


def run_helper(project, out_dir, formats, config, env):
    command = [sys.executable, str(HELPER), str(project), str(out_dir), "--config", config]
    for fmt in formats:
        command += ["--format", fmt]
    return subprocess.run(command, env=env, capture_output=True, text=True)


def run_flit_cli(project, formats, config, env, cache_dir):
    command = [sys.executable, "-m", "flit"]
    if config != "pyproject.toml":
        command += ["-f", config]
    command.append("build")
    for fmt in formats:
        command += ["--format", fmt]
    env = dict(env, XDG_CACHE_HOME=str(cache_dir))
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def describe_wheel(path):
    with zipfile.ZipFile(path) as archive:
        members = []
        for info in archive.infolist():
            members.append(
                (
                    info.filename,
                    info.date_time,
                    info.external_attr,
                    info.flag_bits,
                    info.compress_type,
                    info.create_system,
                    info.create_version,
                    info.extract_version,
                    info.extra,
                    info.comment,
                    info.CRC,
                    info.file_size,
                    archive.read(info),
                )
            )
    return members


def describe_sdist(path):
    raw = Path(path).read_bytes()
    header = raw[:10]
    with gzip.open(path) as stream:
        return header, raw[10 : raw.index(b"\0", 10)], stream.read()


def compare_outputs(left_dir, right_dir):
    """Differences between two output directories, as readable strings."""
    problems = []
    left = sorted(p.name for p in left_dir.iterdir())
    right = sorted(p.name for p in right_dir.iterdir())
    if left != right:
        return [f"file names differ: {left} vs {right}"]
    for name in left:
        if name.endswith(".whl"):
            a, b = describe_wheel(left_dir / name), describe_wheel(right_dir / name)
            if [m[0] for m in a] != [m[0] for m in b]:
                problems.append(f"{name}: members differ: {[m[0] for m in a]} vs {[m[0] for m in b]}")
                continue
            for ma, mb in zip(a, b):
                if ma != mb:
                    problems.append(f"{name}: member {ma[0]} differs")
        elif name.endswith(".tar.gz"):
            a, b = describe_sdist(left_dir / name), describe_sdist(right_dir / name)
            if a != b:
                problems.append(f"{name}: sdist differs (gzip header or tar stream)")
    return problems


def fixture_options(name):
    options_file = FIXTURES / "build" / "fixtures.toml"
    table = tomllib.loads(options_file.read_text("utf-8"))
    return table.get(name, {})


def create_runtime_files(project, options):
    for relative in options.get("create-files", []):
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"made at test time: " + relative.encode())


def verify_build_fixture(fixture, temp):
    options = fixture_options(fixture.name)
    config = options.get("config", "pyproject.toml")
    env = base_env(options.get("env"))
    failures = []
    for formats in (["wheel", "sdist"], ["wheel"], ["sdist"]):
        label = "+".join(formats)
        work = Path(tempfile.mkdtemp(dir=temp))
        helper_project = copy_fixture(fixture, work / "helper" / fixture.name)
        cli_project = copy_fixture(fixture, work / "cli" / fixture.name)
        create_runtime_files(helper_project, options)
        create_runtime_files(cli_project, options)
        helper = run_helper(helper_project, work / "helper-out", formats, config, env)
        if helper.returncode != 0:
            failures.append(f"{fixture.name} [{label}]: flit_core failed:\n{helper.stderr}")
            continue
        cli = run_flit_cli(cli_project, formats, config, env, work / "cache")
        if cli.returncode != 0:
            failures.append(f"{fixture.name} [{label}]: flit build failed:\n{cli.stdout}{cli.stderr}")
            continue
        built = json.loads(helper.stdout.splitlines()[-1])
        names = sorted(n for n in built.values() if n)
        if sorted(p.name for p in (work / "helper-out").iterdir()) != names:
            failures.append(f"{fixture.name} [{label}]: helper printed {built}")
        for problem in compare_outputs(work / "helper-out", cli_project / "dist"):
            failures.append(f"{fixture.name} [{label}]: helper vs flit build: {problem}")
    return failures


def check_location(fixture, expected, show):
    problems = []
    file = expected.get("file", "pyproject.toml")
    line = expected.get("line")
    column = expected.get("column")
    if column is not None and line is None:
        problems.append("column without line")
    if line is None:
        return problems
    path = fixture / "project" / file
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").split("\n")
    except OSError as error:
        return [f"cannot read {file}: {error}"]
    if not 1 <= line <= len(lines):
        return [f"line {line} is not in {file} ({len(lines)} lines)"]
    text = lines[line - 1]
    if column is not None and not 1 <= column <= len(text) + 1:
        problems.append(f"column {column} is beyond line {line} of {file}: {text!r}")
    end = expected.get("end-column")
    if end is not None and (column is None or not column <= end <= len(text)):
        problems.append(f"end-column {end} does not fit column {column} on line {line} of {file}: {text!r}")
    if show:
        width = (end - column + 1) if end and column else 1
        caret = " " * ((column or 1) - 1) + ("^" * width if column else "~" * len(text))
        print(f"--- {fixture.name}: {expected['code']} at {file}:{line}:{column or ''}\n{text}\n{caret}")
    return problems


def verify_error_fixture(fixture, temp, show):
    failures = []
    try:
        expected = tomllib.loads((fixture / "expected.toml").read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        return [f"{fixture.name}: bad expected.toml: {error}"]
    unknown = set(expected) - EXPECTED_KEYS
    missing = {"code", "rejected-by", "reference-message"} - set(expected)
    if unknown or missing:
        failures.append(f"{fixture.name}: expected.toml unknown keys {unknown}, missing keys {missing}")
        return failures
    failures += [f"{fixture.name}: {p}" for p in check_location(fixture, expected, show)]

    formats = expected.get("formats", ["wheel", "sdist"])
    work = Path(tempfile.mkdtemp(dir=temp))
    env = base_env()
    core_copy = copy_fixture(fixture, work / "core" / fixture.name) / "project"
    core = run_helper(core_copy, work / "core-out", formats, "pyproject.toml", env)
    fragment = expected["reference-message"]
    if expected["rejected-by"] == "flit_core":
        if core.returncode == 0:
            failures.append(f"{fixture.name}: flit_core accepted it")
        elif fragment not in core.stderr:
            failures.append(f"{fixture.name}: flit_core output lacks {fragment!r}:\n{core.stderr}")
    elif expected["rejected-by"] == "flit":
        if core.returncode != 0:
            failures.append(f"{fixture.name}: flit_core rejects it too, so it is not a flit-only check:\n{core.stderr}")
        cli_copy = copy_fixture(fixture, work / "cli" / fixture.name) / "project"
        cli = run_flit_cli(cli_copy, formats, "pyproject.toml", env, work / "cache")
        output = cli.stdout + cli.stderr
        if cli.returncode == 0:
            failures.append(f"{fixture.name}: flit build accepted it")
        elif fragment not in output:
            failures.append(f"{fixture.name}: flit build output lacks {fragment!r}:\n{output}")
    else:
        failures.append(f"{fixture.name}: rejected-by must be 'flit_core' or 'flit'")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="only these fixtures (either kind)")
    parser.add_argument("--show-locations", action="store_true")
    parser.add_argument("--kind", choices=["build", "errors"], action="append")
    args = parser.parse_args()
    kinds = args.kind or ["build", "errors"]

    failures = []
    checked = 0
    with tempfile.TemporaryDirectory(prefix="verify-fixtures-") as temp:
        temp = Path(temp)
        for kind in kinds:
            for fixture in sorted((FIXTURES / kind).iterdir()):
                if not fixture.is_dir() or (args.only and fixture.name not in args.only):
                    continue
                checked += 1
                if kind == "build":
                    failures += verify_build_fixture(fixture, temp)
                else:
                    failures += verify_error_fixture(fixture, temp, args.show_locations)
    for failure in failures:
        print("FAIL", failure)
    print(f"{checked} fixtures checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
