//! Events for other services, written to an outbox table that a relay publishes.

use serde::Serialize;
use uuid::Uuid;

use crate::{BillingError, Database};

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    InvoiceFinalized { invoice_id: Uuid, total_cents: i64 },
    PaymentReceived { invoice_id: Uuid, payment_id: Uuid, amount_cents: i64 },
    InvoicePaid { invoice_id: Uuid },
}

pub async fn enqueue(db: &Database, event: Event) -> Result<(), BillingError> {
    let payload = serde_json::to_value(&event).expect("events serialize");
    sqlx::query("INSERT INTO outbox (topic, payload) VALUES ('billing', $1)")
        .bind(payload)
        .execute(db.pool())
        .await?;
    Ok(())
}
