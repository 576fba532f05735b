use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use deadpool_redis::redis::{self, AsyncCommands};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub redis: deadpool_redis::Pool,
    pub pg: PgPool,
}

#[derive(Serialize, Deserialize, sqlx::FromRow)]
pub struct Product {
    pub id: i64,
    pub title: String,
    pub price_cents: i64,
}

fn unavailable<E>(_: E) -> StatusCode {
    StatusCode::SERVICE_UNAVAILABLE
}

pub async fn get_product(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Product>, StatusCode> {
    let mut conn = state.redis.get().await.map_err(unavailable)?;
    let key = format!("product:{id}");

    let cached: Option<String> = conn.get(&key).await.map_err(unavailable)?;
    if let Some(raw) = cached {
        if let Ok(p) = serde_json::from_str(&raw) {
            let _: i64 = conn.hincr("product:views", id, 1).await.map_err(unavailable)?;
            return Ok(Json(p));
        }
    }

    let product: Product = sqlx::query_as("SELECT id, title, price_cents FROM products WHERE id = $1") //~ guard_held_across_await
        .bind(id)
        .fetch_optional(&state.pg)
        .await
        .map_err(unavailable)?
        .ok_or(StatusCode::NOT_FOUND)?;

    let body = serde_json::to_string(&product).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let _: () = conn.set_ex(&key, body, 300).await.map_err(unavailable)?;
    Ok(Json(product))
}

pub async fn compare(
    State(state): State<AppState>,
    Path((a, b)): Path<(i64, i64)>,
) -> Result<Json<(Option<String>, Option<String>)>, StatusCode> {
    let mut conn = state.redis.get().await.map_err(unavailable)?;
    let pair: (Option<String>, Option<String>) = redis::pipe()
        .get(format!("product:{a}"))
        .get(format!("product:{b}"))
        .query_async(&mut *conn)
        .await
        .map_err(unavailable)?;
    let _: Option<String> = conn.get_del(format!("compare:pending:{a}:{b}")).await.map_err(unavailable)?;
    Ok(Json(pair))
}
