use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub http: reqwest::Client,
    pub payments_url: String,
}

#[derive(Deserialize)]
pub struct CheckoutRequest {
    pub cart_id: Uuid,
    pub payment_token: String,
}

#[derive(Serialize)]
pub struct CheckoutResponse {
    pub order_id: Uuid,
    pub charge_id: String,
}

#[derive(Deserialize)]
struct ChargeResult {
    id: String,
}

fn internal<E: std::fmt::Display>(err: E) -> StatusCode {
    tracing::error!(error = %err, "checkout failed");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub async fn checkout(
    State(state): State<AppState>,
    Json(req): Json<CheckoutRequest>,
) -> Result<Json<CheckoutResponse>, StatusCode> {
    let mut tx = state.pool.begin().await.map_err(internal)?;

    let total_cents: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(price_cents * quantity), 0) FROM cart_items WHERE cart_id = $1",
    )
    .bind(req.cart_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;

    let order_id: Uuid = sqlx::query_scalar(
        "INSERT INTO orders (cart_id, total_cents, status) VALUES ($1, $2, 'pending') RETURNING id",
    )
    .bind(req.cart_id)
    .bind(total_cents)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;

    let charge: ChargeResult = state //~ guard_held_across_await
        .http
        .post(format!("{}/v1/charges", state.payments_url))
        .json(&serde_json::json!({ "amount": total_cents, "source": req.payment_token, "reference": order_id }))
        .send()
        .await
        .map_err(internal)?
        .json()
        .await
        .map_err(internal)?;

    sqlx::query("UPDATE orders SET status = 'paid', charge_id = $2 WHERE id = $1")
        .bind(order_id)
        .bind(&charge.id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;

    Ok(Json(CheckoutResponse { order_id, charge_id: charge.id }))
}
