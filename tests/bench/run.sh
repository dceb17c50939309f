#!/usr/bin/env bash
# The benchmark command: flit-rs against flit_core 4.2.0 and uv-build, in one
# run on this machine. Prints a Markdown report (the README's performance
# section). Not part of the tests.
#
# Installs the pinned peers (tests/bench/requirements.txt) into a virtual
# environment, pigz from Debian's packages if missing, downloads the flask
# 3.1.3 sdist, generates the large project, builds flit-rs in release mode,
# then times everything.
#
# Environment: FLIT_BENCH_CACHE (default ~/.cache/flit-rs-bench),
#              FLIT_BENCH_REPEAT (default 7).
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { printf '\nerror: %s\n' "$*" >&2; exit 1; }
step() { printf '==> %s\n' "$*" >&2; }

cache="${FLIT_BENCH_CACHE:-$HOME/.cache/flit-rs-bench}"
mkdir -p "$cache"

step "Peers: flit_core, uv-build and wasmtime (tests/bench/requirements.txt)"
venv="$cache/venv"
if [ ! -x "$venv/bin/uv-build" ] || ! cmp -s tests/bench/requirements.txt "$venv/.requirements"; then
    rm -rf "$venv"
    python3 -m venv "$venv" || fail "python3 -m venv failed"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/bench/requirements.txt \
        || fail "pip could not install tests/bench/requirements.txt"
    cp tests/bench/requirements.txt "$venv/.requirements"
fi

if ! command -v pigz >/dev/null; then
    step "pigz (the compression limit)"
    { apt-get update -qq && apt-get install -y -qq pigz; } >/dev/null || fail "could not install pigz"
fi

step "Workloads"
medium="$cache/flask-3.1.3"
if [ ! -f "$medium/pyproject.toml" ]; then
    "$venv/bin/python" -m pip download --quiet --no-deps --no-binary :all: flask==3.1.3 -d "$cache/download" \
        || fail "could not download the flask 3.1.3 sdist"
    tar -xzf "$cache/download/flask-3.1.3.tar.gz" -C "$cache"
    rm -f "$medium/PKG-INFO"
fi
# uv-build gets the same file selection through its own table.
medium_uv="$cache/flask-3.1.3-uv"
if [ ! -f "$medium_uv/pyproject.toml" ]; then
    cp -r "$medium" "$medium_uv"
    cat >> "$medium_uv/pyproject.toml" <<'TOML'

[tool.uv.build-backend]
module-name = "flask"
module-root = "src"
source-include = ["docs/**", "examples/**", "tests/**", "CHANGES.rst", "uv.lock"]
source-exclude = ["docs/_build/**"]
TOML
fi
large="$cache/bigpkg"
if [ ! -f "$large/pyproject.toml" ]; then
    rm -rf "$large" && "$venv/bin/python" tests/bench/make_large_project.py "$large"
fi

step "flit-rs, release build (and its WASI module)"
cargo build --release -p flit-cli --quiet
cargo build -p flit-cli --target wasm32-wasip1 --profile wasm --quiet
target_dir="$(cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

step "Timing (each tool $((${FLIT_BENCH_REPEAT:-7})) times, alternating)"
"$venv/bin/python" tests/bench/bench.py \
    --flit "$target_dir/release/flit" \
    --wasm "$target_dir/wasm32-wasip1/wasm/flit.wasm" \
    --python "$venv/bin/python" \
    --uv-build "$venv/bin/uv-build" \
    --medium "$medium" --medium-uv "$medium_uv" \
    --large "$large" --large-uv "$large" \
    --repeat "${FLIT_BENCH_REPEAT:-7}"
