//! Feature-flag lookups backed by Redis, seeded from built-in defaults.

use std::collections::HashMap;

use deadpool_redis::Pool;
use deadpool_redis::redis::AsyncCommands;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlagSet {
    pub flags: HashMap<String, bool>,
    pub revision: u64,
}

impl FlagSet {
    fn defaults() -> Self {
        let flags = [("new_checkout", false), ("search_v2", true), ("gift_cards", false)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        Self { flags, revision: 0 }
    }
}

pub struct FlagClient {
    pool: Pool,
    namespace: String,
}

impl FlagClient {
    pub fn new(pool: Pool, namespace: impl Into<String>) -> Self {
        Self { pool, namespace: namespace.into() }
    }

    pub async fn current(&self) -> anyhow::Result<FlagSet> {
        let key = format!("flags:{}", self.namespace);
        if let Some(raw) = self.pool.get().await?.get::<_, Option<String>>(&key).await? {
            Ok(serde_json::from_str(&raw)?)
        } else {
            self.seed_defaults(&key).await
        }
    }

    async fn seed_defaults(&self, key: &str) -> anyhow::Result<FlagSet> {
        let defaults = FlagSet::defaults();
        let mut conn = self.pool.get().await?;
        let _: bool = conn.set_nx(key, serde_json::to_string(&defaults)?).await?;
        Ok(defaults)
    }

    pub async fn set(&self, flag: &str, enabled: bool) -> anyhow::Result<()> {
        let key = format!("flags:{}", self.namespace);
        let mut set = self.current().await?;
        set.flags.insert(flag.to_string(), enabled);
        set.revision += 1;
        let mut conn = self.pool.get().await?;
        conn.set::<_, _, ()>(&key, serde_json::to_string(&set)?).await?;
        Ok(())
    }
}
