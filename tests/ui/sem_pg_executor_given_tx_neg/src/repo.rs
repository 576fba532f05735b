use serde::Deserialize;
use sqlx::{Executor, PgExecutor, Postgres};

#[derive(Debug, Deserialize)]
pub struct NewLine {
    pub description: String,
    pub qty: i32,
    pub unit_cents: i64,
}

pub async fn insert_line(exec: impl PgExecutor<'_>, invoice_id: i64, line: &NewLine) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO invoice_lines (invoice_id, description, qty, unit_cents) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(invoice_id)
    .bind(&line.description)
    .bind(line.qty)
    .bind(line.unit_cents)
    .fetch_one(exec)
    .await
}

pub async fn invoice_total<'c, E>(exec: E, invoice_id: i64) -> sqlx::Result<i64>
where
    E: Executor<'c, Database = Postgres>,
{
    sqlx::query_scalar("SELECT COALESCE(SUM(qty * unit_cents), 0)::BIGINT FROM invoice_lines WHERE invoice_id = $1")
        .bind(invoice_id)
        .fetch_one(exec)
        .await
}
