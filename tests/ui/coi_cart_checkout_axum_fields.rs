// Positive: AppState.db (sqlx PgPool) and AppState.redis (deadpool-redis) are taken in opposite orders.
// `checkout_cart` holds a db transaction while checking out redis; `get_product` holds a redis connection
// while its cache-miss query checks out db. Both handlers are served concurrently by the same axum router.
use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use deadpool_redis::{redis::AsyncCommands, Config as RedisConfig, Runtime};
use serde::{Deserialize, Serialize};
use sqlx::{postgres::PgPoolOptions, PgPool};

struct AppState {
    db: PgPool,
    redis: deadpool_redis::Pool,
}

type ApiResult<T> = Result<T, (StatusCode, String)>;

fn internal<E: std::fmt::Display>(err: E) -> (StatusCode, String) {
    tracing::error!(error = %err, "request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_owned())
}

#[derive(Debug, Deserialize)]
struct CheckoutRequest {
    user_id: i64,
    cart_id: i64,
}

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
struct Product {
    id: i64,
    name: String,
    price_cents: i64,
}

async fn checkout_cart(
    State(state): State<Arc<AppState>>,
    Json(req): Json<CheckoutRequest>,
) -> ApiResult<Json<i64>> {
    let mut tx = state.db.begin().await.map_err(internal)?;

    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (user_id, total_cents) \
         SELECT $1, COALESCE(SUM(p.price_cents * ci.quantity), 0) \
         FROM cart_items ci JOIN products p ON p.id = ci.product_id \
         WHERE ci.cart_id = $2 \
         RETURNING id",
    )
    .bind(req.user_id)
    .bind(req.cart_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;

    sqlx::query("DELETE FROM cart_items WHERE cart_id = $1")
        .bind(req.cart_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;

    // Drop the cached cart before committing so a concurrent reader never sees the old items.
    let mut cache = state.redis.get().await.map_err(internal)?; //~ checkout_order_inversion
    cache
        .del::<_, ()>(format!("cart:{}", req.cart_id))
        .await
        .map_err(internal)?;

    tx.commit().await.map_err(internal)?; //~ guard_held_across_await
    Ok(Json(order_id))
}

async fn get_product(
    State(state): State<Arc<AppState>>,
    Path(product_id): Path<i64>,
) -> ApiResult<Json<Product>> {
    let mut cache = state.redis.get().await.map_err(internal)?;
    let key = format!("product:{product_id}");

    if let Some(raw) = cache.get::<_, Option<String>>(&key).await.map_err(internal)? {
        let product: Product = serde_json::from_str(&raw).map_err(internal)?;
        return Ok(Json(product));
    }

    let product = sqlx::query_as::<_, Product>(
        "SELECT id, name, price_cents FROM products WHERE id = $1",
    )
    .bind(product_id)
    .fetch_optional(&state.db)
    .await
    .map_err(internal)?
    .ok_or((StatusCode::NOT_FOUND, format!("product {product_id} not found")))?;

    let raw = serde_json::to_string(&product).map_err(internal)?;
    cache
        .set_ex::<_, _, ()>(&key, raw, 300)
        .await
        .map_err(internal)?;
    Ok(Json(product))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let db = PgPoolOptions::new()
        .max_connections(20)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let redis = RedisConfig::from_url(std::env::var("REDIS_URL")?)
        .create_pool(Some(Runtime::Tokio1))?;
    let state = Arc::new(AppState { db, redis });

    let app = Router::new()
        .route("/checkout", post(checkout_cart))
        .route("/products/:id", get(get_product))
        .with_state(state);

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
