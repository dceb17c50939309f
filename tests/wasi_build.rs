//! The `wasm32-wasip1` build of `flit` under a real wasmtime engine must
//! write exactly the bytes the native build writes.
//!
//! For every build fixture, two temporary copies are made: one is built by
//! the native binary, the other by `flit.wasm` running in embedded wasmtime
//! with that copy as its only preopened directory (and nothing else: no
//! inherited environment, no other files). The archives must be identical,
//! byte for byte — not just their contents.
//!
//! WASI has no permission bits, so the test tells the guest which files are
//! executable through `FLIT_EXECUTABLES`, as `--sandbox` does.
//!
//! Needs `FLIT_WASM`: the path of `flit.wasm` (tests/run.sh builds it with
//! `cargo build -p flit-cli --target wasm32-wasip1 --profile wasm`).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::fs;
use std::sync::Mutex;

use flit_cli::sandbox::{Invocation, Limits, Preopen};
use support::{EPOCH, FixtureOptions, archives, copy_build_fixture, executables, fixture_names, run_ours, wasi_runner};

/// Builds `fixture` natively and under WASI; returns what differs.
fn compare(fixture: &str) -> Result<(), String> {
    let options = FixtureOptions::load(fixture);
    let mut env = vec![("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned())];
    env.extend(options.env.iter().cloned());

    let native = copy_build_fixture(fixture, &options);
    let native_outcome = run_ours(&native.project, &options.config, &[], &env);
    if native_outcome.status != Some(0) {
        return Err(format!("the native build failed:\n{}", native_outcome.stderr));
    }

    let guest = copy_build_fixture(fixture, &options);
    let mut guest_env = env.clone();
    guest_env.push(("FLIT_EXECUTABLES".to_owned(), executables(&guest.project)));
    let invocation = Invocation {
        args: vec!["flit".into(), "-f".into(), options.config.clone(), "build".into()],
        env: guest_env,
        preopens: vec![Preopen { host: guest.project.clone(), guest: ".".into(), writable: true }],
        limits: Limits::default(),
    };
    let outcome = wasi_runner().run(&invocation).map_err(|error| format!("wasmtime: {error}"))?;
    if options.needs_python {
        // There is no Python under WASI: the build must say so, and write nothing.
        let stderr = String::from_utf8_lossy(&outcome.stderr);
        if outcome.exit_code != 1 || !stderr.contains("error[dynamic-needs-python]") {
            return Err(format!("expected the dynamic-needs-python error, got exit {}:\n{stderr}", outcome.exit_code));
        }
        if guest.project.join("dist").exists() {
            return Err("the refused WASI build created dist/".into());
        }
        return Ok(());
    }
    if outcome.exit_code != 0 {
        return Err(format!(
            "the WASI build exited with {}:\n{}",
            outcome.exit_code,
            String::from_utf8_lossy(&outcome.stderr)
        ));
    }

    let expected = archives(&native.project.join("dist"));
    let actual = archives(&guest.project.join("dist"));
    if expected.is_empty() {
        return Err("the native build wrote nothing".into());
    }
    let names = |archives: &BTreeMap<String, Vec<u8>>| archives.keys().cloned().collect::<Vec<_>>();
    if names(&expected) != names(&actual) {
        return Err(format!("native wrote {:?}, WASI wrote {:?}", names(&expected), names(&actual)));
    }
    for (name, bytes) in &expected {
        if actual[name] != *bytes {
            return Err(format!("{name} differs ({} bytes natively, {} under WASI)", bytes.len(), actual[name].len()));
        }
    }
    Ok(())
}

#[test]
fn wasi_build_writes_the_native_bytes_for_every_fixture() {
    let fixtures = fixture_names("build");
    assert!(fixtures.len() >= 40, "expected the build fixtures, found {}", fixtures.len());
    wasi_runner();
    let failures = Mutex::new(Vec::new());
    let next = Mutex::new(fixtures.iter());
    // Two workers: the machines this runs on have two cores.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(fixture) = next.lock().unwrap().next() {
                    if let Err(problem) = compare(fixture) {
                        failures.lock().unwrap().push(format!("{fixture}: {problem}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ under WASI:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn wasi_build_reports_errors_like_the_native_build() {
    let project = support::temp_dir("flit-wasi-error-");
    fs::write(
        project.path().join("pyproject.toml"),
        "[project]\nname = \"bad name\"\nversion = \"1.0\"\ndescription = \"x\"\n",
    )
    .unwrap();
    let invocation = Invocation {
        args: vec!["flit".into(), "build".into()],
        env: vec![],
        preopens: vec![Preopen { host: project.path().to_path_buf(), guest: ".".into(), writable: true }],
        limits: Limits::default(),
    };
    let outcome = wasi_runner().run(&invocation).unwrap();
    let stderr = String::from_utf8_lossy(&outcome.stderr);
    assert_eq!(outcome.exit_code, 1, "{stderr}");
    assert!(stderr.contains("pyproject.toml:2:8: error[invalid-name]"), "{stderr}");
    assert!(!project.path().join("dist").exists(), "a failed build created dist/");
}

#[test]
fn wasi_build_explains_that_dynamic_metadata_needing_python_cannot_be_read() {
    let project = support::temp_dir("flit-wasi-dynamic-");
    fs::write(
        project.path().join("pyproject.toml"),
        "[project]\nname = \"computed\"\ndynamic = [\"version\", \"description\"]\n",
    )
    .unwrap();
    fs::write(project.path().join("computed.py"), "\"\"\"Computed.\"\"\"\n__version__ = '.'.join(['1', '0'])\n")
        .unwrap();
    let invocation = Invocation {
        args: vec!["flit".into(), "build".into()],
        env: vec![],
        preopens: vec![Preopen { host: project.path().to_path_buf(), guest: ".".into(), writable: true }],
        limits: Limits::default(),
    };
    let outcome = wasi_runner().run(&invocation).unwrap();
    let stderr = String::from_utf8_lossy(&outcome.stderr);
    assert_eq!(outcome.exit_code, 1, "{stderr}");
    assert!(stderr.contains("computed.py: error[dynamic-needs-python]"), "{stderr}");
    assert!(stderr.contains("__version__ = \"1.0\""), "the help should show the static forms: {stderr}");
}
