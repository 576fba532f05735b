use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
}

#[derive(Deserialize)]
pub struct TransferRequest {
    pub from: Uuid,
    pub to: Uuid,
    pub amount_cents: i64,
}

#[derive(Serialize)]
pub struct TransferReceipt {
    pub transfer_id: Uuid,
}

pub enum ApiError {
    Db(sqlx::Error),
    LimitExceeded,
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Db(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Db(e) => {
                tracing::error!("database error: {e}");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
            ApiError::LimitExceeded => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        }
    }
}

pub fn router(state: AppState) -> Router {
    Router::new().route("/transfers", post(transfer)).with_state(state)
}

async fn transfer(
    State(state): State<AppState>,
    Json(req): Json<TransferRequest>,
) -> Result<Json<TransferReceipt>, ApiError> {
    let tx = state.db.begin().await?;
    tracing::debug!("transfer {} -> {} started", req.from, req.to);
    let mut ledger: Transaction<'static, Postgres> = tx;

    sqlx::query("SELECT id FROM accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE")
        .bind(vec![req.from, req.to])
        .execute(&mut *ledger)
        .await?;

    let daily_limit = daily_limit_cents(&state.db, req.from).await?; //~ nested_checkout
    if req.amount_cents > daily_limit {
        return Err(ApiError::LimitExceeded);
    }

    let transfer_id = Uuid::new_v4();
    sqlx::query("UPDATE accounts SET balance_cents = balance_cents - $1 WHERE id = $2")
        .bind(req.amount_cents)
        .bind(req.from)
        .execute(&mut *ledger)
        .await?;
    sqlx::query("UPDATE accounts SET balance_cents = balance_cents + $1 WHERE id = $2")
        .bind(req.amount_cents)
        .bind(req.to)
        .execute(&mut *ledger)
        .await?;
    sqlx::query("INSERT INTO transfers (id, from_account, to_account, amount_cents) VALUES ($1, $2, $3, $4)")
        .bind(transfer_id)
        .bind(req.from)
        .bind(req.to)
        .bind(req.amount_cents)
        .execute(&mut *ledger)
        .await?;
    ledger.commit().await?;

    Ok(Json(TransferReceipt { transfer_id }))
}

async fn daily_limit_cents(db: &PgPool, account: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT l.daily_cents - COALESCE(SUM(t.amount_cents), 0)::BIGINT \
         FROM limits l LEFT JOIN transfers t ON t.from_account = l.account_id AND t.created_at > now() - interval '1 day' \
         WHERE l.account_id = $1 GROUP BY l.daily_cents",
    )
    .bind(account)
    .fetch_one(db)
    .await
}
