//! Scopes and live ranges: variables and their shadowing, the guards a scope owns, the
//! temporaries of a statement, and where each guard's live range ends.

use super::{Val, Var, Walker};
use crate::analysis::facts::{Binding, Res, ResExpr, OPEN};
use crate::analysis::facts::{BindingId, EventId};
use crate::base::source::Span;
use crate::config::known;
use crate::index::TyK;
use crate::index::TypeId;
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
        // A variant of a workspace enum (`DbPool::Pool(p)`): each field its own type; a
        // variant's only field is where the matched value is.
        let variant = match pat {
            Pat::TupleStruct { path, .. } | Pat::Struct { path, .. } => self.variant(path),
            _ => None,
        };
        match (pat, variant) {
            (Pat::TupleStruct { elems, .. }, Some(tv)) => {
                let fields = elems.iter().enumerate().map(|(i, p)| (i.to_string(), p));
                return self.bind_variant(tv, fields, val);
            }
            (Pat::Struct { fields, .. }, Some(tv)) => {
                let fields = fields.iter().map(|(n, p)| (n.clone(), p));
                return self.bind_variant(tv, fields, val);
            }
            _ => {}
        }
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

    fn bind_variant<'p>(
        &mut self,
        (t, v): (TypeId, usize),
        fields: impl ExactSizeIterator<Item = (String, &'p Pat)>,
        val: Val,
    ) {
        let one = fields.len() == 1;
        for (name, p) in fields {
            let ty = self.variant_field(t, v, &name).unwrap_or(TyK::Unknown);
            let field = if one {
                Val { ty, ..val.clone() }
            } else {
                Val::of(ty, None)
            };
            self.bind_pat(p, field);
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

#[cfg(test)]
mod tests {
    use crate::analysis::{fixture, fn_named, BindingId, Ctx, EventId, EventKind};
    use crate::base::source::Span;

    /// Checks the guards of function `func` in the fixture, one a line (indentation aside):
    /// its name (`_` for a temporary), the checkout or call it comes from, where its live
    /// range ends (lines count from the line after the file's `//-` header), and the
    /// checkouts, calls and runs of stored bodies evaluated while it is held.
    fn check(text: &str, func: &str, expected: &str) {
        let expected: Vec<&str> = expected
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(live_ranges(text, func), expected.join("\n"), "in `{func}`");
    }

    fn live_ranges(text: &str, func: &str) -> String {
        let (_, ix, an) = fixture(text);
        // Parsing released the texts, and a fixture has no file to read them back from: the
        // same files, unparsed, to show them.
        let sources = crate::load::fixture::workspace(text).sources;
        let snippet = |span: Span| sources.get(span.file).snippet(span);
        let cx = Ctx::of(&an, fn_named(&ix, func));
        let facts = cx.facts;
        let mut out = Vec::new();
        for (i, b) in facts.bindings.iter().enumerate() {
            if cx.guard(BindingId::from_index(i)).is_none() {
                continue;
            }
            let file = sources.get(b.end_span.file);
            let (line, col) = file.line_col(b.end_span.lo);
            let end = match snippet(b.end_span) {
                "" => {
                    let before: String = file.line_text(line).chars().take(col - 1).collect();
                    format!("after `{}` on line {line}", before.trim())
                }
                s => format!("`{s}` on line {line}"),
            };
            let held: Vec<String> = (0..facts.events.len())
                .map(EventId::from_index)
                .filter(|&ev| b.covers(ev, facts.events[ev.index()].frame))
                .filter_map(|ev| {
                    let e = &facts.events[ev.index()];
                    match e.kind {
                        EventKind::Checkout { .. } | EventKind::Call { .. } => {
                            Some(snippet(e.span).to_string())
                        }
                        EventKind::Run { .. } => Some(format!("run {}", snippet(e.span))),
                        EventKind::Await { .. } | EventKind::Build { .. } => None,
                    }
                })
                .collect();
            out.push(format!(
                "{} = {} until {end}: [{}]",
                b.name.as_deref().unwrap_or("_"),
                snippet(facts.events[b.source.index()].span),
                held.join(", ")
            ));
        }
        out.join("\n")
    }

    #[test]
    fn a_guard_is_held_to_the_end_of_its_block() {
        let fx = r#"
//- /app/src/main.rs crate:app
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};
type DbPool = Pool<PostgresConnectionManager<NoTls>>;
fn record_login(user_id: i64) {}
fn send_welcome_mail(user_id: i64) {}
fn load_user(pool: &DbPool, user_id: i64) -> Result<(), r2d2::Error> {
    let conn = pool.get()?;
    record_login(user_id);
    {
        let audit = pool.get().unwrap();
        record_login(0);
    }
    send_welcome_mail(user_id);
    Ok(())
}
"#;
        check(
            fx,
            "load_user",
            r#"
            conn = pool.get() until `}` on line 15: [record_login(user_id), pool.get(), record_login(0), send_welcome_mail(user_id)]
            audit = pool.get() until `}` on line 12: [record_login(0)]
            "#,
        );
    }

    /// The start of the r2d2 fixtures: a pool type the catalogue knows, behind an alias, and
    /// functions to call under a guard. Twelve lines and a blank one: a function appended
    /// after it starts on line 14.
    const R2D2: &str = "
//- /app/src/main.rs crate:app
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};
type DbPool = Pool<PostgresConnectionManager<NoTls>>;
type DbConn = PooledConnection<PostgresConnectionManager<NoTls>>;
fn audit(action: &str) {}
fn archive(conn: DbConn) {}
fn inspect(conn: &DbConn) {}
struct SessionStore;
impl SessionStore {
    fn keep_connection(&self, conn: DbConn) {}
    fn touch(&self, conn: &DbConn) {}
}
";

    #[test]
    fn drop_ends_a_guard() {
        let fx = format!(
            "{R2D2}
fn close_account(pool: &DbPool) -> Result<(), r2d2::Error> {{
    let conn = pool.get()?;
    audit(\"closing\");
    drop(conn);
    audit(\"closed\");
    Ok(())
}}
"
        );
        check(
            &fx,
            "close_account",
            r#"conn = pool.get() until `drop(conn)` on line 17: [audit("closing")]"#,
        );
    }

    #[test]
    fn a_guard_moved_into_a_call_ends_after_it() {
        let fx = format!(
            "{R2D2}
fn rotate_session(pool: &DbPool, sessions: &SessionStore) -> Result<(), r2d2::Error> {{
    let old = pool.get()?;
    inspect(&old);
    archive(old);
    audit(\"archived\");
    let fresh = pool.get()?;
    sessions.touch(&fresh);
    sessions.keep_connection(fresh);
    audit(\"kept\");
    Ok(())
}}
"
        );
        // Lent (`&old`) it stays held; given by value, the call is the last thing under it.
        check(
            &fx,
            "rotate_session",
            r#"
            old = pool.get() until `archive(old)` on line 17: [inspect(&old), archive(old)]
            fresh = pool.get() until `sessions.keep_connection(fresh)` on line 21: [sessions.touch(&fresh), sessions.keep_connection(fresh)]
            "#,
        );
    }

    #[test]
    fn a_shadowed_guard_is_still_held_to_the_end_of_its_block() {
        let fx = format!(
            "{R2D2}
fn copy_settings(pool: &DbPool) -> Result<(), r2d2::Error> {{
    let conn = pool.get()?;
    audit(\"read\");
    let conn = pool.get()?;
    audit(\"write\");
    Ok(())
}}
"
        );
        // Shadowing hides the first guard's name, it does not drop it: the second checkout
        // happens under it.
        check(
            &fx,
            "copy_settings",
            r#"
            conn = pool.get() until `}` on line 20: [audit("read"), pool.get(), audit("write")]
            conn = pool.get() until `}` on line 20: [audit("write")]
            "#,
        );
    }

    #[test]
    fn reassigning_a_guard_variable_ends_the_old_guard() {
        let fx = format!(
            "{R2D2}
fn reconnect(pool: &DbPool) -> Result<(), r2d2::Error> {{
    let mut conn = pool.get()?;
    audit(\"stale\");
    conn = pool.get()?;
    audit(\"fresh\");
    Ok(())
}}
"
        );
        // The old value is dropped when the new one is stored, after the checkout.
        check(
            &fx,
            "reconnect",
            r#"
            conn = pool.get() until `conn = pool.get()?` on line 17: [audit("stale"), pool.get()]
            conn = pool.get() until `}` on line 20: [audit("fresh")]
            "#,
        );
    }

    #[test]
    fn a_guard_returned_from_a_block_is_held_by_the_let() {
        let fx = format!(
            "{R2D2}
fn warm_cache(pool: &DbPool) -> Result<(), r2d2::Error> {{
    let conn = {{ pool.get()? }};
    audit(\"warming\");
    let primed = {{
        audit(\"priming\");
        pool.get()?
    }};
    audit(\"primed\");
    Ok(())
}}
"
        );
        check(
            &fx,
            "warm_cache",
            r#"
            conn = pool.get() until `}` on line 23: [audit("warming"), audit("priming"), pool.get(), audit("primed")]
            primed = pool.get() until `}` on line 23: [audit("primed")]
            "#,
        );
    }

    #[test]
    fn a_guard_taken_inside_an_if_branch_ends_with_the_branch() {
        let fx = format!(
            "{R2D2}
fn refresh_profile(pool: &DbPool, stale: bool) -> Result<(), r2d2::Error> {{
    if stale {{
        let conn = pool.get()?;
        audit(\"reloading\");
    }} else {{
        audit(\"fresh\");
    }}
    audit(\"done\");
    Ok(())
}}
"
        );
        check(
            &fx,
            "refresh_profile",
            r#"conn = pool.get() until `}` on line 18: [audit("reloading")]"#,
        );
    }

    #[test]
    fn a_guard_out_of_the_then_branch_is_not_held_in_the_else() {
        let fx = format!(
            "{R2D2}
fn checkout_cart(pool: &DbPool, healthy: bool) -> Result<(), r2d2::Error> {{
    let conn = if healthy {{ pool.get()? }} else {{ audit(\"degraded\"); return Ok(()) }};
    audit(\"checked out\");
    Ok(())
}}
"
        );
        // `audit("degraded")` comes after the checkout and before the end, in a hole.
        check(
            &fx,
            "checkout_cart",
            r#"conn = pool.get() until `}` on line 18: [audit("checked out")]"#,
        );
        // Events: the checkout (0), `audit("degraded")` (1), `audit("checked out")` (2).
        let (_, ix, an) = fixture(&fx);
        let facts = &an.facts[fn_named(&ix, "checkout_cart").index()];
        assert_eq!(
            facts.bindings[0].holes,
            [(EventId::from_index(1), EventId::from_index(2))]
        );
    }

    #[test]
    fn a_guard_out_of_one_match_arm_is_not_held_in_the_later_arms() {
        let fx = format!(
            "{R2D2}
fn route(pool: &DbPool, admin: bool) -> Result<(), r2d2::Error> {{
    let conn = match admin {{
        true => pool.get()?,
        false => {{
            audit(\"forbidden\");
            return Ok(());
        }}
    }};
    audit(\"routed\");
    Ok(())
}}
"
        );
        check(
            &fx,
            "route",
            r#"conn = pool.get() until `}` on line 24: [audit("routed")]"#,
        );
    }

    #[test]
    fn a_temporary_guard_ends_with_its_statement() {
        let fx = format!(
            "{R2D2}
fn rename_user(pool: &DbPool) -> Result<(), r2d2::Error> {{
    pool.get()?.execute(\"UPDATE users SET name = $1\", &[]);
    audit(\"renamed\");
    let count = pool.get()?.query_one(\"SELECT count(*) FROM users\", &[]);
    audit(\"counted\");
    Ok(())
}}
"
        );
        check(
            &fx,
            "rename_user",
            r#"
            _ = pool.get() until after `pool.get()?.execute("UPDATE users SET name = $1", &[])` on line 15: []
            _ = pool.get() until after `let count = pool.get()?.query_one("SELECT count(*) FROM users", &[]);` on line 17: []
            "#,
        );
    }

    #[test]
    fn an_extended_borrow_of_a_temporary_guard_lives_as_long_as_its_variable() {
        let fx = format!(
            "{R2D2}
fn import_rows(pool: &DbPool) -> Result<(), r2d2::Error> {{
    let conn = &mut *pool.get()?;
    audit(\"importing\");
    Ok(())
}}
"
        );
        check(
            &fx,
            "import_rows",
            r#"conn = pool.get() until `}` on line 18: [audit("importing")]"#,
        );
    }

    #[test]
    fn an_if_let_scrutinee_guard_lives_through_the_else_before_edition_2024() {
        let fx = "
//- /app/src/main.rs crate:app edition:2021
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};
fn audit(action: &str) {}
fn find_order(pool: &Pool<PostgresConnectionManager<NoTls>>) -> Result<(), r2d2::Error> {
    if let Ok(row) = pool.get()?.query_one(\"SELECT 1\", &[]) {
        audit(\"found\");
    } else {
        audit(\"missing\");
    }
    audit(\"done\");
    Ok(())
}
";
        check(
            fx,
            "find_order",
            r#"_ = pool.get() until after `}` on line 9: [audit("found"), audit("missing")]"#,
        );
    }

    #[test]
    fn an_if_let_scrutinee_guard_ends_with_the_then_block_from_edition_2024() {
        let fx = "
//- /app/src/main.rs crate:app edition:2024
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};
fn audit(action: &str) {}
fn find_order(pool: &Pool<PostgresConnectionManager<NoTls>>) -> Result<(), r2d2::Error> {
    if let Ok(row) = pool.get()?.query_one(\"SELECT 1\", &[]) {
        audit(\"found\");
    } else {
        audit(\"missing\");
    }
    audit(\"done\");
    Ok(())
}
";
        check(
            fx,
            "find_order",
            r#"_ = pool.get() until `}` on line 7: [audit("found")]"#,
        );
    }

    #[test]
    fn a_match_scrutinee_guard_lives_through_every_arm() {
        let fx = format!(
            "{R2D2}
fn load_invoice(pool: &DbPool) -> Result<(), r2d2::Error> {{
    match pool.get()?.query_one(\"SELECT 1\", &[]) {{
        Ok(_) => audit(\"loaded\"),
        Err(_) => audit(\"failed\"),
    }}
    audit(\"done\");
    Ok(())
}}
"
        );
        check(
            &fx,
            "load_invoice",
            r#"_ = pool.get() until after `}` on line 18: [audit("loaded"), audit("failed")]"#,
        );
    }

    /// The start of the sqlx fixtures: four lines and a blank one, so a function appended
    /// after it starts on line 6.
    const SQLX: &str = "
//- /app/src/orders.rs crate:app
use sqlx::PgPool;
async fn insert_order(tx: &mut sqlx::PgConnection, id: i64) -> Result<(), sqlx::Error> { Ok(()) }
async fn publish_event(id: i64) {}
fn log_event(id: i64) {}
";

    #[test]
    fn commit_ends_a_transaction_guard() {
        let fx = format!(
            "{SQLX}
async fn place_order(pool: &PgPool, id: i64) -> Result<(), sqlx::Error> {{
    let mut tx = pool.begin().await?;
    insert_order(&mut tx, id).await?;
    tx.commit().await?;
    publish_event(id).await;
    Ok(())
}}
"
        );
        check(
            &fx,
            "place_order",
            "tx = pool.begin() until `tx.commit()` on line 9: [insert_order(&mut tx, id)]",
        );
    }

    #[test]
    fn an_async_block_s_own_guard_ends_with_the_block() {
        let fx = format!(
            "{SQLX}
async fn sync_inventory(pool: &PgPool) -> Result<(), sqlx::Error> {{
    let batch = async {{
        let conn = pool.acquire().await?;
        log_event(1);
        Ok::<(), sqlx::Error>(())
    }}.await?;
    log_event(2);
    Ok(())
}}
"
        );
        check(
            &fx,
            "sync_inventory",
            "conn = pool.acquire() until `}` on line 11: [log_event(1)]",
        );
    }

    #[test]
    fn a_closure_s_own_guard_is_held_only_inside_it() {
        let fx = format!(
            "{R2D2}
fn nightly_report(pool: &DbPool) -> Result<(), r2d2::Error> {{
    let summarize = || {{
        let conn = pool.get().unwrap();
        audit(\"summarizing\");
    }};
    audit(\"starting\");
    let conn = pool.get()?;
    summarize();
    audit(\"done\");
    Ok(())
}}
"
        );
        // The closure's body runs where it is called: the outer guard is held over that run,
        // not over the closure's own events (another frame).
        check(
            &fx,
            "nightly_report",
            r#"
            conn = pool.get() until `}` on line 18: [audit("summarizing")]
            conn = pool.get() until `}` on line 24: [run summarize(), audit("done")]
            "#,
        );
    }

    #[test]
    fn a_spawned_task_s_guard_is_held_only_on_that_task() {
        let fx = format!(
            "{SQLX}
async fn ship_order(pool: PgPool, id: i64) -> Result<(), sqlx::Error> {{
    let conn = pool.acquire().await?;
    tokio::spawn(async move {{
        let tx = pool.begin().await;
        log_event(id);
    }});
    log_event(0);
    Ok(())
}}
"
        );
        check(
            &fx,
            "ship_order",
            r#"
            conn = pool.acquire() until `}` on line 14: [log_event(0)]
            tx = pool.begin() until `}` on line 11: [log_event(id)]
            "#,
        );
    }
}
