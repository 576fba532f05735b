//! `poolcheck`: the command line; the only place that knows exit statuses.

use poolcheck::cli::{run, Outcome};
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = &mut std::io::stdout().lock();
    let err = &mut std::io::stderr().lock();
    match run(std::env::args_os().collect(), out, err) {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Findings => ExitCode::from(1),
        Outcome::Failed => ExitCode::from(2),
    }
}
