// mobc: `SessionStore::load` holds a connection from `self.pool` and awaits
// `self.touch_last_seen(..)`, which checks out another from the same mobc pool.
// (`conn.get(..)` / `conn.expire(..)` are redis commands on the held connection, not checkouts.)
use mobc::Pool;
use mobc_redis::{redis::AsyncCommands, RedisConnectionManager};

pub struct SessionStore {
    pool: Pool<RedisConnectionManager>,
}

impl SessionStore {
    pub fn new(pool: Pool<RedisConnectionManager>) -> Self {
        Self { pool }
    }

    async fn touch_last_seen(&self, user_id: u64) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let _: () = conn.set(format!("last_seen:{user_id}"), now).await?;
        Ok(())
    }

    pub async fn load(&self, token: &str) -> anyhow::Result<Option<u64>> {
        let mut conn = self.pool.get().await?;
        let key = format!("session:{token}");
        let user_id: Option<u64> = conn.get(&key).await?;
        if let Some(id) = user_id {
            let _: () = conn.expire(&key, 1800).await?;
            self.touch_last_seen(id).await?; //~ nested_checkout
        }
        Ok(user_id)
    }
}
