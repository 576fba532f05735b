// A rate limiter's deadpool-redis pool has no wait timeout of its own, but every checkout is
// bounded where it is made: a future adapter's `.timeout(d)` and `tokio::time::timeout_at`.
// Nothing waits forever: no finding.
use deadpool_redis::{Config, Runtime};
use std::time::Duration;
use tokio_util::time::FutureExt;

pub struct Limiter {
    pool: deadpool_redis::Pool,
}

impl Limiter {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        Ok(Limiter { pool: Config::from_url(url).create_pool(Some(Runtime::Tokio1))? })
    }

    pub async fn hit(&self, key: &str) -> anyhow::Result<i64> {
        let mut conn = self.pool.get().timeout(Duration::from_millis(100)).await??;
        Ok(redis::cmd("INCR").arg(key).query_async(&mut *conn).await?)
    }

    pub async fn reset(&self, key: &str) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + Duration::from_millis(100);
        let mut conn = tokio::time::timeout_at(deadline, self.pool.get()).await??;
        redis::cmd("DEL").arg(key).query_async::<()>(&mut *conn).await?;
        Ok(())
    }
}
