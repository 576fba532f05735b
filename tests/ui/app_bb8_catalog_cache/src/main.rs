mod cache;
mod error;
mod routes;
mod store;

use std::sync::Arc;
use std::time::Duration;

use bb8_postgres::PostgresConnectionManager;
use bb8_redis::RedisConnectionManager;
use tokio_postgres::NoTls;

pub use crate::cache::Cache;
pub use crate::error::CatalogError;
pub use crate::store::CatalogStore;

pub type PgPool = bb8::Pool<PostgresConnectionManager<NoTls>>;
pub type RedisPool = bb8::Pool<RedisConnectionManager>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init();
    let pg_url = std::env::var("DATABASE_URL")?;
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1/".into());

    let pg = bb8::Pool::builder()
        .max_size(16)
        .connection_timeout(Duration::from_secs(5))
        .build(PostgresConnectionManager::new_from_stringlike(pg_url, NoTls)?)
        .await?;
    let redis = bb8::Pool::builder()
        .max_size(32)
        .connection_timeout(Duration::from_secs(2))
        .build(RedisConnectionManager::new(redis_url)?)
        .await?;

    let cache = Cache::new(redis, "catalog", 600);
    let store = Arc::new(CatalogStore::new(pg, cache));

    // Runs for the life of the process; nobody awaits it.
    tokio::spawn(cache::consume_invalidations(Arc::clone(&store)));

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, routes::router(store)).await?;
    Ok(())
}
