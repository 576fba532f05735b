//! Order endpoints.

use sqlx::PgPool;

pub struct OrderInput {
    pub customer_id: i64,
    pub total_cents: i64,
}

pub async fn place_order(pool: &PgPool, input: OrderInput) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let (order_id,): (i64,) =
        sqlx::query_as("INSERT INTO orders (customer_id, total_cents) VALUES ($1, $2) RETURNING id")
            .bind(input.customer_id)
            .bind(input.total_cents)
            .fetch_one(&mut *tx)
            .await?;
    // The audit line goes through the pool while the order's transaction is still open.
    store::record_audit(pool, input.customer_id, "order.placed").await?; //~ nested_checkout
    tx.commit().await?;
    Ok(order_id)
}

pub async fn cancel_order(pool: &PgPool, order_id: i64, actor: i64) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1")
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // After the commit: the connection is back in the pool.
    store::record_audit(pool, actor, "order.cancelled").await
}
