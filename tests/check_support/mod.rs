//! Shared helpers of the `flit check` fixture tests (`check_fixtures.rs`,
//! `check_agreement.rs`, `check_wasi.rs`): the fixtures of
//! `tests/fixtures/check/`, their `fixture.toml` notes and `expected.json`
//! snapshots, and running our `flit check --format json` on a copy.
//!
//! Used through `#[path = "check_support/mod.rs"] mod check_support;` by
//! crates that also declare `#[path = "support/mod.rs"] mod support;`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{self, Outcome};

/// The files of a fixture directory that describe it rather than belong to
/// the project; they are left out of the copy a tool runs on.
pub const NOTE_FILES: &[&str] = &["fixture.toml", "expected.json"];

/// Which folder of `tests/fixtures/check/` a fixture is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `valid/`: configurations modelled on real projects; no error.
    Valid,
    /// `invalid/`: one problem each.
    Invalid,
    /// `many/`: ten problems or more each.
    Many,
}

impl Kind {
    /// Every kind, in the order the tests report them.
    pub const ALL: [Kind; 3] = [Kind::Invalid, Kind::Many, Kind::Valid];

    /// The folder name.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Valid => "valid",
            Kind::Invalid => "invalid",
            Kind::Many => "many",
        }
    }
}

/// What `fixture.toml` says about a fixture.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    /// `problem`: what is wrong (invalid and many fixtures).
    pub problem: Option<String>,
    /// `modelled-on`: the real project and what the fixture exercises
    /// (valid fixtures).
    pub modelled_on: Option<String>,
    /// `needs-python`: the version or docstring can only be read by
    /// importing the module, so a run without Python (WASI) must report
    /// `dynamic-needs-python` instead.
    pub needs_python: bool,
    /// `why-others-accept`: why we report an error where flit 4.2 and
    /// validate-pyproject both accept the project.
    pub why_others_accept: Option<String>,
    /// `known-difference`: why we only warn where flit 4.2 or
    /// validate-pyproject rejects the project (a deliberate difference).
    pub known_difference: Option<String>,
    /// `[warnings]`: for valid fixtures, each warning code we report and why
    /// it is right.
    pub warnings: BTreeMap<String, String>,
}

/// One fixture of `tests/fixtures/check/`.
#[derive(Debug, Clone)]
pub struct CheckFixture {
    /// Its folder.
    pub kind: Kind,
    /// The directory name.
    pub name: String,
    /// The fixture directory (the project root, plus the note files).
    pub dir: PathBuf,
    /// `fixture.toml`.
    pub notes: Notes,
}

impl CheckFixture {
    /// `invalid/name`, for messages.
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind.folder(), self.name)
    }

    /// `expected.json` beside the project.
    pub fn snapshot_path(&self) -> PathBuf {
        self.dir.join("expected.json")
    }

    /// Copies the project (without the note files) to a fresh temporary
    /// directory; the copy is `<temp>/<name>`.
    pub fn copy(&self) -> (tempfile::TempDir, PathBuf) {
        let temp = support::temp_dir(&format!("flit-check-{}-", self.name));
        let project = temp.path().join(&self.name);
        fs::create_dir(&project).unwrap_or_else(|error| panic!("{}: {error}", project.display()));
        let mut entries: Vec<_> = fs::read_dir(&self.dir)
            .unwrap_or_else(|error| panic!("{}: {error}", self.dir.display()))
            .map(|entry| entry.expect("readable entry"))
            .collect();
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let file_name = entry.file_name();
            if NOTE_FILES.iter().any(|note| file_name == *note) {
                continue;
            }
            support::copy_tree(&entry.path(), &project.join(&file_name));
        }
        (temp, project)
    }
}

fn read_notes(path: &Path) -> Notes {
    let text = fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let table: toml::Table =
        text.parse().unwrap_or_else(|error| panic!("{} is not valid TOML: {error}", path.display()));
    let known = ["problem", "modelled-on", "needs-python", "why-others-accept", "known-difference", "warnings"];
    for key in table.keys() {
        assert!(known.contains(&key.as_str()), "{}: unknown key {key:?} (known: {known:?})", path.display());
    }
    let string = |key: &str| {
        table.get(key).map(|value| {
            value.as_str().unwrap_or_else(|| panic!("{}: {key} must be a string", path.display())).to_owned()
        })
    };
    let warnings = match table.get("warnings") {
        None => BTreeMap::new(),
        Some(toml::Value::Table(warnings)) => warnings
            .iter()
            .map(|(code, why)| {
                let why =
                    why.as_str().unwrap_or_else(|| panic!("{}: warnings.{code} must be a string", path.display()));
                (code.clone(), why.to_owned())
            })
            .collect(),
        Some(_) => panic!("{}: warnings must be a table of code = \"why\"", path.display()),
    };
    Notes {
        problem: string("problem"),
        modelled_on: string("modelled-on"),
        needs_python: table.get("needs-python").is_some_and(|value| value.as_bool() == Some(true)),
        why_others_accept: string("why-others-accept"),
        known_difference: string("known-difference"),
        warnings,
    }
}

/// The fixtures of one kind, sorted by name.
pub fn fixtures(kind: Kind) -> Vec<CheckFixture> {
    let base = support::fixtures_dir("check");
    support::fixture_names(&format!("check/{}", kind.folder()))
        .into_iter()
        .map(|name| {
            let dir = base.join(kind.folder()).join(&name);
            let notes = read_notes(&dir.join("fixture.toml"));
            match kind {
                Kind::Valid => {
                    assert!(notes.modelled_on.is_some(), "{}: fixture.toml needs `modelled-on`", dir.display())
                }
                Kind::Invalid | Kind::Many => {
                    assert!(notes.problem.is_some(), "{}: fixture.toml needs `problem`", dir.display())
                }
            }
            CheckFixture { kind, name, dir, notes }
        })
        .collect()
}

/// Every fixture: invalid, many, then valid.
pub fn all_fixtures() -> Vec<CheckFixture> {
    Kind::ALL.iter().flat_map(|kind| fixtures(*kind)).collect()
}

/// Where and what a diagnostic is: the fields of a `flit check --format
/// json` record that a snapshot pins (not the message or help, whose
/// wording may improve).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// `error` or `warning`.
    pub severity: String,
    /// The stable code.
    pub code: String,
    /// The project-relative file.
    pub file: String,
    /// 1-based line, `None` for a problem without a place.
    pub line: Option<u64>,
    /// 1-based column in characters.
    pub column: Option<u64>,
    /// Line of the end of the span.
    pub end_line: Option<u64>,
    /// Column just after the end of the span.
    pub end_column: Option<u64>,
}

impl Place {
    /// Reads the pinned fields of one JSON record.
    pub fn from_json(record: &Value) -> Result<Place, String> {
        let text = |key: &str| {
            record
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("no string `{key}` in {record}"))
        };
        let number = |key: &str| match record.get(key) {
            Some(Value::Null) => Ok(None),
            Some(value) => value.as_u64().map(Some).ok_or_else(|| format!("`{key}` is not a number in {record}")),
            None => Err(format!("no `{key}` in {record}")),
        };
        Ok(Place {
            severity: text("severity")?,
            code: text("code")?,
            file: text("file")?,
            line: number("line")?,
            column: number("column")?,
            end_line: number("endLine")?,
            end_column: number("endColumn")?,
        })
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }

    /// The snapshot line for this place.
    pub fn to_json_line(&self) -> String {
        let number = |value: Option<u64>| value.map_or_else(|| "null".to_owned(), |n| n.to_string());
        format!(
            "{{\"severity\": {}, \"code\": {}, \"file\": {}, \"line\": {}, \"column\": {}, \"endLine\": {}, \"endColumn\": {}}}",
            Value::from(self.severity.as_str()),
            Value::from(self.code.as_str()),
            Value::from(self.file.as_str()),
            number(self.line),
            number(self.column),
            number(self.end_line),
            number(self.end_column),
        )
    }
}

impl fmt::Display for Place {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column, self.end_line, self.end_column) {
            (Some(line), Some(column), Some(end_line), Some(end_column)) => write!(
                formatter,
                "{}:{line}:{column}-{end_line}:{end_column} {}[{}]",
                self.file, self.severity, self.code
            ),
            _ => write!(formatter, "{} {}[{}]", self.file, self.severity, self.code),
        }
    }
}

/// A snapshot as written to `expected.json`: one record per line.
pub fn snapshot_text(places: &[Place]) -> String {
    if places.is_empty() {
        return "[]\n".to_owned();
    }
    let lines: Vec<String> = places.iter().map(|place| format!("  {}", place.to_json_line())).collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

/// Reads `expected.json`.
pub fn read_snapshot(path: &Path) -> Result<Vec<Place>, String> {
    let text = fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
    let records = value.as_array().ok_or_else(|| format!("{} is not a JSON array", path.display()))?;
    records.iter().map(Place::from_json).collect()
}

/// One run of our `flit check --format json`.
pub struct CheckRun {
    /// The process.
    pub outcome: Outcome,
    /// The parsed records (the whole JSON of stdout).
    pub json: Value,
    /// Their pinned fields.
    pub places: Vec<Place>,
}

/// The environment of our runs: with `needs_python`, `FLIT_PYTHON` is the
/// test virtualenv's Python, so the import fallback uses a known interpreter.
pub fn check_env(fixture: &CheckFixture) -> Vec<(String, String)> {
    if fixture.notes.needs_python {
        vec![("FLIT_PYTHON".to_owned(), support::test_python().display().to_string())]
    } else {
        Vec::new()
    }
}

/// Runs our `flit check --format json` in `project`.
pub fn run_check_json(project: &Path, env: &[(String, String)]) -> Result<CheckRun, String> {
    let args = ["check".to_owned(), "--format".to_owned(), "json".to_owned()];
    let outcome = support::run(&support::flit_binary(), &args, project, env);
    let json: Value = serde_json::from_str(&outcome.stdout)
        .map_err(|error| format!("`flit check --format json` did not print JSON ({error}):\n{outcome}"))?;
    let records = json.as_array().ok_or_else(|| format!("the JSON is not an array:\n{outcome}"))?;
    let places = records.iter().map(Place::from_json).collect::<Result<Vec<_>, _>>()?;
    Ok(CheckRun { outcome, json, places })
}

/// Runs `tasks` on two worker threads (the machines this runs on have two
/// cores) and returns the results in the order of `tasks`.
pub fn in_parallel<T: Sync, R: Send>(tasks: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::Mutex::new(0usize);
    let results: std::sync::Mutex<Vec<Option<R>>> = std::sync::Mutex::new((0..tasks.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut next = next.lock().expect("the counter lock");
                        let index = *next;
                        *next += 1;
                        index
                    };
                    let Some(task) = tasks.get(index) else { break };
                    let result = work(task);
                    results.lock().expect("the results lock")[index] = Some(result);
                }
            });
        }
    });
    results.into_inner().expect("the results lock").into_iter().map(|result| result.expect("every task ran")).collect()
}
