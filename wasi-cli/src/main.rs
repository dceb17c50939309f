//! The `flit` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    let environment = flit_cli::app::Environment::from_process();
    let code = flit_cli::app::run(std::env::args_os().collect(), &environment, &mut std::io::stderr());
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
