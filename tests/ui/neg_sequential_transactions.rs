// Negative: two transactions in sequence. The first is committed (its connection returned) before
// the second `pool.begin()`, so at most one connection of the pool is held at a time.
use sqlx::PgPool;

pub async fn archive_month(pool: &PgPool, month: &str) -> Result<(u64, u64), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let copied = sqlx::query(
        "INSERT INTO events_archive SELECT * FROM events WHERE to_char(created_at, 'YYYY-MM') = $1",
    )
    .bind(month)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    let mut tx = pool.begin().await?;
    let deleted = sqlx::query("DELETE FROM events WHERE to_char(created_at, 'YYYY-MM') = $1")
        .bind(month)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO archive_runs (month, copied, deleted) VALUES ($1, $2, $3)")
        .bind(month)
        .bind(copied.rows_affected() as i64)
        .bind(deleted.rows_affected() as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((copied.rows_affected(), deleted.rows_affected()))
}
