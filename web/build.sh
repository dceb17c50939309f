#!/usr/bin/env bash
# Builds the flit-web package into web/pkg/, and with it the page (web/).
#
#   web/build.sh            then serve web/ with any static file server
#
# Installs what it needs and fails loudly when it cannot:
#   - the wasm32-unknown-unknown target (through rustup);
#   - wasm-bindgen-cli at exactly the version web/Cargo.toml pins, with
#     `cargo install` (about 4 minutes, once), kept in
#     $FLIT_TEST_CACHE/wasm-bindgen-cli-<version> (default ~/.cache/flit-rs-tests);
#   - the npm packages of web/package-lock.json (`npm ci`), for wasm-opt.
#
# Environment:
#   FLIT_TEST_CACHE    where wasm-bindgen-cli and optimised modules are kept
#   FLIT_WEB_OPTIMIZE  0: skip `wasm-opt -Oz` (faster, about 10% larger gzipped)
#   CARGO_TARGET_DIR   cargo's usual
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

cache="${FLIT_TEST_CACHE:-$HOME/.cache/flit-rs-tests}"
mkdir -p "$cache"
command -v node >/dev/null || fail "Node.js (18 or later) is required"
command -v npm >/dev/null || fail "npm is required"

# The command must match the crate exactly: the glue it writes is tied to it.
bindgen_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' web/Cargo.toml)
[ -n "$bindgen_version" ] || fail "web/Cargo.toml must pin wasm-bindgen with \`=\`"

step "wasm-bindgen-cli $bindgen_version"
bindgen_root="$cache/wasm-bindgen-cli-$bindgen_version"
bindgen="$bindgen_root/bin/wasm-bindgen"
if [ "$("$bindgen" --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
    # Not --locked: its lock file names a dependency version this index lacks.
    env -u CARGO_TARGET_DIR cargo install --quiet wasm-bindgen-cli --version "$bindgen_version" \
        --root "$bindgen_root" --force \
        || fail "cargo install wasm-bindgen-cli --version $bindgen_version failed"
fi
[ "$("$bindgen" --version)" = "wasm-bindgen $bindgen_version" ] \
    || fail "$bindgen is not wasm-bindgen $bindgen_version"

step "npm packages (web/package-lock.json)"
stamp=web/node_modules/.flit-web-lock
if ! cmp -s web/package-lock.json "$stamp"; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in web/ failed"
    cp web/package-lock.json "$stamp"
fi

step "The module (cargo, profile web)"
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if command -v rustup >/dev/null; then
    rustup target add --toolchain "$toolchain" wasm32-unknown-unknown >/dev/null 2>&1 \
        || fail "rustup could not add the wasm32-unknown-unknown target"
fi
cargo build --quiet -p flit-web --target wasm32-unknown-unknown --profile web
target_dir=$(cargo metadata --format-version 1 --no-deps \
    | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).target_directory))')
crate_version=$(cargo metadata --format-version 1 --no-deps \
    | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () =>
        console.log(JSON.parse(s).packages.find(p => p.name === "flit-web").version))')
module="$target_dir/wasm32-unknown-unknown/web/flit_web.wasm"
[ -f "$module" ] || fail "cargo did not produce $module"

step "wasm-bindgen --target web"
staging=web/pkg.partial
rm -rf "$staging"
"$bindgen" --target web --out-dir "$staging" "$module"

if [ "${FLIT_WEB_OPTIMIZE:-1}" != 0 ]; then
    step "wasm-opt -Oz (binaryen from npm; cached by input)"
    wasm_opt=web/node_modules/.bin/wasm-opt
    [ -x "$wasm_opt" ] || fail "$wasm_opt is missing; npm ci in web/ should have installed binaryen"
    key=$( (sha256sum "$staging/flit_web_bg.wasm"; "$wasm_opt" --version) | sha256sum | cut -c1-32)
    optimised="$cache/wasm-opt/$key.wasm"
    if [ ! -f "$optimised" ]; then
        mkdir -p "$cache/wasm-opt"
        # The features come from the module's target_features section; never
        # --all-features (Chromium refuses the result).
        "$wasm_opt" -Oz "$staging/flit_web_bg.wasm" -o "$optimised.partial" || fail "wasm-opt failed"
        mv "$optimised.partial" "$optimised"
    fi
    cp "$optimised" "$staging/flit_web_bg.wasm"
fi

step "package.json and README for npm"
cp web/README.md "$staging/README.md"
node - "$staging/package.json" "$crate_version" <<'EOF'
const [file, version] = process.argv.slice(2);
const manifest = {
    name: "flit-web",
    version,
    description: "Validate pyproject.toml and build wheels and sdists of pure-Python projects, in the browser or Node, byte-identical to flit-rs",
    license: "BSD-3-Clause",
    type: "module",
    main: "flit_web.js",
    types: "flit_web.d.ts",
    exports: {
        ".": { types: "./flit_web.d.ts", default: "./flit_web.js" },
        "./flit_web_bg.wasm": "./flit_web_bg.wasm",
        "./package.json": "./package.json",
    },
    files: ["flit_web.js", "flit_web.d.ts", "flit_web_bg.wasm", "flit_web_bg.wasm.d.ts", "README.md"],
    sideEffects: false,
    keywords: ["python", "packaging", "pyproject", "wheel", "sdist", "flit", "wasm"],
    engines: { node: ">=18" },
};
require("node:fs").writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
EOF

rm -rf web/pkg
mv "$staging" web/pkg
raw=$(wc -c < web/pkg/flit_web_bg.wasm)
gzipped=$(gzip -9 -c web/pkg/flit_web_bg.wasm | wc -c)
step "Built web/pkg/ (flit_web_bg.wasm: $raw bytes, $gzipped gzipped); serve web/ to use the page"
