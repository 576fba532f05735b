//! The query API the lints read: one function's facts against every callee's summary (which
//! pool a guard holds, what an event checks out and through which calls, what is live under a
//! guard), and how a resource is named in messages.

use super::facts::{BindingId, EventId, EventKind, Facts, Res, ResExpr};
use super::summary::{Analysis, Reach, Step, StepKind, Summary, MAX_CHAIN};
use crate::config::catalogue::KindId;
use crate::config::known;
use crate::index::{FnId, Index};
use rustc_hash::FxHashSet as HashSet;

/// Reading one function's facts against the summaries of its callees.
pub(crate) struct Ctx<'a> {
    pub(crate) facts: &'a Facts,
    pub(crate) sums: &'a [Summary],
    pub(crate) f: FnId,
}

impl<'a> Ctx<'a> {
    /// Function `f`'s facts, read against everyone's summaries.
    pub(crate) fn of(an: &'a Analysis, f: FnId) -> Ctx<'a> {
        Ctx {
            facts: &an.facts[f.index()],
            sums: &an.summaries,
            f,
        }
    }

    /// The events evaluated while guard binding `b` is live (on the guard's own task).
    pub(crate) fn under_guard(&self, b: BindingId) -> impl Iterator<Item = EventId> + '_ {
        let bind = &self.facts.bindings[b.index()];
        let end = bind.end_ev.index().min(self.facts.events.len());
        ((bind.source.index() + 1)..end)
            .map(EventId::from_index)
            .filter(move |&ev| bind.covers(ev, self.facts.events[ev.index()].frame))
    }

    pub(crate) fn resolve(&self, r: &ResExpr, depth: u32) -> Option<Res> {
        match r {
            ResExpr::Known(x) => Some(x.clone()),
            ResExpr::Keyed(c, k) if depth <= 16 => Some(Res::Keyed(
                Box::new(self.resolve(c, depth + 1)?),
                Box::new(self.resolve(k, depth + 1)?),
            )),
            ResExpr::Keyed(..) => None,
            ResExpr::ReturnOf(ev) => {
                if depth > 16 {
                    return None;
                }
                let EventKind::Call { callees, args } = &self.facts.events.get(ev.index())?.kind
                else {
                    return None;
                };
                callees.iter().find_map(|&c| {
                    let p = self.sums[c.index()].returns_pool.as_ref()?;
                    self.substitute(p, args, depth + 1)
                })
            }
        }
    }

    fn substitute(&self, r: &Res, args: &[Option<ResExpr>], depth: u32) -> Option<Res> {
        match r {
            Res::Param(i) => self.resolve(args.get(*i as usize)?.as_ref()?, depth),
            Res::Local(_) => None,
            Res::Keyed(c, k) => Some(Res::Keyed(
                Box::new(self.substitute(c, args, depth)?),
                Box::new(self.substitute(k, args, depth)?),
            )),
            other => Some(other.clone()),
        }
    }

    /// The pool a binding holds a guard of, if it is a guard at all.
    pub(crate) fn guard(&self, b: BindingId) -> Option<(Res, KindId)> {
        let bind = &self.facts.bindings[b.index()];
        match &self.facts.events[bind.source.index()].kind {
            EventKind::Run { .. } | EventKind::Await { .. } | EventKind::Build { .. } => None,
            EventKind::Checkout { res, kind, .. } => Some((self.resolve(res.as_ref()?, 0)?, *kind)),
            EventKind::Call { callees, args } => callees.iter().find_map(|&c| {
                let (r, k) = self.sums[c.index()].returns_guard.as_ref()?;
                Some((self.substitute(r, args, 0)?, *k))
            }),
        }
    }

    /// What evaluating event `ev` checks out, relative to this function.
    pub(crate) fn reaches(&self, ev: EventId) -> Vec<Reach> {
        self.reaches_depth(ev, 0)
    }

    fn reaches_depth(&self, ev: EventId, depth: u32) -> Vec<Reach> {
        let e = &self.facts.events[ev.index()];
        match &e.kind {
            EventKind::Await { .. } | EventKind::Build { .. } => Vec::new(),
            EventKind::Run { frame } => {
                let mut out: Vec<Reach> = Vec::new();
                if depth > 8 {
                    return out;
                }
                let mut seen: HashSet<Res> = HashSet::default();
                for (i, inner) in self.facts.events.iter().enumerate() {
                    if inner.frame != *frame {
                        continue;
                    }
                    for r in self.reaches_depth(EventId::from_index(i), depth + 1) {
                        if !seen.insert(r.res.clone()) {
                            continue;
                        }
                        let mut steps = vec![Step {
                            func: self.f,
                            span: e.span,
                            kind: StepKind::Run,
                        }];
                        steps.extend(r.steps.into_iter().take(MAX_CHAIN));
                        out.push(Reach {
                            res: r.res,
                            kind: r.kind,
                            steps,
                        });
                    }
                }
                out
            }
            // `try_get`, `try_acquire`, `try_begin`: they fail at once on an empty pool instead
            // of waiting, so they cannot be the second checkout of a deadlock.
            EventKind::Checkout { method, .. } if method.starts_with(known::NON_WAITING_PREFIX) => {
                Vec::new()
            }
            EventKind::Checkout {
                res, kind, method, ..
            } => match res.as_ref().and_then(|r| self.resolve(r, 0)) {
                Some(res) => vec![Reach {
                    res,
                    kind: *kind,
                    steps: vec![Step {
                        func: self.f,
                        span: e.span,
                        kind: StepKind::Checkout(method.clone()),
                    }],
                }],
                None => Vec::new(),
            },
            EventKind::Call { callees, args } => {
                let mut out: Vec<Reach> = Vec::new();
                let mut seen: HashSet<Res> = HashSet::default();
                for &c in callees {
                    for r in &self.sums[c.index()].checkouts {
                        let Some(res) = self.substitute(&r.res, args, 0) else {
                            continue;
                        };
                        if !seen.insert(res.clone()) {
                            continue;
                        }
                        let mut steps = Vec::with_capacity(r.steps.len() + 1);
                        steps.push(Step {
                            func: self.f,
                            span: e.span,
                            kind: StepKind::Call(c),
                        });
                        steps.extend(r.steps.iter().take(MAX_CHAIN).cloned());
                        out.push(Reach {
                            res,
                            kind: r.kind,
                            steps,
                        });
                    }
                }
                out
            }
        }
    }
}

/// How a resource is named in messages about function `f`.
pub(crate) fn res_name(ix: &Index, facts: &Facts, r: &Res) -> String {
    match r {
        Res::Keyed(c, k) => format!("{}[{}]", res_name(ix, facts, c), res_name(ix, facts, k)),
        Res::Static(s) => ix.statics[s.index()].name.clone(),
        Res::Field(t, f) => format!("{}.{}", ix.types[t.index()].name, f),
        Res::Param(i) => facts
            .param_names
            .get(*i as usize)
            .cloned()
            .unwrap_or_else(|| "the pool".into()),
        Res::Local(i) => facts
            .local_names
            .get(*i as usize)
            .cloned()
            .unwrap_or_else(|| "the pool".into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{
        fixture, fn_named, res_name, Analysis, BindingId, Ctx, EventId, EventKind, Facts, Reach,
        Res, ResExpr, StepKind,
    };
    use crate::index::Index;

    /// A resource in words: a parameter by its position (and its name, when the function's
    /// facts are kept), anything else as messages name it.
    fn res(ix: &Index, facts: &Facts, r: &Res) -> String {
        match r {
            Res::Param(i) if facts.param_names.is_empty() => format!("Param({i})"),
            Res::Param(i) => format!("Param({i}) {}", res_name(ix, facts, r)),
            _ => res_name(ix, facts, r),
        }
    }

    /// A reach in words: the resource, its pool kind, and the steps to the checkout.
    fn reach(ix: &Index, facts: &Facts, r: &Reach) -> String {
        let steps: Vec<String> = r
            .steps
            .iter()
            .map(|s| match &s.kind {
                StepKind::Call(c) => ix.fns[c.index()].display.clone(),
                StepKind::Checkout(m) => format!(".{m}()"),
                StepKind::Run => "run".into(),
            })
            .collect();
        format!(
            "{} ({}) through {}",
            res(ix, facts, &r.res),
            ix.cat.kind(r.kind).kind,
            steps.join(" > ")
        )
    }

    /// Function `func`'s summary, one fact a line: what calling it checks out, and the guard
    /// or the pool it returns.
    fn summary(ix: &Index, an: &Analysis, func: &str) -> String {
        let f = fn_named(ix, func);
        let (facts, sum) = (&an.facts[f.index()], &an.summaries[f.index()]);
        let mut out: Vec<String> = sum
            .checkouts
            .iter()
            .map(|r| format!("checks out {}", reach(ix, facts, r)))
            .collect();
        if let Some((r, k)) = &sum.returns_guard {
            out.push(format!(
                "returns a guard of {} ({})",
                res(ix, facts, r),
                ix.cat.kind(*k).kind
            ));
        }
        if let Some(r) = &sum.returns_pool {
            out.push(format!("returns the pool {}", res(ix, facts, r)));
        }
        out.join("\n")
    }

    /// Checks the summary of each function named, against lines (indentation aside).
    fn check(text: &str, expected: &[(&str, &str)]) {
        let (_, ix, an) = fixture(text);
        for (func, want) in expected {
            let want: Vec<&str> = want
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(
                summary(&ix, &an, func),
                want.join("\n"),
                "summary of `{func}`"
            );
        }
    }

    /// The call events of function `func`, each with what it reaches at that call site.
    fn call_sites(ix: &Index, an: &Analysis, func: &str) -> Vec<String> {
        let cx = Ctx::of(an, fn_named(ix, func));
        (0..cx.facts.events.len())
            .map(EventId::from_index)
            .filter(|ev| matches!(cx.facts.events[ev.index()].kind, EventKind::Call { .. }))
            .map(|ev| {
                let reaches: Vec<String> = cx
                    .reaches(ev)
                    .iter()
                    .map(|r| reach(ix, cx.facts, r))
                    .collect();
                format!("call {}: [{}]", ev.index(), reaches.join(", "))
            })
            .collect()
    }

    const R2D2: &str = "
//- /app/src/main.rs crate:app
use once_cell::sync::Lazy;
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};
type DbPool = Pool<PostgresConnectionManager<NoTls>>;
type DbConn = PooledConnection<PostgresConnectionManager<NoTls>>;
static DB_POOL: Lazy<DbPool> = Lazy::new(build_pool);
fn build_pool() -> DbPool { todo!() }
";

    #[test]
    fn a_helper_that_checks_out_its_parameter_reports_that_parameter() {
        let fx = format!(
            "{R2D2}
fn load_user(pool: &DbPool, id: i64) -> Result<(), r2d2::Error> {{
    let conn = pool.get()?;
    Ok(())
}}
fn touch_user(id: i64, users: &DbPool) {{
    let conn = users.get_timeout(std::time::Duration::from_secs(1));
}}
"
        );
        check(
            &fx,
            &[
                (
                    "load_user",
                    "checks out Param(0) pool (r2d2) through .get()",
                ),
                (
                    "touch_user",
                    "checks out Param(1) users (r2d2) through .get_timeout()",
                ),
            ],
        );
    }

    #[test]
    fn a_caller_passing_a_static_pool_checks_out_that_static() {
        let fx = format!(
            "{R2D2}
fn load_user(pool: &DbPool, id: i64) -> Result<(), r2d2::Error> {{
    let conn = pool.get()?;
    Ok(())
}}
fn get_user_handler(id: i64) {{
    let user = load_user(&DB_POOL, id);
}}
"
        );
        check(
            &fx,
            &[(
                "get_user_handler",
                "checks out DB_POOL (r2d2) through load_user > .get()",
            )],
        );
        let (_, ix, an) = fixture(&fx);
        assert_eq!(
            call_sites(&ix, &an, "get_user_handler"),
            ["call 0: [DB_POOL (r2d2) through load_user > .get()]"]
        );
    }

    #[test]
    fn a_caller_passing_a_field_checks_out_that_field() {
        let fx = format!(
            "{R2D2}
fn load_user(pool: &DbPool, id: i64) -> Result<(), r2d2::Error> {{
    let conn = pool.get()?;
    Ok(())
}}
struct UserService {{ db: DbPool, cache: DbPool }}
impl UserService {{
    fn profile(&self, id: i64) {{
        load_user(&self.db, id);
    }}
    fn warm(&self) {{
        self.profile(1);
        load_user(&self.cache, 2);
    }}
}}
"
        );
        check(
            &fx,
            &[
                (
                    "UserService::profile",
                    "checks out UserService.db (r2d2) through load_user > .get()",
                ),
                (
                    "UserService::warm",
                    "
                    checks out UserService.db (r2d2) through UserService::profile > load_user > .get()
                    checks out UserService.cache (r2d2) through load_user > .get()
                    ",
                ),
            ],
        );
    }

    #[test]
    fn a_pool_returned_by_a_method_is_resolved_at_the_call_site() {
        let fx = "
//- /app/src/state.rs crate:app
use sqlx::PgPool;
pub struct AppState { db: PgPool }
impl AppState {
    pub fn pool(&self) -> &PgPool { &self.db }
}
pub async fn list_orders(state: &AppState) -> Result<(), sqlx::Error> {
    let mut conn = state.pool().acquire().await?;
    Ok(())
}
";
        check(
            fx,
            &[
                ("AppState::pool", "returns the pool AppState.db"),
                (
                    "list_orders",
                    "checks out AppState.db (sqlx) through .acquire()",
                ),
            ],
        );
        let (_, ix, an) = fixture(fx);
        let cx = Ctx::of(&an, fn_named(&ix, "list_orders"));
        // The call of `pool()` is event 0; what it returns, seen from here, is the field.
        assert!(matches!(cx.facts.events[0].kind, EventKind::Call { .. }));
        let returned = cx.resolve(&ResExpr::ReturnOf(EventId::from_index(0)), 0);
        assert_eq!(
            returned.map(|r| res_name(&ix, cx.facts, &r)).as_deref(),
            Some("AppState.db")
        );
    }

    #[test]
    fn a_pool_returned_from_a_parameter_is_the_caller_s_argument() {
        let fx = "
//- /app/src/replicas.rs crate:app
use sqlx::PgPool;
pub struct Cluster { primary: PgPool, replica: PgPool }
fn pick<'a>(primary: &'a PgPool, replica: &'a PgPool, read_only: bool) -> &'a PgPool {
    primary
}
impl Cluster {
    pub async fn report(&self) -> Result<(), sqlx::Error> {
        let pool = pick(&self.primary, &self.replica, true);
        let tx = pool.begin().await?;
        Ok(())
    }
}
";
        check(
            fx,
            &[
                // `pick` checks nothing out and calls nothing that does: only its summary
                // is kept, not its facts (so not its parameters' names).
                ("pick", "returns the pool Param(0)"),
                (
                    "Cluster::report",
                    "checks out Cluster.primary (sqlx) through .begin()",
                ),
            ],
        );
    }

    #[test]
    fn a_chain_of_two_helpers_carries_the_checkout_to_the_caller() {
        let fx = format!(
            "{R2D2}
fn fetch_row(conn_pool: &DbPool, sql: &str) {{
    let conn = conn_pool.get().unwrap();
}}
fn find_invoice(pool: &DbPool, id: i64) {{
    fetch_row(pool, \"SELECT * FROM invoices\");
}}
fn invoice_handler(id: i64) {{
    find_invoice(&DB_POOL, id);
}}
"
        );
        check(
            &fx,
            &[
                (
                    "fetch_row",
                    "checks out Param(0) conn_pool (r2d2) through .get()",
                ),
                (
                    "find_invoice",
                    "checks out Param(0) pool (r2d2) through fetch_row > .get()",
                ),
                (
                    "invoice_handler",
                    "checks out DB_POOL (r2d2) through find_invoice > fetch_row > .get()",
                ),
            ],
        );
    }

    #[test]
    fn a_guard_returned_by_a_helper_is_a_guard_of_the_caller_s_pool() {
        let fx = format!(
            "{R2D2}
fn conn(p: &DbPool) -> DbConn {{
    p.get().unwrap()
}}
struct OrderRepo {{ db: DbPool }}
impl OrderRepo {{
    fn save(&self) {{
        let c = conn(&self.db);
    }}
}}
"
        );
        check(
            &fx,
            &[
                (
                    "conn",
                    "
                    checks out Param(0) p (r2d2) through .get()
                    returns a guard of Param(0) p (r2d2)
                    ",
                ),
                (
                    "OrderRepo::save",
                    "checks out OrderRepo.db (r2d2) through conn > .get()",
                ),
            ],
        );
        let (_, ix, an) = fixture(&fx);
        let cx = Ctx::of(&an, fn_named(&ix, "OrderRepo::save"));
        let (b, _) = cx
            .facts
            .bindings
            .iter()
            .enumerate()
            .find(|(_, b)| b.name.as_deref() == Some("c"))
            .expect("the binding `c`");
        let (r, k) = cx.guard(BindingId::from_index(b)).expect("`c` is a guard");
        assert_eq!(res_name(&ix, cx.facts, &r), "OrderRepo.db");
        assert_eq!(ix.cat.kind(k).kind, "r2d2");
    }

    #[test]
    fn a_recursive_pair_of_functions_still_summarizes() {
        let fx = format!(
            "{R2D2}
fn sync_tree(pool: &DbPool, node: i64) {{
    sync_children(pool, node);
}}
fn sync_children(pool: &DbPool, node: i64) {{
    let conn = pool.get().unwrap();
    for child in [node + 1, node + 2] {{
        sync_tree(pool, child);
    }}
}}
fn nightly_sync() {{
    sync_tree(&DB_POOL, 0);
}}
"
        );
        check(
            &fx,
            &[
                (
                    "sync_children",
                    "checks out Param(0) pool (r2d2) through .get()",
                ),
                (
                    "sync_tree",
                    "checks out Param(0) pool (r2d2) through sync_children > .get()",
                ),
                (
                    "nightly_sync",
                    "checks out DB_POOL (r2d2) through sync_tree > sync_children > .get()",
                ),
            ],
        );
    }

    #[test]
    fn a_pool_made_inside_the_caller_stays_out_of_its_summary() {
        let fx = format!(
            "{R2D2}
fn load_user(pool: &DbPool, id: i64) -> Result<(), r2d2::Error> {{
    let conn = pool.get()?;
    Ok(())
}}
fn migrate(manager: PostgresConnectionManager<NoTls>) {{
    let scratch = r2d2::Pool::new(manager).unwrap();
    load_user(&scratch, 1);
}}
"
        );
        // At the call site the checkout is of the local pool; nothing outside `migrate` can
        // hold that pool, so calling `migrate` checks nothing out.
        check(&fx, &[("migrate", "")]);
        let (_, ix, an) = fixture(&fx);
        assert_eq!(
            call_sites(&ix, &an, "migrate"),
            ["call 0: [scratch (r2d2) through load_user > .get()]"]
        );
    }
}
