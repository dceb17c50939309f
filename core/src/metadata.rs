//! Core metadata (`METADATA` in wheels, `PKG-INFO` in sdists), written
//! exactly as flit 4.2 writes it: Metadata-Version 2.5, fields in flit's
//! order, the readme as the message body.

use crate::config::Config;
use crate::names;
use crate::validate::{normalise_requires_dist_extras, supports_py2};

/// Every field of the core metadata flit writes, resolved to text.
///
/// Built from a [`Config`] plus the dynamic values; [`CoreMetadata::to_text`]
/// destructures it exhaustively, so a field added here cannot be forgotten
/// in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreMetadata {
    /// `Name`, as written in the configuration.
    pub name: String,
    /// `Version`, normalised.
    pub version: String,
    /// `Summary`.
    pub summary: Option<String>,
    /// `Keywords`, comma-joined.
    pub keywords: Option<String>,
    /// `Author`.
    pub author: Option<String>,
    /// `Author-email`.
    pub author_email: Option<String>,
    /// `Maintainer`.
    pub maintainer: Option<String>,
    /// `Maintainer-email`.
    pub maintainer_email: Option<String>,
    /// `Requires-Python`.
    pub requires_python: Option<String>,
    /// `Description-Content-Type`.
    pub description_content_type: Option<String>,
    /// `License-Expression`.
    pub license_expression: Option<String>,
    /// `Classifier`s.
    pub classifiers: Vec<String>,
    /// `License-File`s.
    pub license_files: Vec<String>,
    /// `Requires-Dist`s, before extra-name normalisation.
    pub requires_dist: Vec<String>,
    /// `Project-URL`s ("label, url").
    pub project_urls: Vec<String>,
    /// `Provides-Extra`s.
    pub provides_extra: Vec<String>,
    /// `Import-Name`s.
    pub import_names: Vec<String>,
    /// `Import-Namespace`s.
    pub import_namespaces: Vec<String>,
    /// The long description (message body).
    pub description: Option<String>,
}

impl CoreMetadata {
    /// Assembles the metadata; `version` and `summary` are the final values
    /// (static from the configuration, or read from the module).
    pub fn new(config: &Config, version: String, summary: Option<String>) -> Self {
        CoreMetadata {
            name: config.name.clone(),
            version,
            summary,
            keywords: config.keywords.clone(),
            author: config.author.clone(),
            author_email: config.author_email.clone(),
            maintainer: config.maintainer.clone(),
            maintainer_email: config.maintainer_email.clone(),
            requires_python: config.requires_python.clone(),
            description_content_type: config.readme.as_ref().and_then(|readme| readme.content_type.clone()),
            license_expression: config.license_expression.clone(),
            classifiers: config.classifiers.clone(),
            license_files: config.license_files.iter().map(|path| path.as_str().to_owned()).collect(),
            requires_dist: config.requires_dist(),
            project_urls: config.project_urls.clone(),
            provides_extra: config.provides_extra(),
            import_names: config.import_names(),
            import_namespaces: config.import_namespaces(),
            description: config.readme.as_ref().map(|readme| readme.text.clone()),
        }
    }

    /// `<name>-<version>` with the name normalised for file names: the stem
    /// of the sdist and of the wheel's `.dist-info`.
    pub fn dist_name(&self) -> String {
        format!("{}-{}", names::wheel_name_part(&self.name), self.version)
    }

    /// True when the wheel is tagged `py2.py3` (flit's heuristic on
    /// `requires-python`).
    pub fn supports_py2(&self) -> bool {
        supports_py2(self.requires_python.as_deref())
    }

    /// The METADATA / PKG-INFO text.
    pub fn to_text(&self) -> String {
        let CoreMetadata {
            name,
            version,
            summary,
            keywords,
            author,
            author_email,
            maintainer,
            maintainer_email,
            requires_python,
            description_content_type,
            license_expression,
            classifiers,
            license_files,
            requires_dist,
            project_urls,
            provides_extra,
            import_names,
            import_namespaces,
            description,
        } = self;
        let mut text = String::new();
        let mut field = |name: &str, value: &str| {
            text.push_str(name);
            text.push_str(": ");
            text.push_str(value);
            text.push('\n');
        };
        field("Metadata-Version", "2.5");
        field("Name", name);
        field("Version", version);
        let optional = [
            ("Summary", summary),
            ("Keywords", keywords),
            ("Author", author),
            ("Author-email", author_email),
            ("Maintainer", maintainer),
            ("Maintainer-email", maintainer_email),
            ("Requires-Python", requires_python),
            ("Description-Content-Type", description_content_type),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                // Continuation lines of a multi-line value are indented.
                field(name, &python_splitlines(value).join("\n        "));
            }
        }
        if let Some(expression) = license_expression.as_deref().filter(|expression| !expression.is_empty()) {
            field("License-Expression", expression);
        }
        for classifier in classifiers {
            field("Classifier", classifier);
        }
        for file in license_files {
            field("License-File", file);
        }
        for requirement in requires_dist {
            field("Requires-Dist", &normalise_requires_dist_extras(requirement));
        }
        for url in project_urls {
            field("Project-URL", url);
        }
        for extra in provides_extra {
            field("Provides-Extra", &names::normalise_name(extra));
        }
        for import_name in import_names {
            field("Import-Name", import_name);
        }
        for namespace in import_namespaces {
            field("Import-Namespace", namespace);
        }
        if let Some(description) = description {
            text.push('\n');
            text.push_str(description);
            text.push('\n');
        }
        text
    }
}

/// Python's `str.splitlines()`: splits on every line boundary Python knows,
/// and a trailing boundary does not make an empty last line.
pub fn python_splitlines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let boundary = matches!(
            c,
            '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        if boundary {
            lines.push(&text[start..index]);
            let mut end = index + c.len_utf8();
            if c == '\r' && chars.peek().map(|(_, next)| *next) == Some('\n') {
                chars.next();
                end += 1;
            }
            start = end;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_matches_python() {
        assert_eq!(python_splitlines("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(python_splitlines("a\n"), ["a"]);
        assert!(python_splitlines("").is_empty());
        assert_eq!(python_splitlines("a\u{2028}b\x0bc"), ["a", "b", "c"]);
        assert_eq!(python_splitlines("\n\n"), ["", ""]);
    }
}
