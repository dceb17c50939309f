//! The `[project]` table (PEP 621 as amended by PEPs 639 and 794), with
//! flit 4.2's rules and the `flit` CLI's extra checks.

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::document::{Document, cli_diagnostic, key_span, span_of};
use super::files::{self, FileContext};
use super::{Config, Dynamic, tool};
use crate::classifiers::{self, ClassifierStatus};
use crate::diagnostic::Span;
use crate::path::RelPath;
use crate::{names, people, pep508, spdx, validate, version};

/// The keys flit 4.2 accepts in `[project]`.
pub(super) const PROJECT_KEYS: &[&str] = &[
    "name",
    "version",
    "description",
    "readme",
    "requires-python",
    "license",
    "license-files",
    "authors",
    "maintainers",
    "keywords",
    "classifiers",
    "urls",
    "scripts",
    "gui-scripts",
    "entry-points",
    "dependencies",
    "optional-dependencies",
    "dynamic",
    "import-names",
    "import-namespaces",
];

/// The fields flit can compute from the module (the last two are accepted
/// and change nothing).
const DYNAMIC_FIELDS: &[&str] = &["version", "description", "import-names", "import-namespaces"];

/// Reads the whole document: `[tool.flit]` legacy checks, `[project]`, then
/// the rest of `[tool.flit]`. Returns a config even when errors were found,
/// as far as it could be read; the caller discards it in that case.
pub(super) fn read<'text>(
    document: &mut Document<'text>,
    root: &DeTable<'text>,
    config_file: &RelPath,
    context: &FileContext<'_>,
) -> Option<Config> {
    super::toplevel::check(document, root);
    let flit_table = tool::flit_table(document, root);
    if let Some(flit_table) = flit_table {
        tool::check_legacy_tables(document, flit_table);
    }

    let Some(project_value) = root.get("project") else {
        let message = "no [project] table found in the configuration";
        document.diagnostics.push(
            crate::diagnostic::Diagnostic::error("missing-project-table", document.file.clone(), message)
                .with_help("flit 4 reads metadata from the standard [project] table; add one with at least `name`, and `version` and `description` or `dynamic = [\"version\", \"description\"]`"),
        );
        return None;
    };
    let DeValue::Table(project) = project_value.get_ref() else {
        document.wrong_type("project", project_value, "a table");
        return None;
    };
    let header = span_of(project_value);
    let mut reader = ProjectReader { document, project, header, context };
    let config = reader.read_fields(config_file);
    // The tool tables are read even when [project] has errors, so that every
    // problem is reported in one run.
    let tool_settings = tool::read(reader.document, flit_table, context);
    let mut config = config?;
    if let Some(module) = tool_settings.module {
        config.module = module;
    }
    config.sdist_include = tool_settings.sdist_include;
    config.sdist_exclude = tool_settings.sdist_exclude;
    config.data_directory = tool_settings.data_directory;
    reader.check_import_names(&config);
    Some(config)
}

struct ProjectReader<'d, 'text, 'p> {
    document: &'d mut Document<'text>,
    project: &'p DeTable<'text>,
    /// The `[project]` header, where "missing key" problems point.
    header: Span,
    context: &'p FileContext<'p>,
}

impl<'text> ProjectReader<'_, 'text, '_> {
    fn allow_invalid(&self) -> bool {
        self.context.options.allow_invalid
    }

    fn read_fields(&mut self, config_file: &RelPath) -> Option<Config> {
        self.document.unknown_keys(self.project, PROJECT_KEYS, "project");
        let name = self.name();
        let dynamic = self.dynamic();
        let version = self.version();
        let summary = self.summary();
        let readme = files::readme(self.document, self.project, self.context);
        // Without the project's files (the browser's editor) a readme file's
        // text is unknown, not empty: only inline text can be checked.
        if let Some(readme) = &readme
            && (readme.file.is_none() || self.context.tree.is_some())
        {
            files::check_readme_markup(self.document, self.project, readme, self.allow_invalid());
        }
        let requires_python = self.requires_python();
        let license_expression = self.license_expression();
        let license_files = files::license_files(self.document, self.project, self.context);
        let (author, author_email) = self.people("authors", "author");
        let (maintainer, maintainer_email) = self.people("maintainers", "maintainer");
        let keywords = self
            .document
            .string_array(self.project, "keywords", "project.keywords")
            .map(|words| words.iter().map(|word| *word.get_ref()).collect::<Vec<_>>().join(","));
        let classifiers = self.classifiers(license_expression.is_some());
        let project_urls = self.urls();
        let entry_points = self.entry_points();
        let dependencies = self.dependencies();
        let optional_dependencies = self.optional_dependencies();
        let import_names = self.import_name_list("import-names");
        let import_namespaces = self.import_name_list("import-namespaces");
        self.check_dynamic_conflicts(&dynamic);

        let mut referenced_files = Vec::new();
        if let Some(readme) = &readme
            && let Some(file) = &readme.file
        {
            referenced_files.push(file.clone());
        }
        referenced_files.extend(license_files.iter().cloned());

        self.check_requirements(&dependencies, &optional_dependencies);
        let config = Config {
            file: config_file.clone(),
            module: names::default_import_name(&name.clone()?),
            name: name?,
            version,
            summary,
            dynamic,
            readme,
            requires_python,
            license_expression,
            license_files,
            author,
            author_email,
            maintainer,
            maintainer_email,
            keywords,
            classifiers,
            project_urls,
            entry_points,
            dependencies,
            optional_dependencies,
            import_names,
            import_namespaces,
            referenced_files,
            sdist_include: Vec::new(),
            sdist_exclude: Vec::new(),
            data_directory: None,
        };
        Some(config)
    }

    /// `project.description`: one line (the core metadata `Summary` is a
    /// single-line field; flit folds a multi-line one, which validators and
    /// indexes reject).
    fn summary(&mut self) -> Option<String> {
        let value = self.document.string(self.project, "description", "project.description")?;
        if crate::metadata::python_splitlines(value.get_ref()).len() > 1 {
            self.cli_problem(
                "invalid-description",
                span_of(&value),
                "`project.description` spans several lines; the summary must be one line".to_owned(),
                "keep one sentence here and put the rest in the readme",
            );
        }
        Some(value.get_ref().to_string())
    }

    fn missing(&mut self, key: &str, help: &str) {
        let header = self.header;
        self.document
            .error_at("missing-field", header, format!("`project.{key}` is required"))
            .with_help_text(help.to_owned());
    }

    fn name(&mut self) -> Option<String> {
        if !self.project.contains_key("name") {
            self.missing("name", "add `name = \"your-project\"` to the [project] table");
            return None;
        }
        let name = self.document.string(self.project, "name", "project.name")?;
        if !names::is_valid_project_name(name.get_ref()) {
            self.document
                .error_at("invalid-name", span_of(&name), format!("`{}` is not a valid project name", name.get_ref()))
                .with_help_text(
                    "a project name has ASCII letters, digits, `.`, `_` and `-`, and starts and ends with a letter or digit",
                );
            return None;
        }
        Some(name.get_ref().to_string())
    }

    fn version(&mut self) -> Option<String> {
        let raw = self.document.string(self.project, "version", "project.version")?;
        let span = span_of(&raw);
        match version::normalise_version(raw.get_ref()) {
            Ok(normalised) => {
                if normalised != *raw.get_ref() {
                    self.document
                        .warning_at(
                            "version-normalised",
                            span,
                            format!("version `{}` is normalised to `{normalised}` (PEP 440)", raw.get_ref()),
                        )
                        .with_help_text(format!("write `version = \"{normalised}\"` to avoid this warning"));
                }
                Some(normalised)
            }
            Err(error) => self.invalid_version(raw.get_ref(), span, &error.to_string()),
        }
    }

    /// An invalid version is an error, or with `FLIT_ALLOW_INVALID` a
    /// warning and the lower-cased text, as flit does — unless it cannot
    /// appear in a file name at all.
    fn invalid_version(&mut self, raw: &str, span: Span, message: &str) -> Option<String> {
        let lowered = raw.to_lowercase();
        if self.allow_invalid() && !lowered.contains(['-', '/', '\\']) && !lowered.trim().is_empty() {
            self.document
                .warning_at(
                    "invalid-version",
                    span,
                    format!("{message}; used anyway because FLIT_ALLOW_INVALID is set"),
                )
                .with_help_text("use a PEP 440 version such as `1.0`, `1.0.post1` or `2.0rc1`");
            return Some(lowered);
        }
        self.document
            .error_at("invalid-version", span, message.to_owned())
            .with_help_text("use a PEP 440 version such as `1.0`, `1.0.post1` or `2.0rc1`");
        None
    }

    fn requires_python(&mut self) -> Option<String> {
        let value = self.document.string(self.project, "requires-python", "project.requires-python")?;
        // What installers accept (PEP 440 specifiers), then flit's own rule.
        if let Err(error) = pep508::parse_specifiers(value.get_ref()) {
            let span = self.document.inner_span(span_of(&value), value.get_ref(), Some(error.span.clone()));
            self.cli_problem(
                "invalid-requires-python",
                span,
                format!("invalid `requires-python` `{}`: {}", value.get_ref(), error.message),
                "use PEP 440 version specifiers such as `>=3.9` or `>=3.9, <4`",
            );
        } else if let Err(problem) = validate::check_requires_python(value.get_ref()) {
            let span = self.document.inner_span(span_of(&value), value.get_ref(), problem.span.clone());
            self.cli_problem("invalid-requires-python", span, problem.message.clone(), problem.kind.hint());
        }
        Some(value.get_ref().to_string())
    }

    /// A problem only the `flit` CLI reports (not flit_core): an error, or a
    /// warning when `FLIT_ALLOW_INVALID` is set.
    fn cli_problem(&mut self, code: &'static str, span: Span, message: String, help: &str) {
        let diagnostic = cli_diagnostic(self.allow_invalid(), code, self.document.file.clone(), message);
        self.document.push(diagnostic.at(self.document.text, span).with_help(help));
    }

    fn license_expression(&mut self) -> Option<String> {
        let value = self.project.get("license")?;
        match value.get_ref() {
            DeValue::String(expression) => {
                let span = span_of(value);
                match spdx::normalise_license_expression(expression) {
                    Ok(normalised) => Some(normalised),
                    Err(error) => {
                        let error_span = self.document.inner_span(span, expression, error.span.clone());
                        if self.allow_invalid() && !error.is_empty_error() {
                            self.document
                                .warning_at("license-expression", error_span, format!("{error}; used anyway because FLIT_ALLOW_INVALID is set"))
                                .with_help_text("use an SPDX expression such as `MIT` or `Apache-2.0 OR MIT` (https://spdx.org/licenses/)");
                            return Some(expression.to_string());
                        }
                        self.document.error_at("license-expression", error_span, error.to_string()).with_help_text(
                            "use an SPDX expression such as `MIT` or `Apache-2.0 OR MIT` (https://spdx.org/licenses/)",
                        );
                        None
                    }
                }
            }
            // A table is read with the license files; other types are wrong.
            DeValue::Table(_) => None,
            _ => {
                self.document.wrong_type("project.license", value, "a string (an SPDX expression) or a table");
                None
            }
        }
    }

    /// `authors` or `maintainers` → (names without email, mailboxes).
    fn people(&mut self, key: &str, role: &str) -> (Option<String>, Option<String>) {
        let path = format!("project.{key}");
        let Some(value) = self.project.get(key) else { return (None, None) };
        let DeValue::Array(entries) = value.get_ref() else {
            self.document.wrong_type(&path, value, "an array of tables");
            return (None, None);
        };
        let (mut plain_names, mut mailboxes) = (Vec::new(), Vec::new());
        for (index, entry) in entries.iter().enumerate() {
            let entry_path = format!("{path}[{index}]");
            let DeValue::Table(person) = entry.get_ref() else {
                self.document.wrong_type(&entry_path, entry, "a table with `name` and/or `email`");
                continue;
            };
            self.document.unknown_keys(person, &["name", "email"], &entry_path);
            let name = self.document.string(person, "name", &format!("{entry_path}.name"));
            let email = self.document.string(person, "email", &format!("{entry_path}.email"));
            match (name, email) {
                (Some(name), Some(email)) => match people::format_mailbox(name.get_ref(), email.get_ref()) {
                    Ok(mailbox) => mailboxes.push(mailbox),
                    Err(error) => {
                        self.document
                            .error_at(
                                "invalid-email",
                                span_of(&email),
                                format!("invalid {role} email address `{}`: {error}", email.get_ref()),
                            )
                            .with_help_text("write a plain address such as `name@example.org`");
                    }
                },
                (None, Some(email)) => {
                    // flit copies an address given without a name unchecked;
                    // installers and indexes do not. Checked as the CLI checks.
                    let address = *email.get_ref();
                    let problem = match people::format_mailbox("x", address) {
                        Err(error) => Some(error.to_string()),
                        Ok(_) if !address.rsplit_once('@').is_some_and(|(_, domain)| domain.contains('.')) => {
                            Some("its domain has no dot, so it is not a public address".to_owned())
                        }
                        Ok(_) => None,
                    };
                    if let Some(problem) = problem {
                        self.cli_problem(
                            "invalid-email",
                            span_of(&email),
                            format!("invalid {role} email address `{address}`: {problem}"),
                            "write a plain address such as `name@example.org`",
                        );
                    }
                    mailboxes.push(address.to_string());
                }
                (Some(name), None) => plain_names.push(name.get_ref().to_string()),
                (None, None) => {}
            }
        }
        let join = |parts: Vec<String>| if parts.is_empty() { None } else { Some(parts.join(", ")) };
        (join(plain_names), join(mailboxes))
    }

    fn classifiers(&mut self, has_license_expression: bool) -> Vec<String> {
        let Some(classifiers) = self.document.string_array(self.project, "classifiers", "project.classifiers") else {
            return Vec::new();
        };
        for classifier in &classifiers {
            let text = *classifier.get_ref();
            match classifiers::classify(text) {
                ClassifierStatus::Valid | ClassifierStatus::Private => {}
                ClassifierStatus::Deprecated { replacements } => {
                    let instead = match replacements {
                        [] => "remove it: it has no replacement".to_owned(),
                        [one] => format!("use `{one}` instead"),
                        many => format!(
                            "use {} instead",
                            many.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" and ")
                        ),
                    };
                    self.document
                        .warning_at(
                            "deprecated-classifier",
                            span_of(classifier),
                            format!("the classifier `{text}` is deprecated"),
                        )
                        .with_help_text(instead);
                }
                ClassifierStatus::Unknown { suggestion } => {
                    let help = match suggestion {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => format!(
                            "use a classifier from the list of trove classifiers (version {}), or one starting with `Private ::` for packages never uploaded",
                            classifiers::TROVE_CLASSIFIERS_VERSION
                        ),
                    };
                    self.cli_problem(
                        "unknown-classifier",
                        span_of(classifier),
                        format!("unknown classifier `{text}`"),
                        &help,
                    );
                }
            }
        }
        if has_license_expression {
            for classifier in &classifiers {
                if classifier.get_ref().starts_with("License :: ") {
                    self.document
                        .error_at(
                            "license-classifier",
                            span_of(classifier),
                            format!("license classifiers are deprecated in favour of the license expression: remove `{}`", classifier.get_ref()),
                        )
                        .with_help_text("`project.license` already states the license; PEP 639 forbids License :: classifiers next to it");
                }
            }
        }
        classifiers.iter().map(|classifier| classifier.get_ref().to_string()).collect()
    }

    fn urls(&mut self) -> Vec<String> {
        let Some((table, _)) = self.document.table(self.project, "urls", "project.urls") else { return Vec::new() };
        let mut urls = Vec::new();
        let mut seen_labels: Vec<(String, String)> = Vec::new();
        for (label, value) in table.iter() {
            let label_text = label.get_ref().as_ref();
            let DeValue::String(url) = value.get_ref() else {
                self.document.wrong_type(&format!("project.urls.{label_text}"), value, "a string");
                continue;
            };
            let entry = format!("{label_text}, {url}");
            for problem in validate::check_project_url(&entry) {
                let span = if problem.kind == validate::ProblemKind::UrlLabelTooLong
                    || problem.kind == validate::ProblemKind::EmptyUrlLabel
                {
                    Span::new(label.span())
                } else {
                    span_of(value)
                };
                self.cli_problem("invalid-url", span, problem.message.clone(), problem.kind.hint());
            }
            // PEP 753: labels are compared without punctuation, whitespace
            // and case, so `Home Page` and `homepage` are the same label.
            let normalised: String = label_text
                .chars()
                .filter(|c| !c.is_ascii_punctuation() && !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            if let Some((first, _)) = seen_labels.iter().find(|(_, existing)| *existing == normalised) {
                self.document
                    .warning_at(
                        "duplicate-url-label",
                        Span::new(label.span()),
                        format!("URL labels `{first}` and `{label_text}` are the same label once normalised (PEP 753)"),
                    )
                    .with_help_text("keep one of them; indexes show only one link per label");
            }
            seen_labels.push((label_text.to_owned(), normalised));
            urls.push((label_text.to_owned(), entry));
        }
        urls.sort();
        urls.into_iter().map(|(_, entry)| entry).collect()
    }

    fn entry_points(&mut self) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut groups = BTreeMap::new();
        if let Some((table, _)) = self.document.table(self.project, "entry-points", "project.entry-points") {
            for (group, value) in table.iter() {
                let group_name = group.get_ref().as_ref();
                let path = format!("project.entry-points.{group_name}");
                if group_name == "console_scripts" || group_name == "gui_scripts" {
                    let section = if group_name == "console_scripts" { "scripts" } else { "gui-scripts" };
                    self.document
                        .error_at(
                            "entry-points-group",
                            Span::new(group.span()),
                            format!(
                                "`{group_name}` entry points belong in [project.{section}], not [project.entry-points]"
                            ),
                        )
                        .with_help_text(format!("move these entries to a [project.{section}] table"));
                    continue;
                }
                let DeValue::Table(entries) = value.get_ref() else {
                    self.document.wrong_type(&path, value, "a table of entry points");
                    continue;
                };
                let valid_group = !group_name.is_empty()
                    && group_name.split('.').all(|part| {
                        !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    });
                if !valid_group {
                    self.document
                        .error_at("invalid-entry-point", Span::new(group.span()), format!("`{group_name}` is not a valid entry point group name"))
                        .with_help_text("a group name is made of letters, digits, `_` and `-`, in parts separated by dots, such as `myapp.plugins`");
                }
                groups.insert(group_name.to_owned(), self.entry_point_table(entries, &path));
            }
        }
        for (key, group) in [("scripts", "console_scripts"), ("gui-scripts", "gui_scripts")] {
            let path = format!("project.{key}");
            if let Some((table, _)) = self.document.table(self.project, key, &path) {
                let entries = self.entry_point_table(table, &path);
                groups.insert(group.to_owned(), entries);
            }
        }
        groups
    }

    fn entry_point_table(&mut self, table: &DeTable<'_>, path: &str) -> BTreeMap<String, String> {
        let mut entries = BTreeMap::new();
        for (name_key, value) in table.iter() {
            let name = name_key.get_ref().as_ref();
            let DeValue::String(reference) = value.get_ref() else {
                self.document.wrong_type(
                    &format!("{path}.{name}"),
                    value,
                    "a string such as `package.module:function`",
                );
                continue;
            };
            // The entry points specification: a name is any text without `=`
            // that neither starts with `[` nor starts or ends with whitespace.
            if name.is_empty() || name.contains('=') || name.starts_with('[') || name.trim() != name {
                self.document
                    .error_at(
                        "invalid-entry-point",
                        Span::new(name_key.span()),
                        format!("`{name}` is not a valid entry point name"),
                    )
                    .with_help_text(
                        "an entry point name must not contain `=`, start with `[`, or start or end with spaces",
                    );
            }
            // `module:object [extra1, extra2]`: allowed by the specification
            // but deprecated; flit's CLI wrongly rejects it. A warning, and
            // the object reference before it is checked.
            let object_reference = match split_extras(reference) {
                Some((object_reference, extras)) => {
                    let span = span_of(value);
                    self.document
                        .warning_at("entry-point-extras", span, format!("entry point `{name}` names extras (`[{extras}]`), which the entry points specification deprecates"))
                        .with_help_text("installers ignore these extras; drop the `[...]` part and declare the dependencies in [project] instead");
                    object_reference
                }
                None => reference.as_ref(),
            };
            if let Err(problem) = validate::check_entry_point(object_reference) {
                let span = self.document.inner_span(span_of(value), reference, problem.span.clone());
                self.cli_problem(
                    "invalid-entry-point",
                    span,
                    format!("invalid entry point `{name} = \"{reference}\"`"),
                    problem.kind.hint(),
                );
            }
            entries.insert(name.to_owned(), reference.to_string());
        }
        entries
    }

    fn dependencies(&mut self) -> Vec<String> {
        self.document
            .string_array(self.project, "dependencies", "project.dependencies")
            .map(|items| items.iter().map(|item| item.get_ref().to_string()).collect())
            .unwrap_or_default()
    }

    fn optional_dependencies(&mut self) -> BTreeMap<String, Vec<String>> {
        let mut extras = BTreeMap::new();
        let Some((table, _)) =
            self.document.table(self.project, "optional-dependencies", "project.optional-dependencies")
        else {
            return extras;
        };
        let mut spellings: BTreeMap<String, Vec<(String, Span)>> = BTreeMap::new();
        for (extra, value) in table.iter() {
            let extra_name = extra.get_ref().as_ref();
            let path = format!("project.optional-dependencies.{extra_name}");
            let DeValue::Array(items) = value.get_ref() else {
                self.document.wrong_type(&path, value, "an array of requirement strings");
                continue;
            };
            let requirements = self.document.strings_in(items, &path);
            if !names::is_valid_project_name(extra_name) {
                self.document
                    .error_at("invalid-extra-name", Span::new(extra.span()), format!("`{extra_name}` is not a valid extra name"))
                    .with_help_text("an extra name has ASCII letters, digits, `.`, `_` and `-`, and starts and ends with a letter or digit");
                continue;
            }
            let normalised = names::normalise_name(extra_name);
            spellings.entry(normalised.clone()).or_default().push((extra_name.to_owned(), Span::new(extra.span())));
            extras.insert(normalised, requirements.iter().map(|item| item.get_ref().to_string()).collect());
        }
        for (normalised, written) in spellings {
            if written.len() > 1 {
                let listed: Vec<String> = written.iter().map(|(name, _)| format!("`{name}`")).collect();
                self.document
                    .error_at(
                        "extra-name-clash",
                        written[1].1,
                        format!("extras {} all normalise to `{normalised}`", listed.join(", ")),
                    )
                    .with_help_text("extra names are compared after normalisation (PEP 685); keep one of them");
            }
        }
        extras
    }

    fn import_name_list(&mut self, key: &str) -> Option<Vec<String>> {
        let path = format!("project.{key}");
        let items = self.document.string_array(self.project, key, &path)?;
        let mut normalised = Vec::new();
        let mut all_valid = true;
        for item in items {
            match names::normalise_import_name(item.get_ref()) {
                Ok(name) => normalised.push(name),
                Err(error) => {
                    all_valid = false;
                    self.document.error_at("invalid-import-name", span_of(&item), error.to_string()).with_help_text(
                        "an import name is a dotted Python identifier, optionally followed by `; private`",
                    );
                }
            }
        }
        // A list with an invalid name is not compared with the module: that
        // would report the same mistake twice.
        all_valid.then_some(normalised)
    }

    fn dynamic(&mut self) -> Dynamic {
        let mut dynamic = Dynamic::default();
        let Some(items) = self.document.string_array(self.project, "dynamic", "project.dynamic") else {
            return dynamic;
        };
        for item in &items {
            match *item.get_ref() {
                "version" => dynamic.version = true,
                "description" => dynamic.description = true,
                "import-names" | "import-namespaces" => {}
                other => {
                    self.document
                        .error_at(
                            "invalid-dynamic",
                            span_of(item),
                            format!("flit cannot compute `{other}` dynamically"),
                        )
                        .with_help_text(format!(
                            "flit only supports dynamic metadata for: {}; give `{other}` in [project]",
                            DYNAMIC_FIELDS.join(", ")
                        ));
                }
            }
        }
        dynamic
    }

    fn check_dynamic_conflicts(&mut self, dynamic: &Dynamic) {
        if let Some(DeValue::Array(items)) = self.project.get("dynamic").map(Spanned::get_ref) {
            let listed: BTreeSet<&str> = items.iter().filter_map(|item| item.get_ref().as_str()).collect();
            for field in DYNAMIC_FIELDS {
                if listed.contains(field)
                    && let Some(span) = key_span(self.project, field)
                {
                    self.document
                        .error_at(
                            "conflicting-fields",
                            span,
                            format!("`project.{field}` is listed in `project.dynamic` and also given"),
                        )
                        .with_help_text(format!("either remove `{field}` from `dynamic` or remove the `{field}` key"));
                }
            }
        }
        if !dynamic.version && !self.project.contains_key("version") {
            self.missing(
                "version",
                "add `version = \"0.1\"`, or `dynamic = [\"version\"]` to read `__version__` from the module",
            );
        }
        if !dynamic.description && !self.project.contains_key("description") {
            self.missing(
                "description",
                "add `description = \"...\"`, or `dynamic = [\"description\"]` to use the module docstring",
            );
        }
    }

    /// The `flit` CLI validates each generated `Requires-Dist` string.
    fn check_requirements(&mut self, dependencies: &[String], optional_dependencies: &BTreeMap<String, Vec<String>>) {
        let mut spans: Vec<Span> = Vec::new();
        if let Some(items) = self.project.get("dependencies").and_then(|v| match v.get_ref() {
            DeValue::Array(items) => Some(items),
            _ => None,
        }) {
            spans.extend(items.iter().filter(|item| item.get_ref().is_str()).map(span_of));
        }
        if let Some(DeValue::Table(extras)) = self.project.get("optional-dependencies").map(Spanned::get_ref) {
            // Config::requires_dist lists extras in sorted normalised order.
            let mut by_name: Vec<(String, Vec<Span>)> = Vec::new();
            for (extra, value) in extras.iter() {
                if let DeValue::Array(items) = value.get_ref()
                    && names::is_valid_project_name(extra.get_ref())
                {
                    let item_spans = items.iter().filter(|item| item.get_ref().is_str()).map(span_of).collect();
                    by_name.push((names::normalise_name(extra.get_ref()), item_spans));
                }
            }
            by_name.sort_by(|a, b| a.0.cmp(&b.0));
            by_name.dedup_by(|a, b| a.0 == b.0);
            for (_, item_spans) in by_name {
                spans.extend(item_spans);
            }
        }
        let raw: Vec<&str> =
            dependencies.iter().chain(optional_dependencies.values().flatten()).map(String::as_str).collect();
        let requires_dist = super::requires_dist(dependencies, optional_dependencies);
        for ((requirement, span), raw) in requires_dist.iter().zip(spans).zip(raw) {
            // What installers accept (PEP 508), then flit's own stricter rule
            // on the generated Requires-Dist string.
            if let Err(error) = pep508::parse_requirement(raw) {
                let span = self.document.inner_span(span, raw, Some(error.span.clone()));
                self.cli_problem(
                    "invalid-requirement",
                    span,
                    format!("invalid requirement `{raw}`: {}", error.message),
                    "write a PEP 508 requirement such as `requests >=2.31` or `tomli; python_version < \"3.11\"`",
                );
                continue;
            }
            for problem in validate::check_requirement(requirement) {
                let inner = problem.span.clone().filter(|range| range.end <= raw.len());
                let span = self.document.inner_span(span, raw, inner);
                self.cli_problem("invalid-requirement", span, problem.message.clone(), problem.kind.hint());
            }
        }
    }

    /// PEP 794: explicit import names must match the module that is found.
    fn check_import_names(&mut self, config: &Config) {
        if let Some(names_given) = &config.import_names {
            let bare: Vec<&str> = names_given.iter().map(|name| names::import_name_without_annotation(name)).collect();
            if bare != [config.module.as_str()]
                && let Some(value) = self.project.get("import-names")
            {
                self.document
                    .error_at(
                        "import-names-mismatch",
                        span_of(value),
                        format!("`project.import-names` lists {bare:?}, but the module is `{}`", config.module),
                    )
                    .with_help_text(format!(
                        "flit builds one module; set `import-names = [\"{}\"]` or remove the key",
                        config.module
                    ));
            }
        }
        if let Some(namespaces) = &config.import_namespaces {
            let given: BTreeSet<&str> =
                namespaces.iter().map(|name| names::import_name_without_annotation(name)).collect();
            let expected_list = super::namespace_parents(&config.module);
            let expected: BTreeSet<&str> = expected_list.iter().map(String::as_str).collect();
            if given != expected
                && let Some(value) = self.project.get("import-namespaces")
            {
                self.document
                    .error_at("import-namespaces-mismatch", span_of(value), format!("`project.import-namespaces` lists {given:?}, but the namespace packages of `{}` are {expected:?}", config.module))
                    .with_help_text("list the parent packages of a dotted module name, or remove the key");
            }
        }
    }
}

/// Splits `module:object [extra1, extra2]` into the reference and the
/// extras' text, when the value ends with a bracketed list.
fn split_extras(reference: &str) -> Option<(&str, &str)> {
    let trimmed = reference.trim_end();
    let inner = trimmed.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    Some((inner[..open].trim_end(), inner[open + 1..].trim()))
}
