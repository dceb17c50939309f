"""The benchmark: flit-rs against flit_core 4.2.0 and uv-build, one run.

Every tool builds the same project into an empty directory, whole process
timed, repeated, with the tools alternating so that a busy moment hurts
them all alike. Medians, ratios, peak resident memory and archive sizes
are printed as a Markdown table (the README's performance section).

Usage: bench.py --flit BIN --wasm FLIT_WASM --python PY --uv-build BIN
                --medium DIR --large DIR [--repeat N]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

EPOCH = "1700000000"


def run_measured(command, cwd, env=None):
    """Runs `command`; returns (seconds, peak RSS in MiB). Fails loudly."""
    full_env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, **(env or {}))
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def shell(script):
    return ["/bin/sh", "-c", script]


class Tool:
    """One way of building; `commands(out)` gives the processes to run in
    sequence (their times add up, their peak memory is the largest)."""

    def __init__(self, name, cwd, commands, env=None):
        self.name, self.cwd, self.commands, self.env = name, cwd, commands, env

    def once(self, out):
        total, peak = 0.0, 0.0
        for command in self.commands(out):
            seconds, rss = run_measured(command, self.cwd, self.env)
            total += seconds
            peak = max(peak, rss)
        return total, peak


def tools_for(project, uv_project, args, formats):
    """The tools for one workload and one set of formats ("both", "wheel", "sdist")."""
    flag = [] if formats == "both" else ["--format", formats]
    hooks = {
        "both": "b.build_sdist(o); b.build_wheel(o)",
        "wheel": "b.build_wheel(o)",
        "sdist": "b.build_sdist(o)",
    }[formats]
    uv_steps = {"both": ["build-sdist", "build-wheel"], "wheel": ["build-wheel"], "sdist": ["build-sdist"]}[formats]
    tools = [
        Tool("flit-rs", project, lambda out: [[args.flit, "build", "--outdir", out, *flag]]),
        Tool(
            "flit_core 4.2.0",
            project,
            lambda out: [[args.python, "-c", f"import sys, flit_core.buildapi as b; o = sys.argv[1]; {hooks}", out]],
        ),
        Tool("uv-build", uv_project, lambda out: [[args.uv_build, step, out] for step in uv_steps]),
    ]
    if formats == "both":
        tools += [
            Tool("flit-rs --sandbox", project, lambda out: [[args.flit, "build", "--sandbox", "--outdir", out]]),
            Tool(
                "flit-rs WASI (wasmtime)",
                project,
                lambda out: [[args.python, os.path.join(os.path.dirname(__file__), "wasi_runner.py"), args.wasm, project, out, EPOCH]],
            ),
        ]
    return tools


def pigz_limit(project, sdist_files, scratch):
    """The same files read and compressed by `tar | pigz -p 2 -6`, once:
    the floor for one pass over the data on two cores."""
    listing = os.path.join(scratch, "sdist-files.list")
    with open(listing, "w") as f:
        f.write("\n".join(sdist_files) + "\n")
    return Tool("pigz -p 2 -6 (one pass)", project, lambda out: [shell(f"tar -cf - -T {listing} | pigz -p 2 -6 > {out}/limit.tar.gz")])


def sizes(directory):
    return {name: os.path.getsize(os.path.join(directory, name)) for name in sorted(os.listdir(directory))}


def bench_workload(label, project, uv_project, args, report):
    sdist_files = sdist_listing(args.flit, project)
    scratch = tempfile.mkdtemp(prefix="flit-bench-scratch-")
    limit = pigz_limit(project, sdist_files, scratch)
    for formats in ("both", "wheel", "sdist"):
        tools = tools_for(project, uv_project, args, formats)
        if formats == "both":
            tools.append(limit)
        # Round 0 warms up (the sandbox's module cache, the page cache) and
        # is not counted.
        measured = {tool.name: [] for tool in tools}
        peaks = {tool.name: 0.0 for tool in tools}
        archive_sizes = {}
        for round_number in range(args.repeat + 1):
            for tool in tools:
                out = tempfile.mkdtemp(prefix="flit-bench-")
                try:
                    seconds, peak = tool.once(out)
                    if round_number > 0:
                        measured[tool.name].append(seconds)
                        peaks[tool.name] = max(peaks[tool.name], peak)
                    archive_sizes[tool.name] = sizes(out)
                finally:
                    shutil.rmtree(out)
        report.append((label, formats, measured, peaks, archive_sizes))
    shutil.rmtree(scratch)


def sdist_listing(flit, project):
    """The sdist's files, from `flit --debug build` (printed before building)."""
    out = tempfile.mkdtemp(prefix="flit-bench-list-")
    try:
        result = subprocess.run(
            [flit, "--debug", "build", "--format", "sdist", "--outdir", out], cwd=project, capture_output=True, text=True, check=True
        )
    finally:
        shutil.rmtree(out)
    files, listing = [], False
    for line in result.stderr.splitlines():
        if line.startswith("debug: sdist "):
            listing = True
            continue
        if line.startswith("debug: wheel "):
            break
        if listing and line.startswith("debug:   "):
            files.append(line[len("debug:   ") :])
    return files


def render(report):
    lines = []
    for label, formats, measured, peaks, archive_sizes in report:
        medians = {name: statistics.median(times) for name, times in measured.items()}
        lines.append(f"\n### {label}: {formats}\n")
        lines.append("| tool | median | vs flit_core | vs uv-build | peak memory | archives |")
        lines.append("| --- | ---: | ---: | ---: | ---: | --- |")
        core = medians.get("flit_core 4.2.0")
        uv = medians.get("uv-build")
        for name, seconds in medians.items():
            ratio_core = f"{core / seconds:.1f}x" if core and "flit_core" not in name else ""
            ratio_uv = f"{uv / seconds:.1f}x" if uv and name != "uv-build" else ""
            files = ", ".join(f"{size / 1024:.0f} KiB" for size in archive_sizes.get(name, {}).values())
            lines.append(f"| {name} | {seconds * 1000:.0f} ms | {ratio_core} | {ratio_uv} | {peaks[name]:.0f} MiB | {files} |")
        if formats == "both" and "pigz -p 2 -6 (one pass)" in medians:
            lines.append(
                f"\nThe pigz limit for two passes (wheel and sdist) is {2 * medians['pigz -p 2 -6 (one pass)'] * 1000:.0f} ms;"
                f" flit-rs takes {medians['flit-rs'] / (2 * medians['pigz -p 2 -6 (one pass)']):.2f}x that."
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    for option in ("--flit", "--wasm", "--python", "--uv-build", "--medium", "--medium-uv", "--large", "--large-uv"):
        parser.add_argument(option, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    report = []
    bench_workload("flask 3.1.3 (medium)", args.medium, args.medium_uv, args, report)
    bench_workload("generated (large: 5,000 modules, 3 x 10 MiB data)", args.large, args.large_uv, args, report)
    print(render(report))


if __name__ == "__main__":
    main()
