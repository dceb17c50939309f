"""Runs `flit.wasm build` in a standalone wasmtime engine (the `wasmtime`
Python package, which embeds the engine's C API), the way
`wasmtime run --dir . flit.wasm build --outdir /out` would: the project
preopened read-only as the current directory, the output directory as /out,
and nothing else.

Like the wasmtime command (and `flit build --sandbox`), it keeps the module
compiled to machine code in a cache, so that a timed run loads it rather
than compiling it. The cache file sits next to flit.wasm and its name holds
the module's size and modification time, so a rebuilt module is compiled
again; wasmtime itself refuses a file compiled by another engine version,
which is then compiled again too.

Usage: wasi_runner.py FLIT_WASM PROJECT_DIR OUT_DIR SOURCE_DATE_EPOCH [FLIT ARGS...]
Exits with the module's exit code.
"""

import glob
import os
import sys

import wasmtime


def load_module(engine: wasmtime.Engine, wasm: str) -> wasmtime.Module:
    stat = os.stat(wasm)
    cached = f"{wasm}.{stat.st_size}-{stat.st_mtime_ns}.wasmtime-py.cwasm"
    if os.path.exists(cached):
        try:
            return wasmtime.Module.deserialize_file(engine, cached)
        except wasmtime.WasmtimeError:
            pass  # compiled by another engine version: wasmtime checks, we recompile
    module = wasmtime.Module.from_file(engine, wasm)
    # Written under a temporary name and renamed, so that an interrupted run
    # never leaves half a file that a later run would load.
    partial = f"{cached}.{os.getpid()}.tmp"
    with open(partial, "wb") as f:
        f.write(module.serialize())
    os.replace(partial, cached)
    # Those of earlier builds of the module will not be used again.
    for stale in glob.glob(f"{glob.escape(wasm)}.*.wasmtime-py.cwasm"):
        if stale != cached:
            os.remove(stale)
    return module


def main() -> int:
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    wasm, project, out, epoch, *flit_args = sys.argv[1:]
    engine = wasmtime.Engine()
    module = load_module(engine, wasm)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    config = wasmtime.WasiConfig()
    config.argv = ["flit", "build", "--outdir", "/out", *flit_args]
    config.env = [("SOURCE_DATE_EPOCH", epoch)]
    config.preopen_dir(project, ".", False)
    config.preopen_dir(out, "/out", True)
    config.inherit_stderr()
    store = wasmtime.Store(engine)
    store.set_wasi(config)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as exit_trap:
        return int(exit_trap.code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
