//! `License-Expression` as `packaging.licenses.canonicalize_license_expression`
//! (packaging 26.3) accepts it, which is laxer than flit's rule for
//! `[project] license` ([`crate::spdx`]): operators in any case, and
//! deprecated SPDX IDs (reported here as a warning, since an index accepts
//! them but they should be replaced).

use crate::spdx::{exception_id, license_id};
use crate::validate::pystr::is_python_whitespace;

/// Deprecated SPDX license IDs (SPDX list 3.27.0) that `packaging` still
/// accepts; [`crate::spdx`] holds only the current ones.
const DEPRECATED_LICENSES: &[&str] = &[
    "AGPL-1.0",
    "AGPL-3.0",
    "BSD-2-Clause-FreeBSD",
    "BSD-2-Clause-NetBSD",
    "GFDL-1.1",
    "GFDL-1.2",
    "GFDL-1.3",
    "GPL-1.0",
    "GPL-1.0+",
    "GPL-2.0",
    "GPL-2.0+",
    "GPL-2.0-with-GCC-exception",
    "GPL-2.0-with-autoconf-exception",
    "GPL-2.0-with-bison-exception",
    "GPL-2.0-with-classpath-exception",
    "GPL-2.0-with-font-exception",
    "GPL-3.0",
    "GPL-3.0+",
    "GPL-3.0-with-GCC-exception",
    "GPL-3.0-with-autoconf-exception",
    "LGPL-2.0",
    "LGPL-2.0+",
    "LGPL-2.1",
    "LGPL-2.1+",
    "LGPL-3.0",
    "LGPL-3.0+",
    "Net-SNMP",
    "Nunit",
    "StandardML-NJ",
    "bzip2-1.0.5",
    "eCos-2.0",
    "wxWindows",
];

/// Deprecated SPDX exception IDs that `packaging` still accepts.
const DEPRECATED_EXCEPTIONS: &[&str] = &["Nokia-Qt-exception-1.1"];

fn deprecated(table: &[&'static str], lowercase: &str) -> Option<&'static str> {
    table.iter().copied().find(|id| id.to_lowercase() == lowercase)
}

/// A license expression that `packaging` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckedExpression {
    /// Its canonical form (`MIT OR Apache-2.0`).
    pub normalised: String,
    /// Deprecated IDs it uses, in canonical spelling.
    pub deprecated: Vec<String>,
}

const OPERATORS: [&str; 5] = ["or", "and", "with", "(", ")"];

/// Checks an expression as `packaging` does; the error says why it is
/// refused.
pub(crate) fn check_license_expression(raw: &str) -> Result<CheckedExpression, String> {
    let spaced = raw.replace('(', " ( ").replace(')', " ) ");
    let original_tokens: Vec<&str> = spaced.split(is_python_whitespace).filter(|token| !token.is_empty()).collect();
    if original_tokens.is_empty() {
        return Err("the expression is empty".to_owned());
    }
    let tokens: Vec<String> = original_tokens.iter().map(|token| token.to_lowercase()).collect();
    check_structure(&tokens)?;

    let mut normalised: Vec<String> = Vec::new();
    let mut deprecated_ids = Vec::new();
    let mut last_was_license = false;
    for (index, token) in tokens.iter().enumerate() {
        if OPERATORS.contains(&token.as_str()) {
            if token == "with" {
                let next_is_operand = tokens.get(index + 1).is_some_and(|next| !OPERATORS.contains(&next.as_str()));
                if !last_was_license || !next_is_operand {
                    return Err("`WITH` must join a license ID and an exception ID".to_owned());
                }
            }
            normalised.push(token.to_uppercase());
            last_was_license = false;
            continue;
        }
        let original = original_tokens.get(index).copied().unwrap_or_default();
        if normalised.last().is_some_and(|last| last == "WITH") {
            let id = match exception_id(token) {
                Some(id) => id,
                None => match deprecated(DEPRECATED_EXCEPTIONS, token) {
                    Some(id) => {
                        deprecated_ids.push(id.to_owned());
                        id
                    }
                    None => return Err(format!("`{original}` is not an SPDX license exception ID")),
                },
            };
            normalised.push(id.to_owned());
            last_was_license = false;
            continue;
        }
        let (base, suffix) = match token.strip_suffix('+') {
            Some(base) => (base, "+"),
            None => (token.as_str(), ""),
        };
        if let Some(reference) = base.strip_prefix("licenseref-") {
            let valid = !reference.is_empty()
                && reference.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'-');
            if !suffix.is_empty() || !valid {
                return Err(format!(
                    "`{original}` is not a valid `LicenseRef-`: after the prefix only ASCII letters, digits, `.` and `-` may follow"
                ));
            }
            // The text after the prefix keeps its case; the prefix is canonical.
            let keep = original.get("LicenseRef-".len()..).unwrap_or(reference);
            normalised.push(format!("LicenseRef-{keep}"));
        } else {
            let id = match license_id(base) {
                Some(id) => id,
                None => match deprecated(DEPRECATED_LICENSES, base) {
                    Some(id) => {
                        deprecated_ids.push(id.to_owned());
                        id
                    }
                    None => return Err(format!("`{original}` is not an SPDX license ID")),
                },
            };
            normalised.push(format!("{id}{suffix}"));
        }
        last_was_license = true;
    }
    let joined = normalised.join(" ").replace("( ", "(").replace(" )", ")");
    Ok(CheckedExpression { normalised: joined, deprecated: deprecated_ids })
}

/// `packaging` turns the tokens into a Python expression (every ID
/// `False`, `WITH` becoming `or`) and asks Python whether it compiles; this
/// is that grammar: `expr := term (("or" | "and") term)*`,
/// `term := "False" | "(" expr ")"`, plus its two explicit checks for `(`
/// after an operand and `()`.
fn check_structure(tokens: &[String]) -> Result<(), String> {
    let mut kinds: Vec<&str> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let kind = match token.as_str() {
            "with" => "or",
            "or" | "and" | "(" | ")" => token.as_str(),
            _ => "id",
        };
        if (kind == "(" && kinds.last().is_some_and(|last| !["or", "and", "("].contains(last)))
            || (kind == ")" && kinds.last() == Some(&"("))
        {
            return Err("the parentheses are misplaced".to_owned());
        }
        kinds.push(kind);
    }
    let mut position = 0;
    let mut depth = 0usize;
    if parse_expression(&kinds, &mut position, &mut depth) && position == kinds.len() {
        Ok(())
    } else {
        Err("it is not a valid expression of license IDs joined by `AND`, `OR` and `WITH`".to_owned())
    }
}

/// Recursion is bounded: an expression nested deeper than this is refused
/// rather than risking the stack.
const MAX_DEPTH: usize = 100;

fn parse_expression(kinds: &[&str], position: &mut usize, depth: &mut usize) -> bool {
    if !parse_term(kinds, position, depth) {
        return false;
    }
    while matches!(kinds.get(*position), Some(&"or") | Some(&"and")) {
        *position += 1;
        if !parse_term(kinds, position, depth) {
            return false;
        }
    }
    true
}

fn parse_term(kinds: &[&str], position: &mut usize, depth: &mut usize) -> bool {
    match kinds.get(*position) {
        Some(&"id") => {
            *position += 1;
            true
        }
        Some(&"(") => {
            if *depth >= MAX_DEPTH {
                return false;
            }
            *depth += 1;
            *position += 1;
            let inner = parse_expression(kinds, position, depth);
            *depth -= 1;
            if inner && kinds.get(*position) == Some(&")") {
                *position += 1;
                true
            } else {
                false
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expectations from `packaging.licenses` 26.3.
    #[test]
    fn agrees_with_packaging() {
        let accepted: &[(&str, &str)] = &[
            ("mit or apache-2.0", "MIT OR Apache-2.0"),
            ("GPL-3.0", "GPL-3.0"),
            ("MIT+", "MIT+"),
            ("(MIT)", "(MIT)"),
            ("MIT with llvm-exception", "MIT WITH LLVM-exception"),
            ("licenseref-Foo", "LicenseRef-Foo"),
            ("MIT OR (Apache-2.0 AND (BSD-2-Clause))", "MIT OR (Apache-2.0 AND (BSD-2-Clause))"),
            ("MIT\tOR Apache-2.0", "MIT OR Apache-2.0"),
        ];
        for (input, output) in accepted {
            assert_eq!(check_license_expression(input).map(|c| c.normalised), Ok((*output).to_owned()), "{input}");
        }
        for refused in [
            "MIT AND",
            "MIT WITH",
            "MIT WITH MIT",
            "LicenseRef-x+",
            "LicenseRef-a_b",
            "() MIT",
            "MIT ()",
            "(MIT) (Apache-2.0)",
            "  ",
            "",
            "Use-it-after-midnight",
            "(mit",
            "MIT OR OR Apache-2.0",
        ] {
            assert!(check_license_expression(refused).is_err(), "{refused}");
        }
        assert_eq!(check_license_expression("gpl-2.0+").unwrap().deprecated, ["GPL-2.0"]);
        let deep = format!("{}MIT{}", "(".repeat(500), ")".repeat(500));
        assert!(check_license_expression(&deep).is_err());
    }
}
