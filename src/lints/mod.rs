//! The lint passes: one module a lint behind one trait, the registry the pipeline loops over,
//! and the helpers lints share. A pass reads the analysis and returns its findings as data;
//! each finding builds its diagnostic the one way (`finding`). No pass does I/O: source text
//! comes through `SourceMap`, the loader's accessor.

pub(crate) mod checkout_order_inversion;
pub(crate) mod guard_held_across_await;
pub(crate) mod nested_checkout;
pub(crate) mod unbounded_checkout_wait;

use crate::analysis::{res_name, Analysis, Facts, Res, Step, StepKind};
use crate::base::diag::{Diagnostic, Label};
use crate::base::internal::InternalError;
use crate::base::lint::{self, Lint};
use crate::base::source::{SourceMap, Span};
use crate::config::Config;
use crate::index::{FnId, Index};

/// What a pass reads: the program and the analysis of it, the sources (for snippets in
/// messages), and the configuration.
pub(crate) struct LintCx<'a> {
    pub(crate) ix: &'a Index,
    pub(crate) an: &'a Analysis,
    pub(crate) sources: &'a SourceMap,
    pub(crate) config: &'a Config,
}

/// A lint: its metadata (from `base::lint::LINTS`) and its check of the whole program.
pub(crate) trait LintPass: Sync {
    fn lint(&self) -> &'static Lint;

    /// Its findings, and the functions whose check met a bug of ours (their findings are lost,
    /// the rest are kept).
    fn check<'a>(&self, cx: &LintCx<'a>) -> Checked<'a>;
}

/// A pass's result.
pub(crate) struct Checked<'a> {
    pub(crate) findings: Vec<Box<dyn Finding + 'a>>,
    pub(crate) internal: Vec<InternalError>,
}

impl<'a> Checked<'a> {
    fn of<F: Finding + 'a>((found, internal): (Vec<F>, Vec<InternalError>)) -> Checked<'a> {
        Checked {
            findings: found
                .into_iter()
                .map(|f| Box::new(f) as Box<dyn Finding + 'a>)
                .collect(),
            internal,
        }
    }
}

/// One finding of a pass, as data until it is rendered.
pub(crate) trait Finding {
    /// Its primary span.
    fn at(&self) -> Span;

    /// The code it reports as part of a deadlock (the call or await that checks out again):
    /// a lint that `yields_to_deadlocks` says nothing more there.
    fn deadlock_sites(&self) -> Vec<Span> {
        Vec::new()
    }

    fn to_diagnostic(&self, cx: &LintCx) -> Diagnostic;
}

/// Every lint's pass, in the order they run (a lint that yields to deadlocks runs after the
/// lints that report them). One line a lint; `base::lint::LINTS` holds their metadata.
pub(crate) static PASSES: &[&dyn LintPass] = &[
    &nested_checkout::Pass,
    &checkout_order_inversion::Pass,
    &unbounded_checkout_wait::Pass,
    &guard_held_across_await::Pass,
];

/// A lint's metadata by its name (a name every pass gives: `LINTS` has it, a test checks it).
fn meta(name: &str) -> &'static Lint {
    lint::find(name).unwrap_or(&lint::LINTS[0])
}

/// The one way a lint's diagnostic starts: its code, its default severity (the pipeline sets
/// each finding's own from its package's levels), its message and its primary label; the
/// rest (labels, notes, help, chain, identity) is filled in by the lint.
pub(crate) fn finding(
    lint: &'static str,
    message: String,
    primary: Label,
    krate: usize,
) -> Diagnostic {
    let meta = meta(lint);
    Diagnostic {
        code: Some(meta.name),
        severity: meta
            .default
            .severity()
            .unwrap_or(crate::base::diag::Severity::Warning),
        message,
        primary: Some(primary),
        secondary: Vec::new(),
        notes: Vec::new(),
        help: None,
        krate: Some(krate),
        path: None,
        chain: Vec::new(),
        identity: Vec::new(),
    }
}

/// Runs a lint's check of every function, in parallel. A panic in one function's check is
/// contained: that function's findings are dropped and its internal error returned instead.
pub(crate) fn per_function<T: Send>(
    ix: &Index,
    an: &crate::analysis::Analysis,
    check: impl Fn(FnId) -> Vec<T> + Sync,
) -> (Vec<T>, Vec<crate::base::internal::InternalError>) {
    use rayon::prelude::*;
    // Boxed: the error is rare and the vector holds one result per function.
    let results: Vec<Result<Vec<T>, Box<crate::base::internal::InternalError>>> =
        (0..an.facts.len())
            .into_par_iter()
            .map(|f| {
                let f = FnId::from_index(f);
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
pub(crate) fn pool_name(
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
pub(crate) fn chain_label(ix: &Index, step: &Step, pool: &str) -> Label {
    let who = &ix.fns[step.func.index()].display;
    Label {
        span: step.span,
        text: match &step.kind {
            StepKind::Call(c) => format!("`{who}` calls `{}`", ix.fns[c.index()].display),
            StepKind::Checkout(_) => format!("`{who}` checks out from `{pool}`"),
            StepKind::Run => format!("`{who}` runs a stored closure or task here"),
        },
    }
}

/// A call chain below the call made under a guard (that call is labelled in the snippet), one
/// note a step: who calls whom where, and where `pool` is finally checked out.
pub(crate) fn chain_notes(
    ix: &Index,
    steps: &[Step],
    pool: &str,
    sources: &SourceMap,
) -> Vec<String> {
    let mut notes = Vec::new();
    for step in steps.iter().skip(1) {
        let who = &ix.fns[step.func.index()].display;
        match &step.kind {
            StepKind::Call(c) => notes.push(format!(
                "`{who}` calls `{}` at {}",
                ix.fns[c.index()].display,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lint_has_one_pass_and_every_pass_a_lint() {
        let passes: Vec<&str> = PASSES.iter().map(|p| p.lint().name).collect();
        for l in lint::LINTS {
            assert_eq!(
                passes.iter().filter(|n| **n == l.name).count(),
                1,
                "`{}` needs exactly one pass in PASSES",
                l.name
            );
        }
        assert_eq!(
            passes.len(),
            lint::LINTS.len(),
            "a pass without metadata in LINTS"
        );
    }

    #[test]
    fn lints_that_yield_run_after_those_that_report_deadlocks() {
        let first_yielding = PASSES.iter().position(|p| p.lint().yields_to_deadlocks);
        if let Some(i) = first_yielding {
            assert!(PASSES[i..].iter().all(|p| p.lint().yields_to_deadlocks));
        }
    }
}
