//! Scopes and live ranges: variables and their shadowing, the guards a scope owns, the
//! temporaries of a statement, and where each guard's live range ends.

use super::{Val, Var, Walker};
use crate::analysis::facts::{Binding, Res, ResExpr, OPEN};
use crate::analysis::facts::{BindingId, EventId};
use crate::base::source::Span;
use crate::config::known;
use crate::index::TyK;
use crate::ir::Pat;

impl Walker<'_> {
    /// A new possible guard from event `ev`, a temporary of the current statement.
    pub(super) fn fresh(&mut self, ev: EventId) -> BindingId {
        self.facts.bindings.push(Binding {
            frame: self.frame,
            source: ev,
            name: None,
            end_ev: OPEN,
            end_span: Span::default(),
            holes: Vec::new(),
            body: self.body,
        });
        let b = BindingId::from_index(self.facts.bindings.len() - 1);
        if let Some(t) = self.temps.last_mut() {
            t.push(b);
        }
        b
    }

    pub(super) fn end_binding(&mut self, b: BindingId, span: Span) {
        let n = EventId::from_index(self.facts.events.len());
        if let Some((start, ends)) = self.diverging.last_mut() {
            if self.facts.bindings[b.index()].source < *start {
                ends.push((b, n));
                return;
            }
        }
        let bind = &mut self.facts.bindings[b.index()];
        if bind.end_ev == OPEN {
            bind.end_ev = n;
            bind.end_span = span;
        }
        self.owned.retain(|(x, _)| *x != b);
        for t in &mut self.temps {
            t.retain(|x| *x != b);
        }
    }

    pub(super) fn own(&mut self, b: BindingId, depth: usize, name: &str) {
        if self.facts.bindings[b.index()].end_ev != OPEN {
            return;
        }
        for t in &mut self.temps {
            t.retain(|x| *x != b);
        }
        self.owned.retain(|(x, _)| *x != b);
        self.owned.push((b, depth));
        let bind = &mut self.facts.bindings[b.index()];
        if bind.name.is_none() {
            bind.name = Some(name.to_string());
        }
    }

    pub(super) fn end_temps(&mut self, span: Span) {
        if let Some(t) = self.temps.pop() {
            for b in t {
                self.end_binding(b, span);
            }
        }
    }

    /// Leaves a scope: bindings owned at this depth end at `close`, except one escaping as
    /// the scope's value, which becomes a temporary of the enclosing statement.
    pub(super) fn close_scope(&mut self, mark: usize, close: Span, escaping: Option<BindingId>) {
        let depth = self.depth;
        let ending: Vec<BindingId> = self
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

    pub(super) fn push_var(&mut self, v: Var) {
        self.var_index
            .entry(v.name.clone())
            .or_default()
            .push(self.vars.len() as u32);
        self.vars.push(v);
    }

    pub(super) fn truncate_vars(&mut self, mark: usize) {
        while self.vars.len() > mark {
            if let Some(v) = self.vars.pop() {
                if let Some(stack) = self.var_index.get_mut(&v.name) {
                    stack.pop();
                }
            }
        }
    }

    /// The position in `vars` of the innermost binding of `name`.
    pub(super) fn var_pos(&self, name: &str) -> Option<usize> {
        self.var_index
            .get(name)
            .and_then(|s| s.last())
            .map(|&i| i as usize)
    }

    pub(super) fn lookup_var(&self, name: &str) -> Option<&Var> {
        self.var_pos(name).map(|i| &self.vars[i])
    }

    /// The guards that variables of these names hold or borrow from.
    pub(super) fn guards_named(&self, names: &[String]) -> Vec<BindingId> {
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

    pub(super) fn bind_pat(&mut self, pat: &Pat, mut val: Val) {
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
                if elems.len() == 1 && path.last().is_some_and(|l| l == known::ERR) =>
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

    pub(super) fn record_return(&mut self, v: Val, span: Span) {
        if v.guard.is_some() || v.loc.is_some() {
            self.facts.returns.push((v.guard, v.loc.clone()));
        }
        if let Some(g) = v.guard {
            // Returned to the caller: no longer held here.
            self.end_binding(g, span);
        }
    }

    /// Walks a block that never falls through: guards it ends stay held after it.
    pub(super) fn diverging<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.diverging
            .push((EventId::from_index(self.facts.events.len()), Vec::new()));
        let out = f(self);
        if let Some((_, ends)) = self.diverging.pop() {
            let end = EventId::from_index(self.facts.events.len());
            for (b, from) in ends {
                self.facts.bindings[b.index()].holes.push((from, end));
            }
        }
        out
    }
}
