// Negative: mobc `Connection::into_inner()` unwraps the connection and releases its pool permit, so
// `refresh_counters(pool)` checks out while this function holds no slot of the pool.
use mobc::Pool;
use mobc_postgres::{tokio_postgres::NoTls, PgConnectionManager};

pub type DbPool = Pool<PgConnectionManager<NoTls>>;

async fn refresh_counters(pool: &DbPool) -> anyhow::Result<()> {
    let conn = pool.get().await?;
    conn.batch_execute("REFRESH MATERIALIZED VIEW CONCURRENTLY topic_counters").await?;
    Ok(())
}

/// Hands a connection to the long-running change-feed task, outside the pool's accounting.
pub async fn start_change_feed(pool: &DbPool) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let conn = pool.get().await?;
    conn.batch_execute("SET idle_in_transaction_session_timeout = 0").await?;
    let client = conn.into_inner();
    refresh_counters(pool).await?;
    let feed = tokio::spawn(async move {
        loop {
            if let Err(err) = client.batch_execute("SELECT pg_sleep(30)").await {
                tracing::warn!(%err, "change feed stopped");
                break;
            }
        }
    });
    Ok(feed)
}
