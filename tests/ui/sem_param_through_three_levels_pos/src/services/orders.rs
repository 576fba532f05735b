use deadpool_postgres::Pool;

use super::inventory;
use crate::error::ApiError;
use crate::handlers::LineItem;

pub async fn reserve_items(order_id: i64, items: &[LineItem], pool: &Pool) -> Result<(), ApiError> {
    for item in items {
        inventory::reserve(pool, &item.sku, item.qty, order_id).await?;
    }
    Ok(())
}
