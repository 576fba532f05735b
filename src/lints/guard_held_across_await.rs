//! `guard_held_across_await`: a connection or transaction held across an `.await` of work
//! that does not use it (an HTTP call, a sleep, a channel, another pool): the pool starves.

use super::{finding, Checked, Finding, LintCx, LintPass};
use crate::analysis::{Analysis, BindingId, Ctx, EventId, EventKind, Res};
use crate::base::diag::{Diagnostic, Label};
use crate::base::internal::InternalError;
use crate::base::lint::Lint;
use crate::base::source::Span;
use crate::index::{FnId, Index};

pub(crate) const NAME: &str = "guard_held_across_await";

/// The first await under a guard that does not use it, as data.
#[derive(Debug, Clone)]
pub(crate) struct HeldAcrossAwait {
    pub(crate) func: FnId,
    /// The whole awaited expression (`client.get(url).send().await`).
    pub(crate) at: Span,
    pub(crate) callee: Option<String>,
    pub(crate) guard_name: String,
    pub(crate) guard_taken: Span,
    pub(crate) guard_end: Span,
    /// The checkout's receiver (`state.db`), and the pool as the analysis knows it.
    pub(crate) recv: Option<Span>,
    pub(crate) pool: Option<Res>,
    pub(crate) unit: String,
}

/// `allowed`: awaited calls that do not count (a function's path or last segment, or a
/// method's name), from the configuration.
pub(crate) fn check(
    ix: &Index,
    an: &Analysis,
    allowed: &[String],
) -> (Vec<HeldAcrossAwait>, Vec<InternalError>) {
    super::per_function(ix, an, |f| check_fn(ix, an, allowed, f))
}

fn is_allowed(callee: Option<&str>, allowed: &[String]) -> bool {
    let Some(c) = callee else { return false };
    let c = c.trim_end_matches('!');
    allowed.iter().any(|a| {
        let a = a.trim_end_matches('!');
        c == a || c.ends_with(&format!("::{a}")) || a.ends_with(&format!("::{c}"))
    })
}

fn check_fn(ix: &Index, an: &Analysis, allowed: &[String], f: FnId) -> Vec<HeldAcrossAwait> {
    let cx = Ctx::of(an, f);
    let facts = cx.facts;
    let mut out = Vec::new();
    for (b, bind) in facts.bindings.iter().enumerate() {
        let b = BindingId::from_index(b);
        // Only guards a variable holds: a temporary ends with its statement.
        let Some(name) = &bind.name else { continue };
        let source = &facts.events[bind.source.index()];
        let (kind, recv) = match &source.kind {
            EventKind::Checkout { kind, recv, .. } => (Some(*kind), *recv),
            _ => (cx.guard(b).map(|(_, k)| k), None),
        };
        let Some(kind) = kind else { continue };
        let pool_kind = ix.cat.kind(kind);
        // A permit held across awaits is what a semaphore is for.
        if pool_kind.semaphore {
            continue;
        }
        let resolved = cx.guard(b).map(|(r, _)| r);
        for ev in cx.under_guard(b) {
            let EventKind::Await {
                inner_start,
                uses,
                callee,
                body,
            } = &facts.events[ev.index()].kind
            else {
                continue;
            };
            // An await in a closure or async block made under the guard suspends that future,
            // wherever it is polled, not the code holding the guard.
            if *body != bind.body {
                continue;
            }
            // The await that yields this guard (or encloses its checkout).
            if bind.source >= *inner_start {
                continue;
            }
            if uses.contains(&b) || is_allowed(callee.as_deref(), allowed) {
                continue;
            }
            // Checking out the same pool again is `nested_checkout`'s finding, not this one.
            if let Some(r) = &resolved {
                if (inner_start.index()..ev.index()).any(|i| {
                    cx.reaches(EventId::from_index(i))
                        .iter()
                        .any(|x| &x.res == r)
                }) {
                    break;
                }
            }
            out.push(HeldAcrossAwait {
                func: f,
                at: facts.events[ev.index()].span,
                callee: callee.clone(),
                guard_name: name.clone(),
                guard_taken: source.span,
                guard_end: bind.end_span,
                recv,
                pool: resolved.clone(),
                unit: pool_kind.unit.clone(),
            });
            break;
        }
    }
    out
}

impl Finding for HeldAcrossAwait {
    fn at(&self) -> Span {
        self.at
    }

    fn to_diagnostic(&self, cx: &LintCx) -> Diagnostic {
        let (ix, an, sources) = (cx.ix, cx.an, cx.sources);
        let facts = &an.facts[self.func.index()];
        let pool_name = super::pool_name(ix, facts, sources, self.recv, self.pool.as_ref());
        let g = &self.guard_name;
        let unit = &self.unit;
        let awaited = sources.get(self.at.file).snippet(self.at).to_string();
        let awaited = awaited.trim_end_matches(".await").trim_end();
        let what = if awaited.len() <= 50 && !awaited.contains('\n') {
            format!("`{awaited}`")
        } else {
            match &self.callee {
                Some(c) => format!("`{c}`"),
                None => "a future".to_string(),
            }
        };
        let from = match &pool_name {
            Some(p) => format!(" of `{p}`"),
            None => String::new(),
        };
        let mut secondary = vec![Label {
            span: self.guard_taken,
            text: format!("`{g}` checked out here"),
        }];
        if self.guard_end != Span::default() && self.guard_end.lo >= self.at.hi {
            secondary.push(Label {
                span: self.guard_end,
                text: format!("`{g}` is held until here"),
            });
        }
        let pool = pool_name.as_deref().unwrap_or("the pool");
        Diagnostic {
            secondary,
            notes: vec![
                format!("while this waits, `{pool}` has one {unit} fewer: at load, requests queue for {unit}s that no query is using"),
            ],
            help: Some(format!(
                "finish with `{g}` (drop, commit) before this await, or check it out after; if the await belongs inside, allow the call under `[guard_held_across_await] allowed`"
            )),
            chain: Vec::new(),
            identity: vec![
                ix.fns[self.func.index()].display.clone(),
                g.clone(),
                self.callee.clone().unwrap_or_default(),
            ],            ..finding(NAME, format!("the {unit} `{g}`{from} is held across an `.await` that does not use it"), Label {
            span: self.at,
            text: format!("awaits {what} while `{g}` sits idle"),
        }, ix.crate_of(ix.fns[self.func.index()].module).spec)
        }
    }
}

/// The lint's pass.
pub(crate) struct Pass;

impl LintPass for Pass {
    fn lint(&self) -> &'static Lint {
        super::meta(NAME)
    }

    fn check<'a>(&self, cx: &LintCx<'a>) -> Checked<'a> {
        Checked::of(check(cx.ix, cx.an, &cx.config.await_allowed))
    }
}
