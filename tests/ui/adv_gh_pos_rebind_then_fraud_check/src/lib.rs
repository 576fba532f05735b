use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub http: reqwest::Client,
    pub fraud_url: String,
}

#[derive(Deserialize, Serialize)]
pub struct NewPayment {
    pub account_id: Uuid,
    pub amount_cents: i64,
    pub currency: String,
}

#[derive(Deserialize)]
struct FraudVerdict {
    score: f32,
}

pub async fn create_payment(
    State(state): State<AppState>,
    Json(req): Json<NewPayment>,
) -> Result<StatusCode, StatusCode> {
    let mut conn = state
        .db
        .acquire()
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let frozen: bool = sqlx::query_scalar("SELECT frozen FROM accounts WHERE id = $1")
        .bind(req.account_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(|_| StatusCode::NOT_FOUND)?;
    if frozen {
        return Err(StatusCode::FORBIDDEN);
    }

    // keep the same session for the ledger insert below
    let mut ledger_conn = conn;
    let verdict: FraudVerdict = state //~ guard_held_across_await
        .http
        .post(&state.fraud_url)
        .json(&req)
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?
        .json()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    if verdict.score > 0.8 {
        return Err(StatusCode::UNPROCESSABLE_ENTITY);
    }

    sqlx::query("INSERT INTO payments (account_id, amount_cents, currency) VALUES ($1, $2, $3)")
        .bind(req.account_id)
        .bind(req.amount_cents)
        .bind(&req.currency)
        .execute(&mut *ledger_conn)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(StatusCode::CREATED)
}
