//! Comparisons of our archives with the reference's, producing readable
//! accounts of every difference (a line diff for text, the field and offset
//! for binary headers), so that a failing test says what differs.

use super::sdist::{self, Sdist};
use super::wheel::{Member, Wheel};

/// At most this many differences are listed per archive; the rest are counted.
const MAX_DIFFERENCES: usize = 40;

/// Collects the differences found in one archive.
#[derive(Debug, Default)]
pub struct Differences {
    items: Vec<String>,
}

impl Differences {
    /// Records one difference.
    pub fn push(&mut self, item: impl Into<String>) {
        self.items.push(item.into());
    }

    /// Records `what` if `reference != ours`.
    pub fn check<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, reference: T, ours: T) {
        if reference != ours {
            self.push(format!("{what}: flit_core {reference:?}, ours {ours:?}"));
        }
    }

    /// True if nothing differs.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All differences as text, capped at [`MAX_DIFFERENCES`].
    pub fn render(&self) -> String {
        let mut text = String::new();
        for item in self.items.iter().take(MAX_DIFFERENCES) {
            text.push_str("  - ");
            text.push_str(&item.replace('\n', "\n    "));
            text.push('\n');
        }
        if self.items.len() > MAX_DIFFERENCES {
            text.push_str(&format!("  ... and {} more\n", self.items.len() - MAX_DIFFERENCES));
        }
        text
    }
}

// ---------------------------------------------------------------------------
// Text diffs

fn visible(line: &str) -> String {
    let trimmed = line.trim_end_matches(' ');
    let trailing = line.len() - trimmed.len();
    let mut shown = trimmed.replace('\t', "\\t").replace('\r', "\\r");
    shown.push_str(&"·".repeat(trailing));
    shown
}

/// A line diff of two texts (`-` flit_core, `+` ours) with three lines of
/// context. Line terminators are split on `\n`, so a `\r` shows as `\r`, and
/// trailing spaces show as `·`.
pub fn text_diff(reference: &str, ours: &str) -> String {
    let left: Vec<&str> = reference.split('\n').collect();
    let right: Vec<&str> = ours.split('\n').collect();
    let (n, m) = (left.len(), right.len());
    if n.saturating_mul(m) > 4_000_000 {
        let first = left.iter().zip(&right).position(|(a, b)| a != b).unwrap_or(n.min(m));
        return format!(
            "(too long for a diff) first difference at line {}:\n-{}\n+{}",
            first + 1,
            left.get(first).map_or("<end>".to_owned(), |l| visible(l)),
            right.get(first).map_or("<end>".to_owned(), |l| visible(l)),
        );
    }
    // Longest common subsequence, filled from the end.
    let mut lengths = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[i][j] =
                if left[i] == right[j] { lengths[i + 1][j + 1] + 1 } else { lengths[i + 1][j].max(lengths[i][j + 1]) };
        }
    }
    let mut lines: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && left[i] == right[j] {
            lines.push((' ', left[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lengths[i + 1][j] >= lengths[i][j + 1]) {
            lines.push(('-', left[i]));
            i += 1;
        } else {
            lines.push(('+', right[j]));
            j += 1;
        }
    }
    let changed: Vec<usize> = lines.iter().enumerate().filter(|(_, (tag, _))| *tag != ' ').map(|(k, _)| k).collect();
    let mut out = String::from("--- flit_core\n+++ ours\n");
    let mut last_shown: Option<usize> = None;
    for (k, (tag, line)) in lines.iter().enumerate() {
        let near = changed.iter().any(|&c| c.abs_diff(k) <= 3);
        if !near {
            continue;
        }
        if last_shown.is_some_and(|last| k > last + 1) {
            out.push_str("...\n");
        }
        out.push(*tag);
        out.push_str(&visible(line));
        out.push('\n');
        last_shown = Some(k);
    }
    out
}

/// Describes how two byte strings differ: a text diff when both are UTF-8,
/// else the sizes and the first differing offset.
pub fn bytes_diff(reference: &[u8], ours: &[u8]) -> String {
    match (std::str::from_utf8(reference), std::str::from_utf8(ours)) {
        (Ok(left), Ok(right)) => text_diff(left, right),
        _ => {
            let first = reference.iter().zip(ours).position(|(a, b)| a != b).unwrap_or(reference.len().min(ours.len()));
            format!(
                "binary contents differ: flit_core {} bytes, ours {} bytes, first difference at byte {first}",
                reference.len(),
                ours.len()
            )
        }
    }
}

// ---------------------------------------------------------------------------
// Wheels

fn compare_member_headers(reference: &Member, ours: &Member, differences: &mut Differences) {
    let name = &reference.name;
    if reference.mode != ours.mode {
        differences.push(format!("{name}: mode flit_core {:o}, ours {:o}", reference.mode, ours.mode));
    } else if reference.external_attr != ours.external_attr {
        differences.push(format!(
            "{name}: external_attr flit_core {:#010x}, ours {:#010x}",
            reference.external_attr, ours.external_attr
        ));
    }
    if reference.date_time != ours.date_time {
        differences.push(format!("{name}: zip timestamp flit_core {}, ours {}", reference.date_time, ours.date_time));
    }
    differences.check(&format!("{name}: compression method"), reference.method, ours.method);
    if reference.flags != ours.flags {
        differences.push(format!(
            "{name}: general-purpose flags flit_core {:#06x}, ours {:#06x}",
            reference.flags, ours.flags
        ));
    }
    if reference.version_made_by != ours.version_made_by {
        differences.push(format!(
            "{name}: version made by flit_core {:#06x}, ours {:#06x}",
            reference.version_made_by, ours.version_made_by
        ));
    }
    differences.check(&format!("{name}: version needed"), reference.version_needed, ours.version_needed);
    differences.check(&format!("{name}: internal attributes"), reference.internal_attr, ours.internal_attr);
    differences.check(&format!("{name}: central extra field"), &reference.extra, &ours.extra);
    differences.check(&format!("{name}: file comment"), &reference.comment, &ours.comment);
    // The local header repeats some central fields; report it only when the
    // central fields agree, so one difference is not listed twice.
    let central = |member: &Member| (member.version_needed, member.flags, member.method, member.date_time);
    if central(reference) == central(ours) && reference.local != ours.local {
        let describe = |member: &Member| {
            let (needed, flags, method, date_time, extra) = &member.local;
            format!("version needed {needed}, flags {flags:#06x}, method {method}, time {date_time}, extra {extra:?}")
        };
        differences.push(format!(
            "{name}: local header differs: flit_core {}; ours {}",
            describe(reference),
            describe(ours)
        ));
    }
}

fn without_generator(text: &str) -> String {
    text.split_inclusive('\n').filter(|line| !line.starts_with("Generator:")).collect()
}

fn redact_wheel_row(record: &str, wheel_path: &str) -> String {
    let prefix = format!("{wheel_path},");
    record
        .split_inclusive('\n')
        .map(|row| {
            if row.starts_with(&prefix) {
                format!("{wheel_path},<WHEEL row: hash and size not compared>\r\n")
            } else {
                row.to_owned()
            }
        })
        .collect()
}

fn compare_member_data(reference: &Member, ours: &Member, ours_wheel: &Wheel, differences: &mut Differences) {
    let name = &reference.name;
    if name.ends_with(".dist-info/WHEEL") {
        let (left, right) = (String::from_utf8_lossy(&reference.data), String::from_utf8_lossy(&ours.data));
        if without_generator(&left) != without_generator(&right) {
            differences.push(format!("{name} differs (Generator: line excluded):\n{}", text_diff(&left, &right)));
        }
        if right.lines().filter(|line| line.starts_with("Generator: ")).count() != 1 {
            differences.push(format!("{name}: ours should have exactly one Generator: line:\n{right}"));
        }
    } else if let Some(dist_info) = name.strip_suffix("/RECORD").filter(|prefix| prefix.ends_with(".dist-info")) {
        let wheel_path = format!("{dist_info}/WHEEL");
        let (left, right) = (String::from_utf8_lossy(&reference.data), String::from_utf8_lossy(&ours.data));
        let (left_redacted, right_redacted) =
            (redact_wheel_row(&left, &wheel_path), redact_wheel_row(&right, &wheel_path));
        if left_redacted != right_redacted {
            differences.push(format!(
                "{name} differs (the WHEEL row excluded):\n{}",
                text_diff(&left_redacted, &right_redacted)
            ));
        }
        if let Some(our_wheel_file) = ours_wheel.member(&wheel_path) {
            let size_suffix = format!(",{}\r\n", our_wheel_file.data.len());
            let row = right.split_inclusive('\n').find(|row| row.starts_with(&format!("{wheel_path},sha256=")));
            if !row.is_some_and(|row| row.ends_with(&size_suffix)) {
                differences.push(format!("{name}: ours should have a row `{wheel_path},sha256=...{size_suffix:?}`"));
            }
        }
    } else if reference.data != ours.data {
        differences.push(format!("{name} differs:\n{}", bytes_diff(&reference.data, &ours.data)));
    }
}

/// Compares two wheels member by member.
pub fn compare_wheels(reference: &Wheel, ours: &Wheel) -> Differences {
    let mut differences = Differences::default();
    let (left, right) = (reference.names(), ours.names());
    if left != right {
        differences.push(format!("member names or order differ:\n{}", text_diff(&left.join("\n"), &right.join("\n"))));
    }
    for member in &reference.members {
        if let Some(our_member) = ours.member(&member.name) {
            compare_member_headers(member, our_member, &mut differences);
            compare_member_data(member, our_member, ours, &mut differences);
        }
    }
    differences.check("archive comment", &reference.comment, &ours.comment);
    differences
}

// ---------------------------------------------------------------------------
// Sdists

fn compare_entries(reference: &sdist::Entry, ours: &sdist::Entry, differences: &mut Differences) {
    let name = &reference.name;
    differences.check(&format!("{name}: type"), reference.kind, ours.kind);
    if reference.mode != ours.mode {
        differences.push(format!("{name}: mode flit_core {:o}, ours {:o}", reference.mode, ours.mode));
    }
    differences.check(&format!("{name}: uid"), reference.uid, ours.uid);
    differences.check(&format!("{name}: gid"), reference.gid, ours.gid);
    differences.check(&format!("{name}: uname"), &reference.uname, &ours.uname);
    differences.check(&format!("{name}: gname"), &reference.gname, &ours.gname);
    differences.check(&format!("{name}: mtime"), reference.mtime, ours.mtime);
    differences.check(&format!("{name}: size"), reference.size, ours.size);
    differences.check(&format!("{name}: linkname"), &reference.linkname, &ours.linkname);
    differences.check(&format!("{name}: pax records"), &reference.pax, &ours.pax);
    if reference.data != ours.data {
        differences.push(format!("{name}: contents differ:\n{}", bytes_diff(&reference.data, &ours.data)));
    }
}

/// Compares two sdists: the gzip header fields flit fixes, then the
/// decompressed tar streams, which must be byte-identical. When they are not,
/// the members are compared field by field and the first differing byte is
/// located.
pub fn compare_sdists(reference: &Sdist, ours: &Sdist) -> Differences {
    let mut differences = Differences::default();
    let (left, right) = (&reference.gzip, &ours.gzip);
    differences.check("gzip FLG", left.flags, right.flags);
    differences.check("gzip MTIME", left.mtime, right.mtime);
    differences.check("gzip XFL", left.extra_flags, right.extra_flags);
    differences.check("gzip OS", left.os, right.os);
    differences.check(
        "gzip FNAME",
        left.file_name.as_deref().map(String::from_utf8_lossy),
        right.file_name.as_deref().map(String::from_utf8_lossy),
    );
    if reference.tar == ours.tar {
        return differences;
    }
    let (left_names, right_names) = (reference.names(), ours.names());
    if left_names != right_names {
        differences.push(format!(
            "member names or order differ:\n{}",
            text_diff(&left_names.join("\n"), &right_names.join("\n"))
        ));
    }
    let headers = |sdist: &Sdist| -> Vec<String> {
        sdist.entries.iter().map(|entry| format!("{} {:?}", entry.kind, entry.name)).collect()
    };
    let (left_headers, right_headers) = (headers(reference), headers(ours));
    if left_headers != right_headers && left_names == right_names {
        differences.push(format!(
            "the pax extended headers differ (type, name of each header):\n{}",
            text_diff(&left_headers.join("\n"), &right_headers.join("\n"))
        ));
    }
    for member in reference.members() {
        if let Some(our_member) = ours.member(&member.name) {
            compare_entries(member, our_member, &mut differences);
        }
    }
    let first = reference.tar.iter().zip(&ours.tar).position(|(a, b)| a != b);
    match first {
        Some(offset) => differences.push(format!(
            "the tar streams first differ at byte {offset}: in flit_core's, {}; in ours, {}",
            sdist::describe_offset(reference, offset),
            sdist::describe_offset(ours, offset)
        )),
        None => differences.push(format!(
            "the tar streams have different lengths: flit_core {} bytes, ours {} bytes (end-of-archive padding?)",
            reference.tar.len(),
            ours.tar.len()
        )),
    }
    differences
}
