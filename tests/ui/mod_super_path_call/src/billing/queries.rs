use crate::PgPool;

/// Unused credit notes of a customer, in cents.
pub async fn customer_credit(pool: &PgPool, customer_id: i64) -> anyhow::Result<i64> {
    let conn = pool.get().await?;
    let row = conn
        .query_one(
            "SELECT coalesce(sum(amount_cents), 0)::bigint FROM credit_notes
              WHERE customer_id = $1 AND applied_to IS NULL",
            &[&customer_id],
        )
        .await?;
    Ok(row.get(0))
}
