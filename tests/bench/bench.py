"""The benchmark: flit-rs against flit_core 4.2.0 and uv-build, in one run.

Every tool builds the same project into an empty directory; each timing is
a whole process (or, where a tool needs two, both processes), from just
before it is started to its exit. The tools take turns within each round,
in an order that rotates from round to round, so that a busy moment on the
machine hurts them all alike; a first round warms the page cache and the
compiled-module caches and is not counted (its archives are checked: the
same files from every tool, the same bytes from every flit-rs). Peak memory
is the largest resident set of any process of the tool (`ru_maxrss`).

The limit row reads the same files and compresses them, on two cores: `tar`
of the project's files streamed into `pigz -p 2 -6` (the level flit uses),
one pipeline per archive. It is the deflate work alone, with zlib, with no
hashing, no archive format and no checks: the compression lower bound for a
zlib-speed builder. (flit-rs deflates with zlib-rs, which is faster than
zlib, so it can come in under it.)

Prints a Markdown report (the README's performance section) on stdout;
progress goes to stderr. Any failure stops the run with a message.

Usage: bench.py --flit BIN --wasm FLIT_WASM --uv-build BIN
                --medium DIR --medium-uv DIR --large DIR [--repeat N]
(run by tests/bench/run.sh with the benchmark's virtual environment's Python)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

# The same timestamp for every tool, so that archive sizes compare fairly.
EPOCH = "1700000000"
FORMATS = ("both", "wheel", "sdist")
FORMAT_TITLES = {"both": "wheel + sdist", "wheel": "wheel only", "sdist": "sdist only"}
HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))

# What uv-build's archives may hold beyond flit's, for the same selection:
# since uv-build 0.12 its sdist carries pyproject.toml rewritten as TOML 1.0
# and the original beside it as pyproject.toml.orig. (Its archives also
# list directories, which are not files and are not compared.)
UV_EXTRA_SDIST_FILES = {"pyproject.toml.orig"}


def fail(message: str) -> NoReturn:
    sys.exit(f"\nbench.py: error: {message}")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment() -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    # A sandbox switched on from outside would turn the native rows into
    # sandboxed ones.
    env.pop("FLIT_SANDBOX", None)
    return env


@dataclass
class Run:
    seconds: float
    peak_mib: float


# GNU time, which runs the command in a child and reports that child's
# ru_maxrss from wait4 (the largest process, for a pipeline that its shell
# waits for). Not wait4 from here: Python starts the command with vfork and
# exec, and exec records the high-water mark of the memory it replaces, the
# benchmark's own (tens of MiB), as the new process's ru_maxrss. GNU time's
# child starts from GNU time's memory, about 1 MiB.
GNU_TIME = "/usr/bin/time"


def run_measured(command: list[str], cwd: str) -> Run:
    """Runs `command` to its exit: its wall time, start to exit, and its
    peak resident memory."""
    with tempfile.TemporaryFile() as stderr, tempfile.NamedTemporaryFile("r", suffix=".maxrss") as maxrss:
        start = time.perf_counter()
        process = subprocess.run(
            [GNU_TIME, "--format=%M", f"--output={maxrss.name}", *command],
            cwd=cwd,
            env=environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        seconds = time.perf_counter() - start
        report = maxrss.read().splitlines()
        if process.returncode != 0:
            stderr.seek(0)
            fail(
                f"exit status {process.returncode} from {' '.join(command)} (in {cwd}):\n"
                + stderr.read().decode(errors="replace")
                + "\n".join(report[:-1])
            )
    # %M is in KiB.
    return Run(seconds, int(report[-1]) / 1024)


@dataclass
class Tool:
    """One way of building. `commands(out)` gives the processes to run, in
    sequence (their times add up; the peak is the largest); `outputs` are
    the suffixes of the files they must leave in `out`, one file each."""

    name: str
    cwd: str
    commands: Callable[[str], list[list[str]]]
    outputs: list[str]
    runs: list[Run] = field(default_factory=list)

    def once(self, out: str) -> Run:
        total, peak = 0.0, 0.0
        for command in self.commands(out):
            run = run_measured(command, self.cwd)
            total += run.seconds
            peak = max(peak, run.peak_mib)
        names = sorted(os.listdir(out))
        if len(names) != len(self.outputs) or not all(
            any(name.endswith(suffix) for name in names) for suffix in self.outputs
        ):
            fail(f"{self.name} in {self.cwd} left {names} in its output directory, expected one each of {self.outputs}")
        return Run(total, peak)


@dataclass
class Workload:
    label: str
    project: str
    uv_project: str
    sdist_files: list[str]
    wheel_files: list[str]


@dataclass
class Result:
    workload: Workload
    formats: str
    tools: list[Tool]
    # Archive sizes per tool, from the warm-up round: {"wheel": bytes, "sdist": bytes}.
    sizes: dict[str, dict[str, int]]
    # From the fairness checks (only with both formats).
    notes: list[str]


@dataclass
class Names:
    """The tools' names in the report."""

    ours: str = "flit-rs"
    sandbox: str = "flit-rs --sandbox"
    wasi: str = "flit-rs WASI (wasmtime-py)"
    flit_core: str = f"flit_core {importlib.metadata.version('flit_core')}"
    uv: str = f"uv-build {importlib.metadata.version('uv-build')}"
    limit: str = "limit: pigz -p 2 -6"


NAMES = Names()


def kind_of(archive: str) -> str:
    """Which archive a tool's output is, "wheel" or "sdist" (the limit
    writes `wheel-files.tar.gz` and `sdist-files.tar.gz`)."""
    return "wheel" if archive.endswith(".whl") or archive.startswith("wheel-files.") else "sdist"


def archive_suffixes(formats: str) -> list[str]:
    return {"both": [".whl", ".tar.gz"], "wheel": [".whl"], "sdist": [".tar.gz"]}[formats]


def tools_for(workload: Workload, args: argparse.Namespace, formats: str, scratch: str) -> list[Tool]:
    """The tools for one workload and one choice of formats."""
    project = workload.project
    outputs = archive_suffixes(formats)
    flit_format = [] if formats == "both" else ["--format", formats]
    # In one fresh Python process, as a PEP 517 frontend would call them
    # (sdist first, as `flit build` does).
    hooks = {"both": "b.build_sdist(o); b.build_wheel(o)", "wheel": "b.build_wheel(o)", "sdist": "b.build_sdist(o)"}[
        formats
    ]
    flit_core = f"import sys, flit_core.buildapi as b; o = sys.argv[1]; {hooks}"
    # uv-build's command line is the one its PEP 517 shim calls: one process
    # per archive, in the project directory, into an existing directory.
    uv_steps = {"both": ["build-sdist", "build-wheel"], "wheel": ["build-wheel"], "sdist": ["build-sdist"]}[formats]
    limit_files = {
        "both": [("sdist", workload.sdist_files), ("wheel", workload.wheel_files)],
        "wheel": [("wheel", workload.wheel_files)],
        "sdist": [("sdist", workload.sdist_files)],
    }[formats]
    limit_lists = []
    for kind, files in limit_files:
        listing = os.path.join(scratch, f"{kind}-files.txt")
        with open(listing, "w") as f:
            f.write("".join(f"{name}\n" for name in files))
        limit_lists.append((kind, listing))

    def limit(out: str) -> list[list[str]]:
        script = 'set -o pipefail; tar -cf - -T "$1" | pigz -p 2 -6 > "$2"'
        return [["bash", "-c", script, "bash", listing, f"{out}/{kind}-files.tar.gz"] for kind, listing in limit_lists]

    tools = [
        Tool(NAMES.ours, project, lambda out: [[args.flit, "build", "--outdir", out, *flit_format]], outputs),
        Tool(NAMES.flit_core, project, lambda out: [[sys.executable, "-c", flit_core, out]], outputs),
        Tool(NAMES.uv, workload.uv_project, lambda out: [[args.uv_build, step, out] for step in uv_steps], outputs),
        Tool(NAMES.limit, project, limit, [f"{kind}-files.tar.gz" for kind, _ in limit_lists]),
    ]
    if formats == "both":
        wasi_runner = os.path.join(HERE, "wasi_runner.py")
        tools[1:1] = [
            # The module cache is warm after the warm-up round.
            Tool(NAMES.sandbox, project, lambda out: [[args.flit, "build", "--sandbox", "--outdir", out]], outputs),
            Tool(
                NAMES.wasi,
                project,
                lambda out: [[sys.executable, wasi_runner, args.wasm, project, out, EPOCH]],
                outputs,
            ),
        ]
    return tools


@dataclass
class Archive:
    """What the fairness checks need of one archive."""

    digest: str
    files: set[str]


def bench(workload: Workload, formats: str, args: argparse.Namespace) -> Result:
    scratch = tempfile.mkdtemp(prefix="flit-bench-lists-")
    try:
        tools = tools_for(workload, args, formats, scratch)
        sizes: dict[str, dict[str, int]] = {}
        notes: list[str] = []
        for round_number in range(args.repeat + 1):
            progress(
                f"  {workload.label}, {FORMAT_TITLES[formats]}: "
                + ("warm-up round" if round_number == 0 else f"round {round_number}/{args.repeat}")
            )
            archives: dict[str, dict[str, Archive]] = {}
            shift = round_number % len(tools)
            for tool in tools[shift:] + tools[:shift]:
                out = tempfile.mkdtemp(prefix="flit-bench-out-")
                try:
                    run = tool.once(out)
                    if round_number > 0:
                        tool.runs.append(run)
                        continue
                    sizes[tool.name] = {
                        kind_of(name): os.path.getsize(os.path.join(out, name)) for name in os.listdir(out)
                    }
                    if formats == "both" and tool.name != NAMES.limit:
                        archives[tool.name] = {
                            kind_of(name): Archive(digest(os.path.join(out, name)), members(os.path.join(out, name)))
                            for name in os.listdir(out)
                        }
                finally:
                    shutil.rmtree(out)
            if archives:
                # Straight after the warm-up round, so that an unfair
                # comparison stops the run early.
                notes = check_archives(workload, archives)
    finally:
        shutil.rmtree(scratch)
    return Result(workload, formats, tools, sizes, notes)


def debug_plan(flit: str, project: str) -> tuple[list[str], str, list[str]]:
    """From `flit --debug build`: the sdist's files, the module's path and
    the wheel's members, as flit-rs plans them."""
    out = tempfile.mkdtemp(prefix="flit-bench-plan-")
    try:
        result = subprocess.run(
            [flit, "--debug", "build", "--outdir", out], cwd=project, env=environment(), capture_output=True, text=True
        )
    finally:
        shutil.rmtree(out)
    if result.returncode != 0:
        fail(f"flit --debug build failed in {project}:\n{result.stderr}")
    sdist: list[str] = []
    wheel: list[str] = []
    module = None
    listing: list[str] | None = None
    for line in result.stderr.splitlines():
        if line.startswith("debug: module "):
            # debug: module `flask` at src/flask (package)
            module = line.split(" at ", 1)[1].rsplit(" (", 1)[0]
        elif line.startswith("debug: sdist "):
            listing = sdist
        elif line.startswith("debug: wheel "):
            listing = wheel
        elif line.startswith("debug:   ") and listing is not None:
            listing.append(line[len("debug:   ") :])
        else:
            listing = None
    if not sdist or not wheel or module is None:
        fail(f"could not read the plan from flit --debug build in {project}:\n{result.stderr}")
    return sdist, module, wheel


def wheel_sources(project: str, module: str, members: list[str]) -> list[str]:
    """The project files the wheel's members are copied from (the generated
    dist-info files have none)."""
    with open(os.path.join(project, "pyproject.toml"), "rb") as f:
        config = tomllib.load(f)
    data_dir = config.get("tool", {}).get("flit", {}).get("external-data", {}).get("directory")
    module_parent = os.path.dirname(module)
    sources = []
    for member in members:
        top, _, rest = member.partition("/")
        if top.endswith(".dist-info"):
            if rest.startswith("licenses/"):
                sources.append(rest[len("licenses/") :])
            continue  # METADATA, WHEEL, entry_points.txt: generated
        if top.endswith(".data"):
            kind, _, path = rest.partition("/")
            if kind != "data" or data_dir is None:
                fail(f"unexpected wheel member {member} in {project}")
            sources.append(os.path.join(data_dir, path))
            continue
        sources.append(os.path.join(module_parent, member))
    for source in sources:
        if not os.path.isfile(os.path.join(project, source)):
            fail(f"{project}: no file {source} for the wheel (the limit's file list would be wrong)")
    return sources


def members(path: str) -> set[str]:
    """An archive's files (not directories); an sdist's without its top folder."""
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as archive:
            return {name for name in archive.namelist() if not name.endswith("/")}
    with tarfile.open(path) as archive:
        return {member.name.split("/", 1)[1] for member in archive.getmembers() if not member.isdir()}


def check_archives(workload: Workload, archives: dict[str, dict[str, Archive]]) -> list[str]:
    """Checks that the comparison is fair: flit_core's and uv-build's
    archives hold the same files as ours (uv-build's plus what it always
    adds), and the sandboxed and WASI builds wrote the native build's bytes.
    Returns notes for the report."""
    notes = []
    ours = archives[NAMES.ours]
    for kind in ("wheel", "sdist"):
        for peer, allowed in ((NAMES.flit_core, set()), (NAMES.uv, UV_EXTRA_SDIST_FILES if kind == "sdist" else set())):
            theirs = archives[peer][kind].files
            missing, extra = sorted(ours[kind].files - theirs), sorted(theirs - ours[kind].files - allowed)
            if missing or extra:
                fail(
                    f"{workload.label}: {peer}'s {kind} does not hold the same files as ours\n"
                    f"  only in ours: {missing}\n  only in theirs: {extra}"
                )
        notes.append(f"every {kind} holds the same {len(ours[kind].files):,} files")
    notes[-1] += f" (uv-build's also {', '.join(sorted(UV_EXTRA_SDIST_FILES))})"
    for variant in (NAMES.sandbox, NAMES.wasi):
        for kind in ("wheel", "sdist"):
            if archives[variant][kind].digest != ours[kind].digest:
                fail(f"{workload.label}: {variant} wrote a {kind} that differs from the native build's")
    notes.append(f"{NAMES.sandbox} and {NAMES.wasi} wrote the native build's bytes")
    return notes


def digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tree_size(project: str, files: list[str]) -> int:
    return sum(os.path.getsize(os.path.join(project, name)) for name in files)


# --- The report ---------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def ratio_text(reference: float | None, seconds: float) -> str:
    """How the tool compares with the reference tool: "2.5× faster"."""
    if reference is None:
        return ""
    ratio = reference / seconds
    digits = 2 if max(ratio, 1 / ratio) < 10 else 0
    return f"{ratio:.{digits}f}× faster" if ratio >= 1 else f"{1 / ratio:.{digits}f}× slower"


def size_text(size: int) -> str:
    return f"{size / 1024:,.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.2f} MiB"


def percent_text(size: int, reference: int) -> str:
    return f"{(size - reference) / reference * 100:+.2f} %".replace("-", "−")


def timing_table(result: Result) -> list[str]:
    medians = {tool.name: statistics.median(run.seconds for run in tool.runs) for tool in result.tools}
    core, uv = medians[NAMES.flit_core], medians[NAMES.uv]
    lines = [
        f"**{FORMAT_TITLES[result.formats]}**",
        "",
        "| tool | median (ms) | range (ms) | vs flit_core | vs uv-build | peak memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for tool in result.tools:
        seconds = [run.seconds for run in tool.runs]
        peak = max(run.peak_mib for run in tool.runs)
        name = f"**{tool.name}**" if tool.name == NAMES.ours else tool.name
        lines.append(
            f"| {name} | {ms(medians[tool.name])} | {ms(min(seconds))}–{ms(max(seconds))} "
            f"| {'' if tool.name == NAMES.flit_core else ratio_text(core, medians[tool.name])} "
            f"| {'' if tool.name == NAMES.uv else ratio_text(uv, medians[tool.name])} "
            f"| {peak:.1f} MiB |"
        )
    return lines + [""]


def size_table(result: Result) -> list[str]:
    """The builders' archives (the limit's single gzip streams are not
    archives one could install, so they are left out)."""
    core = result.sizes[NAMES.flit_core]
    lines = [
        "| tool | wheel | vs flit_core | sdist | vs flit_core |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in (NAMES.ours, NAMES.flit_core, NAMES.uv):
        sizes = result.sizes[name]
        versus = {kind: "" if name == NAMES.flit_core else percent_text(sizes[kind], core[kind]) for kind in sizes}
        label = f"**{name}**" if name == NAMES.ours else name
        cells = [label, size_text(sizes["wheel"]), versus["wheel"], size_text(sizes["sdist"]), versus["sdist"]]
        lines.append(f"| {' | '.join(cells)} |")
    return lines + [""]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def versions(args: argparse.Namespace) -> str:
    flit = subprocess.run([args.flit, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=10"], cwd=REPOSITORY, capture_output=True, text=True
    ).stdout.strip()
    pigz = subprocess.run(["pigz", "--version"], capture_output=True, text=True, check=True)
    return (
        f"{flit} at {commit or 'an unknown commit'}, {NAMES.flit_core} on Python {platform.python_version()},"
        f" {NAMES.uv}, wasmtime-py {importlib.metadata.version('wasmtime')}, {(pigz.stdout or pigz.stderr).strip()}"
    )


def render(results: list[Result], header: list[str]) -> str:
    lines = header + [""]
    for label in dict.fromkeys(result.workload.label for result in results):
        of_workload = [result for result in results if result.workload.label == label]
        workload = of_workload[0].workload
        sdist_size = size_text(tree_size(workload.project, workload.sdist_files))
        wheel_size = size_text(tree_size(workload.project, workload.wheel_files))
        lines += [
            f"### {label}",
            "",
            f"Input: {len(workload.sdist_files):,} files ({sdist_size}) in the sdist,"
            f" {len(workload.wheel_files):,} ({wheel_size}) in the wheel.",
            "",
        ]
        for result in of_workload:
            lines += timing_table(result)
        lines += ["**Archive sizes**", ""] + size_table(of_workload[0])
        lines += [f"Checked on the warm-up run: {'; '.join(of_workload[0].notes)}.", ""]
    return "\n".join(lines)


def prepare(label: str, project: str, uv_project: str, flit: str) -> Workload:
    sdist, module, wheel_members = debug_plan(flit, project)
    return Workload(label, project, uv_project, sdist, wheel_sources(project, module, wheel_members))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for option in ("--flit", "--wasm", "--uv-build", "--medium", "--medium-uv", "--large"):
        parser.add_argument(option, required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    for path in (args.flit, args.wasm, args.uv_build):
        if not os.path.isfile(path):
            fail(f"{path} does not exist")
    if shutil.which("pigz") is None:
        fail("pigz is not installed (run.sh installs it)")
    gnu_time = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True)
    if "GNU" not in gnu_time.stdout + gnu_time.stderr:
        fail(f"{GNU_TIME} is not GNU time, which measures the peak memory (run.sh installs it)")

    started, load_before = time.time(), os.getloadavg()
    workloads = [
        prepare("flask 3.1.3 (medium)", args.medium, args.medium_uv, args.flit),
        prepare("Generated (large): 5,000 modules, 3 × 10 MiB of data", args.large, args.large, args.flit),
    ]
    results = [bench(workload, formats, args) for workload in workloads for formats in FORMATS]
    load_after = os.getloadavg()
    runs = f"{args.repeat} runs" if args.repeat > 1 else "1 run"
    header = [
        f"Measured {time.strftime('%Y-%m-%d', time.gmtime(started))} on {machine()}; load average"
        f" {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end. {versions(args)}.",
        "",
        f"- Times are medians of {runs} (after a warm-up run) of whole processes, start to exit; the range is the"
        " fastest and the slowest run. The tools take turns, in an order that changes every round.",
        "- flit-rs: the release build's `flit build` (`--format wheel` or `--format sdist` for one archive);"
        " `--sandbox`: the same build in the embedded wasmtime, its compiled module cached; WASI: `flit.wasm` in"
        " the engine of the `wasmtime` Python package (tests/bench/wasi_runner.py), its compiled module cached.",
        "- flit_core: its PEP 517 hooks (`build_sdist`, `build_wheel`) in one fresh Python process.",
        "- uv-build: the binary from its wheel, `uv-build build-sdist` and `uv-build build-wheel` (what its PEP 517"
        " hooks run), one process each; it selects the same files through a `[tool.uv.build-backend]` table.",
        "- limit: the same files read by `tar` and compressed by `pigz -p 2 -6` (flit's level, on both cores),"
        " one pipeline per archive: the deflate work alone, with zlib, without hashing or an archive format."
        " flit-rs deflates with zlib-rs, faster than zlib, so it can come in under it.",
        "- Peak memory: the largest resident set of any of a tool's processes (ru_maxrss, through GNU time),"
        " the highest of the runs.",
        f"- `SOURCE_DATE_EPOCH={EPOCH}` for every tool.",
    ]
    print(render(results, header))


if __name__ == "__main__":
    main()
