//! Projects that try to make a sandboxed build read outside the project,
//! hang, or exhaust the machine.
//!
//! Every project lives in `<temp>/project`; beside it, outside the project,
//! are a canary file and a canary package whose content is random for each
//! run. The same random value is also in the environment of the host. For
//! every project, `flit build --sandbox` must end with a clear error (exit
//! status 1, an `error` line, no panic) or a correct archive, and the
//! canary must never appear in anything it produced: the messages, the
//! output directory, or any member of an archive once decompressed.
//!
//! Where the native build is cheap, it is run too: the sandbox must agree
//! with it (same exit status, same messages, same archive bytes), so the
//! archives it accepts are the correct ones.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::fs;
use std::io::Read;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use support::{EPOCH, Outcome, flit_binary, run, snapshot_tree};

/// The module cache shared by this file's sandboxed builds.
fn shared_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(module_cache_dir)
}

/// A module cache kept in cargo's directory for test files: shared by the
/// sandbox's tests and kept between runs (entries are keyed by the module's
/// hash, so a changed module gets a new one).
fn module_cache_dir() -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sandbox-module-cache");
    fs::create_dir_all(&directory).unwrap();
    directory
}

/// A project with its canary outside.
struct Hostile {
    temp: tempfile::TempDir,
    /// `<temp>/project`.
    project: PathBuf,
    /// The random text of the canary.
    canary: String,
}

impl Hostile {
    /// `<temp>/canary.txt`.
    fn canary_file(&self) -> PathBuf {
        self.temp.path().join("canary.txt")
    }

    /// `<temp>/outside`: a directory that looks like a package.
    fn outside_dir(&self) -> PathBuf {
        self.temp.path().join("outside")
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.project.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn link(&self, relative: &str, target: impl AsRef<Path>) {
        let path = self.project.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(target, path).unwrap();
    }

    /// Adds lines to `[project]`... of the default pyproject.toml (which ends
    /// inside `[project]`), then any further tables.
    fn pyproject(&self, extra: &str) {
        self.write(
            "pyproject.toml",
            &format!(
                "[build-system]\nrequires = [\"flit_core >=3.2,<5\"]\nbuild-backend = \"flit_core.buildapi\"\n\n\
                 [project]\nname = \"victim\"\nversion = \"1.0\"\ndescription = \"An innocent package\"\n{extra}"
            ),
        );
    }
}

fn random_hex() -> String {
    let mut bytes = [0u8; 24];
    fs::File::open("/dev/urandom").unwrap().read_exact(&mut bytes).unwrap();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A fresh project `victim` (a package with one module) and its canaries.
fn hostile() -> Hostile {
    let temp = support::temp_dir("flit-hostile-");
    let canary = format!("CANARY-{}", random_hex());
    let project = temp.path().join("project");
    fs::create_dir(&project).unwrap();
    fs::write(temp.path().join("canary.txt"), format!("{canary}\n")).unwrap();
    let outside = temp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("__init__.py"), format!("\"\"\"{canary}\"\"\"\n__version__ = \"6.6.6\"\n")).unwrap();
    fs::write(outside.join("secret.txt"), format!("{canary}\n")).unwrap();
    let hostile = Hostile { temp, project, canary };
    hostile.pyproject("");
    hostile.write("victim/__init__.py", "\"\"\"An innocent package.\"\"\"\n");
    hostile
}

/// Every member of the archives in `dist`, decompressed, as (name, bytes).
fn archive_members(dist: &Path) -> Vec<(String, Vec<u8>)> {
    let mut members = Vec::new();
    let Ok(entries) = fs::read_dir(dist) else { return members };
    for entry in entries {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(bytes) = fs::read(entry.path()) else { panic!("{} is not a file", entry.path().display()) };
        members.push((name.clone(), bytes.clone()));
        if name.ends_with(".tar.gz") {
            let mut tar_stream = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut tar_stream).unwrap();
            let mut archive = tar::Archive::new(&tar_stream[..]);
            for member in archive.entries().unwrap() {
                let mut member = member.unwrap();
                let path = member.path().unwrap().display().to_string();
                let mut content = Vec::new();
                member.read_to_end(&mut content).unwrap();
                members.push((format!("{name}!{path}"), content));
            }
            members.push((format!("{name} (tar stream)"), tar_stream));
        } else if name.ends_with(".whl") {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            for index in 0..archive.len() {
                let mut member = archive.by_index(index).unwrap();
                let path = member.name().unwrap().to_string();
                let mut content = Vec::new();
                member.read_to_end(&mut content).unwrap();
                members.push((format!("{name}!{path}"), content));
            }
        }
    }
    members
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}

/// How a hostile build must end.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exit status 1 with this diagnostic code (`error[code]`), or this text
    /// after `error: `.
    Error(&'static str),
    /// A successful build.
    Archives,
    /// Either, depending on how fast the builder is: a correct archive, or
    /// this error when the limits stop it first.
    ArchivesOrError(&'static str),
}

/// What the native build of the same project must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Native {
    /// Exactly the same: exit status, messages and archive bytes.
    Same,
    /// The same exit status, other words (a path too deep for the host's
    /// file system gives the host's own error text, for one).
    SameStatus,
    /// Not run: the native build would do the unbounded work that the
    /// sandbox's limits stop.
    Skip,
}

/// Builds `hostile` with `--sandbox` (and `extra` arguments), checks the
/// outcome and the canary; then natively, which must agree as `native` says.
fn check(hostile: &Hostile, extra: &[&str], expect: Expect, native: Native) -> Outcome {
    let mut args = vec!["build".to_owned(), "--sandbox".to_owned()];
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    let env = vec![
        ("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned()),
        ("XDG_CACHE_HOME".to_owned(), shared_cache().display().to_string()),
        // The host's environment must never reach the guest.
        ("FLIT_HOSTILE_CANARY".to_owned(), hostile.canary.clone()),
    ];
    let canary_before = fs::read(hostile.canary_file()).unwrap();
    let outside_before = snapshot_tree(&hostile.outside_dir());
    let outcome = run(&flit_binary(), &args, &hostile.project, &env);
    let dist = hostile.project.join("dist");
    let members = archive_members(&dist);

    assert!(!outcome.timed_out, "the sandboxed build hung:\n{outcome}");
    assert!(!outcome.stderr.contains("panicked"), "the build panicked:\n{outcome}");
    for (name, text) in [("stdout", &outcome.stdout), ("stderr", &outcome.stderr)] {
        assert!(!text.contains(&hostile.canary), "the canary appeared in {name}:\n{outcome}");
    }
    for (name, bytes) in &members {
        assert!(!contains(bytes, &hostile.canary), "the canary appeared in {name}:\n{outcome}");
    }
    assert_eq!(fs::read(hostile.canary_file()).unwrap(), canary_before, "the canary file changed");
    assert_eq!(snapshot_tree(&hostile.outside_dir()), outside_before, "the outside directory changed");
    // Nothing of the sandbox's own is left behind.
    for name in support::file_names(&dist) {
        assert!(!name.starts_with(".flit-sandbox-"), "left behind: {name}");
    }

    let expect = match expect {
        Expect::ArchivesOrError(_) if outcome.succeeded() => Expect::Archives,
        Expect::ArchivesOrError(what) => Expect::Error(what),
        other => other,
    };
    match expect {
        Expect::ArchivesOrError(_) => unreachable!(),
        Expect::Error(what) => {
            assert_eq!(outcome.status, Some(1), "expected a clear error ({what}):\n{outcome}");
            let coded = format!("error[{what}]");
            let plain = format!("error: {what}");
            assert!(
                outcome.stderr.contains(&coded) || outcome.stderr.contains(&plain),
                "expected `{coded}` or `{plain}`:\n{outcome}"
            );
            assert!(members.is_empty(), "a failed build wrote archives:\n{outcome}");
            assert!(!dist.exists(), "a failed build created dist/:\n{outcome}");
        }
        Expect::Archives => {
            assert!(outcome.succeeded(), "expected archives:\n{outcome}");
            assert!(members.len() > 2, "expected two archives with members:\n{outcome}");
        }
    }

    if native != Native::Skip {
        // In place, with the sandbox's archives moved aside: links with
        // absolute targets, FIFOs and sparse files stay as they are.
        let sandboxed_dist = hostile.temp.path().join("sandboxed-dist");
        if dist.exists() {
            fs::rename(&dist, &sandboxed_dist).unwrap();
        }
        let mut native_args = vec!["build".to_owned()];
        native_args.extend(extra.iter().map(|arg| (*arg).to_owned()));
        let native_outcome = run(&flit_binary(), &native_args, &hostile.project, &env[..1]);
        let native_members = archive_members(&dist);
        let _ = fs::remove_dir_all(&dist);
        assert_eq!(
            native_outcome.status, outcome.status,
            "native and sandboxed builds disagree:\n{native_outcome}\n{outcome}"
        );
        if native == Native::Same {
            assert_eq!(native_outcome.stderr, outcome.stderr, "native and sandboxed messages differ");
        }
        assert_eq!(
            native_members.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            members.iter().map(|(name, _)| name).collect::<Vec<_>>()
        );
        for ((name, native_bytes), (_, bytes)) in native_members.iter().zip(&members) {
            assert!(native_bytes == bytes, "{name} differs between the native and sandboxed builds");
        }
    }
    outcome
}

// ---------------------------------------------------------------------------
// Symlinks out of the project

#[test]
fn absolute_symlink_to_a_file_outside() {
    let project = hostile();
    project.link("victim/leak.py", project.canary_file());
    for formats in [&[][..], &["--format", "wheel"]] {
        let outcome = check(&project, formats, Expect::Error("symlink-escape"), Native::Same);
        assert!(outcome.stderr.contains("victim/leak.py: error[symlink-escape]"), "{outcome}");
    }
}

#[test]
fn relative_symlink_to_a_file_outside() {
    let project = hostile();
    project.link("victim/leak.py", "../../canary.txt");
    check(&project, &[], Expect::Error("symlink-escape"), Native::Same);
    check(&project, &["--format", "wheel"], Expect::Error("symlink-escape"), Native::Same);
}

#[test]
fn absolute_symlink_to_a_directory_outside() {
    let project = hostile();
    project.link("victim/sub", project.outside_dir());
    let outcome = check(&project, &[], Expect::Error("symlink-escape"), Native::Same);
    assert!(outcome.stderr.contains("victim/sub: error[symlink-escape]"), "{outcome}");
}

#[test]
fn relative_symlink_to_a_directory_outside() {
    let project = hostile();
    project.link("victim/sub", "../../outside");
    check(&project, &[], Expect::Error("symlink-escape"), Native::Same);
    check(&project, &["--format", "wheel"], Expect::Error("symlink-escape"), Native::Same);
}

#[test]
fn the_module_itself_is_a_symlink_outside() {
    let project = hostile();
    fs::remove_dir_all(project.project.join("victim")).unwrap();
    project.link("victim", "../outside");
    project.pyproject("");
    check(&project, &[], Expect::Error("symlink-escape"), Native::Same);
}

#[test]
fn the_configuration_is_a_symlink_outside() {
    let project = hostile();
    // The canary as a description: if it were read, it would be in METADATA.
    let config = project.temp.path().join("evil.toml");
    fs::write(
        &config,
        format!("[project]\nname = \"victim\"\nversion = \"1.0\"\ndescription = \"{}\"\n", project.canary),
    )
    .unwrap();
    // Like every path, the configuration is resolved inside the project:
    // a link out of it, relative or absolute, is refused before reading.
    for target in [PathBuf::from("../evil.toml"), config] {
        fs::remove_file(project.project.join("pyproject.toml")).unwrap();
        project.link("pyproject.toml", &target);
        check(&project, &[], Expect::Error("symlink-escape"), Native::Same);
        check(&project, &["--format", "wheel"], Expect::Error("symlink-escape"), Native::Same);
    }
}

#[test]
fn symlink_loops_end() {
    let project = hostile();
    project.link("victim/a.py", "b.py");
    project.link("victim/b.py", "a.py");
    let outcome = check(&project, &[], Expect::Error("read-failed"), Native::Same);
    assert!(outcome.stderr.contains("too many levels of symbolic links"), "{outcome}");
}

#[test]
fn a_symlink_to_its_own_directory_is_not_descended() {
    let project = hostile();
    project.link("victim/again", ".");
    project.link("victim/up", "..");
    check(&project, &[], Expect::Archives, Native::Same);
}

// ---------------------------------------------------------------------------
// Paths in pyproject.toml that try to leave

#[test]
fn readme_outside() {
    for readme in ["../canary.txt", "../outside/secret.txt"] {
        let project = hostile();
        project.pyproject(&format!("readme = \"{readme}\"\n"));
        check(&project, &[], Expect::Error("readme-path"), Native::Same);
    }
}

#[test]
fn readme_absolute() {
    let project = hostile();
    project.pyproject(&format!(
        "readme = {{ file = \"{}\", content-type = \"text/plain\" }}\n",
        project.canary_file().display()
    ));
    check(&project, &[], Expect::Error("readme-path"), Native::Same);
}

#[test]
fn readme_through_a_symlink_outside() {
    let project = hostile();
    project.link("README.txt", "../canary.txt");
    project.pyproject("readme = \"README.txt\"\n");
    check(&project, &[], Expect::Error("readme-path"), Native::Same);

    let project = hostile();
    project.link("README.txt", project.canary_file());
    project.pyproject("readme = \"README.txt\"\n");
    check(&project, &[], Expect::Error("readme-path"), Native::Same);
}

#[test]
fn license_files_outside() {
    for pattern in ["../canary.txt", "../*.txt", "../outside/*"] {
        let project = hostile();
        project.pyproject(&format!("license-files = [\"{pattern}\"]\n"));
        check(&project, &[], Expect::Error("license-files-pattern"), Native::Same);
    }
}

#[test]
fn license_files_absolute() {
    let project = hostile();
    project.pyproject(&format!("license-files = [\"{}\"]\n", project.canary_file().display()));
    check(&project, &[], Expect::Error("license-files-pattern"), Native::Same);
}

#[test]
fn license_file_table_outside() {
    let project = hostile();
    project.pyproject("license = { file = \"../canary.txt\" }\n");
    check(&project, &[], Expect::Error("license-path"), Native::Same);

    let project = hostile();
    project.pyproject(&format!("license = {{ file = \"{}\" }}\n", project.canary_file().display()));
    check(&project, &[], Expect::Error("license-path"), Native::Same);
}

#[test]
fn external_data_outside() {
    let project = hostile();
    project.pyproject("\n[tool.flit.external-data]\ndirectory = \"../outside\"\n");
    check(&project, &[], Expect::Error("data-directory"), Native::Same);

    let project = hostile();
    project.pyproject(&format!("\n[tool.flit.external-data]\ndirectory = \"{}\"\n", project.outside_dir().display()));
    check(&project, &[], Expect::Error("data-directory"), Native::Same);
}

#[test]
fn external_data_through_a_symlink_outside() {
    let project = hostile();
    project.link("data", "../outside");
    project.pyproject("\n[tool.flit.external-data]\ndirectory = \"data\"\n");
    check(&project, &[], Expect::Error("data-directory"), Native::Same);
}

#[test]
fn sdist_include_patterns_that_leave() {
    let absolute = |project: &Hostile| project.canary_file().display().to_string();
    let patterns: [&dyn Fn(&Hostile) -> String; 5] = [
        &absolute,
        &|project| format!("{}/*", project.temp.path().display()),
        &|_| "../canary.txt".to_owned(),
        &|_| "../*".to_owned(),
        &|_| "victim/../../outside/*".to_owned(),
    ];
    for pattern in patterns {
        let project = hostile();
        project.pyproject(&format!("\n[tool.flit.sdist]\ninclude = [\"{}\"]\n", pattern(&project)));
        check(&project, &["--format", "sdist"], Expect::Error("sdist-pattern"), Native::Same);
    }
}

#[test]
fn sdist_include_through_a_symlinked_directory() {
    let project = hostile();
    project.link("docs", "../outside");
    project.pyproject("\n[tool.flit.sdist]\ninclude = [\"docs/**/*\", \"docs\"]\n");
    check(&project, &["--format", "sdist"], Expect::Error("symlink-escape"), Native::Same);
}

// ---------------------------------------------------------------------------
// Files that never end

#[test]
fn a_fifo_in_the_package() {
    let project = hostile();
    let fifo = project.project.join("victim").join("pipe");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    check(&project, &[], Expect::Error("special-file"), Native::Same);
}

#[test]
fn a_fifo_as_the_readme() {
    let project = hostile();
    let status = Command::new("mkfifo").arg(project.project.join("README.md")).status().expect("mkfifo runs");
    assert!(status.success());
    project.pyproject("readme = \"README.md\"\n");
    check(&project, &[], Expect::Error("special-file"), Native::Same);
}

#[test]
fn a_device_through_a_symlink() {
    let project = hostile();
    project.link("victim/zeros.bin", "/dev/zero");
    check(&project, &[], Expect::Error("symlink-escape"), Native::Same);

    let project = hostile();
    project.link("victim/zeros.bin", "../../../../../../../../../../../../dev/zero");
    check(&project, &[], Expect::Error("symlink-escape"), Native::Same);
}

#[test]
fn a_huge_sparse_file_is_stopped_by_the_cpu_budget() {
    let project = hostile();
    let file = fs::File::create(project.project.join("victim").join("huge.bin")).unwrap();
    file.set_len(64 << 30).unwrap();
    drop(file);
    // Not built natively: that would read 64 GiB. The default budget stops
    // it too, after a few minutes; a small one keeps the test short.
    check(
        &project,
        &["--format", "wheel", "--sandbox-fuel", "20"],
        Expect::Error("the sandboxed build was stopped: it used up its CPU budget of 20 billion instructions"),
        Native::Skip,
    );
}

#[test]
fn a_huge_readme_is_refused_before_it_is_read() {
    let project = hostile();
    let file = fs::File::create(project.project.join("README.md")).unwrap();
    file.set_len(8 << 30).unwrap();
    drop(file);
    project.pyproject("readme = \"README.md\"\n");
    let outcome = check(&project, &[], Expect::Error("readme-not-found"), Native::Same);
    assert!(outcome.stderr.contains("larger than"), "{outcome}");
}

// ---------------------------------------------------------------------------
// Trees and configurations built to exhaust the builder

/// Makes `levels` nested directories `d/` under `top` and a file at the
/// bottom, one level at a time relative to the last (no path could name the
/// bottom at once: PATH_MAX is 4096).
fn nest(top: &Path, levels: usize) {
    let script = "import os, sys\n\
        fd = os.open(sys.argv[1], os.O_RDONLY)\n\
        for _ in range(int(sys.argv[2])):\n    \
            os.mkdir('d', dir_fd=fd)\n    \
            inner = os.open('d', os.O_RDONLY, dir_fd=fd)\n    \
            os.close(fd)\n    \
            fd = inner\n\
        leaf = os.open('leaf.py', os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)\n\
        os.write(leaf, b'deep = True\\n')\n";
    let status = Command::new(support::test_python())
        .args(["-c", script])
        .arg(top)
        .arg(levels.to_string())
        .status()
        .expect("Python runs");
    assert!(status.success());
}

#[test]
fn very_deep_directory_nesting() {
    // Deep, but every path still fits: a correct archive.
    let project = hostile();
    nest(&project.project.join("victim"), 1000);
    check(&project, &["--format", "wheel"], Expect::Archives, Native::Same);

    // Deeper than any path can be: a clear error.
    let project = hostile();
    nest(&project.project.join("victim"), 3000);
    let outcome = check(&project, &[], Expect::Error("read-failed"), Native::SameStatus);
    assert!(outcome.stderr.contains("victim/d/d/d"), "{outcome}");
}

#[test]
fn many_files() {
    let project = hostile();
    let script = "cd \"$1\" && mkdir many && cd many && for i in $(seq 1 10); do mkdir $i && (cd $i && touch $(seq 1 1000)); done";
    let status =
        Command::new("sh").args(["-c", script, "sh"]).arg(project.project.join("victim")).status().expect("sh runs");
    assert!(status.success());
    check(&project, &["--format", "wheel"], Expect::Archives, Native::Same);
}

#[test]
fn deeply_nested_toml_arrays() {
    let project = hostile();
    let depth = 100_000;
    project.pyproject(&format!("keywords = {}{}\n", "[".repeat(depth), "]".repeat(depth)));
    check(&project, &[], Expect::Error("toml-syntax"), Native::Same);
}

#[test]
fn deeply_nested_inline_tables() {
    let project = hostile();
    let depth = 100_000;
    project.pyproject(&format!("\n[tool.x]\ny = {}1{}\n", "{a = ".repeat(depth), "}".repeat(depth)));
    check(&project, &[], Expect::Error("toml-syntax"), Native::Same);
}

#[test]
fn a_pyproject_of_many_megabytes() {
    let project = hostile();
    let keywords: Vec<String> = (0..400_000).map(|index| format!("\"k{index}\"")).collect();
    project.pyproject(&format!("keywords = [{}]\n", keywords.join(", ")));
    check(&project, &["--format", "wheel"], Expect::Archives, Native::Same);
}

#[test]
fn patterns_built_to_explode() {
    let project = hostile();
    for index in 0..30 {
        project.write(&format!("docs/{}/x.txt", "a/".repeat(index)), "x");
    }
    let stars = "**/".repeat(24);
    let question = "?".repeat(200);
    project.pyproject(&format!(
        "\n[tool.flit.sdist]\ninclude = [\"{stars}*\", \"docs/{question}*\", \"docs/{}*\"]\nexclude = [\"{stars}x.txt\"]\n",
        "*a*".repeat(50)
    ));
    // `**/` repeated makes glob expansion combinatorial (flit's too), and
    // most of that time goes to listing directories, which fuel does not
    // count: the timeout stops it, unless the builder is smart enough to
    // finish.
    check(
        &project,
        &["--format", "sdist", "--sandbox-fuel", "20", "--sandbox-timeout", "5"],
        Expect::ArchivesOrError("the sandboxed build was stopped"),
        Native::Skip,
    );
}

#[test]
fn very_many_dependencies_and_classifiers() {
    let project = hostile();
    let dependencies: Vec<String> =
        (0..20_000).map(|index| format!("\"package{index} >=1.0; python_version > '3.8'\"")).collect();
    let extras: Vec<String> = (0..2_000).map(|index| format!("extra{index} = [\"x{index}\"]")).collect();
    project.pyproject(&format!(
        "dependencies = [{}]\n\n[project.optional-dependencies]\n{}\n",
        dependencies.join(", "),
        extras.join("\n")
    ));
    check(&project, &["--format", "wheel"], Expect::Archives, Native::Same);
}
