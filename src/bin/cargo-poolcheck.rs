//! `cargo poolcheck`: cargo runs `cargo-poolcheck poolcheck ARGS`; the command line drops the
//! subcommand's name, so this is the `poolcheck` program itself.

#[path = "../main.rs"]
mod poolcheck_main;

fn main() -> std::process::ExitCode {
    poolcheck_main::main()
}
