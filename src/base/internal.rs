//! Internal errors: a bug of poolcheck's met while analysing one file or one function. The
//! panic is contained there (its facts are dropped), reported as an error diagnostic that asks
//! to be reported, and the rest of the workspace is still analysed.

use crate::base::source::Span;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// What a bug of ours cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lost {
    /// A function's facts.
    Function,
    /// A whole file: not analysed.
    File,
    /// Part of the output (a finding, a lint, a file's macros or allow comments).
    Part,
}

/// What could not be analysed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InternalError {
    pub(crate) lost: Lost,
    /// What was being analysed: "function `UserRepo::find`", "file `src/db.rs`".
    pub(crate) what: String,
    /// Where it is: the function's name, or the file's start.
    pub(crate) at: Option<Span>,
    /// The panic's message and where in poolcheck it happened, or the invariant that broke.
    pub(crate) detail: String,
}

thread_local! {
    /// How many `contain` calls this thread is inside: their panics are ours to report.
    static CONTAINED: Cell<u32> = const { Cell::new(0) };
    /// The message and location of the last contained panic on this thread.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// A panic inside `contain` is recorded for its diagnostic instead of printed; any other
/// panic goes to the hook that was there before.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CONTAINED.with(Cell::get) == 0 {
                previous(info);
                return;
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST.with(|l| *l.borrow_mut() = Some(format!("{message}{at}")));
        }));
    });
}

/// Runs `work`; a panic in it becomes `Err` with the panic's message and location.
pub(crate) fn contain<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    CONTAINED.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(work));
    CONTAINED.with(|c| c.set(c.get().saturating_sub(1)));
    result.map_err(|_| {
        LAST.with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

/// A panic planted on purpose where a function of this name is analysed, so that the tests
/// can prove a bug in one function leaves the rest of the run intact
/// (`POOLCHECK_PANIC_IN_FUNCTION=name`). Read once.
pub(crate) fn planted_panic(function: &str) {
    static PLANTED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let planted = PLANTED.get_or_init(|| std::env::var("POOLCHECK_PANIC_IN_FUNCTION").ok());
    if planted.as_deref() == Some(function) {
        panic!("the panic planted in `{function}` by POOLCHECK_PANIC_IN_FUNCTION");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_contained_with_its_message_and_place() {
        let v: Vec<u32> = Vec::new();
        let r = contain(|| {
            v.get(3)
                .copied()
                .unwrap_or_else(|| panic!("index {} of {}", 3, 0))
        });
        let detail = r.expect_err("the panic is contained");
        assert!(detail.starts_with("index 3 of 0 at "), "{detail}");
        assert!(detail.contains("internal.rs:"), "{detail}");
    }

    #[test]
    fn work_that_does_not_panic_returns_its_value() {
        assert_eq!(contain(|| 2 + 2), Ok(4));
    }

    #[test]
    fn nested_containment_reports_the_inner_panic_to_the_inner_call() {
        let outer = contain(|| {
            let inner = contain(|| -> u32 { panic!("inner") });
            assert!(inner.is_err());
            7
        });
        assert_eq!(outer, Ok(7));
    }
}
