#!/usr/bin/env bash
# Runs every test of the project, on a fresh machine as on a developer's.
#
# Installs what it needs (the wasm targets, a Python virtual environment with
# the pinned reference tools), checks formatting and lints for every target,
# builds the WASI module, then runs the whole test suite; then builds the
# browser package and page (web/build.sh, which installs wasm-bindgen-cli and
# the npm packages) and runs its tests in Node and in Debian's Chromium
# (installed with apt-get when missing). Any missing piece is an error, never
# a skip.
#
# Environment:
#   FLIT_TEST_CACHE     where the virtual environment and wasm-bindgen-cli are kept
#                       (default: ~/.cache/flit-rs-tests)
#   CARGO_TARGET_DIR    cargo's usual; .ci/run points it at a shared cache
#   FLIT_CHROMIUM       the browser (default /usr/bin/chromium)
#   FLIT_WEB_ARTIFACTS  where the browser test saves screenshots (default web/tests/output)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
cache="${FLIT_TEST_CACHE:-$HOME/.cache/flit-rs-tests}"
mkdir -p "$cache"

step "Rust $toolchain with the wasm targets"
command -v rustup >/dev/null || fail "rustup is required to install the wasm targets"
rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy >/dev/null
rustup target add --toolchain "$toolchain" wasm32-wasip1 wasm32-unknown-unknown >/dev/null

step "Python virtual environment with the reference tools (tests/requirements.txt)"
venv="$cache/venv"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s tests/requirements.txt "$stamp"; then
    rm -rf "$venv"
    python3 -m venv "$venv" || fail "python3 -m venv failed; install Python 3 with the venv module"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt \
        || fail "pip could not install tests/requirements.txt"
    cp tests/requirements.txt "$stamp"
fi
export FLIT_TEST_PYTHON="$venv/bin/python"
"$FLIT_TEST_PYTHON" -c 'import flit_core, flit; assert flit_core.__version__ == "4.2.0"' \
    || fail "the virtual environment at $venv lacks flit_core 4.2.0"
# The standalone wasmtime that runs flit.wasm in tests/sandbox_standalone.rs.
"$FLIT_TEST_PYTHON" -c 'import wasmtime' \
    || fail "the virtual environment at $venv lacks the wasmtime package"

step "Formatting"
cargo fmt --all --check

step "Lints: native, wasm32-unknown-unknown (core and web), wasm32-wasip1 (core and CLI)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p flit-core -p flit-web --target wasm32-unknown-unknown --quiet -- -D warnings
cargo clippy -p flit-core -p flit-cli --target wasm32-wasip1 --quiet -- -D warnings

step "The core builds for the browser target"
cargo build -p flit-core --target wasm32-unknown-unknown --quiet

step "The WASI command"
cargo build -p flit-cli --target wasm32-wasip1 --profile wasm --quiet
target_dir="${CARGO_TARGET_DIR:-target}"
export FLIT_WASM="$(cd "$target_dir" && pwd)/wasm32-wasip1/wasm/flit.wasm"
[ -f "$FLIT_WASM" ] || fail "the WASI build did not produce $FLIT_WASM"

step "Tests"
cargo test --workspace --quiet

step "Chromium (Debian's) for the browser tests"
chromium="${FLIT_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    command -v apt-get >/dev/null || fail "$chromium is missing and there is no apt-get to install Debian's chromium"
    as_root=()
    [ "$(id -u)" = 0 ] || as_root=(sudo)
    "${as_root[@]}" apt-get update -qq || fail "apt-get update failed"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        || fail "apt-get install chromium failed"
fi
[ -x "$chromium" ] || fail "$chromium is still missing after installing chromium"
export FLIT_CHROMIUM="$chromium"

step "The browser package and page (web/build.sh: wasm-bindgen-cli, npm ci, wasm-opt)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null \
    || fail "Node.js 20 or later is required for the browser tests (playwright-core needs it)"
web/build.sh || fail "web/build.sh failed"

step "Browser tests: the package in Node, the page in headless Chromium (web/tests/)"
cargo build -p flit-cli --quiet || fail "cargo build -p flit-cli failed"
export FLIT_BIN="$(cd "$target_dir" && pwd)/debug/flit"
export FLIT_WEB_ARTIFACTS="${FLIT_WEB_ARTIFACTS:-$PWD/web/tests/output}"
(cd web && node --test --test-concurrency=1 tests/api.test.mjs tests/browser.test.mjs) \
    || fail "the browser tests failed (screenshots in $FLIT_WEB_ARTIFACTS)"
printf 'screenshots and measurements: %s\n' "$FLIT_WEB_ARTIFACTS" >&2

step "All tests passed"
