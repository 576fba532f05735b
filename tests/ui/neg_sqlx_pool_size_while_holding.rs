// Negative: `pool.size()`, `pool.num_idle()` and `pool.is_closed()` only read the pool's counters;
// reading them while a transaction is open is not a checkout.
use sqlx::PgPool;

pub async fn rebalance_shards(pool: &PgPool, shard_count: i32) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    tracing::debug!(size = pool.size(), idle = pool.num_idle(), "pool before rebalance");
    if pool.is_closed() {
        return Err(sqlx::Error::PoolClosed);
    }
    let moved = sqlx::query(
        "UPDATE tenants
            SET shard = abs(hashtext(slug)) % $1
          WHERE shard <> abs(hashtext(slug)) % $1",
    )
    .bind(shard_count)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE shard_config SET shard_count = $1, rebalanced_at = now()")
        .bind(shard_count)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(moved.rows_affected())
}
