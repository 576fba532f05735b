//! `poolcheck`: the command line; the only place that knows exit statuses.

use poolcheck::cli::{run, Outcome};
use std::process::ExitCode;

// syn's token trees and the IR are many small allocations made and freed in bulk, on every
// thread: mimalloc handles that pattern far better than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub fn main() -> ExitCode {
    let out = &mut std::io::stdout().lock();
    let err = &mut std::io::stderr().lock();
    match run(std::env::args_os().collect(), out, err) {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Findings => ExitCode::from(1),
        Outcome::Failed => ExitCode::from(2),
    }
}
