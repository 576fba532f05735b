// An idempotency check opens a transaction and hands it to the caller when the request is
// new; otherwise it reads the saved answer. The transaction is moved out only in the first
// branch: in the second it is still open, and the helper asks the pool for another connection.
use sqlx::{PgPool, Postgres, Transaction};

pub enum NextStep {
    Process(Transaction<'static, Postgres>),
    Replay(String),
}

async fn saved_answer(pool: &PgPool, key: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT body FROM idempotency WHERE key = $1")
        .bind(key)
        .fetch_one(pool)
        .await
}

pub async fn begin_request(pool: &PgPool, key: &str) -> Result<NextStep, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query("INSERT INTO idempotency (key) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(key)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if inserted > 0 {
        Ok(NextStep::Process(tx))
    } else {
        let body = saved_answer(pool, key).await?; //~ nested_checkout
        Ok(NextStep::Replay(body))
    }
}
