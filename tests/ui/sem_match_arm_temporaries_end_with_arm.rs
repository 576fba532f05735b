// A cache that is one Redis server or a cluster: each arm takes a connection for one command,
// as a temporary of that arm. The arm's temporaries are dropped when the arm ends, so the
// other arm's checkout never runs while one is held.
use bb8::Pool;
use bb8_redis::RedisConnectionManager;

pub enum CachePool {
    Single(Pool<RedisConnectionManager>),
    Cluster(Pool<RedisConnectionManager>),
}

pub struct SessionCache {
    pool: CachePool,
}

impl SessionCache {
    pub async fn touch(&self, key: &str) -> Result<(), String> {
        match &self.pool {
            CachePool::Single(pool) => pool
                .get()
                .await
                .map_err(|e| e.to_string())?
                .expire(key, 60)
                .await
                .map_err(|e| e.to_string()),
            CachePool::Cluster(pool) => pool
                .get()
                .await
                .map_err(|e| e.to_string())?
                .expire(key, 60)
                .await
                .map_err(|e| e.to_string()),
        }
    }
}
