//! The `flit` command.
fn main() {}
