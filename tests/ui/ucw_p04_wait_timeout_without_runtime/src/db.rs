use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

pub fn pool_from_url(database_url: &str, workers: usize) -> anyhow::Result<Pool> {
    let pg_config: tokio_postgres::Config = database_url.parse()?;
    let mgr = Manager::from_config(
        pg_config,
        NoTls,
        ManagerConfig { recycling_method: RecyclingMethod::Verified },
    );
    // Give up on a checkout after 5 s so a stuck batch does not hang the worker.
    let pool = Pool::builder(mgr) //~ unbounded_checkout_wait
        .max_size(workers + 2)
        .wait_timeout(Some(Duration::from_secs(5)))
        .build()?;
    Ok(pool)
}
