//! The lint registry: one entry per lint, with its default level and its page. Lints read
//! the analysis and return `Diagnostic`s; they do no I/O.

pub mod checkout_order_inversion;
pub mod guard_held_across_await;
pub mod nested_checkout;
pub mod unbounded_checkout_wait;

use crate::analysis::{res_name, Facts, Res, Step, StepKind};
use crate::base::diag::Label;
use crate::base::source::{SourceMap, Span};
use crate::index::Index;

/// Runs a lint's check of every function, in parallel. A panic in one function's check is
/// contained: that function's findings are dropped and its internal error returned instead.
pub fn per_function<T: Send>(
    ix: &Index,
    an: &crate::analysis::Analysis,
    check: impl Fn(crate::index::FnId) -> Vec<T> + Sync,
) -> (Vec<T>, Vec<crate::base::internal::InternalError>) {
    use rayon::prelude::*;
    // Boxed: the error is rare and the vector holds one result per function.
    let results: Vec<Result<Vec<T>, Box<crate::base::internal::InternalError>>> =
        (0..an.facts.len())
            .into_par_iter()
            .map(|f| {
                let f = f as crate::index::FnId;
                crate::base::internal::contain(|| check(f))
                    .map_err(|d| Box::new(ix.fn_internal_error(f, d)))
            })
            .collect();
    let mut found = Vec::new();
    let mut internal = Vec::new();
    for r in results {
        match r {
            Ok(v) => found.extend(v),
            Err(e) => internal.push(*e),
        }
    }
    (found, internal)
}

/// A pool's name in a message: as the checkout's receiver wrote it (`state.db`), when that is
/// short and plain; else as the analysis knows the pool; else `None`.
pub fn pool_name(
    ix: &Index,
    facts: &Facts,
    sources: &SourceMap,
    recv: Option<Span>,
    pool: Option<&Res>,
) -> Option<String> {
    recv.map(|r| {
        sources
            .get(r.file)
            .snippet(r)
            .trim_start_matches('&')
            .trim_start_matches('*')
            .to_string()
    })
    .filter(|t| t.len() <= 40 && !t.contains('\n') && !t.contains('('))
    .or_else(|| pool.map(|r| res_name(ix, facts, r)))
}

/// One step of a call chain as a label (SARIF's code flow): who calls whom, or where `pool` is
/// checked out.
pub fn chain_label(ix: &Index, step: &Step, pool: &str) -> Label {
    let who = &ix.fns[step.func as usize].display;
    Label {
        span: step.span,
        text: match &step.kind {
            StepKind::Call(c) => format!("`{who}` calls `{}`", ix.fns[*c as usize].display),
            StepKind::Checkout(_) => format!("`{who}` checks out from `{pool}`"),
            StepKind::Run => format!("`{who}` runs a stored closure or task here"),
        },
    }
}

/// A call chain below the call made under a guard (that call is labelled in the snippet), one
/// note a step: who calls whom where, and where `pool` is finally checked out.
pub fn chain_notes(ix: &Index, steps: &[Step], pool: &str, sources: &SourceMap) -> Vec<String> {
    let mut notes = Vec::new();
    for step in steps.iter().skip(1) {
        let who = &ix.fns[step.func as usize].display;
        match &step.kind {
            StepKind::Call(c) => notes.push(format!(
                "`{who}` calls `{}` at {}",
                ix.fns[*c as usize].display,
                sources.location(step.span)
            )),
            StepKind::Checkout(_) => notes.push(format!(
                "`{who}` checks out from `{pool}` at {}",
                sources.location(step.span)
            )),
            StepKind::Run => {}
        }
    }
    notes
}
