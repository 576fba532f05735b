// A clone of the pool is the same pool: the handler begins on `p = state.pool.clone()` and, with the
// transaction open, awaits `budgets::remaining(&state.pool, ..)`, a checkout from that pool.
use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub pool: Arc<PgPool>,
}

mod budgets {
    use sqlx::PgPool;

    pub async fn remaining(pool: &PgPool, department_id: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT b.limit_cents - coalesce(sum(e.amount_cents), 0)::bigint
               FROM budgets b LEFT JOIN expenses e ON e.department_id = b.department_id AND e.approved
              WHERE b.department_id = $1 GROUP BY b.limit_cents",
        )
        .bind(department_id)
        .fetch_one(pool)
        .await
    }
}

pub async fn approve_expense(State(state): State<AppState>, Path(expense_id): Path<i64>) -> Result<StatusCode, StatusCode> {
    let p = state.pool.clone();
    let mut tx = p.begin().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let (department_id, amount): (i64, i64) =
        sqlx::query_as("SELECT department_id, amount_cents FROM expenses WHERE id = $1 FOR UPDATE")
            .bind(expense_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|_| StatusCode::NOT_FOUND)?;
    let left = budgets::remaining(&state.pool, department_id) //~ nested_checkout
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    if left < amount {
        return Err(StatusCode::UNPROCESSABLE_ENTITY);
    }
    sqlx::query("UPDATE expenses SET approved = true WHERE id = $1")
        .bind(expense_id)
        .execute(&mut *tx)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    tx.commit().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(StatusCode::NO_CONTENT)
}
