//! `flit check`: every problem at once, for a project or for built files.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

use flit_core::check::check_project;
use flit_core::diagnostic::{Diagnostic, Diagnostics};
use flit_core::distribution::{check_distribution, member_text, split_member_file};

use crate::app::{EXIT_FAILURE, Environment, build_options, locate_config, native_importer, report};
use crate::cli::{CheckArgs, Cli, ReportFormat};
use crate::console;
use crate::host::FsTree;

/// Runs `flit check`; exit 0 when there is no error, 1 when there is.
pub fn run_check(cli: &Cli, arguments: &CheckArgs, environment: &Environment, stderr: &mut dyn Write) -> i32 {
    let diagnostics = if arguments.files.is_empty() {
        match check_the_project(cli, environment, arguments.format, stderr) {
            Some(diagnostics) => diagnostics,
            None => return EXIT_FAILURE,
        }
    } else {
        let mut all = Diagnostics::default();
        for file in &arguments.files {
            all.extend(check_file(file));
        }
        if arguments.format == ReportFormat::Text {
            for diagnostic in all.iter() {
                let source = diagnostic.location.and_then(|_| member_source(&diagnostic.file));
                let _ = console::render(stderr, diagnostic, source.as_deref());
            }
        }
        all
    };
    match arguments.format {
        ReportFormat::Json => {
            let mut stdout = std::io::stdout().lock();
            let written = serde_json::to_writer_pretty(&mut stdout, &diagnostics.records());
            let _ = writeln!(stdout);
            if written.is_err() {
                return EXIT_FAILURE;
            }
        }
        ReportFormat::Text => {
            let _ = writeln!(stderr, "{}", summary(&diagnostics, arguments.files.len()));
        }
    }
    if diagnostics.has_errors() { EXIT_FAILURE } else { 0 }
}

/// The project check, rendered in text mode as it goes; `None` if the
/// project could not even be located (the message is printed).
fn check_the_project(
    cli: &Cli,
    environment: &Environment,
    format: ReportFormat,
    stderr: &mut dyn Write,
) -> Option<Diagnostics> {
    let (project_dir, config_file) = match locate_config(&cli.ini_file) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            return None;
        }
    };
    let options = match build_options(environment) {
        Ok(options) => options,
        Err(diagnostic) => return Some(Diagnostics(vec![*diagnostic])),
    };
    let tree = FsTree::new(&project_dir);
    let importer = native_importer(&project_dir);
    let diagnostics = check_project(&tree, &config_file, &options, importer.as_deref());
    if format == ReportFormat::Text {
        report(stderr, &tree, &diagnostics);
    }
    Some(diagnostics)
}

/// Checks one built distribution.
fn check_file(path: &Path) -> Diagnostics {
    let shown = path.display().to_string();
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or(&shown).to_owned();
    match File::open(path) {
        Ok(file) => {
            let mut diagnostics = check_distribution(&name, BufReader::new(file));
            // Name the file as the user gave it.
            for diagnostic in &mut diagnostics.0 {
                if let Some(rest) = diagnostic.file.strip_prefix(&name) {
                    diagnostic.file = format!("{shown}{rest}");
                }
            }
            diagnostics
        }
        Err(error) => Diagnostics(vec![
            Diagnostic::error("file-not-found", shown, format!("cannot open the file: {error}"))
                .with_help("give the path of a built wheel (.whl) or sdist (.tar.gz)"),
        ]),
    }
}

/// The text of the archive member a diagnostic is about (`a.whl!/x/METADATA`),
/// to show the offending line.
fn member_source(file: &str) -> Option<String> {
    let (archive, member) = split_member_file(file)?;
    let name = Path::new(archive).file_name()?.to_str()?;
    let reader = BufReader::new(File::open(archive).ok()?);
    member_text(name, reader, member)
}

/// The last line of a text report.
fn summary(diagnostics: &Diagnostics, files: usize) -> String {
    let errors = diagnostics.errors().count();
    let warnings = diagnostics.warnings().count();
    let plural = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    let subject = if files == 0 { "the project".to_owned() } else { plural(files, "file") };
    match (errors, warnings) {
        (0, 0) => format!("No problems found in {subject}."),
        _ => format!("{} and {} found in {subject}.", plural(errors, "error"), plural(warnings, "warning")),
    }
}
