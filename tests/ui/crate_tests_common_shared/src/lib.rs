//! Invoices and the customers they are billed to.

use sqlx::PgPool;

pub async fn open_invoice(pool: &PgPool, customer_id: i64) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO invoices (customer_id) VALUES ($1) RETURNING id")
        .bind(customer_id)
        .fetch_one(pool)
        .await?;
    Ok(id)
}
