//! Login sessions in Redis. The crate is edition 2024 through its workspace: the connection
//! taken in an `if let` scrutinee is returned before the `else` branch runs.

use deadpool_redis::redis::AsyncCommands;
use deadpool_redis::Pool;

pub struct SessionStore {
    pool: Pool,
}

impl SessionStore {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    /// The user id of a session, creating an anonymous one when the token is unknown.
    pub async fn user_for(&self, token: &str) -> anyhow::Result<u64> {
        if let Some(user) = self.pool.get().await?.get::<_, Option<u64>>(format!("session:{token}")).await? {
            Ok(user)
        } else {
            self.start_anonymous(token).await
        }
    }

    async fn start_anonymous(&self, token: &str) -> anyhow::Result<u64> {
        let mut conn = self.pool.get().await?;
        let id: u64 = conn.incr("session:next_anonymous", 1).await?;
        let _: () = conn.set_ex(format!("session:{token}"), id, 3600).await?;
        Ok(id)
    }
}
