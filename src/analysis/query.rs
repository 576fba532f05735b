//! The query API the lints read: one function's facts against every callee's summary (which
//! pool a guard holds, what an event checks out and through which calls, what is live under a
//! guard), and how a resource is named in messages.

use super::facts::{BindingId, EventId, EventKind, Facts, Res, ResExpr};
use super::summary::{Analysis, Reach, Step, StepKind, Summary, MAX_CHAIN};
use crate::config::catalogue::KindId;
use crate::config::known;
use crate::index::{FnId, Index};
use rustc_hash::FxHashSet as HashSet;

/// Reading one function's facts against the summaries of its callees.
pub(crate) struct Ctx<'a> {
    pub(crate) facts: &'a Facts,
    pub(crate) sums: &'a [Summary],
    pub(crate) f: FnId,
}

impl<'a> Ctx<'a> {
    /// Function `f`'s facts, read against everyone's summaries.
    pub(crate) fn of(an: &'a Analysis, f: FnId) -> Ctx<'a> {
        Ctx {
            facts: &an.facts[f.index()],
            sums: &an.summaries,
            f,
        }
    }

    /// The events evaluated while guard binding `b` is live (on the guard's own task).
    pub(crate) fn under_guard(&self, b: BindingId) -> impl Iterator<Item = EventId> + '_ {
        let bind = &self.facts.bindings[b.index()];
        let end = bind.end_ev.index().min(self.facts.events.len());
        ((bind.source.index() + 1)..end)
            .map(EventId::from_index)
            .filter(move |&ev| bind.covers(ev, self.facts.events[ev.index()].frame))
    }

    pub(crate) fn resolve(&self, r: &ResExpr, depth: u32) -> Option<Res> {
        match r {
            ResExpr::Known(x) => Some(x.clone()),
            ResExpr::Keyed(c, k) if depth <= 16 => Some(Res::Keyed(
                Box::new(self.resolve(c, depth + 1)?),
                Box::new(self.resolve(k, depth + 1)?),
            )),
            ResExpr::Keyed(..) => None,
            ResExpr::ReturnOf(ev) => {
                if depth > 16 {
                    return None;
                }
                let EventKind::Call { callees, args } = &self.facts.events.get(ev.index())?.kind
                else {
                    return None;
                };
                callees.iter().find_map(|&c| {
                    let p = self.sums[c.index()].returns_pool.as_ref()?;
                    self.substitute(p, args, depth + 1)
                })
            }
        }
    }

    fn substitute(&self, r: &Res, args: &[Option<ResExpr>], depth: u32) -> Option<Res> {
        match r {
            Res::Param(i) => self.resolve(args.get(*i as usize)?.as_ref()?, depth),
            Res::Local(_) => None,
            Res::Keyed(c, k) => Some(Res::Keyed(
                Box::new(self.substitute(c, args, depth)?),
                Box::new(self.substitute(k, args, depth)?),
            )),
            other => Some(other.clone()),
        }
    }

    /// The pool a binding holds a guard of, if it is a guard at all.
    pub(crate) fn guard(&self, b: BindingId) -> Option<(Res, KindId)> {
        let bind = &self.facts.bindings[b.index()];
        match &self.facts.events[bind.source.index()].kind {
            EventKind::Run { .. } | EventKind::Await { .. } | EventKind::Build { .. } => None,
            EventKind::Checkout { res, kind, .. } => Some((self.resolve(res.as_ref()?, 0)?, *kind)),
            EventKind::Call { callees, args } => callees.iter().find_map(|&c| {
                let (r, k) = self.sums[c.index()].returns_guard.as_ref()?;
                Some((self.substitute(r, args, 0)?, *k))
            }),
        }
    }

    /// What evaluating event `ev` checks out, relative to this function.
    pub(crate) fn reaches(&self, ev: EventId) -> Vec<Reach> {
        self.reaches_depth(ev, 0)
    }

    fn reaches_depth(&self, ev: EventId, depth: u32) -> Vec<Reach> {
        let e = &self.facts.events[ev.index()];
        match &e.kind {
            EventKind::Await { .. } | EventKind::Build { .. } => Vec::new(),
            EventKind::Run { frame } => {
                let mut out: Vec<Reach> = Vec::new();
                if depth > 8 {
                    return out;
                }
                let mut seen: HashSet<Res> = HashSet::default();
                for (i, inner) in self.facts.events.iter().enumerate() {
                    if inner.frame != *frame {
                        continue;
                    }
                    for r in self.reaches_depth(EventId::from_index(i), depth + 1) {
                        if !seen.insert(r.res.clone()) {
                            continue;
                        }
                        let mut steps = vec![Step {
                            func: self.f,
                            span: e.span,
                            kind: StepKind::Run,
                        }];
                        steps.extend(r.steps.into_iter().take(MAX_CHAIN));
                        out.push(Reach {
                            res: r.res,
                            kind: r.kind,
                            steps,
                        });
                    }
                }
                out
            }
            // `try_get`, `try_acquire`, `try_begin`: they fail at once on an empty pool instead
            // of waiting, so they cannot be the second checkout of a deadlock.
            EventKind::Checkout { method, .. } if method.starts_with(known::NON_WAITING_PREFIX) => {
                Vec::new()
            }
            EventKind::Checkout {
                res, kind, method, ..
            } => match res.as_ref().and_then(|r| self.resolve(r, 0)) {
                Some(res) => vec![Reach {
                    res,
                    kind: *kind,
                    steps: vec![Step {
                        func: self.f,
                        span: e.span,
                        kind: StepKind::Checkout(method.clone()),
                    }],
                }],
                None => Vec::new(),
            },
            EventKind::Call { callees, args } => {
                let mut out: Vec<Reach> = Vec::new();
                let mut seen: HashSet<Res> = HashSet::default();
                for &c in callees {
                    for r in &self.sums[c.index()].checkouts {
                        let Some(res) = self.substitute(&r.res, args, 0) else {
                            continue;
                        };
                        if !seen.insert(res.clone()) {
                            continue;
                        }
                        let mut steps = Vec::with_capacity(r.steps.len() + 1);
                        steps.push(Step {
                            func: self.f,
                            span: e.span,
                            kind: StepKind::Call(c),
                        });
                        steps.extend(r.steps.iter().take(MAX_CHAIN).cloned());
                        out.push(Reach {
                            res,
                            kind: r.kind,
                            steps,
                        });
                    }
                }
                out
            }
        }
    }
}

/// How a resource is named in messages about function `f`.
pub(crate) fn res_name(ix: &Index, facts: &Facts, r: &Res) -> String {
    match r {
        Res::Keyed(c, k) => format!("{}[{}]", res_name(ix, facts, c), res_name(ix, facts, k)),
        Res::Static(s) => ix.statics[s.index()].name.clone(),
        Res::Field(t, f) => format!("{}.{}", ix.types[t.index()].name, f),
        Res::Param(i) => facts
            .param_names
            .get(*i as usize)
            .cloned()
            .unwrap_or_else(|| "the pool".into()),
        Res::Local(i) => facts
            .local_names
            .get(*i as usize)
            .cloned()
            .unwrap_or_else(|| "the pool".into()),
    }
}
