//! Calls and method dispatch: workspace functions and methods by path, receiver type, trait
//! bound, `Deref` and unique name; catalogue checkouts and executors; wrappers that are their
//! argument; guards moved into a call or ended by one.

use super::task::is_spawn;
use super::Val;
use super::{Cx, Walker};
use crate::analysis::facts::EventId;
use crate::analysis::facts::{EventKind, ResExpr};
use crate::base::source::Span;
use crate::config::catalogue::{self, KindId};
use crate::config::known;
use crate::index::{Def, FnId, Owner, Resolved, TyK};
use crate::ir::{Expr, ExprKind, Segs};

impl Walker<'_> {
    /// The locations of a call's arguments, in the callee's parameter order.
    pub(super) fn arg_locs(vals: &[Val]) -> Vec<Option<ResExpr>> {
        vals.iter().map(|v| v.loc.clone()).collect()
    }

    /// A workspace call: its event, and its value (a possible guard).
    pub(super) fn call_event(
        &mut self,
        callees: Vec<FnId>,
        args: Vec<Option<ResExpr>>,
        span: Span,
    ) -> Val {
        let ty = callees
            .first()
            .map(|&c| self.ret_kinds[c.index()].clone())
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
    pub(super) fn end_moved(&mut self, args: &[Expr], vals: &[Val], span: Span) {
        for (a, v) in args.iter().zip(vals) {
            if let (ExprKind::Path(s), Some(g)) = (&a.kind, v.guard) {
                if s.len() == 1 && self.facts.bindings[g.index()].name.is_some() {
                    self.end_binding(g, span);
                }
            }
        }
    }

    pub(super) fn path_call(&mut self, segs: &Segs, args: &[Expr], span: Span, cx: Cx) -> Val {
        let inner = cx.plain();
        let name = segs.last().map(String::as_str).unwrap_or("");
        // A closure in a local variable.
        if segs.len() == 1 && self.lookup_var(name).is_some() {
            self.exprs(args, inner);
            if let Some(frame) = self.lookup_var(name).and_then(|v| v.val.body) {
                return self.run_body(frame, span);
            }
            return Val::unknown();
        }
        if is_spawn(segs) {
            let frame = self.spawned(args, cx);
            return Val {
                body: frame,
                ..Val::unknown()
            };
        }
        let n = segs.len();
        let prefix = |k: &str| n >= 2 && segs[n - 2] == k;
        // A wrapper built around one value is that value (`Arc::new(pool)`, `Ok(conn)`); with
        // no argument or several (half-typed code, a type's own `Data::new()`) it is not.
        let wraps = (n == 1 && known::WRAPPING_VARIANTS.contains(&name))
            || (name == known::NEW && known::WRAPPER_CONSTRUCTORS.iter().any(|w| prefix(w)))
            || (n == 1 && known::EXTRACTORS.contains(&name));
        if let (true, [only]) = (wraps, args) {
            return self.expr(only, inner);
        }
        if name == known::CLONE
            && known::SHARED_POINTERS.iter().any(|p| prefix(p))
            && args.len() == 1
        {
            return Val {
                guard: None,
                ..self.expr(&args[0], inner)
            };
        }
        let cat = self.cat;
        if cat.guards.ending_functions.iter().any(|f| f == name) && args.len() == 1 {
            let v = self.expr(&args[0], inner);
            if let (ExprKind::Path(s), Some(g)) = (&args[0].kind, v.guard) {
                if s.len() == 1 && (name != known::TAKE || n >= 2) {
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
        let vals = self.exprs(args, inner);
        if callees.is_empty() {
            if let Some((t, v)) = self.variant(segs) {
                return self.constructed(t, v, &vals);
            }
        }
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
                    TyK::Pool(k) if name == known::BUILDER => {
                        return Val::of(TyK::Builder(k), None)
                    }
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
                        return if name == known::BUILDER {
                            Val::of(TyK::Builder(k), None)
                        } else {
                            Val::of(TyK::Pool(k), None)
                        };
                    }
                    if name == known::BUILDER {
                        return Val::of(TyK::Builder(k), None);
                    }
                    // `Pool::get(&pool)`: the method, called by path.
                    if kind.checkout.iter().any(|c| c == name) {
                        if let Some(v) = vals.first() {
                            return self.checkout(k, name, v.loc.clone(), None, span, cx);
                        }
                    }
                }
                catalogue::ExtKind::Builder(k) => return Val::of(TyK::Builder(k), None),
                _ => {}
            }
            // `Executor::fetch_one(&pool, q)`, `Acquire::begin(&pool)`, `PgListener::connect_with(&pool)`.
            let is_exec_trait = owner.last().is_some_and(|o| cat.is_executor_trait(o));
            if is_exec_trait {
                if let Some(k) = vals.first().and_then(|v| self.pool_kind(&v.ty)) {
                    let kind = cat.kind(k);
                    let co = kind.checkout.iter().any(|c| c == name)
                        || kind.path_checkout.iter().any(|c| c == name);
                    let ex = kind.executor.iter().any(|c| c == name);
                    if co || ex {
                        let v = self.checkout(k, name, vals[0].loc.clone(), None, span, cx);
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

    pub(super) fn checkout(
        &mut self,
        k: KindId,
        method: &str,
        res: Option<ResExpr>,
        recv: Option<Span>,
        span: Span,
        cx: Cx,
    ) -> Val {
        let ev = self.push_event(
            EventKind::Checkout {
                res,
                kind: k,
                method: method.to_string(),
                recv,
                bounded: cx.bounded || self.cat.kind(k).timed.iter().any(|m| m == method),
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
    pub(super) fn transient(&mut self, v: Val) -> Val {
        if let Some(g) = v.guard {
            let span = Span::default();
            self.end_binding(g, span);
            let n = EventId::from_index(self.facts.events.len());
            self.facts.bindings[g.index()].end_ev = n;
        }
        Val::unknown()
    }

    pub(super) fn method_call(
        &mut self,
        recv: &Expr,
        method: &str,
        args: &[Expr],
        span: Span,
        cx: Cx,
    ) -> Val {
        let inner = cx.plain();
        // `handle.join()` / `spawn(..).await` of a spawned thread or task runs it here.
        if method == known::JOIN {
            if let Some(frame) = self.stored_body(recv) {
                return self.run_body(frame, span);
            }
            if let ExprKind::Call { func, args: sargs } = &recv.kind {
                if let ExprKind::Path(s) = &func.kind {
                    if is_spawn(s) {
                        self.spawned(sargs, cx.awaiting());
                        return Val::unknown();
                    }
                }
            }
        }
        if known::SPAWN_METHODS.contains(&method)
            && args
                .iter()
                .any(|a| matches!(a.kind, ExprKind::Async { .. }))
        {
            self.expr(recv, inner);
            let frame = self.spawned(args, cx);
            return Val {
                body: frame,
                ..Val::unknown()
            };
        }
        // What a pass-through method hands back is its receiver: awaited when it is.
        let pass_through = known::PASS_THROUGH.contains(&method);
        let r = self.expr(recv, if pass_through { cx } else { inner });
        if pass_through {
            self.exprs(args, inner);
            return r;
        }
        let cat = self.cat;
        // A guard consumed by `tx.commit()`, `conn.detach()`, `permit.forget()`.
        if let (Some(g), ExprKind::Path(s)) = (r.guard, &recv.kind) {
            if s.len() == 1 && cat.guards.ending_methods.iter().any(|m| m == method) {
                self.exprs(args, inner);
                self.end_binding(g, span);
                return Val::unknown();
            }
        }
        let vals = self.exprs(args, inner);
        // A guard stored in a collection lives as long as the collection's variable.
        if known::COLLECTION_INSERTS.contains(&method) {
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
        self.dispatch(recv, r, method, args, vals, span, 0, cx)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn dispatch(
        &mut self,
        recv: &Expr,
        r: Val,
        method: &str,
        args: &[Expr],
        vals: Vec<Val>,
        span: Span,
        depth: u32,
        cx: Cx,
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
                let c = self.checkout(k, method, loc, None, span, cx);
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
                    return self.checkout(k, method, r.loc, Some(recv.span), span, cx);
                }
                if kind.executor.iter().any(|m| m == method) {
                    let c = self.checkout(k, method, r.loc, Some(recv.span), span, cx);
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
            if known::KEYED_LOOKUPS.contains(&method) && vals.len() == 1 {
                let loc = match (&r.loc, &vals[0].loc) {
                    (Some(c), Some(k)) => {
                        Some(ResExpr::Keyed(Box::new(c.clone()), Box::new(k.clone())))
                    }
                    _ => None,
                };
                return Val::of((**inner).clone(), loc);
            }
        }
        if known::SAME_PLACE.contains(&method) {
            return Val { guard: None, ..r };
        }
        if matches!(r.ty, TyK::Elems(_)) && known::COLLECTION_ITERS.contains(&method) {
            return Val {
                guard: None,
                loc: None,
                ..r
            };
        }
        let mut callees = self.ix.methods_of(&r.ty, method);
        if callees.is_empty() {
            if let TyK::Adt(t) = r.ty {
                if let Some((dty, dm)) = &self.ix.types[t.index()].deref {
                    if depth < 4 {
                        let k = self.ix.ty_kind(*dm, &[], dty, Some(&TyK::Adt(t)));
                        let through = Val {
                            ty: k,
                            loc: r.loc.clone(),
                            guard: None,
                            future: None,
                            body: None,
                        };
                        return self.dispatch(
                            recv,
                            through,
                            method,
                            args,
                            vals,
                            span,
                            depth + 1,
                            cx,
                        );
                    }
                }
            }
            if matches!(r.ty, TyK::Unknown) && !known::COMMON_METHODS.contains(&method) {
                callees = self.unique_method(method, args.len());
            }
        }
        if callees.is_empty() {
            return Val::unknown();
        }
        let mut locs = Vec::with_capacity(vals.len() + 1);
        let takes_self = self.ix.fns[callees[0].index()].def.self_param.is_some();
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
    pub(super) fn unique_method(&self, method: &str, nargs: usize) -> Vec<FnId> {
        let Some(cands) = self.ix.method_names.get(method) else {
            return Vec::new();
        };
        let cands: Vec<FnId> = cands
            .iter()
            .copied()
            .filter(|&c| {
                let d = &self.ix.fns[c.index()].def;
                d.self_param.is_some() && d.params.len() == nargs
            })
            .collect();
        let owners: Vec<Owner> = cands
            .iter()
            .map(|&c| self.ix.fns[c.index()].owner)
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
