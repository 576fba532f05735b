//! `unbounded_checkout_wait`: a pool built so that a checkout can wait forever (deadpool with
//! no wait timeout, a timeout turned off or set to `Duration::MAX`), reported where it is built.

use super::{finding, Checked, Finding, LintCx, LintPass};
use crate::analysis::{Analysis, Ctx, EventKind, Res};
use crate::base::diag::{Diagnostic, Label};
use crate::base::lint::Lint;
use crate::base::source::Span;
use crate::config::catalogue::{KindId, WaitModel};
use crate::index::pool_build::Unbounded;
use crate::index::{FnId, Index, StaticId};
use rustc_hash::FxHashMap as HashMap;

pub(crate) const NAME: &str = "unbounded_checkout_wait";

/// One pool built to wait forever, as data.
#[derive(Debug, Clone)]
pub(crate) struct UnboundedPool {
    /// The building expression (the builder chain, or the `create_pool` call).
    pub(crate) at: Span,
    pub(crate) kind: KindId,
    pub(crate) problem: Unbounded,
    /// The crate (its spec) that builds it.
    pub(crate) krate: usize,
    /// Where its crate checks out pools of this kind without a timeout of its own.
    pub(crate) checkouts: Vec<Span>,
    /// The function or static that builds it.
    pub(crate) builder: String,
}

/// A checkout: where, whether a timeout bounds its wait, and its pool when the analysis knows it.
type Site = (Span, bool, Option<Res>);

pub(crate) fn check(ix: &Index, an: &Analysis) -> Vec<UnboundedPool> {
    // Each crate's checkouts of each kind.
    let mut checkouts: HashMap<(usize, KindId), Vec<Site>> = HashMap::default();
    let mut built = Vec::new();
    for (f, facts) in an.facts.iter().enumerate() {
        let info = &ix.fns[f];
        let krate = ix.crate_of(info.module).spec;
        let cx = Ctx::of(an, FnId::from_index(f));
        for e in &facts.events {
            match &e.kind {
                EventKind::Checkout {
                    kind, bounded, res, ..
                } => checkouts.entry((krate, *kind)).or_default().push((
                    e.span,
                    *bounded,
                    res.as_ref().and_then(|r| cx.resolve(r, 0)),
                )),
                EventKind::Build {
                    kind,
                    problem,
                    stored,
                } => built.push((
                    e.span,
                    *kind,
                    problem.clone(),
                    krate,
                    info.display.clone(),
                    stored.clone(),
                )),
                _ => {}
            }
        }
    }
    for (i, st) in ix.statics.iter().enumerate() {
        if let Some((problem, span, kind)) = &st.unbounded {
            let krate = ix.crate_of(st.module).spec;
            let res = Res::Static(StaticId::from_index(i));
            built.push((
                *span,
                *kind,
                problem.clone(),
                krate,
                st.name.clone(),
                Some(res),
            ));
        }
    }
    let mut out = Vec::new();
    for (at, kind, problem, krate, builder, stored) in built {
        let all = checkouts
            .get(&(krate, kind))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        // Its crate's checkouts of its kind, less those known to take from another pool
        // (another static or field) when it is known where this one is kept.
        let sites: Vec<&Site> = all
            .iter()
            .filter(|c| match (&stored, &c.2) {
                (Some(mine), Some(r @ (Res::Static(_) | Res::Field(..)))) => r == mine,
                _ => true,
            })
            .collect();
        // Every checkout bounded by a timeout of its own: nothing waits forever. A missing
        // runtime fails those too, so it is reported regardless.
        let bounded = !sites.is_empty() && sites.iter().all(|c| c.1);
        if bounded && !matches!(problem, Unbounded::NoRuntime { .. }) {
            continue;
        }
        let mut unbounded: Vec<Span> = sites.iter().filter(|c| !c.1).map(|c| c.0).collect();
        unbounded.sort_by_key(|s| (s.file, s.lo));
        out.push(UnboundedPool {
            at,
            kind,
            problem,
            krate,
            checkouts: unbounded,
            builder,
        });
    }
    out
}

impl Finding for UnboundedPool {
    fn at(&self) -> Span {
        self.at
    }

    fn to_diagnostic(&self, cx: &LintCx) -> Diagnostic {
        let (ix, sources) = (cx.ix, cx.sources);
        let kind = ix.cat.kind(self.kind);
        let name = &kind.kind;
        let unit = &kind.unit;
        let (message, label, help) = match &self.problem {
            Unbounded::NoWait { config } => (
                format!("this {name} pool has no wait timeout: a checkout can wait forever"),
                if *config {
                    "built from a config whose `pool` sets no wait timeout".to_string()
                } else {
                    "built without `wait_timeout`".to_string()
                },
                if *config {
                    "set `cfg.pool = Some(PoolConfig { timeouts: Timeouts { wait: Some(Duration::from_secs(5)), ..Default::default() }, ..Default::default() })` and pass `Some(Runtime::Tokio1)`".to_string()
                } else {
                    "add `.wait_timeout(Some(Duration::from_secs(5)))` and `.runtime(Runtime::Tokio1)` to the builder".to_string()
                },
            ),
            Unbounded::NoRuntime { config } => (
                format!("this {name} pool has a wait timeout but no runtime to run it: deadpool refuses it (`NoRuntimeSpecified`)"),
                "no runtime for the wait timeout".to_string(),
                if *config {
                    "pass `Some(Runtime::Tokio1)` to `create_pool`".to_string()
                } else {
                    "add `.runtime(Runtime::Tokio1)` to the builder".to_string()
                },
            ),
            Unbounded::Disabled(s) => (
                format!("`{s}` turns the checkout timeout of this {name} pool off: a checkout can wait forever"),
                "the timeout is turned off here".to_string(),
                format!("keep a finite timeout (the {name} default is 30 s), or bound each checkout"),
            ),
            // sqlx and r2d2 add the timeout to `Instant::now()`, which overflows and panics.
            Unbounded::Infinite(s) if kind.wait == WaitModel::HugePanics => (
                format!("`{s}` is given a timeout meant never to fire: {name} adds it to the current instant, which overflows, so every checkout of this pool panics"),
                "a timeout too large to add to an instant".to_string(),
                format!("give `{s}` a few seconds"),
            ),
            Unbounded::Infinite(s) => (
                format!("`{s}` is given a timeout that never fires: a checkout of this {name} pool can wait forever"),
                "a timeout that never fires".to_string(),
                format!("give `{s}` a few seconds"),
            ),
        };
        let mut notes = Vec::new();
        let fails_fast = matches!(self.problem, Unbounded::NoRuntime { .. })
            || (matches!(self.problem, Unbounded::Infinite(_))
                && kind.wait == WaitModel::HugePanics);
        if !fails_fast {
            notes.push(format!("once every {unit} is taken (a nested checkout, a leaked {unit}, a slow database), each request waits here forever instead of failing: the service hangs"));
        }
        for s in self.checkouts.iter().take(3) {
            notes.push(format!(
                "checked out without a timeout at {}",
                sources.location(*s)
            ));
        }
        if self.checkouts.len() > 3 {
            notes.push(format!("and {} more checkouts", self.checkouts.len() - 3));
        }
        Diagnostic {
            secondary: Vec::new(),
            notes,
            help: Some(help),
            chain: Vec::new(),
            identity: vec![
                self.builder.clone(),
                name.clone(),
                format!("{:?}", self.problem),
            ],
            ..finding(
                NAME,
                message,
                Label {
                    span: self.at,
                    text: label,
                },
                self.krate,
            )
        }
    }
}

/// The lint's pass.
pub(crate) struct Pass;

impl LintPass for Pass {
    fn lint(&self) -> &'static Lint {
        super::meta(NAME)
    }

    fn check<'a>(&self, cx: &LintCx<'a>) -> Checked<'a> {
        Checked::of((check(cx.ix, cx.an), Vec::new()))
    }
}
