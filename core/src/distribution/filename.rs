//! Distribution file names: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`
//! (binary distribution format) and `{name}-{version}.tar.gz` (source
//! distribution format, PEP 625), parsed as `packaging.utils` 26.3 parses
//! them, plus whether they are in the normal form the specifications ask
//! builders to write.

use crate::names::{is_identifier, wheel_name_part};
use crate::version::normalise_version;

/// The parts of a wheel's file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WheelName {
    /// The name part as written (`foo_bar`).
    pub name: String,
    /// The version part as written.
    pub version: String,
    /// Its PEP 440 normal form.
    pub normalised_version: String,
    /// The optional build tag.
    pub build: Option<String>,
    /// Python tags (`py2.py3` gives two).
    pub python: Vec<String>,
    /// ABI tags.
    pub abi: Vec<String>,
    /// Platform tags.
    pub platform: Vec<String>,
}

impl WheelName {
    /// Every `python-abi-platform` tag the name stands for.
    pub fn expanded_tags(&self) -> Vec<String> {
        let mut tags = Vec::new();
        for python in &self.python {
            for abi in &self.abi {
                for platform in &self.platform {
                    tags.push(format!("{python}-{abi}-{platform}"));
                }
            }
        }
        tags
    }

    /// What is not in normal form (lower-case name with `_`, normalised
    /// version), if anything.
    pub fn not_normalised(&self) -> Option<String> {
        not_normalised(&self.name, &self.version, &self.normalised_version)
    }
}

fn not_normalised(name: &str, version: &str, normalised_version: &str) -> Option<String> {
    let mut parts = Vec::new();
    let name_form = wheel_name_part(name);
    if name_form != name {
        parts.push(format!("the name should be `{name_form}`, not `{name}`"));
    }
    if normalised_version != version {
        parts.push(format!("the version should be `{normalised_version}`, not `{version}`"));
    }
    if parts.is_empty() { None } else { Some(parts.join(" and ")) }
}

/// Parses a wheel file name (with `.whl`). The error says what is wrong.
pub(crate) fn parse_wheel_name(file_name: &str) -> Result<WheelName, String> {
    let Some(stem) = file_name.strip_suffix(".whl") else {
        return Err("a wheel's file name must end with `.whl`".to_owned());
    };
    let dashes = stem.matches('-').count();
    if dashes != 4 && dashes != 5 {
        return Err(format!(
            "it has {} `-`-separated parts; a wheel's file name has five (`name-version-python-abi-platform.whl`) or six (with a build tag)",
            dashes + 1
        ));
    }
    let parts: Vec<&str> = stem.split('-').collect();
    let (name, version) = (parts.first().copied().unwrap_or_default(), parts.get(1).copied().unwrap_or_default());
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') || name.contains("__") {
        return Err(format!("`{name}` is not a valid name part (letters, digits, single `_` and `.`)"));
    }
    let normalised_version = normalise_version(version).map_err(|_| format!("`{version}` is not a valid version"))?;
    let build = if dashes == 5 {
        let build = parts.get(2).copied().unwrap_or_default();
        if !build.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!("the build tag `{build}` must start with a digit"));
        }
        Some(build.to_owned())
    } else {
        None
    };
    let tag = |index: usize, what: &str| -> Result<Vec<String>, String> {
        let text = parts.get(parts.len().saturating_sub(3) + index).copied().unwrap_or_default();
        let components: Vec<String> = text.split('.').map(str::to_owned).collect();
        if components.iter().any(String::is_empty) {
            return Err(format!("the {what} tag `{text}` has an empty part"));
        }
        Ok(components)
    };
    let python = tag(0, "Python")?;
    if let Some(bad) = python.iter().find(|component| !is_identifier(component)) {
        return Err(format!("the Python tag `{bad}` is not an identifier"));
    }
    let abi = tag(1, "ABI")?;
    let platform = tag(2, "platform")?;
    Ok(WheelName {
        name: name.to_owned(),
        version: version.to_owned(),
        normalised_version,
        build,
        python,
        abi,
        platform,
    })
}

/// The parts of an sdist's file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SdistName {
    /// The name part as written.
    pub name: String,
    /// The version part as written.
    pub version: String,
    /// Its PEP 440 normal form.
    pub normalised_version: String,
    /// The file name without its extension: the name the top-level
    /// directory must have.
    pub stem: String,
}

impl SdistName {
    /// What is not in PEP 625 normal form, if anything.
    pub fn not_normalised(&self) -> Option<String> {
        not_normalised(&self.name, &self.version, &self.normalised_version)
    }
}

/// Which archive format an sdist uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SdistFormat {
    /// `.tar.gz`, the standard one.
    TarGz,
    /// `.zip`, the legacy one.
    Zip,
}

/// Parses an sdist file name (with `.tar.gz` or `.zip`).
pub(crate) fn parse_sdist_name(file_name: &str) -> Result<(SdistName, SdistFormat), String> {
    let (stem, format) = if let Some(stem) = file_name.strip_suffix(".tar.gz") {
        (stem, SdistFormat::TarGz)
    } else if let Some(stem) = file_name.strip_suffix(".zip") {
        (stem, SdistFormat::Zip)
    } else {
        return Err("an sdist's file name must end with `.tar.gz` (or `.zip`)".to_owned());
    };
    // A valid version has no `-`, so the last `-` separates the two.
    let Some((name, version)) = stem.rsplit_once('-') else {
        return Err("it has no `-` between the name and the version (`name-version.tar.gz`)".to_owned());
    };
    if name.is_empty() {
        return Err("the name part is empty".to_owned());
    }
    let normalised_version = normalise_version(version).map_err(|_| format!("`{version}` is not a valid version"))?;
    Ok((
        SdistName { name: name.to_owned(), version: version.to_owned(), normalised_version, stem: stem.to_owned() },
        format,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wheel_names() {
        let name = parse_wheel_name("foo_bar-1.0-1abc-py2.py3-none-any.whl").unwrap();
        assert_eq!(name.build.as_deref(), Some("1abc"));
        assert_eq!(name.expanded_tags(), ["py2-none-any", "py3-none-any"]);
        assert_eq!(name.not_normalised(), None);
        assert!(parse_wheel_name("Foo.Bar-1.0-py3-none-any.whl").unwrap().not_normalised().is_some());
        assert!(parse_wheel_name("foo-1.00-py3-none-any.whl").unwrap().not_normalised().is_some());
        for bad in [
            "foo-1.0-py3-none.whl",
            "foo-1.0-x-y-py3-none-any.whl",
            "foo-bar-1.0-a-py3-none-any.whl",
            "foo-1.0-abc-py3-none-any.whl",
            "foo-1.x-py3-none-any.whl",
            "foo__bar-1.0-py3-none-any.whl",
            "-1.0-py3-none-any.whl",
            "foo-1.0-py3.-none-any.whl",
            "foo-1.0-3py-none-any.whl",
            "foo-1.0-py3-none-any.zip",
        ] {
            assert!(parse_wheel_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sdist_names() {
        let (name, format) = parse_sdist_name("foo_bar-1.0.tar.gz").unwrap();
        assert_eq!((name.name.as_str(), name.stem.as_str(), format), ("foo_bar", "foo_bar-1.0", SdistFormat::TarGz));
        assert!(name.not_normalised().is_none());
        let (name, format) = parse_sdist_name("Foo-Bar-1.0.zip").unwrap();
        assert_eq!((name.name.as_str(), format), ("Foo-Bar", SdistFormat::Zip));
        assert!(name.not_normalised().is_some());
        for bad in ["foo.tar.gz", "-1.0.tar.gz", "foo-x.tar.gz", "foo-1.0.tar.bz2"] {
            assert!(parse_sdist_name(bad).is_err(), "{bad}");
        }
    }
}
