//! Expressions: each kind walked in evaluation order, with the control flow that shapes live
//! ranges (branches that do not run under a guard taken in a sibling, blocks that diverge).

use super::{close_span, Cx, Val, Walker};
use crate::analysis::facts::{BindingId, EventId};
use crate::analysis::facts::{EventKind, Res};
use crate::base::source::Span;
use crate::config::known;
use crate::index::TyK;
use crate::ir::{Arm, Block, Expr, ExprKind, Pat, Segs, Stmt};

impl Walker<'_> {
    pub(super) fn exprs(&mut self, es: &[Expr], cx: Cx) -> Vec<Val> {
        es.iter().map(|e| self.expr(e, cx)).collect()
    }

    pub(super) fn contains_let(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Let { .. } => true,
            ExprKind::Seq(v) => v.iter().any(Self::contains_let),
            _ => false,
        }
    }

    /// An expression's value. A place (`x.f`, `&x`, `*x`, `x?`) is walked in the context of the
    /// expression it is part of; other sub-expressions in a plain one.
    pub(super) fn expr(&mut self, e: &Expr, cx: Cx) -> Val {
        let inner = cx.plain();
        match &e.kind {
            ExprKind::Path(segs) => self.path_val(segs),
            ExprKind::Call { func, args } => match &func.kind {
                // `tokio::time::timeout(d, pool.get())`: the checkouts inside are bounded.
                ExprKind::Path(segs)
                    if segs
                        .last()
                        .is_some_and(|l| known::TIMEOUT_FUNCTIONS.contains(&l.as_str())) =>
                {
                    self.path_call(segs, args, e.span, cx.bounding())
                }
                ExprKind::Path(segs) => self.path_call(segs, args, e.span, cx),
                _ => {
                    self.expr(func, inner);
                    self.exprs(args, inner);
                    Val::unknown()
                }
            },
            // `pool.get().timeout(d)` (tokio-util's, async-std's `FutureExt`): bounded too.
            ExprKind::MethodCall { recv, method, args } if method == known::TIMEOUT_METHOD => {
                let start = self.facts.events.len();
                let v = self.method_call(recv, method, args, e.span, cx);
                for ev in &mut self.facts.events[start..] {
                    if let EventKind::Checkout { bounded, .. } = &mut ev.kind {
                        *bounded = true;
                    }
                }
                v
            }
            ExprKind::MethodCall { recv, method, args } => {
                self.method_call(recv, method, args, e.span, cx)
            }
            ExprKind::Field { base, member } => {
                let v = self.expr(base, cx);
                self.field(v, member)
            }
            ExprKind::Ref(x) => Val {
                guard: None,
                ..self.expr(x, cx)
            },
            ExprKind::Deref(x) | ExprKind::Try(x) => self.expr(x, cx),
            ExprKind::Await(x) => self.await_expr(x, e.span, cx),
            ExprKind::Block(b) => self.block(b, cx),
            ExprKind::Async { body, .. } => self.async_block(body, inner),
            ExprKind::Closure { params, body, .. } => self.closure(params, body, inner),
            ExprKind::If { cond, then, els } => self.if_expr(cond, then, els.as_deref(), cx),
            ExprKind::Let { pat, expr } => {
                let v = self.expr(expr, inner);
                self.bind_pat(pat, v);
                Val::unknown()
            }
            ExprKind::Match { scrut, arms } => self.match_expr(scrut, arms, cx),
            ExprKind::While { cond, body } => {
                self.while_loop(cond, body, inner);
                Val::unknown()
            }
            ExprKind::Loop(b) => {
                self.block(b, inner);
                Val::unknown()
            }
            ExprKind::For { pat, iter, body } => {
                self.for_loop(pat, iter, body, inner);
                Val::unknown()
            }
            ExprKind::Return(x) => {
                let v = match x {
                    Some(x) => self.expr(x, inner),
                    None => Val::unknown(),
                };
                if self.frame == 0 {
                    self.record_return(v, e.span);
                }
                Val::unknown()
            }
            ExprKind::Assign { lhs, rhs } => {
                self.assign(lhs, rhs, e.span, inner);
                Val::unknown()
            }
            ExprKind::Struct { path, fields, rest } => {
                self.struct_lit(path, fields, rest.as_deref(), inner)
            }
            ExprKind::Macro { args, .. } => {
                // join!, try_join!, select!, vec!, format!, query!...: arguments run here.
                for a in args {
                    self.run_or_walk(a, inner);
                }
                Val::unknown()
            }
            ExprKind::Seq(v) | ExprKind::Jump(v) => {
                self.exprs(v, inner);
                Val::unknown()
            }
            ExprKind::Lit => Val::unknown(),
        }
    }

    /// `if` (and `if let`): the condition's temporaries end before the branches, or (with a
    /// `let`) after them, before edition 2024, after the `then` block from it on; a guard out of
    /// the `then` block is not held while the `else` branch runs.
    fn if_expr(&mut self, cond: &Expr, then: &Block, els: Option<&Expr>, cx: Cx) -> Val {
        let if_start = EventId::from_index(self.facts.events.len());
        self.depth += 1;
        let mark = self.vars.len();
        self.temps.push(Vec::new());
        self.expr(cond, cx.plain());
        let has_let = Self::contains_let(cond);
        let mut cond_temps = None;
        if !has_let {
            self.end_temps(cond.span.end());
        } else if self.edition2024 {
            cond_temps = self.temps.pop();
        }
        let v = if block_diverges(then) {
            self.diverging(|w| w.block(then, cx))
        } else {
            self.block(then, cx)
        };
        if let Some(t) = cond_temps {
            for b in t {
                self.end_binding(b, close_span(then.span));
            }
        }
        self.close_scope(mark, close_span(then.span), v.guard);
        let else_start = EventId::from_index(self.facts.events.len());
        let ev = els.map(|e| {
            if diverges(e) {
                self.diverging(|w| w.expr(e, cx))
            } else {
                self.expr(e, cx)
            }
        });
        // Only a guard taken in the `if` (its condition or its `then` block) is not held in
        // the `else`; one taken before and moved into the block's value is held there.
        if let Some(g) = v
            .guard
            .filter(|g| self.facts.bindings[g.index()].source >= if_start)
        {
            let else_end = EventId::from_index(self.facts.events.len());
            self.facts.bindings[g.index()]
                .holes
                .push((else_start, else_end));
        }
        if has_let && !self.edition2024 {
            let end = els.map(|e| e.span.end()).unwrap_or(close_span(then.span));
            self.end_temps(end);
        }
        match ev {
            Some(ev) if v.guard.is_none() => ev,
            _ => v,
        }
    }

    /// `match`: each arm binds the scrutinee's value; a guard out of one arm is not held while
    /// the arms after it run.
    fn match_expr(&mut self, scrut: &Expr, arms: &[Arm], cx: Cx) -> Val {
        let match_start = EventId::from_index(self.facts.events.len());
        let v = self.expr(scrut, cx.plain());
        let mut out: Option<Val> = None;
        let mut escaping: Vec<(BindingId, usize)> = Vec::new();
        let mut starts: Vec<EventId> = Vec::new();
        for (i, arm) in arms.iter().enumerate() {
            starts.push(EventId::from_index(self.facts.events.len()));
            self.depth += 1;
            let mark = self.vars.len();
            self.bind_pat(&arm.pat, v.clone());
            if let Some(g) = &arm.guard {
                self.expr(g, cx.plain());
            }
            // An arm's body is a temporary scope: its temporaries end with it, but for the
            // arm's value.
            self.temps.push(Vec::new());
            let r = if diverges(&arm.body) {
                self.diverging(|w| w.expr(&arm.body, cx))
            } else {
                self.expr(&arm.body, cx)
            };
            if let Some(t) = self.temps.pop() {
                for x in t {
                    if Some(x) == r.guard {
                        if let Some(top) = self.temps.last_mut() {
                            top.push(x);
                        }
                    } else {
                        self.end_binding(x, arm.body.span.end());
                    }
                }
            }
            self.close_scope(mark, arm.body.span.end(), r.guard);
            // Only a guard taken in the `match` (its scrutinee or this arm) is not held in the
            // arms after it; one taken before and moved into this arm's value is held there.
            if let Some(g) = r
                .guard
                .filter(|g| self.facts.bindings[g.index()].source >= match_start)
            {
                escaping.push((g, i));
            }
            if out
                .as_ref()
                .is_none_or(|o| o.guard.is_none() && o.loc.is_none())
            {
                out = Some(r);
            }
        }
        let end = EventId::from_index(self.facts.events.len());
        for (g, i) in escaping {
            if let Some(&from) = starts.get(i + 1) {
                self.facts.bindings[g.index()].holes.push((from, end));
            }
        }
        out.unwrap_or_else(Val::unknown)
    }

    /// `while` (and `while let`): a `let`'s temporaries live through the body.
    fn while_loop(&mut self, cond: &Expr, body: &Block, cx: Cx) {
        self.depth += 1;
        let mark = self.vars.len();
        self.temps.push(Vec::new());
        self.expr(cond, cx);
        if !Self::contains_let(cond) {
            self.end_temps(cond.span.end());
            self.block(body, cx);
        } else {
            self.block(body, cx);
            self.end_temps(close_span(body.span));
        }
        self.close_scope(mark, close_span(body.span), None);
    }

    fn for_loop(&mut self, pat: &Pat, iter: &Expr, body: &Block, cx: Cx) {
        let it = self.expr(iter, cx);
        self.depth += 1;
        let mark = self.vars.len();
        // An element of a collection of known kind (`for e in &self.enrichers`).
        let elem = match it.ty {
            TyK::Elems(k) => Val::of(*k, None),
            _ => Val::unknown(),
        };
        self.bind_pat(pat, elem);
        self.block(body, cx);
        self.close_scope(mark, close_span(body.span), None);
    }

    /// `x = value`: a guard `x` held before ends (unless it is the same one), and the new one
    /// is owned where `x` was declared; deadpool config settings are recorded.
    fn assign(&mut self, lhs: &Expr, rhs: &Expr, span: Span, cx: Cx) {
        let v = self.expr(rhs, cx);
        self.config_assigned(lhs, rhs);
        if let ExprKind::Path(segs) = &lhs.kind {
            if let (1, Some(pos)) = (segs.len(), segs.first().and_then(|n| self.var_pos(n))) {
                let old = self.vars[pos].val.guard;
                let depth = self.vars[pos].depth;
                if let Some(o) = old {
                    if Some(o) != v.guard {
                        self.end_binding(o, span);
                    }
                }
                if let Some(g) = v.guard {
                    let name = segs[0].clone();
                    self.own(g, depth, &name);
                }
                self.vars[pos].val = v;
                return;
            }
        }
        self.expr(lhs, cx);
    }

    /// `Type { field: value, .. }`: a guard among the fields is held by the value; a pool built
    /// for a field of a workspace type is that field's (`AppState { db: pool }`).
    fn struct_lit(
        &mut self,
        path: &Segs,
        fields: &[(String, Expr)],
        rest: Option<&Expr>,
        cx: Cx,
    ) -> Val {
        let mut guard = None;
        let mut built = Vec::new();
        for (name, f) in fields {
            let start = self.facts.events.len();
            let v = self.expr(f, cx);
            guard = guard.or(v.guard);
            if matches!(v.ty, TyK::Pool(_)) {
                if let Some(ev) = self.built_by(f, start) {
                    built.push((name, ev));
                }
            }
        }
        if let Some(r) = rest {
            self.expr(r, cx);
        }
        let ty = self.type_of_path(path);
        if let TyK::Adt(t) = ty {
            for (name, ev) in built {
                if let EventKind::Build { stored, .. } = &mut self.facts.events[ev.index()].kind {
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
}

/// Whether control never falls through the end of `e` (it returns, breaks, continues or
/// panics).
pub(super) fn diverges(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Return(_) | ExprKind::Jump(_) => true,
        ExprKind::Macro { path, .. } => path
            .last()
            .is_some_and(|m| known::DIVERGING_MACROS.contains(&m.as_str())),
        ExprKind::Block(b) => block_diverges(b),
        _ => false,
    }
}

pub(super) fn block_diverges(b: &Block) -> bool {
    matches!(b.stmts.last(), Some(Stmt::Expr { expr, .. }) if diverges(expr))
}
