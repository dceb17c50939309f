//! The WASI build inside embedded wasmtime: a build that can read only the
//! project, write only its output directory, and never run project code.

mod runner;

pub use runner::{Invocation, Limits, Outcome, Preopen, Runner, SandboxError};
