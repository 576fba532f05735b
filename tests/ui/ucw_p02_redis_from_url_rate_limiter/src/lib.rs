//! Fixed-window rate limiter backed by Redis.

pub mod limiter;

use deadpool_redis::{Config, CreatePoolError, Pool, Runtime};

/// Builds the shared Redis pool used by every limiter instance.
pub fn connect(redis_url: &str) -> Result<Pool, CreatePoolError> {
    let pool = Config::from_url(redis_url).create_pool(Some(Runtime::Tokio1))?; //~ unbounded_checkout_wait
    Ok(pool)
}
