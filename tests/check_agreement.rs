//! `flit check` against the reference tools: flit 4.2.0's command line and
//! validate-pyproject 0.27 (with `trove-classifiers`, so classifiers are
//! validated offline).
//!
//! - For every fixture of `tests/fixtures/check/invalid/` and `many/`: when
//!   `python -m flit build` or `python -m validate_pyproject pyproject.toml`
//!   rejects the project, our `flit check` must report at least one error.
//!   The only exceptions are deliberate differences, recorded in the
//!   fixture's `fixture.toml` as `known-difference` (where we warn instead);
//!   a recorded difference that no longer happens fails the test, so records
//!   cannot go stale.
//! - The converse, for information: where we report an error and both tools
//!   accept, `fixture.toml` must say why (`why-others-accept`), e.g. a check
//!   neither tool does.
//! - Every fixture of `valid/` must be built by flit 4.2.0 and accepted by
//!   validate-pyproject (our side is `check_fixtures.rs`).
//!
//! The table of which tool rejects which fixture is printed (run with
//! `--nocapture` to see it) and is part of every failure message.
//!
//! How the tools run: in a temporary copy of the fixture, with the Python of
//! `FLIT_TEST_PYTHON` in isolated mode (`-I`, so a fixture's own package named
//! like an installed one, `flit/` or `docutils/`, cannot shadow it), with
//! `FLIT_NO_NETWORK=1` and `NO_NETWORK=1`. `FLIT_NO_NETWORK` makes flit skip
//! its classifier check entirely (it would download the list): flit never
//! rejects a classifier here; validate-pyproject checks them against the
//! installed `trove-classifiers` package.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

#[path = "support/mod.rs"]
mod support;

#[path = "check_support/mod.rs"]
mod check_support;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use check_support::{CheckFixture, Kind, Place, check_env, fixtures, in_parallel, run_check_json};
use support::Outcome;

/// The reference versions the verdicts were recorded with.
const FLIT_VERSION: &str = "4.2.0";
const VALIDATE_PYPROJECT_VERSION: &str = "0.27";

/// Fails loudly unless the test Python has the pinned reference tools and
/// `trove-classifiers` (without it validate-pyproject would try the network).
fn check_reference_tools() {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let script = "import flit, validate_pyproject, trove_classifiers; \
                      print(flit.__version__, validate_pyproject.__version__)";
        let outcome = support::run(
            &support::test_python(),
            &["-I".to_owned(), "-c".to_owned(), script.to_owned()],
            &support::repo_root(),
            &[],
        );
        assert!(
            outcome.succeeded(),
            "FLIT_TEST_PYTHON lacks flit, validate-pyproject or trove-classifiers \
             (install tests/requirements.txt):\n{outcome}"
        );
        assert_eq!(
            outcome.stdout.split_whitespace().collect::<Vec<_>>(),
            [FLIT_VERSION, VALIDATE_PYPROJECT_VERSION],
            "FLIT_TEST_PYTHON has other versions of flit and validate-pyproject than tests/requirements.txt pins"
        );
    });
}

/// What one reference tool said.
#[derive(Debug, Clone)]
struct Verdict {
    /// False if it exited with a non-zero status.
    accepted: bool,
    /// The first line that explains a rejection, for the table.
    reason: String,
}

impl Verdict {
    fn word(&self) -> &'static str {
        if self.accepted { "accepts" } else { "REJECTS" }
    }
}

fn verdict(outcome: &Outcome, is_reason: impl Fn(&str) -> bool) -> Verdict {
    let accepted = outcome.succeeded();
    let text = format!("{}\n{}", outcome.stdout, outcome.stderr);
    let reason = if accepted {
        String::new()
    } else {
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
        let line = lines.iter().find(|line| is_reason(line)).or(lines.last()).copied().unwrap_or("(no output)");
        let mut reason: String = line.chars().take(110).collect();
        if line.chars().count() > 110 {
            reason.push('…');
        }
        if outcome.timed_out {
            reason = format!("timed out: {reason}");
        }
        reason
    };
    Verdict { accepted, reason }
}

/// `python -I -m flit build` in a copy of the project.
fn flit_verdict(project: &Path) -> Verdict {
    let args = ["-I", "-m", "flit", "build"].map(str::to_owned);
    let outcome = support::run(&support::test_python(), &args, project, &[]);
    verdict(&outcome, |line| {
        line.contains("E-flit")
            || line.starts_with("Config error")
            || line.contains("Error:")
            || line.contains("Error(")
    })
}

/// `python -I -m validate_pyproject pyproject.toml` in a copy of the project.
fn validate_pyproject_verdict(project: &Path) -> Verdict {
    let args = ["-I", "-m", "validate_pyproject", "pyproject.toml"].map(str::to_owned);
    let env = [("NO_NETWORK", "1"), ("VALIDATE_PYPROJECT_NO_NETWORK", "1")]
        .map(|(key, value)| (key.to_owned(), value.to_owned()));
    let outcome = support::run(&support::test_python(), &args, project, &env);
    verdict(&outcome, |line| line.starts_with("[ERROR]"))
}

/// Everything known about one fixture.
struct Row {
    label: String,
    flit: Verdict,
    validate_pyproject: Verdict,
    /// Our errors and warnings.
    ours: Vec<Place>,
    /// A failure of the agreement rules, if any.
    problem: Option<String>,
}

impl Row {
    fn our_word(&self) -> String {
        let errors = self.ours.iter().filter(|place| place.is_error()).count();
        let warnings = self.ours.len() - errors;
        match (errors, warnings) {
            (0, 0) => "clean".to_owned(),
            (0, _) => format!("{warnings} warning(s)"),
            (_, 0) => format!("{errors} error(s)"),
            _ => format!("{errors} error(s), {warnings} warning(s)"),
        }
    }
}

fn row(fixture: &CheckFixture) -> Row {
    let label = fixture.label();
    let (_flit_temp, flit_copy) = fixture.copy();
    let flit = flit_verdict(&flit_copy);
    let (_vpp_temp, vpp_copy) = fixture.copy();
    let validate_pyproject = validate_pyproject_verdict(&vpp_copy);
    let (_our_temp, our_copy) = fixture.copy();
    let ours = match run_check_json(&our_copy, &check_env(fixture)) {
        Ok(run) => run.places,
        Err(problem) => {
            return Row { label, flit, validate_pyproject, ours: Vec::new(), problem: Some(problem) };
        }
    };
    let we_error = ours.iter().any(Place::is_error);
    let a_tool_rejects = !flit.accepted || !validate_pyproject.accepted;
    let notes = &fixture.notes;
    let problem = match fixture.kind {
        Kind::Valid => a_tool_rejects
            .then(|| "a valid configuration must be accepted by flit 4.2 and validate-pyproject".to_owned()),
        Kind::Invalid | Kind::Many => {
            match (a_tool_rejects, we_error, &notes.known_difference, &notes.why_others_accept) {
                (true, false, None, _) => Some("a reference tool rejects the project, but flit check reports no error".to_owned()),
                (true, false, Some(_), _) if ours.is_empty() => {
                    Some("a known difference is recorded, but flit check does not even warn".to_owned())
                }
                (false, _, Some(_), _) | (_, true, Some(_), _) => Some(
                    "fixture.toml records a known difference that no longer happens (remove `known-difference`)".to_owned(),
                ),
                (false, true, _, None) => Some(
                    "flit check reports an error that flit 4.2 and validate-pyproject both accept: \
                     say why in fixture.toml (`why-others-accept`)"
                        .to_owned(),
                ),
                (true, _, _, Some(_)) => Some(
                    "fixture.toml says both tools accept (`why-others-accept`), but one rejects: remove the note".to_owned(),
                ),
                (false, false, _, Some(_)) => Some(
                    "fixture.toml explains an error (`why-others-accept`), but flit check reports none: remove the note"
                        .to_owned(),
                ),
                _ => None,
            }
        }
    };
    Row { label, flit, validate_pyproject, ours, problem }
}

fn table(rows: &[Row]) -> String {
    let width = rows.iter().map(|row| row.label.len()).max().unwrap_or(10).max(10);
    let mut text =
        format!("{:width$}  {:9}  {:18}  {}\n", "fixture", "flit 4.2", "validate-pyproject", "flit-rs check");
    for row in rows {
        let _ = writeln!(
            text,
            "{:width$}  {:9}  {:18}  {}{}",
            row.label,
            row.flit.word(),
            row.validate_pyproject.word(),
            row.our_word(),
            if row.problem.is_some() { "   <-- disagreement" } else { "" }
        );
    }
    text
}

fn reasons(rows: &[Row]) -> String {
    let mut text = String::new();
    for row in rows {
        for (tool, verdict) in [("flit", &row.flit), ("validate-pyproject", &row.validate_pyproject)] {
            if !verdict.accepted {
                let _ = writeln!(text, "{} ({tool}): {}", row.label, verdict.reason);
            }
        }
    }
    text
}

fn run_rows(kinds: &[Kind]) -> Vec<Row> {
    check_reference_tools();
    let fixtures: Vec<CheckFixture> = kinds.iter().flat_map(|kind| fixtures(*kind)).collect();
    assert!(!fixtures.is_empty(), "no fixtures in tests/fixtures/check");
    in_parallel(&fixtures, row)
}

fn assert_agreement(rows: &[Row], title: &str) {
    let table = table(rows);
    println!("{title}\n{table}\nWhy the reference tools reject:\n{}", reasons(rows));
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            row.problem.as_ref().map(|problem| {
                let ours: Vec<String> = row.ours.iter().map(ToString::to_string).collect();
                format!(
                    "{}: {problem}\n    flit 4.2: {} {}\n    validate-pyproject: {} {}\n    flit-rs: {ours:?}",
                    row.label,
                    row.flit.word(),
                    row.flit.reason,
                    row.validate_pyproject.word(),
                    row.validate_pyproject.reason
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{} disagreements:\n{}\n\n{title}\n{table}", failures.len(), failures.join("\n"));
}

#[test]
fn whenever_flit_or_validate_pyproject_rejects_a_fixture_flit_check_reports_an_error() {
    let rows = run_rows(&[Kind::Invalid, Kind::Many]);
    let who_rejects = |rows: &[Row], pick: fn(&Row) -> bool| rows.iter().filter(|row| pick(row)).count();
    let title = format!(
        "Invalid and many-problem fixtures: {} in all; flit {FLIT_VERSION} rejects {}, validate-pyproject {VALIDATE_PYPROJECT_VERSION} rejects {}, \
         both accept {} (where we report an error, fixture.toml says why)",
        rows.len(),
        who_rejects(&rows, |row| !row.flit.accepted),
        who_rejects(&rows, |row| !row.validate_pyproject.accepted),
        who_rejects(&rows, |row| row.flit.accepted && row.validate_pyproject.accepted),
    );
    assert_agreement(&rows, &title);
}

#[test]
fn flit_builds_and_validate_pyproject_accepts_every_valid_fixture() {
    let rows = run_rows(&[Kind::Valid]);
    assert!(rows.len() >= 20, "issue 3 asks for 20 valid configurations, there are {}", rows.len());
    assert_agreement(&rows, "Valid fixtures");
}
