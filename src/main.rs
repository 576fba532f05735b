//! `poolcheck`: the command line; the only place that knows exit statuses.

use poolcheck::cli::{run, Outcome};
use std::process::ExitCode;

// syn's token trees and the IR are many small allocations made and freed in bulk, on every
// thread: mimalloc handles that pattern far better than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

// On Linux mimalloc commits its first arena (1 GiB) up front, and memory freed there is reset
// (MADV_FREE) rather than released: the freed pages of syntax trees stay in the resident set
// (about 30% of peak memory on the pool corpus). Committing on demand instead costs no time we
// could measure. mimalloc reads its options from the environment once, in its own constructor
// (priority 101), before `main` could call `mi_option_set`: so set the variable in a constructor
// that runs earlier, unless the user has set it. No Rust allocation happens here.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00100"]
static MIMALLOC_OPTIONS: extern "C" fn() = {
    extern "C" fn commit_on_demand() {
        extern "C" {
            fn setenv(
                name: *const std::ffi::c_char,
                value: *const std::ffi::c_char,
                overwrite: std::ffi::c_int,
            ) -> std::ffi::c_int;
        }
        // SAFETY: both strings are NUL-terminated literals; no other thread exists yet.
        unsafe { setenv(c"MIMALLOC_ARENA_EAGER_COMMIT".as_ptr(), c"0".as_ptr(), 0) };
    }
    commit_on_demand
};

pub fn main() -> ExitCode {
    let out = &mut std::io::stdout().lock();
    let err = &mut std::io::stderr().lock();
    match run(std::env::args_os().collect(), out, err) {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Findings => ExitCode::from(1),
        Outcome::Failed => ExitCode::from(2),
    }
}
