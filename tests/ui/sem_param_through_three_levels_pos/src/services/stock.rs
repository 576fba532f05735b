use deadpool_postgres::Pool;

use crate::error::ApiError;

pub async fn hold_units(sku: &str, qty: i32, order_id: i64, source: &Pool) -> Result<bool, ApiError> {
    let client = source.get().await?;
    let stmt = client
        .prepare_cached(
            "WITH s AS (UPDATE stock_levels SET reserved = reserved + $2 WHERE sku = $1 AND on_hand - reserved >= $2 RETURNING sku) \
             INSERT INTO reservations (order_id, sku, qty) SELECT $3, sku, $2 FROM s",
        )
        .await?;
    let inserted = client.execute(&stmt, &[&sku, &qty, &order_id]).await?;
    Ok(inserted == 1)
}
