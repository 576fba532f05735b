// The pool is spelled `Pool<Postgres>` (not the `PgPool` alias): `Notifier::flush` holds
// `self.pool.acquire()` and awaits `self.recipients(..)`, which runs `fetch_all(&self.pool)`.
use sqlx::{Pool, Postgres};

pub struct Notifier {
    pool: Pool<Postgres>,
}

impl Notifier {
    pub fn new(pool: Pool<Postgres>) -> Self {
        Self { pool }
    }

    async fn recipients(&self, topic: &str) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT email FROM topic_subscribers WHERE topic = $1 AND muted = false")
            .bind(topic)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn flush(&self, topic: &str, body: &str) -> Result<usize, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let to = self.recipients(topic).await?; //~ nested_checkout
        for email in &to {
            sqlx::query("INSERT INTO outbound_mail (recipient, body) VALUES ($1, $2)")
                .bind(email)
                .bind(body)
                .execute(&mut *conn)
                .await?;
        }
        Ok(to.len())
    }
}
