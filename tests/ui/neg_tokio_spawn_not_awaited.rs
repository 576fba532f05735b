// Negative: the webhook delivery is moved into `tokio::spawn` and not awaited here, so it does not
// run under this task's transaction; it checks out on its own task, and the handler never waits on it.
use sqlx::PgPool;

mod webhooks {
    use sqlx::PgPool;

    pub async fn deliver(pool: &PgPool, order_id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO webhook_deliveries (event, order_id) VALUES ('order.shipped', $1)")
            .bind(order_id)
            .execute(pool)
            .await?;
        Ok(())
    }
}

pub async fn mark_shipped(pool: PgPool, order_id: i64, tracking: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE orders SET state = 'shipped', tracking_no = $2 WHERE id = $1")
        .bind(order_id)
        .bind(tracking)
        .execute(&mut *tx)
        .await?;
    let background = pool.clone();
    tokio::spawn(async move {
        if let Err(err) = webhooks::deliver(&background, order_id).await {
            tracing::warn!(%err, order_id, "webhook delivery failed");
        }
    });
    sqlx::query("INSERT INTO order_events (order_id, kind) VALUES ($1, 'shipped')")
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
