use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use uuid::Uuid;

use crate::repo::{CustomerSummary, Order};
use crate::service::{self, NewOrder};
use crate::{AppError, AppState};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route("/orders", post(create_order))
        .route("/orders/:id/cancel", post(cancel_order))
        .route("/customers/:id/orders", get(list_orders))
        .route("/customers/:id/summary", get(summary))
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Result<&'static str, AppError> {
    sqlx::query("SELECT 1").execute(&state.db).await?;
    let status = state.redis.status();
    if status.available == 0 {
        tracing::warn!(?status, "redis pool has no idle connection");
    }
    Ok("ok")
}

async fn create_order(State(state): State<AppState>, Json(input): Json<NewOrder>) -> Result<Json<Order>, AppError> {
    service::place_order(&state, input).await.map(Json)
}

async fn cancel_order(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<Order>, AppError> {
    service::cancel_order(&state, id).await.map(Json)
}

async fn list_orders(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Vec<Order>>, AppError> {
    let limit = match params.get("limit") {
        Some(raw) => Some(raw.parse::<i64>().map_err(|_| AppError::BadRequest("bad limit".into()))?),
        None => None,
    };
    service::recent_orders(&state, id, limit).await.map(Json)
}

async fn summary(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<CustomerSummary>, AppError> {
    service::customer_summary(&state, id).await.map(Json)
}
