//! Sdist checks: the source distribution format specification (PEP 625,
//! PEP 643), with the extraction rules of PEP 721's `data` filter for what
//! members may be.

use std::collections::BTreeSet;
use std::io::{BufReader, Read, Seek};

use super::filename::{SdistFormat, SdistName, parse_sdist_name};
use super::tar_reader::{LimitedReader, TarError, TarKind, TarReader};
use super::zip_reader::ZipArchive;
use super::{Limits, MetadataCheck, Report, paths};

/// What a member is, for the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    File,
    Directory,
    Symlink(String),
    Hardlink(String),
    /// A device, FIFO or unknown type, described in words.
    Special(String),
}

/// One member of the sdist.
#[derive(Debug, Clone)]
struct Member {
    name: String,
    name_problem: Option<&'static str>,
    kind: Kind,
}

/// What reading the archive gave.
#[derive(Default)]
struct Contents {
    members: Vec<Member>,
    /// The bytes of every `<top>/PKG-INFO` regular file, by top directory
    /// (only the first of each is kept).
    pkg_infos: Vec<(String, Vec<u8>)>,
    /// False when damage stopped the listing early: members that were not
    /// seen are then not reported missing.
    complete: bool,
}

pub(super) fn check_sdist<R: Read + Seek>(report: &mut Report<'_>, base_name: &str, reader: R, limits: Limits) {
    let (name, format) = match parse_sdist_name(base_name) {
        Ok((name, format)) => {
            if let Some(what) = name.not_normalised() {
                report.warning(
                    "file-name-not-normalised",
                    None,
                    format!("the sdist's file name `{base_name}` is not in the normal form of PEP 625: {what}"),
                    "current build tools write `{normalised_name}-{version}.tar.gz`; rebuild the sdist with one",
                );
            }
            if format == SdistFormat::Zip {
                report.warning(
                    "sdist-legacy-zip",
                    None,
                    format!("`{base_name}` is a `.zip` sdist; the source distribution format is `.tar.gz`"),
                    "build the sdist as `.tar.gz`; `.zip` sdists are a legacy format that tools may stop accepting",
                );
            }
            (Some(name), format)
        }
        Err(reason) => {
            report.error(
                "sdist-file-name",
                None,
                format!("`{base_name}` is not a valid sdist file name: {reason}"),
                "an sdist is named `{normalised_name}-{version}.tar.gz`, such as `foo_bar-1.0.tar.gz`; rebuild it instead of renaming it",
            );
            let format = if base_name.ends_with(".zip") { SdistFormat::Zip } else { SdistFormat::TarGz };
            (None, format)
        }
    };
    let contents = match format {
        SdistFormat::TarGz => read_tar(report, reader, limits),
        SdistFormat::Zip => read_zip(report, reader, limits),
    };
    let Some(contents) = contents else { return };
    check_contents(report, &contents, name.as_ref(), base_name);
}

/// Reads a `.tar.gz` sdist; `None` if nothing could be read.
fn read_tar<R: Read>(report: &mut Report<'_>, reader: R, limits: Limits) -> Option<Contents> {
    let decoder = flate2::read::MultiGzDecoder::new(BufReader::new(reader));
    let mut tar = TarReader::new(LimitedReader::new(decoder, limits.total_size), limits);
    let mut contents = Contents { complete: true, ..Contents::default() };
    loop {
        let entry = match tar.next_entry() {
            Ok(Some(entry)) => entry,
            Ok(None) => break,
            Err(error) => {
                if contents.members.is_empty() {
                    report_unreadable(report, error);
                    return None;
                }
                report.tar_error(None, error);
                contents.complete = false;
                return Some(contents);
            }
        };
        let kind = match &entry.kind {
            TarKind::File => Kind::File,
            TarKind::Directory => Kind::Directory,
            TarKind::Symlink => Kind::Symlink(entry.link_target.clone()),
            TarKind::Hardlink => Kind::Hardlink(entry.link_target.clone()),
            TarKind::CharDevice => Kind::Special("a character device".to_owned()),
            TarKind::BlockDevice => Kind::Special("a block device".to_owned()),
            TarKind::Fifo => Kind::Special("a named pipe (FIFO)".to_owned()),
            TarKind::Other(flag) => Kind::Special(format!("of unknown type `{}`", char::from(*flag).escape_default())),
        };
        if kind == Kind::File && is_pkg_info(&entry.name) && !has_pkg_info(&contents, &entry.name) {
            if entry.size > limits.text_size {
                report.error(
                    "archive-too-large",
                    Some(&entry.name),
                    format!(
                        "`{}` is {} bytes, more than the {} this check reads",
                        entry.name, entry.size, limits.text_size
                    ),
                    "core metadata is a few kilobytes; rebuild the sdist",
                );
            } else {
                let mut bytes = Vec::new();
                match tar.read_content(&mut |chunk| bytes.extend_from_slice(chunk)) {
                    Ok(()) => contents.pkg_infos.push((top_of(&entry.name), bytes)),
                    Err(error) => {
                        report.tar_error(Some(&entry.name), error);
                        contents.members.push(Member { name: entry.name, name_problem: entry.name_problem, kind });
                        contents.complete = false;
                        return Some(contents);
                    }
                }
            }
        } else if entry.size > limits.member_size {
            report.error(
                "archive-too-large",
                Some(&entry.name),
                format!(
                    "`{}` is {} bytes, more than the {} this check reads",
                    entry.name, entry.size, limits.member_size
                ),
                "the limits protect against compression bombs; a real sdist is far smaller",
            );
        }
        contents.members.push(Member { name: entry.name, name_problem: entry.name_problem, kind });
    }
    // Read to the end of the compressed stream, so its checksum is verified.
    if let Err(error) = tar.drain(limits.total_size) {
        report.tar_error(None, error);
    }
    Some(contents)
}

/// The error when not even the first member can be read: usually not a
/// gzip file at all.
fn report_unreadable(report: &mut Report<'_>, error: TarError) {
    let error = match error {
        TarError::Corrupt(reason) => TarError::Corrupt(format!("it is not a gzip-compressed tar archive ({reason})")),
        other => other,
    };
    report.tar_error(None, error);
}

/// Reads a legacy `.zip` sdist.
fn read_zip<R: Read + Seek>(report: &mut Report<'_>, reader: R, limits: Limits) -> Option<Contents> {
    let mut archive = match ZipArchive::open(reader, limits) {
        Ok(archive) => archive,
        Err(error) => {
            report.zip_error(None, error);
            return None;
        }
    };
    let layout_problems = std::mem::take(&mut archive.layout_problems);
    for (index, message) in layout_problems {
        let member = archive.entries.get(index).map(|entry| entry.name.clone()).unwrap_or_default();
        report.zip_error(Some(&member), super::zip_reader::ZipError::Corrupt(message));
    }
    // The central directory lists every member even when some are damaged.
    let mut contents = Contents { complete: true, ..Contents::default() };
    for index in 0..archive.entries.len() {
        let Some(entry) = archive.entries.get(index).cloned() else { continue };
        let name = entry.name.trim_end_matches('/').to_owned();
        let mode = entry.unix_mode().unwrap_or(0) & 0o170_000;
        let mut bytes = Vec::new();
        let wanted = entry.is_symlink() || (is_pkg_info(&name) && !has_pkg_info(&contents, &name));
        let limit = if entry.is_symlink() { 4096 } else { limits.text_size };
        // Every member is read, so damage anywhere is found.
        let result = if entry.is_dir() {
            Ok(())
        } else if wanted {
            archive.read_to_vec(index, limit).map(|read| bytes = read)
        } else {
            archive.read_member(index, &mut |_| {})
        };
        let read_ok = result.is_ok();
        if let Err(error) = result {
            report.zip_error(Some(&entry.name), error);
        }
        let kind = if entry.is_dir() || mode == 0o040_000 {
            Kind::Directory
        } else if entry.is_symlink() {
            Kind::Symlink(String::from_utf8_lossy(&bytes).into_owned())
        } else if mode != 0 && mode != 0o100_000 {
            Kind::Special(format!("of Unix file type {mode:o}"))
        } else {
            if wanted && read_ok && is_pkg_info(&name) {
                contents.pkg_infos.push((top_of(&name), bytes));
            }
            Kind::File
        };
        contents.members.push(Member { name, name_problem: entry.name_problem, kind });
    }
    Some(contents)
}

/// `X/PKG-INFO`, one level down.
fn is_pkg_info(name: &str) -> bool {
    let parts = paths::components(name);
    parts.len() == 2 && parts.get(1) == Some(&"PKG-INFO")
}

fn top_of(name: &str) -> String {
    paths::components(name).first().map(|part| (*part).to_owned()).unwrap_or_default()
}

fn has_pkg_info(contents: &Contents, name: &str) -> bool {
    let top = top_of(name);
    contents.pkg_infos.iter().any(|(existing, _)| *existing == top)
}

fn check_contents(report: &mut Report<'_>, contents: &Contents, name: Option<&SdistName>, base_name: &str) {
    let members = &contents.members;
    report.check_member_names(
        members.iter().map(|member| (member.name.as_str(), member.kind == Kind::Directory, member.name_problem)),
    );

    // Layout: one top-level directory, named like the file.
    let mut tops: BTreeSet<String> = BTreeSet::new();
    let mut top_files: Vec<&str> = Vec::new();
    for member in members {
        let parts = paths::components(&member.name);
        let Some(first) = parts.first() else { continue };
        if parts.len() == 1 && member.kind != Kind::Directory {
            top_files.push(member.name.as_str());
        } else {
            tops.insert((*first).to_owned());
        }
    }
    let expected_top = name.map(|name| name.stem.as_str());
    let listed = |names: &mut dyn Iterator<Item = &str>| {
        let all: Vec<String> = names.map(|name| format!("`{name}`")).collect();
        if all.len() > 5 { format!("{} and {} more", all[..5].join(", "), all.len() - 5) } else { all.join(", ") }
    };
    let wanted = expected_top.map_or_else(|| "`{name}-{version}`".to_owned(), |top| format!("`{top}/`"));
    if members.is_empty() {
        report.error(
            "sdist-layout",
            None,
            "the sdist is empty".to_owned(),
            format!("an sdist holds the project's files in one directory {wanted}; rebuild it"),
        );
        return;
    }
    if tops.len() > 1 || !top_files.is_empty() {
        let mut message = String::new();
        if tops.len() > 1 {
            message = format!(
                "the sdist has {} top-level directories ({})",
                tops.len(),
                listed(&mut tops.iter().map(String::as_str))
            );
        }
        if !top_files.is_empty() {
            if !message.is_empty() {
                message.push_str(", and ");
            } else {
                message.push_str("the sdist has ");
            }
            message.push_str(&format!("files at the top level ({})", listed(&mut top_files.iter().copied())));
        }
        message.push_str("; it must have exactly one top-level directory and nothing beside it");
        report.error(
            "sdist-layout",
            None,
            message,
            format!("put everything in {wanted}; rebuild the sdist with a build backend"),
        );
    }
    let top = match (expected_top, tops.len()) {
        (Some(expected), _) if tops.contains(expected) => Some(expected.to_owned()),
        (_, 1) => tops.iter().next().cloned(),
        _ => None,
    };
    if let (Some(expected), Some(single)) = (expected_top, tops.iter().next())
        && tops.len() == 1
        && single != expected
    {
        report.error(
            "sdist-layout",
            Some(&format!("{single}/")),
            format!("the top-level directory is `{single}`, but the file name calls for `{expected}`"),
            "the directory must be named like the file, `{name}-{version}` (PEP 625); rebuild the sdist instead of renaming it",
        );
    }

    // Member types and links.
    let top_prefix = top.clone();
    for member in members {
        match &member.kind {
            Kind::Special(what) => report.error(
                "archive-member-type",
                Some(&member.name),
                format!("`{}` is {what}; an sdist may hold only files, directories and links inside it", member.name),
                "remove it from the sdist (exclude it in `[tool.flit.sdist]` or the build backend's settings)",
            ),
            Kind::Symlink(target) => {
                let resolved = paths::resolve_link(&member.name, target);
                let inside = resolved.as_ref().is_some_and(|parts| {
                    top_prefix.as_deref().is_none_or(|top| parts.first().map(String::as_str) == Some(top))
                });
                if !inside {
                    report.error(
                        "archive-unsafe-link",
                        Some(&member.name),
                        format!("the symlink `{}` points to `{target}`, outside the sdist's directory", member.name),
                        "unpackers refuse such links (PEP 721); include the file itself instead of a link",
                    );
                }
            }
            Kind::Hardlink(target) => {
                let safe = paths::unsafe_reason(target).is_none();
                let inside =
                    safe && top_prefix.as_deref().is_none_or(|top| paths::components(target).first() == Some(&top));
                if !inside {
                    report.error(
                        "archive-unsafe-link",
                        Some(&member.name),
                        format!("the hard link `{}` points to `{target}`, outside the sdist's directory", member.name),
                        "unpackers refuse such links (PEP 721); include the file itself instead of a link",
                    );
                }
            }
            Kind::File | Kind::Directory => {}
        }
    }

    // PKG-INFO and pyproject.toml in the top-level directory.
    let Some(top) = top else { return };
    let pkg_info_path = format!("{top}/PKG-INFO");
    let pkg_info_member = members.iter().find(|member| paths::components(&member.name) == [top.as_str(), "PKG-INFO"]);
    match pkg_info_member.map(|member| &member.kind) {
        None if !contents.complete => {}
        None => report.error(
            "sdist-pkg-info-missing",
            None,
            format!("the sdist has no `{pkg_info_path}`, so it has no core metadata"),
            "an sdist's metadata is in `PKG-INFO` in its top-level directory; rebuild it with a build backend",
        ),
        Some(Kind::File) => {
            if let Some((_, bytes)) = contents.pkg_infos.iter().find(|(existing, _)| *existing == top) {
                let expected = name.map(|name| (name.name.as_str(), name.normalised_version.as_str()));
                MetadataCheck { member: &pkg_info_path, expected, base_name, sdist: true }.run(report, bytes);
            }
        }
        Some(other) => {
            let what = match other {
                Kind::Directory => "a directory",
                Kind::Symlink(_) => "a symbolic link",
                Kind::Hardlink(_) => "a hard link",
                _ => "not a regular file",
            };
            report.error(
                "sdist-pkg-info-missing",
                Some(&pkg_info_path),
                format!("`{pkg_info_path}` is {what}, not a regular file"),
                "PKG-INFO must be a regular file holding the core metadata; rebuild the sdist",
            );
        }
    }
    let has_pyproject = members
        .iter()
        .any(|member| member.kind == Kind::File && paths::components(&member.name) == [top.as_str(), "pyproject.toml"]);
    if !has_pyproject && contents.complete {
        report.warning(
            "sdist-pyproject-missing",
            None,
            format!("the sdist has no `{top}/pyproject.toml`"),
            "the source distribution format expects `pyproject.toml`, which says how to build the project; include it",
        );
    }
}

/// The bytes of `member` in a `.tar.gz` (for [`super::member_text`]).
pub(super) fn tar_member_bytes<R: Read>(reader: R, member: &str, limits: Limits) -> Option<Vec<u8>> {
    let decoder = flate2::read::MultiGzDecoder::new(BufReader::new(reader));
    let mut tar = TarReader::new(LimitedReader::new(decoder, limits.total_size), limits);
    while let Ok(Some(entry)) = tar.next_entry() {
        if entry.name == member && entry.kind == TarKind::File && entry.size <= limits.text_size {
            let mut bytes = Vec::new();
            tar.read_content(&mut |chunk| bytes.extend_from_slice(chunk)).ok()?;
            return Some(bytes);
        }
    }
    None
}
