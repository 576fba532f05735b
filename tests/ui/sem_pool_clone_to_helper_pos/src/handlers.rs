use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::{refunds, webhooks, AppState};

#[derive(Deserialize)]
pub struct NewOrder {
    pub customer_id: i64,
    pub total_cents: i64,
}

#[derive(Serialize)]
pub struct Created {
    pub id: i64,
}

fn db_error(e: sqlx::Error) -> StatusCode {
    tracing::error!("{e}");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub async fn create_order(
    State(state): State<Arc<AppState>>,
    Json(order): Json<NewOrder>,
) -> Result<Json<Created>, StatusCode> {
    let mut tx = state.db.begin().await.map_err(db_error)?;
    let id: i64 = sqlx::query_scalar("INSERT INTO orders (customer_id, total_cents) VALUES ($1, $2) RETURNING id")
        .bind(order.customer_id)
        .bind(order.total_cents)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
    webhooks::enqueue(state.db.clone(), "order.created", serde_json::json!({ "id": id })) //~ nested_checkout
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(Json(Created { id }))
}

pub async fn cancel_order(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
) -> Result<StatusCode, StatusCode> {
    let mut tx = state.db.begin().await.map_err(db_error)?;
    let updated = sqlx::query("UPDATE orders SET cancelled_at = now() WHERE id = $1 AND cancelled_at IS NULL")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?
        .rows_affected();
    if updated == 0 {
        return Err(StatusCode::NOT_FOUND);
    }
    refunds::issue_full_refund(Arc::clone(&state), id).await.map_err(db_error)?; //~ nested_checkout
    tx.commit().await.map_err(db_error)?;
    Ok(StatusCode::NO_CONTENT)
}
