//! Error tests of `flit build`: for every project in `tests/fixtures/errors/`,
//! our build must exit with status 1, print a diagnostic with the expected
//! code at the expected place (`expected.toml`), and leave the project
//! directory exactly as it was (no `dist/`, nothing half-written); and the
//! reference named in `rejected-by` (flit_core 4.2.0, or the flit 4.2.0 CLI for
//! the checks only it does) must reject it too, with the expected message.
//!
//! Plus cases that cannot be committed as fixtures (absolute symlinks, a FIFO)
//! and the promise that a failed build leaves an existing `dist/` untouched.
//! Needs `FLIT_TEST_PYTHON` (see `support::test_python`).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use support::{
    EPOCH, Expected, Format, Outcome, PrintedDiagnostic, RejectedBy, copy_build_fixture, copy_error_fixture,
    fixture_names, parse_diagnostics, run_flit_cli, run_ours, run_reference, snapshot_differences, snapshot_tree,
};

fn epoch_env() -> Vec<(String, String)> {
    vec![("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned())]
}

/// What a diagnostic must look like: code, file, line, column (each optional
/// except the code).
struct Wanted<'a> {
    code: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    /// Accepted columns (inclusive); `None` accepts any.
    columns: Option<(usize, usize)>,
}

impl Wanted<'_> {
    fn matches(&self, diagnostic: &PrintedDiagnostic) -> bool {
        diagnostic.severity == "error"
            && diagnostic.code == self.code
            && self.file.is_none_or(|file| diagnostic.file == file)
            && self.line.is_none_or(|line| diagnostic.line == Some(line))
            && self.columns.is_none_or(|(first, last)| diagnostic.column.is_some_and(|c| (first..=last).contains(&c)))
    }

    fn describe(&self) -> String {
        let place = match (self.file, self.line, self.columns) {
            (file, Some(line), Some((first, last))) if first == last => {
                format!("{}:{line}:{first}", file.unwrap_or("*"))
            }
            (file, Some(line), Some((first, last))) => format!("{}:{line}:{first}..={last}", file.unwrap_or("*")),
            (file, Some(line), None) => format!("{}:{line}:*", file.unwrap_or("*")),
            (file, None, _) => file.unwrap_or("*").to_owned(),
        };
        format!("{place}: error[{}]: ...", self.code)
    }
}

/// Runs our build of `project` and checks: exit status 1, a diagnostic
/// matching `wanted` followed by an indented `help:` line, and nothing under
/// `watched` changed. Returns the problems found.
fn check_our_failure(
    project: &Path,
    watched: &Path,
    formats: &[Format],
    wanted: &Wanted<'_>,
) -> (Vec<String>, Outcome) {
    let before = snapshot_tree(watched);
    let outcome = run_ours(project, "pyproject.toml", formats, &epoch_env());
    let mut problems = Vec::new();
    if outcome.status != Some(1) {
        problems.push(format!("expected exit status 1, got {:?} (timed out: {})", outcome.status, outcome.timed_out));
    }
    let diagnostics = parse_diagnostics(&outcome.stderr);
    match diagnostics.iter().find(|diagnostic| wanted.matches(diagnostic)) {
        Some(diagnostic) => {
            if diagnostic.help.is_none() {
                problems
                    .push(format!("the diagnostic is not followed by an indented `help:` line: {}", diagnostic.text));
            }
        }
        None => {
            let printed: Vec<&str> = diagnostics.iter().map(|diagnostic| diagnostic.text.as_str()).collect();
            let printed = if printed.is_empty() { "(no diagnostics)".to_owned() } else { printed.join("\n    ") };
            problems.push(format!("expected a diagnostic {}\n  printed:\n    {printed}", wanted.describe()));
        }
    }
    let changes = snapshot_differences(&before, &snapshot_tree(watched));
    if !changes.is_empty() {
        problems.push(format!("the failed build changed the files: {}", changes.join(", ")));
    }
    (problems, outcome)
}

/// Our build of the error fixture `name` fails as `expected.toml` says.
fn check_ours(name: &str) {
    let expected = Expected::load(name);
    let copy = copy_error_fixture(name);
    let columns = expected.column.map(|column| (column, expected.end_column.unwrap_or(column)));
    let wanted = Wanted { code: &expected.code, file: expected.file.as_deref(), line: expected.line, columns };
    let (problems, outcome) = check_our_failure(&copy.project, copy.temp.path(), &expected.formats, &wanted);
    if !problems.is_empty() {
        panic!("error fixture {name} (expected {}):\n  {}\n\n{outcome}", expected.place(), problems.join("\n  "));
    }
}

/// The reference named in `expected.toml` rejects the error fixture `name`
/// with the expected message (and, for flit-only checks, flit_core accepts it).
fn check_reference(name: &str) {
    let expected = Expected::load(name);
    let fragment = &expected.reference_message;
    let copy = copy_error_fixture(name);
    let out_dir = copy.temp.path().join("reference-dist");
    let core = run_reference(&copy.project, &out_dir, "pyproject.toml", &expected.formats, &epoch_env());
    match expected.rejected_by {
        RejectedBy::FlitCore => {
            assert!(
                !core.succeeded(),
                "error fixture {name}: flit_core 4.2.0 accepts it, so the fixture is wrong:\n{core}"
            );
            assert!(
                core.stderr.contains(fragment.as_str()),
                "error fixture {name}: flit_core's error lacks {fragment:?}:\n{core}"
            );
        }
        RejectedBy::Flit => {
            assert!(
                core.succeeded(),
                "error fixture {name}: says only the flit CLI rejects it, but flit_core does too:\n{core}"
            );
            let cli_copy = copy_error_fixture(name);
            let cli = run_flit_cli(&cli_copy.project, &expected.formats, &epoch_env());
            assert!(!cli.succeeded(), "error fixture {name}: flit 4.2.0 `flit build` accepts it:\n{cli}");
            let output = format!("{}{}", cli.stdout, cli.stderr);
            assert!(
                output.contains(fragment.as_str()),
                "error fixture {name}: `flit build` output lacks {fragment:?}:\n{cli}"
            );
        }
    }
}

macro_rules! error_fixtures {
    ($($test:ident => $fixture:literal,)*) => {
        /// Every error fixture that has tests.
        const ERROR_FIXTURES: &[&str] = &[$($fixture),*];

        /// Our build rejects each fixture as expected.toml says.
        mod ours {
            $(
                #[test]
                fn $test() {
                    super::check_ours($fixture);
                }
            )*
        }

        /// The reference rejects each fixture (checks the fixtures themselves).
        mod reference {
            $(
                #[test]
                fn $test() {
                    super::check_reference($fixture);
                }
            )*
        }
    };
}

error_fixtures! {
    authors_element_not_table => "authors-element-not-table",
    authors_invalid_email => "authors-invalid-email",
    authors_name_not_string => "authors-name-not-string",
    authors_not_list => "authors-not-list",
    authors_unknown_key => "authors-unknown-key",
    classifiers_not_list => "classifiers-not-list",
    crucial_file_excluded_license => "crucial-file-excluded-license",
    crucial_file_excluded_module => "crucial-file-excluded-module",
    crucial_file_excluded_readme => "crucial-file-excluded-readme",
    default_license_symlink_outside => "default-license-symlink-outside",
    dependencies_not_strings => "dependencies-not-strings",
    description_missing => "description-missing",
    description_not_string => "description-not-string",
    dynamic_and_present => "dynamic-and-present",
    dynamic_not_list => "dynamic-not-list",
    dynamic_unsupported => "dynamic-unsupported",
    entry_points_console_scripts => "entry-points-console-scripts",
    entry_points_group_not_table => "entry-points-group-not-table",
    entry_points_gui_scripts => "entry-points-gui-scripts",
    entry_points_not_table => "entry-points-not-table",
    entry_points_value_not_string => "entry-points-value-not-string",
    external_data_absolute => "external-data-absolute",
    external_data_is_file => "external-data-is-file",
    external_data_missing => "external-data-missing",
    external_data_not_string => "external-data-not-string",
    external_data_outside => "external-data-outside",
    external_data_project_dir => "external-data-project-dir",
    gui_scripts_value_not_string => "gui-scripts-value-not-string",
    import_names_bad_annotation => "import-names-bad-annotation",
    import_names_mismatch => "import-names-mismatch",
    import_names_not_identifier => "import-names-not-identifier",
    import_names_not_list => "import-names-not-list",
    import_namespaces_mismatch => "import-namespaces-mismatch",
    import_namespaces_not_identifier => "import-namespaces-not-identifier",
    invalid_entry_point_colons => "invalid-entry-point-colons",
    invalid_entry_point_gui => "invalid-entry-point-gui",
    invalid_entry_point_module => "invalid-entry-point-module",
    invalid_marker_expression => "invalid-marker-expression",
    invalid_marker_string => "invalid-marker-string",
    invalid_marker_variable => "invalid-marker-variable",
    invalid_optional_requirement => "invalid-optional-requirement",
    invalid_requirement_extras => "invalid-requirement-extras",
    invalid_requirement_unparseable => "invalid-requirement-unparseable",
    invalid_requirement_version => "invalid-requirement-version",
    invalid_requires_python => "invalid-requires-python",
    invalid_requires_python_operator => "invalid-requires-python-operator",
    invalid_url_empty_label => "invalid-url-empty-label",
    invalid_url_label_too_long => "invalid-url-label-too-long",
    invalid_url_missing_address => "invalid-url-missing-address",
    invalid_url_scheme => "invalid-url-scheme",
    keywords_not_strings => "keywords-not-strings",
    legacy_entrypoints_table => "legacy-entrypoints-table",
    legacy_metadata_table => "legacy-metadata-table",
    legacy_scripts_table => "legacy-scripts-table",
    license_classifier => "license-classifier",
    license_expression_deprecated_id => "license-expression-deprecated-id",
    license_expression_empty => "license-expression-empty",
    license_expression_empty_parens => "license-expression-empty-parens",
    license_expression_licenseref_chars => "license-expression-licenseref-chars",
    license_expression_lowercase_operator => "license-expression-lowercase-operator",
    license_expression_misplaced_paren => "license-expression-misplaced-paren",
    license_expression_misplaced_with => "license-expression-misplaced-with",
    license_expression_missing_operator => "license-expression-missing-operator",
    license_expression_trailing_operator => "license-expression-trailing-operator",
    license_expression_unbalanced => "license-expression-unbalanced",
    license_expression_unknown_exception => "license-expression-unknown-exception",
    license_expression_unknown_id => "license-expression-unknown-id",
    license_file_absolute => "license-file-absolute",
    license_file_not_found => "license-file-not-found",
    license_file_parent => "license-file-parent",
    license_file_symlink_outside => "license-file-symlink-outside",
    license_files_absolute => "license-files-absolute",
    license_files_invalid_chars => "license-files-invalid-chars",
    license_files_no_match => "license-files-no-match",
    license_files_not_list => "license-files-not-list",
    license_files_parent => "license-files-parent",
    license_files_symlink_outside => "license-files-symlink-outside",
    license_files_with_table => "license-files-with-table",
    license_table_empty => "license-table-empty",
    license_table_file_and_text => "license-table-file-and-text",
    license_table_unknown_key => "license-table-unknown-key",
    license_wrong_type => "license-wrong-type",
    maintainers_email_not_string => "maintainers-email-not-string",
    maintainers_invalid_email => "maintainers-invalid-email",
    missing_project_table => "missing-project-table",
    module_ambiguous => "module-ambiguous",
    module_ambiguous_package => "module-ambiguous-package",
    module_not_found => "module-not-found",
    module_override_not_found => "module-override-not-found",
    module_version_invalid => "module-version-invalid",
    module_version_invalid_in_version_file => "module-version-invalid-in-version-file",
    module_version_not_string => "module-version-not-string",
    name_invalid => "name-invalid",
    name_missing => "name-missing",
    name_non_ascii => "name-non-ascii",
    name_not_string => "name-not-string",
    no_docstring_module => "no-docstring-module",
    no_docstring_package => "no-docstring-package",
    no_version => "no-version",
    optional_dependencies_clash => "optional-dependencies-clash",
    optional_dependencies_element_not_string => "optional-dependencies-element-not-string",
    optional_dependencies_group_not_list => "optional-dependencies-group-not-list",
    optional_dependencies_invalid_name => "optional-dependencies-invalid-name",
    optional_dependencies_not_table => "optional-dependencies-not-table",
    package_without_init => "package-without-init",
    project_unknown_key => "project-unknown-key",
    python_syntax => "python-syntax",
    readme_absolute => "readme-absolute",
    readme_content_type => "readme-content-type",
    readme_file_and_text => "readme-file-and-text",
    readme_not_found => "readme-not-found",
    readme_not_utf8 => "readme-not-utf8",
    readme_outside => "readme-outside",
    readme_symlink_outside => "readme-symlink-outside",
    readme_table_empty => "readme-table-empty",
    readme_table_no_content_type => "readme-table-no-content-type",
    readme_table_unknown_key => "readme-table-unknown-key",
    readme_wrong_type => "readme-wrong-type",
    requires_python_not_string => "requires-python-not-string",
    scripts_not_table => "scripts-not-table",
    scripts_value_not_string => "scripts-value-not-string",
    sdist_exclude_not_list => "sdist-exclude-not-list",
    sdist_include_not_list => "sdist-include-not-list",
    sdist_pattern_absolute => "sdist-pattern-absolute",
    sdist_pattern_bad_chars => "sdist-pattern-bad-chars",
    sdist_pattern_outside => "sdist-pattern-outside",
    sdist_unknown_key => "sdist-unknown-key",
    symlink_escape_data_dir => "symlink-escape-data-dir",
    symlink_escape_sdist => "symlink-escape-sdist",
    symlink_escape_wheel => "symlink-escape-wheel",
    toml_duplicate_key => "toml-duplicate-key",
    toml_1_1_escape => "toml-1-1-escape",
    toml_1_1_inline_table => "toml-1-1-inline-table",
    toml_1_1_time => "toml-1-1-time",
    toml_syntax => "toml-syntax",
    unknown_flit_table => "unknown-flit-table",
    urls_not_table => "urls-not-table",
    version_empty_string => "version-empty-string",
    version_invalid => "version-invalid",
    version_missing => "version-missing",
    version_not_string => "version-not-string",
}

#[test]
fn every_error_fixture_has_a_test() {
    let mut listed: Vec<&str> = ERROR_FIXTURES.to_vec();
    listed.sort_unstable();
    let on_disk = fixture_names("errors");
    let missing: Vec<&String> = on_disk.iter().filter(|name| !listed.contains(&name.as_str())).collect();
    let stale: Vec<&&str> = listed.iter().filter(|name| !on_disk.iter().any(|d| d == *name)).collect();
    assert!(missing.is_empty(), "error fixtures without tests (add them to error_fixtures!): {missing:?}");
    assert!(stale.is_empty(), "error_fixtures! lists fixtures that do not exist: {stale:?}");
    for name in on_disk {
        Expected::load(&name);
    }
}

// ---------------------------------------------------------------------------
// A failed build leaves an existing dist/ alone

#[test]
fn error_leaves_an_existing_dist_untouched() {
    let copy = copy_error_fixture("version-invalid");
    let dist = copy.project.join("dist");
    fs::create_dir(&dist).unwrap();
    fs::write(dist.join("badver-0.9.tar.gz"), b"an older sdist, not a real one").unwrap();
    fs::write(dist.join("badver-0.9-py2.py3-none-any.whl"), b"an older wheel").unwrap();
    fs::create_dir(dist.join("notes")).unwrap();
    fs::write(dist.join("notes").join("keep.txt"), b"keep me").unwrap();
    let wanted = Wanted { code: "invalid-version", file: Some("pyproject.toml"), line: None, columns: None };
    let (problems, outcome) = check_our_failure(&copy.project, copy.temp.path(), &[], &wanted);
    assert!(problems.is_empty(), "with an existing dist/:\n  {}\n\n{outcome}", problems.join("\n  "));
}

#[test]
fn unknown_format_is_a_usage_error() {
    let copy = copy_error_fixture("version-invalid");
    let before = snapshot_tree(copy.temp.path());
    let args = ["build".to_owned(), "--format".to_owned(), "zip".to_owned()];
    let outcome = support::run(&support::flit_binary(), &args, &copy.project, &epoch_env());
    assert_eq!(outcome.status, Some(2), "`flit build --format zip` should be a usage error:\n{outcome}");
    let changes = snapshot_differences(&before, &snapshot_tree(copy.temp.path()));
    assert!(changes.is_empty(), "a usage error changed files: {changes:?}");
}

// ---------------------------------------------------------------------------
// Cases made at test time: absolute symlinks depend on the machine, and git
// cannot hold a FIFO. They use a copy of the package-with-data build fixture
// (package `kettle`).

/// A copy of package-with-data with one extra entry made by `add`, which gets
/// the project directory and a directory outside it.
fn kettle_with(add: impl FnOnce(&Path, &Path)) -> support::FixtureCopy {
    let copy = copy_build_fixture("package-with-data", &support::FixtureOptions::load("package-with-data"));
    let outside = copy.temp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret.txt"), b"not for packaging\n").unwrap();
    add(&copy.project, &outside);
    copy
}

fn absolute_link_outside(project: &Path, outside: &Path) {
    symlink(outside.join("secret.txt"), project.join("kettle").join("leak.txt")).unwrap();
}

fn absolute_link_inside(project: &Path, _outside: &Path) {
    symlink(project.join("kettle").join("cli.py"), project.join("kettle").join("alias.py")).unwrap();
}

fn fifo(project: &Path, _outside: &Path) {
    let path = project.join("kettle").join("pipe");
    let status = Command::new("mkfifo").arg(&path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {} failed", path.display());
}

fn assert_we_refuse(copy: &support::FixtureCopy, formats: &[Format], code: &str, file: &str) {
    let wanted = Wanted { code, file: Some(file), line: None, columns: None };
    let (problems, outcome) = check_our_failure(&copy.project, copy.temp.path(), formats, &wanted);
    assert!(problems.is_empty(), "{}\n\n{outcome}", problems.join("\n"));
}

fn assert_flit_core_refuses(copy: &support::FixtureCopy, formats: &[Format], fragment: &str) {
    let out_dir = copy.temp.path().join("reference-dist");
    let core = run_reference(&copy.project, &out_dir, "pyproject.toml", formats, &epoch_env());
    assert!(!core.succeeded(), "flit_core 4.2.0 accepted it:\n{core}");
    assert!(core.stderr.contains(fragment), "flit_core's error lacks {fragment:?}:\n{core}");
}

#[test]
fn absolute_symlink_outside_is_refused_by_us() {
    assert_we_refuse(&kettle_with(absolute_link_outside), &[], "symlink-escape", "kettle/leak.txt");
}

#[test]
fn absolute_symlink_outside_is_refused_by_flit_core() {
    assert_flit_core_refuses(
        &kettle_with(absolute_link_outside),
        &[],
        "Refusing to build sdist: the symlink 'kettle/leak.txt' points outside the project directory",
    );
}

#[test]
fn absolute_symlink_outside_is_refused_in_a_wheel_by_us() {
    assert_we_refuse(&kettle_with(absolute_link_outside), &[Format::Wheel], "symlink-escape", "kettle/leak.txt");
}

#[test]
fn absolute_symlink_outside_is_refused_in_a_wheel_by_flit_core() {
    assert_flit_core_refuses(
        &kettle_with(absolute_link_outside),
        &[Format::Wheel],
        "Refusing to add 'kettle/leak.txt' to the wheel: it resolves to a path outside the project directory",
    );
}

/// flit 4.2 refuses every absolute symlink in an sdist, even one whose target
/// is inside the project (it would not survive unpacking elsewhere).
#[test]
fn absolute_symlink_inside_is_refused_in_an_sdist_by_us() {
    assert_we_refuse(&kettle_with(absolute_link_inside), &[Format::Sdist], "symlink-escape", "kettle/alias.py");
}

#[test]
fn absolute_symlink_inside_is_refused_in_an_sdist_by_flit_core() {
    assert_flit_core_refuses(
        &kettle_with(absolute_link_inside),
        &[Format::Sdist],
        "Refusing to build sdist: the symlink 'kettle/alias.py' points outside the project directory",
    );
}

/// A FIFO in the package: we refuse it (and must not block opening it).
#[test]
fn fifo_in_the_package_is_refused_by_us() {
    assert_we_refuse(&kettle_with(fifo), &[], "special-file", "kettle/pipe");
}

/// flit_core puts the FIFO into the sdist as a FIFO member; `flit build` then
/// fails when unpacking it with the tar data filter. (A wheel-only build would
/// block opening the FIFO, so it is not run.)
#[test]
fn fifo_in_the_package_is_refused_by_flit_core() {
    assert_flit_core_refuses(&kettle_with(fifo), &[], "is a special file");
}
