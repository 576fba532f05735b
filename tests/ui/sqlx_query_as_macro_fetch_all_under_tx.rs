// `query_as!(..).fetch_all(&pool)` is an implicit checkout like `query_as(..)`: `close_period`
// holds a transaction from `pool` while the macro's query runs on the pool itself.
use sqlx::PgPool;
use time::Date;

pub struct OpenInvoice {
    pub id: i64,
    pub customer_id: i64,
    pub amount_cents: i64,
}

pub async fn close_period(pool: PgPool, period_end: Date) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!("LOCK TABLE invoices IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let open = sqlx::query_as!(
        OpenInvoice,
        "SELECT id, customer_id, amount_cents FROM invoices WHERE issued_on <= $1 AND closed = false",
        period_end
    )
    .fetch_all(&pool) //~ nested_checkout
    .await?;
    for invoice in &open {
        sqlx::query!("UPDATE invoices SET closed = true WHERE id = $1", invoice.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(open.len())
}
