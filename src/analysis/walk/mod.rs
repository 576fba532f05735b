//! The walk of one function body, in evaluation order, split by job: scopes and live ranges
//! (`scope`), statements (`stmt`), expressions (`expr`), calls and method dispatch (`call`),
//! values and their types (`value`), tasks, closures and futures (`task`), and the facts only
//! the two warn lints need: pool builds (`builds`) and awaits (`awaits`).

mod awaits;
mod builds;
mod call;
mod expr;
mod scope;
mod stmt;
mod task;
mod value;

use super::facts::{BindingId, Event, EventId, EventKind, Facts, Res, ResExpr, OPEN};
use crate::base::source::Span;
use crate::config::catalogue::Catalogue;
use crate::index::pool_build::Wait;
use crate::index::{FnId, Index, ModId, TyK};
use crate::ir::{Block, Generics, Pat};
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone)]
struct Val {
    ty: TyK,
    loc: Option<ResExpr>,
    guard: Option<BindingId>,
    /// A future from an `async fn` call stored for later: its call runs where it is awaited.
    future: Option<EventId>,
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
    from: Vec<BindingId>,
    /// A deadpool config made here: what its pool settings say of the wait timeout.
    config: Option<Wait>,
    /// The `Build` event of the pool the value is.
    built: Option<EventId>,
}

/// What the code being walked is inside of, passed down the walk: each expression hands its
/// children the context they are walked in.
#[derive(Debug, Clone, Copy, Default)]
struct Cx {
    /// The value is awaited at once (`spawn(..).await`, `spawn(..)?.await`): a task spawned
    /// here runs on the awaiting task, under its guards.
    awaited: bool,
    /// Inside a `timeout(..)` call's arguments: a checkout here cannot wait forever.
    bounded: bool,
}

impl Cx {
    /// The context of a sub-expression whose value is not what is awaited.
    fn plain(self) -> Cx {
        Cx {
            awaited: false,
            ..self
        }
    }
    /// The context of an awaited operand.
    fn awaiting(self) -> Cx {
        Cx {
            awaited: true,
            ..self
        }
    }
    /// The context of a timeout's arguments.
    fn bounding(self) -> Cx {
        Cx {
            bounded: true,
            ..self
        }
    }
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
    owned: Vec<(BindingId, usize)>,
    /// Temporaries of the statements being evaluated, innermost last.
    temps: Vec<Vec<BindingId>>,
    frame: u32,
    next_frame: u32,
    /// Blocks being walked that never fall through (`let .. else`, an arm that returns): the
    /// event where each started, and the guards ended inside it. Ending a guard there ends
    /// it only until the block leaves.
    diverging: Vec<(EventId, Vec<(BindingId, EventId)>)>,
    /// Where the value of the `let` being bound came from.
    pending: Origin,
    /// The async block or closure being walked (0: the function's body), and the last used.
    body: u32,
    bodies: u32,
    facts: Facts,
}

pub(super) fn walk_fn(
    ix: &Index,
    cat: &Catalogue,
    f: FnId,
    body: Option<Block>,
    self_kinds: &[Option<TyK>],
    ret_kinds: &[TyK],
) -> Facts {
    let info = &ix.fns[f.index()];
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
        self_kind: self_kinds[f.index()].clone(),
        ret_kinds,
        edition2024: krate.edition.as_str() >= "2024",
        vars: Vec::new(),
        var_index: HashMap::default(),
        depth: 0,
        owned: Vec::new(),
        temps: vec![Vec::new()],
        frame: 0,
        next_frame: 1,
        diverging: Vec::new(),
        pending: Origin::default(),
        body: 0,
        bodies: 0,
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
    let v = w.block(body, Cx::default());
    w.record_return(v, close_span(body.span));
    let close = close_span(body.span);
    for b in &mut w.facts.bindings {
        if b.end_ev == OPEN {
            b.end_ev = EventId::from_index(w.facts.events.len());
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

impl Walker<'_> {
    pub(super) fn push_event(&mut self, kind: EventKind, span: Span) -> EventId {
        self.facts.events.push(Event {
            frame: self.frame,
            span,
            kind,
        });
        EventId::from_index(self.facts.events.len() - 1)
    }
}
