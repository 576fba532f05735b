mod db;

use std::time::Duration;

async fn process_batch(pool: &deadpool_postgres::Pool) -> anyhow::Result<u64> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let rows = tx
        .query(
            "SELECT id FROM invoices WHERE state = 'pending' ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED",
            &[],
        )
        .await?;
    for row in &rows {
        let id: i64 = row.get(0);
        tx.execute("UPDATE invoices SET state = 'issued', issued_at = now() WHERE id = $1", &[&id])
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let workers = 4;
    let pool = db::pool_from_url(&url, workers)?;

    let mut handles = Vec::new();
    for n in 0..workers {
        let pool = pool.clone();
        handles.push(tokio::spawn(async move {
            loop {
                match process_batch(&pool).await {
                    Ok(0) => tokio::time::sleep(Duration::from_secs(2)).await,
                    Ok(done) => tracing::info!(worker = n, done, "issued invoices"),
                    Err(e) => tracing::warn!(worker = n, error = %e, "batch failed"),
                }
            }
        }));
    }
    for h in handles {
        h.await?;
    }
    Ok(())
}
