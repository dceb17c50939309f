"""Runs flit.wasm in the standalone wasmtime engine (the `wasmtime` Python
package), the way `wasmtime run --dir . flit.wasm build` would, from a
module compiled once and cached next to it.

Usage: wasi_runner.py FLIT_WASM PROJECT_DIR OUT_DIR [SOURCE_DATE_EPOCH]
"""

import os
import sys

import wasmtime


def main() -> int:
    wasm, project, out = sys.argv[1:4]
    epoch = sys.argv[4] if len(sys.argv) > 4 else None
    engine = wasmtime.Engine()
    cached = wasm + ".wasmtime-py.cwasm"
    if os.path.exists(cached):
        module = wasmtime.Module.deserialize_file(engine, cached)
    else:
        module = wasmtime.Module.from_file(engine, wasm)
        with open(cached, "wb") as f:
            f.write(module.serialize())
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = ["flit", "-f", "/project/pyproject.toml", "build", "--outdir", "/out"]
    config.env = [("SOURCE_DATE_EPOCH", epoch)] if epoch else []
    config.preopen_dir(project, "/project")
    config.preopen_dir(out, "/out")
    config.inherit_stderr()
    store.set_wasi(config)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as exit_trap:
        return exit_trap.code
    return 0


if __name__ == "__main__":
    sys.exit(main())
