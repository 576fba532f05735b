use deadpool_postgres::Pool;

use super::stock;
use crate::error::ApiError;

pub async fn reserve(db: &Pool, sku: &str, qty: i32, order_id: i64) -> Result<(), ApiError> {
    let held = stock::hold_units(sku, qty, order_id, db).await?;
    if !held {
        return Err(ApiError::OutOfStock(sku.to_string()));
    }
    Ok(())
}
