//! The bottom-up driver: every function walked once (in parallel), then, over the call graph's
//! strongly connected components callees first, each function's summary: which resources
//! calling it may check out (with the call chain), and whether it returns a guard or a pool.

use super::facts::{EventId, EventKind, Facts, Res};
use super::query::Ctx;
use super::walk::walk_fn;
use crate::base::internal::{contain, InternalError};
use crate::base::shelf::{Shelf, Shelved, Slot};
use crate::base::source::Span;
use crate::config::catalogue::KindId;
use crate::index::{FnId, Index, Owner, TyK};
use crate::ir::Body;
use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

#[derive(Debug, Clone)]
pub(crate) enum StepKind {
    Call(FnId),
    Checkout(String),
    /// A stored closure or a task's handle, run here.
    Run,
}

/// One step of a call chain: in function `func`, at `span`.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) func: FnId,
    pub(crate) span: Span,
    pub(crate) kind: StepKind,
}

/// Calling a function checks out `res` (relative to its parameters) through `steps`.
#[derive(Debug, Clone)]
pub(crate) struct Reach {
    pub(crate) res: Res,
    pub(crate) kind: KindId,
    pub(crate) steps: Vec<Step>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    pub(crate) checkouts: Vec<Reach>,
    pub(crate) returns_guard: Option<(Res, KindId)>,
    pub(crate) returns_pool: Option<Res>,
}

pub(crate) struct Analysis {
    /// Each function's facts; empty for a function with nothing to do with pools (see
    /// `has_pool_facts`).
    pub(crate) facts: Vec<Facts>,
    pub(crate) summaries: Vec<Summary>,
    /// The whole call graph: each function's callees, each with whether the call runs on the
    /// caller's own task (frame 0), for every function, pool-related or not.
    pub(crate) calls: Vec<Calls>,
    /// Functions whose walk or summary met a bug of ours: their facts are empty.
    pub(crate) internal: Vec<InternalError>,
}

/// A function's callees, each with whether the call runs on its own task.
pub(crate) type Calls = Box<[(FnId, bool)]>;

pub(super) const MAX_CHAIN: usize = 16;

/// One function walked: its packed facts, its callees, whether it contributes to a summary
/// itself, and the bug its walk met.
type Walked = (Option<Slot<Facts>>, Calls, bool, Option<Box<InternalError>>);

/// `bodies`: each function's body, by `FnId` (see `Index::take_bodies`).
pub(crate) fn summarize(ix: &Index, bodies: Vec<Option<Body>>, body_shelf: Shelved) -> Analysis {
    let cat = &ix.cat;
    let self_kinds: Vec<Option<TyK>> = ix
        .fns
        .par_iter()
        .map(|f| match f.owner {
            Owner::Type(t) => Some(TyK::Adt(t)),
            Owner::Trait(t) => Some(TyK::Generic(vec![t], false)),
            Owner::External => f
                .self_ty
                .as_ref()
                .map(|t| ix.ty_kind(f.module, &[&f.impl_generics], t, None)),
            Owner::Free => None,
        })
        .collect();
    let ret_kinds: Vec<TyK> = ix
        .fns
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            ix.ty_kind(
                f.module,
                &[&f.def.generics, &f.impl_generics],
                &f.def.ret,
                self_kinds[i].as_ref(),
            )
        })
        .collect();
    // Packed on the worker (see `ir::Shelf`), unpacked when its turn to be summarized comes.
    let shelf = Shelf::default();
    let walk = |f: FnId| -> Walked {
        let (body, unpacked) = match bodies.get(f.index()).copied().flatten() {
            Some(b) => match body_shelf.get(&b) {
                Some(body) => (Some(body), None),
                None => (
                    None,
                    Some("its packed body could not be decoded".to_string()),
                ),
            },
            None => (None, None),
        };
        let walk = contain(|| walk_fn(ix, cat, f, body, &self_kinds, &ret_kinds));
        let (facts, failure) = match (walk, unpacked) {
            (Ok(facts), None) => (facts, None),
            (Ok(_), Some(why)) | (Err(why), _) => (Facts::default(), Some(why)),
        };
        let failure = failure.map(|detail| Box::new(ix.fn_internal_error(f, detail)));
        let calls = facts
            .events
            .iter()
            .flat_map(|e| {
                match &e.kind {
                    EventKind::Call { callees, .. } => callees.as_slice(),
                    _ => &[],
                }
                .iter()
                .map(move |&c| (c, e.frame == 0))
            })
            .collect();
        // What the function itself contributes to a summary: a checkout, a pool built, or
        // a pool location returned.
        let own = facts.returns.iter().any(|(_, loc)| loc.is_some())
            || facts
                .events
                .iter()
                .any(|e| matches!(e.kind, EventKind::Checkout { .. } | EventKind::Build { .. }));
        let slot = shelf.put(&facts);
        let failure = failure.or_else(|| {
            slot.is_none()
                .then(|| Box::new(ix.fn_internal_error(f, "its facts could not be packed".into())))
        });
        (slot, calls, own, failure)
    };
    // Every function, except copies of a file another crate read first (the 57 test targets
    // of one package that each declare `mod common;`): a copy is walked only once code that
    // is walked calls it, so what a crate calls in its copy is seen, and the rest, which the
    // first copy already found, costs nothing.
    let n = ix.fns.len();
    let mut walked: Vec<Option<Walked>> = (0..n).map(|_| None).collect();
    let mut queued: Vec<bool> = ix.fns.iter().map(|f| !f.copy).collect();
    let mut todo: Vec<FnId> = (0..n)
        .map(FnId::from_index)
        .filter(|f| queued[f.index()])
        .collect();
    while !todo.is_empty() {
        let done: Vec<(FnId, Walked)> = todo.par_iter().map(|&f| (f, walk(f))).collect();
        let mut next = Vec::new();
        for (f, w) in done {
            for &(c, _) in w.1.iter() {
                if let Some(q) = queued.get_mut(c.index()).filter(|q| !**q) {
                    *q = true;
                    next.push(c);
                }
            }
            if let Some(slot) = walked.get_mut(f.index()) {
                *slot = Some(w);
            }
        }
        next.sort_unstable();
        todo = next;
    }
    let walked: Vec<Walked> = walked
        .into_iter()
        .map(|w| w.unwrap_or_else(|| (None, Calls::default(), false, None)))
        .collect();
    drop(body_shelf);
    let mut slots = Vec::with_capacity(walked.len());
    let mut calls = Vec::with_capacity(walked.len());
    let mut own = Vec::with_capacity(walked.len());
    let mut internal = Vec::new();
    for (slot, c, o, failure) in walked {
        slots.push(slot);
        calls.push(c);
        own.push(o);
        internal.extend(failure.map(|b| *b));
    }
    let (facts, summaries) =
        summaries(ix, shelf.into_shelved(), slots, &calls, &own, &mut internal);
    Analysis {
        facts,
        summaries,
        calls,
        internal,
    }
}

/// Summarizes every function, callees first. A function's facts are unpacked when its turn
/// comes and kept only if they have to do with pools: most functions of a workspace do not,
/// and their facts were a third of the peak memory.
fn summaries(
    ix: &Index,
    mut shelf: crate::base::shelf::Shelved,
    mut slots: Vec<Option<Slot<Facts>>>,
    calls: &[Calls],
    own: &[bool],
    internal: &mut Vec<InternalError>,
) -> (Vec<Facts>, Vec<Summary>) {
    let n = slots.len();
    let succ: Vec<Vec<u32>> = calls
        .iter()
        .map(|cs| {
            let mut v: Vec<u32> = Vec::new();
            for &(c, _) in cs.iter() {
                if !v.contains(&c.0) {
                    v.push(c.0);
                }
            }
            v
        })
        .collect();
    let sccs = tarjan(&succ);
    let mut facts: Vec<Facts> = (0..n).map(|_| Facts::default()).collect();
    let mut sums = vec![Summary::default(); n];
    let empty = |s: &Summary| {
        s.checkouts.is_empty() && s.returns_guard.is_none() && s.returns_pool.is_none()
    };
    for comp in sccs {
        // A function outside any cycle that contributes nothing itself and calls only
        // functions whose summaries are empty has an empty summary and nothing for a lint:
        // its facts are not even unpacked (most functions of a workspace).
        if let [f] = comp[..] {
            let f = f as usize;
            if !own[f]
                && !succ[f].contains(&(f as u32))
                && succ[f].iter().all(|&c| empty(&sums[c as usize]))
            {
                if let Some(slot) = slots[f].take() {
                    shelf.discard(slot);
                }
                continue;
            }
        }
        for &f in &comp {
            if let Some(slot) = slots.get_mut(f as usize).and_then(Option::take) {
                match shelf.take(slot) {
                    Some(x) => facts[f as usize] = x,
                    None => internal.push(ix.fn_internal_error(
                        FnId(f),
                        "its packed facts could not be decoded".into(),
                    )),
                }
            }
        }
        // Inside a cycle, iterate to a fixpoint: summaries only grow, over a finite set.
        // Callees before their callers, so that a round carries what a cycle checks out all
        // the way round it (in id order, a chain of N calls took N rounds).
        let order = callees_first(&comp, &succ);
        for _round in 0..(comp.len() * 4 + 2) {
            let mut changed = false;
            for &f in &order {
                let s = match contain(|| summary_of(FnId(f), &facts[f as usize], &sums)) {
                    Ok(s) => s,
                    Err(detail) => {
                        // Its facts are dropped: nothing of it reaches a lint or a caller.
                        internal.push(ix.fn_internal_error(FnId(f), detail));
                        facts[f as usize] = Facts::default();
                        Summary::default()
                    }
                };
                if !same_summary(&s, &sums[f as usize]) {
                    sums[f as usize] = s;
                    changed = true;
                }
            }
            if !changed || comp.len() == 1 && !succ[comp[0] as usize].contains(&comp[0]) {
                break;
            }
        }
        for &f in &comp {
            if !has_pool_facts(&facts[f as usize], &sums) {
                facts[f as usize] = Facts::default();
            }
        }
    }
    (facts, sums)
}

/// The functions of one strongly connected component in the post-order of a depth-first walk
/// of their calls inside it: each after the callees it reaches first.
fn callees_first(comp: &[u32], succ: &[Vec<u32>]) -> Vec<u32> {
    if comp.len() < 2 {
        return comp.to_vec();
    }
    let members: HashSet<u32> = comp.iter().copied().collect();
    let mut done: HashSet<u32> = HashSet::default();
    let mut order = Vec::with_capacity(comp.len());
    for &start in comp {
        if !done.insert(start) {
            continue;
        }
        let mut stack: Vec<(u32, usize)> = vec![(start, 0)];
        while let Some((v, i)) = stack.last_mut() {
            let next = succ.get(*v as usize).and_then(|s| s.get(*i)).copied();
            *i += 1;
            match next {
                Some(w) => {
                    if members.contains(&w) && done.insert(w) {
                        stack.push((w, 0));
                    }
                }
                None => {
                    order.push(*v);
                    stack.pop();
                }
            }
        }
    }
    order
}

/// Whether any lint can find anything in a function: it checks out, builds a pool, or calls
/// something that checks out or returns a guard. Without one of these it holds no guard (a
/// guard comes from a checkout or a call returning one), and neither its awaits nor its calls
/// matter to any lint (a pool it gets from a call matters only where it is checked out from,
/// and that is a checkout here or in a callee); the call graph is kept apart
/// (`Analysis::calls`).
fn has_pool_facts(facts: &Facts, sums: &[Summary]) -> bool {
    facts.events.iter().any(|e| match &e.kind {
        EventKind::Checkout { .. } | EventKind::Build { .. } => true,
        EventKind::Call { callees, .. } => callees.iter().any(|&c| {
            sums.get(c.index())
                .is_some_and(|s| !s.checkouts.is_empty() || s.returns_guard.is_some())
        }),
        EventKind::Run { .. } | EventKind::Await { .. } => false,
    })
}

fn same_summary(a: &Summary, b: &Summary) -> bool {
    a.returns_guard == b.returns_guard
        && a.returns_pool == b.returns_pool
        && a.checkouts.len() == b.checkouts.len()
        && a.checkouts
            .iter()
            .zip(&b.checkouts)
            .all(|(x, y)| x.res == y.res && x.kind == y.kind)
}

fn summary_of(f: FnId, facts: &Facts, sums: &[Summary]) -> Summary {
    let cx = Ctx { facts, sums, f };
    let mut checkouts: Vec<Reach> = Vec::new();
    // The first site of each pool: a set beside the list, since a function in a large cycle
    // reaches every pool of the cycle.
    let mut seen: HashSet<Res> = HashSet::default();
    for (i, e) in facts.events.iter().enumerate() {
        if e.frame != 0 {
            continue;
        }
        for r in cx.reaches(EventId::from_index(i)) {
            if r.res.is_local() || seen.contains(&r.res) {
                continue;
            }
            seen.insert(r.res.clone());
            checkouts.push(r);
        }
    }
    let mut returns_guard = None;
    let mut returns_pool = None;
    for (g, loc) in &facts.returns {
        if returns_guard.is_none() {
            if let Some(g) = g {
                returns_guard = cx.guard(*g).filter(|(r, _)| !r.is_local());
            }
        }
        if returns_pool.is_none() {
            if let Some(l) = loc {
                returns_pool = cx.resolve(l, 0).filter(|r| !r.is_local());
            }
        }
    }
    Summary {
        checkouts,
        returns_guard,
        returns_pool,
    }
}

/// Strongly connected components, callees before callers (iterative Tarjan).
fn tarjan(succ: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let n = succ.len();
    let mut index = vec![u32::MAX; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    let mut next = 0u32;
    let mut work: Vec<(u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != u32::MAX {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            let vu = v as usize;
            if *i == 0 && index[vu] == u32::MAX {
                index[vu] = next;
                low[vu] = next;
                next += 1;
                stack.push(v);
                on_stack[vu] = true;
            }
            if let Some(&w) = succ[vu].get(*i) {
                *i += 1;
                let wu = w as usize;
                if index[wu] == u32::MAX {
                    work.push((w, 0));
                } else if on_stack[wu] {
                    low[vu] = low[vu].min(index[wu]);
                }
                continue;
            }
            work.pop();
            if let Some(&(p, _)) = work.last() {
                low[p as usize] = low[p as usize].min(low[vu]);
            }
            if low[vu] == index[vu] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                comp.sort();
                out.push(comp);
            }
        }
    }
    out
}
