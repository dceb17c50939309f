//! `flit build --sandbox`: the native host runs the embedded WASI build.
//!
//! What the guest gets, and nothing else:
//! - the project directory, preopened read-only as its working directory,
//!   so it is given the same `-f` name and prints the same project-relative
//!   diagnostics as a native build;
//! - a fresh, hidden temporary directory inside the output directory,
//!   preopened writable as [`GUEST_OUTPUT`], where it writes the archives;
//! - the arguments of the build and three variables: `SOURCE_DATE_EPOCH`
//!   and `FLIT_ALLOW_INVALID` as the user set them, and `FLIT_EXECUTABLES`,
//!   computed here by a bounded walk of the project;
//! - a memory cap, a fuel budget and a wall-clock timeout.
//!
//! When the guest succeeds, the host checks that the temporary directory
//! holds exactly the archives asked for, as regular files, and renames them
//! into the output directory (a rename within one directory tree: each
//! archive appears complete or not at all). Whatever happens, the temporary
//! directory is removed, and an output directory this build created is
//! removed again if nothing was put in it.
//!
//! The host itself never reads a file of the project: it only walks the
//! directory tree (without following links) for the executable bits.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use super::executables::{MAX_ENTRIES, list_executables};
use super::module::{EMBEDDED_MODULE, load};
use super::runner::{FUEL_UNIT, Invocation, Limits, Preopen, SandboxError};
use crate::host::set_archive_permissions;

/// Where the writable output directory appears inside the guest.
pub const GUEST_OUTPUT: &str = "/flit-output";

/// The guest's name for the project directory: its working directory.
const GUEST_PROJECT: &str = ".";

/// Everything a sandboxed build needs, decided by the command line.
#[derive(Debug, Clone)]
pub struct SandboxedBuild {
    /// The project directory on the host.
    pub project_dir: PathBuf,
    /// The configuration file's name inside the project directory.
    pub config_name: String,
    /// The formats asked for (`--format`), empty for both.
    pub formats: Vec<&'static str>,
    /// Where the archives go.
    pub output_dir: PathBuf,
    /// `SOURCE_DATE_EPOCH`, passed on unchanged (the guest validates it).
    pub source_date_epoch: Option<String>,
    /// `FLIT_ALLOW_INVALID` is set.
    pub allow_invalid: bool,
    /// The limits of the run.
    pub limits: Limits,
    /// The user's cache directory, for the compiled module.
    pub cache_dir: Option<PathBuf>,
    /// `--debug`: report how the module was loaded and what the run cost.
    pub debug: bool,
}

/// Runs the build in the sandbox, printing what a native build prints;
/// returns the exit code.
pub fn run_sandboxed_build(build: &SandboxedBuild, stderr: &mut dyn Write) -> i32 {
    match SandboxRun::prepare(build).and_then(|run| run.execute(build, stderr)) {
        Ok(code) => code,
        Err(failure) => {
            write_guest_stderr(stderr, failure.guest_stderr());
            let _ = writeln!(stderr, "error: {failure}");
            1
        }
    }
}

/// Why a sandboxed build stopped, other than the build's own diagnostics.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("{0}")]
    Sandbox(#[from] SandboxError),
    #[error("{0}")]
    Walk(#[from] super::executables::WalkError),
    #[error("{0}")]
    Host(String),
}

impl Failure {
    fn guest_stderr(&self) -> &[u8] {
        match self {
            Failure::Sandbox(error) => error.guest_stderr(),
            Failure::Walk(_) | Failure::Host(_) => &[],
        }
    }
}

/// The output directory of one run, cleaned up on drop.
struct SandboxRun {
    output_dir: PathBuf,
    created_output_dir: bool,
    staging: Option<tempfile::TempDir>,
    executables: String,
}

impl Drop for SandboxRun {
    fn drop(&mut self) {
        // The staging directory first (TempDir removes it without following
        // links), then the output directory if this build made it and
        // nothing was moved into it (`remove_dir` fails on a non-empty one).
        if let Some(staging) = self.staging.take() {
            let _ = staging.close();
        }
        if self.created_output_dir {
            let _ = fs::remove_dir(&self.output_dir);
        }
    }
}

impl SandboxRun {
    fn prepare(build: &SandboxedBuild) -> Result<Self, Failure> {
        check_output_dir(&build.project_dir, &build.output_dir)?;
        // Walked before the staging directory exists inside it.
        let executables = list_executables(&build.project_dir, MAX_ENTRIES)?;
        let mut run =
            SandboxRun { output_dir: build.output_dir.clone(), created_output_dir: false, staging: None, executables };
        if !build.output_dir.is_dir() {
            fs::create_dir_all(&build.output_dir).map_err(|error| {
                Failure::Host(format!("cannot create the output directory {}: {error}", build.output_dir.display()))
            })?;
            run.created_output_dir = true;
        }
        // Checked again now that it exists: nothing may have redirected it.
        check_output_dir(&build.project_dir, &build.output_dir)?;
        let staging =
            tempfile::Builder::new().prefix(".flit-sandbox-").tempdir_in(&build.output_dir).map_err(|error| {
                Failure::Host(format!("cannot create a temporary directory in {}: {error}", build.output_dir.display()))
            })?;
        run.staging = Some(staging);
        Ok(run)
    }

    fn staging(&self) -> Result<&Path, Failure> {
        self.staging.as_ref().map(tempfile::TempDir::path).ok_or_else(|| Failure::Host("no staging directory".into()))
    }

    fn execute(mut self, build: &SandboxedBuild, stderr: &mut dyn Write) -> Result<i32, Failure> {
        let (runner, load) = load(EMBEDDED_MODULE, build.cache_dir.as_deref())?;
        if build.debug {
            let cache = match (&load.cache_file, load.cache_hit) {
                (Some(file), true) => format!("loaded from {}", file.display()),
                (Some(file), false) => format!("compiled and cached in {}", file.display()),
                (None, _) => "compiled (no cache directory)".to_owned(),
            };
            let _ = writeln!(stderr, "sandbox: module {cache} in {:.3} s", load.elapsed.as_secs_f64());
            if let Some(problem) = &load.cache_problem {
                let _ = writeln!(stderr, "sandbox: cache not used: {problem}");
            }
        }

        let invocation = self.invocation(build)?;
        let started = Instant::now();
        let outcome = runner.run(&invocation)?;
        if build.debug {
            let used = build.limits.fuel.saturating_sub(outcome.fuel_left);
            let _ = writeln!(
                stderr,
                "sandbox: the build ran in {:.3} s and used {:.2} of {} billion instructions",
                started.elapsed().as_secs_f64(),
                used as f64 / FUEL_UNIT as f64,
                build.limits.fuel / FUEL_UNIT
            );
        }
        let _ = std::io::stdout().write_all(&outcome.stdout);
        write_guest_stderr(stderr, &outcome.stderr);
        if outcome.exit_code != 0 {
            return Ok(outcome.exit_code);
        }

        let archives = self.collect_archives(build)?;
        for name in &archives {
            let from = self.staging()?.join(name);
            let to = self.output_dir.join(name);
            set_archive_permissions(&from).and_then(|()| fs::rename(&from, &to)).map_err(|error| {
                Failure::Host(format!("cannot move {name} into {}: {error}", self.output_dir.display()))
            })?;
            // Something is in the output directory now: it stays.
            self.created_output_dir = false;
        }
        let shown = self.output_dir.display().to_string();
        for name in &archives {
            let kind = if name.ends_with(".whl") { "wheel" } else { "sdist" };
            let _ = writeln!(stderr, "Built {kind}: {}", Path::new(&shown).join(name).display());
        }
        Ok(0)
    }

    fn invocation(&self, build: &SandboxedBuild) -> Result<Invocation, Failure> {
        let mut args = vec!["flit".to_owned()];
        if build.debug {
            args.push("--debug".to_owned());
        }
        args.extend(["-f".to_owned(), build.config_name.clone(), "build".to_owned()]);
        for format in &build.formats {
            args.extend(["--format".to_owned(), (*format).to_owned()]);
        }
        args.extend(["--outdir".to_owned(), GUEST_OUTPUT.to_owned()]);

        let mut env = Vec::new();
        if let Some(epoch) = &build.source_date_epoch {
            env.push(("SOURCE_DATE_EPOCH".to_owned(), epoch.clone()));
        }
        if build.allow_invalid {
            env.push(("FLIT_ALLOW_INVALID".to_owned(), "1".to_owned()));
        }
        env.push(("FLIT_EXECUTABLES".to_owned(), self.executables.clone()));

        Ok(Invocation {
            args,
            env,
            preopens: vec![
                Preopen { host: build.project_dir.clone(), guest: GUEST_PROJECT.to_owned(), writable: false },
                Preopen { host: self.staging()?.to_path_buf(), guest: GUEST_OUTPUT.to_owned(), writable: true },
            ],
            limits: build.limits,
        })
    }

    /// The archives the guest left in the staging directory, sdist first (the
    /// order a native build reports them in). Anything else there is an error:
    /// only regular files with an archive's name, one per format asked for.
    fn collect_archives(&self, build: &SandboxedBuild) -> Result<Vec<String>, Failure> {
        let staging = self.staging()?;
        let unexpected = |what: String| {
            Failure::Host(format!(
                "the sandboxed build reported success but left {what} in its output directory; nothing was moved"
            ))
        };
        let listing = fs::read_dir(staging)
            .map_err(|error| Failure::Host(format!("cannot list {}: {error}", staging.display())))?;
        let mut sdists = Vec::new();
        let mut wheels = Vec::new();
        for entry in listing.take(16) {
            let entry = entry.map_err(|error| Failure::Host(format!("cannot list {}: {error}", staging.display())))?;
            let name = entry.file_name().into_string().map_err(|name| unexpected(format!("{name:?}")))?;
            let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
            if !is_file || name.starts_with('.') || name.contains(['/', '\\']) {
                return Err(unexpected(format!("`{name}`")));
            }
            if name.ends_with(".tar.gz") {
                sdists.push(name);
            } else if name.ends_with(".whl") {
                wheels.push(name);
            } else {
                return Err(unexpected(format!("`{name}`")));
            }
        }
        let want_sdist = build.formats.is_empty() || build.formats.contains(&"sdist");
        let want_wheel = build.formats.is_empty() || build.formats.contains(&"wheel");
        if sdists.len() != usize::from(want_sdist) || wheels.len() != usize::from(want_wheel) {
            let found: Vec<_> = sdists.iter().chain(&wheels).cloned().collect();
            return Err(unexpected(format!("{found:?} instead of the archives asked for")));
        }
        sdists.append(&mut wheels);
        Ok(sdists)
    }
}

/// The guest reports its archives under [`GUEST_OUTPUT`]; the host reports
/// them itself, with host paths, once they are in place.
fn write_guest_stderr(stderr: &mut dyn Write, guest_stderr: &[u8]) {
    let text = String::from_utf8_lossy(guest_stderr);
    for line in text.split_inclusive('\n') {
        let guest_report = ["Built sdist: ", "Built wheel: "]
            .iter()
            .any(|prefix| line.strip_prefix(prefix).is_some_and(|rest| rest.starts_with(GUEST_OUTPUT)));
        if !guest_report {
            let _ = stderr.write_all(line.as_bytes());
        }
    }
    if guest_stderr.len() >= super::runner::OUTPUT_CAPACITY {
        let _ =
            writeln!(stderr, "(the sandboxed build's output was cut at {} MiB)", super::runner::OUTPUT_CAPACITY >> 20);
    }
}

/// `path` made absolute and lexically normalised (`.` dropped, `..` applied).
fn lexical_absolute(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    Some(normal)
}

/// Refuses an output directory that lies inside the project but that the
/// project could redirect: the default `dist/` (or any directory on the way
/// to it) being a symlink would let an untrusted project choose where the
/// host writes. An output directory outside the project is the user's
/// choice and is used as given.
fn check_output_dir(project_dir: &Path, output_dir: &Path) -> Result<(), Failure> {
    let (Some(project), Some(output)) = (lexical_absolute(project_dir), lexical_absolute(output_dir)) else {
        return Err(Failure::Host(format!("cannot make {} an absolute path", output_dir.display())));
    };
    let Ok(inside) = output.strip_prefix(&project) else { return Ok(()) };
    let mut current = project.clone();
    for component in inside.components() {
        current.push(component);
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(Failure::Host(format!(
                    "{} is a symbolic link inside the project; a sandboxed build does not write through links \
                     the project controls. Remove it, or choose another directory with --outdir",
                    current.display()
                )));
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    // Once it exists, it must really be where it seems to be.
    if let (Ok(real_project), Ok(real_output)) = (fs::canonicalize(&project), fs::canonicalize(&output))
        && real_output != real_project.join(inside)
    {
        return Err(Failure::Host(format!(
            "{} does not lead where it seems to (it resolves to {}); choose another directory with --outdir",
            output_dir.display(),
            real_output.display()
        )));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn output_dirs_redirected_by_the_project_are_refused() {
        let temp = tempfile::tempdir().unwrap();
        let project = temp.path().join("project");
        let elsewhere = temp.path().join("elsewhere");
        fs::create_dir_all(&project).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        assert!(check_output_dir(&project, &project.join("dist")).is_ok());
        assert!(check_output_dir(&project, &elsewhere).is_ok());
        symlink(&elsewhere, project.join("dist")).unwrap();
        assert!(check_output_dir(&project, &project.join("dist")).is_err());
        assert!(check_output_dir(&project, &project.join("dist/sub")).is_err());
        assert!(check_output_dir(&project, &project.join("other/../dist")).is_err());
        // A link outside the project, chosen by the user, is followed.
        symlink(&elsewhere, temp.path().join("out")).unwrap();
        assert!(check_output_dir(&project, &temp.path().join("out")).is_ok());
    }

    #[test]
    fn the_guest_gets_the_project_read_only_the_staging_writable_and_three_variables() {
        let temp = tempfile::tempdir().unwrap();
        let build = SandboxedBuild {
            project_dir: temp.path().join("project"),
            config_name: "pyproject-alt.toml".to_owned(),
            formats: vec!["wheel"],
            output_dir: temp.path().join("out"),
            source_date_epoch: Some("1700000000".to_owned()),
            allow_invalid: true,
            limits: Limits::default(),
            cache_dir: None,
            debug: false,
        };
        let run = SandboxRun {
            output_dir: build.output_dir.clone(),
            created_output_dir: false,
            staging: Some(tempfile::tempdir_in(temp.path()).unwrap()),
            executables: "bin/tool".to_owned(),
        };
        let invocation = run.invocation(&build).unwrap();
        assert_eq!(
            invocation.args,
            ["flit", "-f", "pyproject-alt.toml", "build", "--format", "wheel", "--outdir", GUEST_OUTPUT]
        );
        let names: Vec<&str> = invocation.env.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["SOURCE_DATE_EPOCH", "FLIT_ALLOW_INVALID", "FLIT_EXECUTABLES"]);
        assert_eq!(invocation.preopens.len(), 2);
        let project = &invocation.preopens[0];
        assert_eq!(
            (project.host.as_path(), project.guest.as_str(), project.writable),
            (build.project_dir.as_path(), ".", false)
        );
        let output = &invocation.preopens[1];
        assert_eq!((output.guest.as_str(), output.writable), (GUEST_OUTPUT, true));
        assert!(output.host.starts_with(temp.path()));
    }

    #[test]
    fn only_the_guests_own_reports_are_dropped() {
        let mut shown = Vec::new();
        write_guest_stderr(
            &mut shown,
            b"warning: x\nBuilt sdist: /flit-output/a-1.tar.gz\nBuilt wheel: /flit-output/a-1-py3-none-any.whl\nBuilt sdist: elsewhere\n",
        );
        assert_eq!(String::from_utf8(shown).unwrap(), "warning: x\nBuilt sdist: elsewhere\n");
    }
}
