use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use billing_core::invoices::{self, lock_invoice};
use billing_core::notify::{self, Event};
use billing_core::payments::{self, Payment};
use billing_core::{Invoice, InvoiceStatus, LineItem};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::ApiState;

pub fn router(state: ApiState) -> Router {
    Router::new()
        .route("/invoices/:id", get(show))
        .route("/invoices/:id/lines", post(add_line))
        .route("/invoices/:id/finalize", post(finalize))
        .route("/invoices/:id/payments", post(record_payment))
        .with_state(state)
}

#[derive(Serialize)]
struct InvoiceView { invoice: Invoice, lines: Vec<LineItem>, payments: Vec<Payment> }

async fn show(State(state): State<ApiState>, Path(id): Path<Uuid>) -> Result<Json<InvoiceView>, ApiError> {
    let (invoice, lines, payments) = tokio::try_join!(
        state.invoices.get(id),
        state.invoices.line_items(id),
        payments::list_for_invoice(&state.db, id),
    )?;
    Ok(Json(InvoiceView { invoice, lines, payments }))
}

async fn add_line(State(state): State<ApiState>, Path(id): Path<Uuid>, Json(item): Json<LineItem>) -> Result<(), ApiError> {
    if item.quantity <= 0 || !(0..=100).contains(&item.discount_pct) {
        return Err(ApiError::BadRequest("quantity must be positive and discount 0..=100".into()));
    }
    Ok(state.invoices.add_line(id, &item).await?)
}

async fn finalize(State(state): State<ApiState>, Path(id): Path<Uuid>) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(state.invoices.finalize(id).await?))
}

#[derive(Deserialize)]
struct PaymentBody { amount_cents: i64, method: String }

#[derive(Serialize)]
struct PaymentReceipt { payment: Payment, outstanding_cents: i64 }

async fn record_payment(
    State(state): State<ApiState>,
    Path(id): Path<Uuid>,
    Json(body): Json<PaymentBody>,
) -> Result<Json<PaymentReceipt>, ApiError> {
    if body.amount_cents > crate::config().max_payment_cents {
        return Err(ApiError::BadRequest("amount above the single-payment limit".into()));
    }
    let mut tx = state.db.begin().await?;
    let invoice = lock_invoice(&mut tx, id).await?;
    if invoice.status != InvoiceStatus::Open {
        return Err(ApiError::BadRequest(format!("invoice is {:?}", invoice.status)));
    }
    let payment = payments::insert(&mut tx, id, body.amount_cents, &body.method).await?;
    let outstanding = invoices::outstanding_balance(&state.db, id).await?; //~ nested_checkout
    if outstanding <= 0 {
        payments::mark_invoice_paid(&mut tx, id).await?;
    }
    tx.commit().await?;

    notify::enqueue(&state.db, Event::PaymentReceived { invoice_id: id, payment_id: payment.id, amount_cents: payment.amount_cents }).await?;
    if outstanding <= 0 {
        notify::enqueue(&state.db, Event::InvoicePaid { invoice_id: id }).await?;
    }
    Ok(Json(PaymentReceipt { payment, outstanding_cents: outstanding.max(0) }))
}
