// Negative: every query while the transaction is open runs on it (`execute(&mut *tx)`,
// `fetch_one(&mut *tx)`, and `tx.execute(..)` through Deref): none of them checks out from the pool.
use sqlx::{Executor, PgPool};

pub async fn merge_customers(pool: &PgPool, keep_id: i64, drop_id: i64) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    tx.execute("SET LOCAL lock_timeout = '5s'").await?;
    let moved: i64 = sqlx::query_scalar(
        "WITH moved AS (UPDATE orders SET customer_id = $1 WHERE customer_id = $2 RETURNING 1)
         SELECT count(*) FROM moved",
    )
    .bind(keep_id)
    .bind(drop_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE addresses SET customer_id = $1 WHERE customer_id = $2")
        .bind(keep_id)
        .bind(drop_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM customers WHERE id = $1")
        .bind(drop_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(moved)
}
