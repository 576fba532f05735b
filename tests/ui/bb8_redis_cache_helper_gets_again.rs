// bb8 + bb8_redis: `FeedCache::timeline` holds a connection from `self.redis` and, per post, awaits
// `self.author_name(..)`, which checks out a second connection from the same bb8 pool.
use bb8::Pool;
use bb8_redis::{redis::AsyncCommands, RedisConnectionManager};

pub type RedisPool = Pool<RedisConnectionManager>;

pub struct FeedCache {
    redis: RedisPool,
}

pub struct FeedEntry {
    pub author: String,
    pub body: String,
}

impl FeedCache {
    pub fn new(redis: RedisPool) -> Self {
        Self { redis }
    }

    async fn author_name(&self, author_id: u64) -> anyhow::Result<String> {
        let mut conn = self.redis.get().await?;
        let name: Option<String> = conn.hget(format!("author:{author_id}"), "name").await?;
        Ok(name.unwrap_or_else(|| "unknown".to_owned()))
    }

    pub async fn timeline(&self, user_id: u64) -> anyhow::Result<Vec<FeedEntry>> {
        let mut conn = self.redis.get().await?;
        let post_ids: Vec<u64> = conn.zrevrange(format!("timeline:{user_id}"), 0, 29).await?;
        let mut entries = Vec::with_capacity(post_ids.len());
        for post_id in post_ids {
            let (author_id, body): (u64, String) =
                conn.hget(format!("post:{post_id}"), &["author_id", "body"]).await?;
            let author = self.author_name(author_id).await?; //~ nested_checkout
            entries.push(FeedEntry { author, body });
        }
        Ok(entries)
    }
}
