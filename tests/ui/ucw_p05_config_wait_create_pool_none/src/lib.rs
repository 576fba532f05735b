//! Postgres-backed product catalog used by the storefront services.

use std::time::Duration;

use deadpool_postgres::{
    Config, CreatePoolError, ManagerConfig, Pool, PoolConfig, PoolError, RecyclingMethod, Timeouts,
};
use tokio_postgres::NoTls;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("pool: {0}")]
    Pool(#[from] PoolError),
    #[error("postgres: {0}")]
    Pg(#[from] tokio_postgres::Error),
}

pub struct CatalogStore {
    pool: Pool,
}

impl CatalogStore {
    pub fn open(database_url: &str) -> Result<Self, CreatePoolError> {
        let cfg = Config {
            url: Some(database_url.to_owned()),
            application_name: Some("catalog-store".to_owned()),
            manager: Some(ManagerConfig { recycling_method: RecyclingMethod::Fast }),
            pool: Some(PoolConfig {
                max_size: 24,
                timeouts: Timeouts {
                    wait: Some(Duration::from_secs(3)),
                    create: Some(Duration::from_secs(3)),
                    recycle: None,
                },
                ..Default::default()
            }),
            ..Default::default()
        };
        let pool = cfg.create_pool(None, NoTls)?; //~ unbounded_checkout_wait
        Ok(Self { pool })
    }

    pub async fn price_of(&self, sku: &str) -> Result<Option<i64>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client.prepare_cached("SELECT price_cents FROM products WHERE sku = $1").await?;
        let row = client.query_opt(&stmt, &[&sku]).await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub async fn set_price(&self, sku: &str, cents: i64) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        let n = client
            .execute("UPDATE products SET price_cents = $2 WHERE sku = $1", &[&sku, &cents])
            .await?;
        Ok(n == 1)
    }
}
