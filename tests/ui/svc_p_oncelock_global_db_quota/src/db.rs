use std::sync::OnceLock;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

static POOL: OnceLock<PgPool> = OnceLock::new();

pub async fn init(url: &str) -> Result<(), sqlx::Error> {
    let pool = PgPoolOptions::new().max_connections(10).connect(url).await?;
    POOL.set(pool).expect("db::init called twice");
    Ok(())
}

/// The process-wide pool; `init` must have run first.
pub fn db() -> &'static PgPool {
    POOL.get().expect("db::init was not called")
}
