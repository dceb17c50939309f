//! Running a WASI command module inside embedded wasmtime, with nothing
//! but the directories, variables and limits it is given.

use std::path::PathBuf;

use wasmtime::{Config, Engine, Linker, Module, Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// How much of its output the guest may write to stdout or stderr; beyond
/// this it is dropped (a diagnostic report is never this long).
const OUTPUT_CAPACITY: usize = 4 << 20;

/// A host directory made visible to the guest.
#[derive(Debug, Clone)]
pub struct Preopen {
    /// The directory on the host.
    pub host: PathBuf,
    /// Its name inside the guest (`.` for the working directory).
    pub guest: String,
    /// Whether the guest may create and change files in it.
    pub writable: bool,
}

/// Resource limits for one run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest linear memory, in bytes.
    pub memory_bytes: usize,
    /// Fuel (roughly, WebAssembly instructions) before the guest is stopped.
    pub fuel: u64,
}

impl Default for Limits {
    fn default() -> Self {
        // Generous for any real project: 1 GiB, and fuel for minutes of work.
        Limits { memory_bytes: 1 << 30, fuel: 2_000_000_000_000 }
    }
}

/// One invocation of the guest.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    /// Arguments, program name first.
    pub args: Vec<String>,
    /// The only environment variables the guest sees.
    pub env: Vec<(String, String)>,
    /// The only directories the guest sees.
    pub preopens: Vec<Preopen>,
    /// The limits.
    pub limits: Limits,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The guest's exit status.
    pub exit_code: i32,
    /// What it wrote to stdout.
    pub stdout: Vec<u8>,
    /// What it wrote to stderr.
    pub stderr: Vec<u8>,
}

/// Why the guest could not run to completion.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The guest used more memory than allowed.
    #[error("the sandboxed build needed more than {limit_mib} MiB of memory; raise the limit with --sandbox-memory")]
    OutOfMemory {
        /// The limit, in MiB.
        limit_mib: usize,
    },
    /// The guest ran out of fuel.
    #[error("the sandboxed build ran longer than its CPU budget allows; raise it with --sandbox-fuel")]
    OutOfFuel,
    /// Anything else wasmtime reported (a trap, a bad module, a preopen that
    /// cannot be opened).
    #[error("the sandboxed build failed: {0}")]
    Engine(String),
}

/// A compiled module with the engine that runs it.
pub struct Runner {
    engine: Engine,
    module: Module,
}

struct State {
    wasi: WasiP1Ctx,
    limits: StoreLimits,
}

impl Runner {
    /// The engine configuration every run uses: fuel metering on.
    pub fn engine() -> Result<Engine, SandboxError> {
        let mut config = Config::new();
        config.consume_fuel(true);
        Engine::new(&config).map_err(|error| SandboxError::Engine(error.to_string()))
    }

    /// Compiles `wasm` (a WASI command module).
    pub fn compile(engine: &Engine, wasm: &[u8]) -> Result<Self, SandboxError> {
        let module = Module::new(engine, wasm).map_err(|error| SandboxError::Engine(error.to_string()))?;
        Ok(Runner { engine: engine.clone(), module })
    }

    /// Loads a module precompiled by [`Runner::precompile`] with the same
    /// engine configuration and wasmtime version.
    ///
    /// # Safety of the input
    /// wasmtime trusts serialised modules; only pass bytes this program
    /// produced itself (a cache it wrote, or bytes embedded at build time).
    pub fn from_precompiled(engine: &Engine, bytes: &[u8]) -> Result<Self, SandboxError> {
        #[allow(unsafe_code)]
        // SAFETY: the bytes come from `precompile` run by this same binary
        // (see the caller's cache key), never from the project.
        let module =
            unsafe { Module::deserialize(engine, bytes) }.map_err(|error| SandboxError::Engine(error.to_string()))?;
        Ok(Runner { engine: engine.clone(), module })
    }

    /// Compiles `wasm` to the serialised form [`Runner::from_precompiled`] loads.
    pub fn precompile(engine: &Engine, wasm: &[u8]) -> Result<Vec<u8>, SandboxError> {
        engine.precompile_module(wasm).map_err(|error| SandboxError::Engine(error.to_string()))
    }

    /// Runs the module once.
    pub fn run(&self, invocation: &Invocation) -> Result<Outcome, SandboxError> {
        let stdout = MemoryOutputPipe::new(OUTPUT_CAPACITY);
        let stderr = MemoryOutputPipe::new(OUTPUT_CAPACITY);
        let mut builder = WasiCtxBuilder::new();
        builder.args(&invocation.args).envs(&invocation.env).stdout(stdout.clone()).stderr(stderr.clone());
        for preopen in &invocation.preopens {
            let permissions = if preopen.writable { FsPerms::ReadWrite } else { FsPerms::ReadOnly };
            builder
                .preopened_dir(&preopen.host, &preopen.guest, permissions)
                .map_err(|error| SandboxError::Engine(format!("cannot open {}: {error}", preopen.host.display())))?;
        }
        let limits = StoreLimitsBuilder::new().memory_size(invocation.limits.memory_bytes).instances(1).build();
        let mut store = Store::new(&self.engine, State { wasi: builder.build_p1(), limits });
        store.limiter(|state| &mut state.limits);
        store.set_fuel(invocation.limits.fuel).map_err(|error| SandboxError::Engine(error.to_string()))?;

        let mut linker: Linker<State> = Linker::new(&self.engine);
        p1::add_to_linker_sync(&mut linker, |state: &mut State| &mut state.wasi)
            .map_err(|error| SandboxError::Engine(error.to_string()))?;
        let result = linker
            .instantiate(&mut store, &self.module)
            .and_then(|instance| instance.get_typed_func::<(), ()>(&mut store, "_start"))
            .and_then(|start| start.call(&mut store, ()));
        let exit_code = match result {
            Ok(()) => 0,
            Err(error) => {
                if let Some(exit) = error.downcast_ref::<I32Exit>() {
                    exit.0
                } else if matches!(error.downcast_ref::<wasmtime::Trap>(), Some(wasmtime::Trap::OutOfFuel)) {
                    return Err(SandboxError::OutOfFuel);
                } else if is_memory_exhaustion(&error, &stderr.contents()) {
                    return Err(SandboxError::OutOfMemory { limit_mib: invocation.limits.memory_bytes >> 20 });
                } else {
                    return Err(SandboxError::Engine(format!("{error:#}")));
                }
            }
        };
        Ok(Outcome { exit_code, stdout: stdout.contents().to_vec(), stderr: stderr.contents().to_vec() })
    }
}

/// A guest that cannot grow its memory aborts (Rust's allocation failure
/// handler traps with `unreachable` after printing "memory allocation of N
/// bytes failed").
fn is_memory_exhaustion(error: &wasmtime::Error, stderr: &[u8]) -> bool {
    let said_so = String::from_utf8_lossy(stderr).contains("memory allocation of");
    said_so || format!("{error:#}").contains("memory")
}
