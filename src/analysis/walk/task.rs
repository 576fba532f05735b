//! Tasks, closures and futures: bodies walked in a frame of their own (spawned tasks, stored
//! closures) and run where they are awaited, joined or called; futures of `async fn` calls
//! stored for later.

use super::awaits::mentions;
use super::{Cx, Val, Walker};
use crate::analysis::facts::EventId;
use crate::analysis::facts::{EventKind, ResExpr, DEFERRED, OPEN};
use crate::base::source::Span;
use crate::config::known;
use crate::ir::{Block, Expr, ExprKind, Pat, Segs};

pub(super) fn is_spawn(segs: &Segs) -> bool {
    let Some(last) = segs.last() else {
        return false;
    };
    known::SPAWN_FUNCTIONS.contains(&last.as_str())
        && (segs.len() == 1
            || segs
                .iter()
                .any(|s| known::RUNTIME_SEGMENTS.contains(&s.as_str())))
}

impl Walker<'_> {
    /// A value handed to something that runs it here (`join!`, `select!`, an await): a stored
    /// future or closure runs now; anything else is walked.
    pub(super) fn run_or_walk(&mut self, e: &Expr, cx: Cx) {
        if let Some(ev) = self.stored_future(e) {
            self.run_future(ev, e.span);
        } else if let Some(frame) = self.stored_body(e) {
            self.run_body(frame, e.span);
        } else {
            self.expr(e, cx);
        }
    }

    /// An async block: its own body (for the awaits in it); its value may be a guard.
    pub(super) fn async_block(&mut self, body: &Block, cx: Cx) -> Val {
        self.bodies += 1;
        let outer = std::mem::replace(&mut self.body, self.bodies);
        let v = self.block(body, cx);
        self.body = outer;
        Val {
            guard: v.guard,
            ..Val::unknown()
        }
    }

    /// A closure walked where it is written: its own body and scope.
    pub(super) fn closure(&mut self, params: &[Pat], body: &Expr, cx: Cx) -> Val {
        self.bodies += 1;
        let outer = std::mem::replace(&mut self.body, self.bodies);
        self.depth += 1;
        let mark = self.vars.len();
        for p in params {
            self.bind_pat(p, Val::unknown());
        }
        self.temps.push(Vec::new());
        self.expr(body, cx);
        self.end_temps(body.span.end());
        self.close_scope(mark, body.span.end(), None);
        self.body = outer;
        Val::unknown()
    }

    /// Walks `f` in a frame of its own (guards outside it are not held there), returning it.
    pub(super) fn in_frame(&mut self, f: impl FnOnce(&mut Self)) -> u32 {
        let saved_frame = self.frame;
        let saved_owned = std::mem::take(&mut self.owned);
        let saved_temps = std::mem::replace(&mut self.temps, vec![Vec::new()]);
        let frame = self.next_frame;
        self.frame = frame;
        self.next_frame += 1;
        f(self);
        let end = EventId::from_index(self.facts.events.len());
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
    pub(super) fn run_body(&mut self, frame: u32, span: Span) -> Val {
        self.push_event(EventKind::Run { frame }, span);
        Val::unknown()
    }

    pub(super) fn stored_body(&self, e: &Expr) -> Option<u32> {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => self.lookup_var(&s[0]).and_then(|v| v.val.body),
            _ => None,
        }
    }

    /// A spawned task or thread: run here when awaited at once, else in a frame of its own
    /// (returned, for the handle to run where it is awaited or joined).
    pub(super) fn spawned(&mut self, args: &[Expr], cx: Cx) -> Option<u32> {
        if cx.awaited {
            self.exprs(args, cx.plain());
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
            w.exprs(args, cx.plain());
        }))
    }

    /// `let fut = audit::record(&pool, ..);` with `record` an `async fn`: nothing runs until
    /// `fut` is awaited, so the call counts where it is awaited, not here.
    pub(super) fn defer_stored_future(&mut self, init: &Expr, v: &mut Val) {
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
        if self.facts.events[ev.index()].span != init.span {
            return;
        }
        let EventKind::Call { callees, .. } = &self.facts.events[ev.index()].kind else {
            return;
        };
        if callees.is_empty() || !callees.iter().all(|&c| self.ix.fns[c.index()].def.is_async) {
            return;
        }
        self.facts.events[ev.index()].frame = DEFERRED;
        if let Some(g) = v.guard.take() {
            self.end_binding(g, init.span);
        }
        v.future = Some(ev);
        v.loc = None;
    }

    /// A stored future awaited (or joined) here: its call runs now.
    pub(super) fn run_future(&mut self, ev: EventId, span: Span) -> Val {
        let kind = self.facts.events[ev.index()].kind.clone();
        let EventKind::Call { callees, args } = kind else {
            return Val::unknown();
        };
        self.call_event(callees, args, span)
    }

    pub(super) fn stored_future(&self, e: &Expr) -> Option<EventId> {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => self.lookup_var(&s[0]).and_then(|v| v.val.future),
            _ => None,
        }
    }
}
