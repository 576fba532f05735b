// `AnyPool` (a CLI that supports several databases) is a sqlx pool too: `record_run` holds
// `pool.begin()` and awaits `current_version(pool)`, which runs `fetch_optional(pool)` on it.
use sqlx::AnyPool;

async fn current_version(pool: &AnyPool) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(version) FROM schema_history WHERE success = 1")
        .fetch_optional(pool)
        .await
}

pub async fn record_run(pool: &AnyPool, script: &str, checksum: &str) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO schema_runs (script, checksum) VALUES ($1, $2)")
        .bind(script)
        .bind(checksum)
        .execute(&mut *tx)
        .await?;
    let next = current_version(pool).await?.unwrap_or(0) + 1; //~ nested_checkout
    sqlx::query("INSERT INTO schema_history (version, script, success) VALUES ($1, $2, 1)")
        .bind(next)
        .bind(script)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(next)
}
