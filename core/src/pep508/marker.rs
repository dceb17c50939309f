//! Environment markers (`python_version < "3.11" and sys_platform ==
//! "win32"`), as `packaging.markers.Marker` parses and prints them.
//!
//! The tree keeps what packaging keeps: comparisons joined by `and`/`or`
//! in the order written (no precedence is applied while parsing; `and`
//! binds tighter when evaluating), and parenthesised groups as nested
//! expressions, so evaluation can be added without re-parsing.

use std::fmt;

use super::Pep508Error;
use super::parser::Parser;

/// A parsed environment marker.
///
/// [`Display`](fmt::Display) writes packaging's normalised form: single
/// spaces around operators, values in double quotes (single quotes when
/// the value contains a double quote), deprecated variable spellings
/// replaced (`os.name` → `os_name`, `python_implementation` →
/// `platform_python_implementation`), extra names normalised (`extra ==
/// "Foo_Bar"` → `extra == "foo-bar"`), and redundant parentheses dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Marker {
    expression: MarkerExpression,
}

impl Marker {
    /// Wraps a parsed expression (whose values are already normalised).
    pub(crate) fn new(expression: MarkerExpression) -> Marker {
        Marker { expression }
    }

    /// The top-level expression.
    pub fn expression(&self) -> &MarkerExpression {
        &self.expression
    }
}

impl fmt::Display for Marker {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expression.write(formatter, true)
    }
}

/// Atoms joined by `and`/`or`, in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MarkerExpression {
    /// The first atom.
    pub first: MarkerAtom,
    /// Each following atom with the operator before it.
    pub rest: Vec<(BooleanOperator, MarkerAtom)>,
}

impl MarkerExpression {
    /// Writes the expression as packaging's `_format_marker` does: a group
    /// of one atom without parentheses, a group of several in parentheses
    /// unless it is the whole marker.
    fn write(&self, formatter: &mut fmt::Formatter<'_>, whole: bool) -> fmt::Result {
        if self.rest.is_empty() {
            return self.first.write(formatter, whole);
        }
        if !whole {
            formatter.write_str("(")?;
        }
        self.first.write(formatter, false)?;
        for (operator, atom) in &self.rest {
            write!(formatter, " {} ", operator.as_str())?;
            atom.write(formatter, false)?;
        }
        if !whole {
            formatter.write_str(")")?;
        }
        Ok(())
    }
}

/// `and` or `or`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BooleanOperator {
    /// `and`.
    And,
    /// `or`.
    Or,
}

impl BooleanOperator {
    /// How it is written.
    pub fn as_str(self) -> &'static str {
        match self {
            BooleanOperator::And => "and",
            BooleanOperator::Or => "or",
        }
    }
}

/// A comparison, or a parenthesised expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MarkerAtom {
    /// `left operator right`.
    Comparison(MarkerComparison),
    /// `( expression )`.
    Group(Box<MarkerExpression>),
}

impl MarkerAtom {
    fn write(&self, formatter: &mut fmt::Formatter<'_>, whole: bool) -> fmt::Result {
        match self {
            MarkerAtom::Comparison(comparison) => write!(formatter, "{comparison}"),
            MarkerAtom::Group(expression) => expression.write(formatter, whole),
        }
    }
}

/// `left operator right`. Either side may be a variable or a string
/// (packaging accepts `"a" == "b"` and `os_name == sys_platform`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MarkerComparison {
    /// The left operand.
    pub left: MarkerValue,
    /// The operator.
    pub operator: MarkerOperator,
    /// The right operand.
    pub right: MarkerValue,
}

impl fmt::Display for MarkerComparison {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {} {}", self.left, self.operator.as_str(), self.right)
    }
}

/// An operand of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MarkerValue {
    /// An environment variable.
    Variable(MarkerVariable),
    /// A quoted string's value (escapes decoded; an extra name normalised
    /// when compared with `extra`, or tested for membership in `extras` or
    /// `dependency_groups`). Never contains both `'` and `"`.
    String(String),
}

impl fmt::Display for MarkerValue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkerValue::Variable(variable) => formatter.write_str(variable.as_str()),
            MarkerValue::String(value) if value.contains('"') => write!(formatter, "'{value}'"),
            MarkerValue::String(value) => write!(formatter, "\"{value}\""),
        }
    }
}

/// The environment variables a marker can test (PEP 508, plus `extras`
/// and `dependency_groups` from PEP 751 lock files, which packaging
/// accepts everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkerVariable {
    /// `python_version`.
    PythonVersion,
    /// `python_full_version`.
    PythonFullVersion,
    /// `os_name` (also written `os.name`).
    OsName,
    /// `sys_platform` (also written `sys.platform`).
    SysPlatform,
    /// `platform_release`.
    PlatformRelease,
    /// `platform_system`.
    PlatformSystem,
    /// `platform_version` (also written `platform.version`).
    PlatformVersion,
    /// `platform_machine` (also written `platform.machine`).
    PlatformMachine,
    /// `platform_python_implementation` (also written
    /// `platform.python_implementation` or `python_implementation`).
    PlatformPythonImplementation,
    /// `implementation_name`.
    ImplementationName,
    /// `implementation_version`.
    ImplementationVersion,
    /// `extra`.
    Extra,
    /// `extras` (lock files).
    Extras,
    /// `dependency_groups` (lock files).
    DependencyGroups,
}

impl MarkerVariable {
    /// The normalised name.
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerVariable::PythonVersion => "python_version",
            MarkerVariable::PythonFullVersion => "python_full_version",
            MarkerVariable::OsName => "os_name",
            MarkerVariable::SysPlatform => "sys_platform",
            MarkerVariable::PlatformRelease => "platform_release",
            MarkerVariable::PlatformSystem => "platform_system",
            MarkerVariable::PlatformVersion => "platform_version",
            MarkerVariable::PlatformMachine => "platform_machine",
            MarkerVariable::PlatformPythonImplementation => "platform_python_implementation",
            MarkerVariable::ImplementationName => "implementation_name",
            MarkerVariable::ImplementationVersion => "implementation_version",
            MarkerVariable::Extra => "extra",
            MarkerVariable::Extras => "extras",
            MarkerVariable::DependencyGroups => "dependency_groups",
        }
    }
}

/// Every spelling packaging's tokenizer accepts for a variable. `extras`
/// comes before its prefix `extra`.
pub(crate) const VARIABLE_SPELLINGS: [(&str, MarkerVariable); 20] = [
    ("python_version", MarkerVariable::PythonVersion),
    ("python_full_version", MarkerVariable::PythonFullVersion),
    ("os_name", MarkerVariable::OsName),
    ("os.name", MarkerVariable::OsName),
    ("sys_platform", MarkerVariable::SysPlatform),
    ("sys.platform", MarkerVariable::SysPlatform),
    ("platform_release", MarkerVariable::PlatformRelease),
    ("platform_system", MarkerVariable::PlatformSystem),
    ("platform_version", MarkerVariable::PlatformVersion),
    ("platform.version", MarkerVariable::PlatformVersion),
    ("platform_machine", MarkerVariable::PlatformMachine),
    ("platform.machine", MarkerVariable::PlatformMachine),
    ("platform_python_implementation", MarkerVariable::PlatformPythonImplementation),
    ("platform.python_implementation", MarkerVariable::PlatformPythonImplementation),
    ("python_implementation", MarkerVariable::PlatformPythonImplementation),
    ("implementation_name", MarkerVariable::ImplementationName),
    ("implementation_version", MarkerVariable::ImplementationVersion),
    ("extras", MarkerVariable::Extras),
    ("extra", MarkerVariable::Extra),
    ("dependency_groups", MarkerVariable::DependencyGroups),
];

/// A comparison operator in a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkerOperator {
    /// `==`.
    Equal,
    /// `!=`.
    NotEqual,
    /// `<=`.
    LessEqual,
    /// `<`.
    Less,
    /// `>=`.
    GreaterEqual,
    /// `>`.
    Greater,
    /// `~=`.
    Compatible,
    /// `===`.
    Arbitrary,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
}

impl MarkerOperator {
    /// The normalised spelling (`not in` with one space).
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerOperator::Equal => "==",
            MarkerOperator::NotEqual => "!=",
            MarkerOperator::LessEqual => "<=",
            MarkerOperator::Less => "<",
            MarkerOperator::GreaterEqual => ">=",
            MarkerOperator::Greater => ">",
            MarkerOperator::Compatible => "~=",
            MarkerOperator::Arbitrary => "===",
            MarkerOperator::In => "in",
            MarkerOperator::NotIn => "not in",
        }
    }
}

/// The symbolic operators, longest first (packaging's `OP` token).
pub(crate) const SYMBOLIC_OPERATORS: [MarkerOperator; 8] = [
    MarkerOperator::Arbitrary,
    MarkerOperator::Equal,
    MarkerOperator::Compatible,
    MarkerOperator::NotEqual,
    MarkerOperator::LessEqual,
    MarkerOperator::GreaterEqual,
    MarkerOperator::Less,
    MarkerOperator::Greater,
];

/// Normalises a name as PEP 503 and packaging's `canonicalize_name` do:
/// lower case (full Unicode lower-casing, like Python's `str.lower`), runs
/// of `-`, `_` and `.` become one `-`.
pub(crate) fn canonicalize_name(name: &str) -> String {
    let mut normalised = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !normalised.ends_with('-') {
                normalised.push('-');
            }
        } else {
            normalised.push(c);
        }
    }
    normalised
}

/// Parses an environment marker as `packaging.markers.Marker` does.
///
/// Parentheses may nest at most [`MAX_MARKER_NESTING`](super::MAX_MARKER_NESTING)
/// deep.
pub fn parse_marker(text: &str) -> Result<Marker, Pep508Error> {
    let mut parser = Parser::new(text);
    let expression = parser.marker()?;
    parser.expect_end_of_marker()?;
    Ok(Marker::new(expression))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> String {
        parse_marker(text).map(|marker| marker.to_string()).unwrap_or_else(|error| format!("error: {}", error.message))
    }

    #[test]
    fn prints_like_packaging() {
        let cases = [
            ("os_name=='a'", "os_name == \"a\""),
            ("\"a\"==\"b\"", "\"a\" == \"b\""),
            ("os_name==os_name", "os_name == os_name"),
            ("extra==\"Foo.Bar\"", "extra == \"foo-bar\""),
            ("\"Foo.Bar\"==extra", "\"foo-bar\" == extra"),
            ("\"Foo.Bar\" in extras", "\"foo-bar\" in extras"),
            ("extras == \"Foo.Bar\"", "extras == \"Foo.Bar\""),
            ("\"A_b\" in dependency_groups", "\"a-b\" in dependency_groups"),
            ("os.name == \"x\"", "os_name == \"x\""),
            ("python_implementation=='x'", "platform_python_implementation == \"x\""),
            ("os_name not \t in \"a\"", "os_name not in \"a\""),
            ("(os_name=='a')and(os_name=='b')", "os_name == \"a\" and os_name == \"b\""),
            ("os_name=='\"'", "os_name == '\"'"),
            ("extra==\"ΑΣ\"", "extra == \"ας\""),
            ("(((os_name=='a')))", "os_name == \"a\""),
            (
                "os_name=='a' and (os_name=='b' or (os_name=='c'))",
                "os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")",
            ),
            ("((os_name=='a' or os_name=='b'))", "os_name == \"a\" or os_name == \"b\""),
            (
                "os_name=='a' and ((os_name=='b' or os_name=='c'))",
                "os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(normal(input), expected, "{input:?}");
        }
    }

    #[test]
    fn rejects_like_packaging() {
        for bad in
            ["", "os_name", "os_name ==", "os_name not\"a\"", "os_name notin 'a'", "os_name = 'a'", "'a", "x == 'a'"]
        {
            assert!(parse_marker(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_normalise() {
        assert_eq!(canonicalize_name("Foo._-Bar"), "foo-bar");
        assert_eq!(canonicalize_name("-a-"), "-a-");
    }
}
