use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use bb8_redis::bb8::Pool;
use bb8_redis::redis::AsyncCommands;
use bb8_redis::RedisConnectionManager;
use serde::Serialize;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool<RedisConnectionManager>,
    pub queues: Vec<String>,
}

#[derive(Serialize)]
pub struct Readiness {
    pub pending: u64,
}

async fn queue_depth(pool: &Pool<RedisConnectionManager>, queues: &[String]) -> Result<u64, StatusCode> {
    let mut conn = pool.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let mut total = 0u64;
    for q in queues {
        let n: u64 = conn.llen(q).await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
        total += n;
    }
    Ok(total)
}

/// Kubernetes readiness probe: Redis must hand out a connection, then report the backlog.
async fn ready(State(state): State<AppState>) -> Result<Json<Readiness>, StatusCode> {
    let _ = state.pool.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let pending = queue_depth(&state.pool, &state.queues).await?;
    Ok(Json(Readiness { pending }))
}

async fn live() -> StatusCode {
    StatusCode::NO_CONTENT
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/readyz", get(ready))
        .route("/livez", get(live))
        .with_state(state)
}
