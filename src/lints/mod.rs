//! The lint registry: one entry per lint, with its default level and its page. Lints read
//! the analysis and return `Diagnostic`s; they do no I/O.

pub mod checkout_order_inversion;
pub mod guard_held_across_await;
pub mod nested_checkout;
pub mod unbounded_checkout_wait;

use crate::diag::{Label, Severity};
use crate::index::Index;
use crate::source::{SourceMap, Span};
use crate::summarize::{res_name, Facts, Res, Step, StepKind};

/// Runs a lint's check of every function, in parallel. A panic in one function's check is
/// contained: that function's findings are dropped and its internal error returned instead.
pub fn per_function<T: Send>(
    ix: &Index,
    an: &crate::summarize::Analysis,
    check: impl Fn(crate::index::FnId) -> Vec<T> + Sync,
) -> (Vec<T>, Vec<crate::internal::InternalError>) {
    use rayon::prelude::*;
    // Boxed: the error is rare and the vector holds one result per function.
    let results: Vec<Result<Vec<T>, Box<crate::internal::InternalError>>> = (0..an.facts.len())
        .into_par_iter()
        .map(|f| {
            let f = f as crate::index::FnId;
            crate::internal::contain(|| check(f)).map_err(|d| Box::new(ix.fn_internal_error(f, d)))
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

pub struct Lint {
    pub name: &'static str,
    pub default: Level,
    pub summary: &'static str,
    /// The lint's page (`lints/<name>.md`): what `explain` prints.
    pub page: &'static str,
}

pub const LINTS: &[Lint] = &[
    Lint {
        name: "nested_checkout",
        default: Level::Deny,
        summary: "a guard of a pool is held across code that checks out the same pool again",
        page: include_str!("../../lints/nested_checkout.md"),
    },
    Lint {
        name: "unbounded_checkout_wait",
        default: Level::Warn,
        summary: "a pool built so that a checkout can wait forever (no wait timeout)",
        page: include_str!("../../lints/unbounded_checkout_wait.md"),
    },
    Lint {
        name: "checkout_order_inversion",
        default: Level::Deny,
        summary: "two pools are checked out in opposite orders on two paths",
        page: include_str!("../../lints/checkout_order_inversion.md"),
    },
    Lint {
        name: "guard_held_across_await",
        default: Level::Warn,
        summary: "a connection is held across an `.await` of work that does not use it",
        page: include_str!("../../lints/guard_held_across_await.md"),
    },
];

pub fn find(name: &str) -> Option<&'static Lint> {
    LINTS
        .iter()
        .find(|l| l.name == name || l.name.replace('_', "-") == name)
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
