//! Redis-backed read model for the merchant dashboard.

use deadpool_redis::redis::{AsyncCommands, RedisError};
use deadpool_redis::{Pool, PoolError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("redis pool: {0}")]
    Pool(#[from] PoolError),
    #[error("redis: {0}")]
    Redis(#[from] RedisError),
}

#[derive(Debug, Serialize)]
pub struct Dashboard {
    pub shop_id: u64,
    pub name: Option<String>,
    pub visits_today: u64,
    pub messages: Vec<String>,
}

pub async fn shop_messages(pool: &Pool, shop_id: u64) -> Result<Vec<String>, CacheError> {
    let mut conn = pool.get().await?;
    let msgs: Vec<String> = conn.lrange(format!("shop:{shop_id}:messages"), 0, 49).await?;
    Ok(msgs)
}

pub async fn shop_dashboard(pool: &Pool, shop_id: u64) -> Result<Dashboard, CacheError> {
    let mut conn = pool.get().await?;
    let name: Option<String> = conn.get(format!("shop:{shop_id}:name")).await?;
    let visits_today: u64 = conn.incr(format!("shop:{shop_id}:visits"), 1).await?;

    let messages = shop_messages(pool, shop_id).await.unwrap_or_default(); //~ nested_checkout

    let _: () = conn
        .set_ex(format!("shop:{shop_id}:last_dashboard"), visits_today, 3600)
        .await?;
    Ok(Dashboard { shop_id, name, visits_today, messages })
}
