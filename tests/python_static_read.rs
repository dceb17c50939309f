//! Differential tests of the static module reader (`flit_core::python`)
//! against CPython's `ast`, which is what flit 4.2 uses to find a module's
//! docstring and `__version__`.
//!
//! - Every file of `tests/python-corpus/` is parsed by the interpreter in
//!   `FLIT_TEST_PYTHON` and by `read_module`; they must agree on whether the
//!   source is valid, on the raw docstring (`ast.get_docstring(clean=False)`),
//!   the cleaned docstring, flit's one-line summary, and the first
//!   `__version__` constant by flit's rule (with its type and truthiness).
//!   The few deliberate differences are listed in [`DIFFERENCES`] and are
//!   checked to still be differences, never skipped.
//! - Every character of every codec a coding cookie may name is decoded by
//!   both, so the corrected encoding_rs tables cannot drift from Python's
//!   codecs unnoticed.
//!
//! `FLIT_TEST_PYTHON` must be set (to any CPython 3.8+; the project pins
//! 3.11); these tests fail rather than skip without it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use flit_core::python::{self, Constant};

/// Reports, per corpus file, what `ast` makes of it. One line per file:
/// `name<TAB>ok<TAB>raw<TAB>cleaned<TAB>summary<TAB>version` or
/// `name<TAB>err<TAB>message`, strings as UTF-8 hex, `-` for None and `!`
/// for a str a Rust `String` cannot hold (lone surrogates). The first line
/// is the interpreter's version.
const AST_SCRIPT: &str = r#"
import ast, os, sys, warnings

def encode(text):
    if text is None:
        return "-"
    try:
        return text.encode("utf-8").hex()
    except UnicodeEncodeError:
        return "!"

def summary(doc):
    # flit_core.common.get_info_from_module
    if (not doc) or not doc.strip():
        return None
    return doc.lstrip().splitlines()[0]

def version(tree):
    # flit_core.common.get_docstring_and_version_via_ast + is_version_str_assignment
    for child in tree.body:
        if not isinstance(child, (ast.Assign, ast.AnnAssign)):
            continue
        if not isinstance(child.value, ast.Constant):
            continue
        targets = (child.target,) if isinstance(child, ast.AnnAssign) else child.targets
        if any(isinstance(t, ast.Name) and t.id == "__version__" for t in targets):
            value = child.value.value
            if isinstance(value, str):
                return "str:" + encode(value)
            return "%s:%d" % (type(value).__name__, 1 if value else 0)
    return "-"

print("python", "%d.%d" % sys.version_info[:2], sep="\t")
directory = sys.argv[1]
for name in sorted(os.listdir(directory)):
    with open(os.path.join(directory, name), "rb") as f:
        source = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError) as error:
        print(name, "err", encode(str(error)), sep="\t")
        continue
    raw = ast.get_docstring(tree, clean=False)
    cleaned = ast.get_docstring(tree)
    print(name, "ok", encode(raw), encode(cleaned), encode(summary(cleaned)), version(tree), sep="\t")
"#;

/// Decodes every character of the given codecs: one line per byte
/// sequence, `codec<TAB>bytes<TAB>text`, hex, `-` when Python refuses it.
/// Sequences: every single byte from 0x80; for each byte Python does not
/// decode alone, every two-byte sequence (trail bytes other than NUL, LF and
/// CR, which never reach a codec unchanged); EUC-JP's three-byte plane; and
/// a sample of GB18030's four-byte planes.
const CODEC_SCRIPT: &str = r#"
import codecs, sys

def decode(data, codec):
    try:
        return data.decode(codec).encode("utf-8", "surrogatepass").hex()
    except UnicodeDecodeError:
        return "-"

out = sys.stdout
for codec in sys.argv[1:]:
    codecs.lookup(codec)  # every supported name must be a real codec
    leads = []
    for first in range(0x80, 0x100):
        result = decode(bytes([first]), codec)
        out.write("%s\t%02x\t%s\n" % (codec, first, result))
        if result == "-":
            leads.append(first)
    for first in leads:
        for second in range(0x100):
            if second in (0x00, 0x0A, 0x0D):
                continue
            data = bytes([first, second])
            out.write("%s\t%s\t%s\n" % (codec, data.hex(), decode(data, codec)))
    if codec == "euc_jp":
        for second in range(0xA1, 0xFF):
            for third in range(0xA1, 0xFF):
                data = bytes([0x8F, second, third])
                out.write("%s\t%s\t%s\n" % (codec, data.hex(), decode(data, codec)))
    if codec == "gb18030":
        for first in (0x81, 0x82, 0x84, 0x85, 0x8F, 0x90, 0x95, 0xE3, 0xE4, 0xFE):
            for second in range(0x30, 0x3A):
                for third in range(0x81, 0xFF):
                    for fourth in range(0x30, 0x3A):
                        data = bytes([first, second, third, fourth])
                        out.write("%s\t%s\t%s\n" % (codec, data.hex(), decode(data, codec)))
"#;

/// How our result deliberately differs from `ast`'s for a corpus file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Difference {
    /// The docstring exists but is reported absent: `\N{...}` (no Unicode
    /// name table here) or a lone surrogate (no Rust `String` holds one).
    DocstringNotStatic,
    /// The first `__version__` constant exists but is reported absent, for
    /// the same reasons.
    VersionNotStatic,
    /// Syntax of a later Python (`match`, PEP 614 decorators, PEP 701
    /// f-strings): we accept it, as CPython does from 3.<minor>; older
    /// interpreters reject the file. From that version on it must match.
    NeedsPython(u32),
    /// Python 3.13's `inspect.cleandoc` strips only spaces, where 3.11's
    /// (flit's reference, which we follow) strips all whitespace; from 3.13
    /// the cleaned docstring must differ, everything else must match.
    CleandocChangedIn313,
}

/// The corpus files on which we deliberately differ from `ast`.
const DIFFERENCES: &[(&str, Difference)] = &[
    ("doc_named_escape.py", Difference::DocstringNotStatic),
    ("doc_surrogate.py", Difference::DocstringNotStatic),
    ("ver_named_escape.py", Difference::VersionNotStatic),
    ("tok_fstrings_pep701.py", Difference::NeedsPython(12)),
    ("tok_fstrings_pep701_nested.py", Difference::NeedsPython(12)),
    ("tok_decorators_async.py", Difference::NeedsPython(9)),
    ("ver_soft_keywords.py", Difference::NeedsPython(10)),
    ("doc_separator_escapes.py", Difference::CleandocChangedIn313),
    ("doc_unicode_whitespace.py", Difference::CleandocChangedIn313),
];

fn python() -> PathBuf {
    let help = "This test compares the static module reader with CPython's ast.\n\
                Set FLIT_TEST_PYTHON to a CPython 3 interpreter (the project's test virtualenv, e.g.\n    \
                FLIT_TEST_PYTHON=$PWD/.venv-test/bin/python cargo test --test python_static_read).";
    let Some(value) = std::env::var_os("FLIT_TEST_PYTHON").filter(|value| !value.is_empty()) else {
        panic!("FLIT_TEST_PYTHON is not set.\n{help}");
    };
    let python = PathBuf::from(value);
    assert!(python.is_file(), "FLIT_TEST_PYTHON={} is not a file.\n{help}", python.display());
    python
}

fn corpus_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [manifest.join("../tests/python-corpus"), manifest.join("tests/python-corpus")]
        .into_iter()
        .find(|candidate| candidate.is_dir())
        .unwrap_or_else(|| panic!("tests/python-corpus not found next to {}", manifest.display()))
}

fn run_python(script: &str, arguments: &[String]) -> String {
    let output = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(arguments)
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::null())
        .output()
        .expect("FLIT_TEST_PYTHON can be run");
    assert!(
        output.status.success(),
        "the Python helper failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the Python helper prints ASCII")
}

fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex {text:?}");
    (0..text.len()).step_by(2).map(|index| u8::from_str_radix(&text[index..index + 2], 16).unwrap()).collect()
}

/// A string field of the AST script.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    None,
    /// A str a Rust `String` cannot hold.
    Unrepresentable,
    Text(String),
}

impl Field {
    fn parse(text: &str) -> Field {
        match text {
            "-" => Field::None,
            "!" => Field::Unrepresentable,
            hex => Field::Text(String::from_utf8(unhex(hex)).unwrap()),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Field::Text(text) => Some(text),
            _ => None,
        }
    }
}

fn parse_version(text: &str) -> Result<Option<Constant>, Field> {
    if text == "-" {
        return Ok(None);
    }
    let (kind, value) = text.split_once(':').unwrap();
    if kind == "str" {
        return match Field::parse(value) {
            Field::Text(text) => Ok(Some(Constant::Str(text))),
            other => Err(other),
        };
    }
    let type_name: &'static str = match kind {
        "bytes" => "bytes",
        "int" => "int",
        "float" => "float",
        "complex" => "complex",
        "bool" => "bool",
        "NoneType" => "NoneType",
        "ellipsis" => "ellipsis",
        other => panic!("unexpected constant type {other}"),
    };
    Ok(Some(Constant::Other { type_name, truthy: value == "1" }))
}

/// Compares one corpus file; returns the differences found, if any.
fn compare_file(name: &str, source: &[u8], fields: &[&str], python_minor: u32) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |what: &str, ours: &dyn std::fmt::Debug, theirs: &dyn std::fmt::Debug, same: bool| {
        if !same {
            problems.push(format!("{name}: {what}: ours {ours:?}, ast {theirs:?}"));
        }
    };
    let difference = DIFFERENCES.iter().find(|(file, _)| *file == name).map(|(_, difference)| *difference);
    let ours = python::read_module_detailed(source);
    if let Some(Difference::NeedsPython(minor)) = difference
        && python_minor < minor
    {
        check("accepted (source for a later Python)", &ours, &fields, ours.is_ok() && fields[0] == "err");
        return problems;
    }
    let cleandoc_differs = difference == Some(Difference::CleandocChangedIn313) && python_minor >= 13;
    match (fields[0], &ours) {
        ("err", Err(_)) => return problems,
        ("err", Ok(reading)) => {
            let message = Field::parse(fields[1]);
            check("validity", &reading.facts, &message, false);
            return problems;
        }
        (_, Err(error)) => {
            check("validity", &error.to_string(), &"valid", false);
            return problems;
        }
        _ => {}
    }
    let reading = ours.unwrap();
    let facts = &reading.facts;
    let (raw, cleaned, summary) = (Field::parse(fields[1]), Field::parse(fields[2]), Field::parse(fields[3]));

    if difference == Some(Difference::DocstringNotStatic) {
        let expected_difference = facts.docstring.is_none() && reading.docstring_not_static && raw != Field::None;
        check("docstring (known difference: not static)", &facts.docstring, &raw, expected_difference);
    } else if raw == Field::Unrepresentable {
        check(
            "docstring (unrepresentable)",
            &facts.docstring,
            &raw,
            facts.docstring.is_none() && reading.docstring_not_static,
        );
    } else {
        check("raw docstring", &facts.docstring, &raw, facts.docstring.as_deref() == raw.text());
        let our_cleaned = facts.docstring.as_deref().map(python::cleandoc);
        let our_summary = our_cleaned.as_deref().filter(|doc| !python::is_blank(doc)).and_then(python::first_line);
        if cleandoc_differs {
            check(
                "cleaned docstring (known 3.13 difference)",
                &our_cleaned,
                &cleaned,
                our_cleaned.as_deref() != cleaned.text(),
            );
        } else {
            check("cleaned docstring", &our_cleaned, &cleaned, our_cleaned.as_deref() == cleaned.text());
            check("summary", &our_summary, &summary, our_summary.as_deref() == summary.text());
        }
        check("docstring flagged not static", &reading.docstring_not_static, &false, !reading.docstring_not_static);
    }

    match (parse_version(fields[4]), difference) {
        (Ok(Some(_)), Some(Difference::VersionNotStatic)) | (Err(_), _) => {
            check(
                "version (known difference: not static)",
                &facts.version,
                &fields[4],
                facts.version.is_none() && reading.version_not_static,
            );
        }
        (Ok(theirs), _) => {
            check("version", &facts.version, &theirs, facts.version == theirs);
            check("version flagged not static", &reading.version_not_static, &false, !reading.version_not_static);
        }
    }
    // The extension for following imports agrees with flit's rule.
    let followed = python::find_constant_assignment(source, "__version__").ok().flatten();
    check("find_constant_assignment(__version__)", &followed, &facts.version, followed == facts.version);
    problems
}

#[test]
fn corpus_matches_cpython_ast() {
    let directory = corpus_dir();
    let output = run_python(AST_SCRIPT, &[directory.display().to_string()]);
    let mut lines = output.lines();
    let version_line = lines.next().expect("the AST script prints the Python version");
    let minor: u32 =
        version_line.split('\t').nth(1).and_then(|version| version.split('.').nth(1)?.parse().ok()).unwrap();

    let mut problems = Vec::new();
    let mut compared = 0;
    let mut invalid = 0;
    for line in lines {
        let mut parts = line.split('\t');
        let name = parts.next().unwrap();
        let fields: Vec<&str> = parts.collect();
        let source = std::fs::read(directory.join(name)).unwrap();
        if fields[0] == "err" {
            invalid += 1;
        }
        problems.extend(compare_file(name, &source, &fields, minor));
        compared += 1;
    }
    let listed = std::fs::read_dir(&directory).unwrap().count();
    assert_eq!(compared, listed, "the AST script reported on every corpus file");
    assert!(compared >= 60 && invalid >= 10, "the corpus is large and varied ({compared} files, {invalid} invalid)");
    for (file, _) in DIFFERENCES {
        assert!(directory.join(file).is_file(), "{file} is listed in DIFFERENCES but missing from the corpus");
    }
    assert!(
        problems.is_empty(),
        "{} difference(s) from CPython {version_line}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_character_of_every_supported_codec_matches_cpython() {
    let codecs: Vec<String> = python::supported_encodings().map(str::to_owned).collect();
    assert!(codecs.len() >= 40, "{codecs:?}");
    let output = run_python(CODEC_SCRIPT, &codecs);
    let mut problems = Vec::new();
    let mut checked = 0usize;
    for line in output.lines() {
        let mut parts = line.split('\t');
        let (codec, bytes, expected) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        // `utf_8` spelled so that CPython runs the real codec (see encoding.rs).
        let cookie = if codec == "utf_8" { "utf8" } else { codec };
        let prefix = format!("# coding: {cookie}\n");
        let source = [prefix.as_bytes(), &unhex(bytes)].concat();
        let ours = python::decode_source(&source);
        let ours = ours.as_ref().ok().and_then(|text| text.strip_prefix(&prefix));
        let theirs = (expected != "-").then(|| String::from_utf8(unhex(expected)).unwrap());
        if ours != theirs.as_deref() {
            problems.push(format!("{codec} {bytes}: ours {ours:?}, Python {theirs:?}"));
        }
        checked += 1;
    }
    assert!(checked > 300_000, "only {checked} sequences compared");
    assert!(
        problems.is_empty(),
        "{} of {checked} sequences decode differently:\n{}",
        problems.len(),
        problems.iter().take(50).cloned().collect::<Vec<_>>().join("\n")
    );
}
