//! Expressions: each kind walked in evaluation order, with the control flow that shapes live
//! ranges (branches that do not run under a guard taken in a sibling, blocks that diverge).

use super::awaits::{awaited_callee, mentions};
use super::{close_span, Val, Walker};
use crate::analysis::facts::{EventKind, Res};
use crate::index::TyK;
use crate::ir::{Block, Expr, ExprKind, Stmt};

impl Walker<'_> {
    pub(super) fn exprs(&mut self, es: &[Expr]) -> Vec<Val> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    pub(super) fn contains_let(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Let { .. } => true,
            ExprKind::Seq(v) => v.iter().any(Self::contains_let),
            _ => false,
        }
    }

    pub(super) fn expr(&mut self, e: &Expr) -> Val {
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
}

/// Whether control never falls through the end of `e` (it returns, breaks, continues or
/// panics).
pub(super) fn diverges(e: &Expr) -> bool {
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

pub(super) fn block_diverges(b: &Block) -> bool {
    matches!(b.stmts.last(), Some(Stmt::Expr { expr, .. }) if diverges(expr))
}
