// `let mut conn = conn;` (re-binding a guard under the same name, to make it mutable) moves it, it
// does not drop it: `count_pending(&pool)` still runs while the connection is checked out.
use sqlx::{pool::PoolConnection, PgPool, Postgres};

async fn count_pending(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(pool)
        .await
}

pub async fn flush_outbox(pool: PgPool, batch: i64) -> Result<(u64, i64), sqlx::Error> {
    let conn: PoolConnection<Postgres> = pool.acquire().await?;
    let mut conn = conn;
    let sent = sqlx::query(
        "UPDATE outbox SET sent_at = now()
          WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1)",
    )
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    let remaining = count_pending(&pool).await?; //~ nested_checkout
    Ok((sent.rows_affected(), remaining))
}
