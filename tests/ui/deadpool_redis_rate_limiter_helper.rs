// deadpool-redis: `RateLimiter::check` holds a `Connection` from `self.pool` and awaits
// `self.is_banned(..)`, which checks out another from the same pool (no wait timeout: it hangs).
use deadpool_redis::{redis::AsyncCommands, Pool};

pub struct RateLimiter {
    pool: Pool,
    per_minute: u32,
}

impl RateLimiter {
    pub fn new(pool: Pool, per_minute: u32) -> Self {
        Self { pool, per_minute }
    }

    async fn is_banned(&self, client_ip: &str) -> anyhow::Result<bool> {
        let mut conn = self.pool.get().await?;
        let banned: bool = conn.sismember("banned_ips", client_ip).await?;
        Ok(banned)
    }

    /// Returns `true` when the request may go through.
    pub async fn check(&self, client_ip: &str) -> anyhow::Result<bool> {
        let mut conn = self.pool.get().await?;
        let key = format!("rl:{client_ip}");
        let hits: u32 = conn.incr(&key, 1).await?;
        if hits == 1 {
            let _: () = conn.expire(&key, 60).await?;
        }
        if hits > self.per_minute {
            return Ok(false);
        }
        let banned = self.is_banned(client_ip).await?; //~ nested_checkout
        Ok(!banned)
    }
}
