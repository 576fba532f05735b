//! What `guard_held_across_await` needs recorded: the guards an awaited expression uses, itself
//! or through a value borrowed from one, and what it calls.

use super::{Cx, Val, Walker};
use crate::analysis::facts::EventKind;
use crate::analysis::facts::{BindingId, EventId};
use crate::base::source::Span;
use crate::config::known;
use crate::ir::walk::descendants;
use crate::ir::{Expr, ExprKind, Stmt};

impl Walker<'_> {
    /// `inner.await`: a stored future or task runs here, `select!`'s futures all run here,
    /// anything else is walked as awaited; then the `Await` event, with the guards the awaited
    /// expression uses.
    pub(super) fn await_expr(&mut self, inner: &Expr, span: Span, cx: Cx) -> Val {
        let inner_start = EventId::from_index(self.facts.events.len());
        let v = if let Some(ev) = self.stored_future(inner) {
            self.run_future(ev, span)
        } else if let Some(frame) = self.stored_body(inner) {
            self.run_body(frame, span)
        } else if let ExprKind::Seq(futures) = &inner.kind {
            // `select!`'s futures, awaited together: stored ones run here too.
            for f in futures {
                self.run_or_walk(f, cx.awaiting());
            }
            Val::unknown()
        } else {
            self.expr(inner, cx.awaiting())
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
            span,
        );
        v
    }

    /// The guards a `let`'s value may borrow from: those its initializer names, unless it is
    /// the awaited result of a query (rows, a count: owned data). A value built without an
    /// await (`&mut *tx`, `query.fetch(&mut *conn)`, a repository made from `conn`), a
    /// transaction or savepoint opened on a held connection, and a row stream read from it keep
    /// using the guard.
    pub(super) fn borrowed_guards(&self, init: &Expr) -> Vec<BindingId> {
        let mut names = Vec::new();
        mentions_kept(init, &mut names);
        self.guards_named(&names)
    }
}

/// Whether an awaited call returns something that keeps using its receiver's connection: a
/// transaction or savepoint opened on it, a connection acquired from a transaction, a
/// tokio-postgres row stream or COPY sink.
pub(super) fn opens_borrow(x: &Expr) -> bool {
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
    name.is_some_and(|m| known::OPENS_BORROW.contains(&m))
}

/// The names a value computed by `e` may still borrow from: those it mentions, except inside
/// awaited queries, whose results are owned data (rows, counts), unless the call opens a
/// borrow (`opens_borrow`) or was given the variable by value (`Transaction::new(conn)`).
pub(super) fn mentions_kept(e: &Expr, out: &mut Vec<String>) {
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
pub(super) fn mentions_outside_awaits<'e>(
    e: &'e Expr,
    out: &mut Vec<String>,
    awaited: &mut Vec<&'e Expr>,
) {
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
pub(super) fn moved_args(e: &Expr, out: &mut Vec<String>) {
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
pub(super) fn awaited_callee(e: &Expr) -> Option<String> {
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
pub(super) fn mentions(e: &Expr, out: &mut Vec<String>) {
    out.extend(descendants(e).filter_map(|x| match &x.kind {
        ExprKind::Path(s) if s.len() == 1 => s.first().cloned(),
        _ => None,
    }));
}
