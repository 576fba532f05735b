// An axum handler opens the order transaction, locks the row, and then calls the payment
// provider while the transaction (and its connection) waits. At 20 connections, 10 checkouts a
// second that each take 2 s at the provider take the whole pool.
use axum::{extract::{Path, State}, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub payments: reqwest::Client,
    pub provider_url: String,
}

#[derive(Serialize)]
struct ChargeRequest {
    order_id: i64,
    amount_cents: i64,
}

#[derive(Deserialize, Serialize)]
pub struct Receipt {
    pub charge_id: String,
}

fn internal<E: std::fmt::Display>(e: E) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

pub async fn charge_order(
    State(state): State<AppState>,
    Path(order_id): Path<i64>,
) -> Result<Json<Receipt>, (StatusCode, String)> {
    let mut tx = state.db.begin().await.map_err(internal)?;
    let amount_cents: i64 = sqlx::query_scalar("SELECT total_cents FROM orders WHERE id = $1 FOR UPDATE")
        .bind(order_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;

    let receipt: Receipt = state //~ guard_held_across_await
        .payments
        .post(format!("{}/charges", state.provider_url))
        .json(&ChargeRequest { order_id, amount_cents })
        .send()
        .await
        .map_err(internal)?
        .json()
        .await
        .map_err(internal)?;

    sqlx::query("UPDATE orders SET charge_id = $1, state = 'paid' WHERE id = $2")
        .bind(&receipt.charge_id)
        .bind(order_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(Json(receipt))
}
