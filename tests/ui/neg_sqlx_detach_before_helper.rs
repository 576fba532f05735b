// Negative: `conn.detach()` consumes the `PoolConnection` and frees its slot, so by the time
// `load_checkpoints(pool)` queries the pool, this function holds no pooled connection.
use sqlx::{PgConnection, PgPool};

async fn load_checkpoints(pool: &PgPool, stream: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT position FROM checkpoints WHERE stream = $1 ORDER BY position")
        .bind(stream)
        .fetch_all(pool)
        .await
}

pub struct Replicator {
    pub conn: PgConnection,
    pub checkpoints: Vec<i64>,
}

/// The replicator keeps its session for hours; it must not count against the request pool.
pub async fn start_replicator(pool: &PgPool, stream: &str) -> Result<Replicator, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SET application_name = 'replicator'")
        .execute(&mut *conn)
        .await?;
    let conn: PgConnection = conn.detach();
    let checkpoints = load_checkpoints(pool, stream).await?;
    Ok(Replicator { conn, checkpoints })
}
