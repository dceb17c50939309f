//! Shared helpers of the integration tests that build the fixtures in
//! `tests/fixtures/` with our `flit` and with the reference, flit_core 4.2.0.
//!
//! - where the fixtures are, and the per-fixture options and expectations;
//! - the Python of the test virtualenv (`FLIT_TEST_PYTHON`);
//! - copying a fixture into a fresh temporary directory (symlinks and
//!   executable bits preserved);
//! - running our binary, `tests/support/flit_core_build.py` and the flit CLI,
//!   each with a timeout and a cleaned environment;
//! - readers for wheels ([`wheel`]) and sdists ([`sdist`]) that expose every
//!   field the comparisons need, and the comparisons themselves ([`compare`]).
//!
//! Used by several test crates through `#[path = "support/mod.rs"] mod support;`,
//! each using a different part of it.
#![allow(dead_code)]

pub mod compare;
pub mod expected;
pub mod sdist;
pub mod wheel;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// The epoch the differential tests build with.
pub const EPOCH: &str = "1700000000";

/// An epoch before 1980: zip timestamps clamp to 1980-01-01, tar mtimes do not.
pub const EPOCH_BEFORE_1980: &str = "315000000";

/// Our documented default for `SOURCE_DATE_EPOCH` (2016-01-01T00:00:00Z).
pub const DEFAULT_EPOCH: &str = "1451606400";

/// How long one build may take before it counts as hung.
const TIMEOUT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------
// Where things are

/// The repository root (the workspace folder).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("wasi-cli/ has a parent").to_path_buf()
}

/// `tests/fixtures/build` or `tests/fixtures/errors`.
pub fn fixtures_dir(kind: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(kind)
}

/// The names of the fixture directories of one kind, sorted.
pub fn fixture_names(kind: &str) -> Vec<String> {
    let dir = fixtures_dir(kind);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("readable directory entry"))
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Our binary.
pub fn flit_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_flit"))
}

/// `tests/support/flit_core_build.py`.
pub fn reference_helper() -> PathBuf {
    repo_root().join("tests").join("support").join("flit_core_build.py")
}

/// The Python of the test virtualenv, which has flit 4.2.0 and flit_core 4.2.0.
///
/// Never skips: a differential test that silently compares against nothing
/// would prove nothing.
pub fn test_python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let help = "These tests compare our archives with flit_core 4.2.0 and need a Python that has it.\n\
                 Run them with tests/run.sh, which creates that virtualenv (from tests/requirements.txt)\n\
                 and sets FLIT_TEST_PYTHON; or make one yourself:\n    \
                 python3 -m venv .venv-test && .venv-test/bin/pip install -r tests/requirements.txt\n    \
                 FLIT_TEST_PYTHON=$PWD/.venv-test/bin/python cargo test";
            let Some(value) = std::env::var_os("FLIT_TEST_PYTHON").filter(|value| !value.is_empty()) else {
                panic!("FLIT_TEST_PYTHON is not set.\n{help}");
            };
            let python = PathBuf::from(value);
            if !python.is_file() {
                panic!("FLIT_TEST_PYTHON={} is not a file.\n{help}", python.display());
            }
            python
        })
        .clone()
}

// ---------------------------------------------------------------------------
// Temporary copies of fixtures

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(prefix).tempdir().expect("can create a temporary directory")
}

/// Copies `source` to `destination` (which must not exist): regular files with
/// their bytes and permission bits, symlinks as symlinks with the same target,
/// directories recursively. Anything else is an error in the fixture.
pub fn copy_tree(source: &Path, destination: &Path) {
    let metadata = fs::symlink_metadata(source).unwrap_or_else(|error| panic!("{}: {error}", source.display()));
    let kind = metadata.file_type();
    if kind.is_symlink() {
        let target = fs::read_link(source).expect("readable symlink");
        symlink(&target, destination).unwrap_or_else(|error| panic!("{}: {error}", destination.display()));
    } else if kind.is_dir() {
        fs::create_dir(destination).unwrap_or_else(|error| panic!("{}: {error}", destination.display()));
        let mut entries: Vec<_> =
            fs::read_dir(source).expect("readable directory").map(|e| e.expect("entry")).collect();
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            copy_tree(&entry.path(), &destination.join(entry.file_name()));
        }
    } else if kind.is_file() {
        fs::copy(source, destination).unwrap_or_else(|error| panic!("{}: {error}", source.display()));
        let mode = metadata.permissions().mode() & 0o7777;
        fs::set_permissions(destination, fs::Permissions::from_mode(mode)).expect("can set permissions");
    } else {
        panic!("{} is neither a file, a directory nor a symlink", source.display());
    }
}

/// A build fixture copied into a temporary directory, with the files of its
/// `create-files` option made.
pub struct FixtureCopy {
    /// Keeps the directory alive.
    pub temp: tempfile::TempDir,
    /// The copied project (the directory with the config file).
    pub project: PathBuf,
}

/// Copies `tests/fixtures/build/<name>` to `<temp>/<name>`.
pub fn copy_build_fixture(name: &str, options: &FixtureOptions) -> FixtureCopy {
    let temp = temp_dir(&format!("flit-build-{name}-"));
    let project = temp.path().join(name);
    copy_tree(&fixtures_dir("build").join(name), &project);
    for relative in &options.create_files {
        let path = project.join(relative);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("can create directories");
        fs::write(&path, format!("made at test time: {relative}")).expect("can write a file");
    }
    for (relative, size) in &options.generate_files {
        let path = project.join(relative);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("can create directories");
        fs::write(&path, generated_text(relative, *size)).expect("can write a file");
    }
    FixtureCopy { temp, project }
}

/// Every file directly in `dist`, with its bytes (empty if `dist` is missing).
pub fn archives(dist: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = fs::read_dir(dist) else { return BTreeMap::new() };
    entries
        .map(|entry| {
            let entry = entry.expect("can list the output directory");
            let name = entry.file_name().to_str().expect("archive names are UTF-8").to_owned();
            (name, fs::read(entry.path()).expect("can read an archive"))
        })
        .collect()
}

/// `FLIT_EXECUTABLES` for a copy of a project at `root`, as the sandbox's
/// host computes it.
pub fn executables(root: &Path) -> String {
    flit_cli::sandbox::executables::list_executables(root, flit_cli::sandbox::executables::MAX_ENTRIES)
        .expect("a fixture has few files")
}

/// The WASI module of `FLIT_WASM`, compiled once per test crate.
pub fn wasi_runner() -> &'static flit_cli::sandbox::Runner {
    static RUNNER: OnceLock<flit_cli::sandbox::Runner> = OnceLock::new();
    RUNNER.get_or_init(|| {
        let path = std::env::var_os("FLIT_WASM").unwrap_or_else(|| {
            panic!(
                "FLIT_WASM is not set: build the WASI module with \
                 `cargo build -p flit-cli --target wasm32-wasip1 --profile wasm` and set FLIT_WASM to \
                 target/wasm32-wasip1/wasm/flit.wasm (tests/run.sh does both)"
            )
        });
        let wasm = fs::read(&path).unwrap_or_else(|error| panic!("cannot read FLIT_WASM={}: {error}", path.display()));
        let engine = flit_cli::sandbox::Runner::engine().expect("a wasmtime engine");
        flit_cli::sandbox::Runner::compile(&engine, &wasm).expect("flit.wasm compiles")
    })
}

/// `size` bytes of text that compresses about as well as source code, the
/// same on every run for the same `seed`.
pub fn generated_text(seed: &str, size: usize) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "def", "return", "self", "value", "config", "import", "from", "class", "if", "else", "None", "True", "for",
        "in", "range", "len", "print", "result", "items", "key", "=", "==", "(", ")", ":", ",", "[", "]", "+", "1",
    ];
    let mut state = seed.bytes().fold(2_166_136_261u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(16_777_619));
    let mut text = Vec::with_capacity(size + 16);
    while text.len() < size {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        if state % 11 == 0 {
            text.push(b'\n');
            text.extend(std::iter::repeat_n(b' ', (state as usize >> 8) % 3 * 4));
        }
        text.extend_from_slice(WORDS[(state >> 16) as usize % WORDS.len()].as_bytes());
        if state % 7 == 0 {
            // Identifiers that vary, as names in real code do.
            text.extend_from_slice(format!("_{}", state % 997).as_bytes());
        }
        text.push(b' ');
    }
    text.truncate(size);
    text
}

/// Copies `tests/fixtures/errors/<name>` (the project and the files beside it
/// that its symlinks and `..` paths point at) to `<temp>/<name>`; `project`
/// is `<temp>/<name>/project`.
pub fn copy_error_fixture(name: &str) -> FixtureCopy {
    let temp = temp_dir(&format!("flit-error-{name}-"));
    let root = temp.path().join(name);
    copy_tree(&fixtures_dir("errors").join(name), &root);
    FixtureCopy { temp, project: root.join("project") }
}

/// What a directory tree holds, to check that a failed build changed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeEntry {
    /// A regular file: permission bits and bytes.
    File {
        /// Permission bits.
        mode: u32,
        /// Contents.
        bytes: Vec<u8>,
    },
    /// A directory.
    Directory,
    /// A symlink and its target.
    Symlink(PathBuf),
    /// A FIFO, socket or device.
    Special,
}

/// Every entry under `root`, keyed by its path relative to `root`.
pub fn snapshot_tree(root: &Path) -> BTreeMap<PathBuf, TreeEntry> {
    fn walk(root: &Path, relative: &Path, into: &mut BTreeMap<PathBuf, TreeEntry>) {
        let path = root.join(relative);
        let metadata = fs::symlink_metadata(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let kind = metadata.file_type();
        let entry = if kind.is_symlink() {
            TreeEntry::Symlink(fs::read_link(&path).expect("readable symlink"))
        } else if kind.is_dir() {
            for child in fs::read_dir(&path).expect("readable directory") {
                walk(root, &relative.join(child.expect("entry").file_name()), into);
            }
            TreeEntry::Directory
        } else if kind.is_file() {
            TreeEntry::File { mode: metadata.permissions().mode() & 0o7777, bytes: fs::read(&path).expect("readable") }
        } else {
            TreeEntry::Special
        };
        into.insert(relative.to_path_buf(), entry);
    }
    let mut entries = BTreeMap::new();
    if root.exists() {
        walk(root, Path::new(""), &mut entries);
    }
    entries
}

/// A readable account of how two snapshots differ (empty if they do not).
pub fn snapshot_differences(
    before: &BTreeMap<PathBuf, TreeEntry>,
    after: &BTreeMap<PathBuf, TreeEntry>,
) -> Vec<String> {
    let mut differences = Vec::new();
    for (path, entry) in after {
        match before.get(path) {
            None => differences.push(format!("created {}", path.display())),
            Some(old) if old != entry => differences.push(format!("changed {}", path.display())),
            Some(_) => {}
        }
    }
    for path in before.keys().filter(|path| !after.contains_key(*path)) {
        differences.push(format!("removed {}", path.display()));
    }
    const SHOWN: usize = 12;
    if differences.len() > SHOWN {
        let more = differences.len() - SHOWN;
        differences.truncate(SHOWN);
        differences.push(format!("... and {more} more"));
    }
    differences
}

// ---------------------------------------------------------------------------
// Running programs

/// The result of running a program.
pub struct Outcome {
    /// The command line, for messages.
    pub command: String,
    /// The working directory, for messages.
    pub cwd: PathBuf,
    /// The exit status; `None` if killed by a signal or the timeout.
    pub status: Option<i32>,
    /// True if it ran longer than the timeout and was killed.
    pub timed_out: bool,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Outcome {
    /// True if the program exited with status 0.
    pub fn succeeded(&self) -> bool {
        self.status == Some(0)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = match (self.timed_out, self.status) {
            (true, _) => format!("killed after {} s", TIMEOUT.as_secs()),
            (false, Some(code)) => format!("exit status {code}"),
            (false, None) => "killed by a signal".to_owned(),
        };
        writeln!(formatter, "$ (cd {} && {})", self.cwd.display(), self.command)?;
        writeln!(formatter, "{status}")?;
        if !self.stdout.trim().is_empty() {
            writeln!(formatter, "--- stdout\n{}", self.stdout.trim_end())?;
        }
        if !self.stderr.trim().is_empty() {
            writeln!(formatter, "--- stderr\n{}", self.stderr.trim_end())?;
        }
        Ok(())
    }
}

/// Runs `program args` in `cwd` with a clean build environment plus `env`,
/// killing it after [`TIMEOUT`].
///
/// Clean means: `SOURCE_DATE_EPOCH` and `FLIT_ALLOW_INVALID` removed (the
/// caller sets them when wanted), `FLIT_NO_NETWORK=1`, and `XDG_CACHE_HOME`
/// pointed at an empty temporary directory so no cached classifier list is used.
pub fn run(program: &Path, args: &[String], cwd: &Path, env: &[(String, String)]) -> Outcome {
    let cache = temp_dir("flit-test-cache-");
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("FLIT_ALLOW_INVALID")
        .env("FLIT_NO_NETWORK", "1")
        .env("XDG_CACHE_HOME", cache.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let shown = std::iter::once(program.display().to_string())
        .chain(args.iter().map(|arg| shell_quote(arg)))
        .collect::<Vec<_>>()
        .join(" ");
    let shown = env.iter().map(|(key, value)| format!("{key}={} ", shell_quote(value))).collect::<String>() + &shown;

    let mut child = command.spawn().unwrap_or_else(|error| panic!("cannot run {shown}: {error}"));
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("can wait for the child") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("can wait for the killed child");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stdout = out_reader.join().expect("stdout reader");
    let stderr = err_reader.join().expect("stderr reader");
    Outcome {
        command: shown,
        cwd: cwd.to_path_buf(),
        status: if timed_out { None } else { status.code() },
        timed_out,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn shell_quote(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:+,".contains(&b)) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// A package format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `--format wheel`
    Wheel,
    /// `--format sdist`
    Sdist,
}

impl Format {
    /// The `--format` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Wheel => "wheel",
            Format::Sdist => "sdist",
        }
    }

    /// Parses a `--format` value.
    pub fn parse(text: &str) -> Format {
        match text {
            "wheel" => Format::Wheel,
            "sdist" => Format::Sdist,
            other => panic!("unknown format {other:?}"),
        }
    }
}

fn format_args(formats: &[Format]) -> Vec<String> {
    formats.iter().flat_map(|format| ["--format".to_owned(), format.as_str().to_owned()]).collect()
}

/// Runs our `flit [-f config] build [--format ...]` in `project`.
///
/// `FLIT_PYTHON` points at the test virtualenv's Python, the interpreter our
/// import fallback uses for `__version__`/docstrings it cannot read statically
/// (flit_core runs that fallback in its own interpreter, the same one).
pub fn run_ours(project: &Path, config: &str, formats: &[Format], env: &[(String, String)]) -> Outcome {
    let mut env = env.to_vec();
    env.insert(0, ("FLIT_PYTHON".to_owned(), test_python().display().to_string()));
    let env = env.as_slice();
    let mut args = Vec::new();
    if config != "pyproject.toml" {
        args.extend(["-f".to_owned(), config.to_owned()]);
    }
    args.push("build".to_owned());
    args.extend(format_args(formats));
    run(&flit_binary(), &args, project, env)
}

/// Runs `flit_core_build.py project out_dir` (flit_core 4.2.0's PEP 517 hooks,
/// the way `flit build` uses them).
pub fn run_reference(
    project: &Path,
    out_dir: &Path,
    config: &str,
    formats: &[Format],
    env: &[(String, String)],
) -> Outcome {
    let mut args = vec![
        reference_helper().display().to_string(),
        project.display().to_string(),
        out_dir.display().to_string(),
        "--config".to_owned(),
        config.to_owned(),
    ];
    args.extend(format_args(formats));
    let outcome = run(&test_python(), &args, project.parent().unwrap_or(project), env);
    if outcome.status == Some(3) {
        panic!("the reference helper cannot use flit_core 4.2.0:\n{outcome}");
    }
    outcome
}

/// The file names the reference helper printed.
pub fn reference_files(outcome: &Outcome) -> Vec<String> {
    let line = outcome.stdout.lines().last().unwrap_or_default();
    let value: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|error| panic!("the helper printed no JSON ({error}):\n{outcome}"));
    let mut files: Vec<String> =
        ["sdist", "wheel"].iter().filter_map(|key| value.get(key)?.as_str().map(str::to_owned)).collect();
    files.sort();
    files
}

/// Runs the real flit 4.2.0 CLI: `python -m flit build [--format ...]` in
/// `project` (with `FLIT_NO_NETWORK=1`, so the classifier list is not fetched).
pub fn run_flit_cli(project: &Path, formats: &[Format], env: &[(String, String)]) -> Outcome {
    let mut args = vec!["-m".to_owned(), "flit".to_owned(), "build".to_owned()];
    args.extend(format_args(formats));
    run(&test_python(), &args, project, env)
}

// ---------------------------------------------------------------------------
// Per-fixture options and expectations

fn read_toml(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.parse::<toml::Table>().unwrap_or_else(|error| panic!("{} is not valid TOML: {error}", path.display()))
}

fn string_list(value: Option<&toml::Value>, what: &str) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().unwrap_or_else(|| panic!("{what}: {item:?} is not a string")).to_owned())
            .collect(),
        Some(other) => panic!("{what} should be a list of strings, not {other:?}"),
    }
}

/// The options of a build fixture, from `tests/fixtures/build/fixtures.toml`.
#[derive(Debug, Clone, Default)]
pub struct FixtureOptions {
    /// The config file given with `-f`; `pyproject.toml` by default.
    pub config: String,
    /// Extra environment for both builds.
    pub env: Vec<(String, String)>,
    /// Files to create after copying (git cannot hold them).
    pub create_files: Vec<String>,
    /// Large files generated after copying, with their sizes in bytes
    /// (text that compresses like source code; too big to keep in git).
    pub generate_files: Vec<(String, usize)>,
    /// Diagnostic codes our build must report as warnings.
    pub warnings: Vec<String>,
    /// Lines flit writes into METADATA/PKG-INFO that flit-rs deliberately
    /// leaves out (see `expected.rs`).
    pub drop_metadata_lines: Vec<String>,
    /// The version or docstring can only be read by importing the module:
    /// builds without Python (WASI, the sandbox) must refuse it clearly.
    pub needs_python: bool,
}

impl FixtureOptions {
    /// The options of the build fixture `name`.
    pub fn load(name: &str) -> FixtureOptions {
        let path = fixtures_dir("build").join("fixtures.toml");
        let table = read_toml(&path);
        let mut options = FixtureOptions { config: "pyproject.toml".to_owned(), ..FixtureOptions::default() };
        let Some(entry) = table.get(name) else { return options };
        let entry = entry.as_table().unwrap_or_else(|| panic!("{}: [{name}] should be a table", path.display()));
        for key in entry.keys() {
            assert!(
                ["config", "env", "create-files", "generate-files", "warnings", "needs-python", "drop-metadata-lines"]
                    .contains(&key.as_str()),
                "{}: unknown option {key:?} for {name}",
                path.display()
            );
        }
        if let Some(config) = entry.get("config") {
            options.config = config.as_str().expect("config is a string").to_owned();
        }
        if let Some(env) = entry.get("env") {
            let env = env.as_table().expect("env is a table");
            options.env = env
                .iter()
                .map(|(key, value)| (key.clone(), value.as_str().expect("env values are strings").to_owned()))
                .collect();
        }
        options.create_files = string_list(entry.get("create-files"), "create-files");
        if let Some(generate) = entry.get("generate-files") {
            let generate = generate.as_table().expect("generate-files is a table of sizes");
            options.generate_files = generate
                .iter()
                .map(|(file, size)| {
                    let size = size.as_integer().and_then(|size| usize::try_from(size).ok());
                    (file.clone(), size.expect("generate-files sizes are byte counts"))
                })
                .collect();
        }
        options.warnings = string_list(entry.get("warnings"), "warnings");
        options.drop_metadata_lines = string_list(entry.get("drop-metadata-lines"), "drop-metadata-lines");
        options.needs_python = entry.get("needs-python").is_some_and(|value| value.as_bool() == Some(true));
        options
    }
}

/// Which reference must reject an error fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectedBy {
    /// The backend: `build_sdist`/`build_wheel` of flit_core 4.2.0.
    FlitCore,
    /// Only the flit 4.2.0 CLI (its extra validation, flit-behaviour.md §4.11).
    Flit,
}

/// `tests/fixtures/errors/<name>/expected.toml`.
#[derive(Debug, Clone)]
pub struct Expected {
    /// Our diagnostic code.
    pub code: String,
    /// The project-relative file the diagnostic is about; `None` means any
    /// file (only allowed without a line).
    pub file: Option<String>,
    /// 1-based line, if the problem has a place.
    pub line: Option<usize>,
    /// 1-based column in characters; `None` means any column on `line`.
    pub column: Option<usize>,
    /// For a problem inside a string: the last column (inclusive) the
    /// diagnostic may point at, so that anywhere from `column` (the opening
    /// quote) to the closing quote is accepted.
    pub end_column: Option<usize>,
    /// Formats to build; both when absent.
    pub formats: Vec<Format>,
    /// Which reference rejects it.
    pub rejected_by: RejectedBy,
    /// A fragment of the reference's error text.
    pub reference_message: String,
}

impl Expected {
    /// Reads the expectations of the error fixture `name`.
    pub fn load(name: &str) -> Expected {
        let path = fixtures_dir("errors").join(name).join("expected.toml");
        let table = read_toml(&path);
        let known = ["code", "file", "line", "column", "end-column", "formats", "rejected-by", "reference-message"];
        for key in table.keys() {
            assert!(known.contains(&key.as_str()), "{}: unknown key {key:?}", path.display());
        }
        let string = |key: &str| table.get(key).and_then(toml::Value::as_str).map(str::to_owned);
        let number = |key: &str| {
            table.get(key).map(|value| {
                let number =
                    value.as_integer().unwrap_or_else(|| panic!("{}: {key} is not an integer", path.display()));
                usize::try_from(number).expect("a positive number")
            })
        };
        let line = number("line");
        let file = string("file").or_else(|| line.map(|_| "pyproject.toml".to_owned()));
        let rejected_by = match string("rejected-by").as_deref() {
            Some("flit_core") => RejectedBy::FlitCore,
            Some("flit") => RejectedBy::Flit,
            other => panic!("{}: rejected-by must be \"flit_core\" or \"flit\", not {other:?}", path.display()),
        };
        let formats = string_list(table.get("formats"), "formats").iter().map(|f| Format::parse(f)).collect();
        Expected {
            code: string("code").unwrap_or_else(|| panic!("{}: no code", path.display())),
            file,
            line,
            column: number("column"),
            end_column: number("end-column"),
            formats,
            rejected_by,
            reference_message: string("reference-message")
                .unwrap_or_else(|| panic!("{}: no reference-message", path.display())),
        }
    }

    /// Where the diagnostic must point, as `file:line:column` (with `*` for
    /// what is not checked).
    pub fn place(&self) -> String {
        let file = self.file.as_deref().unwrap_or("*");
        match (self.line, self.column) {
            (Some(line), Some(column)) => match self.end_column {
                Some(end) => format!("{file}:{line}:{column}..={end}"),
                None => format!("{file}:{line}:{column}"),
            },
            (Some(line), None) => format!("{file}:{line}:*"),
            _ => file.to_owned(),
        }
    }
}

// ---------------------------------------------------------------------------
// Our diagnostics

/// One `place: severity[code]: message` line our binary printed, with the
/// `help:` line that belongs to it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedDiagnostic {
    /// The file part of the place.
    pub file: String,
    /// The line, if the place has one.
    pub line: Option<usize>,
    /// The column, if the place has one.
    pub column: Option<usize>,
    /// `error` or `warning`.
    pub severity: String,
    /// The kebab-case code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The text after `help:` of the first indented `help:` line between this
    /// headline and the next one (a source snippet may come in between).
    pub help: Option<String>,
    /// The headline as printed.
    pub text: String,
}

/// Parses one `place: severity[code]: message` line (without its help).
fn parse_headline(line: &str) -> Option<PrintedDiagnostic> {
    for severity in ["error", "warning"] {
        let marker = format!(": {severity}[");
        let Some(at) = line.find(&marker) else { continue };
        let rest = &line[at + marker.len()..];
        let Some((code, message)) = rest.split_once("]: ") else { continue };
        let (file, line_number, column) = split_place(&line[..at]);
        return Some(PrintedDiagnostic {
            file,
            line: line_number,
            column,
            severity: severity.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
            help: None,
            text: line.to_owned(),
        });
    }
    None
}

/// Every diagnostic in `stderr`.
pub fn parse_diagnostics(stderr: &str) -> Vec<PrintedDiagnostic> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(mut diagnostic) = parse_headline(line) else { continue };
        diagnostic.help =
            lines[index + 1..].iter().take_while(|next| parse_headline(next).is_none()).find_map(|next| {
                let trimmed = next.trim_start();
                if trimmed.len() < next.len() {
                    trimmed.strip_prefix("help:").map(|help| help.trim().to_owned())
                } else {
                    None
                }
            });
        found.push(diagnostic);
    }
    found
}

fn split_place(place: &str) -> (String, Option<usize>, Option<usize>) {
    let mut parts = place.rsplitn(3, ':');
    let last = parts.next();
    let middle = parts.next();
    let first = parts.next();
    if let (Some(column), Some(line), Some(file)) = (last, middle, first)
        && let (Ok(line), Ok(column)) = (line.parse(), column.parse())
    {
        return (file.to_owned(), Some(line), Some(column));
    }
    (place.to_owned(), None, None)
}

/// The names in `dir`, sorted (empty if it does not exist).
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}
