use std::time::Duration;

use mobc::Pool;
use mobc_redis::redis::{self, AsyncCommands};
use mobc_redis::RedisConnectionManager;

pub type RedisPool = Pool<RedisConnectionManager>;

pub struct RateLimiter {
    pool: RedisPool,
    limit_per_minute: u32,
}

impl RateLimiter {
    pub fn connect(redis_url: &str, limit_per_minute: u32) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(redis_url)?;
        let manager = RedisConnectionManager::new(client);
        let pool = Pool::builder() //~ unbounded_checkout_wait
            .max_open(64)
            .max_idle(16)
            // rate checks must never be dropped, so let callers queue instead of erroring
            .get_timeout(None)
            .max_lifetime(Some(Duration::from_secs(300)))
            .build(manager);
        Ok(Self {
            pool,
            limit_per_minute,
        })
    }

    pub async fn allow(&self, api_key: &str) -> Result<bool, mobc::Error<redis::RedisError>> {
        let mut conn = self.pool.get().await?;
        let key = format!("rl:{api_key}");
        let hits: u32 = conn.incr(&key, 1).await?;
        if hits == 1 {
            let _: bool = conn.expire(&key, 60).await?;
        }
        Ok(hits <= self.limit_per_minute)
    }
}
