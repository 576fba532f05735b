// Negative: `state.db.status()` (deadpool) only reads counters; it is not a checkout, so calling it
// while the health check holds a client does not nest.
use axum::{extract::State, Json};
use deadpool_postgres::Pool;
use serde::Serialize;

#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
}

#[derive(Serialize)]
pub struct Health {
    pub database: bool,
    pub pool_size: usize,
    pub pool_available: usize,
    pub pool_waiting: usize,
}

pub async fn health(State(state): State<AppState>) -> Json<Health> {
    let database = match state.db.get().await {
        Ok(client) => {
            let ok = client.simple_query("SELECT 1").await.is_ok();
            let status = state.db.status();
            tracing::debug!(size = status.size, available = status.available, "pool status while holding a client");
            ok
        }
        Err(_) => false,
    };
    let status = state.db.status();
    Json(Health {
        database,
        pool_size: status.size,
        pool_available: status.available,
        pool_waiting: status.waiting,
    })
}
