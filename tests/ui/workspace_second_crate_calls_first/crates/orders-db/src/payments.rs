use sqlx::PgPool;

pub async fn mark_paid(pool: &PgPool, order_id: i64, provider_ref: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE orders SET paid_at = now(), provider_ref = $2 WHERE id = $1 AND paid_at IS NULL",
    )
    .bind(order_id)
    .bind(provider_ref)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
