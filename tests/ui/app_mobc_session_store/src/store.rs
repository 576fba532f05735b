use std::time::Duration;

use chrono::{DateTime, Utc};
use mobc::{Connection, Pool};
use mobc_redis::redis::{self, AsyncCommands};
use mobc_redis::RedisConnectionManager;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tracing::{debug, instrument};

use crate::error::StoreError;

pub type RedisPool = Pool<RedisConnectionManager>;
type RedisConn = Connection<RedisConnectionManager>;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionId(pub String);

impl SessionId {
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub id: SessionId,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub data: Map<String, Value>,
}

#[derive(Default)]
pub struct SessionStoreBuilder {
    pool: Option<RedisPool>,
    prefix: Option<String>,
    ttl: Option<Duration>,
    touch_threshold: Option<Duration>,
}

impl SessionStoreBuilder {
    pub fn pool(mut self, pool: RedisPool) -> Self { self.pool = Some(pool); self }
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self { self.prefix = Some(prefix.into()); self }
    pub fn ttl(mut self, ttl: Duration) -> Self { self.ttl = Some(ttl); self }
    pub fn touch_threshold(mut self, t: Duration) -> Self { self.touch_threshold = Some(t); self }

    pub fn build(self) -> Result<SessionStore, StoreError> {
        let ttl = self.ttl.unwrap_or(Duration::from_secs(86_400));
        Ok(SessionStore {
            pool: self.pool.ok_or(StoreError::Config("a redis pool is required"))?,
            prefix: self.prefix.unwrap_or_else(|| "session".into()),
            ttl,
            touch_threshold: self.touch_threshold.unwrap_or(ttl / 4),
        })
    }
}

pub struct SessionStore {
    pool: RedisPool,
    prefix: String,
    ttl: Duration,
    touch_threshold: Duration,
}

impl SessionStore {
    pub fn builder() -> SessionStoreBuilder {
        SessionStoreBuilder::default()
    }

    fn key(&self, id: &SessionId) -> String {
        format!("{}:s:{}", self.prefix, id.0)
    }

    fn user_key(&self, user_id: i64) -> String {
        format!("{}:u:{}", self.prefix, user_id)
    }

    async fn conn(&self) -> Result<RedisConn, StoreError> {
        Ok(self.pool.get().await?)
    }

    pub async fn create(&self, user_id: i64) -> Result<Session, StoreError> {
        let session = Session { id: SessionId::generate(), user_id, created_at: Utc::now(), data: Map::new() };
        self.save(&session).await?;
        self.index_user(&session).await?;
        Ok(session)
    }

    pub async fn load(&self, id: &SessionId) -> Result<Option<Session>, StoreError> {
        let mut c = self.conn().await?;
        let raw: Option<String> = c.get(self.key(id)).await?;
        Ok(raw.map(|r| serde_json::from_str(&r)).transpose()?)
    }

    pub async fn save(&self, s: &Session) -> Result<(), StoreError> {
        let raw = serde_json::to_string(s)?;
        let mut c = self.conn().await?;
        c.set_ex::<_, _, ()>(self.key(&s.id), raw, self.ttl.as_secs() as _).await?;
        Ok(())
    }

    async fn index_user(&self, s: &Session) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        redis::pipe()
            .sadd(self.user_key(s.user_id), &s.id.0).ignore()
            .expire(self.user_key(s.user_id), self.ttl.as_secs() as _).ignore()
            .query_async::<_, ()>(&mut *c)
            .await?;
        Ok(())
    }

    pub async fn destroy(&self, id: &SessionId) -> Result<bool, StoreError> {
        let mut c = self.conn().await?;
        let removed: i64 = c.del(self.key(id)).await?;
        Ok(removed > 0)
    }

    /// Returns the session and slides its expiry forward once it is older than the threshold.
    #[instrument(skip(self), fields(session = %id.0))]
    pub async fn load_and_touch(&self, id: &SessionId) -> Result<Option<Session>, StoreError> {
        let mut c = self.conn().await?;
        let ttl: i64 = c.ttl(self.key(id)).await?;
        if ttl < 0 {
            return Ok(None);
        }
        if (ttl as u64) < self.ttl.as_secs() - self.touch_threshold.as_secs() {
            let _: bool = c.expire(self.key(id), self.ttl.as_secs() as _).await?;
            debug!(ttl, "session expiry extended");
        }
        self.load(id).await //~ nested_checkout
    }

    /// Issues a new id for the session (after a privilege change) and removes the old one.
    pub async fn rotate(&self, old: &SessionId) -> Result<Session, StoreError> {
        let mut c = self.conn().await?;
        let raw: Option<String> = c.get(self.key(old)).await?;
        let Some(raw) = raw else {
            return Err(StoreError::NotFound);
        };
        let mut session: Session = serde_json::from_str(&raw)?;
        session.id = SessionId::generate();
        redis::pipe()
            .atomic()
            .del(self.key(old)).ignore()
            .set_ex(self.key(&session.id), serde_json::to_string(&session)?, self.ttl.as_secs() as _).ignore()
            .query_async::<_, ()>(&mut *c)
            .await?;
        drop(c);
        self.index_user(&session).await?;
        Ok(session)
    }

    /// Signs a user out everywhere.
    pub async fn destroy_all_for_user(&self, user_id: i64) -> Result<usize, StoreError> {
        let mut c = self.conn().await?;
        let ids: Vec<String> = c.smembers(self.user_key(user_id)).await?;
        let mut destroyed = 0;
        for id in ids {
            if self.destroy(&SessionId(id)).await? { //~ nested_checkout
                destroyed += 1;
            }
        }
        c.del::<_, ()>(self.user_key(user_id)).await?;
        Ok(destroyed)
    }

    /// Removes ids of expired sessions from a user's index.
    pub async fn prune_index(&self, user_id: i64) -> Result<usize, StoreError> {
        let members: Vec<String> = {
            let mut c = self.conn().await?;
            c.smembers(self.user_key(user_id)).await?
        };
        let mut stale = Vec::new();
        for m in members {
            let id = SessionId(m);
            if self.load(&id).await?.is_none() {
                stale.push(id.0);
            }
        }
        if !stale.is_empty() {
            let mut c = self.conn().await?;
            c.srem::<_, _, ()>(self.user_key(user_id), &stale).await?;
        }
        Ok(stale.len())
    }

    pub async fn pool_state(&self) -> mobc::State {
        self.pool.state().await
    }
}
