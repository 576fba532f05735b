use std::time::Duration;

use mobc::Pool;
use mobc_postgres::tokio_postgres::{self, NoTls};
use mobc_postgres::PgConnectionManager;

pub type PgPool = Pool<PgConnectionManager<NoTls>>;

#[derive(Debug)]
pub enum DbError {
    Pool(mobc::Error<tokio_postgres::Error>),
    Query(tokio_postgres::Error),
}

pub fn build_pool(database_url: &str) -> Result<PgPool, tokio_postgres::Error> {
    let config: tokio_postgres::Config = database_url.parse()?;
    let manager = PgConnectionManager::new(config, NoTls);
    let pool = Pool::builder()
        .max_open(20)
        .max_idle(5)
        .get_timeout(Some(Duration::from_secs(5)))
        // connections are recycled by pgbouncer, no need to rotate them here
        .max_lifetime(None)
        .max_idle_lifetime(Some(Duration::from_secs(600)))
        .build(manager);
    Ok(pool)
}

pub async fn stock_level(pool: &PgPool, sku: &str) -> Result<i32, DbError> {
    let client = pool.get().await.map_err(DbError::Pool)?;
    let row = client
        .query_one("SELECT quantity FROM stock WHERE sku = $1", &[&sku])
        .await
        .map_err(DbError::Query)?;
    Ok(row.get(0))
}

pub async fn reserve(pool: &PgPool, sku: &str, qty: i32) -> Result<bool, DbError> {
    let client = pool.get().await.map_err(DbError::Pool)?;
    let updated = client
        .execute(
            "UPDATE stock SET quantity = quantity - $2 WHERE sku = $1 AND quantity >= $2",
            &[&sku, &qty],
        )
        .await
        .map_err(DbError::Query)?;
    Ok(updated == 1)
}
