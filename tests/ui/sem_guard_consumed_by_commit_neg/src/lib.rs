use sqlx::{PgPool, Postgres, Transaction};

#[derive(Debug, thiserror::Error)]
pub enum FulfillmentError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("order {0} is not paid")]
    NotPaid(i64),
}

pub async fn ship_order(pool: &PgPool, order_id: i64, carrier: &str) -> Result<i64, FulfillmentError> {
    let mut tx = pool.begin().await?;
    let paid: bool = sqlx::query_scalar("SELECT paid_at IS NOT NULL FROM orders WHERE id = $1 FOR UPDATE")
        .bind(order_id)
        .fetch_one(&mut *tx)
        .await?;
    if !paid {
        tx.rollback().await?;
        record_failed_attempt(pool, order_id, "not_paid").await?;
        return Err(FulfillmentError::NotPaid(order_id));
    }

    let shipment_id: i64 = sqlx::query_scalar("INSERT INTO shipments (order_id, carrier) VALUES ($1, $2) RETURNING id")
        .bind(order_id)
        .bind(carrier)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;

    publish_event(pool, order_id, "order.shipped").await?;
    Ok(shipment_id)
}

pub async fn split_shipment(pool: &PgPool, order_id: i64, line_ids: &[i64]) -> Result<i64, FulfillmentError> {
    let mut tx = pool.begin().await?;
    let shipment_id: i64 = sqlx::query_scalar("INSERT INTO shipments (order_id, carrier) VALUES ($1, 'pending') RETURNING id")
        .bind(order_id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE order_lines SET shipment_id = $1 WHERE id = ANY($2)")
        .bind(shipment_id)
        .bind(line_ids)
        .execute(&mut *tx)
        .await?;
    finalize_shipment(tx, shipment_id).await?;

    publish_event(pool, order_id, "order.split").await?;
    Ok(shipment_id)
}

async fn finalize_shipment(mut tx: Transaction<'static, Postgres>, shipment_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE shipments SET ready_at = now() WHERE id = $1")
        .bind(shipment_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

async fn record_failed_attempt(pool: &PgPool, order_id: i64, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO fulfillment_failures (order_id, reason) VALUES ($1, $2)")
        .bind(order_id)
        .bind(reason)
        .execute(pool)
        .await?;
    Ok(())
}

async fn publish_event(pool: &PgPool, order_id: i64, kind: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO event_outbox (aggregate_id, kind) VALUES ($1, $2)")
        .bind(order_id)
        .bind(kind)
        .execute(pool)
        .await?;
    Ok(())
}
