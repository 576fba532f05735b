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

// mimalloc keeps freed pages for 10 ms before giving them back (`purge_delay`), and gives them
// back lazily: through parsing, where syntax trees are built and freed by the million, that
// saves page faults; after it, the index and the summaries grow while bodies are unpacked and
// freed, and the kept pages add a third to the resident set. So: purge at once after parsing.
// It is option 15 in mimalloc.h's `mi_option_e` in both the v2 and the v3 sources that
// libmimalloc-sys 0.1.49 builds.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn after_stage(stage: &'static str) {
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    if stage == "parse" && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc's options may be set at any time from any thread.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

pub fn main() -> ExitCode {
    poolcheck::set_stage_hook(after_stage);
    let out = &mut std::io::stdout().lock();
    let err = &mut std::io::stderr().lock();
    match run(std::env::args_os().collect(), out, err) {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Findings => ExitCode::from(1),
        Outcome::Failed => ExitCode::from(2),
    }
}
