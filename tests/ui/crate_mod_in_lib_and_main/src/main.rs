//! The worker binary declares the cache module again instead of using the library's.

mod cache;

use bb8_redis::redis::AsyncCommands;
use cache::RedisPool;

async fn refresh_feed(pool: &RedisPool, feed_id: u64) -> redis::RedisResult<()> {
    let mut conn = pool.get().await.map_err(|e| redis::RedisError::from(std::io::Error::other(e.to_string())))?;
    let entries: Vec<String> = conn.lrange(format!("feed:{feed_id}:pending"), 0, -1).await?;
    if entries.is_empty() {
        // Still holding `conn`: `invalidate` waits for a second connection.
        cache::invalidate(pool, feed_id).await?; //~ nested_checkout
    }
    conn.del::<_, ()>(format!("feed:{feed_id}:pending")).await
}

#[tokio::main]
async fn main() {
    let manager = bb8_redis::RedisConnectionManager::new("redis://127.0.0.1").expect("redis url");
    let pool = bb8::Pool::builder().max_size(8).build(manager).await.expect("pool");
    for feed in 1..=3 {
        let _ = refresh_feed(&pool, feed).await;
    }
}
