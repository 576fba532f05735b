// The connection comes out of a `match` whose `Err(e)` arm returns early: the error arm binds
// the error, not the guard, so `conn` is still held when `touch_last_seen` takes another one.
use deadpool_redis::{redis::AsyncCommands, Pool};

pub struct SessionStore {
    redis: Pool,
}

impl SessionStore {
    async fn touch_last_seen(&self, user: u64) -> anyhow::Result<()> {
        let mut conn = self.redis.get().await?;
        let _: () = conn.set(format!("last_seen:{user}"), chrono_now()).await?;
        Ok(())
    }

    pub async fn load(&self, token: &str) -> anyhow::Result<Option<u64>> {
        let mut conn = match self.redis.get().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "session store unavailable");
                return Ok(None);
            }
        };
        let user: Option<u64> = conn.get(format!("session:{token}")).await?;
        if let Some(user) = user {
            self.touch_last_seen(user).await?; //~ nested_checkout
        }
        Ok(user)
    }
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
