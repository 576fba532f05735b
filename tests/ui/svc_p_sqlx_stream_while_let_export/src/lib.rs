//! Nightly export of invoices to the accounting system's CSV format.

use std::io::Write;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use sqlx::PgPool;

#[derive(Debug, sqlx::FromRow)]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub customer_name: String,
    pub issued_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct InvoiceLine {
    pub sku: String,
    pub quantity: i32,
    pub amount_cents: i64,
}

async fn load_lines(pool: &PgPool, invoice_id: i64) -> Result<Vec<InvoiceLine>, sqlx::Error> {
    sqlx::query_as::<_, InvoiceLine>(
        "SELECT sku, quantity, amount_cents FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
    )
    .bind(invoice_id)
    .fetch_all(pool)
    .await
}

pub async fn export_invoices<W: Write>(
    pool: &PgPool,
    since: DateTime<Utc>,
    out: &mut W,
) -> anyhow::Result<u64> {
    writeln!(out, "number;customer;issued;sku;qty;amount")?;

    let mut invoices = sqlx::query_as::<_, Invoice>(
        "SELECT i.id, i.number, c.name AS customer_name, i.issued_at \
         FROM invoices i JOIN customers c ON c.id = i.customer_id \
         WHERE i.issued_at >= $1 ORDER BY i.id",
    )
    .bind(since)
    .fetch(pool);

    let mut exported = 0u64;
    while let Some(inv) = invoices.try_next().await? {
        let lines = load_lines(pool, inv.id).await?; //~ nested_checkout
        for line in &lines {
            writeln!(
                out,
                "{};{};{};{};{};{:.2}",
                inv.number,
                inv.customer_name,
                inv.issued_at.format("%Y-%m-%d"),
                line.sku,
                line.quantity,
                line.amount_cents as f64 / 100.0
            )?;
        }
        exported += 1;
    }
    Ok(exported)
}
