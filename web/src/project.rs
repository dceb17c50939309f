//! The browser's project and the plain data that crosses into JavaScript.
//!
//! Everything here is ordinary Rust with no JavaScript types, so it is unit
//! tested natively; `lib.rs` only converts at the edge. Every failure is a
//! [`Diagnostics`], the same type the command line prints, and crosses as
//! the core's [`DiagnosticRecord`], the flat form `flit check --format json`
//! writes: the page shows the codes and messages of `flit check`, and a
//! field the core adds to the record reaches JavaScript unchanged.

use std::collections::BTreeMap;
use std::io::Cursor;

use flit_core::build::{ArchiveSink, Formats, build, plan_archives};
use flit_core::check::check_project;
use flit_core::config::validate_text;
use flit_core::diagnostic::{Diagnostic, DiagnosticRecord, Diagnostics};
use flit_core::options::BuildOptions;
use flit_core::parallel::Sequential;
use flit_core::path::RelPath;
use flit_core::tree::MemoryTree;
use serde::{Deserialize, Serialize};

/// The configuration file used when the options name none.
pub const DEFAULT_CONFIG_FILE: &str = "pyproject.toml";

/// What JavaScript may pass to `validate`, `check`, `metadata` and the
/// builds: the environment of a command-line run, as values. Every field is
/// optional; unknown fields are ignored, so callers written for a later
/// version keep working.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Options {
    /// `SOURCE_DATE_EPOCH`: the timestamp of every archive member. Unset:
    /// 2016-01-01, as the command line does (reproducible by default).
    /// A whole number of seconds, given as a number, a `BigInt` or a string
    /// of digits (as the environment variable would hold it).
    #[serde(deserialize_with = "epoch")]
    pub source_date_epoch: Option<u64>,
    /// `FLIT_ALLOW_INVALID`: the problems flit lets through become warnings.
    pub allow_invalid: bool,
    /// The configuration file, relative to the project root (flit's `-f`).
    pub config_file: Option<String>,
}

impl Options {
    /// The core's options.
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            source_date_epoch: self.source_date_epoch,
            allow_invalid: self.allow_invalid,
            ..BuildOptions::default()
        }
    }

    /// The configuration file as a project path.
    pub fn config_file(&self) -> Result<RelPath, Diagnostics> {
        let name = self.config_file.as_deref().unwrap_or(DEFAULT_CONFIG_FILE);
        project_path(name, "configFile")
    }
}

/// Reads `sourceDateEpoch`, refusing anything but a whole number of seconds
/// with a message that names the option.
fn epoch<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    struct Epoch;
    const WHAT: &str = "`sourceDateEpoch` must be a whole number of seconds since 1970";
    impl<'de> serde::de::Visitor<'de> for Epoch {
        type Value = Option<u64>;
        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("a whole number of seconds since 1970")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(Epoch)
        }
        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }
        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
            u64::try_from(value).map(Some).map_err(|_| E::custom(format!("{WHAT}, not {value}")))
        }
        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
            // Whole, non-negative and exactly representable (below 2^53).
            if value.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&value) {
                Ok(Some(value as u64))
            } else {
                Err(E::custom(format!("{WHAT}, not {value}")))
            }
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            let digits = value.trim();
            if digits.is_empty() {
                return Ok(None);
            }
            match digits.parse::<u64>() {
                Ok(seconds) if digits.bytes().all(|byte| byte.is_ascii_digit()) => Ok(Some(seconds)),
                _ => Err(E::custom(format!("{WHAT}, not `{value}`"))),
            }
        }
    }
    deserializer.deserialize_any(Epoch)
}

/// The members of one archive, before it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveListing {
    /// The archive's file name.
    pub filename: String,
    /// Member names inside the archive, in archive order.
    pub files: Vec<String>,
}

/// What `project.metadata()` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetadataDto {
    /// The distribution name, as written in the configuration.
    pub name: String,
    /// The version, normalised.
    pub version: String,
    /// The one-line summary, if any.
    pub summary: Option<String>,
    /// The text of `METADATA` (the sdist's `PKG-INFO` is the same text).
    pub metadata: String,
    /// The wheel's file name and members.
    pub wheel: ArchiveListing,
    /// The sdist's file name and members.
    pub sdist: ArchiveListing,
    /// Warnings found on the way.
    pub warnings: Vec<DiagnosticRecord>,
}

/// One built archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveDto {
    /// The archive's file name.
    pub filename: String,
    /// Its bytes (a `Uint8Array` in JavaScript).
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
    /// Warnings found while building.
    pub warnings: Vec<DiagnosticRecord>,
}

/// Both archives of one build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuiltDto {
    /// The wheel, built from the sdist's file set.
    pub wheel: ArchiveDto,
    /// The sdist.
    pub sdist: ArchiveDto,
    /// Warnings found while building.
    pub warnings: Vec<DiagnosticRecord>,
}

/// Checks the text of a `pyproject.toml` on its own: every problem visible
/// in the text; files it names are not looked up.
pub fn validate(text: &str, options: &Options) -> Diagnostics {
    validate_text(DEFAULT_CONFIG_FILE, text, &options.build_options())
}

/// A project assembled file by file (from a folder picker, a drop, or Node's
/// file system), held in memory.
#[derive(Debug, Clone, Default)]
pub struct Session {
    tree: MemoryTree,
}

impl Session {
    /// An empty project.
    pub fn new() -> Self {
        Session::default()
    }

    /// Adds (or replaces) a regular file at a project-relative path.
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>, executable: bool) -> Result<(), Diagnostics> {
        let path = project_path(path, path)?;
        self.tree.add_file(&path, bytes, executable);
        Ok(())
    }

    /// Adds a symbolic link with its raw target (Node can see links; the
    /// browser's file APIs cannot). A target outside the project is only an
    /// error if a build would follow it, as natively.
    pub fn add_symlink(&mut self, path: &str, target: &str) -> Result<(), Diagnostics> {
        let path = project_path(path, path)?;
        self.tree.add_symlink(&path, target);
        Ok(())
    }

    /// Adds an empty directory.
    pub fn add_directory(&mut self, path: &str) -> Result<(), Diagnostics> {
        let path = project_path(path, path)?;
        self.tree.add_dir(&path);
        Ok(())
    }

    /// Number of entries added, directories included.
    pub fn len(&self) -> usize {
        self.tree.len()
    }

    /// True until something is added.
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// Every problem a build of both archives would report, warnings
    /// included: the same list the command line prints. Empty when the
    /// project builds cleanly.
    pub fn check(&self, options: &Options) -> Diagnostics {
        match options.config_file() {
            Ok(config_file) => check_project(&self.tree, &config_file, &options.build_options(), None),
            Err(problems) => problems,
        }
    }

    /// The metadata and the members of both archives, without writing them.
    pub fn metadata(&self, options: &Options) -> Result<MetadataDto, Diagnostics> {
        let config_file = options.config_file()?;
        let plan = plan_archives(&self.tree, &config_file, &options.build_options(), None)?;
        let metadata = &plan.project.metadata;
        let dist_name = metadata.dist_name();
        let mut sdist_files: Vec<String> =
            plan.sdist_files.iter().map(|file| format!("{dist_name}/{}", file.as_str())).collect();
        sdist_files.push(format!("{dist_name}/PKG-INFO"));
        let mut wheel_files: Vec<String> = plan.wheel.members.iter().map(|member| member.name.clone()).collect();
        wheel_files.push(format!("{}/RECORD", plan.wheel.dist_info));
        Ok(MetadataDto {
            name: metadata.name.clone(),
            version: metadata.version.clone(),
            summary: metadata.summary.clone(),
            metadata: metadata.to_text(),
            wheel: ArchiveListing { filename: plan.wheel.file_name.clone(), files: wheel_files },
            sdist: ArchiveListing { filename: plan.sdist_name.clone(), files: sdist_files },
            warnings: plan.warnings.records(),
        })
    }

    /// Builds both archives exactly as `flit build` does: the sdist, then
    /// the wheel from the sdist's file set. The bytes are those of the
    /// native build of the same files with the same options.
    pub fn build(&self, options: &Options) -> Result<Built, Diagnostics> {
        let config_file = options.config_file()?;
        let mut sink = MemorySink::default();
        let output =
            build(&self.tree, &config_file, Formats::BOTH, &options.build_options(), None, &mut sink, &Sequential)?;
        let mut take = |name: Option<String>, kind: &str| -> Result<(String, Vec<u8>), Diagnostics> {
            name.and_then(|name| sink.finished.remove(&name).map(|bytes| (name, bytes))).ok_or_else(|| {
                let problem = Diagnostic::error(
                    "internal-error",
                    config_file.as_str(),
                    format!("the build finished without writing the {kind}"),
                )
                .with_help("this is a bug in flit-web; please report it with the project that shows it");
                Diagnostics(vec![problem])
            })
        };
        let wheel = take(output.wheel, "wheel")?;
        let sdist = take(output.sdist, "sdist")?;
        Ok(Built { wheel, sdist, warnings: output.warnings })
    }
}

/// The result of [`Session::build`]: `(file name, bytes)` of each archive.
#[derive(Debug, Clone)]
pub struct Built {
    /// The wheel.
    pub wheel: (String, Vec<u8>),
    /// The sdist.
    pub sdist: (String, Vec<u8>),
    /// Warnings found while building.
    pub warnings: Diagnostics,
}

impl Built {
    /// Both archives for JavaScript.
    pub fn into_dto(self) -> BuiltDto {
        let warnings = self.warnings.records();
        let archive = |(filename, bytes): (String, Vec<u8>)| ArchiveDto { filename, bytes, warnings: warnings.clone() };
        BuiltDto { wheel: archive(self.wheel), sdist: archive(self.sdist), warnings: warnings.clone() }
    }
}

/// Archives written into memory; the host hands them out only once the
/// whole build has succeeded.
#[derive(Debug, Default)]
struct MemorySink {
    finished: BTreeMap<String, Vec<u8>>,
}

impl ArchiveSink for MemorySink {
    type Writer = Cursor<Vec<u8>>;

    fn create(&mut self, _file_name: &str) -> std::io::Result<Self::Writer> {
        Ok(Cursor::new(Vec::new()))
    }

    fn finish(&mut self, file_name: &str, writer: Self::Writer) -> std::io::Result<()> {
        self.finished.insert(file_name.to_owned(), writer.into_inner());
        Ok(())
    }
}

/// A project-relative path from JavaScript; absolute paths, paths climbing
/// out of the project and the root itself are errors about `subject`.
fn project_path(path: &str, subject: &str) -> Result<RelPath, Diagnostics> {
    let problem = match RelPath::new(path) {
        Ok(path) if !path.is_root() => return Ok(path),
        Ok(_) => format!("`{path}` names the project folder itself, not a file in it"),
        Err(error) => error.to_string(),
    };
    Err(Diagnostics(vec![
        Diagnostic::error("invalid-path", subject, problem)
            .with_help("give paths relative to the project folder, with `/` between names (`pkg/__init__.py`)"),
    ]))
}

/// An argument JavaScript passed that cannot be used (a wrong type, a
/// negative epoch), as a diagnostic like any other.
pub fn invalid_argument(argument: &str, message: impl std::fmt::Display) -> Diagnostics {
    let message = message.to_string();
    // A JavaScript error's text starts with its class name.
    let message = message.strip_prefix("Error: ").unwrap_or(&message);
    Diagnostics(vec![
        Diagnostic::error("invalid-argument", argument, format!("invalid `{argument}`: {message}"))
            .with_help("see the API in the flit-web README or flit_web.d.ts"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPOCH: u64 = 1_700_000_000;

    fn example() -> Session {
        let mut session = Session::new();
        session
            .add_file(
                "pyproject.toml",
                b"[build-system]\nrequires = [\"flit_core >=3.11,<5\"]\nbuild-backend = \"flit_core.buildapi\"\n\n\
                  [project]\nname = \"tiny\"\nrequires-python = \">=3.9\"\ndynamic = [\"version\", \"description\"]\n"
                    .to_vec(),
                false,
            )
            .unwrap();
        session
            .add_file("tiny/__init__.py", b"\"\"\"A tiny package.\"\"\"\n__version__ = \"1.0\"\n".to_vec(), false)
            .unwrap();
        session.add_file("tiny/run.sh", b"#!/bin/sh\n".to_vec(), true).unwrap();
        session
    }

    #[test]
    fn validate_reports_codes_and_places() {
        let text = "[project]\nname = \"bad name\"\nversion = \"1.0\"\ndescription = \"x\"\n";
        let found = validate(text, &Options::default()).records();
        let first = found.iter().find(|problem| problem.code == "invalid-name").unwrap();
        assert_eq!((first.line, first.column), (Some(2), Some(8)));
        assert_eq!(first.file, "pyproject.toml");
    }

    #[test]
    fn bad_paths_are_diagnostics() {
        let mut session = Session::new();
        for path in ["/etc/passwd", "../x", "a/../../x", "", ".", "a\0b", "C:x"] {
            let error = session.add_file(path, Vec::new(), false).unwrap_err();
            assert_eq!(error.0[0].code, "invalid-path", "{path:?}");
        }
        assert!(session.is_empty());
    }

    #[test]
    fn metadata_lists_both_archives() {
        let listed = example().metadata(&Options::default()).unwrap();
        assert_eq!((listed.name.as_str(), listed.version.as_str()), ("tiny", "1.0"));
        assert_eq!(listed.wheel.filename, "tiny-1.0-py3-none-any.whl");
        assert!(listed.wheel.files.contains(&"tiny/run.sh".to_owned()));
        assert_eq!(listed.wheel.files.last().unwrap(), "tiny-1.0.dist-info/RECORD");
        assert_eq!(listed.sdist.files.last().unwrap(), "tiny-1.0/PKG-INFO");
        assert!(listed.metadata.starts_with("Metadata-Version: "));
    }

    #[test]
    fn builds_are_reproducible_and_follow_the_epoch() {
        let options = Options { source_date_epoch: Some(EPOCH), ..Options::default() };
        let first = example().build(&options).unwrap();
        let second = example().build(&options).unwrap();
        assert_eq!(first.wheel, second.wheel);
        assert_eq!(first.sdist, second.sdist);
        let other = example().build(&Options::default()).unwrap();
        assert_ne!(first.sdist.1, other.sdist.1);
        assert!(example().check(&options).is_empty());
    }

    #[test]
    fn failures_carry_every_diagnostic() {
        let mut session = Session::new();
        session.add_file("pyproject.toml", b"[project]\nname = \"x\"\n".to_vec(), false).unwrap();
        let problems = session.build(&Options::default()).unwrap_err();
        assert!(problems.has_errors());
        assert_eq!(session.check(&Options::default()), problems);
        let missing = Session::new().check(&Options::default());
        assert!(missing.has_errors());
    }

    #[test]
    fn the_config_file_can_be_chosen() {
        let options = Options { config_file: Some("../pyproject.toml".into()), ..Options::default() };
        assert_eq!(example().check(&options).0[0].code, "invalid-path");
    }

    #[test]
    fn epochs_must_be_whole_seconds() {
        use serde::de::IntoDeserializer;
        use serde::de::value::Error;
        let read = |value: serde::de::value::StrDeserializer<'_, Error>| epoch(value);
        assert_eq!(read("1700000000".into_deserializer()).unwrap(), Some(1_700_000_000));
        assert_eq!(read(" ".into_deserializer()).unwrap(), None);
        for bad in ["-1", "1.5", "+1", "1e9", "abc"] {
            assert!(read(bad.into_deserializer()).is_err(), "{bad}");
        }
        let float = |value: f64| epoch(IntoDeserializer::<Error>::into_deserializer(value));
        assert_eq!(float(1.7e9).unwrap(), Some(1_700_000_000));
        assert!(float(-1.0).is_err() && float(0.5).is_err() && float(f64::NAN).is_err() && float(1e300).is_err());
        let signed = |value: i64| epoch(IntoDeserializer::<Error>::into_deserializer(value));
        assert!(signed(-5).is_err());
        assert_eq!(signed(0).unwrap(), Some(0));
    }

    #[test]
    fn options_deserialise_from_camel_case() {
        use serde::de::value::{Error, MapDeserializer};
        let fields = MapDeserializer::<_, Error>::new([("allowInvalid", true)].into_iter());
        let options = Options::deserialize(fields).unwrap();
        assert!(options.allow_invalid);
    }
}
