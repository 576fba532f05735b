// A future built before the transaction is awaited while it is open: `audit::record(&pool, ..)` is
// lazy, so its `begin()` on the same pool runs at the `.await`, under `tx`. The call is built on
// the `let` line, evaluated under the guard at the `.await` line (the one marked).
use sqlx::PgPool;

mod audit {
    use sqlx::PgPool;

    pub async fn record(pool: &PgPool, actor: i64, action: &str) -> Result<(), sqlx::Error> {
        let mut tx = pool.begin().await?;
        sqlx::query("INSERT INTO audit_log (actor_id, action) VALUES ($1, $2)")
            .bind(actor)
            .bind(action)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}

pub async fn suspend_user(pool: PgPool, admin_id: i64, user_id: i64) -> Result<(), sqlx::Error> {
    let audit_entry = audit::record(&pool, admin_id, "user.suspend");
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET suspended_at = now() WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let audited = audit_entry.await; //~ nested_checkout
    tx.commit().await?;
    audited
}
