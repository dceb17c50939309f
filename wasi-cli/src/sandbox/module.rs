//! The WASI build of `flit` embedded in the native binary, and a cache of
//! its compiled form.
//!
//! Compiling the 1.3 MB module with Cranelift takes about 2 s (40 s in a
//! debug build of the host); loading precompiled machine code takes
//! milliseconds. The first sandboxed build therefore compiles the module and
//! stores the result in the user's cache directory, keyed by everything
//! that makes compiled code valid: the module's SHA-256, the wasmtime
//! version and the engine configuration (through wasmtime's compatibility
//! hash). Entries are written atomically and carry a checksum; any entry
//! that cannot be used is ignored and the module is compiled in memory.
//!
//! The cache directory is the user's (`Environment::cache_dir`): a project
//! being built never sees it, so only this program writes what is loaded.

use std::fs;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use wasmtime::Engine;

use super::runner::{Runner, SandboxError};

/// The module: this package built for `wasm32-wasip1` with the `wasm`
/// profile, by `build.rs`.
pub static EMBEDDED_MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/flit.wasm"));

/// The cache's own format, bumped if the layout of an entry changes.
const CACHE_FORMAT: &str = "flit-rs sandbox cache v1";

/// How the runner was obtained, for `--debug` and the measurements.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// Where the compiled module is cached (whether or not it was usable).
    pub cache_file: Option<PathBuf>,
    /// Whether the cache held a usable entry.
    pub cache_hit: bool,
    /// Why the cache could not be used or written, if it could not.
    pub cache_problem: Option<String>,
    /// Time spent getting a runnable module.
    pub elapsed: Duration,
}

/// Feeds `Hash` implementations into SHA-256, so the engine's compatibility
/// hash becomes a stable part of a file name.
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        // Only the full digest is used (see `cache_key`).
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The name of the cache entry for `module` compiled by `engine`.
fn cache_key(engine: &Engine, module: &[u8]) -> String {
    let mut hasher = Sha256Hasher(Sha256::new());
    hasher.write(CACHE_FORMAT.as_bytes());
    hasher.write(std::env::consts::ARCH.as_bytes());
    hasher.write(std::env::consts::OS.as_bytes());
    // wasmtime's own compatibility hash covers its version, the compiler's
    // target and flags, and every configuration setting that affects code.
    std::hash::Hash::hash(&engine.precompile_compatibility_hash(), &mut hasher);
    let configuration = hasher.0.finalize();
    let module_hash = Sha256::digest(module);
    // The module hash first, so entries of one module are easy to find.
    format!("{}-{}", hex(&module_hash[..16]), hex(&configuration[..16]))
}

/// An entry is the precompiled module followed by the SHA-256 of it, so a
/// damaged file is never handed to `Module::deserialize`.
fn seal(compiled: &[u8]) -> Vec<u8> {
    let mut sealed = Vec::with_capacity(compiled.len() + 32);
    sealed.extend_from_slice(compiled);
    sealed.extend_from_slice(&Sha256::digest(compiled));
    sealed
}

fn unseal(sealed: &[u8]) -> Option<&[u8]> {
    let split = sealed.len().checked_sub(32)?;
    let (compiled, checksum) = sealed.split_at(split);
    (Sha256::digest(compiled).as_slice() == checksum).then_some(compiled)
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, renamed.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = path.parent().ok_or_else(|| std::io::Error::other("the cache file has no directory"))?;
    fs::create_dir_all(directory)?;
    let mut file = tempfile::Builder::new().prefix(".entry.").suffix(".tmp").tempfile_in(directory)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// A runner for `module`, from the cache in `cache_dir` when it holds a
/// usable entry; otherwise compiled, and the cache filled for next time.
pub fn load(module: &[u8], cache_dir: Option<&Path>) -> Result<(Runner, LoadReport), SandboxError> {
    let started = Instant::now();
    let engine = Runner::engine()?;
    let cache_file =
        cache_dir.map(|directory| directory.join("sandbox").join(format!("{}.cwasm", cache_key(&engine, module))));
    let mut report =
        LoadReport { cache_file: cache_file.clone(), cache_hit: false, cache_problem: None, elapsed: Duration::ZERO };

    if let Some(path) = &cache_file {
        match fs::read(path) {
            Ok(sealed) => match unseal(&sealed).map(|compiled| Runner::from_precompiled(&engine, compiled)) {
                Some(Ok(runner)) => {
                    report.cache_hit = true;
                    report.elapsed = started.elapsed();
                    return Ok((runner, report));
                }
                Some(Err(error)) => report.cache_problem = Some(format!("unusable cache entry: {error}")),
                None => report.cache_problem = Some("damaged cache entry (checksum mismatch)".to_owned()),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => report.cache_problem = Some(format!("cannot read the cache entry: {error}")),
        }
    }

    let compiled = Runner::precompile(&engine, module)?;
    let runner = Runner::from_precompiled(&engine, &compiled)?;
    if let Some(path) = &cache_file
        && let Err(error) = write_atomically(path, &seal(&compiled))
    {
        report.cache_problem = Some(format!("cannot write the cache entry: {error}"));
    }
    report.elapsed = started.elapsed();
    Ok((runner, report))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_embedded_module_is_webassembly() {
        assert!(EMBEDDED_MODULE.starts_with(b"\0asm"));
    }

    #[test]
    fn sealing_detects_damage() {
        let sealed = seal(b"compiled code");
        assert_eq!(unseal(&sealed), Some(&b"compiled code"[..]));
        let mut damaged = sealed.clone();
        damaged[3] ^= 1;
        assert_eq!(unseal(&damaged), None);
        assert_eq!(unseal(&sealed[..10]), None);
    }

    #[test]
    fn the_key_depends_on_the_module() {
        let engine = Runner::engine().unwrap();
        assert_ne!(cache_key(&engine, b"one"), cache_key(&engine, b"two"));
        assert_eq!(cache_key(&engine, b"one"), cache_key(&engine, b"one"));
    }
}
