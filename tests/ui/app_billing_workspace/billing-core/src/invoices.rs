use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use tracing::{info, instrument};
use uuid::Uuid;

use crate::notify::{self, Event};
use crate::{BillingError, Database};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "invoice_status", rename_all = "lowercase")]
pub enum InvoiceStatus { Draft, Open, Paid, Void }

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Invoice {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub status: InvoiceStatus,
    pub total_cents: i64,
    pub finalized_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct LineItem { pub description: String, pub quantity: i64, pub unit_cents: i64, pub discount_pct: i32 }

impl LineItem {
    pub fn amount_cents(&self) -> i64 {
        let gross = self.quantity * self.unit_cents;
        gross - gross * i64::from(self.discount_pct) / 100
    }
}

const INVOICE_COLUMNS: &str = "id, customer_id, status, total_cents, finalized_at";

pub async fn lock_invoice(conn: &mut PgConnection, id: Uuid) -> Result<Invoice, BillingError> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = $1 FOR UPDATE");
    sqlx::query_as::<_, Invoice>(&sql).bind(id).fetch_optional(conn).await?.ok_or(BillingError::NotFound(id))
}

/// What is still owed on an invoice: its total minus the payments recorded so far.
pub async fn outstanding_balance(db: &Database, id: Uuid) -> Result<i64, BillingError> {
    let owed: Option<i64> = sqlx::query_scalar(
        "SELECT i.total_cents - coalesce((SELECT sum(amount_cents) FROM payments p WHERE p.invoice_id = i.id), 0)::bigint \
         FROM invoices i WHERE i.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    owed.ok_or(BillingError::NotFound(id))
}

pub struct InvoiceRepo {
    db: Database,
}

impl InvoiceRepo {
    pub fn new(db: Database) -> Self { Self { db } }

    pub async fn get(&self, id: Uuid) -> Result<Invoice, BillingError> {
        let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = $1");
        sqlx::query_as::<_, Invoice>(&sql).bind(id).fetch_optional(&*self.db).await?.ok_or(BillingError::NotFound(id))
    }

    pub async fn line_items(&self, id: Uuid) -> Result<Vec<LineItem>, BillingError> {
        Ok(sqlx::query_as::<_, LineItem>(
            "SELECT description, quantity, unit_cents, discount_pct FROM line_items WHERE invoice_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&*self.db)
        .await?)
    }

    async fn compute_total(&self, id: Uuid) -> Result<i64, BillingError> {
        let items = self.line_items(id).await?;
        Ok(items.iter().map(LineItem::amount_cents).sum())
    }

    /// Adds a line to a draft; the line and the new position are written in one transaction.
    pub async fn add_line(&self, id: Uuid, item: &LineItem) -> Result<(), BillingError> {
        let mut tx = self.db.begin().await?;
        let invoice = lock_invoice(&mut tx, id).await?;
        if invoice.status != InvoiceStatus::Draft {
            return Err(BillingError::InvalidState { id, actual: format!("{:?}", invoice.status), expected: "draft" });
        }
        let position: i32 = sqlx::query_scalar("SELECT coalesce(max(position), 0) + 1 FROM line_items WHERE invoice_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO line_items (invoice_id, position, description, quantity, unit_cents, discount_pct) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id).bind(position).bind(&item.description).bind(item.quantity).bind(item.unit_cents).bind(item.discount_pct)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Freezes a draft: computes its total and opens it for payment.
    #[instrument(skip(self))]
    pub async fn finalize(&self, id: Uuid) -> Result<Invoice, BillingError> {
        let mut tx = self.db.begin().await?;
        let invoice = lock_invoice(&mut tx, id).await?;
        if invoice.status != InvoiceStatus::Draft {
            return Err(BillingError::InvalidState { id, actual: format!("{:?}", invoice.status), expected: "draft" });
        }
        let total = self.compute_total(id).await?; //~ nested_checkout
        let sql = format!(
            "UPDATE invoices SET status = 'open', total_cents = $2, finalized_at = now() WHERE id = $1 RETURNING {INVOICE_COLUMNS}"
        );
        let invoice = sqlx::query_as::<_, Invoice>(&sql).bind(id).bind(total).fetch_one(&mut *tx).await?;
        tx.commit().await?;

        notify::enqueue(&self.db, Event::InvoiceFinalized { invoice_id: id, total_cents: total }).await?;
        info!(%id, total, "invoice finalized");
        Ok(invoice)
    }
}
