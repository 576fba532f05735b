use std::sync::Arc;

use crate::AppState;

pub async fn issue_full_refund(state: Arc<AppState>, order_id: i64) -> Result<(), sqlx::Error> {
    let mut conn = state.db.acquire().await?;
    sqlx::query(
        "INSERT INTO refunds (order_id, amount_cents) SELECT id, total_cents FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
