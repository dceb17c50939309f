#!/usr/bin/env bash
# The benchmark command: flit-rs against flit_core 4.2.0 and uv-build, in one
# run on this machine. Prints a Markdown report (the README's performance
# section) on stdout; progress goes to stderr. Not part of the tests.
#
#   tests/bench/run.sh > report.md
#
# Installs the pinned peers (tests/bench/requirements.txt) into a virtual
# environment, pigz and GNU time from Debian's packages if missing (apt-get,
# as root or through sudo), downloads the flask 3.1.3 sdist, generates the
# large project, builds flit-rs (its WASI module, then the release binary),
# then times everything (tests/bench/bench.py).
#
# Environment: FLIT_BENCH_CACHE  the virtual environment and the workloads
#                                (default ~/.cache/flit-rs-bench)
#              FLIT_BENCH_REPEAT timed runs of each tool (default 7, at least 5
#                                for the README; 1 for a quick try)
#              CARGO_TARGET_DIR  as for cargo
# Any failure stops the run with a message and a non-zero status.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { printf '\nrun.sh: error: %s\n' "$*" >&2; exit 1; }
step() { printf '==> %s\n' "$*" >&2; }
trap 'fail "line $LINENO: a command failed (status $?)"' ERR

started=$SECONDS
repeat="${FLIT_BENCH_REPEAT:-7}"
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || fail "FLIT_BENCH_REPEAT must be a positive number, not '$repeat'"
cache="${FLIT_BENCH_CACHE:-$HOME/.cache/flit-rs-bench}"
mkdir -p "$cache"
command -v python3 >/dev/null || fail "python3 is needed (for the peers and the benchmark script)"
command -v cargo >/dev/null || fail "cargo is needed"

step "Peers: flit_core, uv-build and wasmtime (tests/bench/requirements.txt)"
# Rebuilt whenever the pins change; a copy of the requirements marks an
# environment whose installation finished.
venv="$cache/venv"
if ! cmp -s tests/bench/requirements.txt "$venv/.requirements"; then
    rm -rf "$venv"
    python3 -m venv "$venv" || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/bench/requirements.txt \
        || fail "pip could not install tests/bench/requirements.txt"
    cp tests/bench/requirements.txt "$venv/.requirements"
fi
python="$venv/bin/python"
[ -x "$venv/bin/uv-build" ] || fail "$venv/bin/uv-build is missing (the uv-build wheel's binary)"
"$python" -c 'import flit_core.buildapi, wasmtime' || fail "flit_core or wasmtime cannot be imported from $venv"

# pigz for the limit; GNU time, which measures the peak memory.
missing=()
command -v pigz >/dev/null || missing+=(pigz)
case "$(/usr/bin/time --version 2>&1)" in *GNU*) ;; *) missing+=(time) ;; esac
if [ ${#missing[@]} -gt 0 ]; then
    step "${missing[*]}, from Debian's packages"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}"; } >&2 \
        || fail "could not install ${missing[*]} with apt-get; install them and run again"
fi

step "Workloads (in $cache)"
# Each workload is made in a fresh directory and renamed into place when it
# is complete, so an interrupted run never leaves half a workload behind.
medium="$cache/flask-3.1.3"
if [ ! -d "$medium" ]; then
    rm -rf "$cache/download" "$medium.partial"
    "$python" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        flask==3.1.3 -d "$cache/download" || fail "could not download the flask 3.1.3 sdist"
    mkdir "$medium.partial"
    tar -xzf "$cache/download/flask-3.1.3.tar.gz" -C "$medium.partial" --strip-components=1
    # The sdist's generated metadata is not part of the project.
    rm "$medium.partial/PKG-INFO"
    mv "$medium.partial" "$medium"
fi

# uv-build selects flask's files through its own table: flask's
# [tool.flit.module] and [tool.flit.sdist] in uv-build's words (the package
# in src/; docs/, examples/, tests/, CHANGES.rst and uv.lock in the sdist,
# minus docs/_build/). bench.py checks on every run that the archives then
# hold the same files as flit's. What remains is uv-build's own doing: its
# sdist also carries pyproject.toml.orig (since 0.12 it rewrites
# pyproject.toml as TOML 1.0 and keeps the original beside it), its archives
# list directories too, and it ignores SOURCE_DATE_EPOCH (fixed timestamps:
# 1970 in the sdist, 1980 in the wheel). Made afresh on every run (a few
# MiB), so that it follows this table.
medium_uv="$cache/flask-3.1.3-uv"
rm -rf "$medium_uv"
cp -r "$medium" "$medium_uv"
cat >> "$medium_uv/pyproject.toml" <<'TOML'

[tool.uv.build-backend]
module-name = "flask"
module-root = "src"
source-include = ["docs/**", "examples/**", "tests/**", "CHANGES.rst", "uv.lock"]
source-exclude = ["docs/_build/**"]
TOML

# The generated project is remade when its generator changes.
large="$cache/bigpkg"
stamp="$(sha256sum tests/bench/make_large_project.py | cut -d' ' -f1)"
if [ "$(cat "$large/.generator" 2>/dev/null)" != "$stamp" ]; then
    step "Generating the large project (a minute or two)"
    rm -rf "$large" "$large.partial"
    "$python" tests/bench/make_large_project.py "$large.partial"
    echo "$stamp" > "$large.partial/.generator"
    mv "$large.partial" "$large"
fi

step "flit-rs: the WASI module, then the release build (embedding it)"
target_dir="$(cargo metadata --format-version 1 --no-deps | "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
wasm="$target_dir/wasm32-wasip1/wasm/flit.wasm"
cargo build --locked -p flit-cli --target wasm32-wasip1 --profile wasm
# FLIT_EMBED_WASM: the release binary's sandbox runs the module just built
# (the one the WASI rows run), instead of build.rs building it a second time.
FLIT_EMBED_WASM="$wasm" cargo build --locked --release -p flit-cli
flit="$target_dir/release/flit"

step "Timing: each tool $repeat times after a warm-up, taking turns"
"$python" tests/bench/bench.py \
    --flit "$flit" --wasm "$wasm" --uv-build "$venv/bin/uv-build" \
    --medium "$medium" --medium-uv "$medium_uv" --large "$large" \
    --repeat "$repeat"
step "Done in $((SECONDS - started)) s"
