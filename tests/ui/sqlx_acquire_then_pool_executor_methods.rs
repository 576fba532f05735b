// sqlx `Executor` methods called on the pool itself check out: `rebuild_search_index` holds
// `pool.acquire()` and runs `pool.fetch_one(..)` and `pool.execute(..)`, each a second connection.
use sqlx::{Executor, PgPool, Row};

pub async fn rebuild_search_index(pool: &PgPool) -> Result<i64, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    conn.execute("SET maintenance_work_mem = '512MB'").await?;
    let pending = pool.fetch_one(sqlx::query("SELECT count(*) FROM documents WHERE indexed_at IS NULL")).await?; //~ nested_checkout
    let pending: i64 = pending.get(0);
    sqlx::query(
        "UPDATE documents
            SET search_vector = to_tsvector('english', title || ' ' || body),
                indexed_at = now()
          WHERE indexed_at IS NULL",
    )
    .execute(&mut *conn)
    .await?;
    pool.execute("ANALYZE documents").await?; //~ nested_checkout
    Ok(pending)
}
