use std::time::Duration;

use deadpool_redis::redis::AsyncCommands;
use deadpool_redis::{Config, Pool, Runtime, Timeouts};

const CHECKOUT_WAIT: Duration = Duration::from_millis(250);

/// Quota counters. The pool itself has no wait timeout: every checkout below
/// passes its own bound, because the admin paths tolerate a longer wait.
pub struct QuotaCache {
    pool: Pool,
    admin_timeouts: Timeouts,
}

impl QuotaCache {
    pub fn connect(redis_url: &str) -> anyhow::Result<Self> {
        let pool = Config::from_url(redis_url)
            .builder()?
            .max_size(16)
            .runtime(Runtime::Tokio1)
            .build()?;
        Ok(Self {
            pool,
            admin_timeouts: Timeouts::wait_millis(2_000),
        })
    }

    pub async fn consume(&self, tenant: &str, units: i64) -> anyhow::Result<i64> {
        let mut conn = tokio::time::timeout(CHECKOUT_WAIT, self.pool.get()).await??;
        let used: i64 = conn.incr(format!("quota:{tenant}"), units).await?;
        Ok(used)
    }

    pub async fn reset(&self, tenant: &str) -> anyhow::Result<()> {
        let mut conn = self.pool.timeout_get(&self.admin_timeouts).await?;
        let _: () = conn.del(format!("quota:{tenant}")).await?;
        Ok(())
    }
}
