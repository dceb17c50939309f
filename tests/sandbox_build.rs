//! `flit build --sandbox`: the native binary runs its embedded WASI build in
//! wasmtime. It must write the bytes and print the messages of the native
//! build, refuse what needs Python, stay within its limits, and keep the
//! promises of the output directory (atomic, nothing left behind).
//!
//! Every test runs the real `flit` binary, whose module `build.rs` embedded.
//! The compiled module is cached in one directory shared by these tests and
//! kept between runs (in cargo's directory for test files), as a user's
//! cache would be; the tests of the cache itself use fresh ones.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use support::{
    EPOCH, Expected, FixtureOptions, Outcome, archives, copy_build_fixture, copy_error_fixture, fixture_names,
    flit_binary, run, run_ours, snapshot_differences, snapshot_tree,
};

/// The cache directory shared by this file's sandboxed builds, warmed once.
fn shared_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let cache = module_cache_dir();
        let project = tiny_project();
        let outcome = run(
            &flit_binary(),
            &["build".into(), "--sandbox".into()],
            project.path(),
            &[("XDG_CACHE_HOME".into(), cache.display().to_string())],
        );
        assert!(outcome.succeeded(), "warming the module cache failed:\n{outcome}");
        cache
    })
}

/// A module cache kept in cargo's directory for test files: shared by the
/// sandbox's tests and kept between runs (entries are keyed by the module's
/// hash, so a changed module gets a new one).
fn module_cache_dir() -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sandbox-module-cache");
    fs::create_dir_all(&directory).unwrap();
    directory
}

/// A small valid project.
fn tiny_project() -> tempfile::TempDir {
    let project = support::temp_dir("flit-sandbox-tiny-");
    fs::write(
        project.path().join("pyproject.toml"),
        "[build-system]\nrequires = [\"flit_core >=3.2,<5\"]\nbuild-backend = \"flit_core.buildapi\"\n\n\
         [project]\nname = \"tiny\"\nversion = \"1.0\"\ndescription = \"A tiny project\"\n",
    )
    .unwrap();
    fs::write(project.path().join("tiny.py"), "\"\"\"A tiny project.\"\"\"\n").unwrap();
    project
}

/// Runs `flit [-f config] build --sandbox <args>` in `project` with `env`
/// (plus the shared cache).
fn run_sandboxed(project: &Path, config: &str, args: &[&str], env: &[(String, String)]) -> Outcome {
    let mut arguments = Vec::new();
    if config != "pyproject.toml" {
        arguments.extend(["-f".to_owned(), config.to_owned()]);
    }
    arguments.extend(["build".to_owned(), "--sandbox".to_owned()]);
    arguments.extend(args.iter().map(|arg| (*arg).to_owned()));
    let mut env = env.to_vec();
    env.push(("XDG_CACHE_HOME".into(), shared_cache().display().to_string()));
    run(&flit_binary(), &arguments, project, &env)
}

fn epoch() -> Vec<(String, String)> {
    vec![("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned())]
}

/// Builds a fixture natively and in the sandbox; returns what differs.
fn compare_fixture(fixture: &str) -> Result<(), String> {
    let options = FixtureOptions::load(fixture);
    let mut env = epoch();
    env.extend(options.env.iter().cloned());

    let sandboxed = copy_build_fixture(fixture, &options);
    let outcome = run_sandboxed(&sandboxed.project, &options.config, &[], &env);
    if options.needs_python {
        // No Python in the sandbox, and project code never runs there.
        if outcome.status != Some(1) || !outcome.stderr.contains("error[dynamic-needs-python]") {
            return Err(format!("expected the dynamic-needs-python error:\n{outcome}"));
        }
        if sandboxed.project.join("dist").exists() {
            return Err("the refused sandboxed build created dist/".into());
        }
        return Ok(());
    }
    if !outcome.succeeded() {
        return Err(format!("the sandboxed build failed:\n{outcome}"));
    }

    let native = copy_build_fixture(fixture, &options);
    let native_outcome = run_ours(&native.project, &options.config, &[], &env);
    if !native_outcome.succeeded() {
        return Err(format!("the native build failed:\n{native_outcome}"));
    }
    if outcome.stderr != native_outcome.stderr {
        return Err(format!(
            "the messages differ\n--- native\n{}--- sandboxed\n{}",
            native_outcome.stderr, outcome.stderr
        ));
    }
    let expected = archives(&native.project.join("dist"));
    let actual = archives(&sandboxed.project.join("dist"));
    if expected.is_empty() {
        return Err("the native build wrote nothing".into());
    }
    let names = |archives: &BTreeMap<String, Vec<u8>>| archives.keys().cloned().collect::<Vec<_>>();
    if names(&expected) != names(&actual) {
        return Err(format!("native wrote {:?}, the sandbox wrote {:?}", names(&expected), names(&actual)));
    }
    for (name, bytes) in &expected {
        if actual[name] != *bytes {
            return Err(format!("{name} differs ({} bytes natively, {} sandboxed)", bytes.len(), actual[name].len()));
        }
        let mode = fs::metadata(sandboxed.project.join("dist").join(name)).unwrap().permissions().mode() & 0o777;
        if mode != 0o644 {
            return Err(format!("{name} has mode {mode:o}, not 644"));
        }
    }
    Ok(())
}

/// Runs `check` on every item with two workers (the machines have two cores).
fn for_each_parallel(items: &[String], check: impl Fn(&str) -> Result<(), String> + Sync) -> Vec<String> {
    shared_cache();
    let failures = Mutex::new(Vec::new());
    let next = Mutex::new(items.iter());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let Some(item) = next.lock().unwrap().next() else { break };
                    if let Err(problem) = check(item) {
                        failures.lock().unwrap().push(format!("{item}: {problem}"));
                    }
                }
            });
        }
    });
    failures.into_inner().unwrap()
}

#[test]
fn sandboxed_builds_write_the_native_bytes_for_every_fixture() {
    let fixtures = fixture_names("build");
    assert!(fixtures.len() >= 40, "expected the build fixtures, found {}", fixtures.len());
    assert!(
        fixtures.iter().any(|fixture| FixtureOptions::load(fixture).needs_python),
        "no fixture needs Python: the refusal is not tested"
    );
    let failures = for_each_parallel(&fixtures, compare_fixture);
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ in the sandbox:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n\n")
    );
}

/// Error fixtures whose problem only importing the module reveals (as in
/// flit, an empty or missing `__version__`/docstring is looked for by
/// importing): the sandbox refuses them with `dynamic-needs-python` instead.
const NEED_PYTHON_TO_REJECT: &[&str] = &["no-docstring-module", "no-version", "version-empty-string"];

#[test]
fn sandboxed_builds_reject_every_error_fixture_like_the_native_build() {
    let fixtures = fixture_names("errors");
    assert!(fixtures.len() >= 100, "expected the error fixtures, found {}", fixtures.len());
    let failures = for_each_parallel(&fixtures, |fixture| {
        let expected = Expected::load(fixture);
        let formats: Vec<&str> = expected.formats.iter().map(|format| format.as_str()).collect();
        let format_args: Vec<&str> = formats.iter().flat_map(|format| ["--format", format]).collect();

        let copy = copy_error_fixture(fixture);
        let before = snapshot_tree(copy.temp.path());
        let outcome = run_sandboxed(&copy.project, "pyproject.toml", &format_args, &epoch());
        let changes = snapshot_differences(&before, &snapshot_tree(copy.temp.path()));
        if !changes.is_empty() {
            return Err(format!("the failed build changed the project: {changes:?}"));
        }
        let native = copy_error_fixture(fixture);
        let native_outcome = run_ours(&native.project, "pyproject.toml", &expected.formats, &epoch());
        if outcome.status != Some(1) {
            return Err(format!("expected exit status 1:\n{outcome}"));
        }
        if NEED_PYTHON_TO_REJECT.contains(&fixture) {
            // Natively the module is imported to find there is nothing;
            // the sandbox stops before running project code.
            let wanted = "error[dynamic-needs-python]";
            return if outcome.stderr.contains(wanted)
                && native_outcome.stderr.contains(&format!("error[{}]", expected.code))
            {
                Ok(())
            } else {
                Err(format!(
                    "expected {wanted} in the sandbox and error[{}] natively:\n{native_outcome}\n{outcome}",
                    expected.code
                ))
            };
        }
        // The same diagnostics, word for word (the guest renders them).
        if outcome.stderr != native_outcome.stderr {
            return Err(format!(
                "the messages differ\n--- native\n{}--- sandboxed\n{}",
                native_outcome.stderr, outcome.stderr
            ));
        }
        Ok(())
    });
    assert!(failures.is_empty(), "{} error fixtures differ in the sandbox:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn flit_sandbox_variable_enables_the_sandbox() {
    // A version that needs Python tells the two builds apart: natively it is
    // imported, in the sandbox it is refused.
    let options = FixtureOptions::load("constructed-version");
    assert!(options.needs_python);
    let copy = copy_build_fixture("constructed-version", &options);
    let mut env = epoch();
    env.push(("FLIT_SANDBOX".into(), "1".into()));
    env.push(("XDG_CACHE_HOME".into(), shared_cache().display().to_string()));
    let outcome = run(&flit_binary(), &["build".into()], &copy.project, &env);
    assert_eq!(outcome.status, Some(1), "{outcome}");
    assert!(outcome.stderr.contains("error[dynamic-needs-python]"), "{outcome}");

    // FLIT_SANDBOX=0 is off.
    env.retain(|(key, _)| key != "FLIT_SANDBOX");
    env.push(("FLIT_SANDBOX".into(), "0".into()));
    env.push(("FLIT_PYTHON".into(), support::test_python().display().to_string()));
    let outcome = run(&flit_binary(), &["build".into()], &copy.project, &env);
    assert!(outcome.succeeded(), "{outcome}");
}

#[test]
fn sandboxed_build_writes_to_outdir_and_reports_host_paths() {
    let project = tiny_project();
    let out = support::temp_dir("flit-sandbox-out-");
    let outdir = out.path().join("archives");
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &["--outdir", outdir.to_str().unwrap()], &epoch());
    assert!(outcome.succeeded(), "{outcome}");
    let sdist = outdir.join("tiny-1.0.tar.gz");
    let wheel = outdir.join("tiny-1.0-py2.py3-none-any.whl");
    assert_eq!(
        outcome.stderr,
        format!("Built sdist: {}\nBuilt wheel: {}\n", sdist.display(), wheel.display()),
        "the host reports the archives with host paths"
    );
    assert_eq!(support::file_names(&outdir), ["tiny-1.0-py2.py3-none-any.whl", "tiny-1.0.tar.gz"]);
    assert!(!project.path().join("dist").exists());
}

#[test]
fn sandboxed_build_of_one_format() {
    let project = tiny_project();
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &["--format", "wheel"], &epoch());
    assert!(outcome.succeeded(), "{outcome}");
    assert_eq!(outcome.stderr, "Built wheel: dist/tiny-1.0-py2.py3-none-any.whl\n");
    assert_eq!(support::file_names(&project.path().join("dist")), ["tiny-1.0-py2.py3-none-any.whl"]);
}

#[test]
fn failed_sandboxed_build_leaves_an_existing_dist_untouched() {
    let project = tiny_project();
    let dist = project.path().join("dist");
    fs::create_dir(&dist).unwrap();
    fs::write(dist.join("tiny-0.9.tar.gz"), "an older build").unwrap();
    fs::write(project.path().join("pyproject.toml"), "[project]\nname = \"tiny\"\nversion = \"not a version\"\n")
        .unwrap();
    let before = snapshot_tree(project.path());
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &[], &epoch());
    assert_eq!(outcome.status, Some(1), "{outcome}");
    assert!(outcome.stderr.contains("error[invalid-version]"), "{outcome}");
    assert_eq!(snapshot_differences(&before, &snapshot_tree(project.path())), Vec::<String>::new());
}

#[test]
fn successful_sandboxed_build_leaves_nothing_but_the_archives() {
    let project = tiny_project();
    let dist = project.path().join("dist");
    fs::create_dir(&dist).unwrap();
    fs::write(dist.join("notes.txt"), "kept").unwrap();
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &[], &epoch());
    assert!(outcome.succeeded(), "{outcome}");
    assert_eq!(support::file_names(&dist), ["notes.txt", "tiny-1.0-py2.py3-none-any.whl", "tiny-1.0.tar.gz"]);
    assert_eq!(fs::read_to_string(dist.join("notes.txt")).unwrap(), "kept");
}

#[test]
fn invalid_source_date_epoch_is_reported_as_natively() {
    let project = tiny_project();
    let env = vec![("SOURCE_DATE_EPOCH".to_owned(), "yesterday".to_owned())];
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &[], &env);
    let native = run_ours(tiny_project().path(), "pyproject.toml", &[], &env);
    assert_eq!(outcome.status, Some(1), "{outcome}");
    assert_eq!(outcome.stderr, native.stderr);
    assert!(!project.path().join("dist").exists());
}

#[test]
fn a_dist_symlink_planted_by_the_project_is_not_followed() {
    let project = tiny_project();
    let elsewhere = support::temp_dir("flit-sandbox-elsewhere-");
    symlink(elsewhere.path(), project.path().join("dist")).unwrap();
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &[], &epoch());
    assert_eq!(outcome.status, Some(1), "{outcome}");
    assert!(outcome.stderr.contains("is a symbolic link inside the project"), "{outcome}");
    assert!(support::file_names(elsewhere.path()).is_empty(), "the build wrote through the link");
}

#[test]
fn limits_need_the_sandbox() {
    let project = tiny_project();
    let outcome = run(&flit_binary(), &["build".into(), "--sandbox-memory".into(), "64".into()], project.path(), &[]);
    assert_eq!(outcome.status, Some(2), "{outcome}");
    assert!(outcome.stderr.contains("add --sandbox"), "{outcome}");
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &["--sandbox-fuel", "0"], &[]);
    assert_eq!(outcome.status, Some(2), "{outcome}");
}

#[test]
fn use_vcs_is_refused_in_the_sandbox() {
    let project = tiny_project();
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &["--use-vcs"], &[]);
    assert_eq!(outcome.status, Some(2), "{outcome}");
    assert!(outcome.stderr.contains("--use-vcs runs git"), "{outcome}");
    assert!(!project.path().join("dist").exists());
}

/// A project that must hold a 12 MiB readme in memory, several times.
fn project_with_big_readme() -> tempfile::TempDir {
    let project = tiny_project();
    let mut pyproject = fs::read_to_string(project.path().join("pyproject.toml")).unwrap();
    pyproject.push_str("readme = \"README.md\"\n");
    fs::write(project.path().join("pyproject.toml"), pyproject).unwrap();
    let line = "All work and no play makes Jack a dull boy.\n";
    fs::write(project.path().join("README.md"), line.repeat((12 << 20) / line.len())).unwrap();
    project
}

#[test]
fn a_guest_exceeding_the_memory_limit_is_stopped_with_a_clear_error() {
    let project = project_with_big_readme();
    let before = snapshot_tree(project.path());
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &["--sandbox-memory", "24"], &epoch());
    assert_eq!(outcome.status, Some(1), "{outcome}");
    assert!(
        outcome.stderr.contains(
            "error: the sandboxed build was stopped: it needed more than 24 MiB of memory; \
             if the project really needs more, raise the limit with --sandbox-memory MIB"
        ),
        "{outcome}"
    );
    assert_eq!(snapshot_differences(&before, &snapshot_tree(project.path())), Vec::<String>::new());

    // With the default limit the same project builds.
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &[], &epoch());
    assert!(outcome.succeeded(), "{outcome}");
}

/// A project whose build is long: archiving 64 MiB of data takes about 10
/// billion WebAssembly instructions, several seconds.
fn project_with_a_long_build() -> tempfile::TempDir {
    let project = tiny_project();
    fs::create_dir(project.path().join("tiny")).unwrap();
    fs::rename(project.path().join("tiny.py"), project.path().join("tiny/__init__.py")).unwrap();
    let data: Vec<u8> = (0..64u32 << 20).map(|index| (index.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    fs::write(project.path().join("tiny/data.bin"), data).unwrap();
    project
}

#[test]
fn a_guest_exceeding_the_cpu_budget_is_stopped_with_a_clear_error() {
    let project = project_with_a_long_build();
    let before = snapshot_tree(project.path());
    let outcome = run_sandboxed(project.path(), "pyproject.toml", &["--sandbox-fuel", "2"], &epoch());
    assert_eq!(outcome.status, Some(1), "{outcome}");
    assert!(
        outcome.stderr.contains(
            "error: the sandboxed build was stopped: it used up its CPU budget of 2 billion instructions; \
             if the project really needs more, raise it with --sandbox-fuel BILLIONS"
        ),
        "{outcome}"
    );
    assert_eq!(snapshot_differences(&before, &snapshot_tree(project.path())), Vec::<String>::new());
}

#[test]
fn a_guest_running_past_the_timeout_is_stopped_with_a_clear_error() {
    // A CPU budget far beyond the work, so that only the clock can stop it
    // (the clock is what stops a guest whose time goes to system calls,
    // which fuel does not count).
    let project = project_with_a_long_build();
    let before = snapshot_tree(project.path());
    let started = std::time::Instant::now();
    let outcome = run_sandboxed(
        project.path(),
        "pyproject.toml",
        &["--sandbox-fuel", "1000000", "--sandbox-timeout", "1"],
        &epoch(),
    );
    assert_eq!(outcome.status, Some(1), "{outcome}");
    assert!(
        outcome.stderr.contains(
            "error: the sandboxed build was stopped: it ran longer than 1 s; \
             if the project really needs more time, raise the limit with --sandbox-timeout SECONDS"
        ),
        "{outcome}"
    );
    assert!(started.elapsed().as_secs() < 30, "stopping took {:?}", started.elapsed());
    assert_eq!(snapshot_differences(&before, &snapshot_tree(project.path())), Vec::<String>::new());
}

#[test]
fn debug_reports_the_cache_and_the_cost() {
    let project = tiny_project();
    let cache = support::temp_dir("flit-sandbox-own-cache-");
    let env = vec![("XDG_CACHE_HOME".to_owned(), cache.path().display().to_string())];
    let args: Vec<String> = ["--debug", "build", "--sandbox"].map(String::from).to_vec();

    let cold = run(&flit_binary(), &args, project.path(), &env);
    assert!(cold.succeeded(), "{cold}");
    assert!(cold.stderr.contains("sandbox: module compiled and cached in"), "{cold}");
    let entries = support::file_names(&cache.path().join("flit-rs").join("sandbox"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].ends_with(".cwasm"), "{entries:?}");

    let warm = run(&flit_binary(), &args, project.path(), &env);
    assert!(warm.succeeded(), "{warm}");
    assert!(warm.stderr.contains("sandbox: module loaded from"), "{warm}");
    assert!(warm.stderr.contains("billion instructions"), "{warm}");
}

#[test]
fn a_damaged_or_unwritable_cache_only_costs_time() {
    let project = tiny_project();
    let cache = support::temp_dir("flit-sandbox-damaged-cache-");
    let env = vec![("XDG_CACHE_HOME".to_owned(), cache.path().display().to_string())];
    let args: Vec<String> = ["--debug", "build", "--sandbox"].map(String::from).to_vec();
    assert!(run(&flit_binary(), &args, project.path(), &env).succeeded());

    // Damage the entry: it is detected, ignored, and rewritten.
    let directory = cache.path().join("flit-rs").join("sandbox");
    let entry = directory.join(&support::file_names(&directory)[0]);
    let mut bytes = fs::read(&entry).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(&entry, &bytes).unwrap();
    let outcome = run(&flit_binary(), &args, project.path(), &env);
    assert!(outcome.succeeded(), "{outcome}");
    assert!(outcome.stderr.contains("cache not used: damaged cache entry"), "{outcome}");
    let outcome = run(&flit_binary(), &args, project.path(), &env);
    assert!(outcome.stderr.contains("sandbox: module loaded from"), "the entry was not rewritten:\n{outcome}");

    // A cache location that cannot be created.
    let blocked = cache.path().join("blocked");
    fs::write(&blocked, "not a directory").unwrap();
    let env = vec![("XDG_CACHE_HOME".to_owned(), blocked.display().to_string())];
    let outcome = run(&flit_binary(), &args, project.path(), &env);
    assert!(outcome.succeeded(), "{outcome}");
    assert!(outcome.stderr.contains("cache not used: cannot write the cache entry"), "{outcome}");
}

#[test]
fn the_guest_cannot_write_into_the_read_only_project() {
    // The runner directly: the same module, the project preopened read-only
    // and the output asked for inside it.
    use flit_cli::sandbox::{EMBEDDED_MODULE, Invocation, Limits, Preopen};
    let (runner, _) = flit_cli::sandbox::module::load(EMBEDDED_MODULE, Some(&shared_cache().join("flit-rs"))).unwrap();
    let project = tiny_project();
    let before = snapshot_tree(project.path());
    let invocation = Invocation {
        args: ["flit", "build", "--outdir", "dist"].map(String::from).to_vec(),
        env: vec![],
        preopens: vec![Preopen { host: project.path().to_path_buf(), guest: ".".into(), writable: false }],
        limits: Limits::default(),
    };
    let outcome = runner.run(&invocation).unwrap();
    let stderr = String::from_utf8_lossy(&outcome.stderr);
    assert_eq!(outcome.exit_code, 1, "{stderr}");
    assert_eq!(snapshot_differences(&before, &snapshot_tree(project.path())), Vec::<String>::new(), "{stderr}");
}
