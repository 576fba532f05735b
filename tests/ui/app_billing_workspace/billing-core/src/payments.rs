use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{BillingError, Database};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Payment { pub id: Uuid, pub invoice_id: Uuid, pub amount_cents: i64, pub method: String }

pub async fn insert(conn: &mut PgConnection, invoice_id: Uuid, amount_cents: i64, method: &str) -> Result<Payment, BillingError> {
    if amount_cents <= 0 {
        return Err(BillingError::NonPositiveAmount);
    }
    Ok(sqlx::query_as::<_, Payment>(
        "INSERT INTO payments (id, invoice_id, amount_cents, method) VALUES ($1, $2, $3, $4) \
         RETURNING id, invoice_id, amount_cents, method",
    )
    .bind(Uuid::new_v4()).bind(invoice_id).bind(amount_cents).bind(method)
    .fetch_one(conn)
    .await?)
}

pub async fn mark_invoice_paid(conn: &mut PgConnection, invoice_id: Uuid) -> Result<(), BillingError> {
    sqlx::query("UPDATE invoices SET status = 'paid' WHERE id = $1").bind(invoice_id).execute(conn).await?;
    Ok(())
}

pub async fn list_for_invoice(db: &Database, invoice_id: Uuid) -> Result<Vec<Payment>, BillingError> {
    Ok(sqlx::query_as::<_, Payment>("SELECT id, invoice_id, amount_cents, method FROM payments WHERE invoice_id = $1")
        .bind(invoice_id)
        .fetch_all(db.pool())
        .await?)
}
