//! The `flit` command line around the pure `flit-core`: argument parsing,
//! the file system, atomic output, and the native-only helpers.
//!
//! One source for two builds: natively, and for `wasm32-wasip1`, where only
//! what a preopened directory allows is available.

pub mod app;
pub mod check;
pub mod cli;
pub mod console;
pub mod host;
#[cfg(not(target_family = "wasm"))]
pub mod sandbox;
