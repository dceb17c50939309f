//! Differential tests of `flit build`: every fixture in `tests/fixtures/build/`
//! is built by our binary and by flit_core 4.2.0 (through
//! `tests/support/flit_core_build.py`, the way `flit build` uses it), with the
//! same `SOURCE_DATE_EPOCH`, and the archives must agree:
//!
//! - the same file names;
//! - wheels: the same members in the same order, the same decompressed bytes,
//!   modes, zip timestamps and header fields; METADATA identical; WHEEL
//!   identical except its `Generator:` line; RECORD identical except the WHEEL row;
//! - sdists: byte-identical decompressed tar streams, and the same gzip
//!   FLG, MTIME, XFL, OS and FNAME.
//!
//! Compressed bytes may differ (another deflate implementation). Needs
//! `FLIT_TEST_PYTHON` (see `support::test_python`).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use support::compare::{compare_sdists, compare_wheels};
use support::expected;
use support::{
    DEFAULT_EPOCH, EPOCH, EPOCH_BEFORE_1980, FixtureOptions, Format, copy_build_fixture, file_names, fixture_names,
    parse_diagnostics, reference_files, run_ours, run_reference, sdist, wheel,
};

/// How a fixture is built.
#[derive(Debug, Clone, Copy)]
struct Variant {
    /// `SOURCE_DATE_EPOCH`.
    epoch: &'static str,
    /// `--format` options; empty means none (both formats).
    formats: &'static [Format],
}

impl Variant {
    const DEFAULT: Variant = Variant { epoch: EPOCH, formats: &[] };
    const BEFORE_1980: Variant = Variant { epoch: EPOCH_BEFORE_1980, formats: &[] };
    const WHEEL_ONLY: Variant = Variant { epoch: EPOCH, formats: &[Format::Wheel] };
    const SDIST_ONLY: Variant = Variant { epoch: EPOCH, formats: &[Format::Sdist] };

    fn describe(&self) -> String {
        let formats: Vec<&str> = self.formats.iter().map(|format| format.as_str()).collect();
        let formats = if formats.is_empty() {
            "both formats".to_owned()
        } else {
            format!("--format {}", formats.join(" --format "))
        };
        format!("SOURCE_DATE_EPOCH={}, {formats}", self.epoch)
    }
}

/// Builds `fixture` with ours and with flit_core and panics with every
/// difference between the two.
fn check(fixture: &str, variant: Variant) {
    let options = FixtureOptions::load(fixture);
    let mut env = options.env.clone();
    env.push(("SOURCE_DATE_EPOCH".to_owned(), variant.epoch.to_owned()));
    let context = format!("fixture {fixture} ({})", variant.describe());

    let reference_copy = copy_build_fixture(fixture, &options);
    let reference_dist = reference_copy.temp.path().join("reference-dist");
    let reference = run_reference(&reference_copy.project, &reference_dist, &options.config, variant.formats, &env);
    assert!(
        reference.succeeded(),
        "{context}: flit_core 4.2.0 cannot build it, so the fixture is broken:\n{reference}"
    );
    let reference_names = reference_files(&reference);
    assert_eq!(file_names(&reference_dist), reference_names, "{context}: the helper's output and its report disagree");

    let ours_copy = copy_build_fixture(fixture, &options);
    let ours = run_ours(&ours_copy.project, &options.config, variant.formats, &env);
    assert!(ours.succeeded(), "{context}: our build failed:\n{ours}");
    let our_dist = ours_copy.project.join("dist");
    let our_names = file_names(&our_dist);

    let mut report = Vec::new();
    if our_names != reference_names {
        report.push(format!("file names differ: flit_core {reference_names:?}, ours {our_names:?}"));
    }
    let diagnostics = parse_diagnostics(&ours.stderr);
    for name in &our_names {
        let kind = if name.ends_with(".whl") { "wheel" } else { "sdist" };
        let line = format!("Built {kind}: dist/{name}");
        if !ours.stderr.contains(&line) {
            report.push(format!("stderr lacks `{line}`"));
        }
    }
    for diagnostic in diagnostics.iter().filter(|diagnostic| diagnostic.severity == "error") {
        report.push(format!("a successful build printed an error: {}", diagnostic.text));
    }
    for code in &options.warnings {
        if !diagnostics.iter().any(|diagnostic| diagnostic.severity == "warning" && &diagnostic.code == code) {
            report.push(format!("expected a warning[{code}] on stderr"));
        }
    }

    for name in our_names.iter().filter(|name| reference_names.contains(name)) {
        let (ours_path, reference_path) = (our_dist.join(name), reference_dist.join(name));
        let differences = if name.ends_with(".whl") {
            let mut reference = wheel::read(&reference_path);
            expected::apply_to_wheel(&mut reference, &options.drop_metadata_lines);
            compare_wheels(&reference, &wheel::read(&ours_path))
        } else {
            let mut reference = sdist::read(&reference_path);
            expected::apply_to_sdist(&mut reference, &options.drop_metadata_lines);
            compare_sdists(&reference, &sdist::read(&ours_path))
        };
        if !differences.is_empty() {
            report.push(format!("{name}:\n{}", differences.render()));
        }
    }
    if !report.is_empty() {
        panic!("{context}: our build differs from flit_core 4.2.0:\n{}\n\n{ours}", report.join("\n"));
    }
}

macro_rules! build_fixtures {
    ($($test:ident => $fixture:literal,)*) => {
        /// Every build fixture that has a test.
        const BUILD_FIXTURES: &[&str] = &[$($fixture),*];

        /// Each fixture, both formats, `SOURCE_DATE_EPOCH=1700000000`.
        mod fixture {
            $(
                #[test]
                fn $test() {
                    super::check($fixture, super::Variant::DEFAULT);
                }
            )*
        }
    };
}

build_fixtures! {
    allow_invalid_license => "allow-invalid-license",
    alt_config_file => "alt-config-file",
    alt_dist_name => "alt-dist-name",
    annotated_version => "annotated-version",
    bom_init => "bom-init",
    bytecode_files => "bytecode-files",
    chained_assignment => "chained-assignment",
    cleandoc_docstring => "cleandoc-docstring",
    coding_cookie_latin1 => "coding-cookie-latin1",
    constructed_version => "constructed-version",
    docstring_tab => "docstring-tab",
    dotted_module_override => "dotted-module-override",
    empty_description => "empty-description",
    empty_extra => "empty-extra",
    entry_point_groups => "entry-point-groups",
    epoch_version => "epoch-version",
    executable_file => "executable-file",
    external_data => "external-data",
    extras_normalisation => "extras-normalisation",
    file_ordering => "file-ordering",
    full_project => "full-project",
    hidden_files => "hidden-files",
    implicit_concat_version => "implicit-concat-version",
    import_names_explicit => "import-names-explicit",
    import_namespaces_explicit => "import-namespaces-explicit",
    keywords_classifiers => "keywords-classifiers",
    large_files => "large-files",
    license_default_globs => "license-default-globs",
    license_expression_compound => "license-expression-compound",
    license_files_globs => "license-files-globs",
    license_in_src => "license-in-src",
    license_ref => "license-ref",
    license_table_file => "license-table-file",
    license_with_exception => "license-with-exception",
    local_version => "local-version",
    long_path => "long-path",
    minimal_module => "minimal-module",
    module_custom_readme => "module-custom-readme",
    multiline_description => "multiline-description",
    multiline_docstring => "multiline-docstring",
    name_normalisation => "name-normalisation",
    namespace_module => "namespace-module",
    namespace_package => "namespace-package",
    nfd_file_names => "nfd-file-names",
    nodynamic => "nodynamic",
    non_ascii_names => "non-ascii-names",
    package_with_data => "package-with-data",
    people_formatting => "people-formatting",
    readme_in_subdir => "readme-in-subdir",
    readme_line_endings => "readme-line-endings",
    readme_text_table => "readme-text-table",
    readme_unknown_extension => "readme-unknown-extension",
    record_csv_quoting => "record-csv-quoting",
    relative_import_version => "relative-import-version",
    requirements_with_markers => "requirements-with-markers",
    sdist_include_exclude => "sdist-include-exclude",
    src_layout_module => "src-layout-module",
    src_layout_package => "src-layout-package",
    stubs_package => "stubs-package",
    symlink_in_tree => "symlink-in-tree",
    tag_py2py3_greater_than_2 => "tag-py2py3-greater-than-2",
    tag_py2py3_upper_bound => "tag-py2py3-upper-bound",
    tag_py3_compatible_release => "tag-py3-compatible-release",
    tag_py3_only => "tag-py3-only",
    tag_py3_second_clause => "tag-py3-second-clause",
    unimportable_module => "unimportable-module",
    urls_sorting => "urls-sorting",
    version_dunder_version_file => "version-dunder-version-file",
    version_first_match => "version-first-match",
    version_from_underscore_version => "version-from-underscore-version",
    version_from_version_py => "version-from-version-py",
    version_init_wins => "version-init-wins",
    version_normalisation => "version-normalisation",
}

/// A second epoch before 1980: zip timestamps clamp to 1980-01-01, tar
/// mtimes keep the value.
mod epoch_before_1980 {
    use super::{Variant, check};

    #[test]
    fn minimal_module() {
        check("minimal-module", Variant::BEFORE_1980);
    }

    #[test]
    fn package_with_data() {
        check("package-with-data", Variant::BEFORE_1980);
    }

    #[test]
    fn symlink_in_tree() {
        check("symlink-in-tree", Variant::BEFORE_1980);
    }

    #[test]
    fn long_path() {
        check("long-path", Variant::BEFORE_1980);
    }

    #[test]
    fn external_data() {
        check("external-data", Variant::BEFORE_1980);
    }
}

/// `--format wheel` alone: the wheel is built from the source tree, so sdist
/// excludes do not apply.
mod wheel_only {
    use super::{Variant, check};

    #[test]
    fn sdist_include_exclude() {
        check("sdist-include-exclude", Variant::WHEEL_ONLY);
    }

    #[test]
    fn package_with_data() {
        check("package-with-data", Variant::WHEEL_ONLY);
    }

    #[test]
    fn symlink_in_tree() {
        check("symlink-in-tree", Variant::WHEEL_ONLY);
    }

    #[test]
    fn executable_file() {
        check("executable-file", Variant::WHEEL_ONLY);
    }

    #[test]
    fn bytecode_files() {
        check("bytecode-files", Variant::WHEEL_ONLY);
    }

    #[test]
    fn alt_config_file() {
        check("alt-config-file", Variant::WHEEL_ONLY);
    }

    #[test]
    fn large_files() {
        check("large-files", Variant::WHEEL_ONLY);
    }
}

/// `--format sdist` alone.
mod sdist_only {
    use super::{Variant, check};

    #[test]
    fn sdist_include_exclude() {
        check("sdist-include-exclude", Variant::SDIST_ONLY);
    }

    #[test]
    fn non_ascii_names() {
        check("non-ascii-names", Variant::SDIST_ONLY);
    }

    #[test]
    fn stubs_package() {
        check("stubs-package", Variant::SDIST_ONLY);
    }

    #[test]
    fn license_files_globs() {
        check("license-files-globs", Variant::SDIST_ONLY);
    }

    #[test]
    fn nfd_file_names() {
        check("nfd-file-names", Variant::SDIST_ONLY);
    }
}

#[test]
fn every_build_fixture_has_a_test() {
    let mut listed: Vec<&str> = BUILD_FIXTURES.to_vec();
    listed.sort_unstable();
    let on_disk = fixture_names("build");
    let missing: Vec<&String> = on_disk.iter().filter(|name| !listed.contains(&name.as_str())).collect();
    let stale: Vec<&&str> = listed.iter().filter(|name| !on_disk.iter().any(|d| d == *name)).collect();
    assert!(missing.is_empty(), "build fixtures without a test (add them to build_fixtures!): {missing:?}");
    assert!(stale.is_empty(), "build_fixtures! lists fixtures that do not exist: {stale:?}");
}

#[test]
fn fixture_options_name_existing_fixtures() {
    let path = support::fixtures_dir("build").join("fixtures.toml");
    let table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
    let on_disk = fixture_names("build");
    for name in table.keys() {
        assert!(on_disk.contains(name), "{}: [{name}] is not a fixture directory", path.display());
        FixtureOptions::load(name);
    }
}

// ---------------------------------------------------------------------------
// Reproducible by default

/// Sets the modification time of every regular file under `root`.
fn set_mtimes(root: &Path, time: SystemTime) {
    for entry in fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            set_mtimes(&entry.path(), time);
        } else if kind.is_file() {
            fs::File::options().write(true).open(entry.path()).unwrap().set_modified(time).unwrap();
        }
    }
}

/// Builds `fixture` with ours (both formats) with the given `SOURCE_DATE_EPOCH`
/// (or none), after setting every file's mtime to `mtime`; returns the output
/// files and their bytes.
fn build_bytes(fixture: &str, epoch: Option<&str>, mtime: SystemTime) -> Vec<(String, Vec<u8>)> {
    let options = FixtureOptions::load(fixture);
    let copy = copy_build_fixture(fixture, &options);
    set_mtimes(&copy.project, mtime);
    let mut env = options.env.clone();
    if let Some(epoch) = epoch {
        env.push(("SOURCE_DATE_EPOCH".to_owned(), epoch.to_owned()));
    }
    let outcome = run_ours(&copy.project, &options.config, &[], &env);
    assert!(outcome.succeeded(), "fixture {fixture}: our build failed:\n{outcome}");
    let dist = copy.project.join("dist");
    let names = file_names(&dist);
    assert_eq!(names.len(), 2, "fixture {fixture}: expected a wheel and an sdist, got {names:?}");
    names.into_iter().map(|name| (name.clone(), fs::read(dist.join(&name)).unwrap())).collect()
}

const REPRODUCIBILITY_FIXTURES: &[&str] =
    &["package-with-data", "symlink-in-tree", "non-ascii-names", "executable-file"];

fn assert_same_bytes(fixture: &str, what: &str, first: &[(String, Vec<u8>)], second: &[(String, Vec<u8>)]) {
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
    assert_eq!(names(first), names(second), "fixture {fixture}: {what}: different file names");
    for ((name, left), (_, right)) in first.iter().zip(second) {
        let first_difference = left.iter().zip(right).position(|(a, b)| a != b);
        assert!(
            left == right,
            "fixture {fixture}: {what}: {name} is not byte-identical ({} vs {} bytes, first difference at {:?})",
            left.len(),
            right.len(),
            first_difference
        );
    }
}

/// Without `SOURCE_DATE_EPOCH`, two builds of copies whose files have
/// different mtimes give the same bytes (a deliberate difference from flit,
/// whose wheels take the files' mtimes).
#[test]
fn reproducible_without_source_date_epoch() {
    let early = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let late = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    for fixture in REPRODUCIBILITY_FIXTURES {
        let first = build_bytes(fixture, None, early);
        let second = build_bytes(fixture, None, late);
        assert_same_bytes(
            fixture,
            "two builds without SOURCE_DATE_EPOCH, files with different mtimes",
            &first,
            &second,
        );
    }
}

/// Without `SOURCE_DATE_EPOCH` we build exactly as with our documented default,
/// `SOURCE_DATE_EPOCH=1451606400` (2016-01-01T00:00:00Z).
#[test]
fn unset_source_date_epoch_means_the_documented_default() {
    let mtime = SystemTime::UNIX_EPOCH + Duration::from_secs(1_234_567_890);
    for fixture in REPRODUCIBILITY_FIXTURES {
        let unset = build_bytes(fixture, None, mtime);
        let default = build_bytes(fixture, Some(DEFAULT_EPOCH), mtime);
        assert_same_bytes(fixture, "SOURCE_DATE_EPOCH unset vs 1451606400", &unset, &default);
    }
}
