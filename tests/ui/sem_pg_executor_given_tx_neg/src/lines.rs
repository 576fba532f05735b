use sqlx::PgPool;

use crate::repo::{insert_line, invoice_total, NewLine};

pub async fn add_lines(pool: &PgPool, invoice_id: i64, lines: &[NewLine]) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT id FROM invoices WHERE id = $1 AND finalized_at IS NULL FOR UPDATE")
        .bind(invoice_id)
        .execute(&mut *tx)
        .await?;
    for line in lines {
        insert_line(&mut *tx, invoice_id, line).await?;
    }
    let total = invoice_total(&mut *tx, invoice_id).await?;
    sqlx::query("UPDATE invoices SET total_cents = $2 WHERE id = $1")
        .bind(invoice_id)
        .bind(total)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(total)
}

pub async fn add_line_on_connection(pool: &PgPool, invoice_id: i64, line: &NewLine) -> sqlx::Result<i64> {
    let mut conn = pool.acquire().await?;
    let id = insert_line(&mut *conn, invoice_id, line).await?;
    let total = invoice_total(&mut *conn, invoice_id).await?;
    log_total(invoice_id, total);
    Ok(id)
}

/// Quick add used by the CLI: no transaction, each statement on its own pooled connection.
pub async fn quick_add(pool: &PgPool, invoice_id: i64, line: &NewLine) -> sqlx::Result<i64> {
    let id = insert_line(pool, invoice_id, line).await?;
    let total = invoice_total(pool, invoice_id).await?;
    log_total(invoice_id, total);
    Ok(id)
}

fn log_total(invoice_id: i64, total: i64) {
    eprintln!("invoice {invoice_id} total is now {total}");
}
