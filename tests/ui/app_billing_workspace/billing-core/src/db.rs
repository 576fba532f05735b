use std::ops::Deref;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::BillingError;

#[derive(Debug, Clone)]
pub struct DbConfig {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl DbConfig {
    pub fn from_env() -> Result<Self, BillingError> {
        Ok(Self {
            url: std::env::var("DATABASE_URL").map_err(|_| BillingError::Config("DATABASE_URL is not set".into()))?,
            max_connections: std::env::var("DB_MAX_CONNECTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10),
            acquire_timeout: Duration::from_secs(5),
        })
    }
}

/// The billing database. Derefs to its pool, so `db.begin()` and `&*db` work as on a `PgPool`.
#[derive(Debug, Clone)]
pub struct Database {
    pool: PgPool,
}

impl Database {
    pub async fn connect(cfg: &DbConfig) -> Result<Self, BillingError> {
        let pool = PgPoolOptions::new().max_connections(cfg.max_connections).acquire_timeout(cfg.acquire_timeout).connect(&cfg.url).await?;
        Ok(Self { pool })
    }

    pub fn pool(&self) -> &PgPool { &self.pool }
}

impl Deref for Database {
    type Target = PgPool;

    fn deref(&self) -> &PgPool { &self.pool }
}
