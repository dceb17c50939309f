//! Tests of the static reader as a whole. Expected values were checked
//! against CPython 3.11's `ast` (flit's rule for `__version__`,
//! `ast.get_docstring(tree, clean=False)` for the docstring).

use super::*;

fn facts(source: &str) -> ModuleFacts {
    match read_module(source.as_bytes()) {
        Ok(facts) => facts,
        Err(error) => panic!("{source:?}: {error}"),
    }
}

fn docstring(source: &str) -> Option<String> {
    facts(source).docstring
}

fn version(source: &str) -> Option<Constant> {
    facts(source).version
}

fn text(value: &str) -> Option<Constant> {
    Some(Constant::Str(value.into()))
}

fn other(type_name: &'static str, truthy: bool) -> Option<Constant> {
    Some(Constant::Other { type_name, truthy })
}

fn syntax_error(source: &[u8]) -> PythonSyntaxError {
    match read_module(source) {
        Ok(facts) => panic!("{source:?} read as {facts:?}"),
        Err(error) => error,
    }
}

fn import(level: usize, module: &str, name: &str) -> Option<VersionImport> {
    Some(VersionImport { level, module: module.into(), name: name.into() })
}

#[test]
fn docstrings() {
    assert_eq!(docstring("\"\"\"Doc.\"\"\""), Some("Doc.".into()));
    assert_eq!(docstring("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n'Doc'\n"), Some("Doc".into()));
    assert_eq!(docstring("  \n\t\n\"doc\""), Some("doc".into()));
    assert_eq!(docstring("\x0c\"doc\""), Some("doc".into()));
    assert_eq!(docstring("'a' 'b'"), Some("ab".into()));
    assert_eq!(docstring("(\"a\"\n # comment\n \"b\")"), Some("ab".into()));
    assert_eq!(docstring("((\"x\"))"), Some("x".into()));
    assert_eq!(docstring("u'doc' \"more\""), Some("docmore".into()));
    assert_eq!(docstring(r#"r"\d\n""#), Some(r"\d\n".into()));
    assert_eq!(docstring("\"doc\"; x = 1"), Some("doc".into()));
    assert_eq!(docstring("\"\"\"a\\\nb\"\"\""), Some("ab".into()));
    assert_eq!(
        docstring("\"\"\"\n    Summary.\n\n    Body.\n    \"\"\"\n"),
        Some("\n    Summary.\n\n    Body.\n    ".into())
    );
    assert_eq!(docstring("'''It''s'''"), Some("It''s".into()));
    assert_eq!(docstring("''"), Some(String::new()));
    // Not docstrings.
    for source in [
        "",
        "# only a comment\n",
        "b'doc'",
        "f'doc'",
        "'a' f'b'",
        "'doc' + 'x'",
        "'doc'.strip()",
        "'doc',",
        "('doc',)",
        "'doc' if x else 'y'",
        "x = 1\n'doc'",
        "if x:\n    'doc'\n",
        "@decorator\ndef f(): 'doc'\n",
        "class A:\n    'doc'\n",
        "import os\n'doc'",
        "'doc'[0]",
        "not 'doc'",
        "('doc')()",
    ] {
        assert_eq!(docstring(source), None, "{source:?}");
    }
}

#[test]
fn docstring_line_endings_are_normalised() {
    let facts = read_module(b"'''a\r\nb\rc'''\r\n__version__ = '1'\r").map(|facts| (facts.docstring, facts.version));
    assert_eq!(facts, Ok((Some("a\nb\nc".into()), text("1"))));
}

#[test]
fn named_escapes_are_reported_absent_not_wrong() {
    let reading = read_module_detailed(br#""\N{EM DASH} docs""#);
    assert_eq!(reading.as_ref().map(|reading| &reading.facts.docstring), Ok(&None));
    assert_eq!(reading.map(|reading| reading.docstring_not_static), Ok(true));
    // The first constant assignment decides, even when it cannot be computed.
    let reading = read_module_detailed(b"__version__ = '\\N{DIGIT ONE}'\n__version__ = '2'\n");
    assert_eq!(reading.as_ref().map(|reading| &reading.facts.version), Ok(&None));
    assert_eq!(reading.map(|reading| reading.version_not_static), Ok(true));
    // Lone surrogates cannot live in a Rust String either.
    assert_eq!(read_module_detailed(br#""\ud800""#).map(|reading| reading.docstring_not_static), Ok(true));
    // In bytes, \N is not an escape.
    assert_eq!(version(r#"__version__ = b"\N{DASH}""#), other("bytes", true));
    assert_eq!(read_module_detailed(b"'doc'").map(|reading| reading.docstring_not_static), Ok(false));
}

#[test]
fn version_assignment_forms() {
    assert_eq!(version("__version__ = '1.0'"), text("1.0"));
    assert_eq!(version("__version__ = \"1.0\"  # comment"), text("1.0"));
    assert_eq!(version("__version__: str = '1.0'"), text("1.0"));
    assert_eq!(version("__version__: Final[str] = '1.0'"), text("1.0"));
    assert_eq!(version("__version__: 'str' = '1.0'"), text("1.0"));
    assert_eq!(version("__version__: lambda x=1: x = '1'"), text("1"));
    assert_eq!(version("(__version__): str = '1'"), text("1"));
    assert_eq!(version("A = __version__ = '1'"), text("1"));
    assert_eq!(version("__version__ = A = '1'"), text("1"));
    assert_eq!(version("(__version__) = '1'"), text("1"));
    assert_eq!(version("((__version__)) = ('1')"), text("1"));
    assert_eq!(version("__version__ = ('1' '2')"), text("12"));
    assert_eq!(version("__version__ = (\n    '1'\n    \".2\"\n)"), text("1.2"));
    assert_eq!(version("__version__ = \\\n    '1'"), text("1"));
    assert_eq!(version("__version__ = '''1\n'''"), text("1\n"));
    assert_eq!(version("x = 1; __version__ = '2'"), text("2"));
    assert_eq!(version("match = 'x'\n__version__ = '1'"), text("1"));
    assert_eq!(version("__ｖｅｒｓｉｏｎ__ = '1'"), text("1"));
    assert_eq!(version("__version__ = x = y = 5"), other("int", true));
}

#[test]
fn version_needs_a_module_level_constant_assignment() {
    for source in [
        "",
        "__version__: str",
        "__version__ += '1'",
        "__version__, x = '1', '2'",
        "[__version__] = ['1']",
        "x.__version__ = '1'",
        "x[__version__] = '1'",
        "__version__ = ('1',)",
        "__version__ = ()",
        "__version__ = f'1'",
        "__version__ = '1' f''",
        "__version__ = -1",
        "__version__ = +1",
        "__version__ = '1' + '2'",
        "__version__ = get_version()",
        "__version__ = lambda: '1'",
        "__version__ == '1'",
        "(__version__ := '1')",
        "print(__version__ := '1')",
        "if True:\n    __version__ = '1'\n",
        "if True: __version__ = '1'",
        "def f():\n    __version__ = '1'\n",
        "class A:\n    __version__ = '1'\n",
        "class A: __version__ = '1'",
        "try:\n    from ._version import __version__\nexcept ImportError:\n    __version__ = '0'\n",
        "for __version__ in ['1']: pass",
        "with x as __version__: pass",
        "type __version__ = '1'",
        "__version__",
        "'__version__ = \"1\"'",
        "# __version__ = '1'",
        "x = '''\n__version__ = '1'\n'''",
    ] {
        assert_eq!(version(source), None, "{source:?}");
    }
}

#[test]
fn the_first_constant_assignment_wins() {
    assert_eq!(version("__version__ = get()\n__version__ = '2'\n__version__ = '3'"), text("2"));
    assert_eq!(version("__version__ = '1' if x else '2'\n__version__ = '3'"), text("3"));
    assert_eq!(version("if x:\n    __version__ = '1'\n__version__ = '2'"), text("2"));
    assert_eq!(version("__version__ = '1'; __version__ = '2'"), text("1"));
    assert_eq!(version("def f():\n    pass\n__version__ = '2'"), text("2"));
    assert_eq!(version("class A:\n    x = 1\n\n    def f(self):\n        pass\n\n__version__ = '3'\n"), text("3"));
    // An augmented assignment is not one, even later.
    assert_eq!(version("__version__ = 0\n__version__ += 1\n"), other("int", false));
}

#[test]
fn non_string_constants_have_type_and_truthiness() {
    assert_eq!(version("__version__ = 1"), other("int", true));
    assert_eq!(version("__version__ = 0"), other("int", false));
    assert_eq!(version("__version__ = 0x0"), other("int", false));
    assert_eq!(version("__version__ = 0b_1"), other("int", true));
    assert_eq!(version("__version__ = 1.5"), other("float", true));
    assert_eq!(version("__version__ = 0.0"), other("float", false));
    assert_eq!(version("__version__ = .0e10"), other("float", false));
    assert_eq!(version("__version__ = 1e-400"), other("float", false));
    assert_eq!(version("__version__ = 1_0.0"), other("float", true));
    assert_eq!(version("__version__ = 0j"), other("complex", false));
    assert_eq!(version("__version__ = 1e-400j"), other("complex", false));
    assert_eq!(version("__version__ = 2J"), other("complex", true));
    assert_eq!(version("__version__ = True"), other("bool", true));
    assert_eq!(version("__version__ = False"), other("bool", false));
    assert_eq!(version("__version__ = None"), other("NoneType", false));
    assert_eq!(version("__version__ = ..."), other("ellipsis", true));
    assert_eq!(version("__version__ = (...)"), other("ellipsis", true));
    assert_eq!(version("__version__ = b''"), other("bytes", false));
    assert_eq!(version("__version__ = b'\\\n'"), other("bytes", false));
    assert_eq!(version("__version__ = b'1' rb'2'"), other("bytes", true));
    assert_eq!(version("__version__ = ''"), text(""));
    assert!(!Constant::Str(String::new()).is_truthy());
    assert!(Constant::Str("0".into()).is_truthy());
    assert!(!Constant::Other { type_name: "int", truthy: false }.is_truthy());
}

#[test]
fn string_escapes_in_values() {
    assert_eq!(version(r"__version__ = '1\x2e0\u00e9\101\n\'\\'"), text("1.0éA\n'\\"));
    assert_eq!(version(r"__version__ = '\d\8'"), text(r"\d\8"));
    assert_eq!(version(r"__version__ = R'\x'"), text(r"\x"));
    assert_eq!(version("__version__ = '\\é'"), text("\\é"));
    assert_eq!(version(r"__version__ = '\777'"), text("\u{1ff}"));
    assert_eq!(version(r"__version__ = b'\777'"), other("bytes", true));
}

#[test]
fn fstrings_of_python_3_12_tokenize() {
    assert_eq!(version("x = f\"{y[\"a\"]}\"\n__version__ = '1'"), text("1"));
    assert_eq!(version("x = f'{\n  y # comment\n}'\n__version__ = '1'"), text("1"));
    assert_eq!(version("x = f'{y:{w}.{p}}' f\"{z!r:>{w}}\"\n__version__ = '1'"), text("1"));
    assert_eq!(version("x = f'{y:=^10}'\n__version__ = '1'"), text("1"));
    assert_eq!(version("x = f'''{\n'a'\n}'''\n__version__ = '1'"), text("1"));
    assert_eq!(version("x = f'\\N{DASH} {{}} \\{y}'\n__version__ = '1'"), text("1"));
    assert_eq!(version("x = f'{f'{f'{1}'}'}'\n__version__ = '1'"), text("1"));
}

#[test]
fn compound_statements_and_blocks() {
    let source = "\
'''Doc.'''
import os

@decorator(x=1)
def f(a=1, *, b: int = 2) -> dict[str, int]:
    __version__ = 'local'
    return {a: b}

class C(Base, metaclass=M):
    __version__ = 'class'
    def g(self): __version__ = 'method'

if os.name == 'nt':
    __version__ = 'nt'
elif x: __version__ = 'elif'
else:
    pass
while False: __version__ = 'while'
for i in range(3): pass
try: pass
except E as e: pass
finally: pass
with open(x) as f: pass
async def h(): pass
match command:
    case 'go':
        __version__ = 'case'
    case _:
        pass
__version__ = '1.0'
";
    let facts = facts(source);
    assert_eq!(facts.docstring, Some("Doc.".into()));
    assert_eq!(facts.version, text("1.0"));
}

#[test]
fn indentation_with_tabs_and_form_feeds() {
    assert_eq!(version("if x:\n\t__version__ = '1'\n__version__ = '2'"), text("2"));
    assert_eq!(version("if x:\n\tpass\n\x0c__version__ = '2'"), text("2"));
    assert_eq!(version("if x:\n    pass\n  \x0c__version__ = '2'"), text("2"));
    assert_eq!(version("if x:\n    y = (1,\n__version__ = '2')\n"), None);
}

#[test]
fn find_constant_assignment_follows_any_name() {
    let source = b"version = '1.2'\n__version__ = version\nVERSION: str = 'x'\n";
    assert_eq!(find_constant_assignment(source, "version"), Ok(text("1.2")));
    assert_eq!(find_constant_assignment(source, "__version__"), Ok(None));
    assert_eq!(find_constant_assignment(source, "VERSION"), Ok(text("x")));
    assert_eq!(find_constant_assignment(source, "missing"), Ok(None));
    assert_eq!(find_constant_assignment(b"__version__ = version = '3'", "version"), Ok(text("3")));
    assert!(find_constant_assignment(b"version = '1", "version").is_err());
}

#[test]
fn doc_assignment_is_conservative() {
    let doc = |source: &str| facts(source).doc_assignment;
    assert_eq!(doc("__doc__ = 'x'"), Some("x".into()));
    assert_eq!(doc("__doc__: str = 'x'"), Some("x".into()));
    assert_eq!(doc("a = __doc__ = 'x' 'y'"), Some("xy".into()));
    assert_eq!(doc("'''docstring'''\n__doc__ = 'x'"), Some("x".into()));
    assert_eq!(doc("from m import *\n__doc__ = 'x'"), Some("x".into()));
    assert_eq!(doc("def f():\n    __doc__ = 'y'\n__doc__ = 'x'"), Some("x".into()));
    assert_eq!(doc("class A:\n    __doc__ = 'y'\n__doc__ = 'x'"), Some("x".into()));
    assert_eq!(doc("print(__doc__)\n__doc__ = 'x'\nx = __doc__.strip()"), Some("x".into()));
    for source in [
        "'''docstring only'''",
        "__doc__ = 'x'\n__doc__ += 'y'",
        "__doc__ = 'x'\n__doc__ = 'y'",
        "__doc__ = f'x'",
        "__doc__ = b'x'",
        "__doc__ = 1",
        "__doc__ = get()",
        "__doc__ = '\\N{DASH}'",
        "__doc__, x = 'a', 'b'",
        "__doc__: str",
        "if x:\n    __doc__ = 'y'\n__doc__ = 'x'",
        "if x: __doc__ = 'x'",
        "def f():\n    global __doc__\n    __doc__ = 'y'\n__doc__ = 'x'",
        "__doc__ = 'x'\nfrom m import *",
        "for __doc__ in []: pass\n__doc__ = 'x'",
        "with a as __doc__: pass\n__doc__ = 'x'",
        "try:\n    pass\nexcept E as __doc__:\n    pass\n__doc__ = 'x'",
        "(__doc__ := 'a')\n__doc__ = 'x'",
        "x = f'{(__doc__ := 1)}'\n__doc__ = 'x'",
        "del __doc__\n__doc__ = 'x'",
        "import __doc__\n__doc__ = 'x'",
        "from m import y as __doc__\n__doc__ = 'x'",
        "def __doc__(): pass\n__doc__ = 'x'",
        "class __doc__: pass\n__doc__ = 'x'",
        "[__doc__, y] = 'a', 'b'\n__doc__ = 'x'",
    ] {
        assert_eq!(doc(source), None, "{source:?}");
    }
}

#[test]
fn version_import_is_conservative() {
    let found = |source: &str| facts(source).version_import;
    assert_eq!(found("from ._version import __version__"), import(1, "_version", "__version__"));
    assert_eq!(found("from ._version import version as __version__"), import(1, "_version", "version"));
    assert_eq!(found("from .sub.version import __version__"), import(1, "sub.version", "__version__"));
    assert_eq!(found("from ..pkg import __version__"), import(2, "pkg", "__version__"));
    assert_eq!(found("from ...a import __version__"), import(3, "a", "__version__"));
    assert_eq!(found("from . . .a import __version__"), import(3, "a", "__version__"));
    assert_eq!(found("from ._version import (\n    x,\n    __version__,\n)"), import(1, "_version", "__version__"));
    assert_eq!(found("from .core import *\nfrom ._version import __version__"), import(1, "_version", "__version__"));
    let with_reads = "\
from ._version import __version__
VERSION = tuple(__version__.split('.'))
print(f'{__version__}', __version__)
if __version__ == 'x':
    pass
def f(__version__=__version__):
    __version__ = 2
    return __version__
class A:
    __version__ = '1'
x = {__version__: 1}[__version__]
";
    assert_eq!(found(with_reads), import(1, "_version", "__version__"));
    // One step through an alias, each name bound exactly once.
    assert_eq!(found("from ._build import VERSION\n__version__ = VERSION"), import(1, "_build", "VERSION"));
    assert_eq!(found("from ._build import v as VERSION\n__version__ = (VERSION)"), import(1, "_build", "v"));
    for source in [
        "from ._build import VERSION\nVERSION = VERSION + 'x'\n__version__ = VERSION",
        "from ._build import VERSION\n__version__ = VERSION\n__version__ = '2'",
        "VERSION = '1'\n__version__ = VERSION",
        "from _build import VERSION\n__version__ = VERSION",
        "from ._build import VERSION\n__version__ = VERSION.strip()",
    ] {
        assert_eq!(found(source), None, "{source:?}");
    }
    for source in [
        "from . import __version__",
        "from _version import __version__",
        "import _version as __version__",
        "from ._version import __version__ as v",
        "from ._version import __version__\n__version__ = '1'",
        "__version__ = '1'\nfrom ._version import __version__",
        "from ._version import __version__\n__version__ += '.dev'",
        "from ._version import __version__\nfrom .core import *",
        "from ._version import __version__\nfrom .other import __version__",
        "try:\n    from ._version import __version__\nexcept ImportError:\n    __version__ = '0'",
        "if True:\n    from ._version import __version__",
        "from ._version import __version__\ndef f():\n    global __version__\n    __version__ = 2",
        "from ._version import __version__\nfor __version__ in []: pass",
        "from ._version import __version__\n(__version__ := 2)",
        "from ._version import __version__\ndel __version__",
        "from ._version import __version__\n__version__, x = 1, 2",
        "from ._version import __version__\nwith x as (__version__, y): pass",
    ] {
        assert_eq!(found(source), None, "{source:?}");
    }
}

#[test]
fn other_encodings() {
    let read = |source: &[u8]| read_module(source).map(|facts| (facts.docstring, facts.version));
    assert_eq!(
        read(b"# -*- coding: latin-1 -*-\n\"\"\"Caf\xe9 \x80\"\"\"\n__version__ = '1'"),
        Ok((Some("Café \u{80}".into()), text("1")))
    );
    assert_eq!(read(b"# coding: cp1252\n'\x80 \x93q\x94'"), Ok((Some("€ “q”".into()), None)));
    assert_eq!(read(b"# vim: fileencoding=koi8-r\n'\xf0\xd2\xc9\xd7\xc5\xd4'"), Ok((Some("Привет".into()), None)));
    assert_eq!(read(b"# coding: shift_jis\n'\x93\xfa\x96\x7b\x8c\xea'"), Ok((Some("日本語".into()), None)));
    assert_eq!(read(b"# coding: euc-jp\n'\xc6\xfc\xcb\xdc'"), Ok((Some("日本".into()), None)));
    assert_eq!(read(b"# coding: gbk\n'\xd6\xd0\xce\xc4'"), Ok((Some("中文".into()), None)));
    assert_eq!(read(b"# coding: big5\n'\xa4\xa4\xa4\xe5'"), Ok((Some("中文".into()), None)));
    // The famous 0x5C trail byte of shift_jis is part of a character, not a backslash.
    assert_eq!(read(b"# coding: shift_jis\n'\x95\x5c'"), Ok((Some("表".into()), None)));
    assert_eq!(read(b"\xef\xbb\xbf'BOM'"), Ok((Some("BOM".into()), None)));
    assert_eq!(read(b"# \xff comment bytes that are not UTF-8\n'ok'"), Ok((Some("ok".into()), None)));
}

#[test]
fn syntax_errors_have_positions() {
    let at = |source: &[u8]| {
        let error = syntax_error(source);
        (error.line, error.column, error.message)
    };
    assert_eq!(at(b"x = 'abc\n").0..=at(b"x = 'abc\n").1, 1..=5);
    assert!(at(b"x = 'abc\n").2.starts_with("unterminated string literal"));
    assert_eq!(at(b"x = 1\ny = (1,\n2\n").0, 2);
    assert_eq!(at(b"x = 1\ny = (1,\n2\n").1, 5);
    let (line, column, message) = at(b"'''doc'''\nx = 'a\\x4'\n");
    assert_eq!((line, column), (2, 7));
    assert!(message.contains("truncated \\xXX escape"), "{message}");
    let (line, column, message) = at(b"x = 'a' b'b'");
    assert_eq!((line, column, message.as_str()), (1, 9, "cannot mix bytes and nonbytes literals"));
    let (_, column, message) = at(b"x = f'a' b'b'");
    assert_eq!((column, message.as_str()), (10, "cannot mix bytes and nonbytes literals"));
    assert!(at(b"x = b'\xc3\xa9'").2.contains("ASCII"));
    assert!(at(b"# coding: nope\n").2.starts_with("unknown encoding: nope"));
    assert!(at(b"x = 1\0").2.contains("null bytes"));
    let (line, column, message) = at(b"x = 1\ny = '\xff'\n");
    assert_eq!((line, column), (2, 6));
    assert!(message.contains("0xff"));
    assert_eq!(at(b"x = 1)").2, "unmatched ')'");
    assert!(at(b"def f(:\n  x = '''\n").2.starts_with("unterminated triple-quoted string literal"));
    assert!(at("x = ‘quoted’".as_bytes()).2.starts_with("invalid character '‘'"));
    assert_eq!(at(b"  '''doc'''\n"), (1, 3, "unexpected indent".into()));
    assert_eq!(at(b"x = 1\n    y = 2\n"), (2, 5, "unexpected indent".into()));
    assert_eq!(at(b"if x:\ny = 1\n").2, "expected an indented block after 'if' statement on line 1");
    assert_eq!(at(b"def f():\n# comment\n\nx = 1").2, "expected an indented block after function definition on line 1");
    assert_eq!(at(b"class A:\n").2, "expected an indented block after class definition on line 1");
    assert_eq!(at(b"x = 1\nasync with a:\n").2, "expected an indented block after 'with' statement on line 2");
    // A backslash at column 0 lets the joined line's whitespace be the indentation.
    assert_eq!(at(b"x = 1\n\\\n    y = 2\n").2, "unexpected indent");
    assert_eq!(at(b"x = 1\n  \\\n__version__ = '1'").2, "unexpected indent");
    // The Display form carries the position too.
    assert_eq!(syntax_error(b"x = (").to_string(), "'(' was never closed (line 1, column 5)");
}

#[test]
fn decode_source_and_supported_encodings() {
    assert_eq!(decode_source(b"# coding: latin-1\r\n'\xe9'"), Ok("# coding: latin-1\n'é'".into()));
    assert!(supported_encodings().any(|name| name == "shift_jis"));
    assert!(supported_encodings().any(|name| name == "latin_1"));
}

/// A tiny deterministic generator, so the robustness tests need no crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn hostile_input_never_panics() {
    let pieces: &[&[u8]] = &[
        b"'",
        b"\"",
        b"'''",
        b"f'",
        b"rb\"",
        b"{",
        b"}",
        b"(",
        b")",
        b"[",
        b"]",
        b"\\",
        b"\n",
        b"\r",
        b"\t",
        b" ",
        b"\x0c",
        b"#",
        b"=",
        b":",
        b";",
        b":=",
        b"lambda",
        b"__version__",
        b"__doc__",
        b"from",
        b".",
        b"import",
        b"*",
        b"as",
        b"if",
        b"def",
        b"class",
        b"global",
        b"0x",
        b"1e",
        b"1_",
        b"\\N{",
        b"\\x",
        b"\xc3",
        b"\xff",
        b"\xef\xbb\xbf",
        b"# coding: latin-1\n",
        b"# coding: shift_jis\n",
        b"\x81",
        b"\x95\x5c",
        b"!",
        b"@",
        b"...",
        b"match",
        b"case",
        b"type",
        b"async",
        b"for",
        b"in",
        b"with",
        b"del",
        b"x",
        b"1",
        b"\xe2\x80\xa8",
    ];
    let mut random = Lcg(7);
    for _ in 0..20_000 {
        let length = random.next() % 24;
        let source: Vec<u8> =
            (0..length).flat_map(|_| pieces[(random.next() as usize) % pieces.len()].iter().copied()).collect();
        let _ = read_module(&source);
        let _ = find_constant_assignment(&source, "__version__");
    }
    let mut bytes = Lcg(11);
    for _ in 0..5_000 {
        let source: Vec<u8> = (0..bytes.next() % 64).map(|_| (bytes.next() % 256) as u8).collect();
        let _ = read_module(&source);
    }
}

#[test]
fn every_truncation_of_a_real_module_is_handled() {
    let source = "\
#!/usr/bin/env python
# -*- coding: utf-8 -*-
'''Summary with \\N{EM DASH} and é.

    Details.
'''
from ._version import version as __version__
__doc__ = 'x' \"y\"
x = f\"{a['b']!r:>{width}} {{}} {f'{1}'}\" 'tail'; b = rb'\\x00' b\"\"\"\\
\"\"\"
if x:  # comment
    y = [1, 2,
         (3, {4: 5})]
else: pass
z = lambda q=1, *r: q  ; w = 0x_1F + 1_0.5e-3j
";
    for end in 0..=source.len() {
        if source.is_char_boundary(end) {
            let _ = read_module_detailed(&source.as_bytes()[..end]);
        }
    }
    let facts = facts(source);
    assert_eq!(facts.docstring, None);
    assert_eq!(facts.version, None);
    assert_eq!(facts.doc_assignment, Some("xy".into()));
    assert_eq!(facts.version_import, import(1, "_version", "version"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("__version__ = {}'1'{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(syntax_error(deep.as_bytes()).message, "too many nested parentheses");
    let ok = format!("__version__ = {}'1'{}", "(".repeat(199), ")".repeat(199));
    assert_eq!(version(&ok), text("1"));
    let fstrings = "x = ".to_owned() + &"f'{".repeat(10_000);
    assert!(read_module(fstrings.as_bytes()).is_err());
    let long = "x = 1\n".repeat(100_000) + "__version__ = '9'";
    assert_eq!(version(&long), text("9"));
}
