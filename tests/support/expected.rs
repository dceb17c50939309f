//! Deliberate differences from flit 4.2, applied to flit_core's archives
//! before they are compared with ours, so each one is a recorded
//! expectation (named in `fixtures.toml`) rather than a skipped check.
//!
//! `drop-metadata-lines`: flit-rs leaves these lines out of METADATA and
//! PKG-INFO (for example the invalid `Import-Name: parrot-stubs` that
//! flit 4.2 writes for stub-only packages). The reference wheel's METADATA
//! and its RECORD row are rewritten, and the reference sdist's PKG-INFO
//! member is rewritten the way CPython's tarfile writes it.

use base64::Engine;
use sha2::{Digest, Sha256};

use super::sdist::{self, Sdist};
use super::wheel::Wheel;

fn without_lines(text: &[u8], dropped: &[String]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut kept = String::new();
    for line in text.split_inclusive('\n') {
        if !dropped.iter().any(|drop| line.trim_end_matches('\n') == drop) {
            kept.push_str(line);
        }
    }
    kept.into_bytes()
}

/// Applies `drop-metadata-lines` to flit_core's wheel.
pub fn apply_to_wheel(reference: &mut Wheel, dropped: &[String]) {
    if dropped.is_empty() {
        return;
    }
    let Some(metadata) = reference.members.iter_mut().find(|member| member.name.ends_with(".dist-info/METADATA"))
    else {
        return;
    };
    metadata.data = without_lines(&metadata.data, dropped);
    let (name, data) = (metadata.name.clone(), metadata.data.clone());
    let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(&data));
    let row = format!("{name},sha256={digest},{}", data.len());
    if let Some(record) = reference.members.iter_mut().find(|member| member.name.ends_with(".dist-info/RECORD")) {
        let text = String::from_utf8_lossy(&record.data).into_owned();
        let rewritten: Vec<String> = text
            .split("\r\n")
            .map(|line| if line.starts_with(&format!("{name},")) { row.clone() } else { line.to_owned() })
            .collect();
        record.data = rewritten.join("\r\n").into_bytes();
    }
}

/// Applies `drop-metadata-lines` to flit_core's sdist: PKG-INFO is the last
/// member, so the stream is cut before it and the member written again.
pub fn apply_to_sdist(reference: &mut Sdist, dropped: &[String]) {
    if dropped.is_empty() {
        return;
    }
    let Some(pkg_info) = reference.entries.iter().rev().find(|entry| entry.name.ends_with("/PKG-INFO")) else {
        return;
    };
    let (name, offset) = (pkg_info.name.clone(), pkg_info.offset);
    let data = without_lines(&pkg_info.data, dropped);
    // Header, data padded to a block, two zero blocks, then zeros to a
    // whole 10240-byte record, as tarfile.close() leaves it.
    let mut tar = reference.tar[..offset].to_vec();
    tar.extend(flit_core::archive::tar::file_header(&name, 0o644, 0, data.len() as u64).expect("a PKG-INFO header"));
    tar.extend_from_slice(&data);
    tar.resize(tar.len().div_ceil(512) * 512 + 1024, 0);
    tar.resize(tar.len().div_ceil(10240) * 10240, 0);
    let (entries, end_offset) = sdist::parse_tar(&tar).expect("the rewritten stream parses");
    reference.tar = tar;
    reference.entries = entries;
    reference.end_offset = end_offset;
}
