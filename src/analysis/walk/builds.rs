//! What `unbounded_checkout_wait` needs recorded: pools built so that a checkout can wait
//! forever, the deadpool configs they are built from, and where a built pool is stored.

use super::Walker;
use crate::analysis::facts::EventId;
use crate::analysis::facts::EventKind;
use crate::base::source::Span;
use crate::config::catalogue::{KindId, WaitModel};
use crate::config::known::{self, opt_in_wait as opt_in};
use crate::index::pool_build::{self, Wait};
use crate::ir::{Expr, ExprKind};

impl Walker<'_> {
    /// A pool of kind `k` built by `recv.method(args)`: a `Build` event if its checkouts can
    /// wait forever.
    pub(super) fn built(
        &mut self,
        k: KindId,
        recv: &Expr,
        method: &str,
        args: &[Expr],
        span: Span,
    ) {
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
        let problem = if method == opt_in::CREATE_POOL {
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
    pub(super) fn built_by(&self, e: &Expr, start: usize) -> Option<EventId> {
        let here = (start..self.facts.events.len())
            .rev()
            .find(|&i| matches!(self.facts.events[i].kind, EventKind::Build { .. }));
        if let Some(i) = here {
            return Some(EventId::from_index(i));
        }
        let mut e = e;
        loop {
            match &e.kind {
                ExprKind::Path(s) if s.len() == 1 => return self.lookup_var(&s[0])?.origin.built,
                ExprKind::Call { args, .. } if args.len() == 1 => e = &args[0],
                ExprKind::MethodCall { recv, method, .. } if method == known::CLONE => e = recv,
                ExprKind::Try(x) | ExprKind::Ref(x) => e = x,
                _ => return None,
            }
        }
    }

    /// A deadpool config made by `init` (`Config::new()`, `Config::from_url(..)`, a
    /// `Config { .. }` literal): what its pool settings say of the wait timeout.
    pub(super) fn config_made(&self, init: &Expr, k: KindId) -> Option<Wait> {
        if self.cat.kind(k).wait != WaitModel::OptIn {
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
                        && s[s.len() - 2] == opt_in::CONFIG
                        && opt_in::CONFIG_CONSTRUCTORS.contains(&s[s.len() - 1].as_str()) =>
                {
                    Some(Wait::Unset)
                }
                _ => None,
            },
            ExprKind::Struct { path, .. } if path.last().is_some_and(|l| l == opt_in::CONFIG) => {
                Some(pool_build::wait_of(e))
            }
            _ => None,
        }
    }

    /// `cfg.pool = Some(PoolConfig { .. })`, `cfg.pool.as_mut()..timeouts.wait = ..`.
    pub(super) fn config_assigned(&mut self, lhs: &Expr, rhs: &Expr) {
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
        if s.len() != 1 || members.last() != Some(&opt_in::POOL_FIELD) {
            return;
        }
        let Some(pos) = self.var_pos(&s[0]) else {
            return;
        };
        if self.vars[pos].origin.config.is_none() {
            return;
        }
        let wait = match members.as_slice() {
            [opt_in::POOL_FIELD] => pool_build::wait_of(rhs),
            [opt_in::WAIT_FIELD, ..] if pool_build::is_none(rhs) => Wait::Unset,
            [opt_in::WAIT_FIELD, ..] if pool_build::last(rhs) == Some(known::SOME) => Wait::Set,
            [opt_in::WAIT_FIELD, ..] => Wait::Unknown,
            [opt_in::TIMEOUTS_FIELD, ..] => pool_build::wait_of(rhs),
            _ => Wait::Unknown,
        };
        self.vars[pos].origin.config = Some(wait);
    }
}
