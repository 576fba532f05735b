// A repository function generic over `E: Executor<'c, Database = Postgres>` is called with
// `&self.pool` while `self.pool.begin()` is held: the executor is the pool, so it checks out again.
use sqlx::{Executor, PgPool, Postgres};

pub struct WebhookRepo {
    pool: PgPool,
}

pub async fn endpoint_secret<'c, E>(executor: E, endpoint_id: i64) -> Result<String, sqlx::Error>
where
    E: Executor<'c, Database = Postgres>,
{
    sqlx::query_scalar("SELECT secret FROM webhook_endpoints WHERE id = $1")
        .bind(endpoint_id)
        .fetch_one(executor)
        .await
}

impl WebhookRepo {
    pub async fn rotate_and_enqueue(&self, endpoint_id: i64, payload: &str) -> Result<String, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE webhook_endpoints SET secret = encode(gen_random_bytes(24), 'hex') WHERE id = $1")
            .bind(endpoint_id)
            .execute(&mut *tx)
            .await?;
        let secret = endpoint_secret(&self.pool, endpoint_id).await?; //~ nested_checkout
        sqlx::query("INSERT INTO webhook_deliveries (endpoint_id, payload) VALUES ($1, $2)")
            .bind(endpoint_id)
            .bind(payload)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(secret)
    }
}
