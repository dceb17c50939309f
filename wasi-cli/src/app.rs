//! The application: a function from arguments and environment to an exit
//! code, so tests can drive it without spawning processes.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;
use flit_core::build::{Formats, build};
use flit_core::diagnostic::{Diagnostic, Diagnostics};
use flit_core::dynamic::ModuleImporter;
use flit_core::options::BuildOptions;
use flit_core::path::RelPath;

use crate::cli::{BuildArgs, Cli, Command, Format};
use crate::console;
use crate::host::{FsTree, OutputDirectory};

/// Exit status for a project problem (flit's `sys.exit(message)`).
pub const EXIT_FAILURE: i32 = 1;
/// Exit status for a command-line usage error (argparse's).
pub const EXIT_USAGE: i32 = 2;

/// The environment variables flit reads, captured once.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `SOURCE_DATE_EPOCH`.
    pub source_date_epoch: Option<String>,
    /// `FLIT_ALLOW_INVALID` is set to a non-empty value.
    pub allow_invalid: bool,
    /// `FLIT_EXECUTABLES`: under WASI, which files are executable (one
    /// project-relative path per line), since WASI has no mode bits.
    pub executables: Option<String>,
}

impl Environment {
    /// Reads the process environment.
    pub fn from_process() -> Self {
        let non_empty = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        Environment {
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            allow_invalid: non_empty("FLIT_ALLOW_INVALID").is_some(),
            executables: std::env::var("FLIT_EXECUTABLES").ok(),
        }
    }
}

/// Runs the command line `args` (program name first); returns the exit code.
pub fn run(args: Vec<OsString>, environment: &Environment, stderr: &mut dyn Write) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { EXIT_USAGE } else { 0 };
            let rendered = error.render().ansi().to_string();
            if error.use_stderr() {
                let _ = write!(stderr, "{rendered}");
            } else {
                // --help and --version go to stdout, as everywhere.
                let _ = write!(std::io::stdout(), "{rendered}");
            }
            return code;
        }
    };
    match &cli.command {
        Command::Build(arguments) => run_build(&cli, arguments, environment, stderr),
    }
}

fn run_build(cli: &Cli, arguments: &BuildArgs, environment: &Environment, stderr: &mut dyn Write) -> i32 {
    let (project_dir, config_file) = match locate_config(&cli.ini_file) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            return EXIT_FAILURE;
        }
    };
    let options = match build_options(environment) {
        Ok(options) => options,
        Err(diagnostic) => {
            let _ = console::render(stderr, &diagnostic, None);
            return EXIT_FAILURE;
        }
    };
    let formats = if arguments.formats.is_empty() {
        Formats::BOTH
    } else {
        Formats { wheel: arguments.formats.contains(&Format::Wheel), sdist: arguments.formats.contains(&Format::Sdist) }
    };
    let mut tree = FsTree::new(&project_dir);
    if let Some(listed) = &environment.executables {
        tree = tree.with_executables(listed.lines().map(str::to_owned).filter(|line| !line.is_empty()).collect());
    }
    let output_dir = match &arguments.outdir {
        Some(directory) => directory.clone(),
        None => cli.ini_file.parent().map(Path::to_path_buf).unwrap_or_default().join("dist"),
    };
    let mut output = OutputDirectory::new(&output_dir);
    let importer = native_importer(&project_dir);
    let result = build(&tree, &config_file, formats, &options, importer.as_deref(), &mut output);
    match result {
        Ok(built) => {
            report(stderr, &tree, &built.warnings);
            if let Err(error) = output.commit() {
                let _ = writeln!(stderr, "error: cannot move the archives into {}: {error}", output_dir.display());
                return EXIT_FAILURE;
            }
            let shown = output_dir.display();
            if let Some(sdist) = &built.sdist {
                let _ = writeln!(stderr, "Built sdist: {}", Path::new(&shown.to_string()).join(sdist).display());
            }
            if let Some(wheel) = &built.wheel {
                let _ = writeln!(stderr, "Built wheel: {}", Path::new(&shown.to_string()).join(wheel).display());
            }
            0
        }
        Err(diagnostics) => {
            report(stderr, &tree, &diagnostics);
            let errors = diagnostics.errors().count();
            let _ = writeln!(stderr, "{errors} error{} found; nothing was written", if errors == 1 { "" } else { "s" });
            EXIT_FAILURE
        }
    }
}

/// Prints diagnostics, each with a snippet of its file when it has a place.
fn report(stderr: &mut dyn Write, tree: &FsTree, diagnostics: &Diagnostics) {
    for diagnostic in diagnostics.iter() {
        let source = diagnostic.location.and_then(|_| {
            let path = RelPath::new(&diagnostic.file).ok()?;
            let text = std::fs::read(tree.host_path(&path)).ok()?;
            Some(flit_core::config::normalise_newlines(String::from_utf8_lossy(&text).into_owned()))
        });
        let _ = console::render(stderr, diagnostic, source.as_deref());
    }
}

/// Splits `-f` into the project directory and the configuration's name.
fn locate_config(ini_file: &Path) -> Result<(PathBuf, RelPath), String> {
    if ini_file.extension().is_some_and(|extension| extension == "ini") {
        return Err("flit.ini format is no longer supported. You can use 'python3 -m flit.tomlify' to convert it to pyproject.toml".to_owned());
    }
    if !ini_file.is_file() {
        return Err(format!("Config file {} does not exist", ini_file.display()));
    }
    let name = ini_file
        .file_name()
        .and_then(|name| name.to_str())
        .and_then(RelPath::from_name)
        .ok_or_else(|| format!("{} is not a usable configuration file name", ini_file.display()))?;
    let parent = match ini_file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// `BuildOptions` from the environment; an unusable `SOURCE_DATE_EPOCH` is
/// an error (flit crashes on it when building an sdist).
fn build_options(environment: &Environment) -> Result<BuildOptions, Box<Diagnostic>> {
    let source_date_epoch = match environment.source_date_epoch.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(parse_epoch(text).ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    "invalid-source-date-epoch",
                    "SOURCE_DATE_EPOCH",
                    format!("`{text}` is not a number of seconds since 1970"),
                )
                .with_help("set SOURCE_DATE_EPOCH to a whole number such as 1700000000, or unset it"),
            )
        })?),
    };
    Ok(BuildOptions { source_date_epoch, allow_invalid: environment.allow_invalid })
}

/// Parses an integer the way Python's `int()` does for this purpose:
/// optional sign, digits with single underscores between them.
fn parse_epoch(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    digits.replace('_', "").parse().ok()
}

#[cfg(not(target_os = "wasi"))]
fn native_importer(project_dir: &Path) -> Option<Box<dyn ModuleImporter>> {
    Some(Box::new(crate::host::PythonImporter { project_dir: project_dir.to_path_buf() }))
}

#[cfg(target_os = "wasi")]
fn native_importer(_project_dir: &Path) -> Option<Box<dyn ModuleImporter>> {
    None
}
