use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use bb8_redis::RedisConnectionManager;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Clone)]
pub struct CatalogState {
    pub db: PgPool,
    pub redis: bb8::Pool<RedisConnectionManager>,
}

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
pub struct Product {
    pub sku: String,
    pub title: String,
    pub price_cents: i64,
    pub stock: i32,
}

const PRODUCT_TTL_SECS: u64 = 600;

fn unavailable<E: std::fmt::Debug>(_: E) -> StatusCode {
    StatusCode::SERVICE_UNAVAILABLE
}

pub async fn get_product(
    State(state): State<CatalogState>,
    Path(sku): Path<String>,
) -> Result<Json<Product>, StatusCode> {
    let mut redis = state.redis.get().await.map_err(unavailable)?;
    let cache_key = format!("catalog:product:{sku}");

    let cached: Option<String> = redis::cmd("GET")
        .arg(&cache_key)
        .query_async(&mut *redis)
        .await
        .map_err(unavailable)?;
    if let Some(json) = cached {
        if let Ok(product) = serde_json::from_str::<Product>(&json) {
            return Ok(Json(product));
        }
    }

    let product: Product = sqlx::query_as( //~ guard_held_across_await
        "SELECT sku, title, price_cents, stock FROM products WHERE sku = $1",
    )
    .bind(&sku)
    .fetch_optional(&state.db)
    .await
    .map_err(unavailable)?
    .ok_or(StatusCode::NOT_FOUND)?;

    let payload = serde_json::to_string(&product).map_err(unavailable)?;
    let _: () = redis::cmd("SETEX")
        .arg(&cache_key)
        .arg(PRODUCT_TTL_SECS)
        .arg(payload)
        .query_async(&mut *redis)
        .await
        .map_err(unavailable)?;

    Ok(Json(product))
}
