//! How a pool is built: whether its checkouts can wait forever, read from the builder chain or
//! the deadpool config that makes it (plain IR, for the walker and for static initializers).

use crate::config::catalogue::{PoolKind, WaitModel};
use crate::config::known::{self, opt_in_wait as opt_in};
use crate::ir::{Expr, ExprKind};
use serde::{Deserialize, Serialize};

/// Why a pool's checkouts can wait forever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Unbounded {
    /// deadpool without a wait timeout (its default).
    NoWait { config: bool },
    /// deadpool with a wait timeout but no runtime to run it: rejected.
    NoRuntime { config: bool },
    /// The crate's timeout turned off (`get_timeout(None)`).
    Disabled(String),
    /// A timeout too long to ever fire (`Duration::MAX`).
    Infinite(String),
}

/// What a deadpool config or builder says about the wait timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    Set,
    Unset,
    /// Set from a value the analysis cannot see (a variable, a file).
    Unknown,
}

/// The last path segment of a path or of a called function's path.
pub(crate) fn last(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Path(s) => s.last().map(String::as_str),
        ExprKind::Call { func, .. } => last(func),
        _ => None,
    }
}

/// `Duration::MAX`, `Duration::from_secs(u64::MAX)`.
fn is_forever(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Path(s) => s.last().is_some_and(|l| l == known::MAX),
        ExprKind::Call { args, .. } => args.len() == 1 && is_forever(&args[0]),
        ExprKind::Ref(x) => is_forever(x),
        _ => false,
    }
}

pub(crate) fn is_none(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Path(s) if s.len() == 1 && s[0] == known::NONE)
}

/// The wait timeout a `PoolConfig`, `Timeouts` or `Option` of either sets.
pub(crate) fn wait_of(e: &Expr) -> Wait {
    match &e.kind {
        _ if is_none(e) => Wait::Unset,
        ExprKind::Call { func, args } => match &func.kind {
            ExprKind::Path(s) => match s.last().map(String::as_str) {
                Some(known::SOME) if args.len() == 1 => wait_of(&args[0]),
                Some(c) if opt_in::WAIT_SETTING_CONSTRUCTORS.contains(&c) => Wait::Set,
                // `PoolConfig::new(16)`, `Timeouts::new()`, `Default::default()`.
                Some(c) if opt_in::UNSET_CONSTRUCTORS.contains(&c) => Wait::Unset,
                _ => Wait::Unknown,
            },
            _ => Wait::Unknown,
        },
        ExprKind::Struct { fields, .. } => {
            for (name, value) in fields {
                match name.as_str() {
                    opt_in::WAIT_FIELD => {
                        return if is_none(value) {
                            Wait::Unset
                        } else {
                            Wait::Set
                        }
                    }
                    opt_in::TIMEOUTS_FIELD | opt_in::POOL_FIELD => return wait_of(value),
                    _ => {}
                }
            }
            // Not named: the rest (`..Default::default()`) or nothing, both leave it unset.
            Wait::Unset
        }
        _ => Wait::Unknown,
    }
}

/// A builder chain ending in `method(args)` on `recv`, for a pool of `kind`. `start` is what
/// the config the chain starts from says (`cfg.builder(tls)...`), `None` when it must start
/// at a constructor call (`Pool::builder(mgr)`) for the chain to be read at all.
pub(crate) fn chain_problem(
    recv: &Expr,
    method: &str,
    args: &[Expr],
    kind: &PoolKind,
    start: Option<Wait>,
) -> Option<Unbounded> {
    let mut calls: Vec<(&str, &[Expr])> = vec![(method, args)];
    let mut e = recv;
    let mut from_config = false;
    let root_ok = loop {
        match &e.kind {
            ExprKind::MethodCall { recv, method, args } => {
                calls.push((method.as_str(), args.as_slice()));
                e = recv;
            }
            ExprKind::Try(x) => e = x,
            ExprKind::Call { .. } => break start.is_none(),
            ExprKind::Path(_) => {
                from_config = true;
                break start.is_some();
            }
            _ => break false,
        }
    };
    if !root_ok {
        return None;
    }
    let setter = kind.timeout_setter.as_str();
    for (m, a) in &calls {
        if !setter.is_empty() && *m == setter {
            match a.first() {
                Some(x) if is_none(x) && kind.wait == WaitModel::NoneDisables => {
                    return Some(Unbounded::Disabled(format!("{setter}(None)")))
                }
                Some(x) if is_forever(x) => return Some(Unbounded::Infinite(setter.to_string())),
                _ => {}
            }
        }
    }
    if kind.wait != WaitModel::OptIn {
        return None;
    }
    // deadpool: the wait timeout and the runtime, the last setting of each winning.
    let mut wait = start.unwrap_or(Wait::Unset);
    let mut runtime = false;
    for (m, a) in calls.iter().rev() {
        match *m {
            opt_in::WAIT_SETTER => {
                wait = match a.first() {
                    Some(x) if is_none(x) => Wait::Unset,
                    Some(x) if last(x) == Some(known::SOME) => Wait::Set,
                    _ => Wait::Unknown,
                }
            }
            m if opt_in::SETTINGS_SETTERS.contains(&m) => {
                wait = a.first().map(wait_of).unwrap_or(Wait::Unknown)
            }
            opt_in::RUNTIME_SETTER => runtime = true,
            _ => {}
        }
    }
    verdict(wait, runtime, from_config)
}

/// `cfg.create_pool(runtime, ..)` on a deadpool config whose pool settings say `wait`.
pub(crate) fn create_pool_problem(args: &[Expr], wait: Wait) -> Option<Unbounded> {
    let runtime = args.first().is_some_and(|a| !is_none(a));
    verdict(wait, runtime, true)
}

fn verdict(wait: Wait, runtime: bool, config: bool) -> Option<Unbounded> {
    match wait {
        Wait::Unset => Some(Unbounded::NoWait { config }),
        Wait::Set if !runtime => Some(Unbounded::NoRuntime { config }),
        _ => None,
    }
}

/// In a static's initializer (`Lazy::new(|| Pool::builder(mgr).build().unwrap())`): a builder
/// chain of `kind` whose checkouts can wait forever, and the span of the chain.
pub(crate) fn in_initializer(
    init: &Expr,
    kind: &PoolKind,
) -> Option<(Unbounded, crate::base::source::Span)> {
    crate::ir::walk::descendants(init).find_map(|e| match &e.kind {
        ExprKind::MethodCall { recv, method, args }
            if kind.build.iter().any(|b| b == method) && method != opt_in::CREATE_POOL =>
        {
            chain_problem(recv, method, args, kind, None).map(|p| (p, e.span))
        }
        _ => None,
    })
}
