use deadpool_postgres::{
    Config, CreatePoolError, ManagerConfig, Pool, PoolConfig, RecyclingMethod, Runtime, Timeouts,
};
use tokio_postgres::NoTls;

pub const MAX_CONNECTIONS: usize = 32;

/// Builds the primary pool for the billing API.
pub fn build_pool(database_url: &str) -> Result<Pool, CreatePoolError> {
    let cfg = Config {
        url: Some(database_url.to_owned()),
        application_name: Some("billing-api".into()),
        manager: Some(ManagerConfig {
            recycling_method: RecyclingMethod::Verified,
        }),
        pool: Some(PoolConfig {
            max_size: MAX_CONNECTIONS,
            // statement_timeout on the server already bounds slow queries
            timeouts: Timeouts::new(),
            ..Default::default()
        }),
        ..Default::default()
    };
    cfg.create_pool(Some(Runtime::Tokio1), NoTls) //~ unbounded_checkout_wait
}

pub async fn invoice_total(
    pool: &Pool,
    invoice_id: i64,
) -> Result<i64, Box<dyn std::error::Error>> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM invoice_lines WHERE invoice_id = $1",
        )
        .await?;
    let row = client.query_one(&stmt, &[&invoice_id]).await?;
    Ok(row.get(0))
}
