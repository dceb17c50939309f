//! `flit check --format json` under WASI prints exactly what the native
//! build prints, for every fixture of `tests/fixtures/check/`.
//!
//! Each fixture is copied twice: one copy is checked by the native binary,
//! the other by `flit.wasm` in embedded wasmtime with that copy as its only
//! preopened directory and no environment. The JSON (every field, messages
//! and help included) and the exit status must be identical.
//!
//! The exception is a fixture whose module gives its version or docstring
//! only when imported (`needs-python = true` in `fixture.toml`): natively
//! Python is run, under WASI there is none, so the WASI run must exit with 1
//! and report `dynamic-needs-python`.
//!
//! Needs `FLIT_WASM`, the WASI module (tests/run.sh builds it with
//! `cargo build -p flit-cli --target wasm32-wasip1 --profile wasm`).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

#[path = "check_support/mod.rs"]
mod check_support;

use check_support::{CheckFixture, all_fixtures, check_env, in_parallel, run_check_json};
use flit_cli::sandbox::{Invocation, Limits, Preopen};
use serde_json::Value;
use support::wasi_runner;

/// Checks `fixture` natively and under WASI; returns what differs.
fn compare(fixture: &CheckFixture) -> Result<(), String> {
    let (_native_temp, native_copy) = fixture.copy();
    let native = run_check_json(&native_copy, &check_env(fixture))?;

    let (_guest_temp, guest_copy) = fixture.copy();
    let invocation = Invocation {
        args: ["flit", "check", "--format", "json"].map(str::to_owned).to_vec(),
        env: Vec::new(),
        preopens: vec![Preopen { host: guest_copy.clone(), guest: ".".into(), writable: false }],
        limits: Limits::default(),
    };
    let outcome = wasi_runner().run(&invocation).map_err(|error| format!("wasmtime: {error}"))?;
    let stdout = String::from_utf8_lossy(&outcome.stdout);
    let stderr = String::from_utf8_lossy(&outcome.stderr);
    let guest: Value = serde_json::from_str(&stdout).map_err(|error| {
        format!(
            "the WASI run printed no JSON ({error}); exit {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            outcome.exit_code
        )
    })?;

    if fixture.notes.needs_python {
        let codes: Vec<&str> =
            guest.as_array().into_iter().flatten().filter_map(|record| record["code"].as_str()).collect();
        if outcome.exit_code != 1 || !codes.contains(&"dynamic-needs-python") {
            return Err(format!(
                "without Python the WASI run must report dynamic-needs-python and exit 1; it exited {} with {codes:?}",
                outcome.exit_code
            ));
        }
        return Ok(());
    }
    if Some(outcome.exit_code) != native.outcome.status {
        return Err(format!("exit status {} under WASI, {:?} natively", outcome.exit_code, native.outcome.status));
    }
    if guest != native.json {
        return Err(format!(
            "the JSON differs\n--- native\n{}\n--- WASI\n{}",
            serde_json::to_string_pretty(&native.json).unwrap_or_default(),
            serde_json::to_string_pretty(&guest).unwrap_or_default()
        ));
    }
    Ok(())
}

#[test]
fn flit_check_under_wasi_prints_the_native_json_for_every_check_fixture() {
    let fixtures = all_fixtures();
    assert!(fixtures.len() >= 85, "expected the check fixtures, found {}", fixtures.len());
    wasi_runner();
    let results = in_parallel(&fixtures, compare);
    let failures: Vec<String> = fixtures
        .iter()
        .zip(results)
        .filter_map(|(fixture, result)| result.err().map(|problem| format!("{}: {problem}", fixture.label())))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} check fixtures differ under WASI:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n\n")
    );
}
