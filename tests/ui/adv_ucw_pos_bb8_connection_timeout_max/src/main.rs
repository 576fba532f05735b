use std::time::Duration;

use bb8::Pool;
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::NoTls;

type PgPool = Pool<PostgresConnectionManager<NoTls>>;

async fn connect(database_url: &str) -> anyhow::Result<PgPool> {
    let manager = PostgresConnectionManager::new_from_stringlike(database_url, NoTls)?;
    let pool = Pool::builder() //~ unbounded_checkout_wait
        .max_size(4)
        // the relay is the only client; a busy pool just means "try again later"
        .connection_timeout(Duration::MAX)
        .idle_timeout(None)
        .build(manager)
        .await?;
    Ok(pool)
}

async fn relay_batch(pool: &PgPool) -> anyhow::Result<u64> {
    let mut conn = pool.get().await?;
    let tx = conn.transaction().await?;
    let rows = tx
        .query(
            "DELETE FROM outbox WHERE id IN \
             (SELECT id FROM outbox ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED) \
             RETURNING topic, payload",
            &[],
        )
        .await?;
    for row in &rows {
        let topic: &str = row.get(0);
        let payload: &str = row.get(1);
        println!("publish {topic}: {payload}");
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let database_url = std::env::var("DATABASE_URL")?;
    let pool = connect(&database_url).await?;
    loop {
        let relayed = relay_batch(&pool).await?;
        if relayed == 0 {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}
