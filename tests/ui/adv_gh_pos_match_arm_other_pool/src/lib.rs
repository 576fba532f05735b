use deadpool_redis::redis::AsyncCommands;
use sqlx::PgPool;

pub enum Job {
    ReindexProduct { product_id: i64 },
    PurgeSession { session_id: String },
}

#[derive(sqlx::FromRow)]
struct Product {
    id: i64,
    name: String,
}

pub struct Worker {
    pg: PgPool,
    redis: deadpool_redis::Pool,
}

impl Worker {
    pub fn new(pg: PgPool, redis: deadpool_redis::Pool) -> Self {
        Self { pg, redis }
    }

    pub async fn handle(&self, job: Job) -> anyhow::Result<()> {
        match job {
            Job::ReindexProduct { product_id } => {
                let mut conn = self.pg.acquire().await?;
                let product: Product =
                    sqlx::query_as("SELECT id, name FROM products WHERE id = $1")
                        .bind(product_id)
                        .fetch_one(&mut *conn)
                        .await?;
                let key = format!("product:{}", product.id);
                if let Some(stale) = self //~ guard_held_across_await
                    .redis
                    .get()
                    .await?
                    .get::<_, Option<String>>(&key)
                    .await?
                {
                    tracing::debug!(%key, %stale, name = %product.name, "replacing cached product");
                }
                sqlx::query("UPDATE products SET indexed_at = now() WHERE id = $1")
                    .bind(product.id)
                    .execute(&mut *conn)
                    .await?;
            }
            Job::PurgeSession { session_id } => {
                let mut cache = self.redis.get().await?;
                let _: () = cache.del(format!("session:{session_id}")).await?;
            }
        }
        Ok(())
    }
}
