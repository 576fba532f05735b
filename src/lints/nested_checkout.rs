//! `nested_checkout`: a guard of resource R is live across an event that checks out R again
//! (directly or through any chain of calls).

use super::{finding, Checked, Finding, LintCx, LintPass};
use crate::analysis::{res_name, Analysis, BindingId, Ctx, EventKind, Reach, Res, StepKind};
use crate::base::diag::{Diagnostic, Label};
use crate::base::internal::InternalError;
use crate::base::lint::Lint;
use crate::base::source::{SourceMap, Span};
use crate::config::known;
use crate::index::{FnId, Index};
use rustc_hash::FxHashSet as HashSet;

pub(crate) const NAME: &str = "nested_checkout";

/// One nested checkout, as data.
#[derive(Debug, Clone)]
pub(crate) struct NestedCheckout {
    pub(crate) func: FnId,
    /// The call or checkout evaluated under the guard.
    pub(crate) at: Span,
    pub(crate) guard_taken: Span,
    pub(crate) guard_end: Span,
    pub(crate) guard_name: Option<String>,
    pub(crate) guard_method: Option<String>,
    pub(crate) pool: Res,
    pub(crate) reach: Reach,
}

pub(crate) fn check(ix: &Index, an: &Analysis) -> (Vec<NestedCheckout>, Vec<InternalError>) {
    super::per_function(ix, an, |f| check_fn(an, f))
}

fn check_fn(an: &Analysis, f: FnId) -> Vec<NestedCheckout> {
    let cx = Ctx::of(an, f);
    let facts = cx.facts;
    let mut out: Vec<NestedCheckout> = Vec::new();
    // One finding per call or checkout, whichever guards it runs under.
    let mut reported: HashSet<Span> = HashSet::default();
    for (b, bind) in facts.bindings.iter().enumerate() {
        let Some((pool, _kind)) = cx.guard(BindingId::from_index(b)) else {
            continue;
        };
        for ev in cx.under_guard(BindingId::from_index(b)) {
            let e = &facts.events[ev.index()];
            if reported.contains(&e.span) {
                continue;
            }
            if let Some(reach) = cx.reaches(ev).into_iter().find(|r| r.res == pool) {
                let guard_taken = facts.events[bind.source.index()].span;
                let guard_method = match &facts.events[bind.source.index()].kind {
                    EventKind::Checkout { method, .. } => Some(method.clone()),
                    _ => None,
                };
                reported.insert(e.span);
                out.push(NestedCheckout {
                    func: f,
                    at: e.span,
                    guard_taken,
                    guard_end: bind.end_span,
                    guard_name: bind.name.clone(),
                    guard_method,
                    pool: pool.clone(),
                    reach,
                });
            }
        }
    }
    out
}

/// A pool's configured wait, when the static that holds it sets one in its initializer.
fn configured_timeout(ix: &Index, sources: &SourceMap, pool: &Res, setter: &str) -> Option<String> {
    let Res::Static(s) = pool else { return None };
    let (arg_setter, arg) = ix.statics[s.index()].wait_setting.as_ref()?;
    if arg_setter != setter {
        return None;
    }
    let text = sources.get(arg.file).snippet(*arg).trim().to_string();
    let num = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(')'))
            .map(|n| n.trim().replace('_', ""))
    };
    for (p, unit) in known::DURATIONS {
        if let Some(n) = num(p) {
            return Some(format!("{n} {unit} here"));
        }
    }
    Some(format!("`{text}` here"))
}

impl Finding for NestedCheckout {
    fn at(&self) -> Span {
        self.at
    }

    fn deadlock_sites(&self) -> Vec<Span> {
        vec![self.at]
    }

    fn to_diagnostic(&self, cx: &LintCx) -> Diagnostic {
        let (ix, an, sources) = (cx.ix, cx.an, cx.sources);
        let cat = &ix.cat;
        let kind = cat.kind(self.reach.kind);
        let facts = &an.facts[self.func.index()];
        // Name the pool as the code that took the guard wrote it, when that is short.
        let recv = facts
            .events
            .iter()
            .find(|e| e.span == self.guard_taken)
            .and_then(|e| match &e.kind {
                EventKind::Checkout { recv, .. } => *recv,
                _ => None,
            });
        let pool = super::pool_name(ix, facts, sources, recv, Some(&self.pool))
            .unwrap_or_else(|| res_name(ix, facts, &self.pool));
        let unit = &kind.unit;
        let held = match &self.guard_name {
            Some(n) => format!("`{n}`"),
            None => format!(
                "the {unit} taken on line {}",
                sources
                    .get(self.guard_taken.file)
                    .line_col(self.guard_taken.lo)
                    .0
            ),
        };
        let callee = self.reach.steps.iter().find_map(|s| match &s.kind {
            StepKind::Call(c) => Some(ix.fns[c.index()].display.clone()),
            StepKind::Checkout(_) | StepKind::Run => None,
        });
        let message = match &callee {
            Some(c) => {
                format!("`{c}` checks out a second {unit} from `{pool}` while {held} is held")
            }
            None => format!("a second {unit} is checked out from `{pool}` while {held} is held"),
        };
        let mut secondary = vec![Label {
            span: self.guard_taken,
            text: match &self.guard_name {
                Some(n) => format!("`{n}` checked out here"),
                None => format!("a {unit} is checked out here"),
            },
        }];
        if self.guard_end != Span::default() && self.guard_end.lo > self.at.hi {
            secondary.push(Label {
                span: self.guard_end,
                text: match &self.guard_name {
                    Some(n) => format!("`{n}` is held until here"),
                    None => format!("the {unit} is held until here"),
                },
            });
        }
        // The chain as locations (for SARIF's code flow), and what names this finding whatever
        // lines move: the function, the guard, the callees, the pool.
        let mut chain = Vec::new();
        let mut identity = vec![
            ix.fns[self.func.index()].display.clone(),
            self.guard_name.clone().unwrap_or_default(),
            pool.clone(),
        ];
        for step in &self.reach.steps {
            match &step.kind {
                StepKind::Call(c) => identity.push(ix.fns[c.index()].display.clone()),
                StepKind::Checkout(m) => identity.push(m.clone()),
                StepKind::Run => {}
            }
            chain.push(super::chain_label(ix, step, &pool));
        }
        let mut notes = super::chain_notes(ix, &self.reach.steps, &pool, sources);
        notes.push(format!("once every {unit} of `{pool}` is held by a caller waiting here, none is returned: the pool deadlocks"));
        // Built to wait forever (a static's initializer, or a struct field filled where the
        // pool is built): the deadlock hangs.
        let unbounded = match &self.pool {
            Res::Static(s) => ix.statics[s.index()].unbounded.is_some(),
            r => an.facts.iter().any(|f| {
                f.events
                    .iter()
                    .any(|e| matches!(&e.kind, EventKind::Build { stored: Some(x), .. } if x == r))
            }),
        };
        match &self.pool {
            _ if unbounded => notes.push(format!(
                "`{pool}` is built so that a checkout waits forever (see `unbounded_checkout_wait`): this deadlock hangs instead of failing after a timeout"
            )),
            _ => {
                let timeout = configured_timeout(ix, sources, &self.pool, &kind.timeout_setter)
                    .unwrap_or_else(|| kind.default_timeout.clone());
                notes.push(kind.fails.replace("{timeout}", &timeout));
            }
        }
        let var = self.guard_name.clone();
        let pass = match (&var, self.guard_method.as_deref()) {
            (Some(v), Some(m))
                if m.contains(known::TRANSACTION_OPENING) || known::LENT_BY_DEREF.contains(&m) =>
            {
                format!("`&mut *{v}`")
            }
            (Some(v), _) => format!("`&mut {v}`"),
            (None, _) => format!("the {unit}"),
        };
        let help = match (&callee, &var) {
            (Some(c), Some(v)) => {
                if self
                    .guard_method
                    .as_deref()
                    .is_some_and(|m| m.contains(known::TRANSACTION_OPENING))
                {
                    format!(
                        "pass {pass} to `{c}` instead of the pool, or commit `{v}` before the call"
                    )
                } else {
                    format!("pass {pass} to `{c}`, or drop `{v}` before the call")
                }
            }
            (Some(c), None) => format!(
                "bind the {unit} to a variable and pass it to `{c}`, or take it after the call"
            ),
            (None, Some(v)) => {
                format!("use `{v}` instead of checking out a second {unit}, or drop `{v}` first")
            }
            (None, None) => {
                format!("reuse the {unit} already held instead of checking out a second one")
            }
        };
        Diagnostic {
            secondary,
            notes,
            help: Some(help),
            chain,
            identity,
            ..finding(
                NAME,
                message,
                Label {
                    span: self.at,
                    text: format!("checks out from `{pool}` again"),
                },
                ix.crate_of(ix.fns[self.func.index()].module).spec,
            )
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
        Checked::of(check(cx.ix, cx.an))
    }
}
