use chrono::{DateTime, Utc};
use deadpool_redis::redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

const SESSION_TTL_SECS: u64 = 30 * 60;

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Session {
    pub token: String,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

pub struct SessionStore {
    redis: deadpool_redis::Pool,
    db: PgPool,
}

impl SessionStore {
    pub fn new(redis: deadpool_redis::Pool, db: PgPool) -> Self {
        Self { redis, db }
    }

    pub async fn load(&self, token: &str) -> anyhow::Result<Option<Session>> {
        let key = format!("session:{token}");
        let session = match self.redis.get().await?.get::<_, Option<String>>(&key).await? {
            Some(json) => Some(serde_json::from_str::<Session>(&json)?),
            None => {
                let found = sqlx::query_as::<_, Session>(
                    "SELECT token, user_id, expires_at FROM sessions WHERE token = $1 AND expires_at > now()",
                )
                .bind(token)
                .fetch_optional(&self.db)
                .await?;
                if let Some(s) = &found {
                    self.cache(&key, s).await?; //~ nested_checkout
                }
                found
            }
        };
        Ok(session)
    }

    async fn cache(&self, key: &str, session: &Session) -> anyhow::Result<()> {
        let mut conn = self.redis.get().await?;
        conn.set_ex::<_, _, ()>(key, serde_json::to_string(session)?, SESSION_TTL_SECS)
            .await?;
        Ok(())
    }

    pub async fn revoke(&self, token: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token = $1")
            .bind(token)
            .execute(&self.db)
            .await?;
        let mut conn = self.redis.get().await?;
        conn.del::<_, ()>(format!("session:{token}")).await?;
        Ok(())
    }
}
