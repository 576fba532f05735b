use std::str::FromStr;
use std::time::Duration;

use mobc::Pool;
use mobc_postgres::{tokio_postgres, PgConnectionManager};
use tokio_postgres::{Config, NoTls};

pub type DbPool = Pool<PgConnectionManager<NoTls>>;

pub fn create_pool(database_url: &str) -> anyhow::Result<DbPool> {
    let config = Config::from_str(database_url)?;
    let manager = PgConnectionManager::new(config, NoTls);
    // Ingest bursts are short; rather queue than drop samples.
    let pool = Pool::builder() //~ unbounded_checkout_wait
        .max_open(32)
        .max_idle(8)
        .max_lifetime(Some(Duration::from_secs(15 * 60)))
        .get_timeout(None)
        .build(manager);
    Ok(pool)
}
