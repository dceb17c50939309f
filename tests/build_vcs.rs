//! `flit build --use-vcs` against flit 4.2.0's own `flit build --use-vcs`.
//!
//! Fixtures are turned into git repositories at test time (with extra files
//! the configuration does not name: docs, tests, a dotfile, an ignored file),
//! then both tools build them with the same `SOURCE_DATE_EPOCH`. The sdists'
//! tar streams and the wheels must agree exactly as in the other
//! differential tests. Untracked files make both refuse.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::compare::{compare_sdists, compare_wheels};
use support::{EPOCH, FixtureOptions, copy_build_fixture, file_names, run, run_flit_cli, sdist, test_python, wheel};

fn git(project: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(project)
        .status()
        .expect("git is installed");
    assert!(status.success(), "git {args:?} failed in {}", project.display());
}

/// A copy of `fixture` committed to a fresh git repository, with files only
/// version control brings into the sdist.
fn repository(fixture: &str) -> support::FixtureCopy {
    let copy = copy_build_fixture(fixture, &FixtureOptions::load(fixture));
    let project = &copy.project;
    fs::create_dir_all(project.join("docs")).unwrap();
    fs::write(project.join("docs/index.rst"), "Documentation\n=============\n").unwrap();
    fs::create_dir_all(project.join("tests")).unwrap();
    fs::write(project.join("tests/test_it.py"), "def test_it():\n    pass\n").unwrap();
    fs::write(project.join(".editorconfig"), "root = true\n").unwrap();
    fs::write(project.join(".gitignore"), "ignored.log\n").unwrap();
    fs::write(project.join("ignored.log"), "not tracked, ignored\n").unwrap();
    git(project, &["init", "-q"]);
    git(project, &["add", "-A"]);
    git(project, &["commit", "-q", "-m", "fixture"]);
    copy
}

fn ours(project: &Path, env: &[(String, String)]) -> support::Outcome {
    let args = ["build".to_owned(), "--use-vcs".to_owned()];
    run(Path::new(env!("CARGO_BIN_EXE_flit")), &args, project, env)
}

fn flit(project: &Path, env: &[(String, String)]) -> support::Outcome {
    let args = ["-m".to_owned(), "flit".to_owned(), "build".to_owned(), "--use-vcs".to_owned()];
    run(&test_python(), &args, project, env)
}

fn environment() -> Vec<(String, String)> {
    vec![
        ("SOURCE_DATE_EPOCH".to_owned(), EPOCH.to_owned()),
        // flit would fetch the classifier list; the tests never touch the network.
        ("FLIT_NO_NETWORK".to_owned(), "1".to_owned()),
    ]
}

/// Builds `fixture` from a repository with both tools; panics on any difference.
fn check(fixture: &str) {
    let env = environment();
    let reference_copy = repository(fixture);
    let reference = flit(&reference_copy.project, &env);
    assert!(reference.succeeded(), "{fixture}: flit 4.2.0 --use-vcs failed:\n{reference}");
    let ours_copy = repository(fixture);
    let built = ours(&ours_copy.project, &env);
    assert!(built.succeeded(), "{fixture}: our --use-vcs build failed:\n{built}");

    let (reference_dist, our_dist) = (reference_copy.project.join("dist"), ours_copy.project.join("dist"));
    let names = file_names(&reference_dist);
    assert_eq!(file_names(&our_dist), names, "{fixture}: different archives");
    for name in &names {
        let differences = if name.ends_with(".whl") {
            compare_wheels(&wheel::read(&reference_dist.join(name)), &wheel::read(&our_dist.join(name)))
        } else {
            compare_sdists(&sdist::read(&reference_dist.join(name)), &sdist::read(&our_dist.join(name)))
        };
        assert!(differences.is_empty(), "{fixture}: {name} differs from flit's:\n{}", differences.render());
    }
    // The point of --use-vcs: tracked files the configuration does not name.
    let sdist_name = names.iter().find(|name| name.ends_with(".tar.gz")).unwrap();
    let members = sdist::read(&our_dist.join(sdist_name)).names();
    for expected in ["docs/index.rst", "tests/test_it.py", ".editorconfig", ".gitignore"] {
        assert!(members.iter().any(|member| member.ends_with(expected)), "{fixture}: {expected} not in {members:?}");
    }
    assert!(!members.iter().any(|member| member.ends_with("ignored.log")), "{fixture}: an ignored file got in");
}

#[test]
fn package_with_data_from_git() {
    check("package-with-data");
}

#[test]
fn include_exclude_from_git() {
    check("sdist-include-exclude");
}

#[test]
fn full_project_from_git() {
    check("full-project");
}

#[test]
fn src_layout_from_git() {
    check("src-layout-package");
}

#[test]
fn untracked_files_are_refused_by_both() {
    let env = environment();
    for tool in ["ours", "flit"] {
        let copy = repository("minimal-module");
        fs::write(copy.project.join("notes.txt"), "untracked\n").unwrap();
        // Files under dist/ never count.
        fs::create_dir_all(copy.project.join("dist")).unwrap();
        fs::write(copy.project.join("dist/old.txt"), "untracked but in dist\n").unwrap();
        let outcome = if tool == "ours" { ours(&copy.project, &env) } else { flit(&copy.project, &env) };
        assert!(!outcome.succeeded(), "{tool} built with an untracked file:\n{outcome}");
        let text = format!("{}{}", outcome.stdout, outcome.stderr);
        assert!(text.contains("Untracked") || text.contains("untracked"), "{tool}: {text}");
        if tool == "ours" {
            assert!(text.contains("error[untracked-files]") && text.contains("notes.txt"), "{text}");
            assert!(!text.contains("old.txt"), "files under dist/ must not count: {text}");
        }
    }
}

#[test]
fn without_a_repository_use_vcs_selects_files_from_the_configuration() {
    let env = environment();
    let copy = copy_build_fixture("minimal-module", &FixtureOptions::load("minimal-module"));
    let built = ours(&copy.project, &env);
    assert!(built.succeeded(), "{built}");
    let reference = copy_build_fixture("minimal-module", &FixtureOptions::load("minimal-module"));
    let plain = run_flit_cli(&reference.project, &[], &env);
    assert!(plain.succeeded(), "{plain}");
    assert_eq!(file_names(&copy.project.join("dist")), file_names(&reference.project.join("dist")));
}
