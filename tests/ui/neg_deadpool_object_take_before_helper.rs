// Negative: `Object::take(client)` detaches the connection from the pool (its slot is freed), so
// `warm_report_cache(pool)` checks out while this function holds no pool slot.
use deadpool_postgres::{ClientWrapper, Object, Pool};

async fn warm_report_cache(pool: &Pool) -> anyhow::Result<u64> {
    let client = pool.get().await?;
    let n = client
        .execute("REFRESH MATERIALIZED VIEW CONCURRENTLY report_daily_totals", &[])
        .await?;
    Ok(n)
}

/// Opens a session for the reporting role. The role change must never leak back into the pool,
/// so the connection is detached from it and closed when the session ends.
pub async fn open_report_session(pool: &Pool, analyst: &str) -> anyhow::Result<ClientWrapper> {
    let client = pool.get().await?;
    client.batch_execute("SET ROLE report_reader").await?;
    client
        .execute("SELECT set_config('app.analyst', $1, false)", &[&analyst])
        .await?;
    let session = Object::take(client);
    warm_report_cache(pool).await?;
    Ok(session)
}
