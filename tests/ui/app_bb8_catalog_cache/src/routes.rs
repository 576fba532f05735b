use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::store::Product;
use crate::{CatalogError, CatalogStore};

type AppState = Arc<CatalogStore>;

pub fn router(store: AppState) -> Router {
    Router::new()
        .route("/products/:id", get(product).delete(delete))
        .route("/products/:id/price", post(update_price))
        .route("/categories/:id", get(category))
        .route("/search", get(search))
        .route("/import", post(import))
        .route("/stats", get(stats))
        .with_state(store)
}

async fn product(State(store): State<AppState>, Path(id): Path<i64>) -> Result<Json<Product>, CatalogError> {
    store.product(id).await.map(Json)
}

#[derive(Deserialize)]
struct PriceChange { price_cents: i64 }

async fn update_price(State(store): State<AppState>, Path(id): Path<i64>, Json(body): Json<PriceChange>) -> Result<Json<Product>, CatalogError> {
    store.update_price(id, body.price_cents).await.map(Json)
}

async fn category(State(store): State<AppState>, Path(id): Path<i64>) -> Result<Json<Vec<Product>>, CatalogError> {
    store.category(id).await.map(Json)
}

#[derive(Deserialize)]
struct SearchQuery { q: String }

async fn search(State(store): State<AppState>, Query(query): Query<SearchQuery>) -> Result<Json<Vec<Product>>, CatalogError> {
    store.search(query.q.trim()).await.map(Json)
}

async fn import(State(store): State<AppState>, Json(products): Json<Vec<Product>>) -> Result<Json<usize>, CatalogError> {
    store.import(products).await.map(Json)
}

async fn delete(State(store): State<AppState>, Path(id): Path<i64>) -> Result<(), CatalogError> {
    store.delete(id).await
}

async fn stats(State(store): State<AppState>) -> Json<serde_json::Value> {
    let (pg, redis) = store.pool_stats();
    Json(serde_json::json!({
        "postgres": { "connections": pg.connections, "idle": pg.idle_connections },
        "redis": { "connections": redis.connections, "idle": redis.idle_connections },
    }))
}
