//! Differential tests of the archive writers against CPython itself.
//!
//! The interpreter named by `FLIT_TEST_PYTHON` (CPython 3.11, the reference
//! flit 4.2 runs on) writes reference archives with `tarfile`
//! (`PAX_FORMAT`), `gzip.GzipFile` and `zipfile` for a matrix of cases; the
//! same cases go through `flit_core::archive`, and:
//! - tar streams must be byte-identical;
//! - gzip headers and trailers must be byte-identical, and both bodies must
//!   decompress to the same tar (deflate bytes may differ: zlib-rs vs zlib);
//! - zip archives must read back in Python's `zipfile` with the same member
//!   names, order, contents, attributes, date_time, flag bits and versions,
//!   and their headers must be identical apart from compressed sizes and
//!   offsets (which depend on the deflate bytes).
//!
//! The test fails, never skips, when `FLIT_TEST_PYTHON` is not set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a failing test should stop at the failure")]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use flit_core::archive::gzip::GzipWriter;
use flit_core::archive::record::{RecordWriter, record_hash};
use flit_core::archive::tar::{TarWriter, file_header, symlink_header};
use flit_core::archive::zip::{DeflatedMember, DosDateTime, ZipWriter};
use serde_json::{Value, json};

/// The Python side: writes the reference archives named in the spec and
/// inspects archives, printing nothing and writing `result.json`.
const REFERENCE_SCRIPT: &str = r#"
import base64, csv, gzip, hashlib, io, json, os, sys, tarfile, zipfile
from datetime import datetime, timezone

spec_path, out_dir = sys.argv[1], sys.argv[2]
with open(spec_path, encoding="utf-8") as f:
    spec = json.load(f)
result = {"python": sys.version}

M64 = (1 << 64) - 1

def gen(data):
    size, seed = data["size"], data["seed"]
    if not data["noise"]:
        return bytes(((i * 7919 + seed * 104729 + i // 300) % 251) for i in range(size))
    state = (seed * 0x9E3779B97F4A7C15 + 1) & M64
    out = bytearray(size)
    for i in range(size):
        state ^= (state << 13) & M64
        state ^= state >> 7
        state ^= (state << 17) & M64
        out[i] = (state >> 32) & 0xFF
    return bytes(out)

def tarinfo(m):
    t = tarfile.TarInfo(m["path"])
    t.mode = m["mode"]
    t.mtime = m["mtime"]
    t.uid = t.gid = 0
    t.uname = t.gname = ""
    if m["type"] == "file":
        t.type = tarfile.REGTYPE
        t.size = m["size"] if "size" in m else m["data"]["size"]
    else:
        t.type = tarfile.SYMTYPE
        t.linkname = m["target"]
        t.size = 0
    return t

# Tar streams, as flit's sdist writes them (TarFile over a stream, PAX).
for archive in spec.get("tars", []):
    buf = io.BytesIO()
    tf = tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT)
    for m in archive["members"]:
        t = tarinfo(m)
        if m["type"] == "file":
            tf.addfile(t, io.BytesIO(gen(m["data"])))
        else:
            tf.addfile(t)
    tf.close()
    with open(os.path.join(out_dir, archive["file"]), "wb") as f:
        f.write(buf.getvalue())

# Header blocks alone, for sizes too large to write.
result["headers"] = [
    tarinfo(m).tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape").hex()
    for m in spec.get("headers", [])
]

# Gzip wrappers, as flit's sdist opens them: GzipFile(path, 'wb', mtime=...).
result["gzips"] = []
for g in spec.get("gzips", []):
    with open(os.path.join(out_dir, g["payload"]), "rb") as f:
        payload = f.read()
    target = os.path.join(out_dir, g["dir"], g["name"] + ".gz")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    gz = gzip.GzipFile(target, mode="wb", mtime=g["mtime"])
    gz.write(payload)
    gz.close()
    with open(os.path.join(out_dir, g["ours"]), "rb") as f:
        ours = gzip.decompress(f.read())
    result["gzips"].append({
        "reference": target,
        "ours_matches_payload": ours == payload,
    })

# Zip files, as flit's wheel writes them.
def write_zip(z):
    path = os.path.join(out_dir, z["file"])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for m in z["members"]:
            zi = zipfile.ZipInfo(m["name"], tuple(m["date_time"]))
            zi.external_attr = m["mode"] << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            content = gen(m["data"])
            if m["how"] == "stream":
                with zf.open(zi, "w") as dst:
                    for i in range(0, len(content), 8192):
                        dst.write(content[i:i + 8192])
            else:
                zf.writestr(zi, content, compress_type=zipfile.ZIP_DEFLATED)

def inspect_zip(path):
    with open(path, "rb") as f:
        raw = f.read()
    members = []
    with zipfile.ZipFile(path) as zf:
        bad = zf.testzip()
        for zi in zf.infolist():
            content = zf.read(zi)
            encoded = zi.filename.encode("utf-8" if zi.flag_bits & 0x800 else "ascii")
            local = bytearray(raw[zi.header_offset:zi.header_offset + 30 + len(encoded)])
            local[18:22] = b"\0\0\0\0"  # compressed size depends on the deflater
            members.append({
                "filename": zi.filename,
                "date_time": list(zi.date_time),
                "external_attr": zi.external_attr,
                "internal_attr": zi.internal_attr,
                "flag_bits": zi.flag_bits,
                "create_system": zi.create_system,
                "create_version": zi.create_version,
                "extract_version": zi.extract_version,
                "compress_type": zi.compress_type,
                "CRC": zi.CRC,
                "file_size": zi.file_size,
                "extra": zi.extra.hex(),
                "comment": zi.comment.hex(),
                "volume": zi.volume,
                "reserved": zi.reserved,
                "sha256": hashlib.sha256(content).hexdigest(),
                "local_header": bytes(local).hex(),
            })
        comment = zf.comment.hex()
    end = bytearray(raw[-22:])
    assert end[:4] == b"PK\x05\x06", "no end record without comment"
    cd_size = int.from_bytes(end[12:16], "little")
    cd_offset = int.from_bytes(end[16:20], "little")
    central = bytearray(raw[cd_offset:cd_offset + cd_size])
    pos = 0
    while pos < len(central):
        n, m, k = (int.from_bytes(central[pos + o:pos + o + 2], "little") for o in (28, 30, 32))
        central[pos + 20:pos + 24] = b"\0\0\0\0"  # compressed size
        central[pos + 42:pos + 46] = b"\0\0\0\0"  # local header offset
        pos += 46 + n + m + k
    end[16:20] = b"\0\0\0\0"  # central directory offset
    return {
        "testzip": bad,
        "comment": comment,
        "members": members,
        "central": bytes(central).hex(),
        "end": bytes(end).hex(),
    }

result["zips"] = []
for z in spec.get("zips", []):
    write_zip(z)
    result["zips"].append({
        "reference": inspect_zip(os.path.join(out_dir, z["file"])),
        "ours": inspect_zip(os.path.join(out_dir, z["ours"])),
    })

# flit's zip_timestamp_from_env, and whether zipfile can store the result.
result["epochs"] = []
for t in spec.get("epochs", []):
    d = datetime.fromtimestamp(t, timezone.utc)
    dt = (d.year, d.month, d.day, d.hour, d.minute, d.second) if d.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    try:
        with zipfile.ZipFile(io.BytesIO(), "w") as zf:
            zf.writestr(zipfile.ZipInfo("a", dt), b"")
        storable = True
    except Exception:
        storable = False
    result["epochs"].append({"date_time": list(dt), "storable": storable})

# RECORD rows as flit writes them.
sio = io.StringIO()
writer = csv.writer(sio)
for row in spec.get("record_rows", []):
    writer.writerow(row)
result["record"] = sio.getvalue()
result["hashes"] = [
    "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(gen(d)).digest()).decode("ascii").rstrip("=")
    for d in spec.get("hashed", [])
]

with open(os.path.join(out_dir, "result.json"), "w", encoding="utf-8") as f:
    json.dump(result, f)
"#;

/// Deterministic member content, generated identically on both sides.
#[derive(Clone, Copy, Debug)]
struct Data {
    size: usize,
    seed: u64,
    /// xorshift noise (incompressible: exercises stored deflate blocks)
    /// rather than a compressible pattern.
    noise: bool,
}

impl Data {
    fn pattern(size: usize, seed: u64) -> Self {
        Data { size, seed, noise: false }
    }

    fn noise(size: usize, seed: u64) -> Self {
        Data { size, seed, noise: true }
    }

    fn bytes(&self) -> Vec<u8> {
        if !self.noise {
            return (0..self.size as u64).map(|i| ((i * 7919 + self.seed * 104_729 + i / 300) % 251) as u8).collect();
        }
        let mut state = self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
        (0..self.size)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect()
    }

    fn json(&self) -> Value {
        json!({"size": self.size, "seed": self.seed, "noise": self.noise})
    }
}

#[derive(Clone, Debug)]
enum TarMember {
    File { path: String, mode: u32, mtime: u64, data: Data },
    Symlink { path: String, target: String, mode: u32, mtime: u64 },
}

impl TarMember {
    fn file(path: impl Into<String>, mode: u32, mtime: u64, data: Data) -> Self {
        TarMember::File { path: path.into(), mode, mtime, data }
    }

    fn symlink(path: impl Into<String>, target: impl Into<String>, mode: u32, mtime: u64) -> Self {
        TarMember::Symlink { path: path.into(), target: target.into(), mode, mtime }
    }

    fn json(&self) -> Value {
        match self {
            TarMember::File { path, mode, mtime, data } => {
                json!({"type": "file", "path": path, "mode": mode, "mtime": mtime, "data": data.json()})
            }
            TarMember::Symlink { path, target, mode, mtime } => {
                json!({"type": "symlink", "path": path, "target": target, "mode": mode, "mtime": mtime})
            }
        }
    }

    fn append_to<W: Write>(&self, tar: &mut TarWriter<W>) {
        match self {
            TarMember::File { path, mode, mtime, data } => {
                let bytes = data.bytes();
                tar.append_file(path, *mode, *mtime, bytes.len() as u64, &mut &bytes[..]).unwrap();
            }
            TarMember::Symlink { path, target, mode, mtime } => {
                tar.append_symlink(path, target, *mode, *mtime).unwrap();
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum How {
    /// `start_file` + chunked writes (flit's `_add_file`, `zf.open(zi, 'w')`).
    Stream,
    /// `add_bytes` (flit's `_write_to_zip`, `writestr`).
    Bytes,
    /// `add_deflated` (compressed ahead of time; `writestr` on the Python side).
    Deflated,
}

#[derive(Clone, Debug)]
struct ZipMember {
    name: String,
    mode: u32,
    time: DosDateTime,
    data: Data,
    how: How,
}

impl ZipMember {
    fn new(name: impl Into<String>, mode: u32, time: DosDateTime, data: Data, how: How) -> Self {
        ZipMember { name: name.into(), mode, time, data, how }
    }

    fn json(&self) -> Value {
        let t = self.time;
        json!({
            "name": self.name,
            "mode": self.mode,
            "date_time": [t.year, t.month, t.day, t.hour, t.minute, t.second],
            "data": self.data.json(),
            "how": match self.how { How::Stream => "stream", How::Bytes | How::Deflated => "writestr" },
        })
    }
}

fn python() -> PathBuf {
    match std::env::var_os("FLIT_TEST_PYTHON") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => panic!(
            "FLIT_TEST_PYTHON is not set: these tests compare the archive writers with CPython's \
             tarfile, gzip and zipfile, so point it at a CPython 3.11 interpreter \
             (for example FLIT_TEST_PYTHON=/usr/bin/python3.11)"
        ),
    }
}

/// Runs the reference script on `spec` in `dir` and returns its result.
fn run_reference(dir: &Path, spec: &Value) -> Value {
    let script = dir.join("reference.py");
    let spec_path = dir.join("spec.json");
    std::fs::write(&script, REFERENCE_SCRIPT).unwrap();
    std::fs::write(&spec_path, serde_json::to_vec(spec).unwrap()).unwrap();
    let python = python();
    let output = Command::new(&python)
        .arg(&script)
        .arg(&spec_path)
        .arg(dir)
        .env("PYTHONIOENCODING", "utf-8")
        .output()
        .unwrap_or_else(|error| panic!("could not run FLIT_TEST_PYTHON={}: {error}", python.display()));
    assert!(
        output.status.success(),
        "the reference script failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&std::fs::read(dir.join("result.json")).unwrap()).unwrap()
}

/// Describes the first difference between two byte strings.
fn first_difference(ours: &[u8], reference: &[u8]) -> Option<String> {
    if ours == reference {
        return None;
    }
    let at = ours.iter().zip(reference).position(|(a, b)| a != b).unwrap_or(ours.len().min(reference.len()));
    let window = |bytes: &[u8]| {
        let start = at.saturating_sub(16);
        let end = (at + 48).min(bytes.len());
        format!("{:?}", String::from_utf8_lossy(&bytes[start.min(end)..end]))
    };
    Some(format!(
        "lengths {} (ours) vs {} (CPython); first difference at byte {at} (block {}, offset {}):\n  ours:    {}\n  CPython: {}",
        ours.len(),
        reference.len(),
        at / 512,
        at % 512,
        window(ours),
        window(reference),
    ))
}

fn tar_bytes(members: &[TarMember]) -> Vec<u8> {
    let mut tar = TarWriter::new(Vec::new());
    for member in members {
        member.append_to(&mut tar);
    }
    tar.finish().unwrap()
}

const PREFIX: &str = "pkg-1.0/";

/// A path of exactly `length` ASCII characters under the sdist prefix.
fn ascii_path(length: usize) -> String {
    let mut path = PREFIX.to_owned();
    while path.len() < length {
        let remaining = length - path.len();
        if remaining > 12 {
            path.push_str("directory/");
        } else {
            path.push_str(&"f".repeat(remaining));
        }
    }
    path
}

fn tar_matrix() -> Vec<TarMember> {
    let mut members = Vec::new();
    for (index, size) in [0usize, 1, 511, 512, 513, 100_000].into_iter().enumerate() {
        members.push(TarMember::file(
            format!("{PREFIX}size_{size}.bin"),
            0o644,
            1_700_000_000,
            Data::pattern(size, index as u64),
        ));
    }
    members.push(TarMember::file(format!("{PREFIX}noise.bin"), 0o644, 1_700_000_001, Data::noise(70_000, 3)));
    members.push(TarMember::file(format!("{PREFIX}bin/tool"), 0o755, 1_700_000_000, Data::pattern(40, 9)));
    // CPython masks the mode to its permission bits.
    members.push(TarMember::file(format!("{PREFIX}typed_mode.py"), 0o100_644, 5, Data::pattern(3, 1)));
    for length in [99, 100, 101, 155, 255, 256, 1000] {
        members.push(TarMember::file(ascii_path(length), 0o644, 1_000, Data::pattern(17, length as u64)));
    }
    members.push(TarMember::file(format!("{PREFIX}{}", "deep/".repeat(60) + "x.py"), 0o644, 7, Data::pattern(5, 2)));
    for name in [
        "données/é.py",
        "日本語/モジュール.py",
        "emoji_😀.txt",
        // Fewer than 100 characters but more than 100 bytes.
        &"é".repeat(60),
        // More than 100 characters: the replaced ustar name is truncated.
        &"ü".repeat(150),
        "mixed_ascii_then_ü_at_the_end_of_a_name_that_is_long_enough_to_matter_for_truncation_purposes_yes.py",
    ] {
        members.push(TarMember::file(format!("{PREFIX}{name}"), 0o644, 1_234_567_890, Data::pattern(11, 4)));
    }
    // Characters that need no pax record but are unusual in names.
    members.push(TarMember::file(format!("{PREFIX}we ird=na\"me'\n.txt"), 0o644, 9, Data::pattern(2, 5)));
    // PKG-INFO as flit writes it: mode 0644, mtime 0.
    members.push(TarMember::file(format!("{PREFIX}PKG-INFO"), 0o644, 0, Data::pattern(300, 6)));
    for (index, mtime) in [0u64, 1, 8u64.pow(11) - 1, 8u64.pow(11), 1 << 40, 1 << 63, u64::MAX].into_iter().enumerate()
    {
        members.push(TarMember::file(
            format!("{PREFIX}mtime_{index}.py"),
            0o644,
            mtime,
            Data::pattern(8, index as u64),
        ));
    }
    members.push(TarMember::symlink(format!("{PREFIX}link"), "size_1.bin", 0o755, 1_700_000_000));
    members.push(TarMember::symlink(format!("{PREFIX}link99"), "t".repeat(99), 0o755, 0));
    members.push(TarMember::symlink(format!("{PREFIX}link100"), "t".repeat(100), 0o755, 0));
    members.push(TarMember::symlink(format!("{PREFIX}link101"), "t".repeat(101), 0o755, 0));
    members.push(TarMember::symlink(format!("{PREFIX}link_ü"), "données/é.py", 0o755, 0));
    members.push(TarMember::symlink(ascii_path(180), format!("../{}", "sub/".repeat(70)), 0o755, 8u64.pow(11)));
    members
}

#[test]
fn tar_streams_are_identical_to_cpython() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = tar_matrix();
    // Each member alone (so a failure names its case), then all together.
    let mut archives: Vec<Vec<TarMember>> = matrix.iter().map(|member| vec![member.clone()]).collect();
    archives.push(matrix.clone());
    archives.push(Vec::new());
    let spec = json!({
        "tars": archives.iter().enumerate().map(|(index, members)| json!({
            "file": format!("tar-{index}.tar"),
            "members": members.iter().map(TarMember::json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    run_reference(dir.path(), &spec);
    let mut failures = Vec::new();
    for (index, members) in archives.iter().enumerate() {
        let reference = std::fs::read(dir.path().join(format!("tar-{index}.tar"))).unwrap();
        let ours = tar_bytes(members);
        if let Some(difference) = first_difference(&ours, &reference) {
            failures.push(format!("archive {index} {:?}:\n{difference}", members.first()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} tar streams differ:\n{}",
        failures.len(),
        archives.len(),
        failures.join("\n")
    );
    // Our archives read back with the tar crate, symlinks included.
    let mut reader = tar::Archive::new(Cursor::new(tar_bytes(&matrix)));
    assert_eq!(reader.entries().unwrap().count(), matrix.len());
}

#[test]
fn tar_headers_for_huge_sizes_are_identical_to_cpython() {
    let dir = tempfile::tempdir().unwrap();
    let big = 8u64.pow(11);
    let long = ascii_path(120);
    // (type, path, target, mode, mtime, size)
    let cases: Vec<(&str, String, String, u32, u64, u64)> = vec![
        ("file", "pkg-1.0/a".into(), String::new(), 0o644, 0, big - 1),
        ("file", "pkg-1.0/a".into(), String::new(), 0o644, 0, big),
        ("file", "pkg-1.0/a".into(), String::new(), 0o755, big, big),
        ("file", "pkg-1.0/a".into(), String::new(), 0o644, 12, 10u64.pow(12)),
        ("file", "pkg-1.0/a".into(), String::new(), 0o644, u64::MAX, u64::MAX),
        ("file", long.clone(), String::new(), 0o644, big + 5, big * 3),
        ("file", "pkg-1.0/ünï.py".into(), String::new(), 0o644, 1, 1 << 40),
        ("symlink", long.clone(), "x".repeat(300), 0o755, big, 0),
        ("symlink", "pkg-1.0/l".into(), "é".into(), 0o755, 3, 0),
    ];
    let spec = json!({
        "headers": cases.iter().map(|(kind, path, target, mode, mtime, size)| json!({
            "type": kind, "path": path, "target": target, "mode": mode, "mtime": mtime, "size": size,
        })).collect::<Vec<_>>(),
    });
    let result = run_reference(dir.path(), &spec);
    let headers = result["headers"].as_array().unwrap();
    assert_eq!(headers.len(), cases.len());
    for ((kind, path, target, mode, mtime, size), reference) in cases.iter().zip(headers) {
        let ours = if *kind == "file" {
            file_header(path, *mode, *mtime, *size).unwrap()
        } else {
            symlink_header(path, target, *mode, *mtime).unwrap()
        };
        let reference = hex_decode(reference.as_str().unwrap());
        if let Some(difference) = first_difference(&ours, &reference) {
            panic!("header for {kind} {path:?} (mtime {mtime}, size {size}) differs: {difference}");
        }
    }
}

#[test]
fn gzip_wrapper_matches_cpython() {
    let dir = tempfile::tempdir().unwrap();
    let payload = tar_bytes(&tar_matrix());
    std::fs::write(dir.path().join("payload.tar"), &payload).unwrap();
    // (file name without .gz, mtime)
    let cases: [(&str, u32); 5] = [
        ("pkg-1.0.tar", 1_451_606_400),
        ("café_latin1-1.0.tar", 0),
        ("€uro-1.0.tar", 1_700_000_000),
        ("pkg-2.0.tar", u32::MAX),
        ("a", 1),
    ];
    let mut ours_all = Vec::new();
    for (index, (name, mtime)) in cases.iter().enumerate() {
        let mut writer = GzipWriter::new(Vec::new(), name, *mtime).unwrap();
        // Uneven chunks: the framing must not depend on them.
        for chunk in payload.chunks(7777) {
            writer.write_all(chunk).unwrap();
        }
        let ours = writer.finish().unwrap();
        std::fs::write(dir.path().join(format!("ours-{index}.tar.gz")), &ours).unwrap();
        ours_all.push(ours);
    }
    let spec = json!({
        "gzips": cases.iter().enumerate().map(|(index, (name, mtime))| json!({
            "payload": "payload.tar",
            "dir": format!("gz-{index}"),
            "name": name,
            "mtime": mtime,
            "ours": format!("ours-{index}.tar.gz"),
        })).collect::<Vec<_>>(),
    });
    let result = run_reference(dir.path(), &spec);
    for (index, ((name, _), ours)) in cases.iter().zip(&ours_all).enumerate() {
        let entry = &result["gzips"][index];
        let reference = std::fs::read(entry["reference"].as_str().unwrap()).unwrap();
        let header_len = gzip_header_len(&reference);
        assert_eq!(&ours[..header_len.min(ours.len())], &reference[..header_len], "gzip header for {name:?} differs");
        assert_eq!(gzip_header_len(ours), header_len);
        assert_eq!(&ours[ours.len() - 8..], &reference[reference.len() - 8..], "gzip trailer for {name:?} differs");
        assert_eq!(entry["ours_matches_payload"], json!(true), "Python's gzip cannot read ours for {name:?}");
        for bytes in [ours, &reference] {
            let mut decoded = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut decoded).unwrap();
            assert!(decoded == payload, "the body for {name:?} does not decompress to the tar");
        }
    }
}

/// The length of a gzip header with at most the FNAME field.
fn gzip_header_len(bytes: &[u8]) -> usize {
    assert_eq!(&bytes[..3], &[0x1f, 0x8b, 8]);
    assert_eq!(bytes[3] & !0x08, 0, "only FNAME may be set");
    if bytes[3] & 0x08 == 0 {
        return 10;
    }
    10 + bytes[10..].iter().position(|&b| b == 0).unwrap() + 1
}

fn time(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> DosDateTime {
    DosDateTime { year, month, day, hour, minute, second }
}

fn zip_matrix() -> Vec<ZipMember> {
    let generated = DosDateTime::FLIT_GENERATED_DEFAULT;
    let sde = DosDateTime::from_unix_utc(1_700_000_000).unwrap();
    let mut members = vec![
        ZipMember::new("pkg/__init__.py", 0o100_644, sde, Data::pattern(100, 1), How::Stream),
        ZipMember::new("pkg/empty.py", 0o100_644, sde, Data::pattern(0, 0), How::Stream),
        ZipMember::new("pkg/empty_bytes.py", 0o100_644, sde, Data::pattern(0, 0), How::Bytes),
        ZipMember::new("pkg/one.bin", 0o100_644, sde, Data::pattern(1, 2), How::Bytes),
    ];
    for size in [511, 512, 513] {
        members.push(ZipMember::new(format!("pkg/size_{size}"), 0o100_644, sde, Data::pattern(size, 3), How::Stream));
    }
    members.extend([
        ZipMember::new("pkg/big.bin", 0o100_755, sde, Data::pattern(100_000, 4), How::Stream),
        ZipMember::new("pkg/noise.bin", 0o100_644, sde, Data::noise(70_000, 5), How::Stream),
        ZipMember::new("pkg/large.bin", 0o100_644, sde, Data::pattern(1_000_000, 6), How::Stream),
        ZipMember::new("pkg/données/é.py", 0o100_644, sde, Data::pattern(20, 7), How::Stream),
        ZipMember::new("pkg/日本語.py", 0o100_644, sde, Data::pattern(20, 8), How::Bytes),
        ZipMember::new("pkg/emoji_😀.txt", 0o100_755, sde, Data::pattern(20, 9), How::Deflated),
        ZipMember::new(format!("pkg/{}x.py", "deep/".repeat(60)), 0o100_644, sde, Data::pattern(20, 10), How::Stream),
        ZipMember::new("pkg/plain_mode.py", 0o644, sde, Data::pattern(20, 11), How::Stream),
        ZipMember::new("pkg/no_mode.py", 0, sde, Data::pattern(20, 19), How::Stream),
        ZipMember::new("pkg/min_time.py", 0o100_644, DosDateTime::MINIMUM, Data::pattern(20, 12), How::Stream),
        ZipMember::new(
            "pkg/odd_second.py",
            0o100_644,
            time(2020, 2, 29, 13, 45, 59),
            Data::pattern(20, 13),
            How::Stream,
        ),
        ZipMember::new(
            "pkg/max_time.py",
            0o100_644,
            time(2107, 12, 31, 23, 59, 58),
            Data::pattern(20, 14),
            How::Stream,
        ),
        ZipMember::new("pkg-1.0.dist-info/entry_points.txt", 0o100_644, generated, Data::pattern(50, 15), How::Bytes),
        ZipMember::new("pkg-1.0.dist-info/WHEEL", 0o100_644, generated, Data::pattern(80, 16), How::Deflated),
        ZipMember::new("pkg-1.0.dist-info/METADATA", 0o100_644, generated, Data::pattern(2000, 17), How::Bytes),
        ZipMember::new("pkg-1.0.dist-info/RECORD", 0o100_644, generated, Data::pattern(700, 18), How::Bytes),
    ]);
    members
}

fn zip_bytes(members: &[ZipMember]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for member in members {
        let data = member.data.bytes();
        match member.how {
            How::Stream => {
                zip.start_file(&member.name, member.mode, member.time).unwrap();
                for chunk in data.chunks(8192) {
                    zip.write_all(chunk).unwrap();
                }
            }
            How::Bytes => zip.add_bytes(&member.name, member.mode, member.time, &data).unwrap(),
            How::Deflated => {
                let deflated = DeflatedMember::compress(&data).unwrap();
                zip.add_deflated(&member.name, member.mode, member.time, &deflated).unwrap();
            }
        }
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn zip_members_match_cpython() {
    let dir = tempfile::tempdir().unwrap();
    let archives = [zip_matrix(), Vec::new(), vec![zip_matrix().remove(0)]];
    for (index, members) in archives.iter().enumerate() {
        std::fs::write(dir.path().join(format!("ours-{index}.zip")), zip_bytes(members)).unwrap();
    }
    let spec = json!({
        "zips": archives.iter().enumerate().map(|(index, members)| json!({
            "file": format!("reference-{index}.zip"),
            "ours": format!("ours-{index}.zip"),
            "members": members.iter().map(ZipMember::json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let result = run_reference(dir.path(), &spec);
    for (index, members) in archives.iter().enumerate() {
        let zip = &result["zips"][index];
        let (ours, reference) = (&zip["ours"], &zip["reference"]);
        assert_eq!(ours["testzip"], Value::Null, "zipfile.testzip() found a bad member in ours");
        let ours_members = ours["members"].as_array().unwrap();
        let reference_members = reference["members"].as_array().unwrap();
        assert_eq!(ours_members.len(), members.len());
        assert_eq!(reference_members.len(), members.len());
        for (ours_member, reference_member) in ours_members.iter().zip(reference_members) {
            assert_eq!(ours_member, reference_member, "member differs as read by Python's zipfile");
        }
        assert_eq!(ours["comment"], reference["comment"]);
        assert_eq!(ours["central"], reference["central"], "central directory differs (sizes and offsets masked)");
        assert_eq!(ours["end"], reference["end"], "end record differs (offset masked)");
    }
    // The zip crate reads ours with the same names, modes and contents.
    let matrix = zip_matrix();
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes(&matrix))).unwrap();
    for (index, member) in matrix.iter().enumerate() {
        let mut file = archive.by_index(index).unwrap();
        assert_eq!(file.name().unwrap(), member.name);
        // zipfile stores a mode of 0 as 0o600.
        let mode = if member.mode == 0 { 0o600 } else { member.mode };
        assert_eq!(file.unix_mode(), Some(mode), "mode of {}", member.name);
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        assert!(content == member.data.bytes(), "contents of {} differ", member.name);
    }
}

#[test]
fn zip_timestamps_follow_flit_source_date_epoch_rule() {
    let dir = tempfile::tempdir().unwrap();
    let epochs: [u64; 12] = [
        0,
        1,
        315_532_799,
        315_532_800,
        315_532_801,
        951_868_799,
        951_868_800,
        1_451_606_400,
        1_700_000_000,
        4_102_444_800,
        4_354_819_199,
        4_354_819_200,
    ];
    let result = run_reference(dir.path(), &json!({ "epochs": epochs }));
    for (seconds, expected) in epochs.iter().zip(result["epochs"].as_array().unwrap()) {
        let ours = DosDateTime::from_unix_utc(*seconds);
        if expected["storable"] == json!(true) {
            let ours = ours.unwrap_or_else(|error| panic!("{seconds}: {error}"));
            let t = ours;
            assert_eq!(json!([t.year, t.month, t.day, t.hour, t.minute, t.second]), expected["date_time"], "{seconds}");
        } else {
            assert!(ours.is_err(), "{seconds} cannot be stored by zipfile but was accepted");
        }
    }
}

#[test]
fn record_matches_python_csv_and_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<[String; 3]> = vec![
        ["pkg/__init__.py".into(), "sha256=abc".into(), "12".into()],
        ["pkg/a,b.py".into(), "sha256=x".into(), "1".into()],
        ["pkg/q\"uote.py".into(), "sha256=y".into(), "2".into()],
        ["pkg/line\nbreak".into(), "h".into(), "3".into()],
        ["pkg/cr\rx".into(), "h".into(), "4".into()],
        [" lead space".into(), "h'".into(), "5".into()],
        ["pkg/tab\there;semi".into(), "".into(), "6".into()],
        ["pkg/données/é.py".into(), "h".into(), "7".into()],
        ["pkg-1.0.dist-info/RECORD".into(), "".into(), "".into()],
    ];
    let hashed = [Data::pattern(0, 0), Data::pattern(1, 1), Data::noise(100_000, 2)];
    let spec = json!({
        "record_rows": rows,
        "hashed": hashed.iter().map(Data::json).collect::<Vec<_>>(),
    });
    let result = run_reference(dir.path(), &spec);
    let mut record = RecordWriter::new();
    for [path, hash, size] in &rows {
        record.add(path, hash, size);
    }
    assert_eq!(json!(record.into_text()), result["record"]);
    for (data, expected) in hashed.iter().zip(result["hashes"].as_array().unwrap()) {
        let bytes = data.bytes();
        let mut reader = flit_core::archive::record::HashingReader::new(&bytes[..]);
        std::io::copy(&mut reader, &mut std::io::sink()).unwrap();
        let (digest, length) = reader.finish();
        assert_eq!(length, data.size as u64);
        assert_eq!(json!(record_hash(&digest)), *expected);
    }
}

fn hex_decode(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}
