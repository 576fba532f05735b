//! Statements and blocks: `let` bindings with where their value came from, the temporaries of
//! a statement and of a block's tail, and extending borrows.

use super::{close_span, Cx, Origin, Val, Walker};
use crate::analysis::facts::BindingId;
use crate::base::source::Span;
use crate::index::TyK;
use crate::ir::{Block, Expr, ExprKind, Pat, Stmt, Ty};

impl Walker<'_> {
    /// A block: its statements in order, its tail's value (and guard) handed out. The tail is
    /// walked in the block's own context (awaiting a block awaits its tail).
    pub(super) fn block(&mut self, b: &Block, cx: Cx) -> Val {
        self.depth += 1;
        let mark = self.vars.len();
        let mut tail = Val::unknown();
        let n = b.stmts.len();
        let mut tail_temps: Option<Vec<BindingId>> = None;
        for (i, s) in b.stmts.iter().enumerate() {
            match s {
                Stmt::Let {
                    pat,
                    ty,
                    init,
                    els,
                    span,
                } => self.let_stmt(pat, ty.as_ref(), init.as_ref(), els.as_ref(), *span, cx),
                Stmt::Expr { expr, semi } => {
                    self.temps.push(Vec::new());
                    let last = i + 1 == n && !semi;
                    let v = self.expr(expr, if last { cx } else { cx.plain() });
                    if last {
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

    /// `let PAT: TY = INIT else { .. };`: the value bound, with what it borrows from, the config
    /// it is, or the pool build it comes from; the statement's temporaries end at its `;`.
    fn let_stmt(
        &mut self,
        pat: &Pat,
        ty: Option<&Ty>,
        init: Option<&Expr>,
        els: Option<&Block>,
        span: Span,
        cx: Cx,
    ) {
        let cx = cx.plain();
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
                    w.expr(e, cx);
                });
                Val {
                    body: Some(frame),
                    ..Val::unknown()
                }
            }
            // `let c = &mut *pool.get()?;`: the borrowed temporary lives as long as `c`
            // (temporary lifetime extension), and so does its guard.
            Some(
                e @ Expr {
                    kind: ExprKind::Ref(_),
                    ..
                },
            ) => self.extended(e, cx),
            Some(e) => self.expr(e, cx),
            None => Val::unknown(),
        };
        if let Some(e) = init {
            self.defer_stored_future(e, &mut v);
        }
        if let Some(t) = ty {
            let k = self
                .ix
                .ty_kind(self.module, &self.generics, t, self.self_kind.as_ref());
            if k != TyK::Unknown && !matches!(v.ty, TyK::Pool(_)) {
                v.ty = k;
            }
        }
        if let Some(e) = els {
            self.diverging(|w| w.block(e, cx));
        }
        self.pending = Origin {
            from: init.map(|e| self.borrowed_guards(e)).unwrap_or_default(),
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

    /// The operand of an extending borrow (`&`, `&mut *`, `&x.field`): its guard is kept.
    pub(super) fn extended(&mut self, e: &Expr, cx: Cx) -> Val {
        match &e.kind {
            ExprKind::Ref(x) | ExprKind::Deref(x) => self.extended(x, cx),
            ExprKind::Field { base, member } => {
                let b = self.extended(base, cx);
                let guard = b.guard;
                Val {
                    guard,
                    ..self.field(b, member)
                }
            }
            _ => self.expr(e, cx),
        }
    }
}
