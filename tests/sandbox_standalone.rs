//! `flit.wasm` under a standalone wasmtime, not ours: the `wasmtime` package
//! from PyPI (pinned in tests/requirements.txt), which embeds the real
//! engine. Every build fixture is built by it the way the README shows
//! (`wasmtime run --dir . flit.wasm build`: the project preopened writable as
//! the working directory) and must come out byte-identical to the native
//! build; a fixture that needs Python must be refused with
//! `dynamic-needs-python`.
//!
//! And the sandbox's own arrangement (the project read-only, a separate
//! writable output directory) works under that engine too.
//!
//! Needs `FLIT_WASM` (the module `cargo build -p flit-cli --target
//! wasm32-wasip1 --profile wasm` writes) and `FLIT_TEST_PYTHON` (a Python with
//! the `wasmtime` package); tests/run.sh provides both.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use support::{EPOCH, FixtureOptions, archives, copy_build_fixture, executables, fixture_names, run_ours};

/// Runs WASI commands listed as JSON on stdin, one module compiled once, and
/// prints one JSON result per job.
const RUNNER_SCRIPT: &str = r#"
import json, sys, wasmtime
engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, sys.argv[1])
linker = wasmtime.Linker(engine)
linker.define_wasi()
results = []
for job in json.load(sys.stdin):
    config = wasmtime.WasiConfig()
    config.argv = job["args"]
    config.env = [tuple(pair) for pair in job["env"]]
    for host, guest, writable in job["preopens"]:
        config.preopen_dir(host, guest, writable)
    config.stderr_file = job["stderr"]
    store = wasmtime.Store(engine)
    store.set_wasi(config)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
        code = 0
    except wasmtime.ExitTrap as exit:
        code = exit.code
    results.append(code)
json.dump(results, sys.stdout)
"#;

/// One run of the module.
struct Job {
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// (host directory, guest name, writable)
    preopens: Vec<(PathBuf, String, bool)>,
    stderr: PathBuf,
}

fn jobs_json(jobs: &[Job]) -> String {
    let jobs: Vec<serde_json::Value> = jobs
        .iter()
        .map(|job| {
            let preopens: Vec<serde_json::Value> = job
                .preopens
                .iter()
                .map(|(host, guest, writable)| serde_json::json!([host.to_str().unwrap(), guest, writable]))
                .collect();
            serde_json::json!({
                "args": job.args,
                "env": job.env.iter().map(|(key, value)| [key, value]).collect::<Vec<_>>(),
                "preopens": preopens,
                "stderr": job.stderr.to_str().unwrap(),
            })
        })
        .collect();
    serde_json::Value::Array(jobs).to_string()
}

/// `FLIT_WASM`, the module the README tells users to run.
fn module_path() -> PathBuf {
    let path = std::env::var_os("FLIT_WASM").unwrap_or_else(|| {
        panic!(
            "FLIT_WASM is not set: build the WASI module with \
             `cargo build -p flit-cli --target wasm32-wasip1 --profile wasm` and set FLIT_WASM to \
             target/wasm32-wasip1/wasm/flit.wasm (tests/run.sh does both)"
        )
    });
    PathBuf::from(path)
}

/// Runs the jobs under the PyPI wasmtime; returns each exit code.
fn run_standalone(jobs: &[Job]) -> Vec<i32> {
    let python = support::test_python();
    let mut child = Command::new(&python)
        .args(["-c", RUNNER_SCRIPT])
        .arg(module_path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.display()));
    child.stdin.take().unwrap().write_all(jobs_json(jobs).as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the PyPI wasmtime could not run the jobs (is the `wasmtime` package of tests/requirements.txt \
         installed in FLIT_TEST_PYTHON?):\n{stderr}"
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let codes: Vec<i32> = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}\n{stderr}"));
    assert_eq!(codes.len(), jobs.len(), "unexpected output: {text}\n{stderr}");
    codes
}

#[test]
fn standalone_wasmtime_writes_the_native_bytes_for_every_fixture() {
    let fixtures = fixture_names("build");
    assert!(fixtures.len() >= 40, "expected the build fixtures, found {}", fixtures.len());
    let logs = support::temp_dir("flit-standalone-logs-");
    let mut copies = Vec::new();
    let mut jobs = Vec::new();
    for (index, fixture) in fixtures.iter().enumerate() {
        let options = FixtureOptions::load(fixture);
        let copy = copy_build_fixture(fixture, &options);
        let mut env = vec![("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned())];
        env.extend(options.env.iter().cloned());
        env.push(("FLIT_EXECUTABLES".to_owned(), executables(&copy.project)));
        jobs.push(Job {
            args: vec!["flit".into(), "-f".into(), options.config.clone(), "build".into()],
            env,
            preopens: vec![(copy.project.clone(), ".".into(), true)],
            stderr: logs.path().join(format!("{index}.stderr")),
        });
        copies.push((fixture, options, copy));
    }
    let codes = run_standalone(&jobs);

    let mut failures = Vec::new();
    for ((fixture, options, copy), (job, code)) in copies.iter().zip(jobs.iter().zip(codes)) {
        let stderr = fs::read_to_string(&job.stderr).unwrap_or_default();
        if options.needs_python {
            if code != 1 || !stderr.contains("error[dynamic-needs-python]") {
                failures.push(format!("{fixture}: expected dynamic-needs-python, got exit {code}:\n{stderr}"));
            }
            continue;
        }
        if code != 0 {
            failures.push(format!("{fixture}: exit {code}:\n{stderr}"));
            continue;
        }
        let native = copy_build_fixture(fixture, options);
        let mut env = vec![("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned())];
        env.extend(options.env.iter().cloned());
        let native_outcome = run_ours(&native.project, &options.config, &[], &env);
        if !native_outcome.succeeded() {
            failures.push(format!("{fixture}: the native build failed:\n{native_outcome}"));
            continue;
        }
        if stderr != native_outcome.stderr {
            failures.push(format!(
                "{fixture}: messages differ:\n--- native\n{}--- standalone\n{stderr}",
                native_outcome.stderr
            ));
        }
        let expected = archives(&native.project.join("dist"));
        let actual = archives(&copy.project.join("dist"));
        if expected.is_empty() || expected != actual {
            failures.push(format!(
                "{fixture}: archives differ: native {:?}, standalone {:?}",
                expected.keys().collect::<Vec<_>>(),
                actual.keys().collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixtures differ under standalone wasmtime:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn standalone_wasmtime_with_a_read_only_project_and_a_separate_output() {
    let options = FixtureOptions::load("full-project");
    let copy = copy_build_fixture("full-project", &options);
    let out = support::temp_dir("flit-standalone-out-");
    let logs = support::temp_dir("flit-standalone-logs-");
    let before = support::snapshot_tree(&copy.project);
    let mut env = vec![("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned())];
    env.push(("FLIT_EXECUTABLES".to_owned(), executables(&copy.project)));
    let jobs = [
        Job {
            args: ["flit", "build", "--outdir", "/out"].map(String::from).to_vec(),
            env: env.clone(),
            preopens: vec![(copy.project.clone(), ".".into(), false), (out.path().to_path_buf(), "/out".into(), true)],
            stderr: logs.path().join("separate.stderr"),
        },
        // Asked to write into the read-only project, the build fails.
        Job {
            args: ["flit", "build"].map(String::from).to_vec(),
            env,
            preopens: vec![(copy.project.clone(), ".".into(), false)],
            stderr: logs.path().join("readonly.stderr"),
        },
    ];
    let codes = run_standalone(&jobs);
    let stderr = |index: usize| fs::read_to_string(&jobs[index].stderr).unwrap_or_default();
    assert_eq!(codes[0], 0, "{}", stderr(0));
    assert_eq!(codes[1], 1, "{}", stderr(1));
    assert_eq!(support::snapshot_differences(&before, &support::snapshot_tree(&copy.project)), Vec::<String>::new());

    let native = copy_build_fixture("full-project", &options);
    let outcome = run_ours(&native.project, "pyproject.toml", &[], &[("SOURCE_DATE_EPOCH".into(), EPOCH.into())]);
    assert!(outcome.succeeded(), "{outcome}");
    assert_eq!(archives(out.path()), archives(&native.project.join("dist")));
}
