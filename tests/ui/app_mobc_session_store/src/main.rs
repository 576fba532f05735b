mod error;
mod events;
mod routes;
mod store;

use std::sync::Arc;
use std::time::Duration;

use mobc_redis::redis;
use mobc_redis::RedisConnectionManager;

use crate::store::{RedisPool, SessionStore};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init();
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1/".into());
    let client = redis::Client::open(url)?;
    let pool: RedisPool = mobc::Pool::builder()
        .max_open(24)
        .max_idle(8)
        .get_timeout(Some(Duration::from_secs(3)))
        .build(RedisConnectionManager::new(client));

    let store = Arc::new(
        SessionStore::builder()
            .pool(pool.clone())
            .prefix("sess")
            .ttl(Duration::from_secs(60 * 60 * 24 * 7))
            .touch_threshold(Duration::from_secs(60 * 60 * 24))
            .build()?,
    );

    // Revocations published by the admin service; the task lives as long as the process.
    let _listener = events::spawn_revocation_listener(Arc::clone(&store), pool, "sessions:revoke".into());

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8081").await?;
    axum::serve(listener, routes::router(store)).await?;
    Ok(())
}
