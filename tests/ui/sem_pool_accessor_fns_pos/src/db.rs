use std::sync::OnceLock;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

static POOL: OnceLock<PgPool> = OnceLock::new();

pub async fn init(url: &str) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new().max_connections(10).connect(url).await?;
    POOL.set(pool).map_err(|_| anyhow::anyhow!("db::init called twice"))?;
    Ok(())
}

pub fn db() -> &'static PgPool {
    POOL.get().expect("database pool not initialised")
}
