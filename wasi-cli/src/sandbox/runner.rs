//! Running a WASI command module inside embedded wasmtime, with nothing
//! but the directories, variables and limits it is given.
//!
//! The guest gets no inherited environment, no stdin, no sockets (WASI
//! preview 1 has no way to open one, and the context denies every address
//! besides), only the preopened directories with the permissions asked for,
//! a memory cap enforced on every growth of its linear memory, and two
//! bounds on time:
//! - fuel: each WebAssembly instruction burns fuel, and the guest is stopped
//!   when none is left. Fuel is deterministic: the same project is stopped at
//!   the same point on a fast or a busy machine. But it does not count the
//!   time spent in the host's file system calls;
//! - a wall-clock timeout, through epoch interruption: the host ticks the
//!   engine's epoch and the guest checks it at every function entry and loop
//!   back-edge, so it is stopped within a tick of the deadline even when
//!   most of its time goes to system calls. The guest runs on its own thread,
//!   and if a system call itself never returns, the host stops waiting a few
//!   seconds after the deadline.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use wasmtime::{Config, Engine, Linker, Module, ResourceLimiter, Store, Trap, UpdateDeadline};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// How much of its output the guest may write to stdout or stderr; beyond
/// this it is dropped (a diagnostic report is never this long).
pub const OUTPUT_CAPACITY: usize = 4 << 20;

/// The most table elements the guest may have (Rust modules use one table
/// for indirect calls, a few thousand entries long).
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Fuel is counted in units of this many instructions on the command line.
pub const FUEL_UNIT: u64 = 1_000_000_000;

/// How often the engine's epoch ticks, that is how often a running guest
/// checks the clock.
const EPOCH_TICK: Duration = Duration::from_millis(50);

/// How long after the deadline the host gives up on a guest stuck in a
/// system call that never returns (the guest checks its deadline only while
/// it runs WebAssembly).
const STUCK_GRACE: Duration = Duration::from_secs(5);

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest linear memory, in bytes.
    pub memory_bytes: usize,
    /// Fuel (roughly, WebAssembly instructions) before the guest is stopped.
    pub fuel: u64,
    /// Wall-clock time before the guest is stopped.
    pub timeout: Duration,
}

impl Limits {
    /// The default memory cap, in MiB: far more than a build of any real
    /// project needs (they stream archive members; only text files are held
    /// whole, each at most 16 MiB).
    pub const DEFAULT_MEMORY_MIB: u64 = 1024;
    /// The default CPU budget, in units of [`FUEL_UNIT`] instructions: enough
    /// to archive about 5 GiB of sources (each byte goes into both archives,
    /// at about 200 instructions a byte), a few minutes of work.
    pub const DEFAULT_FUEL_BILLIONS: u64 = 2000;
    /// The default wall-clock limit, in seconds: well beyond what the fuel
    /// budget allows in computation, so it stops only a guest whose time goes
    /// to system calls (such as a project built to make it list directories
    /// without end).
    pub const DEFAULT_TIMEOUT_SECONDS: u64 = 600;

    /// Limits from a memory cap in MiB, a fuel budget in billions of
    /// instructions and a timeout in seconds, saturating (wasm32 cannot
    /// address more than 4 GiB anyway).
    pub fn new(memory_mib: u64, fuel_billions: u64, timeout_seconds: u64) -> Self {
        let memory_bytes = usize::try_from(memory_mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
        Limits {
            memory_bytes,
            fuel: fuel_billions.saturating_mul(FUEL_UNIT),
            timeout: Duration::from_secs(timeout_seconds),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(Limits::DEFAULT_MEMORY_MIB, Limits::DEFAULT_FUEL_BILLIONS, Limits::DEFAULT_TIMEOUT_SECONDS)
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
    /// Fuel left unburnt (the budget minus what the run used).
    pub fuel_left: u64,
}

/// Why the guest could not run to completion.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The guest tried to grow its memory beyond the cap.
    #[error(
        "the sandboxed build was stopped: it needed more than {limit_mib} MiB of memory; \
         if the project really needs more, raise the limit with --sandbox-memory MIB"
    )]
    OutOfMemory {
        /// The limit, in MiB.
        limit_mib: usize,
        /// What the guest printed before it was stopped.
        stderr: Vec<u8>,
    },
    /// The guest burnt all its fuel.
    #[error(
        "the sandboxed build was stopped: it used up its CPU budget of {budget_billions} billion instructions; \
         if the project really needs more, raise it with --sandbox-fuel BILLIONS"
    )]
    OutOfFuel {
        /// The budget, in billions of instructions.
        budget_billions: u64,
        /// What the guest printed before it was stopped.
        stderr: Vec<u8>,
    },
    /// The guest ran past its wall-clock limit.
    #[error(
        "the sandboxed build was stopped: it ran longer than {seconds} s; \
         if the project really needs more time, raise the limit with --sandbox-timeout SECONDS"
    )]
    TimedOut {
        /// The limit, in seconds.
        seconds: u64,
        /// What the guest printed before it was stopped.
        stderr: Vec<u8>,
    },
    /// The guest crashed (a trap: stack exhaustion, a panic, ...).
    #[error("the sandboxed build crashed: {message}")]
    Crashed {
        /// What wasmtime reported.
        message: String,
        /// What the guest printed before it crashed.
        stderr: Vec<u8>,
    },
    /// The engine could not be set up (a bad module, a preopen that cannot
    /// be opened, an unusable precompiled module).
    #[error("the sandbox could not be set up: {0}")]
    Engine(String),
}

impl SandboxError {
    /// What the guest printed to stderr before it was stopped, if it ran.
    pub fn guest_stderr(&self) -> &[u8] {
        match self {
            SandboxError::OutOfMemory { stderr, .. }
            | SandboxError::OutOfFuel { stderr, .. }
            | SandboxError::TimedOut { stderr, .. }
            | SandboxError::Crashed { stderr, .. } => stderr,
            SandboxError::Engine(_) => &[],
        }
    }
}

fn engine_error(error: wasmtime::Error) -> SandboxError {
    SandboxError::Engine(format!("{error:#}"))
}

/// A compiled module with the engine that runs it.
pub struct Runner {
    engine: Engine,
    module: Module,
}

/// Enforces the memory cap, and remembers that it did so the failure can be
/// reported as what it is.
struct MemoryCap {
    limit_bytes: usize,
    exceeded: bool,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limit_bytes {
            // An error, not `Ok(false)`: the guest is stopped at once rather
            // than left to handle (in Rust: abort on) a failed allocation.
            self.exceeded = true;
            return Err(wasmtime::Error::msg("the memory limit was reached"));
        }
        Ok(maximum.is_none_or(|maximum| desired <= maximum))
    }

    fn table_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS && maximum.is_none_or(|maximum| desired <= maximum))
    }

    // One module, instantiated once: it has one memory and one table.
    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        2
    }

    fn memories(&self) -> usize {
        1
    }
}

struct State {
    wasi: WasiP1Ctx,
    limits: MemoryCap,
    timed_out: bool,
}

impl Runner {
    /// The engine configuration every run uses: fuel metering and epoch
    /// interruption on, the rest wasmtime's defaults (which bound the guest's
    /// stack to 512 KiB).
    pub fn engine() -> Result<Engine, SandboxError> {
        let mut config = Config::new();
        config.consume_fuel(true);
        config.epoch_interruption(true);
        Engine::new(&config).map_err(engine_error)
    }

    /// Compiles `wasm` (a WASI command module).
    pub fn compile(engine: &Engine, wasm: &[u8]) -> Result<Self, SandboxError> {
        let module = Module::new(engine, wasm).map_err(engine_error)?;
        Ok(Runner { engine: engine.clone(), module })
    }

    /// Loads a module precompiled by [`Runner::precompile`] with the same
    /// engine configuration and wasmtime version.
    ///
    /// wasmtime trusts serialised modules (they contain machine code), so
    /// only bytes this program produced itself may be passed: a cache entry
    /// it wrote and checked, or the output of [`Runner::precompile`].
    pub fn from_precompiled(engine: &Engine, bytes: &[u8]) -> Result<Self, SandboxError> {
        #[allow(unsafe_code)]
        // SAFETY: `Module::deserialize` requires bytes made by
        // `Engine::precompile_module`/`Module::serialize` of a compatible
        // engine. Callers pass only our own precompiled output: fresh from
        // `precompile`, or read back from our cache after its checksum and
        // key (module hash, wasmtime version, engine configuration) matched;
        // never bytes from the project. wasmtime additionally checks the
        // version and configuration recorded in the bytes and refuses a
        // mismatch with an error.
        let module = unsafe { Module::deserialize(engine, bytes) }.map_err(engine_error)?;
        Ok(Runner { engine: engine.clone(), module })
    }

    /// Compiles `wasm` to the serialised form [`Runner::from_precompiled`] loads.
    pub fn precompile(engine: &Engine, wasm: &[u8]) -> Result<Vec<u8>, SandboxError> {
        engine.precompile_module(wasm).map_err(engine_error)
    }

    /// Runs the module once, on a thread of its own, and waits for it within
    /// the limits.
    pub fn run(&self, invocation: &Invocation) -> Result<Outcome, SandboxError> {
        let stdout = MemoryOutputPipe::new(OUTPUT_CAPACITY);
        let stderr = MemoryOutputPipe::new(OUTPUT_CAPACITY);
        let (sender, receiver) = mpsc::channel();
        let guest = Guest {
            engine: self.engine.clone(),
            module: self.module.clone(),
            invocation: invocation.clone(),
            stdout: stdout.clone(),
            stderr: stderr.clone(),
        };
        std::thread::Builder::new()
            .name("flit-sandbox".to_owned())
            .spawn(move || {
                let _ = sender.send(guest.run());
            })
            .map_err(|error| SandboxError::Engine(format!("cannot start the sandbox's thread: {error}")))?;

        // This thread keeps the clock: it ticks the epoch so that the running
        // guest checks its deadline, and gives up on a guest that stopped
        // checking (stuck in a system call) a little after the deadline.
        let started = Instant::now();
        let give_up = invocation.limits.timeout.saturating_add(STUCK_GRACE);
        loop {
            match receiver.recv_timeout(EPOCH_TICK) {
                Ok(result) => return result,
                Err(RecvTimeoutError::Timeout) => {
                    self.engine.increment_epoch();
                    if started.elapsed() > give_up {
                        return Err(SandboxError::TimedOut {
                            seconds: invocation.limits.timeout.as_secs(),
                            stderr: stderr.contents().to_vec(),
                        });
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(SandboxError::Engine("the sandbox's thread stopped unexpectedly".to_owned()));
                }
            }
        }
    }
}

/// Everything one run needs, moved to the thread that runs the guest.
struct Guest {
    engine: Engine,
    module: Module,
    invocation: Invocation,
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
}

impl Guest {
    fn run(self) -> Result<Outcome, SandboxError> {
        let Guest { engine, module, invocation, stdout, stderr } = self;
        let mut builder = WasiCtxBuilder::new();
        builder
            .args(&invocation.args)
            .envs(&invocation.env)
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            // Preview 1 cannot open sockets; deny them all the same, so a
            // future change of the module's WASI version cannot add any.
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .socket_addr_check(|_, _| Box::pin(async { false }));
        for preopen in &invocation.preopens {
            let permissions = if preopen.writable { FsPerms::ReadWrite } else { FsPerms::ReadOnly };
            builder
                .preopened_dir(&preopen.host, &preopen.guest, permissions)
                .map_err(|error| SandboxError::Engine(format!("cannot open {}: {error}", preopen.host.display())))?;
        }
        let limits = MemoryCap { limit_bytes: invocation.limits.memory_bytes, exceeded: false };
        let mut store = Store::new(&engine, State { wasi: builder.build_p1(), limits, timed_out: false });
        store.limiter(|state| &mut state.limits);
        store.set_fuel(invocation.limits.fuel).map_err(engine_error)?;
        // `None`: a timeout too long to represent, that is none.
        let deadline = Instant::now().checked_add(invocation.limits.timeout);
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |mut context| {
            if deadline.is_none_or(|deadline| Instant::now() < deadline) {
                return Ok(UpdateDeadline::Continue(1));
            }
            context.data_mut().timed_out = true;
            Ok(UpdateDeadline::Interrupt)
        });

        let mut linker: Linker<State> = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |state: &mut State| &mut state.wasi).map_err(engine_error)?;
        let result = linker
            .instantiate(&mut store, &module)
            .and_then(|instance| instance.get_typed_func::<(), ()>(&mut store, "_start"))
            .and_then(|start| start.call(&mut store, ()));
        let fuel_left = store.get_fuel().unwrap_or(0);
        let guest_stderr = stderr.contents().to_vec();
        let exit_code = match result {
            Ok(()) => 0,
            Err(error) => {
                let limits = &invocation.limits;
                if let Some(exit) = error.downcast_ref::<I32Exit>() {
                    exit.0
                } else if store.data().limits.exceeded {
                    return Err(SandboxError::OutOfMemory {
                        limit_mib: limits.memory_bytes >> 20,
                        stderr: guest_stderr,
                    });
                } else if matches!(error.downcast_ref::<Trap>(), Some(Trap::OutOfFuel)) {
                    return Err(SandboxError::OutOfFuel {
                        budget_billions: limits.fuel / FUEL_UNIT,
                        stderr: guest_stderr,
                    });
                } else if store.data().timed_out {
                    return Err(SandboxError::TimedOut { seconds: limits.timeout.as_secs(), stderr: guest_stderr });
                } else {
                    let message = match error.downcast_ref::<Trap>() {
                        Some(Trap::StackOverflow) => {
                            "it ran out of stack (the input is nested too deeply for the builder)".to_owned()
                        }
                        Some(Trap::UnreachableCodeReached) => {
                            "it aborted (a bug in flit-rs: please report it with the project)".to_owned()
                        }
                        _ => format!("{error:#}"),
                    };
                    return Err(SandboxError::Crashed { message, stderr: guest_stderr });
                }
            }
        };
        Ok(Outcome { exit_code, stdout: stdout.contents().to_vec(), stderr: guest_stderr, fuel_left })
    }
}
