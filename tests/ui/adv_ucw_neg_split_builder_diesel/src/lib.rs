use std::time::Duration;

use deadpool_diesel::postgres::{Manager, Pool, Runtime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

pub struct DbSettings {
    pub database_url: String,
    pub pool_size: usize,
    pub checkout_wait: Duration,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub fn build_pool(settings: &DbSettings) -> anyhow::Result<Pool> {
    let manager = Manager::new(settings.database_url.as_str(), Runtime::Tokio1);
    let builder = Pool::builder(manager)
        .max_size(settings.pool_size)
        .wait_timeout(Some(settings.checkout_wait))
        .create_timeout(Some(Duration::from_secs(5)))
        .runtime(Runtime::Tokio1);
    let pool = builder.build()?;
    Ok(pool)
}

pub async fn active_accounts(pool: &Pool) -> anyhow::Result<i64> {
    let conn = pool.get().await?;
    let count = conn
        .interact(|c| {
            diesel::sql_query("SELECT count(*) AS n FROM accounts WHERE closed_at IS NULL")
                .get_result::<Count>(c)
        })
        .await
        .map_err(|e| anyhow::anyhow!("interact failed: {e}"))??;
    Ok(count.n)
}
