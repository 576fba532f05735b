//! `checkout_order_inversion`: two pools (or semaphores) taken in opposite orders on two
//! paths. One path holds a guard of A and checks out B, another holds a guard of B and checks
//! out A: under load each fills one pool waiting for the other, and neither returns anything.
//!
//! Only pools that name one instance for the whole program are compared (statics, and fields
//! of the workspace's types); a pool passed in as an argument is a different pool per caller.

use super::{finding, Checked, Finding, LintCx, LintPass};
use crate::analysis::{res_name, Analysis, BindingId, Ctx, Reach, Res, StepKind};
use crate::base::diag::{Diagnostic, Label};
use crate::base::internal::InternalError;
use crate::base::lint::Lint;
use crate::base::source::{SourceMap, Span};
use crate::config::known;
use crate::index::{FnId, Index};
use std::collections::BTreeMap;

pub(crate) const NAME: &str = "checkout_order_inversion";

/// One path that holds a guard of `held` and, under it, checks out `taken`.
#[derive(Debug, Clone)]
pub(crate) struct Ordered {
    pub(crate) func: FnId,
    /// The call or checkout evaluated under the guard.
    pub(crate) at: Span,
    pub(crate) guard_taken: Span,
    pub(crate) guard_name: Option<String>,
    pub(crate) held: Res,
    pub(crate) reach: Reach,
}

/// Two paths that take the same two pools in opposite orders.
#[derive(Debug, Clone)]
pub(crate) struct OrderInversion {
    pub(crate) first: Ordered,
    pub(crate) second: Ordered,
}

/// A pool that is the same instance wherever it is named.
fn global(r: &Res) -> bool {
    match r {
        Res::Static(_) | Res::Field(..) => true,
        Res::Keyed(c, k) => global(c) && global(k),
        Res::Param(_) | Res::Local(_) => false,
    }
}

/// The functions that only ever run one at a time from `main`: reached from a crate's `main`
/// through calls on its own task, and called from nowhere else. Two paths that both run only
/// that way (the two modes of a command-line tool) never hold their guards at the same time.
fn main_only(ix: &Index, an: &Analysis) -> Vec<bool> {
    let n = an.calls.len();
    let mut callers: Vec<Vec<FnId>> = vec![Vec::new(); n];
    let mut elsewhere = vec![false; n];
    for (f, calls) in an.calls.iter().enumerate() {
        for &(c, own_task) in calls.iter() {
            if own_task {
                callers[c.index()].push(FnId::from_index(f));
            } else {
                // In a spawned task or a stored closure: may run beside its caller.
                elsewhere[c.index()] = true;
            }
        }
    }
    let is_main = |f: usize| {
        let info = &ix.fns[f];
        info.def.name == known::MAIN
            && info.owner == crate::index::Owner::Free
            && ix.crates.iter().any(|c| c.root == info.module)
    };
    let mut only: Vec<bool> = (0..n).map(is_main).collect();
    // Reached from main on its own task...
    let mut stack: Vec<usize> = (0..n).filter(|&f| only[f]).collect();
    while let Some(f) = stack.pop() {
        for &(c, own_task) in an.calls[f].iter() {
            if own_task && !only[c.index()] {
                only[c.index()] = true;
                stack.push(c.index());
            }
        }
    }
    // ...and from nowhere else.
    loop {
        let mut changed = false;
        for f in 0..n {
            if only[f]
                && !is_main(f)
                && (elsewhere[f] || callers[f].iter().any(|&c| !only[c.index()]))
            {
                only[f] = false;
                changed = true;
            }
        }
        if !changed {
            return only;
        }
    }
}

fn ordered_in(an: &Analysis, f: FnId) -> Vec<Ordered> {
    let cx = Ctx::of(an, f);
    let facts = cx.facts;
    let mut out: Vec<Ordered> = Vec::new();
    for (b, bind) in facts.bindings.iter().enumerate() {
        let Some((held, _)) = cx.guard(BindingId::from_index(b)) else {
            continue;
        };
        if !global(&held) {
            continue;
        }
        for ev in cx.under_guard(BindingId::from_index(b)) {
            let e = &facts.events[ev.index()];
            for reach in cx.reaches(ev) {
                if reach.res == held || !global(&reach.res) {
                    continue;
                }
                // Taking a pool whose guard this path already holds is `nested_checkout`,
                // not an order: the path took that pool first.
                let already_held = facts.bindings.iter().enumerate().any(|(b2, other)| {
                    other.covers(ev, e.frame)
                        && cx
                            .guard(BindingId::from_index(b2))
                            .is_some_and(|(r, _)| r == reach.res)
                });
                if already_held {
                    continue;
                }
                if out
                    .iter()
                    .any(|o| o.held == held && o.reach.res == reach.res)
                {
                    continue;
                }
                out.push(Ordered {
                    func: f,
                    at: e.span,
                    guard_taken: facts.events[bind.source.index()].span,
                    guard_name: bind.name.clone(),
                    held: held.clone(),
                    reach,
                });
            }
        }
    }
    out
}

/// Every pair of pools taken in both orders, once per pair: for each order, its first path in
/// source order.
pub(crate) fn check(ix: &Index, an: &Analysis) -> (Vec<OrderInversion>, Vec<InternalError>) {
    let (paths, internal) = super::per_function(ix, an, |f| ordered_in(an, f));
    let mut by_order: BTreeMap<(Res, Res), Vec<Ordered>> = BTreeMap::new();
    for p in paths {
        by_order
            .entry((p.held.clone(), p.reach.res.clone()))
            .or_default()
            .push(p);
    }
    for v in by_order.values_mut() {
        v.sort_by_key(|o| o.at);
    }
    let only = main_only(ix, an);
    let mut out = Vec::new();
    for ((a, b), ab) in &by_order {
        if a >= b {
            continue;
        }
        let Some(ba) = by_order.get(&(b.clone(), a.clone())) else {
            continue;
        };
        // The first pair, in source order, of paths that can run at the same time.
        let pair = ab.iter().find_map(|p| {
            ba.iter()
                .find(|q| !(only[p.func.index()] && only[q.func.index()]))
                .map(|q| (p, q))
        });
        if let Some((p, q)) = pair {
            let (first, second) = if p.at <= q.at { (p, q) } else { (q, p) };
            out.push(OrderInversion {
                first: first.clone(),
                second: second.clone(),
            });
        }
    }
    (out, internal)
}

fn guard_text(o: &Ordered, pool: &str, sources: &SourceMap) -> String {
    match &o.guard_name {
        Some(g) => format!("`{g}`"),
        None => format!(
            "the guard of `{pool}` taken on line {}",
            sources.get(o.guard_taken.file).line_col(o.guard_taken.lo).0
        ),
    }
}

impl Finding for OrderInversion {
    fn at(&self) -> Span {
        self.first.at
    }

    fn deadlock_sites(&self) -> Vec<Span> {
        vec![self.first.at, self.second.at]
    }

    fn to_diagnostic(&self, cx: &LintCx) -> Diagnostic {
        let (ix, an, sources) = (cx.ix, cx.an, cx.sources);
        let (p, q) = (&self.first, &self.second);
        let name = |o: &Ordered, r: &Res| res_name(ix, &an.facts[o.func.index()], r);
        let a = name(p, &p.held);
        let b = name(p, &p.reach.res);
        let f1 = &ix.fns[p.func.index()].display;
        let f2 = &ix.fns[q.func.index()].display;
        let g1 = guard_text(p, &a, sources);
        let g2 = guard_text(q, &b, sources);
        let message = format!(
            "`{b}` is checked out while {g1} from `{a}` is held, and `{f2}` takes the two in the opposite order"
        );
        let secondary = vec![
            Label {
                span: p.guard_taken,
                text: format!("{g1} checked out from `{a}` here"),
            },
            Label {
                span: q.guard_taken,
                text: format!("in `{f2}`, {g2} checked out from `{b}` first"),
            },
            Label {
                span: q.at,
                text: format!("then `{a}` is checked out here while {g2} is held"),
            },
        ];
        let mut chain: Vec<Label> = p
            .reach
            .steps
            .iter()
            .map(|s| super::chain_label(ix, s, &b))
            .collect();
        chain.extend(q.reach.steps.iter().map(|s| super::chain_label(ix, s, &a)));
        let mut notes = super::chain_notes(ix, &p.reach.steps, &b, sources);
        notes.extend(super::chain_notes(ix, &q.reach.steps, &a, sources));
        let unit_a = &ix.cat.kind(q.reach.kind).unit;
        let unit_b = &ix.cat.kind(p.reach.kind).unit;
        notes.push(format!(
            "under load, callers of `{f1}` hold every {unit_a} of `{a}` waiting for `{b}` while callers of `{f2}` hold every {unit_b} of `{b}` waiting for `{a}`: neither pool gets anything back"
        ));
        let help = format!(
            "take `{a}` and `{b}` in one order on every path, or end one guard before checking out the other pool"
        );
        let mut identity = vec![f1.clone(), f2.clone(), a.clone(), b.clone()];
        identity.extend(
            p.reach
                .steps
                .iter()
                .chain(&q.reach.steps)
                .filter_map(|s| match &s.kind {
                    StepKind::Call(c) => Some(ix.fns[c.index()].display.clone()),
                    _ => None,
                }),
        );
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
                    span: p.at,
                    text: format!("checks out `{b}` while holding `{a}`"),
                },
                ix.crate_of(ix.fns[p.func.index()].module).spec,
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
