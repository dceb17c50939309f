//! The embedded trove classifier list (`flit_core::classifiers`) against the
//! pinned `trove-classifiers` package.
//!
//! The interpreter named by `FLIT_TEST_PYTHON` (with the
//! `trove-classifiers` of `tests/requirements.txt`) prints the package's
//! version, `sorted_classifiers` and `deprecated_classifiers`; the embedded
//! tables must hold exactly the same classifiers and deprecations, from the
//! same version, and `classify` must agree with them. The test fails, never
//! skips, when `FLIT_TEST_PYTHON` is not set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a failing test should stop at the failure")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use flit_core::classifiers::{self, ClassifierStatus, TROVE_CLASSIFIERS_VERSION};
use serde_json::Value;

const REFERENCE: &str = r#"
import importlib.metadata, json
import trove_classifiers
print(json.dumps({
    "version": importlib.metadata.version("trove-classifiers"),
    "classifiers": trove_classifiers.sorted_classifiers,
    "deprecated": trove_classifiers.deprecated_classifiers,
}))
"#;

fn test_python() -> PathBuf {
    match std::env::var_os("FLIT_TEST_PYTHON").filter(|value| !value.is_empty()) {
        Some(value) => PathBuf::from(value),
        None => panic!(
            "FLIT_TEST_PYTHON is not set: this test compares the embedded classifiers with the pinned \
             trove-classifiers package. Run it with tests/run.sh, or set FLIT_TEST_PYTHON to a Python \
             with tests/requirements.txt installed."
        ),
    }
}

#[test]
fn embedded_list_matches_the_pinned_package() {
    let python = test_python();
    let output = Command::new(&python)
        .arg("-c")
        .arg(REFERENCE)
        .output()
        .unwrap_or_else(|error| panic!("could not run FLIT_TEST_PYTHON={}: {error}", python.display()));
    assert!(
        output.status.success(),
        "the reference script failed (is trove-classifiers installed?):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reference: Value = serde_json::from_slice(&output.stdout).unwrap();

    assert_eq!(
        reference["version"].as_str().unwrap(),
        TROVE_CLASSIFIERS_VERSION,
        "regenerate core/src/classifiers/data.rs"
    );

    let theirs: Vec<&str> = reference["classifiers"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let ours: Vec<&str> = classifiers::classifiers().collect();
    assert_eq!(ours.len(), theirs.len(), "the number of classifiers differs");
    assert_eq!(
        ours.iter().copied().collect::<BTreeSet<_>>(),
        theirs.iter().copied().collect::<BTreeSet<_>>(),
        "the classifiers differ"
    );
    for classifier in &theirs {
        assert_eq!(classifiers::classify(classifier), ClassifierStatus::Valid, "{classifier}");
    }

    let theirs: BTreeMap<&str, Vec<&str>> = reference["deprecated"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect()))
        .collect();
    let ours: BTreeMap<&str, Vec<&str>> =
        classifiers::deprecated_classifiers().map(|(old, new)| (old, new.to_vec())).collect();
    assert_eq!(ours, theirs, "the deprecated classifiers differ");
    for (old, replacements) in &theirs {
        match classifiers::classify(old) {
            ClassifierStatus::Deprecated { replacements: ours } => assert_eq!(ours, replacements.as_slice(), "{old}"),
            other => panic!("{old} is {other:?}, not deprecated"),
        }
    }
}
