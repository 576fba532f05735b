//! Feed entries cached in Redis.

use bb8_redis::{bb8::Pool, redis::AsyncCommands, RedisConnectionManager};

pub type RedisPool = Pool<RedisConnectionManager>;

/// Marks a feed stale, on a connection of its own.
pub async fn invalidate(pool: &RedisPool, feed_id: u64) -> redis::RedisResult<()> {
    let mut conn = pool.get().await.map_err(|e| redis::RedisError::from(std::io::Error::other(e.to_string())))?;
    conn.del::<_, ()>(format!("feed:{feed_id}")).await
}
