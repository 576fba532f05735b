use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

pub fn build_pool(database_url: &str, max_size: usize) -> anyhow::Result<Pool> {
    let pg_config: tokio_postgres::Config = database_url.parse()?;
    let manager = Manager::from_config(
        pg_config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(Duration::from_secs(5)))
        .runtime(Runtime::Tokio1)
        .build()?;
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use deadpool_postgres::{Config, Pool, PoolConfig};
    use tokio_postgres::NoTls;

    const TEST_DATABASE_URL: &str = "postgres://orders:orders@localhost:5433/orders_test";

    fn test_pool() -> Pool {
        let mut cfg = Config::new();
        cfg.url = Some(TEST_DATABASE_URL.to_owned());
        // two connections are plenty for the integration tests
        cfg.pool = Some(PoolConfig::new(2));
        cfg.create_pool(None, NoTls).expect("test pool") //~ unbounded_checkout_wait
    }

    #[tokio::test]
    async fn counts_orders() {
        let pool = test_pool();
        let client = pool.get().await.unwrap();
        let row = client
            .query_one("SELECT count(*) FROM orders", &[])
            .await
            .unwrap();
        let count: i64 = row.get(0);
        assert!(count >= 0);
    }
}
