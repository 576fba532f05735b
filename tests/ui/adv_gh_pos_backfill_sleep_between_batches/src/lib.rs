use std::time::Duration;

use sqlx::PgPool;

const BATCH_SIZE: i64 = 500;

/// Fills `articles.search_vector` for rows imported before the trigger existed.
pub async fn backfill_search_vectors(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL lock_timeout = '2s'")
        .execute(&mut *tx)
        .await?;

    let mut total = 0u64;
    let mut last_id = 0i64;
    loop {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM articles WHERE id > $1 AND search_vector IS NULL ORDER BY id LIMIT $2",
        )
        .bind(last_id)
        .bind(BATCH_SIZE)
        .fetch_all(&mut *tx)
        .await?;
        let Some(&max_id) = ids.last() else {
            break;
        };

        let done = sqlx::query(
            "UPDATE articles SET search_vector = to_tsvector('english', title || ' ' || body) \
             WHERE id = ANY($1)",
        )
        .bind(&ids)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        total += done;
        last_id = max_id;
        tracing::info!(total, last_id, "backfilled batch");

        // give autovacuum and the replicas some room between batches
        tokio::time::sleep(Duration::from_millis(250)).await; //~ guard_held_across_await
    }

    tx.commit().await?;
    Ok(total)
}
