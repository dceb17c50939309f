//! The WASI build inside embedded wasmtime: a build that can read only the
//! project, write only its output directory, and never run project code.
//!
//! - [`runner`]: one run of a WASI module with given preopens, variables and
//!   limits;
//! - [`module`]: the module embedded at build time, and the cache of its
//!   compiled form;
//! - [`executables`]: the bounded walk that tells the guest which files are
//!   executable;
//! - [`build`]: `flit build --sandbox` itself.

pub mod build;
pub mod executables;
pub mod module;
pub mod runner;

pub use build::{SandboxedBuild, run_sandboxed_build};
pub use module::EMBEDDED_MODULE;
pub use runner::{FUEL_UNIT, Invocation, Limits, Outcome, Preopen, Runner, SandboxError};
