//! Differential test of `flit_core::pep508` against `packaging` 26.3.
//!
//! Generates tens of thousands of inputs for each of the four parsers —
//! hand-written edge cases, real-world requirement strings, systematic
//! combinations of every part of the grammars, seeded random mutations of
//! valid inputs, and random sequences of grammar tokens mixed with hostile
//! characters — and runs the Python named by `FLIT_TEST_PYTHON` once over
//! all of them (`Version`, `SpecifierSet`, `Requirement`, `Marker`, plus
//! the order of version pairs and the parts of specifier sets). Ours must
//! accept exactly what packaging accepts, print exactly what `str()`
//! prints, order versions as packaging does, and reject what it rejects.
//!
//! The deliberate differences (see the `flit_core::pep508` documentation)
//! are recorded expectations: an input where packaging accepts and we
//! reject is allowed only when our error is one of them, each of them must
//! actually occur, and the listed examples must come out exactly so.
//!
//! `FLIT_TEST_PYTHON` must name a Python with packaging 26.3 installed; the
//! test fails loudly if it is unset.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a failing test should stop at the failure")]
#![allow(clippy::print_stderr, reason = "the test reports what it compared")]

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use flit_core::pep508::{
    MAX_MARKER_NESTING, Pep508Error, Version, parse_marker, parse_requirement, parse_specifiers, parse_version,
};

/// The reference side: reads `function<TAB>hex(arg)[<TAB>hex(arg)]` lines and
/// answers one line per case: `ok <hex(str(result))>`, `err <exception>` when
/// parsing raised, `strerr <exception>` when parsing succeeded but `str()`
/// raised. Any exception counts (deep nesting raises `RecursionError`, long
/// numbers `ValueError`).
const REFERENCE: &str = r#"
import sys, warnings
warnings.simplefilter('ignore')
import packaging
from packaging.version import Version
from packaging.specifiers import SpecifierSet
from packaging.requirements import Requirement
from packaging.markers import Marker

def compare(a, b):
    a, b = Version(a), Version(b)
    return str((a > b) - (a < b)) + ('=' if hash(a) == hash(b) else '#')

def spec_parts(text):
    parts = []
    for spec in SpecifierSet(text):
        if spec.operator == '===':
            parts.append('=== ' + spec.version)
        else:
            parts.append(spec.operator + ' ' + str(Version(spec.version.removesuffix('.*'))))
    return '|'.join(parts)

FUNCTIONS = {
    'version': Version,
    'specifiers': SpecifierSet,
    'requirement': Requirement,
    'marker': Marker,
    'compare': compare,
    'spec_parts': spec_parts,
}

out = ['packaging ' + packaging.__version__]
for line in sys.stdin.buffer.read().decode('ascii').splitlines():
    function, *args = line.split('\t')
    args = [bytes.fromhex(a).decode('utf-8') for a in args]
    try:
        result = FUNCTIONS[function](*args)
    except BaseException as e:
        out.append('err ' + type(e).__name__)
        continue
    try:
        text = str(result)
    except BaseException as e:
        out.append('strerr ' + type(e).__name__)
        continue
    out.append('ok ' + text.encode('utf-8', 'surrogatepass').hex())
sys.stdout.write('\n'.join(out) + '\n')
"#;

// ---------------------------------------------------------------------------
// The deliberate differences

/// A deliberate difference: an input packaging accepts (or parses and then
/// cannot print) and we reject, recognised by our error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Deliberate {
    /// `\N{...}` in a marker string.
    NamedEscape,
    /// An escape of a lone surrogate in a marker string.
    Surrogate,
    /// A marker string with both quote characters.
    BothQuotes,
    /// A non-ASCII case variant of a label in a `~=` specifier.
    NonAsciiLabel,
    /// A number longer than Python's `int()` limit in a specifier.
    LongNumber,
    /// Marker parentheses nested deeper than our limit.
    DeepNesting,
}

impl Deliberate {
    const ALL: [Deliberate; 6] = [
        Deliberate::NamedEscape,
        Deliberate::Surrogate,
        Deliberate::BothQuotes,
        Deliberate::NonAsciiLabel,
        Deliberate::LongNumber,
        Deliberate::DeepNesting,
    ];

    /// The category of our error, if it is a deliberate one.
    fn of(error: &Pep508Error) -> Option<Deliberate> {
        let message = &error.message;
        let fragments = [
            (Deliberate::NamedEscape, "named Unicode escapes (`\\N{...}`) are not supported"),
            (Deliberate::Surrogate, "is a lone UTF-16 surrogate"),
            (Deliberate::BothQuotes, "cannot contain both `'` and `\"`"),
            (Deliberate::NonAsciiLabel, "is not ASCII; packaging's `~=` pattern accepts it"),
            (Deliberate::LongNumber, "cannot have more than 4300 digits"),
            (Deliberate::DeepNesting, "cannot be nested more than"),
        ];
        fragments.into_iter().find(|(_, fragment)| message.contains(fragment)).map(|(kind, _)| kind)
    }
}

/// Listed examples of each deliberate difference: (function, input, kind).
/// packaging must accept each (or fail only in `str()`), we must reject it
/// for that reason.
fn listed_differences() -> Vec<(&'static str, String, Deliberate)> {
    let nested = |depth: usize| format!("{}os_name == 'a'{}", "(".repeat(depth), ")".repeat(depth));
    vec![
        ("marker", r"os_name == '\N{LATIN SMALL LETTER A}'".to_owned(), Deliberate::NamedEscape),
        ("requirement", r"foo; extra == '\N{DIGIT ONE}'".to_owned(), Deliberate::NamedEscape),
        ("marker", r"os_name == '\ud800'".to_owned(), Deliberate::Surrogate),
        ("marker", r#"platform_machine == "\U0000dfff""#.to_owned(), Deliberate::Surrogate),
        ("marker", r#"os_name == '\x27"'"#.to_owned(), Deliberate::BothQuotes),
        ("requirement", r#"foo; "it's\x22" == os_name"#.to_owned(), Deliberate::BothQuotes),
        ("specifiers", "~=1.0po\u{17f}t1".to_owned(), Deliberate::NonAsciiLabel),
        ("specifiers", "~=1.0po\u{17f}t1,>=1".to_owned(), Deliberate::NonAsciiLabel),
        ("requirement", "foo~=1.0prev\u{130}ew".to_owned(), Deliberate::NonAsciiLabel),
        ("requirement", "foo ~= 2.0a1, ~=2.0.po\u{17f}t".to_owned(), Deliberate::NonAsciiLabel),
        ("specifiers", format!(">=1.{}", "0".repeat(4301)), Deliberate::LongNumber),
        ("specifiers", format!("==1.{},!=2", "9".repeat(5000)), Deliberate::LongNumber),
        ("requirement", format!("foo<{}", "1".repeat(4301)), Deliberate::LongNumber),
        ("marker", nested(MAX_MARKER_NESTING + 1), Deliberate::DeepNesting),
        ("requirement", format!("foo; {}", nested(300)), Deliberate::DeepNesting),
    ]
}

// ---------------------------------------------------------------------------
// Input generation

/// A small deterministic generator (SplitMix64), so every run tests the
/// same inputs.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Inputs in first-seen order, without repeats.
#[derive(Default)]
struct Inputs {
    seen: HashSet<String>,
    list: Vec<String>,
}

impl Inputs {
    fn add(&mut self, input: impl Into<String>) {
        let input = input.into();
        if self.seen.insert(input.clone()) {
            self.list.push(input);
        }
    }
}

/// Characters that stress the character classes: Python whitespace that
/// the tokenizer does not skip, case variants Python's `re` folds, word
/// characters outside ASCII, quotes, controls.
const HOSTILE: &[&str] = &[
    "\u{a0}",
    "\u{3000}",
    "\u{2028}",
    "\u{85}",
    "\x1c",
    "\x1f",
    "\x0b",
    "\x0c",
    "\r",
    "\n",
    "\0",
    "\u{17f}",
    "\u{131}",
    "\u{130}",
    "\u{212a}",
    "é",
    "Σ",
    "ß",
    "\u{200b}",
    "\u{feff}",
    "\u{1F600}",
    "\u{663}",
    "'",
    "\"",
    "\\",
    "`",
    "#",
    "$",
    "%",
    "&",
    "*",
    "?",
    "^",
    "|",
    "{",
    "}",
    "/",
    ":",
];

/// Applies one to three random edits: insert, delete, replace, duplicate
/// or swap, with fragments from `alphabet`.
fn mutate(random: &mut Random, text: &str, alphabet: &[&str]) -> String {
    let mut chars: Vec<String> = text.chars().map(String::from).collect();
    for _ in 0..1 + random.below(3) {
        let position = random.below(chars.len() + 1);
        let fragment = if random.chance(80) { *random.pick(alphabet) } else { *random.pick(HOSTILE) };
        match random.below(5) {
            0 => chars.insert(position, fragment.to_owned()),
            1 if position < chars.len() => {
                chars.remove(position);
            }
            2 if position < chars.len() => chars[position] = fragment.to_owned(),
            3 if position < chars.len() => {
                let end = (position + 1 + random.below(4)).min(chars.len());
                let copy: Vec<String> = chars[position..end].to_vec();
                for (offset, piece) in copy.into_iter().enumerate() {
                    chars.insert(end + offset, piece);
                }
            }
            _ if position + 1 < chars.len() => chars.swap(position, position + 1),
            _ => chars.insert(position, fragment.to_owned()),
        }
    }
    chars.concat()
}

/// A random sequence of `length` fragments.
fn sequence(random: &mut Random, alphabet: &[&str], length: usize) -> String {
    (0..length).map(|_| if random.chance(92) { *random.pick(alphabet) } else { *random.pick(HOSTILE) }).collect()
}

/// Every single-character insertion and substitution, with every ASCII
/// character and the hostile ones, at every position of `text`.
fn sweep(inputs: &mut Inputs, text: &str) {
    let ascii: Vec<String> = (0u8..0x80).map(|byte| char::from(byte).to_string()).collect();
    let characters: Vec<&str> = ascii.iter().map(String::as_str).chain(HOSTILE.iter().copied()).collect();
    let boundaries: Vec<usize> = text.char_indices().map(|(index, _)| index).chain([text.len()]).collect();
    for (number, &position) in boundaries.iter().enumerate() {
        for character in &characters {
            inputs.add(format!("{}{character}{}", &text[..position], &text[position..]));
            if let Some(&next) = boundaries.get(number + 1) {
                inputs.add(format!("{}{character}{}", &text[..position], &text[next..]));
            }
        }
    }
}

// Versions ------------------------------------------------------------------

const VERSION_CASES: &[&str] = &[
    "",
    " ",
    "0",
    "1",
    "1.0",
    "1.0.0",
    "01",
    "00.00",
    "1.2.3.4.5.6.7.8.9.10",
    "v1",
    "V1.0",
    "vv1",
    "v",
    "v.1",
    " 1.0 ",
    "\t1.0\n",
    "\u{a0}1.0\u{3000}",
    "\x1c1\x1f",
    "1.0\u{200b}",
    "1!1",
    "0!1",
    "01!1",
    "1!",
    "!1",
    "1!!1",
    "1!v1",
    "v1!1",
    "1.0a",
    "1.0a1",
    "1.0A1",
    "1.0-a1",
    "1.0_a1",
    "1.0.a1",
    "1.0a.1",
    "1.0a-1",
    "1.0a_1",
    "1.0a-",
    "1.0a.",
    "1.0alpha",
    "1.0ALPHA2",
    "1.0b",
    "1.0beta",
    "1.0beta.3",
    "1.0c",
    "1.0C1",
    "1.0rc",
    "1.0RC1",
    "1.0pre",
    "1.0preview",
    "1.0-preview-2",
    "1.0prev",
    "1.0alph",
    "1.0ab",
    "1.0aa",
    "1.0rcc",
    "1.0r",
    "1.0rev",
    "1.0REV3",
    "1.0post",
    "1.0.post",
    "1.0.post1",
    "1.0-post1",
    "1.0_post1",
    "1.0post-1",
    "1.0.post.1",
    "1.0-1",
    "1.0-01",
    "1.0-",
    "1.0--1",
    "1.0-r",
    "1.0-r1",
    "1.0.r.1",
    "1.0dev",
    "1.0.dev",
    "1.0.dev1",
    "1.0-dev-1",
    "1.0_dev_1",
    "1.0DEV",
    "1.0dev.",
    "1.0.dev-",
    "1.0d",
    "1.0de",
    "1.0a1.post1.dev1",
    "1.0a1-1",
    "1.0a1-1.dev1",
    "1.0a1post1dev1",
    "1.0rc1.post.dev",
    "1.0+a",
    "1.0+A",
    "1.0+a.1",
    "1.0+1.01",
    "1.0+a-b_c",
    "1.0+",
    "1.0+a..b",
    "1.0+a.",
    "1.0+.a",
    "1.0++a",
    "1.0+a+b",
    "1.0+é",
    "1.0+a b",
    "1.0 +a",
    "1.0+ a",
    "1.0.*",
    "1.*",
    "1.0a1.*",
    "*",
    ".1",
    "1.",
    "1..0",
    "1.0.",
    "1,0",
    "1.0 1",
    "1.0\n1",
    "a",
    "abc",
    "1.0abc",
    "1.0x",
    "1.0.x",
    "1.0-x",
    "1.0_",
    "1.0-_",
    "1.0.post1+",
    "1.0.post1+a",
    "1.0\u{17f}",
    "1.0po\u{17f}t1",
    "1.0prev\u{130}ew",
    "1.0\u{212a}",
    "１.０",
    "1.0\u{663}",
    "1e3",
    "0x10",
    "1_000",
    "-1",
    "+1",
    "1.0.0-alpha",
    "1.0.0-beta.11",
    "1.0.0-rc.1+build.1",
    "2024.01.15",
    "1!2.3.4a5.post6.dev7+abc.8.def",
    "999999999999999999999999999999.0",
    "1.0-foo",
    "1.0.post1.post2",
    "1.0.dev1.dev2",
    "1.0a1a2",
    "1.0a1.b1",
    "1.0.dev1.a1",
    "1.0.dev1.post1",
    "1.0.post1.a1",
    "1.01.001",
    "0.0.0",
    "1.0 a1",
    "1.0a 1",
    "1.0\ta1",
    "1.0a1 ",
];

const VERSION_FRAGMENTS: &[&str] = &[
    "0", "1", "2", "9", "00", "01", "10", "123", ".", ".", "-", "_", "!", "+", "v", "V", "a", "b", "c", "rc", "RC",
    "pre", "preview", "alpha", "beta", "post", "rev", "r", "dev", "DEV", "x", "z", " ", ".*", "*",
];

fn version_inputs(random: &mut Random) -> Vec<String> {
    let mut inputs = Inputs::default();
    for case in VERSION_CASES {
        inputs.add(*case);
    }
    let epochs = ["", "1!", "0!", "01!", "!", "1!!"];
    let releases = ["1", "1.0", "01.02.03", "1.", ".1", "1..0", "0", "1.2.3.4.5", "v1.0", "V2"];
    let pres = [
        "", "a", "a1", "A1", "-a1", ".a.1", "_alpha_2", "b", "beta3", "c", "rc", "RC1", "pre", "preview4", "-pre-",
        "a-", "alph", "rc.", "ab", ".", "-",
    ];
    let posts =
        ["", "-1", "-", ".post", "post1", ".post.2", "-r3", "rev", "_rev_4", "r", "-post-", "post-", "-01", "posts"];
    let devs = ["", "dev", ".dev1", "-dev-2", "DEV", "_dev_", "dev.", "d", ".dev.3", "devx"];
    let locals = ["", "+a", "+A.1", "+1.01", "+a-b_c", "+", "+a..b", "+ab.", "+.a", "+é", "+a+b", "+0"];
    let edges = ["", " ", "\n", "x", ".*", "\u{a0}", "\u{2028}", "\x1c"];
    // Every release with every pre, post and dev part.
    for release in releases {
        for pre in pres {
            for post in posts {
                inputs.add(format!("{release}{pre}{post}"));
            }
            for dev in devs {
                inputs.add(format!("{release}{pre}{dev}"));
            }
        }
        for post in posts {
            for dev in devs {
                for local in locals {
                    inputs.add(format!("{release}{post}{dev}{local}"));
                }
            }
        }
        for epoch in epochs {
            for edge in edges {
                inputs.add(format!("{edge}{epoch}{release}{edge}"));
            }
        }
    }
    // Random combinations of all parts.
    for _ in 0..15_000 {
        let text = format!(
            "{}{}{}{}{}{}{}{}",
            random.pick(&edges),
            random.pick(&epochs),
            random.pick(&releases),
            random.pick(&pres),
            random.pick(&posts),
            random.pick(&devs),
            random.pick(&locals),
            random.pick(&edges),
        );
        inputs.add(text);
    }
    // Mutations of valid versions and random token sequences.
    let valid: Vec<String> = inputs.list.iter().filter(|text| parse_version(text).is_ok()).cloned().collect();
    for _ in 0..10_000 {
        let base = random.pick(&valid).clone();
        inputs.add(mutate(random, &base, VERSION_FRAGMENTS));
    }
    for _ in 0..8_000 {
        let length = 1 + random.below(10);
        inputs.add(sequence(random, VERSION_FRAGMENTS, length));
    }
    for text in ["1!2.3a4.post5.dev6+l.7", "v1.0rc1-1"] {
        sweep(&mut inputs, text);
    }
    // Numbers at Python's `int()` limit, and long inputs.
    for digits in [4299, 4300, 4301, 6000] {
        inputs.add("9".repeat(digits));
        inputs.add(format!("1.{}", "0".repeat(digits)));
        inputs.add(format!("{}!1", "1".repeat(digits)));
        inputs.add(format!("1a{}", "0".repeat(digits)));
        inputs.add(format!("1.post{}", "2".repeat(digits)));
        inputs.add(format!("1.dev{}", "3".repeat(digits)));
        inputs.add(format!("1+{}", "4".repeat(digits)));
        inputs.add(format!("1+a{}", "4".repeat(digits)));
    }
    inputs.add("1.".repeat(50_000) + "1");
    inputs.add("1.".repeat(50_000));
    inputs.add(format!("1+{}", "a.".repeat(50_000)));
    inputs.list
}

// Specifiers ----------------------------------------------------------------

const OPERATORS: &[&str] = &[
    "==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "<>", "=<", "=>", "~", "!", "== =", "", "= =", "====", "!==",
    "~==",
];

const SPECIFIER_VERSIONS: &[&str] = &[
    "1",
    "1.0",
    "1.0.0",
    "v1.0",
    "1!2.0",
    "1.0a1",
    "1.0.post1",
    "1.0.dev1",
    "1.0a1.post1.dev1",
    "1.0+local",
    "1.0+LOCAL.5",
    "1.*",
    "1.0.*",
    "1.0a1.*",
    "1.0+abc.*",
    "1.0.*.*",
    "1.0.*+abc",
    "*",
    "1.0-1",
    "1.0a.",
    "1.0.dev-",
    "1.0RC1",
    "1.0po\u{17f}t1",
    "1.0prev\u{130}ew",
    "1.0\u{131}",
    "",
    "abc",
    "1.0 1",
    "1.0;",
    "1.0)",
    "1.0(",
    "a.b.c",
    "2024.1",
    "0.0.0.0",
    "1.0+",
    "1.0-",
    "1.0x",
    "1..0",
];

const SPECIFIER_FRAGMENTS: &[&str] = &[
    "==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "!", "~", "1", "0", "2", "10", ".", ".*", "*", "a", "b", "rc",
    "post", "dev", "+", "abc", "v", "-", "_", "!", ",", ",", " ", " ", "\t", ";", ")", "(", "x",
];

fn specifier_inputs(random: &mut Random) -> Vec<String> {
    let mut inputs = Inputs::default();
    for text in ["", " ", ",", " , ", ",,", " , ,>=1", ">=1,", ",>=1", ">=1,,<2", ">=1 , <2", ">=1 <2", ">=1;<2"] {
        inputs.add(text);
    }
    let spaces = ["", " ", "  ", "\t", "\u{a0}", "\n", "\x1c"];
    for operator in OPERATORS {
        for version in SPECIFIER_VERSIONS {
            inputs.add(format!("{operator}{version}"));
            for space in spaces {
                inputs.add(format!("{space}{operator}{space}{version}{space}"));
            }
        }
    }
    let real_operators = &OPERATORS[..8];
    let single = |random: &mut Random| {
        format!(
            "{}{}{}{}{}",
            random.pick(&spaces),
            random.pick(real_operators),
            random.pick(&spaces),
            random.pick(SPECIFIER_VERSIONS),
            random.pick(&spaces)
        )
    };
    for _ in 0..12_000 {
        let count = 1 + random.below(4);
        let mut pieces: Vec<String> = (0..count).map(|_| single(random)).collect();
        if random.chance(20) {
            pieces.insert(random.below(pieces.len() + 1), random.pick(&spaces).to_string());
        }
        inputs.add(pieces.join(","));
    }
    // Duplicates in every spelling, which the printed form drops.
    for version in ["1", "1.0", "1.0.0", "01.0", "v1", "1.0+a", "1.0+A", "1.0a1", "1.0a01", "1.0.*", "1.00.*"] {
        for other in ["1", "1.0", "1.0.0", "1.0+a", "1.0+A", "1.0a1", "1.0.*"] {
            for operator in real_operators {
                inputs.add(format!("{operator}{version},{operator}{other}"));
            }
        }
    }
    let valid: Vec<String> = inputs.list.iter().filter(|text| parse_specifiers(text).is_ok()).cloned().collect();
    for _ in 0..10_000 {
        let base = random.pick(&valid).clone();
        inputs.add(mutate(random, &base, SPECIFIER_FRAGMENTS));
    }
    for _ in 0..6_000 {
        let length = 1 + random.below(12);
        inputs.add(sequence(random, SPECIFIER_FRAGMENTS, length));
    }
    for text in [">=1.0a1, ==2.*,!=3+l", "~=1.0.post1,===x", "<v1!2.dev3"] {
        sweep(&mut inputs, text);
    }
    inputs.add(">=1,".repeat(20_000));
    inputs.add(format!("=={}", "1.".repeat(20_000) + "*"));
    inputs.add(format!(">={}", "1".repeat(4301)));
    inputs.add(format!("==={}", "x".repeat(100_000)));
    inputs.list
}

// Markers -------------------------------------------------------------------

const VARIABLES: &[&str] = &[
    "python_version",
    "python_full_version",
    "os_name",
    "os.name",
    "sys_platform",
    "sys.platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform.version",
    "platform_machine",
    "platform.machine",
    "platform_python_implementation",
    "platform.python_implementation",
    "python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
    "extras",
    "dependency_groups",
];

const BAD_VARIABLES: &[&str] = &[
    "platform",
    "python-version",
    "extra_",
    "Os_name",
    "os-name",
    "implementation.name",
    "python.version",
    "os_namex",
    "extrasx",
    "_extra",
    "1extra",
    "sys_platform\u{e9}",
    "dependency-groups",
    "platform.release",
    "sys.version",
];

const MARKER_OPERATORS: &[&str] = &[
    "==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in", "not  in", "not\tin", "notin", "=", "<>", "is",
    "not", "in not", "= =", "=>", "!==",
];

const VALUES: &[&str] = &[
    "'3.8'",
    "\"3.8\"",
    "'3.10.1'",
    "''",
    "\"\"",
    "'posix'",
    "'win32'",
    "'CPython'",
    "'Foo_Bar'",
    "'Foo.Bar-baz'",
    "'ΑΣ'",
    "'ΣΑΣ'",
    "'a\"b'",
    "\"a'b\"",
    r"'a\x41'",
    r"'\N{LATIN SMALL LETTER A}'",
    r"'\N{NO SUCH NAME}'",
    r"'\N'",
    r"'\ud800'",
    r"'\U0001F600'",
    r"'\U00110000'",
    r#"'\x27"'"#,
    r"'\''",
    r"'\\'",
    r"'a\'",
    r"'\q'",
    r"'\777'",
    r"'\0'",
    "'a\\\nb'",
    "'a\nb'",
    "'a\rb'",
    "'a\r\nb'",
    "'a\0b'",
    "'\t'",
    "'\u{85}'",
    "'a b'",
    "3.8",
    "posix",
    "'unterminated",
    "\"unterminated",
    "'a''b'",
    r"'\x4'",
    r"'\u12'",
    "'İ'",
    "'ß'",
    "'\u{17f}'",
    "'-_.'",
];

const MARKER_FRAGMENTS: &[&str] = &[
    "os_name",
    "python_version",
    "extra",
    "extras",
    "sys.platform",
    "platform_release",
    "dependency_groups",
    "==",
    "!=",
    "<",
    ">=",
    "~=",
    "===",
    "in",
    "not",
    "and",
    "or",
    "(",
    ")",
    "(",
    ")",
    " ",
    " ",
    " ",
    "\t",
    "'a'",
    "\"3.8\"",
    "'Foo_Bar'",
    "'",
    "\"",
    "x",
    "1",
    "=",
    ";",
    r"\x41",
    r"\N{",
    "}",
];

fn comparison(random: &mut Random) -> String {
    let variable = |random: &mut Random| {
        if random.chance(95) { random.pick(VARIABLES).to_string() } else { random.pick(BAD_VARIABLES).to_string() }
    };
    let value = |random: &mut Random| {
        if random.chance(85) { random.pick(&VALUES[..12]).to_string() } else { random.pick(VALUES).to_string() }
    };
    let operator =
        if random.chance(90) { *random.pick(&MARKER_OPERATORS[..10]) } else { *random.pick(MARKER_OPERATORS) };
    let space = |random: &mut Random| *random.pick(&["", " ", " ", "  ", "\t", " \t"]);
    let (left, right) = match random.below(10) {
        0 => (value(random), variable(random)),
        1 => (variable(random), variable(random)),
        2 => (value(random), value(random)),
        _ => (variable(random), value(random)),
    };
    format!("{}{left}{}{operator}{}{right}{}", space(random), space(random), space(random), space(random))
}

fn marker_expression(random: &mut Random, depth: usize) -> String {
    let count = 1 + random.below(if depth > 2 { 2 } else { 4 });
    let mut text = String::new();
    for index in 0..count {
        if index > 0 {
            text.push_str(random.pick::<&str>(&[" and ", " or ", "and ", " or(", " and\t"]));
            if text.ends_with('(') {
                text.push_str(&marker_expression(random, depth + 1));
                text.push(')');
                continue;
            }
        }
        if depth < 4 && random.chance(25) {
            let inner = marker_expression(random, depth + 1);
            let (open, close) = *random.pick(&[("(", ")"), ("( ", " )"), ("((", "))"), ("(", ") ")]);
            let _ = write!(text, "{open}{inner}{close}");
        } else {
            text.push_str(&comparison(random));
        }
    }
    text
}

const REAL_MARKERS: &[&str] = &[
    "python_version >= '3.6'",
    "implementation_name == 'cpython'",
    "platform_release >= '5.0'",
    "'linux' in sys_platform",
    "extra == 'test'",
    "python_full_version >= '3.6.2'",
    "os_name == 'nt' and python_version < '3.8'",
    "sys_platform == 'darwin' and platform_machine == 'arm64'",
    "platform_python_implementation == 'CPython' and python_version < '3.12'",
    "'dev' in dependency_groups",
    "'Test_Extra' in extras",
    "python_version > \"3.6\" or (python_version == \"3.6\" and os_name == \"unix\")",
    "(sys_platform != \"win32\" and (sys_platform != \"cygwin\" and platform_python_implementation != \"PyPy\")) and extra == \"standard\"",
    "platform_machine == \"aarch64\" or (platform_machine == \"ppc64le\" or (platform_machine == \"x86_64\" or platform_machine == \"AMD64\"))",
    "python_version ~= '3.8'",
    "python_version === '3.8'",
    "os.name == 'posix'",
    "sys.platform != 'win32'",
    "platform.python_implementation == 'CPython'",
    "python_implementation == 'PyPy'",
    "python_version in '2.7 3.4 3.5'",
    "python_version not in '3.0 3.1'",
    "'3.8' > python_version",
];

fn marker_inputs(random: &mut Random) -> Vec<String> {
    let mut inputs = Inputs::default();
    for marker in REAL_MARKERS {
        inputs.add(*marker);
    }
    for text in [
        "",
        " ",
        "(",
        ")",
        "()",
        "os_name",
        "os_name ==",
        "== 'a'",
        "'a'",
        "os_name == 'a' and",
        "os_name == 'a' or (",
        "not in",
        "'a' not in 'b'",
        "'a'in'b'",
        "os_name=='a'and os_name=='b'",
        "os_name=='a'andos_name=='b'",
        "(os_name=='a')and(os_name=='b')",
        "os_name=='a')",
        "(os_name=='a'",
        "os_name=='a' and and os_name=='b'",
        "os_name=='a' AND os_name=='b'",
        "os_name=='a' && os_name=='b'",
        "os_name == 'a' ; python_version == '3'",
        "os_name == 'a'\n",
        "\nos_name == 'a'",
        "os_name\n== 'a'",
        "os_name ==\u{a0}'a'",
        "extra == 'a' extra == 'b'",
        "os_name not\"a\"",
        "os_name notin 'a'",
        "os_name not 'a'",
        "os_name not\tin 'a'",
        "os_name in'a'",
        "os_name is 'a'",
        "os_name = 'a'",
        "os_name == \"a\"\"b\"",
        "os_name == 'a'b'",
    ] {
        inputs.add(text);
    }
    for left in VARIABLES.iter().chain(BAD_VARIABLES).copied().chain(VALUES.iter().copied()) {
        for operator in MARKER_OPERATORS {
            inputs.add(format!("{left} {operator} 'x'"));
        }
        for value in VALUES {
            inputs.add(format!("{left} == {value}"));
            inputs.add(format!("{value} in {left}"));
        }
    }
    for _ in 0..15_000 {
        inputs.add(marker_expression(random, 0));
    }
    for depth in [1, 2, 10, 50, 99, MAX_MARKER_NESTING, MAX_MARKER_NESTING + 1, 200, 1000] {
        inputs.add(format!("{}os_name == 'a'{}", "(".repeat(depth), ")".repeat(depth)));
        inputs.add(format!("{}os_name == 'a'{}", "(".repeat(depth), ")".repeat(depth.saturating_sub(1))));
        inputs.add(format!("{}os_name == 'a'", "( ".repeat(depth)));
    }
    for text in
        ["os_name == 'a' and (extra != \"B\" or 'x' not in sys.platform)", "python_version<'3'or(\"a\"in extras)"]
    {
        sweep(&mut inputs, text);
    }
    inputs.add("os_name == 'a' and ".repeat(10_000) + "os_name == 'a'");
    inputs.add(format!("os_name == '{}'", "\\x41".repeat(20_000)));
    inputs.add("(".repeat(100_000));
    let valid: Vec<String> = inputs.list.iter().filter(|text| parse_marker(text).is_ok()).cloned().collect();
    for _ in 0..12_000 {
        let base = random.pick(&valid).clone();
        inputs.add(mutate(random, &base, MARKER_FRAGMENTS));
    }
    for _ in 0..8_000 {
        let length = 1 + random.below(12);
        inputs.add(sequence(random, MARKER_FRAGMENTS, length));
    }
    inputs.list
}

// Requirements --------------------------------------------------------------

/// Requirement strings of the kind found in real projects' metadata, and
/// the examples of PEP 508 itself.
const REAL_REQUIREMENTS: &[&str] = &[
    "requests",
    "requests>=2.25.1",
    "requests[security]>=2.8.1,==2.8.*",
    "numpy>=1.21.0; python_version>='3.8'",
    "pywin32>=300; sys_platform == 'win32'",
    "importlib-metadata>=4.6; python_version < \"3.10\"",
    "typing_extensions>=4.0.0; python_version<'3.11'",
    "black[jupyter]==23.1.0",
    "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686",
    "name @ file:///path/to/project",
    "coverage[toml]>=5.0.2",
    "pytest>=6,<8",
    "Django (>=3.2, <4.0)",
    "sphinx ; extra == 'docs'",
    "colorama; platform_system == \"Windows\"",
    "dataclasses; python_version < '3.7'",
    "uvloop>=0.15; sys_platform != 'win32' and platform_python_implementation == 'CPython'",
    "tomli>=1.1.0; python_version < \"3.11\"",
    "six>=1.10.0,<2.0",
    "futures; python_version == '2.7'",
    "cryptography>=3.4.7,!=3.4.8",
    "urllib3[socks,brotli]<3,>=1.21.1",
    "charset_normalizer<4,>=2",
    "certifi>=2017.4.17",
    "PySocks!=1.5.7,>=1.5.6; extra == \"socks\"",
    "chardet<6,>=3.0.2; extra == \"use-chardet-on-py3\"",
    "win-inet-pton; (sys_platform == \"win32\" and python_version == \"2.7\") and extra == \"socks\"",
    "torch==2.0.1+cu118",
    "jaxlib==0.4.13+cuda11.cudnn86",
    "tensorflow-io-gcs-filesystem>=0.23.1; platform_machine != \"arm64\" or platform_system != \"Darwin\"",
    "backports.zoneinfo; python_version<\"3.9\"",
    "zope.interface",
    "ruamel.yaml.clib>=0.2.7; platform_python_implementation==\"CPython\" and python_version<\"3.13\"",
    "exceptiongroup>=1.0.0rc8; python_version < \"3.11\"",
    "docutils<0.21,>=0.18.1",
    "pytz>=2015.7; python_version < \"3.9\"",
    "pandas[performance, excel]",
    "scipy ~= 1.10",
    "matplotlib~=3.7.1",
    "flit_core >=3.2,<4",
    "cffi>=1.12; platform_python_implementation != \"PyPy\"",
    "async-timeout<5.0,>=4.0; python_version < \"3.11\"",
    "Brotli; platform_python_implementation == \"CPython\" and extra == \"speedups\"",
    "sqlalchemy[asyncio]>=2.0",
    "greenlet!=0.4.17; platform_machine == \"aarch64\" or (platform_machine == \"ppc64le\" or (platform_machine == \"x86_64\" or (platform_machine == \"amd64\" or (platform_machine == \"AMD64\" or (platform_machine == \"win32\" or platform_machine == \"WIN32\")))))",
    "pydantic>=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0",
    "uvicorn[standard]>=0.12.0; extra == \"all\"",
    "uvloop!=0.15.0,!=0.15.1,>=0.14.0; (sys_platform != \"win32\" and (sys_platform != \"cygwin\" and platform_python_implementation != \"PyPy\")) and extra == \"standard\"",
    "PyYAML (>=5.1)",
    "lxml (>=4.6.3) ; extra == 'lxml'",
    "foo (==1.0.*)",
    "foo===1.0-custom",
    "foo === 1.0 ; python_version > '3'",
    "dep @ git+https://github.com/org/repo@v1.0#egg=dep",
    "dep @ https://files.example.test/dep-1.0-py3-none-any.whl#sha256=abc",
    "local-pkg @ file:///home/user/pkg ; sys_platform == 'linux'",
    "pkg[extra1,extra2] (>=1.0, <2.0) ; python_version >= \"3.8\" and extra == \"test\"",
    "A",
    "A.B-C_D",
    "aa",
    "name",
    "name<=1",
    "name>=3",
    "name>=3,<2",
    "name@http://foo.com",
    "name [fred,bar] @ http://foo.com ; python_version=='2.7'",
    "name[quux, strange];python_version<'2.7' and platform_version=='2'",
    "name; os_name=='a' or os_name=='b'",
    "name; os_name=='a' and os_name=='b' or os_name=='c'",
    "name; os_name=='a' and (os_name=='b' or os_name=='c')",
    "name; os_name=='a' or os_name=='b' and os_name=='c'",
    "name; (os_name=='a' or os_name=='b') and os_name=='c'",
    "requests>=2;;",
    "requests >= 2.0 ; python_version >= '3' ; os_name == 'nt'",
    "requests[security] @ https://example.test/r.whl",
    "requests (>=2.0",
    "requests >=2.0)",
    "requests[security",
    "requests security",
    "requests = 2.0",
    "requests==2.0 and os_name == 'nt'",
    "requests==2.0; os_name = 'nt'",
    "requests==2.0; python_version >= 3.8",
    "-e git+https://example.test/repo",
    "./local/path",
    "requests; extra == \"Security_Extra\"",
];

const NAMES: &[&str] = &[
    "foo",
    "Foo",
    "foo-bar",
    "foo_bar",
    "foo.bar",
    "f",
    "1",
    "1foo",
    "foo1",
    "foo_",
    "foo-",
    "foo.",
    "_foo",
    "-foo",
    ".foo",
    "foo--bar",
    "foo__",
    "FOO.BAR-baz_9",
    "fooé",
    "éfoo",
    "foo bar",
    "",
];

const EXTRAS: &[&str] = &[
    "",
    "[]",
    "[ ]",
    "[a]",
    "[a,b]",
    "[a, b]",
    "[ a , b ]",
    "[a,]",
    "[,a]",
    "[a b]",
    "[a",
    "[a,b",
    "a]",
    "[A_b.c-d]",
    "[a-]",
    "[a_]",
    "[b,a,b,A]",
    "[é]",
    "[a;b]",
    "[[a]]",
    "[a](",
    "[\ta\t]",
];

const REQUIREMENT_SPECIFIERS: &[&str] = &[
    "",
    ">=1.0",
    ">=1.0,<2",
    ">= 1.0 , < 2",
    "(>=1.0)",
    "( >=1.0 , <2 )",
    "(>=1.0",
    ">=1.0)",
    "()",
    "( )",
    "==1.0.*",
    "==1.0+local",
    ">=1.0+local",
    ">=1.0+LOCAL",
    ">=1.0.*",
    "~=1",
    "~=1.0",
    "~=1.0.*",
    "===1.0",
    "=== 1.0",
    "===a,b",
    "===,>=1",
    "===1.0)",
    "==1.0.*+abc",
    "==1.0+abc+def",
    ">=1.0x",
    ">=1.0,x",
    ">=1.0,",
    ",>=1.0",
    ">=1.0,,<2",
    "=1.0",
    "1.0",
    "v1.0",
    ">=1.0 <2",
    ">=\n1.0",
    ">=\u{a0}1.0",
    "~=1.0po\u{17f}t1",
    ">=1.0a1.*",
    "!=1.*",
    "<1.*",
    "(==1.*)",
];

const URLS: &[&str] = &[
    "@ https://example.test/pkg.whl",
    "@https://example.test/pkg.whl",
    "@ https://example.test/pkg.whl ",
    "@ file:///tmp/x",
    "@ git+https://example.test/repo@v1#egg=x",
    "@",
    "@ ",
    "@ https://x;",
    "@ https://x;os_name=='a'",
    "@ https://x\n",
    "@ a b",
    "@@x",
];

const SEPARATORS: &[&str] = &["", " ", "  ", "\t", "\n", "\u{a0}"];

const REQUIREMENT_FRAGMENTS: &[&str] = &[
    "foo",
    "bar",
    "Foo.Bar",
    "_",
    "-",
    ".",
    "[",
    "]",
    ",",
    "(",
    ")",
    ">=",
    "==",
    "~=",
    "===",
    "!=",
    "<",
    "1.0",
    "1",
    ".*",
    "+abc",
    "@",
    "https://x",
    ";",
    " ",
    " ",
    " ",
    "\t",
    "os_name",
    "==",
    "'a'",
    "and",
    "or",
    "extra",
    "not in",
    "python_version",
];

fn requirement_inputs(random: &mut Random) -> Vec<String> {
    let mut inputs = Inputs::default();
    for requirement in REAL_REQUIREMENTS {
        inputs.add(*requirement);
    }
    let markers: Vec<String> =
        ["", ";", "; ", ";os_name=='a'", " ; os_name == 'a'", "; extra == 'Foo_Bar'", "; (", "; os_name"]
            .into_iter()
            .map(str::to_owned)
            .chain(REAL_MARKERS.iter().map(|marker| format!("; {marker}")))
            .collect();
    for name in NAMES {
        for extras in EXTRAS {
            inputs.add(format!("{name}{extras}"));
            for specifier in REQUIREMENT_SPECIFIERS {
                inputs.add(format!("{name}{extras}{specifier}"));
            }
            for url in URLS {
                inputs.add(format!("{name}{extras} {url}"));
            }
        }
        for specifier in REQUIREMENT_SPECIFIERS {
            for marker in &markers {
                inputs.add(format!("{name}{specifier}{marker}"));
            }
        }
        for url in URLS {
            for marker in &markers {
                inputs.add(format!("{name} {url}{marker}"));
                inputs.add(format!("{name} {url} {marker}"));
            }
        }
    }
    for _ in 0..15_000 {
        let (name, extras, separator) = (random.pick(NAMES), random.pick(EXTRAS), random.pick(SEPARATORS));
        let details = if random.chance(15) {
            random.pick(URLS).to_string()
        } else {
            random.pick(REQUIREMENT_SPECIFIERS).to_string()
        };
        let marker = if random.chance(50) { format!("; {}", marker_expression(random, 1)) } else { String::new() };
        let space = random.pick(SEPARATORS);
        inputs.add(format!("{separator}{name}{space}{extras}{separator}{details}{space}{marker}{separator}"));
    }
    let valid: Vec<String> = inputs.list.iter().filter(|text| parse_requirement(text).is_ok()).cloned().collect();
    for _ in 0..15_000 {
        let base = random.pick(&valid).clone();
        inputs.add(mutate(random, &base, REQUIREMENT_FRAGMENTS));
    }
    for _ in 0..8_000 {
        let length = 1 + random.below(14);
        inputs.add(sequence(random, REQUIREMENT_FRAGMENTS, length));
    }
    for text in [
        "foo[bar, baz] (>=1.0,<2) ; extra == 'x'",
        "foo_.-bar[a]>=1;os_name=='a'",
        "foo@ https://x.test/y ; os_name=='a'",
        "foo ===1,>=2",
    ] {
        sweep(&mut inputs, text);
    }
    inputs.add(format!("foo{}", ",>=1".repeat(20_000)));
    inputs.add(format!("foo[{}]", "a,".repeat(20_000) + "a"));
    inputs.add(format!("foo @ {}", "u".repeat(100_000)));
    inputs.add(format!("{}-", "a".repeat(100_000)));
    inputs.add(format!("foo; {}", "(".repeat(100_000)));
    inputs.list
}

// ---------------------------------------------------------------------------
// Running both sides

/// What one side did with one input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Parsed; `str()` of the result.
    Ok(String),
    /// Parsing raised (Python: the exception type; ours: the message).
    Err(String),
    /// Python only: parsing succeeded, `str()` raised.
    StrErr(String),
}

fn hex(text: &str) -> String {
    text.bytes().fold(String::with_capacity(text.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

fn unhex(text: &str) -> String {
    let bytes: Vec<u8> =
        (0..text.len()).step_by(2).map(|index| u8::from_str_radix(&text[index..index + 2], 16).unwrap()).collect();
    // Lone surrogates (from `\ud800`) arrive as surrogatepass bytes.
    String::from_utf8(bytes).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// The Python to run: `FLIT_TEST_PYTHON`, never skipped.
fn test_python() -> String {
    match std::env::var("FLIT_TEST_PYTHON") {
        Ok(python) if !python.is_empty() => python,
        _ => panic!(
            "FLIT_TEST_PYTHON is not set. This test compares flit_core::pep508 with packaging 26.3 and needs a \
             Python that has it; tests/run.sh creates one (from tests/requirements.txt) and sets the variable."
        ),
    }
}

/// Runs the reference over `cases` (function name and arguments).
fn run_reference(cases: &[(&str, Vec<String>)]) -> Vec<Outcome> {
    let mut input = String::new();
    for (function, arguments) in cases {
        input.push_str(function);
        for argument in arguments {
            input.push('\t');
            input.push_str(&hex(argument));
        }
        input.push('\n');
    }
    let python = test_python();
    let mut child = Command::new(&python)
        .args(["-c", REFERENCE])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run FLIT_TEST_PYTHON={python}: {error}"));
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(output.status.success(), "the reference failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines = stdout.lines();
    let header = lines.next().unwrap_or_default();
    assert_eq!(header, "packaging 26.3", "FLIT_TEST_PYTHON must have packaging 26.3 (tests/requirements.txt)");
    let outcomes: Vec<Outcome> = lines
        .map(|line| {
            let (status, value) = line.split_once(' ').unwrap_or((line, ""));
            match status {
                "ok" => Outcome::Ok(unhex(value)),
                "err" => Outcome::Err(value.to_owned()),
                "strerr" => Outcome::StrErr(value.to_owned()),
                other => panic!("unexpected reference line {other:?}"),
            }
        })
        .collect();
    assert_eq!(outcomes.len(), cases.len(), "the reference answered a different number of cases");
    outcomes
}

/// Our side of one case.
fn run_ours(function: &str, arguments: &[String]) -> Result<Outcome, Pep508Error> {
    let text = &arguments[0];
    Ok(Outcome::Ok(match function {
        "version" => parse_version(text)?.to_string(),
        "specifiers" => parse_specifiers(text)?.to_string(),
        "requirement" => parse_requirement(text)?.to_string(),
        "marker" => parse_marker(text)?.to_string(),
        "compare" => {
            let (left, right) = (parse_version(text)?, parse_version(&arguments[1])?);
            let sign = left.cmp(&right) as i8;
            let same_hash = hash_of(&left) == hash_of(&right);
            format!("{sign}{}", if same_hash { '=' } else { '#' })
        }
        "spec_parts" => parse_specifiers(text)?
            .iter()
            .map(|specifier| match specifier.version() {
                Some(version) if specifier.operator() != flit_core::pep508::Operator::Arbitrary => {
                    format!("{} {version}", specifier.operator())
                }
                _ => format!("=== {}", specifier.version_text()),
            })
            .collect::<Vec<_>>()
            .join("|"),
        other => panic!("unknown function {other}"),
    }))
}

fn hash_of(version: &Version) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    version.hash(&mut hasher);
    hasher.finish()
}

/// Tallies per function.
#[derive(Default, Debug)]
struct Tally {
    accepted: usize,
    rejected: usize,
    deliberate: BTreeMap<Deliberate, usize>,
}

#[test]
fn pep508_matches_packaging() {
    let mut random = Random(0x5eed_0508);
    let mut cases: Vec<(&str, Vec<String>)> = Vec::new();
    for input in version_inputs(&mut random) {
        cases.push(("version", vec![input]));
    }
    let specifiers = specifier_inputs(&mut random);
    for input in &specifiers {
        cases.push(("specifiers", vec![input.clone()]));
        cases.push(("spec_parts", vec![input.clone()]));
    }
    for input in requirement_inputs(&mut random) {
        cases.push(("requirement", vec![input]));
    }
    for input in marker_inputs(&mut random) {
        cases.push(("marker", vec![input]));
    }
    // Orderings: random pairs of valid versions, and neighbours in a list
    // of versions that differ in one part.
    let valid_versions: Vec<String> = cases
        .iter()
        .filter(|(function, arguments)| *function == "version" && parse_version(&arguments[0]).is_ok())
        .map(|(_, arguments)| arguments[0].clone())
        .filter(|text| text.len() < 200)
        .collect();
    for _ in 0..20_000 {
        let (left, right) = (random.pick(&valid_versions).clone(), random.pick(&valid_versions).clone());
        cases.push(("compare", vec![left, right]));
    }
    let family = [
        "1.0.dev0",
        "1.0.dev1",
        "1.0a0.dev1",
        "1.0a1",
        "1.0a1.post1.dev1",
        "1.0a1.post1",
        "1.0a2",
        "1.0b1",
        "1.0rc1",
        "1.0rc1.post1",
        "1.0",
        "1.0.0",
        "1.0+a",
        "1.0+A.0",
        "1.0+a.1",
        "1.0+1",
        "1.0+01",
        "1.0+a.b",
        "1.0.post0.dev0",
        "1.0.post0",
        "1.0.post1",
        "1.0.1",
        "1.1.dev1",
        "1!0.1",
        "1!0.1+x",
        "0!1.0",
    ];
    for left in family {
        for right in family {
            cases.push(("compare", vec![left.to_owned(), right.to_owned()]));
        }
    }
    let listed = listed_differences();
    for (function, input, _) in &listed {
        cases.push((function, vec![input.clone()]));
    }

    let reference = run_reference(&cases);

    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut differences: Vec<(&str, &str, Deliberate)> = Vec::new();
    for ((function, arguments), theirs) in cases.iter().zip(&reference) {
        let tally = tallies.entry(function).or_default();
        let ours = run_ours(function, arguments);
        match (&ours, theirs) {
            (Ok(Outcome::Ok(ours)), Outcome::Ok(theirs)) if ours == theirs => tally.accepted += 1,
            (Err(_), Outcome::Err(_)) => tally.rejected += 1,
            (Err(error), Outcome::Ok(_) | Outcome::StrErr(_)) if Deliberate::of(error).is_some() => {
                let kind = Deliberate::of(error).unwrap_or(Deliberate::DeepNesting);
                *tally.deliberate.entry(kind).or_default() += 1;
                differences.push((function, &arguments[0], kind));
            }
            _ => failures.push(format!(
                "{function}({}):\n    packaging: {theirs:?}\n    ours:      {}",
                arguments.iter().map(|argument| format!("{argument:?}")).collect::<Vec<_>>().join(", "),
                match &ours {
                    Ok(outcome) => format!("{outcome:?}"),
                    Err(error) => format!("error {:?} at {:?}", error.message, error.span),
                }
            )),
        }
    }

    eprintln!("pep508 differential test against packaging 26.3: {} cases", cases.len());
    for (function, tally) in &tallies {
        eprintln!(
            "  {function:<12} {:>6} accepted by both, {:>6} rejected by both, deliberate differences: {:?}",
            tally.accepted, tally.rejected, tally.deliberate
        );
    }
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().take(40).collect();
        panic!(
            "{} of {} cases differ from packaging (first {}):\n{}",
            failures.len(),
            cases.len(),
            shown.len(),
            shown.iter().map(|failure| failure.as_str()).collect::<Vec<_>>().join("\n")
        );
    }
    // Every listed difference came out as recorded, and every kind occurred.
    for (function, input, kind) in &listed {
        assert!(
            differences.iter().any(|(f, i, k)| f == function && i == input && k == kind),
            "listed difference {kind:?} did not occur for {function}({input:?})"
        );
    }
    for kind in Deliberate::ALL {
        assert!(differences.iter().any(|(_, _, k)| *k == kind), "deliberate difference {kind:?} never occurred");
    }
}
