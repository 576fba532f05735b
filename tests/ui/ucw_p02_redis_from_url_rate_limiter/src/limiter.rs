use deadpool_redis::{redis::AsyncCommands, Pool, PoolError};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, thiserror::Error)]
pub enum LimitError {
    #[error("redis pool: {0}")]
    Pool(#[from] PoolError),
    #[error("redis: {0}")]
    Redis(#[from] deadpool_redis::redis::RedisError),
}

#[derive(Clone)]
pub struct RateLimiter {
    pool: Pool,
    limit: u64,
    window_secs: u64,
}

impl RateLimiter {
    pub fn new(pool: Pool, limit: u64, window_secs: u64) -> Self {
        Self { pool, limit, window_secs }
    }

    /// Returns `true` when the caller is still under its quota.
    pub async fn check(&self, client_key: &str) -> Result<bool, LimitError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let window = now / self.window_secs;
        let key = format!("rl:{client_key}:{window}");

        let mut conn = self.pool.get().await?;
        let count: u64 = conn.incr(&key, 1).await?;
        if count == 1 {
            let _: () = conn.expire(&key, self.window_secs as i64).await?;
        }
        Ok(count <= self.limit)
    }
}
