// A second workspace crate calls into the first: the webhook handler holds a transaction from
// `state.pool` and awaits `orders_db::payments::mark_paid(&state.pool, ..)`, which queries the pool.
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

#[derive(Deserialize)]
pub struct PaymentEvent {
    pub order_id: i64,
    pub provider_ref: String,
    pub amount_cents: i64,
}

pub async fn payment_webhook(State(state): State<AppState>, Json(event): Json<PaymentEvent>) -> StatusCode {
    let Ok(mut tx) = state.pool.begin().await else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let logged = sqlx::query("INSERT INTO payment_events (order_id, provider_ref, amount_cents) VALUES ($1, $2, $3)")
        .bind(event.order_id)
        .bind(&event.provider_ref)
        .bind(event.amount_cents)
        .execute(&mut *tx)
        .await;
    if logged.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let paid = orders_db::payments::mark_paid(&state.pool, event.order_id, &event.provider_ref).await; //~ nested_checkout
    if paid.is_err() || tx.commit().await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::OK
}
