mod config;
mod error;
mod repo;
mod routes;
mod service;

use std::sync::Arc;

use deadpool_redis::Runtime;
use sqlx::postgres::PgPoolOptions;
use tracing::info;

pub use crate::config::Config;
pub use crate::error::AppError;

/// Shared by every handler. Both pools are cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct AppState {
    pub db: sqlx::PgPool,
    pub redis: deadpool_redis::Pool,
    pub config: Arc<Config>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();

    let config = Config::from_env()?;
    let db = PgPoolOptions::new()
        .max_connections(config.db_max_connections)
        .acquire_timeout(config.db_acquire_timeout)
        .connect(&config.database_url)
        .await?;
    let redis = deadpool_redis::Config::from_url(&config.redis_url).create_pool(Some(Runtime::Tokio1))?; //~ unbounded_checkout_wait

    let state = AppState { db, redis, config: Arc::new(config) };
    let addr = state.config.listen_addr;
    let app = routes::router(state);

    info!(%addr, "orders-api listening");
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
