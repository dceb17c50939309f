//! Wheel checks: the binary distribution format specification (PEP 427 and
//! its amendments) as installers apply it.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Seek};

use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::diagnostic::{Diagnostic, Span};
use crate::names::normalise_name;
use crate::version::normalise_version;

use super::filename::{WheelName, parse_wheel_name};
use super::headers::{parse_message, split_lines};
use super::record::{Algorithm, RecordHash, encode_digest, parse_hash, parse_rows};
use super::zip_reader::ZipArchive;
use super::{Limits, MetadataCheck, Report, paths};

/// The subdirectories a `.data` directory may have.
const DATA_SCHEMES: &[&str] = &["purelib", "platlib", "headers", "scripts", "data"];

pub(super) fn check_wheel<R: Read + Seek>(report: &mut Report<'_>, base_name: &str, reader: R, limits: Limits) {
    let name = match parse_wheel_name(base_name) {
        Ok(name) => {
            if let Some(what) = name.not_normalised() {
                report.warning(
                    "file-name-not-normalised",
                    None,
                    format!("the wheel's file name `{base_name}` is not in normal form: {what}"),
                    "current build tools write normalised names; installers and the index compare normalised forms, so this works, but rebuilding gives the standard name",
                );
            }
            Some(name)
        }
        Err(reason) => {
            report.error(
                "wheel-file-name",
                None,
                format!("`{base_name}` is not a valid wheel file name: {reason}"),
                "a wheel is named `{name}-{version}-{python tag}-{abi tag}-{platform tag}.whl`, such as `foo_bar-1.0-py3-none-any.whl`; rebuild it instead of renaming it",
            );
            None
        }
    };
    let mut archive = match ZipArchive::open(reader, limits) {
        Ok(archive) => archive,
        Err(error) => {
            report.zip_error(None, error);
            return;
        }
    };
    let layout_problems = std::mem::take(&mut archive.layout_problems);
    for (index, message) in layout_problems {
        let member = archive.entries.get(index).map(|entry| entry.name.clone()).unwrap_or_default();
        report.zip_error(Some(&member), super::zip_reader::ZipError::Corrupt(message));
    }
    let names: Vec<(String, bool, Option<&'static str>)> =
        archive.entries.iter().map(|entry| (entry.name.clone(), entry.is_dir(), entry.name_problem)).collect();
    report.check_member_names(names.iter().map(|(name, is_dir, problem)| (name.as_str(), *is_dir, *problem)));
    for entry in archive.entries.iter().filter(|entry| entry.is_symlink()) {
        report.warning(
            "wheel-symlink",
            Some(&entry.name),
            format!("`{}` is stored as a symbolic link; wheels cannot hold links, so installers write the link's target path as the file's content", entry.name),
            "store the file itself (build backends resolve links when building)",
        );
    }

    // The .dist-info and .data directories.
    let top_dirs: BTreeSet<String> = archive
        .entries
        .iter()
        .filter_map(|entry| {
            let parts = paths::components(&entry.name);
            (parts.len() > 1 || entry.is_dir()).then(|| parts.first().map(|part| (*part).to_owned())).flatten()
        })
        .collect();
    let dist_infos: Vec<&String> = top_dirs.iter().filter(|dir| dir.ends_with(".dist-info")).collect();
    let dist_info = match dist_infos.as_slice() {
        [] => {
            report.error(
                "wheel-dist-info-missing",
                None,
                "the wheel has no `.dist-info` directory, so it has no metadata".to_owned(),
                "a wheel must hold `{name}-{version}.dist-info/` with `METADATA`, `WHEEL` and `RECORD`; rebuild it with a build backend",
            );
            None
        }
        [only] => Some((*only).clone()),
        several => {
            let listed = several.iter().map(|dir| format!("`{dir}`")).collect::<Vec<_>>().join(", ");
            report.error(
                "wheel-dist-info-multiple",
                None,
                format!(
                    "the wheel has {} `.dist-info` directories ({listed}); it must have exactly one",
                    several.len()
                ),
                "rebuild the wheel from a clean build directory",
            );
            // Go on with the one that matches the file name, if any.
            let wanted = name.as_ref().map(dist_info_stem);
            let matching = several
                .iter()
                .find(|dir| wanted.as_deref().is_some_and(|wanted| stem_matches(dir, ".dist-info", wanted)));
            matching.or(several.first()).map(|dir| (*dir).clone())
        }
    };
    if let (Some(dist_info), Some(name)) = (&dist_info, &name)
        && !dist_info_matches(dist_info, ".dist-info", name)
    {
        report.error(
            "wheel-dist-info-name",
            Some(&format!("{dist_info}/")),
            format!(
                "the metadata directory `{dist_info}` does not match the file name, which calls for `{}.dist-info`",
                dist_info_stem(name)
            ),
            "the `.dist-info` directory must be named `{name}-{version}.dist-info` with the name and version of the file name; rebuild the wheel",
        );
    }
    check_data_directories(report, &archive, &top_dirs, dist_info.as_deref(), name.as_ref());

    let Some(dist_info) = dist_info else {
        verify_members(report, &mut archive, &HashMap::new());
        return;
    };
    let find = |archive: &ZipArchive<R>, file: &str| {
        let path = format!("{dist_info}/{file}");
        archive.entries.iter().position(|entry| entry.name == path).map(|index| (index, path))
    };

    // METADATA.
    match find(&archive, "METADATA") {
        Some((index, path)) => match archive.read_to_vec(index, limits.text_size) {
            Ok(bytes) => {
                let expected = name.as_ref().map(|name| (name.name.as_str(), name.normalised_version.as_str()));
                MetadataCheck { member: &path, expected, base_name, sdist: false }.run(report, &bytes);
            }
            Err(error) => report.zip_error(Some(&path), error),
        },
        None => report.error(
            "wheel-metadata-missing",
            None,
            format!("the wheel has no `{dist_info}/METADATA`"),
            "a wheel's core metadata is in `.dist-info/METADATA`; rebuild the wheel with a build backend",
        ),
    }

    // WHEEL.
    match find(&archive, "WHEEL") {
        Some((index, path)) => match archive.read_to_vec(index, limits.text_size) {
            Ok(bytes) => check_wheel_file(report, &path, &bytes, name.as_ref()),
            Err(error) => report.zip_error(Some(&path), error),
        },
        None => report.error(
            "wheel-file-missing",
            None,
            format!("the wheel has no `{dist_info}/WHEEL`"),
            "`.dist-info/WHEEL` gives the wheel format version and tags; rebuild the wheel with a build backend",
        ),
    }

    // RECORD, then every member against it.
    let record_path = format!("{dist_info}/RECORD");
    let record = match find(&archive, "RECORD") {
        Some((index, path)) => match archive.read_to_vec(index, limits.text_size) {
            Ok(bytes) => Some(read_record(report, &path, &bytes)),
            Err(error) => {
                report.zip_error(Some(&path), error);
                None
            }
        },
        None => {
            report.error(
                "wheel-record-missing",
                None,
                format!("the wheel has no `{record_path}`, so its files cannot be verified"),
                "`.dist-info/RECORD` lists every file with its hash and size; rebuild the wheel with a build backend",
            );
            None
        }
    };
    let expected_hashes: HashMap<String, Algorithm> = record
        .as_ref()
        .map(|record| {
            record
                .rows
                .iter()
                .filter_map(|row| match &row.hash {
                    RecordHash::Digest { algorithm, .. } => Some((row.path.clone(), *algorithm)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let actual = verify_members(report, &mut archive, &expected_hashes);
    if let Some(record) = record {
        compare_record(report, &archive, &record, &actual, &dist_info);
    }
}

/// `{name}-{version}` as the file name gives them (the form the
/// `.dist-info` directory should have).
fn dist_info_stem(name: &WheelName) -> String {
    format!("{}-{}", name.name, name.version)
}

/// Whether `dir` (`x-1.0.dist-info`) names the same project and version as
/// `wanted` (`x-1.0`), after normalisation.
fn stem_matches(dir: &str, suffix: &str, wanted: &str) -> bool {
    let Some(stem) = dir.strip_suffix(suffix) else { return false };
    let split = |text: &str| -> Option<(String, String)> {
        let (name, version) = text.split_once('-')?;
        if version.contains('-') {
            return None;
        }
        Some((normalise_name(name), normalise_version(version).ok()?))
    };
    match (split(stem), split(wanted)) {
        (Some(left), Some(right)) => left == right,
        _ => false,
    }
}

fn dist_info_matches(dir: &str, suffix: &str, name: &WheelName) -> bool {
    stem_matches(dir, suffix, &dist_info_stem(name))
}

fn check_data_directories<R>(
    report: &mut Report<'_>,
    archive: &ZipArchive<R>,
    top_dirs: &BTreeSet<String>,
    dist_info: Option<&str>,
    name: Option<&WheelName>,
) {
    let expected_stem = dist_info.and_then(|dir| dir.strip_suffix(".dist-info"));
    for dir in top_dirs.iter().filter(|dir| dir.ends_with(".data")) {
        let matches = match (expected_stem, name) {
            (Some(stem), _) => dir.strip_suffix(".data") == Some(stem),
            (None, Some(name)) => dist_info_matches(dir, ".data", name),
            (None, None) => true,
        };
        if !matches {
            let wanted = expected_stem.map(str::to_owned).or_else(|| name.map(dist_info_stem)).unwrap_or_default();
            report.error(
                "wheel-data-directory",
                Some(&format!("{dir}/")),
                format!("the directory `{dir}` does not match the wheel's name; installers expect `{wanted}.data`"),
                "rename it to match the `.dist-info` directory, or rebuild the wheel",
            );
            continue;
        }
        for entry in &archive.entries {
            let parts = paths::components(&entry.name);
            if parts.first() != Some(&dir.as_str()) || parts.len() < 2 {
                continue;
            }
            let scheme = parts.get(1).copied().unwrap_or_default();
            if parts.len() == 2 && !entry.is_dir() {
                report.error(
                    "wheel-data-directory",
                    Some(&entry.name),
                    format!(
                        "`{}` is directly in `{dir}/`; files there must be in one of its subdirectories",
                        entry.name
                    ),
                    "put it under `purelib/`, `platlib/`, `headers/`, `scripts/` or `data/`",
                );
            } else if !DATA_SCHEMES.contains(&scheme) && parts.len() > 2 {
                report.error(
                    "wheel-data-directory",
                    Some(&entry.name),
                    format!(
                        "`{}` is in `{dir}/{scheme}/`, which installers do not know; the subdirectories are `purelib`, `platlib`, `headers`, `scripts` and `data`",
                        entry.name
                    ),
                    "move it to one of those subdirectories",
                );
            }
        }
    }
}

/// Checks `WHEEL`: `Wheel-Version` 1.x, `Root-Is-Purelib`, and tags and
/// build number agreeing with the file name.
fn check_wheel_file(report: &mut Report<'_>, path: &str, bytes: &[u8], name: Option<&WheelName>) {
    let file = report.file(Some(path));
    let text = String::from_utf8_lossy(bytes).into_owned();
    let invalid =
        |message: String, help: &str| Diagnostic::error("wheel-file-invalid", file.clone(), message).with_help(help);
    if std::str::from_utf8(bytes).is_err() {
        report.push(invalid("`WHEEL` is not valid UTF-8".to_owned(), "rebuild the wheel with a build backend"));
    }
    let message = parse_message(&text);
    for defect in &message.defects {
        report
            .push(invalid(defect.message.clone(), "each line of `WHEEL` must be `Name: value`").at(&text, defect.span));
    }
    let fields = |key: &'static str| message.fields.iter().filter(move |field| field.name.eq_ignore_ascii_case(key));
    let single = |report: &mut Report<'_>, key: &'static str, help: &str| {
        let mut found = fields(key);
        let first = found.next();
        if let Some(repeated) = found.next() {
            report.push(
                invalid(format!("`WHEEL` gives `{key}` more than once"), "keep one").at(&text, repeated.name_span),
            );
        }
        if first.is_none() {
            report.push(invalid(format!("`WHEEL` has no `{key}` field"), help));
        }
        first
    };
    if let Some(field) = single(report, "Wheel-Version", "add `Wheel-Version: 1.0`") {
        let value = field.value.trim();
        let parsed: Option<Vec<u64>> = value.split('.').map(|part| part.parse().ok()).collect();
        match parsed.as_deref() {
            Some([1, ..]) if value.split('.').count() >= 2 => {}
            Some([major, ..]) if value.split('.').count() >= 2 => report.push(
                invalid(
                    format!("`Wheel-Version` is `{value}`: wheel format {major} is not supported (only 1.x is)"),
                    "build the wheel with a tool that writes `Wheel-Version: 1.0`",
                )
                .at(&text, field.value_span),
            ),
            _ => report.push(
                invalid(
                    format!("`Wheel-Version` `{value}` is not a version such as `1.0`"),
                    "write `Wheel-Version: 1.0`",
                )
                .at(&text, field.value_span),
            ),
        }
    }
    if let Some(field) = single(report, "Root-Is-Purelib", "add `Root-Is-Purelib: true` (pure Python) or `false`") {
        let value = field.value.trim();
        if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") {
            report.push(
                invalid(format!("`Root-Is-Purelib` is `{value}`, not `true` or `false`"), "write `true` or `false`")
                    .at(&text, field.value_span),
            );
        }
    }
    let tags: Vec<&super::headers::HeaderField> = fields("Tag").collect();
    if tags.is_empty() {
        report.push(invalid(
            "`WHEEL` has no `Tag` field".to_owned(),
            "add one `Tag: {python}-{abi}-{platform}` line per tag of the file name, such as `Tag: py3-none-any`",
        ));
    }
    let mut declared = BTreeSet::new();
    for field in &tags {
        let value = field.value.trim();
        let parts: Vec<&str> = value.split('-').collect();
        if parts.len() != 3 || parts.iter().any(|part| part.is_empty() || part.split('.').any(str::is_empty)) {
            report.push(
                invalid(
                    format!("`Tag` `{value}` is not `{{python}}-{{abi}}-{{platform}}`"),
                    "write tags such as `py3-none-any`",
                )
                .at(&text, field.value_span),
            );
            continue;
        }
        for python in parts[0].split('.') {
            for abi in parts[1].split('.') {
                for platform in parts[2].split('.') {
                    declared.insert(format!("{python}-{abi}-{platform}"));
                }
            }
        }
    }
    let Some(name) = name else { return };
    let expected: BTreeSet<String> = name.expanded_tags().into_iter().collect();
    if !tags.is_empty() && declared != expected {
        let missing: Vec<&String> = expected.difference(&declared).collect();
        let extra: Vec<&String> = declared.difference(&expected).collect();
        let list = |tags: &[&String]| tags.iter().map(|tag| format!("`{tag}`")).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("the file name has {} that `WHEEL` lacks", list(&missing)));
        }
        if !extra.is_empty() {
            parts.push(format!("`WHEEL` has {} that the file name lacks", list(&extra)));
        }
        let diagnostic = Diagnostic::error(
            "wheel-tag-mismatch",
            file.clone(),
            format!("the tags in `WHEEL` differ from the file name's: {}", parts.join("; ")),
        )
        .with_help("installers choose wheels by the file name's tags; rebuild the wheel instead of renaming it");
        let span = tags.first().map(|field| field.value_span);
        report.push(match span {
            Some(span) => diagnostic.at(&text, span),
            None => diagnostic,
        });
    }
    let build = fields("Build").next();
    let build_value = build.map(|field| field.value.trim());
    if build_value != name.build.as_deref() {
        let message = match (build_value, name.build.as_deref()) {
            (Some(declared), Some(file_build)) => {
                format!("`WHEEL` gives build `{declared}`, but the file name has build tag `{file_build}`")
            }
            (Some(declared), None) => format!("`WHEEL` gives build `{declared}`, but the file name has no build tag"),
            (None, Some(file_build)) => {
                format!("the file name has build tag `{file_build}`, but `WHEEL` has no `Build`")
            }
            (None, None) => String::new(),
        };
        let diagnostic = Diagnostic::error("wheel-tag-mismatch", file.clone(), message)
            .with_help("the build number in `WHEEL` and in the file name must agree; rebuild the wheel");
        report.push(match build {
            Some(field) => diagnostic.at(&text, field.value_span),
            None => diagnostic,
        });
    }
}

/// One usable row of `RECORD`.
struct RecordEntry {
    path: String,
    hash: RecordHash,
    size: Option<u64>,
    span: Span,
    line: usize,
}

/// `RECORD`, read.
struct Record {
    /// The member's path in the archive.
    path: String,
    text: String,
    rows: Vec<RecordEntry>,
}

fn read_record(report: &mut Report<'_>, path: &str, bytes: &[u8]) -> Record {
    let file = report.file(Some(path));
    let text = String::from_utf8_lossy(bytes).into_owned();
    if std::str::from_utf8(bytes).is_err() {
        report.push(
            Diagnostic::error("wheel-record-invalid", file.clone(), "`RECORD` is not valid UTF-8")
                .with_help("rebuild the wheel with a build backend"),
        );
    }
    let lines = split_lines(&text);
    let line_span = |line: usize| {
        lines
            .get(line.saturating_sub(1))
            .map_or(Span { start: 0, end: 0 }, |line| Span { start: line.start, end: line.end })
    };
    let dist_info = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut rows = Vec::new();
    for row in parse_rows(&text) {
        let span = line_span(row.line);
        let invalid = |message: String, help: &str| {
            Diagnostic::error("wheel-record-invalid", file.clone(), message).with_help(help).at(&text, span)
        };
        let [row_path, hash, size] = row.fields.as_slice() else {
            report.push(invalid(
                format!(
                    "`RECORD` line {} has {} fields; each row must be `path,hash,size`",
                    row.line,
                    row.fields.len()
                ),
                "rebuild the wheel; RECORD is written by the build backend",
            ));
            continue;
        };
        let is_record = *row_path == path;
        let is_signature = [format!("{dist_info}/RECORD.jws"), format!("{dist_info}/RECORD.p7s")].contains(row_path);
        let hash = parse_hash(hash);
        match &hash {
            RecordHash::None if !is_record && !is_signature => report.push(invalid(
                format!("`RECORD` gives no hash for `{row_path}`"),
                "every file except RECORD itself needs `sha256=<digest>`; rebuild the wheel",
            )),
            RecordHash::Invalid(reason) => report.push(invalid(
                format!("`RECORD` has an invalid hash for `{row_path}`: {reason}"),
                "write `sha256=` and the URL-safe base64 digest without padding; rebuild the wheel",
            )),
            RecordHash::Unverifiable(algorithm) => report.push(
                Diagnostic::warning(
                    "wheel-record-unverifiable",
                    file.clone(),
                    format!("the `{algorithm}` hash of `{row_path}` in `RECORD` is not verified by this check"),
                )
                .with_help("builders write sha256 hashes; rebuild the wheel to have them checked")
                .at(&text, span),
            ),
            _ => {}
        }
        let size_value = if size.is_empty() {
            if !is_record && !is_signature {
                report.push(invalid(
                    format!("`RECORD` gives no size for `{row_path}`"),
                    "every file except RECORD itself needs its size in bytes",
                ));
            }
            None
        } else {
            match size.parse::<u64>() {
                Ok(value) if size.bytes().all(|byte| byte.is_ascii_digit()) => Some(value),
                _ => {
                    report.push(invalid(
                        format!("`RECORD` gives the size of `{row_path}` as `{size}`, not a number of bytes"),
                        "rebuild the wheel",
                    ));
                    None
                }
            }
        };
        if is_record && (!matches!(hash, RecordHash::None) || size_value.is_some()) {
            report.push(
                Diagnostic::warning(
                    "wheel-record-invalid",
                    file.clone(),
                    "`RECORD` lists a hash or size for itself; its own row must leave both empty",
                )
                .with_help("rebuild the wheel")
                .at(&text, span),
            );
        }
        rows.push(RecordEntry { path: row_path.clone(), hash, size: size_value, span, line: row.line });
    }
    Record { path: path.to_owned(), text, rows }
}

/// What streaming a member gave.
struct Actual {
    size: u64,
    sha256: [u8; 32],
    other: Option<Vec<u8>>,
}

/// The second digest computed when RECORD uses SHA-384 or SHA-512.
enum OtherHasher {
    None,
    Sha384(Sha384),
    Sha512(Sha512),
}

/// Streams every file member, verifying its CRC and size against the
/// central directory, and computes its digests.
fn verify_members<R: Read + Seek>(
    report: &mut Report<'_>,
    archive: &mut ZipArchive<R>,
    expected: &HashMap<String, Algorithm>,
) -> HashMap<String, Actual> {
    let mut actual = HashMap::new();
    for index in 0..archive.entries.len() {
        let Some(entry) = archive.entries.get(index) else { continue };
        if entry.is_dir() {
            continue;
        }
        let name = entry.name.clone();
        let mut sha256 = Sha256::new();
        let mut other = match expected.get(&name) {
            Some(Algorithm::Sha384) => OtherHasher::Sha384(Sha384::new()),
            Some(Algorithm::Sha512) => OtherHasher::Sha512(Sha512::new()),
            _ => OtherHasher::None,
        };
        let mut size = 0u64;
        let result = archive.read_member(index, &mut |chunk| {
            sha256.update(chunk);
            match &mut other {
                OtherHasher::Sha384(hasher) => hasher.update(chunk),
                OtherHasher::Sha512(hasher) => hasher.update(chunk),
                OtherHasher::None => {}
            }
            size += chunk.len() as u64;
        });
        match result {
            Ok(()) => {
                let other = match other {
                    OtherHasher::Sha384(hasher) => Some(hasher.finalize().to_vec()),
                    OtherHasher::Sha512(hasher) => Some(hasher.finalize().to_vec()),
                    OtherHasher::None => None,
                };
                actual.insert(name, Actual { size, sha256: sha256.finalize().into(), other });
            }
            Err(error) => report.zip_error(Some(&name), error),
        }
    }
    actual
}

fn compare_record<R>(
    report: &mut Report<'_>,
    archive: &ZipArchive<R>,
    record: &Record,
    actual: &HashMap<String, Actual>,
    dist_info: &str,
) {
    let file = report.file(Some(&record.path));
    let text = &record.text;
    let members: HashMap<&str, ()> =
        archive.entries.iter().filter(|entry| !entry.is_dir()).map(|entry| (entry.name.as_str(), ())).collect();
    let mut listed: HashMap<&str, usize> = HashMap::new();
    for (index, row) in record.rows.iter().enumerate() {
        if let Some(first) = listed.get(row.path.as_str()) {
            let first_line = record.rows.get(*first).map_or(0, |row| row.line);
            report.push(
                Diagnostic::error(
                    "wheel-record-duplicate",
                    file.clone(),
                    format!("`RECORD` lists `{}` twice (first on line {first_line})", row.path),
                )
                .with_help("each file must appear once in RECORD; rebuild the wheel")
                .at(text, row.span),
            );
            continue;
        }
        listed.insert(row.path.as_str(), index);
        if !members.contains_key(row.path.as_str()) {
            report.push(
                Diagnostic::error(
                    "wheel-record-unknown",
                    file.clone(),
                    format!("`RECORD` lists `{}`, which is not in the wheel", row.path),
                )
                .with_help("RECORD must list exactly the wheel's files; rebuild the wheel")
                .at(text, row.span),
            );
            continue;
        }
        let Some(found) = actual.get(&row.path) else { continue }; // unreadable: reported already
        if let RecordHash::Digest { algorithm, digest } = &row.hash {
            let computed: &[u8] = match algorithm {
                Algorithm::Sha256 => &found.sha256,
                Algorithm::Sha384 | Algorithm::Sha512 => found.other.as_deref().unwrap_or_default(),
            };
            if computed != digest.as_slice() {
                let algorithm_name = match algorithm {
                    Algorithm::Sha256 => "sha256",
                    Algorithm::Sha384 => "sha384",
                    Algorithm::Sha512 => "sha512",
                };
                report.push(
                    Diagnostic::error(
                        "wheel-record-hash",
                        file.clone(),
                        format!(
                            "`{}` does not match its hash in `RECORD`: RECORD says {algorithm_name}={}, the file hashes to {algorithm_name}={}",
                            row.path,
                            encode_digest(digest),
                            encode_digest(computed)
                        ),
                    )
                    .with_help("the file was changed after the wheel was built; rebuild the wheel")
                    .at(text, row.span),
                );
            }
        }
        if let Some(size) = row.size
            && size != found.size
        {
            report.push(
                Diagnostic::error(
                    "wheel-record-size",
                    file.clone(),
                    format!("`{}` is {} bytes, but `RECORD` says {size}", row.path, found.size),
                )
                .with_help("the file was changed after the wheel was built; rebuild the wheel")
                .at(text, row.span),
            );
        }
    }
    let signatures = [format!("{dist_info}/RECORD.jws"), format!("{dist_info}/RECORD.p7s")];
    for entry in archive.entries.iter().filter(|entry| !entry.is_dir()) {
        let name = entry.name.as_str();
        if name == record.path || signatures.iter().any(|signature| signature == name) || listed.contains_key(name) {
            continue;
        }
        report.error(
            "wheel-record-unlisted",
            Some(name),
            format!("`{name}` is in the wheel but not in `RECORD`"),
            "every file must be listed in RECORD with its hash and size; the file was probably added after the wheel was built, so rebuild it",
        );
    }
}
