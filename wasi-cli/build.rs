//! Builds the WASI module that `flit build --sandbox` runs, so that a plain
//! `cargo build` (or `cargo install --path wasi-cli`) gives one `flit` file
//! whose sandbox works.
//!
//! The module is this same package compiled for `wasm32-wasip1` with the
//! `wasm` profile, by a nested cargo with a target directory of its own:
//! sharing the outer build's directory would deadlock on its lock. That
//! directory is `flit-sandbox-wasm/` inside the outer target directory, so
//! that debug, release, test and clippy builds (each with its own
//! `OUT_DIR`) share one nested build, and a cached target directory caches it
//! too. The result is copied to `$OUT_DIR/flit.wasm`, which
//! `src/sandbox/module.rs` embeds.
//!
//! - When this package is itself being compiled for a wasm target (the nested
//!   build, or `cargo build --target wasm32-wasip1`), there is nothing to embed
//!   and the nested build would recurse, so nothing is done.
//! - `FLIT_EMBED_WASM=/path/to/flit.wasm` embeds a module built beforehand
//!   instead (packagers, offline builds, and CI, which builds it anyway).
//!
//! The nested cargo runs with the environment cargo gave this script minus
//! everything that describes the outer build (its target, target directory,
//! profile, flags and wrappers such as clippy's), so that it builds exactly
//! what `cargo build -p flit-cli --target wasm32-wasip1 --profile wasm` builds.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// The target and profile of the embedded module (see the workspace manifest).
const WASM_TARGET: &str = "wasm32-wasip1";
const WASM_PROFILE: &str = "wasm";

/// Variables that cargo sets for this script, or that configure the outer
/// build, and must not leak into the nested one.
const REMOVED_PREFIXES: &[&str] = &[
    "CARGO_BIN_",
    "CARGO_BUILD_",
    "CARGO_CFG_",
    "CARGO_ENCODED_",
    "CARGO_FEATURE_",
    "CARGO_LLVM_COV",
    "CARGO_MANIFEST_",
    "CARGO_PKG_",
    "CARGO_PROFILE_",
    "CARGO_TARGET_",
    "__CARGO",
];
const REMOVED_NAMES: &[&str] = &[
    "CARGO_CRATE_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_RUSTC_CURRENT_DIR",
    "DEBUG",
    "HOST",
    "NUM_JOBS",
    "OPT_LEVEL",
    "OUT_DIR",
    "PROFILE",
    "RUSTC_LINKER",
    "RUSTC_WORKSPACE_WRAPPER",
    "RUSTDOCFLAGS",
    "RUSTFLAGS",
    "TARGET",
];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: cannot build the sandbox's WASI module: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=FLIT_EMBED_WASM");
    let target_family = env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    if target_family.split(',').any(|family| family == "wasm") {
        return Ok(());
    }
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?);
    let embedded = out_dir.join("flit.wasm");

    if let Some(prebuilt) = env::var_os("FLIT_EMBED_WASM").filter(|value| !value.is_empty()) {
        let prebuilt = PathBuf::from(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        return install_module(&prebuilt, &embedded);
    }

    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").ok_or("cargo did not set CARGO_MANIFEST_DIR")?);
    let workspace = manifest_dir.parent().ok_or("the package has no parent directory")?;
    // Everything the module is compiled from. Directories are scanned
    // recursively by cargo.
    for input in [
        "Cargo.toml",
        "Cargo.lock",
        "rust-toolchain.toml",
        "core/Cargo.toml",
        "core/src",
        "wasi-cli/Cargo.toml",
        "wasi-cli/src",
    ] {
        let path = workspace.join(input);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }

    let target_dir = nested_target_dir(&out_dir);
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(manifest_dir.join("Cargo.toml"))
        .args(["--package", "flit-cli", "--bin", "flit", "--target", WASM_TARGET, "--profile", WASM_PROFILE])
        .arg("--target-dir")
        .arg(&target_dir);
    if workspace.join("Cargo.lock").is_file() {
        // The module is built from the versions the lock file pins; the
        // nested build never rewrites the lock file in the source tree.
        command.arg("--locked");
    }
    for (name, _) in env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if REMOVED_NAMES.contains(&name) || REMOVED_PREFIXES.iter().any(|prefix| name.starts_with(prefix)) {
            command.env_remove(name);
        }
    }
    // Cargo reads this script's stdout for instructions; the nested build's
    // progress goes to stderr, which cargo shows when something fails.
    command.stdout(Stdio::from(std::io::stderr())).stderr(Stdio::inherit());

    let started = Instant::now();
    let status = command.status().map_err(|error| format!("cannot run {}: {error}", Path::new(&cargo).display()))?;
    if !status.success() {
        return Err(format!(
            "the nested `cargo build -p flit-cli --target {WASM_TARGET} --profile {WASM_PROFILE}` failed ({status}); \
             its output is above. If the target is missing, run `rustup target add {WASM_TARGET}`; \
             or build the module yourself and set FLIT_EMBED_WASM to its path"
        ));
    }
    eprintln!("built the sandbox module in {:.1} s", started.elapsed().as_secs_f64());
    install_module(&target_dir.join(WASM_TARGET).join(WASM_PROFILE).join("flit.wasm"), &embedded)
}

/// `flit-sandbox-wasm/` in the outer target directory: the nearest ancestor of
/// `OUT_DIR` that cargo tagged as a cache directory (the target directory, or
/// its per-target subdirectory). Failing that, inside `OUT_DIR`.
fn nested_target_dir(out_dir: &Path) -> PathBuf {
    out_dir
        .ancestors()
        .skip(1)
        .take(6)
        .find(|directory| directory.join("CACHEDIR.TAG").is_file())
        .map_or_else(|| out_dir.join("wasm-target"), |directory| directory.join("flit-sandbox-wasm"))
}

/// Copies a built module to where the package embeds it, after checking that
/// it is a WebAssembly module at all.
fn install_module(source: &Path, destination: &Path) -> Result<(), String> {
    let bytes = fs::read(source).map_err(|error| format!("cannot read {}: {error}", source.display()))?;
    if !bytes.starts_with(b"\0asm") {
        return Err(format!("{} is not a WebAssembly module", source.display()));
    }
    // Written only when different, so that the package is not recompiled
    // when the module did not change.
    if fs::read(destination).ok().as_deref() != Some(bytes.as_slice()) {
        fs::write(destination, &bytes).map_err(|error| format!("cannot write {}: {error}", destination.display()))?;
    }
    Ok(())
}
