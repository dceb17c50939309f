//! The command line, as flit spells it, plus our extensions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A fast, reproducible, flit-compatible builder for pure-Python packages.
#[derive(Debug, Parser)]
#[command(name = "flit", version = concat!(env!("CARGO_PKG_VERSION"), " (compatible with flit 4.2)"))]
pub struct Cli {
    /// The configuration file; its directory is the project directory.
    #[arg(short = 'f', long = "ini-file", global = true, default_value = "pyproject.toml", value_name = "PATH")]
    pub ini_file: PathBuf,

    /// Show more detail about what is done.
    #[arg(long, global = true)]
    pub debug: bool,

    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a wheel and an sdist (by default both) of the project.
    Build(BuildArgs),
    /// Report every problem with the project's metadata, or with built
    /// wheels and sdists given as arguments.
    Check(CheckArgs),
}

/// `flit check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How to print the problems: for people, or as a JSON array for tools.
    #[arg(long = "format", value_enum, default_value_t = ReportFormat::Text, value_name = "FORMAT")]
    pub format: ReportFormat,

    /// Built distributions (`.whl`, `.tar.gz`) to check, from any tool,
    /// instead of the project.
    #[arg(value_name = "DIST")]
    pub files: Vec<PathBuf>,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Headline, source line with a caret, and help, on stderr.
    Text,
    /// A JSON array of diagnostics on stdout (see the README for the schema).
    Json,
}

/// `flit build` options.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Build only this format (repeat for both).
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub formats: Vec<Format>,

    /// Write the archives here instead of `<project>/dist`.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub outdir: Option<PathBuf>,

    /// Take the sdist's files from git (tracked files, minus excludes) and
    /// refuse to build with untracked or deleted files, as flit does.
    #[arg(long = "use-vcs", overrides_with = "no_use_vcs")]
    pub use_vcs: bool,

    /// Select the sdist's files from the configuration (the default).
    #[arg(long = "no-use-vcs", overrides_with = "use_vcs")]
    pub no_use_vcs: bool,

    // --- Sandboxed builds (not in flit; see the README's "Sandboxed builds").
    /// Build inside a WebAssembly sandbox that can read only the project and
    /// write only the output directory, and never runs project code (also
    /// FLIT_SANDBOX=1).
    #[arg(long)]
    pub sandbox: bool,

    /// Memory limit of a sandboxed build, in MiB [default: 1024].
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub sandbox_memory: Option<u64>,

    /// CPU budget of a sandboxed build, in billions of WebAssembly
    /// instructions [default: 2000].
    #[arg(long, value_name = "BILLIONS", value_parser = clap::value_parser!(u64).range(1..))]
    pub sandbox_fuel: Option<u64>,

    /// Wall-clock limit of a sandboxed build, in seconds [default: 600].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub sandbox_timeout: Option<u64>,
}

/// An archive format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A `.whl` binary distribution.
    Wheel,
    /// A `.tar.gz` source distribution.
    Sdist,
}
