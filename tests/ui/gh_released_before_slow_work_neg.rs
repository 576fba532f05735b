// Each handler lets its connection go before the slow part: an explicit drop, a block that
// ends, a commit. The semaphore permit is held across awaits on purpose (that is what it is for).
use bb8_redis::{bb8::Pool, redis::AsyncCommands, RedisConnectionManager};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

pub struct Thumbnails {
    cache: Pool<RedisConnectionManager>,
    db: sqlx::PgPool,
    encoders: Arc<Semaphore>,
    http: reqwest::Client,
}

impl Thumbnails {
    pub async fn warm(&self, key: &str, url: &str) -> anyhow::Result<()> {
        let mut conn = self.cache.get().await?;
        let cached: Option<Vec<u8>> = conn.get(key).await?;
        drop(conn);
        if cached.is_none() {
            let bytes = self.http.get(url).send().await?.bytes().await?;
            let mut conn = self.cache.get().await?;
            let _: () = conn.set_ex(key, bytes.to_vec(), 3600).await?;
        }
        Ok(())
    }

    pub async fn render(&self, id: i64) -> anyhow::Result<Vec<u8>> {
        let _permit = self.encoders.acquire().await?;
        let source: Vec<u8> = {
            let mut tx = self.db.begin().await?;
            let bytes = sqlx::query_scalar("SELECT bytes FROM sources WHERE id = $1 FOR SHARE")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            bytes
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        let out = tokio::task::spawn_blocking(move || source.iter().rev().copied().collect::<Vec<u8>>()).await?;
        Ok(out)
    }

    pub async fn purge_later(&self, key: String) -> anyhow::Result<()> {
        let pool = self.cache.clone();
        let mut conn = self.cache.get().await?;
        let _: () = conn.expire(&key, 60).await?;
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(60)).await;
            if let Ok(mut c) = pool.get().await {
                let _: Result<(), _> = c.del(&key).await;
            }
        });
        Ok(())
    }
}
