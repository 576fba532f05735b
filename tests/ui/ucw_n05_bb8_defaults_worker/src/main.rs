use std::time::Duration;

use bb8::Pool;
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::NoTls;

type PgPool = Pool<PostgresConnectionManager<NoTls>>;

async fn dispatch_pending(pool: &PgPool, http: &reqwest::Client) -> anyhow::Result<usize> {
    let conn = pool.get().await?;
    let rows = conn
        .query(
            "SELECT id, target_url, payload::text FROM webhook_deliveries \
             WHERE delivered_at IS NULL AND attempts < 5 ORDER BY id LIMIT 20",
            &[],
        )
        .await?;
    drop(conn);

    for row in &rows {
        let id: i64 = row.get(0);
        let url: String = row.get(1);
        let payload: String = row.get(2);
        let ok = http.post(&url).body(payload).send().await.map(|r| r.status().is_success());

        let conn = pool.get().await?;
        if let Ok(true) = ok {
            conn.execute("UPDATE webhook_deliveries SET delivered_at = now() WHERE id = $1", &[&id])
                .await?;
        } else {
            conn.execute("UPDATE webhook_deliveries SET attempts = attempts + 1 WHERE id = $1", &[&id])
                .await?;
        }
    }
    Ok(rows.len())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let manager =
        PostgresConnectionManager::new_from_stringlike(std::env::var("DATABASE_URL")?, NoTls)?;
    let pool = Pool::builder()
        .max_size(15)
        .min_idle(Some(2))
        .idle_timeout(Some(Duration::from_secs(300)))
        .build(manager)
        .await?;
    let http = reqwest::Client::new();

    loop {
        match dispatch_pending(&pool, &http).await {
            Ok(0) => tokio::time::sleep(Duration::from_secs(1)).await,
            Ok(n) => tracing::debug!(n, "dispatched webhooks"),
            Err(e) => tracing::error!(error = %e, "dispatch loop failed"),
        }
    }
}
