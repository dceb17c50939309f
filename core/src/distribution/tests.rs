//! Unit tests of the distribution checks: archives are built in memory with
//! the core's own writers, then corrupted.

use std::io::{Cursor, Write};

use sha2::{Digest, Sha256};

use super::*;
use crate::archive::gzip::GzipWriter;
use crate::archive::record::{RecordWriter, record_hash};
use crate::archive::tar::TarWriter;
use crate::archive::zip::{DosDateTime, ZipWriter};
use crate::diagnostic::Severity;

// ---------------------------------------------------------------------------
// Helpers

const WHEEL_NAME: &str = "demo_pkg-1.0-py3-none-any.whl";
const SDIST_NAME: &str = "demo_pkg-1.0.tar.gz";
const DIST_INFO: &str = "demo_pkg-1.0.dist-info";

fn metadata(extra: &str) -> String {
    format!(
        "Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0\nSummary: A demo\n\
         Description-Content-Type: text/markdown\n{extra}\n# Demo\n\nSome text.\n"
    )
}

const WHEEL_FILE: &str = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

/// The members of a good wheel, without RECORD.
fn wheel_members() -> Vec<(String, Vec<u8>)> {
    vec![
        ("demo_pkg/__init__.py".to_owned(), b"\"\"\"Demo.\"\"\"\n__version__ = '1.0'\n".to_vec()),
        ("demo_pkg/data.txt".to_owned(), vec![b'x'; 5000]),
        (format!("{DIST_INFO}/WHEEL"), WHEEL_FILE.as_bytes().to_vec()),
        (format!("{DIST_INFO}/METADATA"), metadata("").into_bytes()),
    ]
}

/// RECORD for `members`, as a builder writes it.
fn record_for(members: &[(String, Vec<u8>)]) -> String {
    let mut record = RecordWriter::new();
    for (name, data) in members {
        let digest: [u8; 32] = Sha256::digest(data).into();
        record.add(name, &record_hash(&digest), &data.len().to_string());
    }
    record.add(&format!("{DIST_INFO}/RECORD"), "", "");
    record.into_text()
}

fn zip_bytes(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in members {
        writer.add_bytes(name, 0o100_644, DosDateTime::MINIMUM, data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A wheel of `members` plus a RECORD computed for them.
fn wheel_with_record(mut members: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let record = record_for(&members);
    members.push((format!("{DIST_INFO}/RECORD"), record.into_bytes()));
    zip_bytes(&members)
}

fn good_wheel() -> Vec<u8> {
    wheel_with_record(wheel_members())
}

fn check(file_name: &str, bytes: &[u8]) -> Diagnostics {
    check_distribution(file_name, Cursor::new(bytes))
}

fn errors(diagnostics: &Diagnostics) -> Vec<&'static str> {
    diagnostics.errors().map(|diagnostic| diagnostic.code).collect()
}

/// Asserts that a diagnostic with `code` exists whose message contains
/// `fragment`, has help, and names the file; returns it.
#[track_caller]
fn expect<'d>(diagnostics: &'d Diagnostics, code: &str, fragment: &str) -> &'d Diagnostic {
    let found = diagnostics.iter().find(|diagnostic| diagnostic.code == code && diagnostic.message.contains(fragment));
    let Some(diagnostic) = found else {
        panic!("no `{code}` mentioning {fragment:?} in:\n{diagnostics}");
    };
    assert!(diagnostic.help.as_deref().is_some_and(|help| !help.is_empty()), "no help: {diagnostic}");
    assert!(diagnostic.message.contains('`'), "the message names nothing in backticks: {diagnostic}");
    diagnostic
}

/// A tar.gz of `members`: (path, content) for files, (path, target) for
/// symlinks marked by a `->` prefix.
fn sdist_bytes(file_name: &str, members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut tar = TarWriter::new(Vec::new());
    for (name, data) in members {
        if let Some(target) = data.strip_prefix(b"->") {
            tar.append_symlink(name, std::str::from_utf8(target).unwrap(), 0o777, 0).unwrap();
        } else {
            tar.append_file(name, 0o644, 0, data.len() as u64, &mut &data[..]).unwrap();
        }
    }
    gzip(file_name, &tar.finish().unwrap())
}

fn gzip(file_name: &str, tar: &[u8]) -> Vec<u8> {
    let mut gzip = GzipWriter::new(Vec::new(), file_name.trim_end_matches(".gz"), 0).unwrap();
    gzip.write_all(tar).unwrap();
    gzip.finish().unwrap()
}

fn good_sdist_members(pkg_info: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("demo_pkg-1.0/demo_pkg/__init__.py", b"\"\"\"Demo.\"\"\"\n".to_vec()),
        ("demo_pkg-1.0/pyproject.toml", b"[project]\nname = \"demo-pkg\"\n".to_vec()),
        ("demo_pkg-1.0/PKG-INFO", pkg_info.as_bytes().to_vec()),
    ]
}

fn sdist_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let borrowed: Vec<(&str, &[u8])> = members.iter().map(|(name, data)| (*name, data.as_slice())).collect();
    sdist_bytes(SDIST_NAME, &borrowed)
}

fn good_sdist() -> Vec<u8> {
    sdist_of(&good_sdist_members(&metadata("")))
}

/// Replaces every occurrence of `from` by `to` (same length) in `bytes`.
fn patch(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut index = 0;
    let mut count = 0;
    while index + from.len() <= out.len() {
        if &out[index..index + from.len()] == from {
            out[index..index + from.len()].copy_from_slice(to);
            index += from.len();
            count += 1;
        } else {
            index += 1;
        }
    }
    assert!(count > 0, "nothing to patch");
    out
}

// ---------------------------------------------------------------------------
// Core metadata

#[test]
fn flit_style_metadata_parses() {
    let text = "Metadata-Version: 2.5\nName: Demo.Pkg\nVersion: 1.0.post1\nSummary: A demo\n\
                Keywords: a,b\nAuthor-email: A <a@example.com>\nRequires-Python: >=3.8\n\
                Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM\n\
                License-Expression: MIT OR Apache-2.0\nClassifier: Programming Language :: Python\n\
                License-File: LICENSE\nRequires-Dist: requests >=2.0\n\
                Requires-Dist: pytest ; extra == \"test\"\nProject-URL: Home, https://example.com\n\
                Provides-Extra: test\nImport-Name: demo_pkg\nImport-Namespace: demo; private\n\n# Demo\n";
    let parsed = parse_core_metadata(text).unwrap();
    assert_eq!((parsed.name.as_str(), parsed.version.as_str()), ("Demo.Pkg", "1.0.post1"));
    assert_eq!(parsed.normalised_name(), "demo-pkg");
    assert_eq!(parsed.get_all("requires-dist").count(), 2);
    assert_eq!(parsed.get("summary"), Some("A demo"));
    let description = parsed.description.unwrap();
    assert_eq!((description.text.as_str(), description.source), ("# Demo\n", DescriptionSource::Body));
    assert_eq!(Location::of(text, description.span_of_line(1).unwrap()).line, 19);
    assert_eq!(parsed.description_content_type.unwrap().parameter("variant"), Some("GFM"));
    assert!(parsed.warnings.is_empty());
}

use crate::diagnostic::Location;

fn problems(text: &str) -> Vec<MetadataProblem> {
    match parse_core_metadata(text) {
        Ok(parsed) => parsed.warnings,
        Err(problems) => problems,
    }
}

#[track_caller]
fn expect_problem(text: &str, code: &str, line: usize, fragment: &str) {
    let all = problems(text);
    assert!(
        all.iter().any(|problem| problem.code == code && problem.line == line && problem.message.contains(fragment)),
        "no {code} at line {line} mentioning {fragment:?} for {text:?}; got {all:#?}"
    );
}

const HEAD: &str = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n";

#[test]
fn required_fields_and_versions() {
    expect_problem("Name: demo\nVersion: 1.0\n", "metadata-missing-field", 1, "`Metadata-Version`");
    expect_problem("Metadata-Version: 2.4\nVersion: 1.0\n", "metadata-missing-field", 1, "`Name`");
    expect_problem("Metadata-Version: 2.4\nName: demo\n", "metadata-missing-field", 1, "`Version`");
    expect_problem("Metadata-Version: 2.4\nName:\nVersion: 1\n", "metadata-missing-field", 2, "`Name` is empty");
    for (version, fragment) in
        [("2.0", "never a standard"), ("1.2", "older than 2.1"), ("2.6", "newer"), ("3", "not a core")]
    {
        let text = format!("Metadata-Version: {version}\nName: demo\nVersion: 1.0\n");
        expect_problem(&text, "metadata-version-unsupported", 1, fragment);
    }
    expect_problem("Metadata-Version: 2.4\nName: demo_\nVersion: 1.0\n", "metadata-invalid", 2, "`Name` `demo_`");
    expect_problem(
        "Metadata-Version: 2.4\nName: démo\nVersion: 1.0\n",
        "metadata-invalid",
        2,
        "not a valid project name",
    );
    expect_problem("Metadata-Version: 2.4\nName: demo\nVersion: 1.0-\n", "metadata-invalid", 3, "PEP 440");
    for version in SUPPORTED_VERSIONS_FOR_TESTS {
        let text = format!("Metadata-Version: {version}\nName: demo\nVersion: 1.0\n");
        assert!(parse_core_metadata(&text).is_ok(), "{version}");
    }
}

const SUPPORTED_VERSIONS_FOR_TESTS: [&str; 5] = ["2.1", "2.2", "2.3", "2.4", "2.5"];

#[test]
fn fields_unknown_repeated_and_too_new() {
    expect_problem(&format!("{HEAD}Home-Page: x\nHomepage: y\n"), "metadata-unknown-field", 5, "`Homepage`");
    let help = &problems(&format!("{HEAD}Requires_Dist: x\n"))[0].help;
    assert!(help.contains("`Requires-Dist`"), "{help}");
    expect_problem(&format!("{HEAD}Summary: a\nSummary: b\n"), "metadata-repeated-field", 5, "first on line 4");
    expect_problem(&format!("{HEAD}Name: other\n"), "metadata-repeated-field", 4, "`Name`");
    expect_problem(&format!("{HEAD}Keywords: a\nkeywords: b\n"), "metadata-repeated-field", 5, "`Keywords`");
    let v21 = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";
    expect_problem(&format!("{v21}Dynamic: Summary\n"), "metadata-field-too-new", 4, "2.2");
    expect_problem(&format!("{v21}License-Expression: MIT\n"), "metadata-field-too-new", 4, "2.4");
    expect_problem(&format!("{HEAD}Import-Name: demo\n"), "metadata-field-too-new", 4, "2.5");
    // License-File below 2.4 is only a warning, as twine drops it.
    let parsed = parse_core_metadata(&format!("{v21}License-File: LICENSE\n")).unwrap();
    assert_eq!(parsed.warnings[0].code, "metadata-field-too-new");
    assert_eq!(parsed.warnings[0].severity, Severity::Warning);
}

#[test]
fn field_values() {
    expect_problem(&format!("{HEAD}Summary: a\n  b\n"), "metadata-invalid", 4, "single line");
    expect_problem(&format!("{HEAD}Description-Content-Type: text/rst\n"), "metadata-invalid", 4, "`text/rst`");
    expect_problem(
        &format!("{HEAD}Description-Content-Type: text/markdown; variant=gfm\n"),
        "metadata-invalid",
        4,
        "variant",
    );
    expect_problem(
        &format!("{HEAD}Description-Content-Type: text/plain; charset=latin1\n"),
        "metadata-invalid",
        4,
        "charset",
    );
    expect_problem(&format!("{HEAD}Dynamic: Version\n"), "metadata-invalid", 4, "may not be listed");
    expect_problem(&format!("{HEAD}Dynamic: Colour\n"), "metadata-invalid", 4, "not a core metadata field");
    expect_problem(&format!("{HEAD}Provides-Extra: a b\n"), "metadata-invalid", 4, "extra name");
    expect_problem(&format!("{HEAD}Requires-Dist: requests >=\n"), "metadata-invalid", 4, "`Requires-Dist`");
    expect_problem(&format!("{HEAD}Requires-Python: three\n"), "metadata-invalid", 4, "`Requires-Python`");
    expect_problem(&format!("{HEAD}License-Expression: MIT OR\n"), "metadata-invalid", 4, "SPDX");
    expect_problem(&format!("{HEAD}License-Expression: Nonsense-1.0\n"), "metadata-invalid", 4, "`Nonsense-1.0`");
    expect_problem(&format!("{HEAD}License-File: ../LICENSE\n"), "metadata-invalid", 4, "`..`");
    expect_problem(&format!("{HEAD}License-File: C:/LICENSE\n"), "metadata-invalid", 4, "relative");
    expect_problem(&format!("{HEAD}License-File: LICENSES/\n"), "metadata-invalid", 4, "separator");
    let v25 = "Metadata-Version: 2.5\nName: demo\nVersion: 1.0\n";
    expect_problem(&format!("{v25}Import-Name: demo.class\n"), "metadata-invalid", 4, "keyword");
    expect_problem(&format!("{v25}Import-Name: demo; public\n"), "metadata-invalid", 4, "private");
    expect_problem(&format!("{v25}Import-Namespace: 1demo\n"), "metadata-invalid", 4, "identifier");
    assert!(parse_core_metadata(&format!("{v25}Import-Name:\n")).is_ok(), "a lone empty Import-Name means none");
    expect_problem(
        &format!("{HEAD}Project-URL: Home, https://a\nProject-URL: Home , https://b\n"),
        "metadata-invalid",
        5,
        "used twice (also on line 4)",
    );
    // Deprecated SPDX IDs are accepted with a warning.
    let parsed = parse_core_metadata(&format!("{HEAD}License-Expression: GPL-3.0+\n")).unwrap();
    assert_eq!(parsed.warnings[0].code, "metadata-license-deprecated");
}

#[test]
fn structure_problems_have_lines() {
    expect_problem(&format!("{HEAD}garbage line\nSummary: x\n"), "metadata-invalid", 4, "not a `Name: value` field");
    expect_problem(&format!("{HEAD}: nameless\n"), "metadata-invalid", 4, "no name");
    expect_problem(" indented\nMetadata-Version: 2.4\nName: demo\nVersion: 1.0\n", "metadata-invalid", 1, "continues");
    expect_problem(&format!("\u{feff}{HEAD}"), "metadata-invalid", 1, "byte-order mark");
    // After a BOM the fields still count.
    let all = problems(&format!("\u{feff}{HEAD}"));
    assert_eq!(all.len(), 1, "{all:#?}");
}

#[test]
fn description_in_a_field_is_unfolded() {
    let text = format!("{HEAD}Description: first\r\n        second\r\n       |  third\r\n");
    let parsed = parse_core_metadata(&text).unwrap();
    let description = parsed.description.unwrap();
    assert_eq!(description.source, DescriptionSource::Field);
    assert_eq!(description.text, "first\nsecond\n  third");
    assert_eq!(Location::of(&text, description.span_of_line(3).unwrap()).line, 6);
    expect_problem(&format!("{HEAD}Description: a\n\nbody\n"), "metadata-repeated-field", 6, "given twice");
}

#[test]
fn problems_become_diagnostics_at_their_line() {
    let text = format!("{HEAD}Requires-Python: three\n");
    let problem = &problems(&text)[0];
    let diagnostic = problem.to_diagnostic("x.whl!/d/METADATA", &text);
    let location = diagnostic.location.unwrap();
    assert_eq!((location.line, location.column), (4, 18));
    assert!(diagnostic.help.is_some());
}

#[test]
fn parsing_never_panics() {
    let seeds = [metadata(""), format!("{HEAD}Description: a\n        b\n"), "\r\r\n\n:\n \n".to_owned()];
    for seed in seeds {
        for cut in 0..=seed.len() {
            if let Some(prefix) = seed.get(..cut) {
                let _ = parse_core_metadata(prefix);
            }
        }
    }
    let _ = parse_core_metadata("");
    let _ = parse_core_metadata("\u{feff}");
}

// ---------------------------------------------------------------------------
// Wheels

#[test]
fn a_good_wheel_passes() {
    let diagnostics = check(WHEEL_NAME, &good_wheel());
    assert!(diagnostics.is_empty(), "{diagnostics}");
    // The path given is kept as the file.
    let diagnostics = check(&format!("dist/{WHEEL_NAME}"), &good_wheel());
    assert!(diagnostics.is_empty(), "{diagnostics}");
}

#[test]
fn bad_record_hash_is_refused() {
    let mut members = wheel_members();
    let record = record_for(&members);
    members[1].1[0] = b'y'; // changed after RECORD was written
    members.push((format!("{DIST_INFO}/RECORD"), record.into_bytes()));
    let diagnostics = check(WHEEL_NAME, &zip_bytes(&members));
    let diagnostic = expect(&diagnostics, "wheel-record-hash", "`demo_pkg/data.txt` does not match its hash");
    assert_eq!(diagnostic.file, format!("{WHEEL_NAME}!/{DIST_INFO}/RECORD"));
    assert_eq!(diagnostic.location.unwrap().line, 2);
    assert_eq!(errors(&diagnostics), ["wheel-record-hash"]);
}

#[test]
fn bad_record_size_and_rows() {
    let members = wheel_members();
    let record = record_for(&members).replace(",5000\r\n", ",5001\r\n")
        + "demo_pkg/gone.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\r\n"
        + "demo_pkg/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\r\n"
        + "only,two\r\n"
        + "weak.py,md5=abc,1\r\n";
    let mut with_record = members.clone();
    with_record.push((format!("{DIST_INFO}/RECORD"), record.into_bytes()));
    with_record.push(("demo_pkg/extra.py".to_owned(), b"pass\n".to_vec()));
    let diagnostics = check(WHEEL_NAME, &zip_bytes(&with_record));
    expect(&diagnostics, "wheel-record-size", "`demo_pkg/data.txt` is 5000 bytes, but `RECORD` says 5001");
    expect(&diagnostics, "wheel-record-unknown", "`demo_pkg/gone.py`");
    expect(&diagnostics, "wheel-record-duplicate", "`demo_pkg/__init__.py` twice (first on line 1)");
    expect(&diagnostics, "wheel-record-invalid", "has 2 fields");
    expect(&diagnostics, "wheel-record-invalid", "`md5` is too weak");
    let unlisted = expect(&diagnostics, "wheel-record-unlisted", "`demo_pkg/extra.py`");
    assert_eq!(unlisted.file, format!("{WHEEL_NAME}!/demo_pkg/extra.py"));
}

#[test]
fn missing_record_metadata_and_wheel_files() {
    let diagnostics = check(WHEEL_NAME, &zip_bytes(&wheel_members()));
    expect(&diagnostics, "wheel-record-missing", "`demo_pkg-1.0.dist-info/RECORD`");
    assert_eq!(errors(&diagnostics), ["wheel-record-missing"]);
    let members: Vec<_> = wheel_members().into_iter().filter(|(name, _)| !name.ends_with("METADATA")).collect();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    expect(&diagnostics, "wheel-metadata-missing", "`demo_pkg-1.0.dist-info/METADATA`");
    let members: Vec<_> = wheel_members().into_iter().filter(|(name, _)| !name.ends_with("WHEEL")).collect();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    expect(&diagnostics, "wheel-file-missing", "`demo_pkg-1.0.dist-info/WHEEL`");
}

#[test]
fn unsafe_member_names_are_refused() {
    for (name, fragment) in [
        ("../evil.py", "`..` component"),
        ("demo_pkg/../../evil.py", "`..` component"),
        ("/etc/evil", "absolute"),
        ("demo_pkg\\evil.py", "backslash"),
        ("C:/evil.py", "drive letter"),
    ] {
        let mut members = wheel_members();
        members.push((name.to_owned(), b"x".to_vec()));
        let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
        let diagnostic = expect(&diagnostics, "archive-unsafe-path", fragment);
        assert!(diagnostic.file.starts_with(&format!("{WHEEL_NAME}!/")), "{diagnostic}");
    }
}

#[test]
fn duplicate_members_are_refused() {
    let mut members = wheel_members();
    members.push(("demo_pkg/b.py".to_owned(), b"b = 1\n".to_vec()));
    members.push(("demo_pkg/c.py".to_owned(), b"b = 1\n".to_vec()));
    let bytes = patch(&wheel_with_record(members), b"demo_pkg/c.py", b"demo_pkg/b.py");
    let diagnostics = check(WHEEL_NAME, &bytes);
    expect(&diagnostics, "archive-duplicate-member", "`demo_pkg/b.py` more than once");
}

#[test]
fn dist_info_must_match_the_file_name() {
    let members: Vec<_> = wheel_members()
        .into_iter()
        .map(|(name, data)| (name.replace(DIST_INFO, "other-2.0.dist-info"), data))
        .collect();
    let mut members_with_record = members.clone();
    let record = record_for(&members).replace(DIST_INFO, "other-2.0.dist-info");
    members_with_record.push(("other-2.0.dist-info/RECORD".to_owned(), record.into_bytes()));
    let diagnostics = check(WHEEL_NAME, &zip_bytes(&members_with_record));
    expect(&diagnostics, "wheel-dist-info-name", "`other-2.0.dist-info` does not match the file name");
    // Normalised comparison: case and separators do not matter.
    let members: Vec<_> = wheel_members()
        .into_iter()
        .map(|(name, data)| (name.replace(DIST_INFO, "Demo.Pkg-1.0.dist-info"), data))
        .collect();
    let mut members_with_record = members.clone();
    let record = record_for(&members).replace(DIST_INFO, "Demo.Pkg-1.0.dist-info");
    members_with_record.push(("Demo.Pkg-1.0.dist-info/RECORD".to_owned(), record.into_bytes()));
    let diagnostics = check(WHEEL_NAME, &zip_bytes(&members_with_record));
    assert!(errors(&diagnostics).is_empty(), "{diagnostics}");
}

#[test]
fn several_or_no_dist_info_directories() {
    let mut members = wheel_members();
    members.push(("other-1.0.dist-info/METADATA".to_owned(), metadata("").into_bytes()));
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    expect(&diagnostics, "wheel-dist-info-multiple", "2 `.dist-info` directories");
    let diagnostics = check(WHEEL_NAME, &zip_bytes(&[("demo_pkg/__init__.py".to_owned(), b"".to_vec())]));
    expect(&diagnostics, "wheel-dist-info-missing", "`.dist-info`");
}

#[test]
fn broken_metadata_is_refused_with_its_line() {
    let mut members = wheel_members();
    members[3].1 = b"Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0\nthis is not a field\n".to_vec();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    let diagnostic = expect(&diagnostics, "metadata-invalid", "not a `Name: value` field");
    assert_eq!(diagnostic.file, format!("{WHEEL_NAME}!/{DIST_INFO}/METADATA"));
    assert_eq!(diagnostic.location.unwrap().line, 4);
    let mut members = wheel_members();
    members[3].1 = b"Metadata-Version: 2.4\nVersion: 1.0\n\nbody".to_vec();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    expect(&diagnostics, "metadata-missing-field", "`Name`");
    let mut members = wheel_members();
    members[3].1 = b"Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0\nSummary: caf\xe9\n".to_vec();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    assert_eq!(expect(&diagnostics, "metadata-invalid", "not valid UTF-8").location.unwrap().line, 4);
}

#[test]
fn metadata_must_agree_with_the_file_name() {
    let mut members = wheel_members();
    members[3].1 =
        metadata("").replace("Name: demo-pkg", "Name: other").replace("Version: 1.0", "Version: 2.0").into_bytes();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    assert_eq!(expect(&diagnostics, "metadata-name-mismatch", "`Name` is `other`").location.unwrap().line, 2);
    assert_eq!(expect(&diagnostics, "metadata-version-mismatch", "`Version` is `2.0`").location.unwrap().line, 3);
    // Names compare in normal form: `Demo_Pkg` is `demo-pkg`.
    let mut members = wheel_members();
    members[3].1 = metadata("").replace("Name: demo-pkg", "Name: Demo_Pkg").into_bytes();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    assert!(errors(&diagnostics).is_empty(), "{diagnostics}");
}

#[test]
fn wheel_file_is_checked() {
    let cases = [
        (
            "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py2-none-any\n",
            "wheel-tag-mismatch",
            "`py3-none-any` that `WHEEL` lacks",
        ),
        (
            "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\nTag: py2-none-any\n",
            "wheel-tag-mismatch",
            "`py2-none-any` that the file name lacks",
        ),
        (
            "Wheel-Version: 2.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            "wheel-file-invalid",
            "format 2 is not supported",
        ),
        ("Root-Is-Purelib: true\nTag: py3-none-any\n", "wheel-file-invalid", "no `Wheel-Version`"),
        (
            "Wheel-Version: 1.0\nRoot-Is-Purelib: yes\nTag: py3-none-any\n",
            "wheel-file-invalid",
            "not `true` or `false`",
        ),
        ("Wheel-Version: 1.0\nRoot-Is-Purelib: true\n", "wheel-file-invalid", "no `Tag`"),
        ("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none\n", "wheel-file-invalid", "`py3-none`"),
        (
            "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\nBuild: 1\n",
            "wheel-tag-mismatch",
            "no build tag",
        ),
    ];
    for (wheel_file, code, fragment) in cases {
        let mut members = wheel_members();
        members[2].1 = wheel_file.as_bytes().to_vec();
        let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
        let diagnostic = expect(&diagnostics, code, fragment);
        assert_eq!(diagnostic.file, format!("{WHEEL_NAME}!/{DIST_INFO}/WHEEL"));
    }
    // Compressed tag sets in the file name expand to one Tag line each.
    let mut members = wheel_members();
    members[2].1 = b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py2-none-any\nTag: py3-none-any\n".to_vec();
    let diagnostics = check("demo_pkg-1.0-py2.py3-none-any.whl", &wheel_with_record(members));
    assert!(diagnostics.is_empty(), "{diagnostics}");
}

#[test]
fn data_directories() {
    let mut members = wheel_members();
    members.push(("demo_pkg-1.0.data/scripts/tool".to_owned(), b"#!python\n".to_vec()));
    members.push(("demo_pkg-1.0.data/headers/x.h".to_owned(), b"\n".to_vec()));
    assert!(check(WHEEL_NAME, &wheel_with_record(members.clone())).is_empty());
    members.push(("demo_pkg-1.0.data/binaries/tool".to_owned(), b"\n".to_vec()));
    members.push(("demo_pkg-1.0.data/loose.txt".to_owned(), b"\n".to_vec()));
    members.push(("other-1.0.data/data/x".to_owned(), b"\n".to_vec()));
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    expect(&diagnostics, "wheel-data-directory", "`demo_pkg-1.0.data/binaries/`");
    expect(&diagnostics, "wheel-data-directory", "directly in");
    expect(&diagnostics, "wheel-data-directory", "`other-1.0.data`");
}

#[test]
fn file_names() {
    let diagnostics = check("demo_pkg-1.0.whl", &good_wheel());
    expect(&diagnostics, "wheel-file-name", "`demo_pkg-1.0.whl` is not a valid wheel file name");
    let diagnostics = check("Demo_Pkg-1.0-py3-none-any.whl", &good_wheel());
    expect(&diagnostics, "file-name-not-normalised", "`demo_pkg`");
    assert!(errors(&diagnostics).is_empty(), "{diagnostics}");
    let diagnostics = check("demo_pkg-1.0.tar.bz2", &good_wheel());
    expect(&diagnostics, "distribution-unknown-format", "`demo_pkg-1.0.tar.bz2`");
}

#[test]
fn damaged_zips_are_reported() {
    let bytes = good_wheel();
    let diagnostics = check(WHEEL_NAME, b"not a zip at all, just text");
    expect(&diagnostics, "archive-corrupt", "no end of central directory");
    // Flip a byte inside the compressed data of the big member: CRC or inflate.
    let position = bytes.windows(17).position(|window| window == b"demo_pkg/data.txt").unwrap() + 17 + 5;
    let mut damaged = bytes.clone();
    damaged[position] ^= 0x55;
    let diagnostics = check(WHEEL_NAME, &damaged);
    expect(&diagnostics, "archive-corrupt", "`demo_pkg/data.txt` cannot be read");
    // Every truncation and a sweep of byte flips: reported, never a panic.
    for length in (0..bytes.len()).step_by(7) {
        let diagnostics = check(WHEEL_NAME, &bytes[..length]);
        assert!(diagnostics.has_errors(), "truncated at {length}");
    }
    for position in (0..bytes.len()).step_by(3) {
        let mut flipped = bytes.clone();
        flipped[position] ^= 0xff;
        let _ = check(WHEEL_NAME, &flipped);
    }
}

#[test]
fn zip_bombs_are_bounded() {
    let limits = Limits { member_size: 4096, total_size: 1 << 20, ..Limits::DEFAULT };
    let diagnostics = check_with_limits(WHEEL_NAME, Cursor::new(good_wheel()), limits);
    expect(&diagnostics, "archive-too-large", "`demo_pkg/data.txt` is refused");
    let limits = Limits { total_size: 4096, ..Limits::DEFAULT };
    let diagnostics = check_with_limits(WHEEL_NAME, Cursor::new(good_wheel()), limits);
    expect(&diagnostics, "archive-too-large", "in total");
    // Two central directory entries pointing at the same data: overlap.
    let members = vec![("a.txt".to_owned(), vec![b'a'; 100]), ("b.txt".to_owned(), vec![b'a'; 100])];
    let bytes = zip_bytes(&members);
    let central = bytes.windows(4).rposition(|window| window == [0x50, 0x4b, 0x01, 0x02]).unwrap();
    let first_local_offset = [0u8; 4];
    let mut overlapping = bytes.clone();
    overlapping[central + 42..central + 46].copy_from_slice(&first_local_offset);
    // The second entry now claims the first one's local header, whose name
    // differs (overlap proper is `overlapping_members_are_refused`).
    let diagnostics = check(WHEEL_NAME, &overlapping);
    assert!(diagnostics.iter().any(|diagnostic| diagnostic.code == "archive-corrupt"), "{diagnostics}");
    // A member that inflates beyond its declared size is stopped there.
    let declared = bytes.windows(4).position(|window| window == [0x50, 0x4b, 0x01, 0x02]).unwrap();
    let mut lying = bytes.clone();
    lying[declared + 24..declared + 28].copy_from_slice(&10u32.to_le_bytes());
    let diagnostics = check(WHEEL_NAME, &lying);
    expect(&diagnostics, "archive-corrupt", "more than its declared 10 bytes");
}

#[test]
fn symlinks_in_wheels_are_flagged() {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let mut members = wheel_members();
    members.push(("demo_pkg/link".to_owned(), b"data.txt".to_vec()));
    let record = record_for(&members);
    for (name, data) in &members {
        let mode = if name.ends_with("link") { 0o120_777 } else { 0o100_644 };
        writer.add_bytes(name, mode, DosDateTime::MINIMUM, data).unwrap();
    }
    writer.add_bytes(&format!("{DIST_INFO}/RECORD"), 0o100_644, DosDateTime::MINIMUM, record.as_bytes()).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let diagnostics = check(WHEEL_NAME, &bytes);
    expect(&diagnostics, "wheel-symlink", "`demo_pkg/link`");
    assert!(!diagnostics.has_errors(), "{diagnostics}");
}

#[test]
fn description_warnings_follow_twine() {
    let mut members = wheel_members();
    members[3].1 = b"Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0\n".to_vec();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    let codes: Vec<&str> = diagnostics.warnings().map(|diagnostic| diagnostic.code).collect();
    assert_eq!(codes, ["description-content-type-missing", "description-missing"]);
    assert!(!diagnostics.has_errors());
    let mut members = wheel_members();
    members[3].1 =
        b"Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0\nDescription-Content-Type: text/plain\n\nUNKNOWN\n\n"
            .to_vec();
    let diagnostics = check(WHEEL_NAME, &wheel_with_record(members));
    let codes: Vec<&str> = diagnostics.warnings().map(|diagnostic| diagnostic.code).collect();
    assert_eq!(codes, ["description-missing"]);
}

#[test]
fn member_text_returns_what_diagnostics_point_at() {
    let bytes = good_wheel();
    let text = member_text(WHEEL_NAME, Cursor::new(&bytes), &format!("{DIST_INFO}/METADATA")).unwrap();
    assert_eq!(text, metadata(""));
    let sdist = good_sdist();
    let text = member_text(SDIST_NAME, Cursor::new(&sdist), "demo_pkg-1.0/PKG-INFO").unwrap();
    assert_eq!(text, metadata(""));
    assert_eq!(member_text(SDIST_NAME, Cursor::new(&sdist), "missing"), None);
    assert_eq!(split_member_file("a.whl!/b/METADATA"), Some(("a.whl", "b/METADATA")));
    assert_eq!(split_member_file("a.whl"), None);
}

// ---------------------------------------------------------------------------
// Sdists

#[test]
fn a_good_sdist_passes() {
    let diagnostics = check(SDIST_NAME, &good_sdist());
    assert!(diagnostics.is_empty(), "{diagnostics}");
}

#[test]
fn two_top_level_directories_are_refused() {
    let mut members = good_sdist_members(&metadata(""));
    members.push(("other-1.0/setup.py", b"".to_vec()));
    members.push(("README", b"".to_vec()));
    let diagnostics = check(SDIST_NAME, &sdist_of(&members));
    let diagnostic = expect(&diagnostics, "sdist-layout", "2 top-level directories (`demo_pkg-1.0`, `other-1.0`)");
    assert!(diagnostic.message.contains("`README`"), "{diagnostic}");
    assert_eq!(diagnostic.file, SDIST_NAME);
}

#[test]
fn the_top_level_directory_must_be_named_like_the_file() {
    let members: Vec<(&str, Vec<u8>)> =
        vec![("demo-pkg-1.0/pyproject.toml", b"".to_vec()), ("demo-pkg-1.0/PKG-INFO", metadata("").into_bytes())];
    let diagnostics = check(SDIST_NAME, &sdist_of(&members));
    expect(
        &diagnostics,
        "sdist-layout",
        "the top-level directory is `demo-pkg-1.0`, but the file name calls for `demo_pkg-1.0`",
    );
}

#[test]
fn pkg_info_must_be_there_and_valid() {
    let members: Vec<_> =
        good_sdist_members(&metadata("")).into_iter().filter(|(name, _)| !name.ends_with("PKG-INFO")).collect();
    let diagnostics = check(SDIST_NAME, &sdist_of(&members));
    expect(&diagnostics, "sdist-pkg-info-missing", "`demo_pkg-1.0/PKG-INFO`");
    // A symlink is not a regular file.
    let mut members: Vec<_> =
        good_sdist_members(&metadata("")).into_iter().filter(|(name, _)| !name.ends_with("PKG-INFO")).collect();
    members.push(("demo_pkg-1.0/META", metadata("").into_bytes()));
    members.push(("demo_pkg-1.0/PKG-INFO", b"->META".to_vec()));
    let diagnostics = check(SDIST_NAME, &sdist_of(&members));
    expect(&diagnostics, "sdist-pkg-info-missing", "is a symbolic link");
    // Broken metadata, with the member and line.
    let diagnostics = check(SDIST_NAME, &sdist_of(&good_sdist_members("Metadata-Version: 2.4\nName: demo-pkg\n")));
    let diagnostic = expect(&diagnostics, "metadata-missing-field", "`Version`");
    assert_eq!(diagnostic.file, format!("{SDIST_NAME}!/demo_pkg-1.0/PKG-INFO"));
    // Metadata 2.1 in an sdist: a warning (PEP 643 wants 2.2).
    let diagnostics = check(SDIST_NAME, &sdist_of(&good_sdist_members(&metadata("").replace("2.4", "2.1"))));
    expect(&diagnostics, "sdist-metadata-version", "2.1");
    assert!(!diagnostics.has_errors(), "{diagnostics}");
    // Version disagreeing with the file name.
    let diagnostics =
        check(SDIST_NAME, &sdist_of(&good_sdist_members(&metadata("").replace("Version: 1.0", "Version: 1.1"))));
    expect(&diagnostics, "metadata-version-mismatch", "`Version` is `1.1`");
}

#[test]
fn pyproject_is_expected() {
    let members: Vec<_> =
        good_sdist_members(&metadata("")).into_iter().filter(|(name, _)| !name.ends_with("pyproject.toml")).collect();
    let diagnostics = check(SDIST_NAME, &sdist_of(&members));
    expect(&diagnostics, "sdist-pyproject-missing", "`demo_pkg-1.0/pyproject.toml`");
    assert!(!diagnostics.has_errors());
}

#[test]
fn unsafe_sdist_members_and_links() {
    let mut members = good_sdist_members(&metadata(""));
    members.push(("demo_pkg-1.0/../evil", b"x".to_vec()));
    members.push(("demo_pkg-1.0/escape", b"->../../etc/passwd".to_vec()));
    members.push(("demo_pkg-1.0/absolute", b"->/etc/passwd".to_vec()));
    members.push(("demo_pkg-1.0/fine", b"->demo_pkg/__init__.py".to_vec()));
    members.push(("demo_pkg-1.0/pyproject.toml", b"again".to_vec()));
    let diagnostics = check(SDIST_NAME, &sdist_of(&members));
    expect(&diagnostics, "archive-unsafe-path", "`demo_pkg-1.0/../evil`");
    expect(&diagnostics, "archive-unsafe-link", "`demo_pkg-1.0/escape` points to `../../etc/passwd`");
    expect(&diagnostics, "archive-unsafe-link", "`/etc/passwd`");
    expect(&diagnostics, "archive-duplicate-member", "`demo_pkg-1.0/pyproject.toml`");
    assert!(!diagnostics.iter().any(|diagnostic| diagnostic.message.contains("`demo_pkg-1.0/fine`")), "{diagnostics}");
}

#[test]
fn devices_and_hard_links_in_sdists() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |name: &str, kind: tar::EntryType, link: Option<&str>, data: &[u8]| {
        let mut header = tar::Header::new_ustar();
        header.set_path(name).unwrap();
        header.set_entry_type(kind);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        if let Some(link) = link {
            header.set_link_name(link).unwrap();
        }
        header.set_cksum();
        builder.append(&header, data).unwrap();
    };
    for (name, data) in good_sdist_members(&metadata("")) {
        add(name, tar::EntryType::Regular, None, &data);
    }
    add("demo_pkg-1.0/dev", tar::EntryType::Char, None, b"");
    add("demo_pkg-1.0/pipe", tar::EntryType::Fifo, None, b"");
    add("demo_pkg-1.0/hard", tar::EntryType::Link, Some("demo_pkg-1.0/PKG-INFO"), b"");
    add("demo_pkg-1.0/hard-out", tar::EntryType::Link, Some("elsewhere/file"), b"");
    let tar_bytes = builder.into_inner().unwrap();
    let diagnostics = check(SDIST_NAME, &gzip(SDIST_NAME, &tar_bytes));
    expect(&diagnostics, "archive-member-type", "`demo_pkg-1.0/dev` is a character device");
    expect(&diagnostics, "archive-member-type", "named pipe");
    expect(&diagnostics, "archive-unsafe-link", "`demo_pkg-1.0/hard-out`");
    assert!(!diagnostics.iter().any(|diagnostic| diagnostic.message.contains("`demo_pkg-1.0/hard`")), "{diagnostics}");
}

#[test]
fn damaged_sdists_are_reported() {
    let bytes = good_sdist();
    let diagnostics = check(SDIST_NAME, b"plain text, not gzip");
    expect(&diagnostics, "archive-corrupt", "not a gzip-compressed tar archive");
    for length in (0..bytes.len()).step_by(5) {
        let diagnostics = check(SDIST_NAME, &bytes[..length]);
        // One error, about the damage: nothing is said about members that
        // could not be reached.
        let codes = errors(&diagnostics);
        assert_eq!(codes, ["archive-corrupt"], "truncated at {length}:\n{diagnostics}");
        assert!(diagnostics.warnings().next().is_none(), "truncated at {length}:\n{diagnostics}");
    }
    for position in (0..bytes.len()).step_by(3) {
        let mut flipped = bytes.clone();
        flipped[position] ^= 0xff;
        let _ = check(SDIST_NAME, &flipped);
    }
    // A damaged tar header inside intact gzip.
    let mut tar = TarWriter::new(Vec::new());
    for (name, data) in good_sdist_members(&metadata("")) {
        tar.append_file(name, 0o644, 0, data.len() as u64, &mut &data[..]).unwrap();
    }
    let mut tar_bytes = tar.finish().unwrap();
    tar_bytes[1024 + 5] ^= 1; // the second header's name
    let diagnostics = check(SDIST_NAME, &gzip(SDIST_NAME, &tar_bytes));
    expect(&diagnostics, "archive-corrupt", "checksum");
}

#[test]
fn gzip_bombs_are_bounded() {
    let mut members = good_sdist_members(&metadata(""));
    members.push(("demo_pkg-1.0/zeros", vec![0; 1 << 20]));
    let bytes = sdist_of(&members);
    assert!(bytes.len() < 10_000);
    let limits = Limits { total_size: 64 * 1024, ..Limits::DEFAULT };
    let diagnostics = check_with_limits(SDIST_NAME, Cursor::new(bytes), limits);
    expect(&diagnostics, "archive-too-large", "decompresses to more than 65536 bytes");
}

#[test]
fn zip_sdists_are_checked_too() {
    let members: Vec<(String, Vec<u8>)> =
        good_sdist_members(&metadata("")).into_iter().map(|(name, data)| (name.to_owned(), data)).collect();
    let diagnostics = check("demo_pkg-1.0.zip", &zip_bytes(&members));
    expect(&diagnostics, "sdist-legacy-zip", "`.zip` sdist");
    assert!(!diagnostics.has_errors(), "{diagnostics}");
    let mut members = members;
    members.push(("other/x".to_owned(), b"".to_vec()));
    let diagnostics = check("demo_pkg-1.0.zip", &zip_bytes(&members));
    expect(&diagnostics, "sdist-layout", "2 top-level directories");
}

#[test]
fn sdist_file_names() {
    let diagnostics = check("demo_pkg.tar.gz", &good_sdist());
    expect(&diagnostics, "sdist-file-name", "`demo_pkg.tar.gz` is not a valid sdist file name");
    let diagnostics = check("Demo_Pkg-1.0.tar.gz", &good_sdist());
    expect(&diagnostics, "file-name-not-normalised", "`demo_pkg`");
}

// ---------------------------------------------------------------------------
// Hand-made zips: stored members, zip64, overlapping members

fn local_header(name: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method 0, time, date
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    out
}

/// A central directory entry; with `zip64`, sizes and offset are in a
/// zip64 extra field.
fn central_entry(name: &str, data: &[u8], offset: u64, zip64: bool) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // made by Unix, needed, flags, method, time, date
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    let small = |value: u64| if zip64 { u32::MAX } else { value as u32 };
    out.extend_from_slice(&small(data.len() as u64).to_le_bytes());
    out.extend_from_slice(&small(data.len() as u64).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&(if zip64 { 28u16 } else { 0 }).to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // comment length, disk, internal attributes
    out.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
    out.extend_from_slice(&small(offset).to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    if zip64 {
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&24u16.to_le_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
    }
    out
}

/// Appends the central directory `entries` and the end records.
fn finish_zip(mut bytes: Vec<u8>, entries: &[Vec<u8>], zip64: bool) -> Vec<u8> {
    let directory_offset = bytes.len() as u64;
    for entry in entries {
        bytes.extend_from_slice(entry);
    }
    let directory_size = bytes.len() as u64 - directory_offset;
    if zip64 {
        let record_offset = bytes.len() as u64;
        bytes.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
        bytes.extend_from_slice(&44u64.to_le_bytes());
        bytes.extend_from_slice(&[45, 3, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&directory_size.to_le_bytes());
        bytes.extend_from_slice(&directory_offset.to_le_bytes());
        bytes.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&record_offset.to_le_bytes());
        bytes.extend_from_slice(&1u32.to_le_bytes());
    }
    bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    bytes.extend_from_slice(&[0, 0, 0, 0]);
    let count = if zip64 { u16::MAX } else { entries.len() as u16 };
    bytes.extend_from_slice(&count.to_le_bytes());
    bytes.extend_from_slice(&count.to_le_bytes());
    let small = |value: u64| if zip64 { u32::MAX } else { value as u32 };
    bytes.extend_from_slice(&small(directory_size).to_le_bytes());
    bytes.extend_from_slice(&small(directory_offset).to_le_bytes());
    bytes.extend_from_slice(&0u16.to_le_bytes());
    bytes
}

/// A stored, optionally zip64, wheel with RECORD.
fn stored_wheel(zip64: bool, prefix: &[u8]) -> Vec<u8> {
    let mut members = wheel_members();
    let record = record_for(&members);
    members.push((format!("{DIST_INFO}/RECORD"), record.into_bytes()));
    let mut bytes = prefix.to_vec();
    let mut entries = Vec::new();
    for (name, data) in &members {
        // Offsets are relative to the zip's own start, after any prefix.
        entries.push(central_entry(name, data, (bytes.len() - prefix.len()) as u64, zip64));
        bytes.extend_from_slice(&local_header(name, data));
    }
    let mut zip = finish_zip(bytes[prefix.len()..].to_vec(), &entries, zip64);
    let mut out = prefix.to_vec();
    out.append(&mut zip);
    out
}

#[test]
fn stored_zip64_and_prefixed_wheels_pass() {
    for (zip64, prefix) in [(false, &b""[..]), (true, &b""[..]), (false, &b"#!/bin/sh\nexit 0\n"[..])] {
        let diagnostics = check(WHEEL_NAME, &stored_wheel(zip64, prefix));
        assert!(diagnostics.is_empty(), "zip64 {zip64}, prefix {prefix:?}: {diagnostics}");
    }
    // Damage in stored data is a CRC error.
    let mut bytes = stored_wheel(true, b"");
    let position = bytes.windows(5000).position(|window| window.iter().all(|byte| *byte == b'x')).unwrap();
    bytes[position + 10] = b'y';
    let diagnostics = check(WHEEL_NAME, &bytes);
    expect(&diagnostics, "archive-corrupt", "CRC-32");
}

#[test]
fn overlapping_members_are_refused() {
    // `a.txt` is stored, and its content is a complete local header and
    // data for `b.txt`, which the central directory also lists: reading both
    // would read the same bytes twice (the trick of "overlapping" bombs).
    let inner = local_header("b.txt", b"hello");
    let bytes = local_header("a.txt", &inner);
    let entries = [central_entry("a.txt", &inner, 0, false), central_entry("b.txt", b"hello", 35, false)];
    let diagnostics = check(WHEEL_NAME, &finish_zip(bytes, &entries, false));
    expect(&diagnostics, "archive-corrupt", "overlap");
}
