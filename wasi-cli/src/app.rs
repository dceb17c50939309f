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
    /// `FLIT_SANDBOX` is set to something other than `0`: build as with
    /// `--sandbox`.
    pub sandbox: bool,
    /// The user's cache directory for flit-rs (`$XDG_CACHE_HOME/flit-rs`, else
    /// `~/.cache/flit-rs`), where `--sandbox` keeps the compiled module.
    pub cache_dir: Option<PathBuf>,
}

impl Environment {
    /// Reads the process environment.
    pub fn from_process() -> Self {
        let non_empty = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        Environment {
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            allow_invalid: non_empty("FLIT_ALLOW_INVALID").is_some(),
            executables: std::env::var("FLIT_EXECUTABLES").ok(),
            sandbox: non_empty("FLIT_SANDBOX").is_some_and(|value| value != "0"),
            cache_dir: user_cache_dir(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME")),
        }
    }
}

/// `$XDG_CACHE_HOME/flit-rs`, else `$HOME/.cache/flit-rs`; relative values
/// are ignored, as the XDG base directory specification asks.
pub fn user_cache_dir(xdg_cache_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let absolute = |value: Option<OsString>| value.map(PathBuf::from).filter(|path| path.is_absolute());
    let base = absolute(xdg_cache_home).or_else(|| absolute(home).map(|home| home.join(".cache")))?;
    Some(base.join("flit-rs"))
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
        Command::Check(arguments) => crate::check::run_check(&cli, arguments, environment, stderr),
    }
}

fn run_build(cli: &Cli, arguments: &BuildArgs, environment: &Environment, stderr: &mut dyn Write) -> i32 {
    if arguments.use_vcs && (arguments.sandbox || environment.sandbox) {
        let _ = writeln!(
            stderr,
            "error: --use-vcs runs git, which a sandboxed build cannot do; list the files in [tool.flit.sdist] instead"
        );
        return EXIT_USAGE;
    }
    if arguments.sandbox || environment.sandbox {
        return run_sandboxed_build(cli, arguments, environment, stderr);
    }
    if arguments.sandbox_memory.is_some() || arguments.sandbox_fuel.is_some() || arguments.sandbox_timeout.is_some() {
        let _ = writeln!(
            stderr,
            "error: --sandbox-memory, --sandbox-fuel and --sandbox-timeout limit sandboxed builds: \
             add --sandbox (or set FLIT_SANDBOX=1)"
        );
        return EXIT_USAGE;
    }
    let (project_dir, config_file) = match locate_config(&cli.ini_file) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            return EXIT_FAILURE;
        }
    };
    let mut options = match build_options(environment) {
        Ok(options) => options,
        Err(diagnostic) => {
            let _ = console::render(stderr, &diagnostic, None);
            return EXIT_FAILURE;
        }
    };
    if arguments.use_vcs {
        match version_control_files(&project_dir) {
            Ok(files) => options.vcs_files = files,
            Err(message) => {
                let _ = writeln!(stderr, "error: {message}");
                return EXIT_FAILURE;
            }
        }
    }
    let formats = if arguments.formats.is_empty() {
        Formats::BOTH
    } else {
        Formats { wheel: arguments.formats.contains(&Format::Wheel), sdist: arguments.formats.contains(&Format::Sdist) }
    };
    let mut tree = FsTree::new(&project_dir);
    if let Some(listed) = &environment.executables {
        tree = tree.with_executables(listed.lines().map(str::to_owned).filter(|line| !line.is_empty()).collect());
    }
    let output_dir = output_dir(cli, arguments);
    let mut output = OutputDirectory::new(&output_dir);
    let importer = native_importer(&project_dir);
    if cli.debug {
        debug_plan(stderr, &tree, &config_file, &options, importer.as_deref());
    }
    #[cfg(not(target_os = "wasi"))]
    let parallel: &'static dyn flit_core::parallel::Parallel = &crate::host::Threads;
    #[cfg(target_os = "wasi")]
    let parallel: &'static dyn flit_core::parallel::Parallel = &flit_core::parallel::Sequential;
    let result = build(&tree, &config_file, formats, &options, importer.as_deref(), &mut output, parallel);
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

/// `--outdir`, else `dist/` beside the configuration file.
fn output_dir(cli: &Cli, arguments: &BuildArgs) -> PathBuf {
    match &arguments.outdir {
        Some(directory) => directory.clone(),
        None => cli.ini_file.parent().map(Path::to_path_buf).unwrap_or_default().join("dist"),
    }
}

/// `flit build --sandbox`: the same build, run by the WASI module embedded
/// in this binary inside wasmtime (see `crate::sandbox`).
#[cfg(not(target_family = "wasm"))]
fn run_sandboxed_build(cli: &Cli, arguments: &BuildArgs, environment: &Environment, stderr: &mut dyn Write) -> i32 {
    use crate::sandbox::{Limits, SandboxedBuild};
    let (project_dir, config_file) = match locate_config(&cli.ini_file) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            return EXIT_FAILURE;
        }
    };
    let build = SandboxedBuild {
        project_dir,
        config_name: config_file.as_str().to_owned(),
        formats: arguments
            .formats
            .iter()
            .map(|format| match format {
                Format::Wheel => "wheel",
                Format::Sdist => "sdist",
            })
            .collect(),
        output_dir: output_dir(cli, arguments),
        source_date_epoch: environment.source_date_epoch.clone(),
        allow_invalid: environment.allow_invalid,
        limits: Limits::new(
            arguments.sandbox_memory.unwrap_or(Limits::DEFAULT_MEMORY_MIB),
            arguments.sandbox_fuel.unwrap_or(Limits::DEFAULT_FUEL_BILLIONS),
            arguments.sandbox_timeout.unwrap_or(Limits::DEFAULT_TIMEOUT_SECONDS),
        ),
        cache_dir: environment.cache_dir.clone(),
        debug: cli.debug,
    };
    crate::sandbox::run_sandboxed_build(&build, stderr)
}

/// Under WASI the runtime is the sandbox: what the build can see was decided
/// by whoever started it, so promising `--sandbox`'s guarantees would be false.
#[cfg(target_family = "wasm")]
fn run_sandboxed_build(_cli: &Cli, _arguments: &BuildArgs, _environment: &Environment, stderr: &mut dyn Write) -> i32 {
    let _ = writeln!(
        stderr,
        "error: --sandbox (FLIT_SANDBOX) needs the native flit, which runs this WASI build in its own sandbox; \
         under WASI, the runtime's options (such as wasmtime's --dir) decide what the build can see"
    );
    EXIT_USAGE
}

/// Prints diagnostics, each with a snippet of its file when it has a place.
pub(crate) fn report(stderr: &mut dyn Write, tree: &FsTree, diagnostics: &Diagnostics) {
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
pub(crate) fn locate_config(ini_file: &Path) -> Result<(PathBuf, RelPath), String> {
    if ini_file.extension().is_some_and(|extension| extension == "ini") {
        return Err("flit.ini format is no longer supported. You can use 'python3 -m flit.tomlify' to convert it to pyproject.toml".to_owned());
    }
    // Under WASI the runtime refuses to follow a link out of the preopened
    // directory, so a configuration that is such a link does not look like a
    // file; the core then reports the escape instead of a missing file.
    let link_under_wasi = cfg!(target_os = "wasi") && ini_file.is_symlink();
    if !(ini_file.is_file() || link_under_wasi) {
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
pub(crate) fn build_options(environment: &Environment) -> Result<BuildOptions, Box<Diagnostic>> {
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
    Ok(BuildOptions { source_date_epoch, allow_invalid: environment.allow_invalid, ..BuildOptions::default() })
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

/// `--use-vcs`: the files git knows about (natively only).
#[cfg(not(target_os = "wasi"))]
fn version_control_files(project_dir: &Path) -> Result<Option<flit_core::options::VcsFiles>, String> {
    crate::host::vcs_files(project_dir)
}

#[cfg(target_os = "wasi")]
fn version_control_files(_project_dir: &Path) -> Result<Option<flit_core::options::VcsFiles>, String> {
    Err("--use-vcs runs git, which needs the native flit; under WASI, list the files in [tool.flit.sdist] instead"
        .to_owned())
}

#[cfg(not(target_os = "wasi"))]
pub(crate) fn native_importer(project_dir: &Path) -> Option<Box<dyn ModuleImporter>> {
    Some(Box::new(crate::host::PythonImporter { project_dir: project_dir.to_path_buf() }))
}

#[cfg(target_os = "wasi")]
pub(crate) fn native_importer(_project_dir: &Path) -> Option<Box<dyn ModuleImporter>> {
    None
}

/// `--debug`: what the build is about to do — the module, where the version
/// and summary come from, the sdist's files and the wheel's members.
fn debug_plan(
    stderr: &mut dyn Write,
    tree: &FsTree,
    config_file: &RelPath,
    options: &BuildOptions,
    importer: Option<&dyn ModuleImporter>,
) {
    let Ok(plan) = flit_core::build::plan_archives(tree, config_file, options, importer) else {
        // The build itself reports the problems.
        return;
    };
    let project = &plan.project;
    let _ = writeln!(stderr, "debug: configuration {}", tree.host_path(config_file).display());
    let _ = writeln!(
        stderr,
        "debug: module `{}` at {} ({})",
        project.module.name,
        project.module.path,
        if project.module.is_package { "package" } else { "single file" }
    );
    let source = |dynamic: bool| if dynamic { "the module" } else { "pyproject.toml" };
    let _ =
        writeln!(stderr, "debug: version {} from {}", project.metadata.version, source(project.config.dynamic.version));
    if let Some(summary) = &project.metadata.summary {
        let _ = writeln!(stderr, "debug: summary {summary:?} from {}", source(project.config.dynamic.description));
    }
    let epoch = options.effective_epoch();
    let _ = writeln!(
        stderr,
        "debug: timestamps {epoch}{}",
        if options.source_date_epoch.is_some() {
            " (SOURCE_DATE_EPOCH)"
        } else {
            " (the default; SOURCE_DATE_EPOCH is unset)"
        }
    );
    let _ = writeln!(stderr, "debug: sdist {} ({} files, then PKG-INFO):", plan.sdist_name, plan.sdist_files.len());
    for file in &plan.sdist_files {
        let _ = writeln!(stderr, "debug:   {file}");
    }
    let _ =
        writeln!(stderr, "debug: wheel {} ({} members, then RECORD):", plan.wheel.file_name, plan.wheel.members.len());
    for member in &plan.wheel.members {
        let _ = writeln!(stderr, "debug:   {}", member.name);
    }
}
