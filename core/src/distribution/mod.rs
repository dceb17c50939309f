//! Checking built distributions — wheels and sdists made by any tool —
//! before they are uploaded: what `twine check --strict` checks, and the
//! structure of the archive.
//!
//! [`check_distribution`] takes a file name and the file's bytes and
//! reports every problem it finds, never only the first:
//!
//! - **Core metadata** (`METADATA`, `PKG-INFO`) must follow the core
//!   metadata specification 2.1 to 2.5 the way `packaging.metadata` 26.3
//!   (used by twine 7 and the index) reads it: see [`parse_core_metadata`].
//!   The long description must render: reStructuredText (declared, or assumed
//!   when `Description-Content-Type` is missing, as twine does) goes through
//!   the reStructuredText checker; Markdown and plain text always render.
//! - **Wheels** (binary distribution format, PEP 427): a valid file name,
//!   exactly one `.dist-info` directory named after the file, `WHEEL` valid
//!   and agreeing with the file name's tags, `METADATA` valid and agreeing
//!   with the file name, every member in `RECORD` exactly once with the right
//!   hash and size, valid `.data` subdirectories.
//! - **Sdists** (source distribution format, PEP 625 / PEP 643): one
//!   top-level directory named like the file, holding a regular `PKG-INFO`
//!   (Metadata-Version 2.2 or later expected) and `pyproject.toml`.
//! - **Both**: no absolute, `..`, backslash or drive-letter member names, no
//!   duplicate members, no devices or links that leave the archive, and an
//!   archive that is not damaged (CRCs, sizes, headers).
//!
//! # Where a diagnostic points
//!
//! `file` is the archive's file name as given for problems with the archive
//! as a whole, and `<archive>!/<member>` (see [`member_file`]) for problems
//! in or about one member, such as
//! `foo-1.0-py3-none-any.whl!/foo-1.0.dist-info/METADATA`. Problems inside
//! `METADATA`, `PKG-INFO`, `WHEEL` and `RECORD` carry a span and location in
//! that member's text; [`member_text`] gives the text back, so a host can
//! show the line.
//!
//! # Codes
//!
//! | code | severity | meaning |
//! | --- | --- | --- |
//! | `distribution-unknown-format` | error | the file name ends in neither `.whl`, `.tar.gz` nor `.zip` |
//! | `wheel-file-name` | error | the wheel's file name does not follow `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` |
//! | `sdist-file-name` | error | the sdist's file name is not `{name}-{version}.tar.gz` |
//! | `file-name-not-normalised` | warning | the name or version in the file name is not in normal form (lower case with `_`; PEP 440 normal form) |
//! | `archive-corrupt` | error | the archive is damaged: not a zip or gzip/tar, truncated, bad CRC, sizes or headers, members that overlap |
//! | `archive-unsupported` | error | encryption, a compression method other than stored and deflate, multi-disk zips, sparse tar members |
//! | `archive-too-large` | error | a member or the whole archive is beyond the limits below (a zip bomb, or an extreme archive) |
//! | `archive-unsafe-path` | error | a member name that is absolute, has a `..` component, a backslash, a drive letter or a NUL |
//! | `archive-duplicate-member` | error | two members with the same name |
//! | `archive-name-encoding` | error | a member name that is not valid UTF-8 (or non-ASCII without the zip UTF-8 flag) |
//! | `archive-member-type` | error | a device, FIFO or unknown member type in an sdist |
//! | `archive-unsafe-link` | error | an sdist symlink or hard link whose target is absolute or leaves the top-level directory |
//! | `wheel-symlink` | warning | a wheel member stored as a symlink (installers write the target path as a file) |
//! | `wheel-dist-info-missing` | error | no `.dist-info` directory |
//! | `wheel-dist-info-multiple` | error | more than one `.dist-info` directory |
//! | `wheel-dist-info-name` | error | the `.dist-info` directory's name and version differ from the file name's (compared normalised) |
//! | `wheel-data-directory` | error | a `.data` directory with the wrong name, a file directly in it, or a subdirectory other than `purelib`, `platlib`, `headers`, `scripts`, `data` |
//! | `wheel-metadata-missing` | error | no `.dist-info/METADATA` |
//! | `wheel-file-missing` | error | no `.dist-info/WHEEL` |
//! | `wheel-file-invalid` | error | `WHEEL` is malformed, or lacks or misstates `Wheel-Version` (1.x), `Root-Is-Purelib` or `Tag` |
//! | `wheel-tag-mismatch` | error | `WHEEL`'s `Tag` lines or `Build` differ from the file name's |
//! | `wheel-record-missing` | error | no `.dist-info/RECORD` |
//! | `wheel-record-invalid` | error | a `RECORD` row that is not `path,algorithm=digest,size`, or uses a weak hash (a warning when `RECORD`'s own row has a hash) |
//! | `wheel-record-unverifiable` | warning | a `RECORD` hash with an algorithm this check does not compute (BLAKE2, SHA-3) |
//! | `wheel-record-hash` | error | a member whose content does not match its `RECORD` hash |
//! | `wheel-record-size` | error | a member whose size differs from its `RECORD` size |
//! | `wheel-record-unlisted` | error | a member missing from `RECORD` |
//! | `wheel-record-duplicate` | error | a path listed twice in `RECORD` |
//! | `wheel-record-unknown` | error | `RECORD` lists a path that is not in the wheel |
//! | `sdist-layout` | error | not exactly one top-level directory, or not named like the file (`{name}-{version}`) |
//! | `sdist-legacy-zip` | warning | a `.zip` sdist; the source distribution format is `.tar.gz` |
//! | `sdist-pkg-info-missing` | error | no `PKG-INFO` in the top-level directory, or not a regular file |
//! | `sdist-metadata-version` | warning | `PKG-INFO` declares a Metadata-Version below 2.2 (PEP 643) |
//! | `sdist-pyproject-missing` | warning | no `pyproject.toml` in the top-level directory |
//! | `metadata-invalid` | error | core metadata that is malformed (a line that is not a field, not UTF-8) or has an invalid value |
//! | `metadata-missing-field` | error | `Metadata-Version`, `Name` or `Version` missing or empty |
//! | `metadata-version-unsupported` | error | a `Metadata-Version` other than 2.1 to 2.5 |
//! | `metadata-unknown-field` | error | a field the core metadata specification does not define |
//! | `metadata-repeated-field` | error | a single-use field given twice (the description included) |
//! | `metadata-field-too-new` | error (warning for `License-File`) | a field newer than the declared `Metadata-Version` |
//! | `metadata-license-deprecated` | warning | `License-Expression` uses a deprecated SPDX ID |
//! | `metadata-name-mismatch` | error | `Name` differs from the file name's name (after normalisation) |
//! | `metadata-version-mismatch` | error | `Version` differs from the file name's version (after normalisation) |
//! | `description-missing` | warning | no long description (twine warns) |
//! | `description-content-type-missing` | warning | no `Description-Content-Type`; reStructuredText is assumed (twine warns) |
//! | `description-not-rendered` | error | the reStructuredText description has markup errors and would not be rendered |
//!
//! # Limits
//!
//! Nothing is ever decompressed beyond these bounds, so a zip or gzip bomb
//! costs at most that much time and never that much memory (members are
//! streamed through the hashes; only the small text members are held):
//! a member may declare and yield at most 4 GiB, an archive 16 GiB in total
//! (the decompressed tar stream of an sdist included); `METADATA`, `WHEEL`,
//! `RECORD` and `PKG-INFO` at most 64 MiB each; a zip central directory at
//! most 256 MiB and 1,000,000 members; a tar extension header at most
//! 1 MiB. Members of a zip may not overlap.

mod content_type;
mod filename;
mod headers;
mod license;
mod metadata;
mod paths;
mod record;
mod sdist;
mod tar_reader;
mod wheel;
mod zip_reader;

#[cfg(test)]
mod tests;

use std::io::{Read, Seek, SeekFrom};

pub use content_type::{ContentType, parse_content_type};
pub use metadata::{
    Description, DescriptionSource, MetadataField, MetadataProblem, ParsedMetadata, parse_core_metadata,
};

use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use crate::names::normalise_name;
use crate::validate::pystr::is_python_whitespace;
use crate::version::normalise_version;

/// Joins an archive's file name and a member name into a diagnostic's
/// `file`: `dist/foo.whl!/foo-1.0.dist-info/METADATA`.
pub fn member_file(archive: &str, member: &str) -> String {
    format!("{archive}{MEMBER_SEPARATOR}{member}")
}

/// What separates the archive from the member in a diagnostic's `file`.
pub const MEMBER_SEPARATOR: &str = "!/";

/// Splits a diagnostic's `file` made by [`member_file`] into the archive
/// and the member, or `None` if it names the archive only.
pub fn split_member_file(file: &str) -> Option<(&str, &str)> {
    file.split_once(MEMBER_SEPARATOR)
}

/// How much the checker reads; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The largest uncompressed member.
    pub member_size: u64,
    /// The most uncompressed bytes in one archive.
    pub total_size: u64,
    /// The largest text member held in memory.
    pub text_size: u64,
    /// The largest zip central directory.
    pub central_directory: u64,
    /// The most members in a zip.
    pub members: usize,
    /// The largest tar extension header (pax, GNU long name).
    pub extension_header: u64,
}

impl Limits {
    /// The limits [`check_distribution`] uses.
    pub const DEFAULT: Limits = Limits {
        member_size: 4 << 30,
        total_size: 16 << 30,
        text_size: 64 << 20,
        central_directory: 256 << 20,
        members: 1_000_000,
        extension_header: 1 << 20,
    };
}

/// Checks a built wheel (`.whl`) or sdist (`.tar.gz`, also `.zip` sdists)
/// given its file name and contents.
///
/// `file_name` may be a path; only its last component is parsed, and it is
/// used unchanged as the diagnostics' `file`. Returns every problem found;
/// the distribution passes when there is no error.
pub fn check_distribution<R: Read + Seek>(file_name: &str, reader: R) -> Diagnostics {
    check_with_limits(file_name, reader, Limits::DEFAULT)
}

/// [`check_distribution`] with other limits (for tests of the limits).
pub(crate) fn check_with_limits<R: Read + Seek>(file_name: &str, reader: R, limits: Limits) -> Diagnostics {
    let base_name = base_name(file_name);
    let mut report = Report { archive: file_name, diagnostics: Diagnostics::default() };
    if base_name.ends_with(".whl") {
        wheel::check_wheel(&mut report, base_name, reader, limits);
    } else if base_name.ends_with(".tar.gz") || base_name.ends_with(".zip") {
        sdist::check_sdist(&mut report, base_name, reader, limits);
    } else {
        report.error(
            "distribution-unknown-format",
            None,
            format!("`{base_name}` is neither a wheel (`.whl`) nor an sdist (`.tar.gz`, or the legacy `.zip`)"),
            "pass the files `flit build` writes to `dist/`: `*.whl` and `*.tar.gz`",
        );
    }
    report.diagnostics
}

/// The text of `member` in the archive `file_name`, decoded as UTF-8 with
/// replacement characters, for showing the line a diagnostic points at.
/// `None` if the member is missing, unreadable or larger than 64 MiB.
pub fn member_text<R: Read + Seek>(file_name: &str, mut reader: R, member: &str) -> Option<String> {
    let limits = Limits::DEFAULT;
    let bytes = if base_name(file_name).ends_with(".tar.gz") {
        reader.seek(SeekFrom::Start(0)).ok()?;
        sdist::tar_member_bytes(reader, member, limits)?
    } else {
        let mut archive = zip_reader::ZipArchive::open(reader, limits).ok()?;
        let index = archive.entries.iter().position(|entry| entry.name == member)?;
        archive.read_to_vec(index, limits.text_size).ok()?
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn base_name(file_name: &str) -> &str {
    file_name.rsplit(['/', '\\']).next().unwrap_or(file_name)
}

/// Collects diagnostics about one archive.
pub(crate) struct Report<'a> {
    /// The archive's file name as given.
    pub archive: &'a str,
    /// What was found.
    pub diagnostics: Diagnostics,
}

impl Report<'_> {
    /// The `file` of a diagnostic about `member` (or the whole archive).
    pub fn file(&self, member: Option<&str>) -> String {
        match member {
            Some(member) => member_file(self.archive, member),
            None => self.archive.to_owned(),
        }
    }

    /// Records an error.
    pub fn error(&mut self, code: &'static str, member: Option<&str>, message: String, help: impl Into<String>) {
        let diagnostic = Diagnostic::error(code, self.file(member), message).with_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// Records a warning.
    pub fn warning(&mut self, code: &'static str, member: Option<&str>, message: String, help: impl Into<String>) {
        let diagnostic = Diagnostic::warning(code, self.file(member), message).with_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// Records a diagnostic already made.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a zip error about the archive as a whole (`member` `None`) or
    /// one member.
    fn zip_error(&mut self, member: Option<&str>, error: zip_reader::ZipError) {
        let what = match member {
            Some(member) => format!("`{member}`"),
            None => format!("`{}`", base_name(self.archive)),
        };
        match error {
            zip_reader::ZipError::Corrupt(reason) => self.error(
                "archive-corrupt",
                member,
                format!("{what} cannot be read: {reason}"),
                "the file is damaged or was changed after it was built; build it again",
            ),
            zip_reader::ZipError::Unsupported(reason) => self.error(
                "archive-unsupported",
                member,
                format!("{what} cannot be checked: {reason}"),
                "build the distribution with a standard build backend, which writes plain deflate zips",
            ),
            zip_reader::ZipError::TooLarge(reason) => self.error(
                "archive-too-large",
                member,
                format!("{what} is refused: {reason}"),
                "the limits protect against zip bombs; a real distribution is far smaller",
            ),
        }
    }

    /// Reports a tar error.
    fn tar_error(&mut self, member: Option<&str>, error: tar_reader::TarError) {
        let converted = match error {
            tar_reader::TarError::Corrupt(reason) => zip_reader::ZipError::Corrupt(reason),
            tar_reader::TarError::Unsupported(reason) => zip_reader::ZipError::Unsupported(reason),
            tar_reader::TarError::TooLarge(reason) => zip_reader::ZipError::TooLarge(reason),
        };
        self.zip_error(member, converted);
    }

    /// Checks the names of an archive's members: encoding, safety,
    /// duplicates (directories may repeat). `names` holds (name, is a
    /// directory, name problem).
    fn check_member_names<'n>(&mut self, names: impl Iterator<Item = (&'n str, bool, Option<&'static str>)>) {
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut reported: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (name, is_dir, name_problem) in names {
            if let Some(reason) = name_problem {
                self.error(
                    "archive-name-encoding",
                    Some(name),
                    format!("the member name `{name}` is unusable: {reason}"),
                    "name files with UTF-8 names (build tools do this by default)",
                );
            }
            if let Some(reason) = paths::unsafe_reason(name) {
                self.error(
                    "archive-unsafe-path",
                    Some(name),
                    format!("the member name `{}` is unsafe: {reason}", name.escape_default()),
                    "an archive must hold only relative paths inside it; rebuild it with a standard build tool",
                );
            }
            let key = name.trim_end_matches('/');
            if !seen.insert(key) && !is_dir && reported.insert(key) {
                self.error(
                    "archive-duplicate-member",
                    Some(name),
                    format!("the archive holds `{name}` more than once"),
                    "installers and unpackers silently pick one of the copies; rebuild the archive so each file appears once",
                );
            }
        }
    }
}

/// Checks a core metadata member (`METADATA` or `PKG-INFO`) and its
/// description, and that it names what the file name names.
pub(crate) struct MetadataCheck<'a> {
    /// The member's path in the archive.
    pub member: &'a str,
    /// The name and normalised version the file name gives, if it parsed.
    pub expected: Option<(&'a str, &'a str)>,
    /// The archive's file name without directories, for messages.
    pub base_name: &'a str,
    /// True for `PKG-INFO` (which PEP 643 wants at Metadata-Version 2.2+).
    pub sdist: bool,
}

impl MetadataCheck<'_> {
    pub(crate) fn run(&self, report: &mut Report<'_>, bytes: &[u8]) {
        let file = report.file(Some(self.member));
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(error) => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                // The lossy text has the same bytes up to the first bad one.
                let start = error.valid_up_to();
                let end =
                    text.get(start..).and_then(|rest| rest.chars().next()).map_or(start, |c| start + c.len_utf8());
                report.push(
                    Diagnostic::error(
                        "metadata-invalid",
                        file.clone(),
                        format!("`{}` is not valid UTF-8", self.member),
                    )
                    .with_help("core metadata must be UTF-8; rebuild the distribution")
                    .at(&text, Span { start, end }),
                );
                text
            }
        };
        let analysis = metadata::analyse(&text);
        for problem in &analysis.problems {
            report.push(problem.to_diagnostic(&file, &text));
        }
        if self.sdist {
            let version = analysis.metadata.metadata_version.as_str();
            if version == "2.1" {
                let span = field_span(&analysis.metadata, "Metadata-Version");
                let diagnostic = Diagnostic::warning(
                    "sdist-metadata-version",
                    file.clone(),
                    format!("`PKG-INFO` declares Metadata-Version {version}; sdists should use 2.2 or later (PEP 643)"),
                )
                .with_help("build the sdist with a current build backend, so tools can trust its static metadata");
                report.push(match span {
                    Some(span) => diagnostic.at(&text, span),
                    None => diagnostic,
                });
            }
        }
        check_description(report, &file, &text, &analysis);
        if let Some((name, version)) = self.expected {
            self.check_agreement(report, &file, &text, &analysis, name, version);
        }
    }

    fn check_agreement(
        &self,
        report: &mut Report<'_>,
        file: &str,
        text: &str,
        analysis: &metadata::Analysis,
        name: &str,
        version: &str,
    ) {
        let metadata = &analysis.metadata;
        if analysis.name_valid && normalise_name(&metadata.name) != normalise_name(name) {
            let diagnostic = Diagnostic::error(
                "metadata-name-mismatch",
                file,
                format!(
                    "`Name` is `{}`, but the file name `{}` is for `{name}`",
                    metadata.name, self.base_name
                ),
            )
            .with_help("the file name must carry the normalised project name from the metadata; rebuild the distribution rather than renaming it");
            report.push(at_field(diagnostic, metadata, text, "Name"));
        }
        if analysis.version_valid && normalise_version(&metadata.version).ok().as_deref() != Some(version) {
            let diagnostic = Diagnostic::error(
                "metadata-version-mismatch",
                file,
                format!(
                    "`Version` is `{}`, but the file name `{}` is for version `{version}`",
                    metadata.version, self.base_name
                ),
            )
            .with_help("the file name must carry the normalised version from the metadata; rebuild the distribution rather than renaming it");
            report.push(at_field(diagnostic, metadata, text, "Version"));
        }
    }
}

fn field_span(metadata: &ParsedMetadata, name: &str) -> Option<Span> {
    metadata.fields.iter().find(|field| field.name.eq_ignore_ascii_case(name)).map(|field| field.value_span)
}

fn at_field(diagnostic: Diagnostic, metadata: &ParsedMetadata, text: &str, name: &str) -> Diagnostic {
    match field_span(metadata, name) {
        Some(span) => diagnostic.at(text, span),
        None => diagnostic,
    }
}

/// What `twine check` does with the description: warn when it or its
/// content type is missing, and render reStructuredText.
fn check_description(report: &mut Report<'_>, file: &str, text: &str, analysis: &metadata::Analysis) {
    if analysis.description_conflict {
        return; // already an error; neither copy is the description
    }
    let metadata = &analysis.metadata;
    let declared = field_span(metadata, "Description-Content-Type").is_some();
    if !declared {
        report.push(
            Diagnostic::warning(
                "description-content-type-missing",
                file,
                "`Description-Content-Type` is missing, so the description is taken to be reStructuredText",
            )
            .with_help(
                "declare the description's format: in pyproject.toml use a README with a `.md`, `.rst` or `.txt` extension, or `readme = {file = \"README\", content-type = \"text/markdown\"}`",
            ),
        );
    }
    let is_rst = match &metadata.description_content_type {
        Some(content_type) => content_type.mime_type == "text/x-rst",
        None => !declared,
    };
    let description = metadata.description.as_ref().filter(|description| {
        let trimmed = description.text.trim_end_matches(is_python_whitespace);
        !description.text.is_empty() && trimmed != "UNKNOWN"
    });
    let Some(description) = description else {
        report.push(
            Diagnostic::warning(
                "description-missing",
                file,
                "there is no long description (`Description`), so the project's page on the index will be empty",
            )
            .with_help("add a README: `readme = \"README.md\"` in the `[project]` table of pyproject.toml"),
        );
        return;
    };
    if !is_rst || !analysis.content_type_usable {
        return;
    }
    let normalised = description.text.replace("\r\n", "\n").replace('\r', "\n");
    for crate::rst::RstProblem { line, message, .. } in crate::rst::check_rst(&normalised) {
        let diagnostic = Diagnostic::error(
            "description-not-rendered",
            file,
            format!("the description would not be rendered on the index: line {line}: {message}"),
        )
        .with_help(
            "fix the reStructuredText markup at that line of the README; or, if it is Markdown or plain text, declare `Description-Content-Type: text/markdown` or `text/plain`",
        );
        report.push(match description.span_of_line(line) {
            Some(span) => diagnostic.at(text, span),
            None => diagnostic,
        });
    }
}
