use crate::PgPool;

pub async fn issue(pool: &PgPool, customer_id: i64, amount_cents: i64) -> anyhow::Result<i64> {
    let mut conn = pool.get().await?;
    let tx = conn.transaction().await?;
    let credit = super::queries::customer_credit(pool, customer_id).await?; //~ nested_checkout
    let due = (amount_cents - credit).max(0);
    let row = tx
        .query_one(
            "INSERT INTO invoices (customer_id, amount_cents, due_cents) VALUES ($1, $2, $3) RETURNING id",
            &[&customer_id, &amount_cents, &due],
        )
        .await?;
    let invoice_id: i64 = row.get(0);
    tx.execute(
        "UPDATE credit_notes SET applied_to = $2 WHERE customer_id = $1 AND applied_to IS NULL",
        &[&customer_id, &invoice_id],
    )
    .await?;
    tx.commit().await?;
    Ok(invoice_id)
}
