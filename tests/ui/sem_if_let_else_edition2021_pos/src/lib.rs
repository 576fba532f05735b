use deadpool_redis::redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
pub struct ListingItem {
    pub product_id: i64,
    pub title: String,
    pub price_cents: i64,
}

pub struct ListingCache {
    redis: deadpool_redis::Pool,
    db: PgPool,
}

impl ListingCache {
    pub fn new(redis: deadpool_redis::Pool, db: PgPool) -> Self {
        Self { redis, db }
    }

    pub async fn category_listing(&self, category_id: i64) -> anyhow::Result<Vec<ListingItem>> {
        let key = format!("listing:{category_id}");
        let items = if let Some(json) = self.redis.get().await?.get::<_, Option<String>>(&key).await? {
            serde_json::from_str(&json)?
        } else {
            self.rebuild(category_id, &key).await? //~ nested_checkout
        };
        Ok(items)
    }

    async fn rebuild(&self, category_id: i64, key: &str) -> anyhow::Result<Vec<ListingItem>> {
        let items = sqlx::query_as::<_, ListingItem>(
            "SELECT p.id AS product_id, p.title, p.price_cents FROM products p \
             WHERE p.category_id = $1 AND p.visible ORDER BY p.rank LIMIT 200",
        )
        .bind(category_id)
        .fetch_all(&self.db)
        .await?;
        let mut conn = self.redis.get().await?;
        conn.set_ex::<_, _, ()>(key, serde_json::to_string(&items)?, 300).await?;
        Ok(items)
    }
}
