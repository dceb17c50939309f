//! `flit check` on the fixtures of `tests/fixtures/check/`: every diagnostic
//! has the code and the place its snapshot says.
//!
//! For every fixture (`invalid/`: one problem each; `many/`: ten or more;
//! `valid/`: configurations modelled on real flit projects), a temporary
//! copy is checked with `flit check --format json`, and the records' code,
//! severity, file, line, column, end line and end column must equal
//! `expected.json`, in order (messages and help are not pinned: their wording
//! may improve). The text report must show `file:line:column: severity[code]`
//! for each of them in the same order, and both runs exit with 1 exactly when
//! there is an error.
//!
//! `UPDATE_SNAPSHOTS=1` rewrites the snapshots that differ instead of
//! failing; review each rewritten file (`git diff tests/fixtures/check`):
//! a snapshot must show the right code at the right place.
//!
//! Fixtures whose module only gives its version or docstring when imported
//! (`needs-python = true` in `fixture.toml`) run with `FLIT_PYTHON` set to
//! `FLIT_TEST_PYTHON`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

#[path = "check_support/mod.rs"]
mod check_support;

use std::fs;

use check_support::{CheckFixture, Kind, Place, all_fixtures, check_env, fixtures, in_parallel, read_snapshot};

/// Checks one fixture; returns what is wrong, and whether its snapshot was
/// rewritten.
fn check_fixture(fixture: &CheckFixture, update: bool) -> Result<bool, String> {
    let (_temp, project) = fixture.copy();
    let env = check_env(fixture);
    let run = check_support::run_check_json(&project, &env)?;
    let has_error = run.places.iter().any(Place::is_error);
    let expected_status = if has_error { 1 } else { 0 };
    if run.outcome.status != Some(expected_status) {
        return Err(format!(
            "`flit check --format json` should exit with {expected_status} ({}):\n{}",
            if has_error { "there are errors" } else { "there is no error" },
            run.outcome
        ));
    }

    // The text report: the same problems, in the same order, each with its
    // `file:line:column: severity[code]` headline.
    let text = support::run(&support::flit_binary(), &["check".to_owned()], &project, &env);
    if text.status != Some(expected_status) {
        return Err(format!("`flit check` should exit with {expected_status}:\n{text}"));
    }
    let printed = support::parse_diagnostics(&text.stderr);
    let shown: Vec<String> = run
        .places
        .iter()
        .map(|place| match (place.line, place.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}: {}[{}]", place.file, place.severity, place.code),
            _ => format!("{}: {}[{}]", place.file, place.severity, place.code),
        })
        .collect();
    let printed_heads: Vec<String> = printed
        .iter()
        .map(|diagnostic| {
            let head = diagnostic.text.split("]: ").next().unwrap_or_default();
            format!("{head}]")
        })
        .collect();
    if shown != printed_heads {
        return Err(format!(
            "the text report does not show the JSON records' places:\n  JSON: {shown:#?}\n  text: {printed_heads:#?}\n{text}"
        ));
    }

    let path = fixture.snapshot_path();
    let actual_text = check_support::snapshot_text(&run.places);
    let expected = if path.exists() { Some(read_snapshot(&path)?) } else { None };
    if expected.as_deref() == Some(run.places.as_slice()) {
        return Ok(false);
    }
    if update {
        fs::write(&path, actual_text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        return Ok(true);
    }
    let Some(expected) = expected else {
        return Err(format!("no expected.json; run with UPDATE_SNAPSHOTS=1 and review it. We print:\n{actual_text}"));
    };
    let listing = |places: &[Place]| places.iter().map(|place| format!("    {place}")).collect::<Vec<_>>().join("\n");
    Err(format!(
        "the diagnostics differ from expected.json\n  expected:\n{}\n  actual:\n{}\n  messages:\n{}",
        listing(&expected),
        listing(&run.places),
        run.json
            .as_array()
            .into_iter()
            .flatten()
            .map(|record| format!("    {}: {}", record["code"], record["message"]))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

#[test]
fn every_check_fixture_gives_its_snapshot() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|value| value == "1");
    let fixtures = all_fixtures();
    let results = in_parallel(&fixtures, |fixture| check_fixture(fixture, update));
    let mut failures = Vec::new();
    let mut rewritten = Vec::new();
    for (fixture, result) in fixtures.iter().zip(results) {
        match result {
            Ok(true) => rewritten.push(fixture.label()),
            Ok(false) => {}
            Err(problem) => failures.push(format!("{}: {problem}", fixture.label())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} check fixtures fail:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n\n")
    );
    assert!(
        rewritten.is_empty(),
        "UPDATE_SNAPSHOTS=1 rewrote {} snapshots; review them (git diff tests/fixtures/check) and run again:\n{}",
        rewritten.len(),
        rewritten.join("\n")
    );
}

/// The snapshots themselves say what each folder promises: one error at most
/// in `invalid/` (warning-only fixtures show one warning), ten or more errors
/// in `many/`, no error in `valid/` and only the warnings `fixture.toml`
/// justifies; and there are enough fixtures.
#[test]
fn the_snapshots_keep_the_promises_of_their_folders() {
    let mut problems = Vec::new();
    let mut with_an_error = 0;
    for fixture in fixtures(Kind::Invalid) {
        let places = read_snapshot(&fixture.snapshot_path()).unwrap_or_else(|error| panic!("{error}"));
        let errors = places.iter().filter(|place| place.is_error()).count();
        let warnings = places.len() - errors;
        with_an_error += usize::from(errors == 1);
        if errors > 1 || (errors == 0 && warnings != 1) {
            problems.push(format!(
                "{}: an invalid fixture has exactly one problem: one error (and maybe warnings it intends) or one warning; \
                 its snapshot has {errors} errors and {warnings} warnings",
                fixture.label()
            ));
        }
    }
    let many = fixtures(Kind::Many);
    for fixture in &many {
        let places = read_snapshot(&fixture.snapshot_path()).unwrap_or_else(|error| panic!("{error}"));
        let errors = places.iter().filter(|place| place.is_error()).count();
        if errors < 10 {
            problems
                .push(format!("{}: a many-problem fixture needs 10 errors or more, it has {errors}", fixture.label()));
        }
    }
    let valid = fixtures(Kind::Valid);
    for fixture in &valid {
        let places = read_snapshot(&fixture.snapshot_path()).unwrap_or_else(|error| panic!("{error}"));
        if let Some(error) = places.iter().find(|place| place.is_error()) {
            problems.push(format!("{}: a valid fixture has an error: {error}", fixture.label()));
        }
        let warned: std::collections::BTreeSet<&str> = places.iter().map(|place| place.code.as_str()).collect();
        let justified: std::collections::BTreeSet<&str> = fixture.notes.warnings.keys().map(String::as_str).collect();
        if warned != justified {
            problems.push(format!(
                "{}: the warnings {warned:?} must be exactly those justified in fixture.toml [warnings] ({justified:?})",
                fixture.label()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(with_an_error >= 60, "issue 3 asks for 60 invalid fixtures with one error each, there are {with_an_error}");
    assert!(many.len() >= 5, "issue 3 asks for several many-problem fixtures (5 or more), there are {}", many.len());
    assert!(valid.len() >= 20, "issue 3 asks for 20 valid configurations, there are {}", valid.len());
}
