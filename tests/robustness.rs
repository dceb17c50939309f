//! No input makes the build panic.
//!
//! Every build fixture is loaded into memory and its `pyproject.toml` and
//! module are mutated thousands of times (deterministically: the same seed
//! gives the same inputs, so a failure can be replayed) — bytes deleted,
//! lines duplicated or swapped, TOML and Python fragments spliced in, values
//! replaced by other types. Each mutant goes through validation, planning and
//! a full build into memory. Any outcome is fine except a panic; an error
//! must come with at least one diagnostic, and a success must produce
//! archives.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::fs;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use flit_core::build::{ArchiveSink, Formats, build, plan_archives};
use flit_core::config::validate_text;
use flit_core::options::BuildOptions;
use flit_core::parallel::Sequential;
use flit_core::path::RelPath;
use flit_core::tree::MemoryTree;
use support::{fixture_names, fixtures_dir};

/// Mutants per fixture and per file; about 30 000 builds in all.
const MUTANTS: usize = 200;

/// A small deterministic generator (xorshift64*), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        if bound == 0 { 0 } else { (self.next() % bound as u64) as usize }
    }
}

/// Fragments that exercise the parsers' edges.
const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "=",
    "\n",
    "\\",
    "#",
    ",",
    "[project]\n",
    "[tool.flit.sdist]\n",
    "[tool.flit.external-data]\ndirectory = \"..\"\n",
    "name = 1\n",
    "version = \"\"\n",
    "dynamic = [\"version\"]\n",
    "dynamic = [\"readme\"]\n",
    "license = \"MIT AND (\"\n",
    "license = {file = \"/etc/passwd\"}\n",
    "license-files = [\"**LICENSE\", \"../x\"]\n",
    "readme = \"../../README\"\n",
    "readme = {text = 1}\n",
    "authors = [{name = \"a\\\"b\", email = \"@\"}]\n",
    "urls = {\"\" = \"ftp://\"}\n",
    "dependencies = [\"a[b; c\", \"x @ \", \"y ; python_version <\"]\n",
    "requires-python = \">=3.\"\n",
    "import-names = [\"a.b ; public\"]\n",
    "[project.entry-points.console_scripts]\nx = \"a:b\"\n",
    "include = [\"**\", \".\", \"..\", \"/\", \"a\\u0000b\"]\n",
    "\u{feff}",
    "\u{0}",
    "ü",
    "\u{202e}",
    "\"\"\"",
    "'''",
    "__version__ = ",
    "__version__ = '1.0'\n",
    "__version__ = b'1'\n",
    "\"\"\"doc\"\"\"\n",
    "# -*- coding: latin-1 -*-\n",
    "# coding: nope\n",
    "from . import __version__\n",
    "from ._v import v as __version__\n",
    "\\N{BULLET}",
    "f'{",
    "\t",
    "    ",
    "(",
    ")",
    "\r",
    "\r\n",
    "0x",
    "1_",
    "1e",
    "j",
];

fn mutate(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = text.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            1 => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                bytes.splice(at..at, fragment.iter().copied());
            }
            2 => bytes.truncate(at),
            3 => {
                // Duplicate or swap whole lines.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                if lines.len() > 1 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    if rng.below(2) == 0 {
                        lines.swap(a, b);
                    } else {
                        let line = lines[a];
                        lines.insert(b, line);
                    }
                }
                bytes = lines.join("\n").into_bytes();
            }
            4 if !bytes.is_empty() => {
                let index = at.min(bytes.len() - 1);
                bytes[index] = (rng.next() & 0xff) as u8;
            }
            _ => bytes.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes()),
        }
    }
    bytes
}

/// Loads a fixture directory into memory, keeping symlinks and modes.
fn load(root: &Path) -> MemoryTree {
    let mut tree = MemoryTree::new();
    let mut pending = vec![String::new()];
    while let Some(relative) = pending.pop() {
        for entry in fs::read_dir(root.join(&relative)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let child = if relative.is_empty() { name } else { format!("{relative}/{name}") };
            let path = RelPath::new(&child).unwrap();
            let metadata = fs::symlink_metadata(entry.path()).unwrap();
            if metadata.is_symlink() {
                tree.add_symlink(&path, fs::read_link(entry.path()).unwrap().to_str().unwrap());
            } else if metadata.is_dir() {
                tree.add_dir(&path);
                pending.push(child);
            } else {
                #[cfg(unix)]
                let executable = std::os::unix::fs::PermissionsExt::mode(&metadata.permissions()) & 0o100 != 0;
                #[cfg(not(unix))]
                let executable = false;
                tree.add_file(&path, fs::read(entry.path()).unwrap(), executable);
            }
        }
    }
    tree
}

/// The `.py` files under `root`, relative to it (symlinks not followed).
fn python_files(root: &Path) -> Vec<RelPath> {
    let mut found = Vec::new();
    let mut pending = vec![String::new()];
    while let Some(relative) = pending.pop() {
        for entry in fs::read_dir(root.join(&relative)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let child = if relative.is_empty() { name } else { format!("{relative}/{name}") };
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(child);
            } else if kind.is_file() && child.ends_with(".py") {
                found.push(RelPath::new(&child).unwrap());
            }
        }
    }
    found.sort();
    found
}

/// Archives kept in memory.
#[derive(Default)]
struct MemorySink {
    written: Vec<(String, Vec<u8>)>,
}

impl ArchiveSink for MemorySink {
    type Writer = Cursor<Vec<u8>>;

    fn create(&mut self, _file_name: &str) -> std::io::Result<Self::Writer> {
        Ok(Cursor::new(Vec::new()))
    }

    fn finish(&mut self, file_name: &str, writer: Self::Writer) -> std::io::Result<()> {
        self.written.push((file_name.to_owned(), writer.into_inner()));
        Ok(())
    }
}

/// Validates, plans and builds `tree`; panics (the test's failure) only if
/// the core panicked or broke its contract.
fn exercise(tree: &MemoryTree, config: &RelPath, config_text: &str, what: &str) {
    let options = BuildOptions { source_date_epoch: Some(1_700_000_000), ..BuildOptions::default() };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let _ = validate_text(config.as_str(), config_text, &options);
        let _ = plan_archives(tree, config, &options, None);
        let mut sink = MemorySink::default();
        let result = build(tree, config, Formats::BOTH, &options, None, &mut sink, &Sequential);
        (result.map(|output| (output.sdist.is_some(), output.wheel.is_some())), sink.written.len())
    }));
    match outcome {
        Err(_) => panic!("the build panicked on {what}"),
        Ok((Ok((true, true)), 2)) => {}
        Ok((Ok(built), count)) => panic!("{what}: a successful build produced {built:?} with {count} archives"),
        Ok((Err(diagnostics), _)) => {
            assert!(diagnostics.has_errors(), "{what}: the build failed without an error diagnostic");
        }
    }
}

#[test]
fn mutated_configurations_and_modules_never_panic() {
    let mut rng = Rng(0x5eed_f117_0000_0001);
    let mut mutants = 0;
    for fixture in fixture_names("build") {
        let options = support::FixtureOptions::load(&fixture);
        let root = fixtures_dir("build").join(&fixture);
        let pristine = load(&root);
        let config = RelPath::new(&options.config).unwrap();
        let config_text = fs::read(root.join(&options.config)).unwrap();
        // The module files worth mutating: every .py file of the fixture.
        let python: Vec<RelPath> = python_files(&root);
        for round in 0..MUTANTS {
            let mut tree = pristine.clone();
            let mutated_config = mutate(&config_text, &mut rng);
            tree.add_file(&config, mutated_config.clone(), false);
            let mut what = format!("{fixture} mutant {round} of {}", options.config);
            if !python.is_empty() && round % 2 == 1 {
                let file = &python[rng.below(python.len())];
                let source = fs::read(root.join(file.as_str())).unwrap();
                tree.add_file(file, mutate(&source, &mut rng), false);
                what.push_str(&format!(" and of {file}"));
            }
            exercise(&tree, &config, &String::from_utf8_lossy(&mutated_config), &what);
            mutants += 1;
        }
    }
    assert!(mutants > 10_000, "only {mutants} mutants were tried");
}
