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

// mimalloc keeps freed pages to reuse them (for a second, by default in its v3) and gives
// them back lazily. Through parsing, where syntax trees are built and freed by the million,
// reuse saves page faults and system calls: giving pages back sooner there (after 250 or
// 500 ms) costs a sixth of the parse on the whole cargo registry. But after parsing, the pages
// the parser's threads keep are a third of the resident set, and the later stages never reuse
// most of them: so after parsing, every worker gives back what it keeps, and from then on
// freed pages are given back at once (the later stages free little). Unless the user set
// `MIMALLOC_PURGE_DELAY`. `mi_option_purge_delay` is option 15 in mimalloc.h's `mi_option_e`,
// in both the v2 and the v3 sources that libmimalloc-sys 0.1.49 builds.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_collect(force: bool);
}

fn purge_delay_is_ours() -> bool {
    std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
}

fn after_stage(stage: &'static str) {
    if stage == "parse" && purge_delay_is_ours() {
        // SAFETY: mimalloc's options may be set at any time from any thread, and `mi_collect`
        // only returns the calling thread's free pages to the system.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
        // The hook runs on one of the pipeline's workers: this reaches every one of them.
        rayon::broadcast(|_| unsafe { mi_collect(true) });
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
