//! The facts one walk of a function body records: its checkout, call, build, run and await
//! events in evaluation order, the bindings that may hold a guard with their live ranges, and
//! what the function returns. Resources are abstract locations relative to its parameters.

use crate::base::source::Span;
use crate::config::catalogue::KindId;
use crate::index::pool_build::Unbounded;
use crate::index::{FnId, StaticId, TypeId};
use serde::{Deserialize, Serialize};

/// An abstract location of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Res {
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
    pub(super) fn is_local(&self) -> bool {
        match self {
            Res::Local(_) => true,
            Res::Keyed(c, k) => c.is_local() || k.is_local(),
            _ => false,
        }
    }
}

/// A location as the walk sees it: known, or whatever a call returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum ResExpr {
    Known(Res),
    ReturnOf(EventId),
    /// An element of a collection, looked up by a key.
    Keyed(Box<ResExpr>, Box<ResExpr>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum EventKind {
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
        inner_start: EventId,
        /// The guard bindings the awaited expression names, itself or through a value borrowed
        /// from one (`&mut *tx`, a stream of rows from `conn`, a transaction of `conn`).
        uses: Vec<BindingId>,
        /// The awaited call: a method's name, a function's path, a variable holding a future.
        callee: Option<String>,
        /// The async block or closure the await is in (0: the function's body): only there
        /// does it suspend the code that holds a guard taken in the same body.
        body: u32,
    },
}

crate::base::ids::id_type!(
    /// An event of one function's facts (its position in `Facts::events`).
    EventId
);
crate::base::ids::id_type!(
    /// A binding of one function's facts (its position in `Facts::bindings`).
    BindingId
);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Event {
    /// Code that runs on this task (0) or in a spawned task (its own frame).
    pub(crate) frame: u32,
    pub(crate) span: Span,
    pub(crate) kind: EventKind,
}

/// The end of a live range not ended yet.
pub(crate) const OPEN: EventId = EventId(u32::MAX);

/// The frame of a call whose future is stored, not awaited: it runs where it is awaited.
pub(crate) const DEFERRED: u32 = u32::MAX - 1;

/// A value that may be a guard (from a checkout, or from a call that may return one), with
/// its live range in events: held for the events after `source` and before `end_ev`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Binding {
    pub(crate) frame: u32,
    pub(crate) source: EventId,
    pub(crate) name: Option<String>,
    pub(crate) end_ev: EventId,
    pub(crate) end_span: Span,
    /// Event ranges inside the live range that never run while it is held: the sibling
    /// branches of the `if`/`match` arm the guard came out of.
    pub(crate) holes: Vec<(EventId, EventId)>,
    /// The async block or closure it was taken in (0: the function's body).
    pub(crate) body: u32,
}

impl Binding {
    /// Whether the guard is held while event `ev` runs.
    pub(crate) fn covers(&self, ev: EventId, frame: u32) -> bool {
        frame == self.frame
            && ev > self.source
            && ev < self.end_ev
            && !self.holes.iter().any(|&(a, b)| ev >= a && ev < b)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Facts {
    pub(crate) events: Vec<Event>,
    pub(crate) bindings: Vec<Binding>,
    /// What the function returns: a guard binding and/or a pool location.
    pub(crate) returns: Vec<(Option<BindingId>, Option<ResExpr>)>,
    pub(crate) param_names: Vec<String>,
    pub(crate) local_names: Vec<String>,
}
