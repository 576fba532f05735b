// `try_begin` checks out like `begin`: `nightly_cleanup` holds the `Some(tx)` it got (through
// `let ... else`) and awaits `purge_orphan_uploads(pool)`, which runs a query on the same pool.
use sqlx::PgPool;

async fn purge_orphan_uploads(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM uploads WHERE owner_id IS NULL AND created_at < now() - interval '1 day'",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

pub async fn nightly_cleanup(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let Some(mut tx) = pool.try_begin().await? else {
        tracing::info!("cleanup skipped: no idle connection");
        return Ok(0);
    };
    let expired = sqlx::query("DELETE FROM sessions WHERE expires_at < now()")
        .execute(&mut *tx)
        .await?;
    let orphans = purge_orphan_uploads(pool).await?; //~ nested_checkout
    tx.commit().await?;
    Ok(expired.rows_affected() + orphans)
}
