//! Summarizing: one walk over each function body records its *facts* (checkout and call
//! events in evaluation order, guard bindings with their live ranges, what it returns); then,
//! over the call graph's strongly connected components bottom-up, each function's *summary*:
//! which resources calling it may check out (with the call chain), and whether it returns a
//! guard or a pool. Resources are relative to the function's parameters.

use crate::base::internal::{contain, InternalError};
use crate::base::shelf::{Shelf, Shelved, Slot};
use crate::base::source::Span;
use crate::config::catalogue::{self, Catalogue, KindId};
use crate::index::pool_build::{self, Unbounded, Wait};
use crate::index::{Def, FnId, Index, ModId, Owner, Resolved, StaticId, TyK, TypeId};
use crate::ir::{Block, Body, Expr, ExprKind, Generics, Pat, Segs, Stmt, Ty};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

/// An abstract location of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Res {
    Static(StaticId),
    Field(TypeId, String),
    /// The function's parameter (0 is `self` when it has one).
    Param(u32),
    /// A pool made inside the function.
    Local(u32),
    /// The pool stored under a key in a collection (`self.pools.get(&tenant)`): the same
    /// collection and the same key are the same pool.
    Keyed(Box<Res>, Box<Res>),
}

impl Res {
    /// Made inside the function, so nothing outside it can hold the same pool.
    fn is_local(&self) -> bool {
        match self {
            Res::Local(_) => true,
            Res::Keyed(c, k) => c.is_local() || k.is_local(),
            _ => false,
        }
    }
}

/// A location as the walk sees it: known, or whatever a call returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ResExpr {
    Known(Res),
    ReturnOf(u32),
    /// An element of a collection, looked up by a key.
    Keyed(Box<ResExpr>, Box<ResExpr>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum EventKind {
    /// A catalogue checkout: `pool.get()`, `pool.begin()`, `query.fetch_one(&pool)`.
    Checkout {
        res: Option<ResExpr>,
        kind: KindId,
        method: String,
        recv: Option<Span>,
        /// Under a timeout (`timeout_get`, mobc's `get_timeout`, `tokio::time::timeout(..)`).
        bounded: bool,
    },
    /// A pool built so that its checkouts can wait forever (the span is the building
    /// expression).
    Build {
        kind: KindId,
        problem: Unbounded,
        /// Where the pool is kept, when the function stores it in a struct's field
        /// (`AppState { db: pool }`): its checkouts are those of that field.
        stored: Option<Res>,
    },
    /// A call of workspace functions (several for a trait method on a generic receiver).
    Call {
        callees: Vec<FnId>,
        args: Vec<Option<ResExpr>>,
    },
    /// A body walked earlier in its own frame runs here: a closure stored in a variable and
    /// called, a spawned task or thread awaited or joined through its handle.
    Run { frame: u32 },
    /// `.await`: the task may wait here. Pushed after the events of the awaited expression,
    /// which start at `inner_start`.
    Await {
        inner_start: u32,
        /// The guard bindings the awaited expression names, itself or through a value borrowed
        /// from one (`&mut *tx`, a stream of rows from `conn`, a transaction of `conn`).
        uses: Vec<u32>,
        /// The awaited call: a method's name, a function's path, a variable holding a future.
        callee: Option<String>,
        /// The async block or closure the await is in (0: the function's body): only there
        /// does it suspend the code that holds a guard taken in the same body.
        body: u32,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    /// Code that runs on this task (0) or in a spawned task (its own frame).
    pub frame: u32,
    pub span: Span,
    pub kind: EventKind,
}

pub const OPEN: u32 = u32::MAX;
/// The frame of a call whose future is stored, not awaited: it runs where it is awaited.
pub const DEFERRED: u32 = u32::MAX - 1;

/// A value that may be a guard (from a checkout, or from a call that may return one), with
/// its live range in events: held for the events after `source` and before `end_ev`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Binding {
    pub frame: u32,
    pub source: u32,
    pub name: Option<String>,
    pub end_ev: u32,
    pub end_span: Span,
    /// Event ranges inside the live range that never run while it is held: the sibling
    /// branches of the `if`/`match` arm the guard came out of.
    pub holes: Vec<(u32, u32)>,
    /// The async block or closure it was taken in (0: the function's body).
    pub body: u32,
}

impl Binding {
    /// Whether the guard is held while event `ev` runs.
    pub fn covers(&self, ev: u32, frame: u32) -> bool {
        frame == self.frame
            && ev > self.source
            && ev < self.end_ev
            && !self.holes.iter().any(|&(a, b)| ev >= a && ev < b)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Facts {
    pub events: Vec<Event>,
    pub bindings: Vec<Binding>,
    /// What the function returns: a guard binding and/or a pool location.
    pub returns: Vec<(Option<u32>, Option<ResExpr>)>,
    pub param_names: Vec<String>,
    pub local_names: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum StepKind {
    Call(FnId),
    Checkout(String),
    /// A stored closure or a task's handle, run here.
    Run,
}

/// One step of a call chain: in function `func`, at `span`.
#[derive(Debug, Clone)]
pub struct Step {
    pub func: FnId,
    pub span: Span,
    pub kind: StepKind,
}

/// Calling a function checks out `res` (relative to its parameters) through `steps`.
#[derive(Debug, Clone)]
pub struct Reach {
    pub res: Res,
    pub kind: KindId,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub checkouts: Vec<Reach>,
    pub returns_guard: Option<(Res, KindId)>,
    pub returns_pool: Option<Res>,
}

pub struct Analysis {
    /// Each function's facts; empty for a function with nothing to do with pools (see
    /// `has_pool_facts`).
    pub facts: Vec<Facts>,
    pub summaries: Vec<Summary>,
    /// The whole call graph: each function's callees, each with whether the call runs on the
    /// caller's own task (frame 0), for every function, pool-related or not.
    pub calls: Vec<Calls>,
    /// Functions whose walk or summary met a bug of ours: their facts are empty.
    pub internal: Vec<InternalError>,
}

/// A function's callees, each with whether the call runs on its own task.
pub type Calls = Box<[(FnId, bool)]>;

const MAX_CHAIN: usize = 16;

/// One function walked: its packed facts, its callees, whether it contributes to a summary
/// itself, and the bug its walk met.
type Walked = (Option<Slot<Facts>>, Calls, bool, Option<Box<InternalError>>);

/// `bodies`: each function's body, by `FnId` (see `Index::take_bodies`).
pub fn summarize(ix: &Index, bodies: Vec<Option<Body>>, body_shelf: Shelved) -> Analysis {
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
        let (body, unpacked) = match bodies.get(f as usize).copied().flatten() {
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
    let mut todo: Vec<FnId> = (0..n as FnId).filter(|&f| queued[f as usize]).collect();
    while !todo.is_empty() {
        let done: Vec<(FnId, Walked)> = todo.par_iter().map(|&f| (f, walk(f))).collect();
        let mut next = Vec::new();
        for (f, w) in done {
            for &(c, _) in w.1.iter() {
                if let Some(q) = queued.get_mut(c as usize).filter(|q| !**q) {
                    *q = true;
                    next.push(c);
                }
            }
            if let Some(slot) = walked.get_mut(f as usize) {
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

// ---------------------------------------------------------------------------------------
// The walk

#[derive(Debug, Clone)]
struct Val {
    ty: TyK,
    loc: Option<ResExpr>,
    guard: Option<u32>,
    /// A future from an `async fn` call stored for later: its call runs where it is awaited.
    future: Option<u32>,
    /// A body stored for later (a closure, a spawned task): it runs where it is called,
    /// awaited or joined.
    body: Option<u32>,
}

impl Val {
    fn unknown() -> Val {
        Val {
            ty: TyK::Unknown,
            loc: None,
            guard: None,
            future: None,
            body: None,
        }
    }
    fn of(ty: TyK, loc: Option<ResExpr>) -> Val {
        Val {
            ty,
            loc,
            guard: None,
            future: None,
            body: None,
        }
    }
}

struct Var {
    name: String,
    val: Val,
    depth: usize,
    origin: Origin,
}

/// What a `let` knows of where its value came from, for the variables it binds.
#[derive(Clone, Default)]
struct Origin {
    /// The guards the value borrows from (see `Walker::borrowed_guards`).
    from: Vec<u32>,
    /// A deadpool config made here: what its pool settings say of the wait timeout.
    config: Option<Wait>,
    /// The `Build` event of the pool the value is.
    built: Option<u32>,
}

struct Walker<'a> {
    ix: &'a Index,
    cat: &'a Catalogue,
    module: ModId,
    generics: Vec<&'a Generics>,
    self_kind: Option<TyK>,
    ret_kinds: &'a [TyK],
    edition2024: bool,
    vars: Vec<Var>,
    /// Where each name's innermost binding is in `vars` (a stack per name): a function with
    /// thousands of `let`s would otherwise make every lookup a scan.
    var_index: HashMap<String, Vec<u32>>,
    depth: usize,
    /// Live bindings owned by a variable, with the block depth that owns them.
    owned: Vec<(u32, usize)>,
    /// Temporaries of the statements being evaluated, innermost last.
    temps: Vec<Vec<u32>>,
    frame: u32,
    next_frame: u32,
    awaited: bool,
    /// Blocks being walked that never fall through (`let .. else`, an arm that returns): the
    /// event where each started, and the guards ended inside it. Ending a guard there ends
    /// it only until the block leaves.
    diverging: Vec<(u32, Vec<(u32, u32)>)>,
    /// Where the value of the `let` being bound came from.
    pending: Origin,
    /// The async block or closure being walked (0: the function's body), and the last used.
    body: u32,
    bodies: u32,
    /// How many `timeout(..)` calls the code being walked is an argument of.
    bounded: u32,
    facts: Facts,
}

fn walk_fn(
    ix: &Index,
    cat: &Catalogue,
    f: FnId,
    body: Option<Block>,
    self_kinds: &[Option<TyK>],
    ret_kinds: &[TyK],
) -> Facts {
    let info = &ix.fns[f as usize];
    let Some(body) = body else {
        return Facts::default();
    };
    crate::base::internal::planted_panic(&info.def.name);
    let body = &body;
    let krate = ix.crate_of(info.module);
    let mut w = Walker {
        ix,
        cat,
        module: info.module,
        generics: vec![&info.def.generics, &info.impl_generics],
        self_kind: self_kinds[f as usize].clone(),
        ret_kinds,
        edition2024: krate.edition.as_str() >= "2024",
        vars: Vec::new(),
        var_index: HashMap::default(),
        depth: 0,
        owned: Vec::new(),
        temps: vec![Vec::new()],
        frame: 0,
        next_frame: 1,
        awaited: false,
        diverging: Vec::new(),
        pending: Origin::default(),
        body: 0,
        bodies: 0,
        bounded: 0,
        facts: Facts::default(),
    };
    let mut pidx = 0u32;
    if info.def.self_param.is_some() {
        let ty = w.self_kind.clone().unwrap_or(TyK::Unknown);
        w.push_var(Var {
            name: "self".into(),
            val: Val::of(ty, Some(ResExpr::Known(Res::Param(0)))),
            depth: 0,
            origin: Origin::default(),
        });
        w.facts.param_names.push("self".into());
        pidx = 1;
    }
    for (pat, ty) in &info.def.params {
        let k =
            w.ix.ty_kind(w.module, &w.generics, ty, w.self_kind.as_ref());
        let val = Val::of(k, Some(ResExpr::Known(Res::Param(pidx))));
        w.facts
            .param_names
            .push(pat_name(pat).unwrap_or_else(|| format!("argument {}", pidx + 1)));
        w.bind_pat(pat, val);
        pidx += 1;
    }
    let v = w.block(body);
    w.record_return(v, body.span.end());
    let close = close_span(body.span);
    for b in &mut w.facts.bindings {
        if b.end_ev == OPEN {
            b.end_ev = w.facts.events.len() as u32;
            b.end_span = close;
        }
    }
    w.facts
}

fn pat_name(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident { name, .. } => Some(name.clone()),
        Pat::TupleStruct { elems, .. } if elems.len() == 1 => pat_name(&elems[0]),
        Pat::Ref(p) => pat_name(p),
        _ => None,
    }
}

fn close_span(block: Span) -> Span {
    Span {
        file: block.file,
        lo: block.hi.saturating_sub(1).max(block.lo),
        hi: block.hi,
    }
}

/// Methods that hand back their receiver (or what it wraps) unchanged, guard and all.
const PASS_THROUGH: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_or",
    "unwrap_or_else",
    "ok",
    "map_err",
    "context",
    "with_context",
    "wrap_err",
    "wrap_err_with",
    "into_future",
    "boxed",
    "instrument",
    "in_current_span",
    "unwrap_unchecked",
    "ok_or",
    "ok_or_else",
    "err_into",
    "or_else",
    "inspect_err",
];
/// Methods that give a reference or a clone: the same location, not the guard itself.
const SAME_PLACE: &[&str] = &[
    "clone",
    // A pool behind a lock (`Mutex<Pool>`, `RwLock<Pool>`): the lock's guard is the pool.
    "lock",
    "read",
    "write",
    "blocking_lock",
    "blocking_read",
    "blocking_write",
    "as_ref",
    "as_deref",
    "borrow",
    "get_ref",
    "to_owned",
    "as_mut",
    "as_deref_mut",
    "deref",
    "deref_mut",
    "borrow_mut",
    "inner",
    "by_ref",
    "into_inner",
    "get_inner",
];
/// Method names too common to guess a workspace callee from when the receiver is unknown.
const COMMON_METHODS: &[&str] = &[
    "new",
    "get",
    "set",
    "insert",
    "remove",
    "len",
    "is_empty",
    "iter",
    "iter_mut",
    "into_iter",
    "map",
    "and_then",
    "next",
    "push",
    "pop",
    "from",
    "into",
    "default",
    "fmt",
    "eq",
    "cmp",
    "hash",
    "build",
    "run",
    "call",
    "send",
    "recv",
    "read",
    "write",
    "lock",
    "find",
    "filter",
    "collect",
    "contains",
    "extend",
    "take",
    "parse",
    "to_string",
    "as_str",
    "with",
    "execute",
    "fetch",
    "query",
    "close",
    "flush",
    "start",
    "stop",
    "handle",
    "process",
    "apply",
    "poll",
    "try_from",
    "load",
    "save",
    "update",
    "delete",
    "create",
    "list",
    "open",
    "connect",
    "validate",
    "check",
    "init",
    "clear",
    "add",
    "sub",
    "join",
    "split",
    "first",
    "last",
    "wait",
    "ready",
    "spawn",
    "drop",
    "merge",
    "finish",
    "commit",
    "rollback",
    "begin",
    "acquire",
    "count",
    "exists",
    "sum",
    "key",
    "value",
    "name",
    "id",
    "data",
    "body",
    "status",
];

fn is_spawn(segs: &Segs) -> bool {
    let Some(last) = segs.last() else {
        return false;
    };
    if !matches!(
        last.as_str(),
        "spawn" | "spawn_local" | "spawn_blocking" | "spawn_on"
    ) {
        return false;
    }
    segs.len() == 1
        || segs.iter().any(|s| {
            matches!(
                s.as_str(),
                "tokio"
                    | "task"
                    | "thread"
                    | "std"
                    | "actix_rt"
                    | "actix_web"
                    | "rt"
                    | "async_std"
                    | "smol"
                    | "rayon"
                    | "tokio_rayon"
                    | "runtime"
            )
        })
}

impl<'a> Walker<'a> {
    fn push_event(&mut self, kind: EventKind, span: Span) -> u32 {
        self.facts.events.push(Event {
            frame: self.frame,
            span,
            kind,
        });
        (self.facts.events.len() - 1) as u32
    }

    /// A new possible guard from event `ev`, a temporary of the current statement.
    fn fresh(&mut self, ev: u32) -> u32 {
        self.facts.bindings.push(Binding {
            frame: self.frame,
            source: ev,
            name: None,
            end_ev: OPEN,
            end_span: Span::default(),
            holes: Vec::new(),
            body: self.body,
        });
        let b = (self.facts.bindings.len() - 1) as u32;
        if let Some(t) = self.temps.last_mut() {
            t.push(b);
        }
        b
    }

    fn end_binding(&mut self, b: u32, span: Span) {
        let n = self.facts.events.len() as u32;
        if let Some((start, ends)) = self.diverging.last_mut() {
            if self.facts.bindings[b as usize].source < *start {
                ends.push((b, n));
                return;
            }
        }
        let bind = &mut self.facts.bindings[b as usize];
        if bind.end_ev == OPEN {
            bind.end_ev = n;
            bind.end_span = span;
        }
        self.owned.retain(|(x, _)| *x != b);
        for t in &mut self.temps {
            t.retain(|x| *x != b);
        }
    }

    fn own(&mut self, b: u32, depth: usize, name: &str) {
        if self.facts.bindings[b as usize].end_ev != OPEN {
            return;
        }
        for t in &mut self.temps {
            t.retain(|x| *x != b);
        }
        self.owned.retain(|(x, _)| *x != b);
        self.owned.push((b, depth));
        let bind = &mut self.facts.bindings[b as usize];
        if bind.name.is_none() {
            bind.name = Some(name.to_string());
        }
    }

    fn end_temps(&mut self, span: Span) {
        if let Some(t) = self.temps.pop() {
            for b in t {
                self.end_binding(b, span);
            }
        }
    }

    /// Leaves a scope: bindings owned at this depth end at `close`, except one escaping as
    /// the scope's value, which becomes a temporary of the enclosing statement.
    fn close_scope(&mut self, mark: usize, close: Span, escaping: Option<u32>) {
        let depth = self.depth;
        let ending: Vec<u32> = self
            .owned
            .iter()
            .filter(|(_, d)| *d >= depth)
            .map(|(b, _)| *b)
            .collect();
        for b in ending {
            if Some(b) == escaping {
                self.owned.retain(|(x, _)| *x != b);
                if let Some(t) = self.temps.last_mut() {
                    t.push(b);
                }
            } else {
                self.end_binding(b, close);
            }
        }
        self.truncate_vars(mark);
        self.depth -= 1;
    }

    fn push_var(&mut self, v: Var) {
        self.var_index
            .entry(v.name.clone())
            .or_default()
            .push(self.vars.len() as u32);
        self.vars.push(v);
    }

    fn truncate_vars(&mut self, mark: usize) {
        while self.vars.len() > mark {
            if let Some(v) = self.vars.pop() {
                if let Some(stack) = self.var_index.get_mut(&v.name) {
                    stack.pop();
                }
            }
        }
    }

    /// The position in `vars` of the innermost binding of `name`.
    fn var_pos(&self, name: &str) -> Option<usize> {
        self.var_index
            .get(name)
            .and_then(|s| s.last())
            .map(|&i| i as usize)
    }

    fn lookup_var(&self, name: &str) -> Option<&Var> {
        self.var_pos(name).map(|i| &self.vars[i])
    }

    /// A pool of kind `k` built by `recv.method(args)`: a `Build` event if its checkouts can
    /// wait forever.
    fn built(&mut self, k: KindId, recv: &Expr, method: &str, args: &[Expr], span: Span) {
        let kind = self.cat.kind(k);
        // The config a chain starts from (`cfg.create_pool(..)`, `cfg.builder(tls)..`).
        let mut root = recv;
        while let ExprKind::MethodCall { recv, .. } | ExprKind::Try(recv) = &root.kind {
            root = recv;
        }
        let config = match &root.kind {
            ExprKind::Path(s) if s.len() == 1 => {
                self.lookup_var(&s[0]).and_then(|v| v.origin.config)
            }
            _ => None,
        };
        let problem = if method == "create_pool" {
            // On a config variable, or straight on `Config::from_url(..)`.
            match (&recv.kind, config.or_else(|| self.config_made(recv, k))) {
                (ExprKind::Path(_) | ExprKind::Call { .. }, Some(w)) => {
                    pool_build::create_pool_problem(args, w)
                }
                _ => None,
            }
        } else {
            pool_build::chain_problem(recv, method, args, kind, config)
        };
        if let Some(problem) = problem {
            self.push_event(
                EventKind::Build {
                    kind: k,
                    problem,
                    stored: None,
                },
                span,
            );
        }
    }

    /// The `Build` event of the pool `e` evaluates to: one pushed while `e` was walked (from
    /// event `start` on), or the one of the variable `e` names (through `Arc::new`, clones).
    fn built_by(&self, e: &Expr, start: usize) -> Option<u32> {
        let here = (start..self.facts.events.len())
            .rev()
            .find(|&i| matches!(self.facts.events[i].kind, EventKind::Build { .. }));
        if let Some(i) = here {
            return Some(i as u32);
        }
        let mut e = e;
        loop {
            match &e.kind {
                ExprKind::Path(s) if s.len() == 1 => return self.lookup_var(&s[0])?.origin.built,
                ExprKind::Call { args, .. } if args.len() == 1 => e = &args[0],
                ExprKind::MethodCall { recv, method, .. } if method == "clone" => e = recv,
                ExprKind::Try(x) | ExprKind::Ref(x) => e = x,
                _ => return None,
            }
        }
    }

    /// A deadpool config made by `init` (`Config::new()`, `Config::from_url(..)`, a
    /// `Config { .. }` literal): what its pool settings say of the wait timeout.
    fn config_made(&self, init: &Expr, k: KindId) -> Option<Wait> {
        if self.cat.kind(k).kind != "deadpool" {
            return None;
        }
        let mut e = init;
        while let ExprKind::Try(x) = &e.kind {
            e = x;
        }
        match &e.kind {
            ExprKind::Call { func, .. } => match &func.kind {
                ExprKind::Path(s)
                    if s.len() >= 2
                        && s[s.len() - 2] == "Config"
                        && matches!(
                            s[s.len() - 1].as_str(),
                            "new" | "default" | "from_url" | "from_connection_info"
                        ) =>
                {
                    Some(Wait::Unset)
                }
                _ => None,
            },
            ExprKind::Struct { path, .. } if path.last().is_some_and(|l| l == "Config") => {
                Some(pool_build::wait_of(e))
            }
            _ => None,
        }
    }

    /// `cfg.pool = Some(PoolConfig { .. })`, `cfg.pool.as_mut()..timeouts.wait = ..`.
    fn config_assigned(&mut self, lhs: &Expr, rhs: &Expr) {
        let mut members = Vec::new();
        let mut e = lhs;
        loop {
            match &e.kind {
                ExprKind::Field { base, member } => {
                    members.push(member.as_str());
                    e = base;
                }
                ExprKind::MethodCall { recv, .. } => e = recv,
                _ => break,
            }
        }
        let ExprKind::Path(s) = &e.kind else { return };
        if s.len() != 1 || members.last() != Some(&"pool") {
            return;
        }
        let Some(pos) = self.var_pos(&s[0]) else {
            return;
        };
        if self.vars[pos].origin.config.is_none() {
            return;
        }
        let wait = match members.as_slice() {
            ["pool"] => pool_build::wait_of(rhs),
            ["wait", ..] if pool_build::is_none(rhs) => Wait::Unset,
            ["wait", ..] if pool_build::last(rhs) == Some("Some") => Wait::Set,
            ["wait", ..] => Wait::Unknown,
            ["timeouts", ..] => pool_build::wait_of(rhs),
            _ => Wait::Unknown,
        };
        self.vars[pos].origin.config = Some(wait);
    }

    /// The guards that variables of these names hold or borrow from.
    fn guards_named(&self, names: &[String]) -> Vec<u32> {
        let mut out = Vec::new();
        for n in names {
            if let Some(v) = self.lookup_var(n) {
                out.extend(v.val.guard);
                out.extend(v.origin.from.iter().copied());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The guards a `let`'s value may borrow from: those its initializer names, unless it is
    /// the awaited result of a query (rows, a count: owned data). A value built without an
    /// await (`&mut *tx`, `query.fetch(&mut *conn)`, a repository made from `conn`), a
    /// transaction or savepoint opened on a held connection, and a row stream read from it keep
    /// using the guard.
    fn borrowed_guards(&self, init: &Expr) -> Vec<u32> {
        let mut names = Vec::new();
        mentions_kept(init, &mut names);
        self.guards_named(&names)
    }

    fn bind_pat(&mut self, pat: &Pat, mut val: Val) {
        match pat {
            Pat::Ident { name, .. } => {
                if let Some(g) = val.guard {
                    self.own(g, self.depth, name);
                }
                if val.loc.is_none() && matches!(val.ty, TyK::Pool(_) | TyK::Cell(_)) {
                    let id = self.facts.local_names.len() as u32;
                    self.facts.local_names.push(name.clone());
                    val.loc = Some(ResExpr::Known(Res::Local(id)));
                }
                self.push_var(Var {
                    name: name.clone(),
                    val,
                    depth: self.depth,
                    origin: self.pending.clone(),
                });
            }
            // `Err(e)` holds the error, never the guard or the pool.
            Pat::TupleStruct { path, elems }
                if elems.len() == 1 && path.last().is_some_and(|l| l == "Err") =>
            {
                self.bind_pat(&elems[0], Val::unknown())
            }
            Pat::TupleStruct { elems, .. } if elems.len() == 1 => self.bind_pat(&elems[0], val),
            Pat::Ref(p) => self.bind_pat(p, Val { guard: None, ..val }),
            Pat::Or(ps) => {
                if let Some(p) = ps.first() {
                    self.bind_pat(p, val);
                }
            }
            Pat::Tuple(ps) | Pat::TupleStruct { elems: ps, .. } => {
                for p in ps {
                    self.bind_pat(p, Val::unknown());
                }
            }
            Pat::Struct { fields, .. } => {
                for (_, p) in fields {
                    self.bind_pat(p, Val::unknown());
                }
            }
            Pat::Wild | Pat::Other => {}
        }
    }

    fn record_return(&mut self, v: Val, span: Span) {
        if v.guard.is_some() || v.loc.is_some() {
            self.facts.returns.push((v.guard, v.loc.clone()));
        }
        if let Some(g) = v.guard {
            // Returned to the caller: no longer held here.
            self.end_binding(g, span);
        }
    }

    fn block(&mut self, b: &Block) -> Val {
        self.depth += 1;
        let mark = self.vars.len();
        let mut tail = Val::unknown();
        let n = b.stmts.len();
        let mut tail_temps: Option<Vec<u32>> = None;
        for (i, s) in b.stmts.iter().enumerate() {
            match s {
                Stmt::Let {
                    pat,
                    ty,
                    init,
                    els,
                    span,
                } => {
                    self.temps.push(Vec::new());
                    let init_start = self.facts.events.len();
                    let mut v = match init {
                        Some(
                            e @ Expr {
                                kind: ExprKind::Closure { .. },
                                ..
                            },
                        ) => {
                            let frame = self.in_frame(|w| {
                                w.expr(e);
                            });
                            Val {
                                body: Some(frame),
                                ..Val::unknown()
                            }
                        }
                        // `let c = &mut *pool.get()?;`: the borrowed temporary lives as long
                        // as `c` (temporary lifetime extension), and so does its guard.
                        Some(
                            e @ Expr {
                                kind: ExprKind::Ref(_),
                                ..
                            },
                        ) => self.extended(e),
                        Some(e) => self.expr(e),
                        None => Val::unknown(),
                    };
                    if let Some(e) = init {
                        self.defer_stored_future(e, &mut v);
                    }
                    if let Some(t) = ty {
                        let k = self.ix.ty_kind(
                            self.module,
                            &self.generics,
                            t,
                            self.self_kind.as_ref(),
                        );
                        if k != TyK::Unknown && !matches!(v.ty, TyK::Pool(_)) {
                            v.ty = k;
                        }
                    }
                    if let Some(e) = els {
                        self.diverging(|w| w.block(e));
                    }
                    self.pending = Origin {
                        from: init
                            .as_ref()
                            .map(|e| self.borrowed_guards(e))
                            .unwrap_or_default(),
                        config: match (init, &v.ty) {
                            (Some(e), TyK::Builder(k)) => self.config_made(e, *k),
                            _ => None,
                        },
                        built: match (init, &v.ty) {
                            (Some(e), TyK::Pool(_)) => self.built_by(e, init_start),
                            _ => None,
                        },
                    };
                    self.bind_pat(pat, v);
                    self.pending = Origin::default();
                    self.end_temps(span.end());
                }
                Stmt::Expr { expr, semi } => {
                    self.temps.push(Vec::new());
                    let v = self.expr(expr);
                    if i + 1 == n && !semi {
                        tail = v;
                        tail_temps = self.temps.pop();
                    } else {
                        self.end_temps(expr.span.end());
                    }
                }
            }
        }
        // Temporaries of the tail expression live to the block's end (before its locals in
        // edition 2024, after them before: either way, past every event of the block).
        let close = close_span(b.span);
        if let Some(t) = tail_temps {
            for x in t {
                if Some(x) == tail.guard {
                    if let Some(top) = self.temps.last_mut() {
                        top.push(x);
                    }
                } else {
                    self.end_binding(x, close);
                }
            }
        }
        self.close_scope(mark, close, tail.guard);
        tail
    }

    /// `let fut = audit::record(&pool, ..);` with `record` an `async fn`: nothing runs until
    /// `fut` is awaited, so the call counts where it is awaited, not here.
    fn defer_stored_future(&mut self, init: &Expr, v: &mut Val) {
        if !matches!(
            init.kind,
            ExprKind::Call { .. } | ExprKind::MethodCall { .. }
        ) {
            return;
        }
        let Some(ResExpr::ReturnOf(ev)) = v.loc else {
            return;
        };
        // Only the call itself, stored as it is: `f(..).await?.x()` ran already.
        if self.facts.events[ev as usize].span != init.span {
            return;
        }
        let EventKind::Call { callees, .. } = &self.facts.events[ev as usize].kind else {
            return;
        };
        if callees.is_empty()
            || !callees
                .iter()
                .all(|&c| self.ix.fns[c as usize].def.is_async)
        {
            return;
        }
        self.facts.events[ev as usize].frame = DEFERRED;
        if let Some(g) = v.guard.take() {
            self.end_binding(g, init.span);
        }
        v.future = Some(ev);
        v.loc = None;
    }

    /// A stored future awaited (or joined) here: its call runs now.
    fn run_future(&mut self, ev: u32, span: Span) -> Val {
        let kind = self.facts.events[ev as usize].kind.clone();
        let EventKind::Call { callees, args } = kind else {
            return Val::unknown();
        };
        self.call_event(callees, args, span)
    }

    fn stored_future(&self, e: &Expr) -> Option<u32> {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => self.lookup_var(&s[0]).and_then(|v| v.val.future),
            _ => None,
        }
    }

    /// The operand of an extending borrow (`&`, `&mut *`, `&x.field`): its guard is kept.
    fn extended(&mut self, e: &Expr) -> Val {
        match &e.kind {
            ExprKind::Ref(x) | ExprKind::Deref(x) => self.extended(x),
            ExprKind::Field { base, member } => {
                let b = self.extended(base);
                let guard = b.guard;
                Val {
                    guard,
                    ..self.field(b, member)
                }
            }
            _ => self.expr(e),
        }
    }

    /// Walks a block that never falls through: guards it ends stay held after it.
    fn diverging<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.diverging
            .push((self.facts.events.len() as u32, Vec::new()));
        let out = f(self);
        if let Some((_, ends)) = self.diverging.pop() {
            let end = self.facts.events.len() as u32;
            for (b, from) in ends {
                self.facts.bindings[b as usize].holes.push((from, end));
            }
        }
        out
    }

    fn exprs(&mut self, es: &[Expr]) -> Vec<Val> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    fn contains_let(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Let { .. } => true,
            ExprKind::Seq(v) => v.iter().any(Self::contains_let),
            _ => false,
        }
    }

    fn expr(&mut self, e: &Expr) -> Val {
        match &e.kind {
            ExprKind::Path(segs) => self.path_val(segs),
            ExprKind::Call { func, args } => match &func.kind {
                // `tokio::time::timeout(d, pool.get())`: the checkouts inside are bounded.
                ExprKind::Path(segs)
                    if segs
                        .last()
                        .is_some_and(|l| l == "timeout" || l == "timeout_at") =>
                {
                    self.bounded += 1;
                    let v = self.path_call(segs, args, e.span);
                    self.bounded -= 1;
                    v
                }
                ExprKind::Path(segs) => self.path_call(segs, args, e.span),
                _ => {
                    self.expr(func);
                    self.exprs(args);
                    Val::unknown()
                }
            },
            // `pool.get().timeout(d)` (tokio-util's, async-std's `FutureExt`): bounded too.
            ExprKind::MethodCall { recv, method, args } if method == "timeout" => {
                let start = self.facts.events.len();
                let v = self.method_call(recv, method, args, e.span);
                for ev in &mut self.facts.events[start..] {
                    if let EventKind::Checkout { bounded, .. } = &mut ev.kind {
                        *bounded = true;
                    }
                }
                v
            }
            ExprKind::MethodCall { recv, method, args } => {
                self.method_call(recv, method, args, e.span)
            }
            ExprKind::Field { base, member } => {
                let v = self.expr(base);
                self.field(v, member)
            }
            ExprKind::Ref(inner) => Val {
                guard: None,
                ..self.expr(inner)
            },
            ExprKind::Deref(inner) => self.expr(inner),
            ExprKind::Try(inner) => self.expr(inner),
            ExprKind::Await(inner) => {
                let inner_start = self.facts.events.len() as u32;
                let v = if let Some(ev) = self.stored_future(inner) {
                    self.run_future(ev, e.span)
                } else if let Some(frame) = self.stored_body(inner) {
                    self.run_body(frame, e.span)
                } else if let ExprKind::Seq(futures) = &inner.kind {
                    // `select!`'s futures, awaited together: stored ones run here too.
                    for f in futures {
                        if let Some(ev) = self.stored_future(f) {
                            self.run_future(ev, f.span);
                        } else if let Some(frame) = self.stored_body(f) {
                            self.run_body(frame, f.span);
                        } else {
                            self.awaited = true;
                            self.expr(f);
                        }
                    }
                    self.awaited = false;
                    Val::unknown()
                } else {
                    let prev = std::mem::replace(&mut self.awaited, true);
                    let v = self.expr(inner);
                    self.awaited = prev;
                    v
                };
                let mut names = Vec::new();
                mentions(inner, &mut names);
                let uses = self.guards_named(&names);
                let callee = awaited_callee(inner);
                self.push_event(
                    EventKind::Await {
                        inner_start,
                        uses,
                        callee,
                        body: self.body,
                    },
                    e.span,
                );
                v
            }
            ExprKind::Block(b) => self.block(b),
            ExprKind::Async { body, .. } => {
                self.awaited = false;
                self.bodies += 1;
                let outer = std::mem::replace(&mut self.body, self.bodies);
                let v = self.block(body);
                self.body = outer;
                Val {
                    guard: v.guard,
                    ..Val::unknown()
                }
            }
            ExprKind::Closure { params, body, .. } => {
                self.awaited = false;
                self.bodies += 1;
                let outer = std::mem::replace(&mut self.body, self.bodies);
                self.depth += 1;
                let mark = self.vars.len();
                for p in params {
                    self.bind_pat(p, Val::unknown());
                }
                self.temps.push(Vec::new());
                self.expr(body);
                self.end_temps(body.span.end());
                self.close_scope(mark, body.span.end(), None);
                self.body = outer;
                Val::unknown()
            }
            ExprKind::If { cond, then, els } => {
                self.depth += 1;
                let mark = self.vars.len();
                self.temps.push(Vec::new());
                self.expr(cond);
                let has_let = Self::contains_let(cond);
                let mut cond_temps = None;
                if !has_let {
                    self.end_temps(cond.span.end());
                } else if self.edition2024 {
                    cond_temps = self.temps.pop();
                }
                let v = if block_diverges(then) {
                    self.diverging(|w| w.block(then))
                } else {
                    self.block(then)
                };
                if let Some(t) = cond_temps {
                    for b in t {
                        self.end_binding(b, close_span(then.span));
                    }
                }
                self.close_scope(mark, close_span(then.span), v.guard);
                let else_start = self.facts.events.len() as u32;
                let ev = els.as_ref().map(|e| {
                    if diverges(e) {
                        self.diverging(|w| w.expr(e))
                    } else {
                        self.expr(e)
                    }
                });
                if let Some(g) = v.guard {
                    let else_end = self.facts.events.len() as u32;
                    self.facts.bindings[g as usize]
                        .holes
                        .push((else_start, else_end));
                }
                if has_let && !self.edition2024 {
                    let end = els
                        .as_ref()
                        .map(|e| e.span.end())
                        .unwrap_or(close_span(then.span));
                    self.end_temps(end);
                }
                match ev {
                    Some(ev) if v.guard.is_none() => ev,
                    _ => v,
                }
            }
            ExprKind::Let { pat, expr } => {
                let v = self.expr(expr);
                self.bind_pat(pat, v);
                Val::unknown()
            }
            ExprKind::Match { scrut, arms } => {
                let v = self.expr(scrut);
                let mut out: Option<Val> = None;
                let mut escaping: Vec<(u32, usize)> = Vec::new();
                let mut starts: Vec<u32> = Vec::new();
                for (i, arm) in arms.iter().enumerate() {
                    starts.push(self.facts.events.len() as u32);
                    self.depth += 1;
                    let mark = self.vars.len();
                    self.bind_pat(&arm.pat, v.clone());
                    if let Some(g) = &arm.guard {
                        self.expr(g);
                    }
                    let r = if diverges(&arm.body) {
                        self.diverging(|w| w.expr(&arm.body))
                    } else {
                        self.expr(&arm.body)
                    };
                    self.close_scope(mark, arm.body.span.end(), r.guard);
                    if let Some(g) = r.guard {
                        escaping.push((g, i));
                    }
                    if out
                        .as_ref()
                        .is_none_or(|o| o.guard.is_none() && o.loc.is_none())
                    {
                        out = Some(r);
                    }
                }
                // A guard out of one arm is not held while the arms after it run.
                let end = self.facts.events.len() as u32;
                for (g, i) in escaping {
                    if let Some(&from) = starts.get(i + 1) {
                        self.facts.bindings[g as usize].holes.push((from, end));
                    }
                }
                out.unwrap_or_else(Val::unknown)
            }
            ExprKind::While { cond, body } => {
                self.depth += 1;
                let mark = self.vars.len();
                self.temps.push(Vec::new());
                self.expr(cond);
                if !Self::contains_let(cond) {
                    self.end_temps(cond.span.end());
                    self.block(body);
                } else {
                    self.block(body);
                    self.end_temps(close_span(body.span));
                }
                self.close_scope(mark, close_span(body.span), None);
                Val::unknown()
            }
            ExprKind::Loop(b) => {
                self.block(b);
                Val::unknown()
            }
            ExprKind::For { pat, iter, body } => {
                let it = self.expr(iter);
                self.depth += 1;
                let mark = self.vars.len();
                // An element of a collection of known kind (`for e in &self.enrichers`).
                let elem = match it.ty {
                    TyK::Elems(k) => Val::of(*k, None),
                    _ => Val::unknown(),
                };
                self.bind_pat(pat, elem);
                self.block(body);
                self.close_scope(mark, close_span(body.span), None);
                Val::unknown()
            }
            ExprKind::Return(inner) => {
                let v = match inner {
                    Some(x) => self.expr(x),
                    None => Val::unknown(),
                };
                if self.frame == 0 {
                    self.record_return(v, e.span);
                }
                Val::unknown()
            }
            ExprKind::Assign { lhs, rhs } => {
                let v = self.expr(rhs);
                self.config_assigned(lhs, rhs);
                if let ExprKind::Path(segs) = &lhs.kind {
                    if segs.len() == 1 {
                        if let Some(pos) = self.var_pos(&segs[0]) {
                            let old = self.vars[pos].val.guard;
                            let depth = self.vars[pos].depth;
                            if let Some(o) = old {
                                if Some(o) != v.guard {
                                    self.end_binding(o, e.span);
                                }
                            }
                            if let Some(g) = v.guard {
                                let name = segs[0].clone();
                                self.own(g, depth, &name);
                            }
                            self.vars[pos].val = v;
                            return Val::unknown();
                        }
                    }
                }
                self.expr(lhs);
                Val::unknown()
            }
            ExprKind::Struct { path, fields, rest } => {
                let mut guard = None;
                let mut built = Vec::new();
                for (name, f) in fields {
                    let start = self.facts.events.len();
                    let v = self.expr(f);
                    guard = guard.or(v.guard);
                    if matches!(v.ty, TyK::Pool(_)) {
                        if let Some(ev) = self.built_by(f, start) {
                            built.push((name, ev));
                        }
                    }
                }
                if let Some(r) = rest {
                    self.expr(r);
                }
                let ty = self.type_of_path(path);
                // `AppState { db: pool }`: the pool built here is that field's.
                if let TyK::Adt(t) = ty {
                    for (name, ev) in built {
                        if let EventKind::Build { stored, .. } =
                            &mut self.facts.events[ev as usize].kind
                        {
                            *stored = Some(Res::Field(t, name.clone()));
                        }
                    }
                }
                Val {
                    ty,
                    loc: None,
                    guard,
                    future: None,
                    body: None,
                }
            }
            ExprKind::Macro { args, .. } => {
                // join!, try_join!, select!, vec!, format!, query!...: arguments run here.
                self.awaited = false;
                for a in args {
                    if let Some(ev) = self.stored_future(a) {
                        self.run_future(ev, a.span);
                    } else if let Some(frame) = self.stored_body(a) {
                        self.run_body(frame, a.span);
                    } else {
                        self.expr(a);
                    }
                }
                Val::unknown()
            }
            ExprKind::Seq(v) | ExprKind::Jump(v) => {
                self.exprs(v);
                Val::unknown()
            }
            ExprKind::Lit => Val::unknown(),
        }
    }

    fn type_of_path(&self, segs: &Segs) -> TyK {
        if segs.len() == 1 && segs[0] == "Self" {
            return self.self_kind.clone().unwrap_or(TyK::Unknown);
        }
        self.ix.ty_kind(
            self.module,
            &self.generics,
            &Ty::Path {
                segs: segs.clone(),
                args: Vec::new(),
            },
            self.self_kind.as_ref(),
        )
    }

    fn path_val(&mut self, segs: &Segs) -> Val {
        if segs.len() == 1 {
            if let Some(v) = self.lookup_var(&segs[0]) {
                return v.val.clone();
            }
        }
        match self.ix.resolve(self.module, segs) {
            Resolved::Def(Def::Static(s)) => {
                let st = &self.ix.statics[s as usize];
                let ty = self.ix.ty_kind(st.module, &[], &st.ty, None);
                Val::of(ty, Some(ResExpr::Known(Res::Static(s))))
            }
            _ => Val::unknown(),
        }
    }

    fn field(&self, base: Val, member: &str) -> Val {
        let mut ty = base.ty.clone();
        for _ in 0..4 {
            if let TyK::Adt(t) = ty {
                let info = &self.ix.types[t as usize];
                if let Some((_, fty)) = info.fields.iter().find(|(n, _)| n == member) {
                    // A field of a type parameter: its bounds from the struct, else from the
                    // impl being walked (`struct Service<R>` with `impl<R: Repo> Service<R>`).
                    let mut generics: Vec<&Generics> = Vec::new();
                    if info.generics.params.iter().any(|(_, b)| !b.is_empty()) {
                        generics.push(&info.generics);
                    }
                    generics.extend(self.generics.iter().copied());
                    generics.push(&info.generics);
                    let k = self
                        .ix
                        .ty_kind(info.module, &generics, fty, Some(&TyK::Adt(t)));
                    // The field a wrapper derefs to is the wrapper's value: `self.pool` inside
                    // `Database` is wherever that `Database` lives.
                    if info.deref_field.as_deref() == Some(member) && base.loc.is_some() {
                        return Val::of(k, base.loc);
                    }
                    return Val::of(k, Some(ResExpr::Known(Res::Field(t, member.to_string()))));
                }
                if let Some((dty, dm)) = &info.deref {
                    ty = self.ix.ty_kind(*dm, &[], dty, Some(&TyK::Adt(t)));
                    continue;
                }
            }
            break;
        }
        if member == "0" {
            // `state.0` on a wrapper the type was already seen through.
            return Val {
                guard: None,
                ..base
            };
        }
        Val::unknown()
    }

    /// The pool kind a value has: a pool, a workspace type that derefs to one, or a type
    /// parameter bounded by sqlx's `Executor`/`Acquire` (a pool may be passed for it).
    fn pool_kind(&self, ty: &TyK) -> Option<KindId> {
        let mut ty = ty.clone();
        for _ in 0..4 {
            match ty {
                TyK::Pool(k) => return Some(k),
                TyK::Generic(_, true) => {
                    return self
                        .cat
                        .pool
                        .iter()
                        .position(|k| !k.executor.is_empty())
                        .map(|i| i as KindId)
                }
                TyK::Adt(t) => match &self.ix.types[t as usize].deref {
                    Some((dty, dm)) => ty = self.ix.ty_kind(*dm, &[], dty, Some(&TyK::Adt(t))),
                    None => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// The locations of a call's arguments, in the callee's parameter order.
    fn arg_locs(vals: &[Val]) -> Vec<Option<ResExpr>> {
        vals.iter().map(|v| v.loc.clone()).collect()
    }

    /// A workspace call: its event, and its value (a possible guard).
    fn call_event(&mut self, callees: Vec<FnId>, args: Vec<Option<ResExpr>>, span: Span) -> Val {
        let ty = callees
            .first()
            .map(|&c| self.ret_kinds[c as usize].clone())
            .unwrap_or(TyK::Unknown);
        let ev = self.push_event(EventKind::Call { callees, args }, span);
        let g = self.fresh(ev);
        Val {
            ty,
            loc: Some(ResExpr::ReturnOf(ev)),
            guard: Some(g),
            future: None,
            body: None,
        }
    }

    /// Guards moved into a call by value end after it.
    fn end_moved(&mut self, args: &[Expr], vals: &[Val], span: Span) {
        for (a, v) in args.iter().zip(vals) {
            if let (ExprKind::Path(s), Some(g)) = (&a.kind, v.guard) {
                if s.len() == 1 && self.facts.bindings[g as usize].name.is_some() {
                    self.end_binding(g, span);
                }
            }
        }
    }

    /// Walks `f` in a frame of its own (guards outside it are not held there), returning it.
    fn in_frame(&mut self, f: impl FnOnce(&mut Self)) -> u32 {
        let saved_frame = self.frame;
        let saved_owned = std::mem::take(&mut self.owned);
        let saved_temps = std::mem::replace(&mut self.temps, vec![Vec::new()]);
        let frame = self.next_frame;
        self.frame = frame;
        self.next_frame += 1;
        f(self);
        let end = self.facts.events.len() as u32;
        for b in &mut self.facts.bindings {
            if b.frame == frame && b.end_ev == OPEN {
                b.end_ev = end;
            }
        }
        self.frame = saved_frame;
        self.owned = saved_owned;
        self.temps = saved_temps;
        frame
    }

    /// A stored body (closure, task handle) run here.
    fn run_body(&mut self, frame: u32, span: Span) -> Val {
        self.push_event(EventKind::Run { frame }, span);
        Val::unknown()
    }

    fn stored_body(&self, e: &Expr) -> Option<u32> {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => self.lookup_var(&s[0]).and_then(|v| v.val.body),
            _ => None,
        }
    }

    /// A spawned task or thread: run here when awaited at once, else in a frame of its own
    /// (returned, for the handle to run where it is awaited or joined).
    fn spawned(&mut self, args: &[Expr]) -> Option<u32> {
        if self.awaited {
            self.awaited = false;
            self.exprs(args);
            return None;
        }
        // A task that is not awaited here runs on its own: not under this task's guards, and
        // a guard it captures by `move` is no longer held here.
        let mut names = Vec::new();
        for a in args {
            if matches!(
                a.kind,
                ExprKind::Async { is_move: true, .. } | ExprKind::Closure { is_move: true, .. }
            ) {
                mentions(a, &mut names);
            }
        }
        for n in names {
            if let Some(g) = self.lookup_var(&n).and_then(|v| v.val.guard) {
                let span = args.first().map(|a| a.span).unwrap_or_default();
                self.end_binding(g, span);
            }
        }
        Some(self.in_frame(|w| {
            w.exprs(args);
        }))
    }

    fn path_call(&mut self, segs: &Segs, args: &[Expr], span: Span) -> Val {
        let awaited = std::mem::replace(&mut self.awaited, false);
        let name = segs.last().map(String::as_str).unwrap_or("");
        // A closure in a local variable.
        if segs.len() == 1 && self.lookup_var(name).is_some() {
            self.exprs(args);
            if let Some(frame) = self.lookup_var(name).and_then(|v| v.val.body) {
                return self.run_body(frame, span);
            }
            return Val::unknown();
        }
        if is_spawn(segs) {
            self.awaited = awaited;
            let frame = self.spawned(args);
            return Val {
                body: frame,
                ..Val::unknown()
            };
        }
        let n = segs.len();
        let prefix = |k: &str| n >= 2 && segs[n - 2] == k;
        // A wrapper built around one value is that value (`Arc::new(pool)`, `Ok(conn)`); with
        // no argument or several (half-typed code, a type's own `Data::new()`) it is not.
        let wraps = (n == 1 && matches!(name, "Ok" | "Some"))
            || (name == "new"
                && (prefix("Arc")
                    || prefix("Box")
                    || prefix("Rc")
                    || prefix("Data")
                    || prefix("Mutex")
                    || prefix("RwLock")
                    || prefix("ThinData")))
            || (n == 1 && matches!(name, "State" | "Extension" | "Data"));
        if let (true, [only]) = (wraps, args) {
            return self.expr(only);
        }
        if name == "clone" && (prefix("Arc") || prefix("Rc")) && args.len() == 1 {
            return Val {
                guard: None,
                ..self.expr(&args[0])
            };
        }
        let cat = self.cat;
        if cat.guards.ending_functions.iter().any(|f| f == name) && args.len() == 1 {
            let v = self.expr(&args[0]);
            if let (ExprKind::Path(s), Some(g)) = (&args[0].kind, v.guard) {
                if s.len() == 1 && (name != "take" || n >= 2) {
                    self.end_binding(g, span);
                }
            }
            return Val::unknown();
        }
        let (resolved, self_ty) = if n == 2 && segs.first().is_some_and(|s| s == "Self") {
            (None, self.self_kind.clone())
        } else {
            (Some(self.ix.resolve(self.module, segs)), None)
        };
        let callees: Vec<FnId> = match (&resolved, &self_ty) {
            (None, Some(k)) => self.ix.methods_of(k, name),
            (Some(Resolved::Def(Def::Fn(f))), _) => vec![*f],
            (Some(Resolved::Assoc(Def::Type(t), m)), _) => self.ix.methods_of(&TyK::Adt(*t), m),
            (Some(Resolved::Assoc(Def::Trait(t), m)), _) => {
                self.ix.methods_of(&TyK::Generic(vec![*t], false), m)
            }
            _ => Vec::new(),
        };
        let vals = self.exprs(args);
        if !callees.is_empty() {
            let v = self.call_event(callees, Self::arg_locs(&vals), span);
            self.end_moved(args, &vals, span);
            return v;
        }
        // `DbPool::builder(mgr)` through a workspace alias of a pool or builder type.
        if segs.len() >= 2 {
            let owner = &segs[..segs.len() - 1];
            if let Resolved::Def(Def::Alias(a)) = self.ix.resolve(self.module, owner) {
                let (am, aty) = &self.ix.aliases[a as usize];
                match self.ix.ty_kind(*am, &[], aty, None) {
                    TyK::Pool(k) if name == "builder" => return Val::of(TyK::Builder(k), None),
                    TyK::Pool(k) if cat.kind(k).constructors.iter().any(|c| c == name) => {
                        return Val::of(TyK::Pool(k), None)
                    }
                    TyK::Builder(k) => return Val::of(TyK::Builder(k), None),
                    _ => {}
                }
            }
        }
        if let Some(Resolved::External(p, resolved)) = &resolved {
            let owner = &p[..p.len().saturating_sub(1)];
            let owner_kind = if owner.is_empty() {
                catalogue::ExtKind::Other
            } else {
                cat.classify(owner, *resolved)
            };
            match owner_kind {
                catalogue::ExtKind::Pool(k) => {
                    let kind = cat.kind(k);
                    if kind.constructors.iter().any(|c| c == name) {
                        return if name == "builder" {
                            Val::of(TyK::Builder(k), None)
                        } else {
                            Val::of(TyK::Pool(k), None)
                        };
                    }
                    if name == "builder" {
                        return Val::of(TyK::Builder(k), None);
                    }
                    // `Pool::get(&pool)`: the method, called by path.
                    if kind.checkout.iter().any(|c| c == name) {
                        if let Some(v) = vals.first() {
                            return self.checkout(k, name, v.loc.clone(), None, span);
                        }
                    }
                }
                catalogue::ExtKind::Builder(k) => return Val::of(TyK::Builder(k), None),
                _ => {}
            }
            // `Executor::fetch_one(&pool, q)`, `Acquire::begin(&pool)`, `PgListener::connect_with(&pool)`.
            let is_exec_trait = owner.last().is_some_and(|o| {
                matches!(
                    o.as_str(),
                    "Executor" | "Acquire" | "PgListener" | "PgExecutor"
                )
            });
            if is_exec_trait {
                if let Some(k) = vals.first().and_then(|v| self.pool_kind(&v.ty)) {
                    let kind = cat.kind(k);
                    let co = kind.checkout.iter().any(|c| c == name) || name == "connect_with";
                    let ex = kind.executor.iter().any(|c| c == name);
                    if co || ex {
                        let v = self.checkout(k, name, vals[0].loc.clone(), None, span);
                        let streaming = kind.streaming.iter().any(|c| c == name);
                        return if co || streaming {
                            v
                        } else {
                            self.transient(v)
                        };
                    }
                }
            }
        }
        Val::unknown()
    }

    fn checkout(
        &mut self,
        k: KindId,
        method: &str,
        res: Option<ResExpr>,
        recv: Option<Span>,
        span: Span,
    ) -> Val {
        let ev = self.push_event(
            EventKind::Checkout {
                res,
                kind: k,
                method: method.to_string(),
                recv,
                bounded: self.bounded > 0 || matches!(method, "timeout_get" | "get_timeout"),
            },
            span,
        );
        let g = self.fresh(ev);
        Val {
            ty: TyK::Unknown,
            loc: None,
            guard: Some(g),
            future: None,
            body: None,
        }
    }

    /// A checkout that only lasts for the call (sqlx's `fetch_one(&pool)`): no guard remains.
    fn transient(&mut self, v: Val) -> Val {
        if let Some(g) = v.guard {
            let span = Span::default();
            self.end_binding(g, span);
            let n = self.facts.events.len() as u32;
            self.facts.bindings[g as usize].end_ev = n;
        }
        Val::unknown()
    }

    fn method_call(&mut self, recv: &Expr, method: &str, args: &[Expr], span: Span) -> Val {
        let awaited = std::mem::replace(&mut self.awaited, false);
        // `handle.join()` / `spawn(..).await` of a spawned thread or task runs it here.
        if method == "join" {
            if let Some(frame) = self.stored_body(recv) {
                return self.run_body(frame, span);
            }
            if let ExprKind::Call { func, args: sargs } = &recv.kind {
                if let ExprKind::Path(s) = &func.kind {
                    if is_spawn(s) {
                        self.awaited = true;
                        self.spawned(sargs);
                        return Val::unknown();
                    }
                }
            }
        }
        if PASS_THROUGH.contains(&method) {
            self.awaited = awaited;
        }
        if matches!(method, "spawn" | "spawn_local" | "spawn_on")
            && args
                .iter()
                .any(|a| matches!(a.kind, ExprKind::Async { .. }))
        {
            self.expr(recv);
            self.awaited = awaited;
            let frame = self.spawned(args);
            return Val {
                body: frame,
                ..Val::unknown()
            };
        }
        let r = self.expr(recv);
        if PASS_THROUGH.contains(&method) {
            self.exprs(args);
            return r;
        }
        let cat = self.cat;
        // A guard consumed by `tx.commit()`, `conn.detach()`, `permit.forget()`.
        if let (Some(g), ExprKind::Path(s)) = (r.guard, &recv.kind) {
            if s.len() == 1 && cat.guards.ending_methods.iter().any(|m| m == method) {
                self.exprs(args);
                self.end_binding(g, span);
                return Val::unknown();
            }
        }
        let vals = self.exprs(args);
        // A guard stored in a collection lives as long as the collection's variable.
        if matches!(
            method,
            "push" | "push_back" | "push_front" | "insert" | "extend" | "append"
        ) {
            if let ExprKind::Path(s) = &recv.kind {
                if let Some(owner) = (s.len() == 1).then(|| self.var_pos(&s[0])).flatten() {
                    let (depth, name) = (self.vars[owner].depth, self.vars[owner].name.clone());
                    for v in &vals {
                        if let Some(g) = v.guard {
                            self.own(g, depth, &name);
                        }
                    }
                    return Val::unknown();
                }
            }
        }
        self.dispatch(recv, r, method, args, vals, span, 0)
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &mut self,
        recv: &Expr,
        r: Val,
        method: &str,
        args: &[Expr],
        vals: Vec<Val>,
        span: Span,
        depth: u32,
    ) -> Val {
        let cat = self.cat;
        // sqlx: `query(..).fetch_one(&pool)`: the pool given as the executor.
        if let Some((k, v)) = vals.iter().find_map(|v| match self.pool_kind(&v.ty) {
            Some(k) if !cat.kind(k).executor.is_empty() => Some((k, v)),
            _ => None,
        }) {
            let kind = cat.kind(k);
            if kind.executor.iter().any(|m| m == method)
                && !matches!(r.ty, TyK::Adt(_) | TyK::Generic(..))
            {
                let loc = v.loc.clone();
                let c = self.checkout(k, method, loc, None, span);
                return if kind.streaming.iter().any(|m| m == method) {
                    c
                } else {
                    self.transient(c)
                };
            }
        }
        match r.ty.clone() {
            TyK::Cell(k) if cat.cells.methods.iter().any(|m| m == method) => {
                return Val::of(TyK::Pool(k), r.loc)
            }
            TyK::Builder(k) => {
                return if cat.kind(k).build.iter().any(|m| m == method) {
                    self.built(k, recv, method, args, span);
                    Val::of(TyK::Pool(k), None)
                } else {
                    Val::of(TyK::Builder(k), None)
                };
            }
            TyK::Pool(_) | TyK::Generic(_, true) => {
                let Some(k) = self.pool_kind(&r.ty) else {
                    return Val::unknown();
                };
                let kind = cat.kind(k);
                if kind.checkout.iter().any(|m| m == method) {
                    return self.checkout(k, method, r.loc, Some(recv.span), span);
                }
                if kind.executor.iter().any(|m| m == method) {
                    let c = self.checkout(k, method, r.loc, Some(recv.span), span);
                    return if kind.streaming.iter().any(|m| m == method) {
                        c
                    } else {
                        self.transient(c)
                    };
                }
            }
            _ => {}
        }
        // `pools.get(&tenant)` on a collection of pools: the pool under that key.
        if let TyK::Elems(inner) = &r.ty {
            if matches!(method, "get" | "get_mut") && vals.len() == 1 {
                let loc = match (&r.loc, &vals[0].loc) {
                    (Some(c), Some(k)) => {
                        Some(ResExpr::Keyed(Box::new(c.clone()), Box::new(k.clone())))
                    }
                    _ => None,
                };
                return Val::of((**inner).clone(), loc);
            }
        }
        if SAME_PLACE.contains(&method) {
            return Val { guard: None, ..r };
        }
        if matches!(r.ty, TyK::Elems(_))
            && matches!(
                method,
                "iter" | "iter_mut" | "into_iter" | "drain" | "as_slice"
            )
        {
            return Val {
                guard: None,
                loc: None,
                ..r
            };
        }
        let mut callees = self.ix.methods_of(&r.ty, method);
        if callees.is_empty() {
            if let TyK::Adt(t) = r.ty {
                if let Some((dty, dm)) = &self.ix.types[t as usize].deref {
                    if depth < 4 {
                        let k = self.ix.ty_kind(*dm, &[], dty, Some(&TyK::Adt(t)));
                        let through = Val {
                            ty: k,
                            loc: r.loc.clone(),
                            guard: None,
                            future: None,
                            body: None,
                        };
                        return self.dispatch(recv, through, method, args, vals, span, depth + 1);
                    }
                }
            }
            if matches!(r.ty, TyK::Unknown) && !COMMON_METHODS.contains(&method) {
                callees = self.unique_method(method, args.len());
            }
        }
        if callees.is_empty() {
            return Val::unknown();
        }
        let mut locs = Vec::with_capacity(vals.len() + 1);
        let takes_self = self.ix.fns[callees[0] as usize].def.self_param.is_some();
        if takes_self {
            locs.push(r.loc.clone());
        }
        locs.extend(Self::arg_locs(&vals));
        let v = self.call_event(callees, locs, span);
        self.end_moved(args, &vals, span);
        v
    }

    /// A method no known receiver type explains: the workspace's, when only one type or
    /// trait defines a method of that name and arity.
    fn unique_method(&self, method: &str, nargs: usize) -> Vec<FnId> {
        let Some(cands) = self.ix.method_names.get(method) else {
            return Vec::new();
        };
        let cands: Vec<FnId> = cands
            .iter()
            .copied()
            .filter(|&c| {
                let d = &self.ix.fns[c as usize].def;
                d.self_param.is_some() && d.params.len() == nargs
            })
            .collect();
        let owners: Vec<Owner> = cands
            .iter()
            .map(|&c| self.ix.fns[c as usize].owner)
            .collect();
        let one_type = owners.windows(2).all(|w| w[0] == w[1])
            && matches!(owners.first(), Some(Owner::Type(_)));
        if one_type && cands.len() == 1 {
            return cands;
        }
        // A method only one workspace trait declares, and all its definitions that trait's
        // impls: a call of the trait method on an unknown receiver, dispatched to every impl.
        if let Some([tid]) = self.ix.method_traits.get(method).map(Vec::as_slice) {
            let all = self.ix.methods_of(&TyK::Generic(vec![*tid], false), method);
            if !cands.is_empty() && cands.iter().all(|c| all.contains(c)) {
                return all;
            }
        }
        Vec::new()
    }
}

// ---------------------------------------------------------------------------------------
// Summaries, bottom-up over the call graph

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
                if !v.contains(&c) {
                    v.push(c);
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
                    None => internal.push(
                        ix.fn_internal_error(f, "its packed facts could not be decoded".into()),
                    ),
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
                let s = match contain(|| summary_of(ix, f, &facts[f as usize], &sums)) {
                    Ok(s) => s,
                    Err(detail) => {
                        // Its facts are dropped: nothing of it reaches a lint or a caller.
                        internal.push(ix.fn_internal_error(f, detail));
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
            sums.get(c as usize)
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

fn summary_of(ix: &Index, f: FnId, facts: &Facts, sums: &[Summary]) -> Summary {
    let cx = Ctx { ix, facts, sums, f };
    let mut checkouts: Vec<Reach> = Vec::new();
    // The first site of each pool: a set beside the list, since a function in a large cycle
    // reaches every pool of the cycle.
    let mut seen: HashSet<Res> = HashSet::default();
    for (i, e) in facts.events.iter().enumerate() {
        if e.frame != 0 {
            continue;
        }
        for r in cx.reaches(i as u32) {
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

/// Reading one function's facts against the summaries of its callees.
pub struct Ctx<'a> {
    pub ix: &'a Index,
    pub facts: &'a Facts,
    pub sums: &'a [Summary],
    pub f: FnId,
}

impl<'a> Ctx<'a> {
    /// Function `f`'s facts, read against everyone's summaries.
    pub fn of(ix: &'a Index, an: &'a Analysis, f: FnId) -> Ctx<'a> {
        Ctx {
            ix,
            facts: &an.facts[f as usize],
            sums: &an.summaries,
            f,
        }
    }

    /// The events evaluated while guard binding `b` is live (on the guard's own task).
    pub fn under_guard(&self, b: u32) -> impl Iterator<Item = u32> + '_ {
        let bind = &self.facts.bindings[b as usize];
        let end = (bind.end_ev as usize).min(self.facts.events.len());
        ((bind.source as usize + 1)..end)
            .map(|ev| ev as u32)
            .filter(move |&ev| bind.covers(ev, self.facts.events[ev as usize].frame))
    }

    pub fn resolve(&self, r: &ResExpr, depth: u32) -> Option<Res> {
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
                let EventKind::Call { callees, args } = &self.facts.events.get(*ev as usize)?.kind
                else {
                    return None;
                };
                callees.iter().find_map(|&c| {
                    let p = self.sums[c as usize].returns_pool.as_ref()?;
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
    pub fn guard(&self, b: u32) -> Option<(Res, KindId)> {
        let bind = &self.facts.bindings[b as usize];
        match &self.facts.events[bind.source as usize].kind {
            EventKind::Run { .. } | EventKind::Await { .. } | EventKind::Build { .. } => None,
            EventKind::Checkout { res, kind, .. } => Some((self.resolve(res.as_ref()?, 0)?, *kind)),
            EventKind::Call { callees, args } => callees.iter().find_map(|&c| {
                let (r, k) = self.sums[c as usize].returns_guard.as_ref()?;
                Some((self.substitute(r, args, 0)?, *k))
            }),
        }
    }

    /// What evaluating event `ev` checks out, relative to this function.
    pub fn reaches(&self, ev: u32) -> Vec<Reach> {
        self.reaches_depth(ev, 0)
    }

    fn reaches_depth(&self, ev: u32, depth: u32) -> Vec<Reach> {
        let e = &self.facts.events[ev as usize];
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
                    for r in self.reaches_depth(i as u32, depth + 1) {
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
            EventKind::Checkout { method, .. } if method.starts_with("try_") => Vec::new(),
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
                    for r in &self.sums[c as usize].checkouts {
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

/// Whether control never falls through the end of `e` (it returns, breaks, continues or
/// panics).
fn diverges(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Return(_) | ExprKind::Jump(_) => true,
        ExprKind::Macro { path, .. } => path.last().is_some_and(|m| {
            matches!(
                m.as_str(),
                "panic" | "unreachable" | "bail" | "todo" | "unimplemented"
            )
        }),
        ExprKind::Block(b) => block_diverges(b),
        _ => false,
    }
}

fn block_diverges(b: &Block) -> bool {
    matches!(b.stmts.last(), Some(Stmt::Expr { expr, .. }) if diverges(expr))
}

/// Whether an awaited call returns something that keeps using its receiver's connection: a
/// transaction or savepoint opened on it, a connection acquired from a transaction, a
/// tokio-postgres row stream or COPY sink.
fn opens_borrow(x: &Expr) -> bool {
    let name = match &x.kind {
        ExprKind::MethodCall { method, .. } => Some(method.as_str()),
        // `Acquire::acquire(&mut *tx)`
        ExprKind::Call { func, .. } => match &func.kind {
            ExprKind::Path(segs) => segs.last().map(String::as_str),
            _ => None,
        },
        ExprKind::Try(x) => return opens_borrow(x),
        _ => None,
    };
    name.is_some_and(|m| {
        matches!(
            m,
            "begin"
                | "transaction"
                | "build_transaction"
                | "start"
                | "savepoint"
                | "acquire"
                | "query_raw"
                | "query_portal_raw"
                | "simple_query_raw"
                | "copy_out"
                | "copy_in"
        )
    })
}

/// The names a value computed by `e` may still borrow from: those it mentions, except inside
/// awaited queries, whose results are owned data (rows, counts), unless the call opens a
/// borrow (`opens_borrow`) or was given the variable by value (`Transaction::new(conn)`).
fn mentions_kept(e: &Expr, out: &mut Vec<String>) {
    let mut awaited = Vec::new();
    mentions_outside_awaits(e, out, &mut awaited);
    for x in awaited {
        if opens_borrow(x) {
            mentions(x, out);
        } else {
            moved_args(x, out);
        }
    }
}

/// `mentions`, but collecting the operands of `.await` instead of looking inside them.
fn mentions_outside_awaits<'e>(e: &'e Expr, out: &mut Vec<String>, awaited: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Await(x) => awaited.push(x),
        ExprKind::Path(s) if s.len() == 1 => out.push(s[0].clone()),
        ExprKind::Call { func, args } => {
            mentions_outside_awaits(func, out, awaited);
            for a in args {
                mentions_outside_awaits(a, out, awaited);
            }
        }
        ExprKind::MethodCall { recv, args, .. } => {
            mentions_outside_awaits(recv, out, awaited);
            for a in args {
                mentions_outside_awaits(a, out, awaited);
            }
        }
        ExprKind::Field { base: x, .. }
        | ExprKind::Ref(x)
        | ExprKind::Deref(x)
        | ExprKind::Try(x) => mentions_outside_awaits(x, out, awaited),
        ExprKind::Match { scrut, arms } => {
            mentions_outside_awaits(scrut, out, awaited);
            for a in arms {
                mentions_outside_awaits(&a.body, out, awaited);
            }
        }
        ExprKind::If { cond, then, els } => {
            mentions_outside_awaits(cond, out, awaited);
            if let Some(Stmt::Expr { expr, .. }) = then.stmts.last() {
                mentions_outside_awaits(expr, out, awaited);
            }
            if let Some(x) = els {
                mentions_outside_awaits(x, out, awaited);
            }
        }
        ExprKind::Block(b) => {
            if let Some(Stmt::Expr { expr, .. }) = b.stmts.last() {
                mentions_outside_awaits(expr, out, awaited);
            }
        }
        ExprKind::Struct { fields, rest, .. } => {
            for (_, f) in fields {
                mentions_outside_awaits(f, out, awaited);
            }
            if let Some(r) = rest {
                mentions_outside_awaits(r, out, awaited);
            }
        }
        ExprKind::Macro { args, .. } | ExprKind::Seq(args) => {
            for a in args {
                mentions_outside_awaits(a, out, awaited);
            }
        }
        // Closures and async blocks capture what they name; anything else: all it mentions.
        _ => mentions(e, out),
    }
}

/// The variables passed by value (a bare name) to the calls of a call chain.
fn moved_args(e: &Expr, out: &mut Vec<String>) {
    let bare = |args: &[Expr], out: &mut Vec<String>| {
        for a in args {
            if let ExprKind::Path(s) = &a.kind {
                if s.len() == 1 {
                    out.push(s[0].clone());
                }
            }
        }
    };
    match &e.kind {
        ExprKind::Call { args, .. } => bare(args, out),
        ExprKind::MethodCall { recv, args, .. } => {
            bare(args, out);
            moved_args(recv, out);
        }
        ExprKind::Try(x) | ExprKind::Await(x) => moved_args(x, out),
        _ => {}
    }
}

/// What an awaited expression calls, for messages and the configured list of allowed awaits.
fn awaited_callee(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::MethodCall { method, .. } => Some(method.clone()),
        ExprKind::Call { func, .. } => match &func.kind {
            ExprKind::Path(segs) => Some(segs.join("::")),
            _ => None,
        },
        ExprKind::Macro { path, .. } => Some(format!("{}!", path.join("::"))),
        ExprKind::Path(segs) => Some(segs.join("::")),
        ExprKind::Try(x) => awaited_callee(x),
        _ => None,
    }
}

/// The single-segment names an expression mentions (the variables a closure may capture).
fn mentions(e: &Expr, out: &mut Vec<String>) {
    let mut stack = vec![e];
    fn push_block<'e>(b: &'e Block, stack: &mut Vec<&'e Expr>) {
        for s in &b.stmts {
            match s {
                Stmt::Let { init, els, .. } => {
                    stack.extend(init.iter());
                    if let Some(b) = els {
                        for s in &b.stmts {
                            if let Stmt::Expr { expr, .. } = s {
                                stack.push(expr);
                            }
                        }
                    }
                }
                Stmt::Expr { expr, .. } => stack.push(expr),
            }
        }
    }
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => out.push(s[0].clone()),
            ExprKind::Path(_) | ExprKind::Lit => {}
            ExprKind::Call { func, args } => {
                stack.push(func);
                stack.extend(args.iter());
            }
            ExprKind::MethodCall { recv, args, .. } => {
                stack.push(recv);
                stack.extend(args.iter());
            }
            ExprKind::Field { base: x, .. }
            | ExprKind::Ref(x)
            | ExprKind::Deref(x)
            | ExprKind::Try(x)
            | ExprKind::Await(x) => stack.push(x),
            ExprKind::Block(b) | ExprKind::Loop(b) | ExprKind::Async { body: b, .. } => {
                push_block(b, &mut stack)
            }
            ExprKind::Closure { body, .. } => stack.push(body),
            ExprKind::If { cond, then, els } => {
                stack.push(cond);
                push_block(then, &mut stack);
                stack.extend(els.iter().map(|b| &**b));
            }
            ExprKind::Let { expr, .. } => stack.push(expr),
            ExprKind::Match { scrut, arms } => {
                stack.push(scrut);
                for a in arms {
                    stack.push(&a.body);
                    stack.extend(a.guard.iter());
                }
            }
            ExprKind::While { cond, body } => {
                stack.push(cond);
                push_block(body, &mut stack);
            }
            ExprKind::For { iter, body, .. } => {
                stack.push(iter);
                push_block(body, &mut stack);
            }
            ExprKind::Return(x) => stack.extend(x.iter().map(|b| &**b)),
            ExprKind::Assign { lhs, rhs } => {
                stack.push(lhs);
                stack.push(rhs);
            }
            ExprKind::Struct { fields, rest, .. } => {
                stack.extend(fields.iter().map(|(_, f)| f));
                stack.extend(rest.iter().map(|b| &**b));
            }
            ExprKind::Macro { args, .. } | ExprKind::Seq(args) | ExprKind::Jump(args) => {
                stack.extend(args.iter())
            }
        }
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

/// How a resource is named in messages about function `f`.
pub fn res_name(ix: &Index, facts: &Facts, r: &Res) -> String {
    match r {
        Res::Keyed(c, k) => format!("{}[{}]", res_name(ix, facts, c), res_name(ix, facts, k)),
        Res::Static(s) => ix.statics[*s as usize].name.clone(),
        Res::Field(t, f) => format!("{}.{}", ix.types[*t as usize].name, f),
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
