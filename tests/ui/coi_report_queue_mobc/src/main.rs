// Report service: an HTTP API plus eight background workers sharing one JobQueue (mobc redis pool + sqlx pool).
// Positive case: api.rs holds a db transaction while enqueueing to redis; worker.rs holds a redis connection
// while updating job rows in db. Both run concurrently; the marker is in api.rs (first file).
mod api;
mod queue;
mod worker;

use std::sync::Arc;

use axum::{routing::post, Router};
use mobc_redis::{redis, RedisConnectionManager};
use sqlx::postgres::PgPoolOptions;

use crate::queue::JobQueue;

const WORKERS: usize = 8;

pub struct AppState {
    pub queue: Arc<JobQueue>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let db = PgPoolOptions::new()
        .max_connections(10)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let client = redis::Client::open(std::env::var("REDIS_URL")?)?;
    let redis = mobc::Pool::builder()
        .max_open(10)
        .build(RedisConnectionManager::new(client));

    let queue = Arc::new(JobQueue { redis, db });
    for worker_id in 0..WORKERS {
        tokio::spawn(worker::run_worker(Arc::clone(&queue), worker_id));
    }

    let app = Router::new()
        .route("/reports", post(api::request_report))
        .with_state(Arc::new(AppState { queue }));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
