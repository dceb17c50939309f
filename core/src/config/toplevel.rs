//! The document around `[project]`: which top-level tables may exist,
//! `[build-system]` (PEP 518/517) and `[dependency-groups]` (PEP 735).
//!
//! flit ignores all of this; validate-pyproject and the front ends that
//! will build the sdist do not. A mistake here means `pip install` of the
//! sdist fails, so they are errors, except where the file is merely unusual
//! (warnings).

use std::collections::{BTreeMap, BTreeSet};

use toml::de::{DeTable, DeValue};

use super::document::{Document, closest, span_of, span_of_key};
use crate::diagnostic::Span;
use crate::names;
use crate::pep508::parse_requirement;

/// The tables the pyproject.toml specification defines.
const TOP_LEVEL: &[&str] = &["build-system", "project", "tool", "dependency-groups"];

/// The backend flit projects declare.
const FLIT_BACKEND: &str = "flit_core.buildapi";

/// Checks everything outside `[project]` and `[tool]`.
pub(super) fn check<'text>(document: &mut Document<'text>, root: &DeTable<'text>) {
    for (key, _) in root.iter() {
        let name = key.get_ref().as_ref();
        if TOP_LEVEL.contains(&name) {
            continue;
        }
        let handle =
            document.error_at("unknown-table", span_of_key(key), format!("unknown top-level table or key `{name}`"));
        match closest(name, TOP_LEVEL) {
            Some(suggestion) => handle.with_help_text(format!("did you mean `{suggestion}`?")),
            None => handle.with_help_text(
                "pyproject.toml may hold [build-system], [project], [dependency-groups] and [tool.<name>] tables; put your own settings under [tool.<your tool>]",
            ),
        }
    }
    build_system(document, root);
    dependency_groups(document, root);
}

fn build_system<'text>(document: &mut Document<'text>, root: &DeTable<'text>) {
    if !root.contains_key("build-system") {
        if root.contains_key("project") {
            document.diagnostics.push(
                crate::diagnostic::Diagnostic::warning(
                    "missing-build-system",
                    document.file.clone(),
                    "there is no [build-system] table, so pip would build this project with setuptools, not flit",
                )
                .with_help("add [build-system] with requires = [\"flit_core >=3.11,<5\"] and build-backend = \"flit_core.buildapi\""),
            );
        }
        return;
    }
    let Some((table, header)) = document.table(root, "build-system", "build-system") else { return };
    document.unknown_keys(table, &["requires", "build-backend", "backend-path"], "build-system");
    let requires = document.string_array(table, "requires", "build-system.requires");
    if !table.contains_key("requires") {
        document
            .error_at("missing-field", header, "`build-system.requires` is required")
            .with_help_text("add requires = [\"flit_core >=3.11,<5\"]");
    }
    let mut requires_flit_core = false;
    for requirement in requires.iter().flatten() {
        match parse_requirement(requirement.get_ref()) {
            Ok(parsed) => requires_flit_core |= names::normalise_name(&parsed.name) == "flit-core",
            Err(error) => {
                // One problem is enough: a broken `flit_core ...` still
                // names the back end's package.
                let leading_name: String = requirement
                    .get_ref()
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                requires_flit_core |= names::normalise_name(&leading_name) == "flit-core";
                let span = document.inner_span(span_of(requirement), requirement.get_ref(), Some(error.span.clone()));
                document
                    .error_at(
                        "invalid-requirement",
                        span,
                        format!("invalid requirement `{}`: {}", requirement.get_ref(), error.message),
                    )
                    .with_help_text("write a PEP 508 requirement such as `flit_core >=3.11,<5`");
            }
        }
    }
    if let Some(backend) = document.string(table, "build-backend", "build-system.build-backend") {
        let reference = *backend.get_ref();
        let valid = match reference.split_once(':') {
            Some((module, object)) => names::is_dotted_identifier(module) && names::is_dotted_identifier(object),
            None => names::is_dotted_identifier(reference),
        };
        if !valid {
            document
                .error_at(
                    "invalid-build-backend",
                    span_of(&backend),
                    format!("`{reference}` is not a Python object reference"),
                )
                .with_help_text("write a dotted module path, optionally `:object`, such as `flit_core.buildapi`");
        } else if reference == "flit.buildapi" {
            document
                .warning_at("deprecated-build-backend", span_of(&backend), "`flit.buildapi` is deprecated")
                .with_help_text("use build-backend = \"flit_core.buildapi\" and require flit_core");
        } else if reference != FLIT_BACKEND {
            document
                .warning_at(
                    "build-backend",
                    span_of(&backend),
                    format!("this project's build back end is `{reference}`, not flit"),
                )
                .with_help_text(
                    "pip and other front ends will build it with that back end; flit-rs builds what flit would",
                );
        } else if requires.is_some() && !requires_flit_core {
            let span = table.get("requires").map(span_of).unwrap_or(header);
            document
                .error_at(
                    "build-system-requires",
                    span,
                    "`build-system.requires` does not list flit_core, the back end's package",
                )
                .with_help_text("add \"flit_core >=3.11,<5\" to requires, or pip cannot build the sdist");
        }
    }
    let _ = document.string_array(table, "backend-path", "build-system.backend-path");
}

/// PEP 735: named lists of requirements and `{include-group = "..."}`.
fn dependency_groups<'text>(document: &mut Document<'text>, root: &DeTable<'text>) {
    let Some((groups, _)) = document.table(root, "dependency-groups", "dependency-groups") else { return };
    let mut normalised: BTreeMap<String, (String, Span)> = BTreeMap::new();
    let mut includes: Vec<(String, String, Span)> = Vec::new();
    for (key, value) in groups.iter() {
        let name = key.get_ref().as_ref();
        let path = format!("dependency-groups.{name}");
        if !names::is_valid_project_name(name) {
            document
                .error_at("invalid-group-name", span_of_key(key), format!("`{name}` is not a valid dependency group name"))
                .with_help_text("a group name has ASCII letters, digits, `.`, `_` and `-`, and starts and ends with a letter or digit");
            continue;
        }
        let key_name = names::normalise_name(name);
        if let Some((first, _)) = normalised.get(&key_name) {
            document
                .error_at(
                    "group-name-clash",
                    span_of_key(key),
                    format!("dependency groups `{first}` and `{name}` both normalise to `{key_name}`"),
                )
                .with_help_text("group names are compared after normalisation (PEP 735); keep one of them");
            continue;
        }
        normalised.insert(key_name.clone(), (name.to_owned(), span_of_key(key)));
        let DeValue::Array(items) = value.get_ref() else {
            document.wrong_type(&path, value, "an array of requirements and include tables");
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(requirement) => {
                    if let Err(error) = parse_requirement(requirement) {
                        let span = document.inner_span(span_of(item), requirement, Some(error.span.clone()));
                        document
                            .error_at(
                                "invalid-requirement",
                                span,
                                format!("invalid requirement `{requirement}`: {}", error.message),
                            )
                            .with_help_text("write a PEP 508 requirement such as `pytest >=8`");
                    }
                }
                DeValue::Table(include) => {
                    document.unknown_keys(include, &["include-group"], &format!("{path}[{index}]"));
                    if let Some(target) =
                        document.string(include, "include-group", &format!("{path}[{index}].include-group"))
                    {
                        includes.push((key_name.clone(), target.get_ref().to_string(), span_of(&target)));
                    }
                }
                _ => document.wrong_type(
                    &format!("{path}[{index}]"),
                    item,
                    "a requirement string or {include-group = \"...\"}",
                ),
            }
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (group, target, span) in includes {
        let target_name = names::normalise_name(&target);
        if !normalised.contains_key(&target_name) {
            document
                .error_at("unknown-group", span, format!("`{target}` is not a dependency group of this file"))
                .with_help_text("include-group must name another group in [dependency-groups]");
            continue;
        }
        if target_name == group || reaches(&edges, &target_name, &group) {
            document
                .error_at(
                    "group-cycle",
                    span,
                    format!("including `{target}` makes the dependency groups include themselves"),
                )
                .with_help_text("remove one of the include-group entries that form the cycle");
            continue;
        }
        edges.entry(group).or_default().insert(target_name);
    }
}

/// Whether `to` is reachable from `from` through include edges.
fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut pending = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(group) = pending.pop() {
        if group == to {
            return true;
        }
        if seen.insert(group.clone())
            && let Some(next) = edges.get(&group)
        {
            pending.extend(next.iter().cloned());
        }
    }
    false
}
