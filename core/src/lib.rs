//! The pure core of a flit-compatible Python packaging tool.
//!
//! Everything that decides lives here: reading and validating
//! `pyproject.toml`, locating the module and reading its `__version__` and
//! docstring without running Python, normalising names and versions,
//! choosing the files of a wheel and an sdist, and writing both archives
//! byte for byte. Nothing here touches the outside world: the project
//! arrives through [`tree::ProjectTree`], archives leave through writers the
//! host supplies, and time and environment arrive in [`options::BuildOptions`].
//! The same code therefore runs natively, under WASI and in a browser.

#![forbid(unsafe_code)]

pub mod archive;
pub mod build;
pub mod check;
pub mod classifiers;
pub mod config;
pub mod diagnostic;
pub mod distribution;
pub mod dynamic;
pub mod error;
pub mod glob;
pub mod metadata;
pub mod module;
pub mod names;
pub mod options;
pub mod parallel;
pub mod path;
pub mod people;
pub mod pep508;
pub mod python;
pub mod rst;
pub mod sdist;
pub mod spdx;
pub mod tree;
pub mod validate;
pub mod version;
pub mod wheel;
