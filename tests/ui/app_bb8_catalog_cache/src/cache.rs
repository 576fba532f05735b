//! Redis side of the catalog: JSON values under `<prefix>:<key>`, plus the invalidation queue
//! other services push product ids onto.

use std::sync::Arc;
use std::time::Duration;

use redis::AsyncCommands;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::{info, warn};

use crate::{CatalogError, CatalogStore, RedisPool};

pub const INVALIDATION_QUEUE: &str = "catalog:invalidate";

pub struct Cache {
    pool: RedisPool,
    prefix: &'static str,
    ttl_secs: u64,
}

impl Cache {
    pub fn new(pool: RedisPool, prefix: &'static str, ttl_secs: u64) -> Self {
        Self { pool, prefix, ttl_secs }
    }

    fn key(&self, key: &str) -> String {
        format!("{}:{key}", self.prefix)
    }

    pub async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, CatalogError> {
        let mut conn = self.pool.get().await?;
        let raw: Option<String> = conn.get(self.key(key)).await?;
        Ok(raw.map(|r| serde_json::from_str(&r)).transpose()?)
    }

    pub async fn put_json<T: Serialize>(&self, key: &str, value: &T) -> Result<(), CatalogError> {
        let raw = serde_json::to_string(value)?;
        let mut conn = self.pool.get().await?;
        conn.set_ex::<_, _, ()>(self.key(key), raw, self.ttl_secs).await?;
        Ok(())
    }

    pub async fn invalidate(&self, keys: &[String]) -> Result<(), CatalogError> {
        if keys.is_empty() {
            return Ok(());
        }
        let full: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        let mut conn = self.pool.get().await?;
        conn.del::<_, ()>(full).await?;
        Ok(())
    }

    pub fn stats(&self) -> bb8::State {
        self.pool.state()
    }
}

/// Pops product ids pushed by other services and drops their cache entries. `BLPOP` would
/// stall every other command on a multiplexed pooled connection, so it runs on a dedicated
/// connection that the pool opens outside its slots.
pub async fn consume_invalidations(store: Arc<CatalogStore>) {
    loop {
        let mut listener = match store.cache().pool.dedicated_connection().await {
            Ok(c) => c,
            Err(e) => {
                warn!(error = %e, "no dedicated redis connection; retrying");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        info!("invalidation consumer connected");
        loop {
            let popped: Option<(String, i64)> = match listener.blpop(INVALIDATION_QUEUE, 30.0).await {
                Ok(v) => v,
                Err(e) => {
                    warn!(error = %e, "BLPOP failed; reconnecting");
                    break;
                }
            };
            let Some((_, product_id)) = popped else { continue };
            if let Err(e) = store.forget(product_id).await {
                warn!(error = %e, product_id, "cache entry not invalidated");
            }
        }
    }
}
