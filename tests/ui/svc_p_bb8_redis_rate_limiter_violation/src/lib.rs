//! Fixed-window rate limiter shared by every edge node through Redis.

use std::time::{SystemTime, UNIX_EPOCH};

use bb8_redis::bb8;
use bb8_redis::redis::{self, AsyncCommands, RedisError};
use bb8_redis::RedisConnectionManager;

#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    #[error("redis pool: {0}")]
    Pool(bb8::RunError<RedisError>),
    #[error("redis: {0}")]
    Redis(#[from] RedisError),
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny { retry_after: u64 },
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

pub struct RateLimiter {
    pool: bb8::Pool<RedisConnectionManager>,
    limit: u32,
    window_secs: u64,
}

impl RateLimiter {
    pub fn new(pool: bb8::Pool<RedisConnectionManager>, limit: u32, window_secs: u64) -> Self {
        Self { pool, limit, window_secs }
    }

    async fn record_violation(&self, client_key: &str) -> Result<(), RateLimitError> {
        let mut conn = self.pool.get().await.map_err(RateLimitError::Pool)?;
        let now = now_secs();
        let _: () = conn.zadd(format!("violations:{client_key}"), now, now).await?;
        Ok(())
    }

    pub async fn check(&self, client_key: &str) -> Result<Decision, RateLimitError> {
        let mut conn = match self.pool.get().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "rate limiter degraded, allowing request");
                return Ok(Decision::Allow);
            }
        };

        let window = now_secs() / self.window_secs;
        let key = format!("rl:{client_key}:{window}");
        let (count,): (u32,) = redis::pipe()
            .atomic()
            .incr(&key, 1)
            .expire(&key, self.window_secs as i64)
            .ignore()
            .query_async(&mut *conn)
            .await?;

        if count > self.limit {
            self.record_violation(client_key).await?; //~ nested_checkout
            return Ok(Decision::Deny { retry_after: self.window_secs - now_secs() % self.window_secs });
        }
        Ok(Decision::Allow)
    }
}
