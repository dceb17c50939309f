//! Differential test of the reStructuredText check (`flit_core::rst`)
//! against docutils as the index runs it.
//!
//! The interpreter named by `FLIT_TEST_PYTHON` (with the pinned
//! `readme_renderer` and `docutils` of `tests/requirements.txt`) renders
//! every file of `tests/rst-corpus/` with `readme_renderer`'s settings and
//! reports every system message of level WARNING or above that docutils
//! produces (the renderer stops at the first; the test collects all of
//! them by running docutils without halting). Then, for each file:
//!
//! - a file docutils accepts must raise no problem (a false alarm would
//!   block a user's build);
//! - for a file docutils rejects, the problems must be the same: same
//!   message kind (the first line of the message, quoted parts elided) at
//!   the same line; docutils gives a few messages no line, and those are
//!   matched by kind alone.
//!
//! The behaviours the checker does not reproduce are listed in
//! [`UNCOVERED`], as recorded expectations: each must still occur (a
//! message docutils reports and the checker does not), so none is a hidden
//! skip.
//!
//! A second test runs the same comparison on the descriptions of the
//! packages installed in `FLIT_TEST_PYTHON`'s environment whose
//! description is reStructuredText.
//!
//! Both fail loudly when `FLIT_TEST_PYTHON` is unset.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a failing test should stop at the failure")]
#![allow(clippy::print_stderr, reason = "the test reports what it compared")]

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use flit_core::rst::check_rst;
use serde_json::Value;

/// Messages docutils reports that the checker deliberately does not
/// reproduce: (corpus file, message kind).
const UNCOVERED: &[(&str, &str)] = &[
    // The `code` role (and directive) with a language Pygments does not
    // know: the check would need Pygments' lexer list.
    ("uncovered-code-role-language.rst", "Cannot analyze code. No Pygments lexer found for \"…\"."),
    // Attribute syntax inside `meta` field names.
    ("uncovered-meta-attribute.rst", "Error parsing meta tag attribute \"…\": missing \"…\"."),
];

/// The reference side: for each document (JSON list of `{name, text}` on
/// standard input, or the installed distributions' reStructuredText
/// descriptions with `--installed`), whether `readme_renderer` renders it,
/// and every docutils message of level 2 or more.
const REFERENCE: &str = r#"
import io, json, sys
import docutils, docutils.utils, readme_renderer
import readme_renderer.rst as rr
from docutils.core import publish_doctree
from docutils.parsers.rst import roles

assert docutils.__version__ == '0.23', docutils.__version__

def check(text):
    saved = dict(roles._roles)
    found = []
    original = docutils.utils.Reporter.system_message
    def system_message(self, level, message, *children, **kwargs):
        msg = original(self, level, message, *children, **kwargs)
        if level >= 2:
            found.append([level, msg.get('line'), msg.children[0].astext() if msg.children else ''])
        return msg
    settings = dict(rr.SETTINGS, halt_level=5, report_level=5, warning_stream=io.StringIO())
    docutils.utils.Reporter.system_message = system_message
    crashed = False
    try:
        publish_doctree(text, settings_overrides=settings)
    except Exception:
        # docutils fails on some documents after a first problem; the
        # renderer halts at that first problem, which is what counts.
        crashed = True
    finally:
        docutils.utils.Reporter.system_message = original
        roles._roles.clear(); roles._roles.update(saved)
    stream = io.StringIO()
    accepted = rr.render(text, stream=stream) is not None
    roles._roles.clear(); roles._roles.update(saved)
    return {'accepted': accepted, 'crashed': crashed, 'messages': found, 'stream': stream.getvalue()}

if sys.argv[1:] == ['--installed']:
    import importlib.metadata
    seen = set()
    documents = []
    for dist in importlib.metadata.distributions():
        meta = dist.metadata
        kind = (meta.get('Description-Content-Type') or 'text/x-rst').lower()
        text = meta.get_payload() or meta.get('Description') or ''
        if 'rst' not in kind or not text.strip() or text in seen:
            continue
        seen.add(text)
        documents.append({'name': meta['Name'] + '-' + meta['Version'], 'text': text})
else:
    documents = json.load(sys.stdin)
for document in documents:
    document.update(check(document['text']))
json.dump(documents, sys.stdout)
"#;

fn test_python() -> PathBuf {
    let help = "These tests compare the reStructuredText check with docutils and need a Python with the\n\
                pinned readme_renderer and docutils of tests/requirements.txt. Run them with tests/run.sh,\n\
                or: python3 -m venv .venv-test && .venv-test/bin/pip install -r tests/requirements.txt\n    \
                FLIT_TEST_PYTHON=$PWD/.venv-test/bin/python cargo test";
    match std::env::var_os("FLIT_TEST_PYTHON").filter(|value| !value.is_empty()) {
        Some(value) => PathBuf::from(value),
        None => panic!("FLIT_TEST_PYTHON is not set.\n{help}"),
    }
}

/// Runs the reference script with `arguments` and `input` on its standard
/// input; returns the documents it reports.
fn reference(arguments: &[&str], input: &str) -> Vec<Value> {
    let python = test_python();
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(REFERENCE)
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("could not run FLIT_TEST_PYTHON={}: {error}", python.display()));
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the reference script failed (are readme_renderer 46.0 and docutils 0.23 installed?):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<Value>(&output.stdout).unwrap().as_array().unwrap().clone()
}

/// A message's kind: its first line with quoted parts elided.
fn kind(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut quoted = false;
    for c in first.chars() {
        if c == '"' {
            if quoted {
                out.push_str("…\"");
            } else {
                out.push('"');
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// What docutils reported for one document: accepted, crashed, and the
/// messages as (line or `None`, kind).
struct Expected {
    accepted: bool,
    crashed: bool,
    messages: Vec<(Option<usize>, String)>,
}

fn expected(document: &Value) -> Expected {
    let accepted = document["accepted"].as_bool().unwrap();
    let crashed = document["crashed"].as_bool().unwrap();
    let mut messages: Vec<(Option<usize>, String)> = document["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|message| {
            let line = message[1].as_u64().map(|line| line as usize);
            (line, kind(message[2].as_str().unwrap()))
        })
        .collect();
    if !accepted && messages.is_empty() {
        // The renderer's own failure: nothing rendered.
        messages.push((Some(1), "No content rendered from RST source.".to_owned()));
    }
    Expected { accepted, crashed, messages }
}

/// Compares the checker's problems with docutils' messages; returns the
/// differences as text (empty when they agree), and the kinds docutils
/// reported that the checker did not.
fn compare(name: &str, text: &str, expected: &Expected) -> (Vec<String>, BTreeSet<String>) {
    let problems = check_rst(text);
    let ours: Vec<(usize, String)> = problems.iter().map(|problem| (problem.line, kind(&problem.message))).collect();
    let mut differences = Vec::new();
    let mut missing = BTreeSet::new();
    if expected.accepted {
        if !ours.is_empty() {
            differences.push(format!("{name}: docutils accepts it, the checker reports {ours:?}"));
        }
        return (differences, missing);
    }
    if ours.is_empty() {
        differences.push(format!("{name}: docutils rejects it ({:?}), the checker accepts it", expected.messages));
    }
    // Every docutils message must be found (when docutils crashed after the
    // first problem, only that first one is known).
    let theirs: Vec<&(Option<usize>, String)> =
        if expected.crashed { expected.messages.iter().take(1).collect() } else { expected.messages.iter().collect() };
    for (line, message) in &theirs {
        let found =
            ours.iter().any(|(our_line, our_kind)| our_kind == message && line.is_none_or(|line| line == *our_line));
        if !found {
            missing.insert(message.clone());
            differences.push(format!("{name}: docutils reports {message:?} at line {line:?}; the checker does not"));
        }
    }
    // And the checker must not report anything docutils does not.
    if !expected.crashed {
        for (line, message) in &ours {
            let known = expected.messages.iter().any(|(their_line, their_kind)| {
                their_kind == message && their_line.is_none_or(|their_line| their_line == *line)
            });
            if !known {
                differences.push(format!("{name}: the checker reports {message:?} at line {line}; docutils does not"));
            }
        }
    }
    (differences, missing)
}

fn corpus_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/rst-corpus")
}

#[test]
fn corpus_agrees_with_docutils() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_directory())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rst"))
        .collect();
    files.sort();
    assert!(files.len() >= 60, "the corpus should have at least 60 files, found {}", files.len());
    let documents: Vec<Value> = files
        .iter()
        .map(|path| {
            serde_json::json!({
                "name": path.file_name().unwrap().to_string_lossy(),
                "text": std::fs::read_to_string(path).unwrap(),
            })
        })
        .collect();
    let results = reference(&[], &serde_json::to_string(&documents).unwrap());
    let mut failures = Vec::new();
    let mut observed_uncovered: BTreeSet<(String, String)> = BTreeSet::new();
    let (mut accepted, mut rejected) = (0, 0);
    for document in &results {
        let name = document["name"].as_str().unwrap();
        let text = document["text"].as_str().unwrap();
        let expected = expected(document);
        if expected.accepted {
            accepted += 1;
        } else {
            rejected += 1;
        }
        // The corpus names say what each file is meant to be.
        if name.starts_with("valid-") {
            assert!(expected.accepted, "{name} is meant to be valid but docutils rejects it: {:?}", expected.messages);
        }
        if name.starts_with("invalid-") || name.starts_with("uncovered-") {
            assert!(!expected.accepted, "{name} is meant to be invalid but docutils accepts it");
        }
        let (differences, missing) = compare(name, text, &expected);
        for message in &missing {
            if UNCOVERED.iter().any(|(file, kind)| *file == name && kind == message) {
                observed_uncovered.insert((name.to_owned(), message.clone()));
            }
        }
        for difference in differences {
            let recorded = UNCOVERED.iter().any(|(file, kind)| {
                *file == name
                    && (difference.contains(&format!("{kind:?}")) || difference.contains("the checker accepts it"))
            });
            if !recorded {
                failures.push(difference);
            }
        }
    }
    eprintln!("rst corpus: {} files, {accepted} accepted and {rejected} rejected by docutils", results.len());
    for (file, kind) in UNCOVERED {
        assert!(
            observed_uncovered.contains(&((*file).to_owned(), (*kind).to_owned())),
            "recorded expectation no longer observed: {file}: {kind}"
        );
    }
    assert!(failures.is_empty(), "{} differences with docutils:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn installed_package_descriptions_agree_with_docutils() {
    let results = reference(&["--installed"], "");
    assert!(!results.is_empty(), "no reStructuredText description found among the installed packages");
    let mut failures = Vec::new();
    let mut rejected = 0;
    for document in &results {
        let name = document["name"].as_str().unwrap();
        let text = document["text"].as_str().unwrap();
        let expected = expected(document);
        rejected += usize::from(!expected.accepted);
        let (differences, _) = compare(name, text, &expected);
        failures.extend(differences);
    }
    eprintln!(
        "installed packages: {} reStructuredText descriptions, {rejected} rejected by docutils, {} differences",
        results.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "differences with docutils:\n{}", failures.join("\n"));
}

#[test]
fn message_kinds() {
    assert_eq!(kind("Unknown target name: \"foo bar\"."), "Unknown target name: \"…\".");
    assert_eq!(kind("Malformed table.\nText in column margin in table line 8."), "Malformed table.");
}
