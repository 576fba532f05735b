// Services build their deadpool pools in different ways. The search pool sets only its size,
// so its checkouts wait forever; the billing pool sets the wait on the config's timeouts; the
// reporting pool sets timeouts and a runtime on the builder. The audit pool (through an alias)
// has no wait timeout: `record` bounds its checkout with `tokio::time::timeout`, but `purge`
// does not, so it is reported, naming `purge`'s checkout.
use deadpool_postgres::{Config, Manager, ManagerConfig, Pool, PoolConfig, RecyclingMethod, Runtime, Timeouts};
use std::time::Duration;
use tokio_postgres::NoTls;

pub type AuditPool = deadpool_postgres::Pool;

pub fn search_pool(url: &str) -> anyhow::Result<Pool> {
    let mut cfg = Config::new();
    cfg.url = Some(url.to_string());
    cfg.manager = Some(ManagerConfig { recycling_method: RecyclingMethod::Fast });
    cfg.pool = Some(PoolConfig::new(32));
    Ok(cfg.create_pool(Some(Runtime::Tokio1), NoTls)?) //~ unbounded_checkout_wait
}

pub fn billing_pool(url: &str) -> anyhow::Result<Pool> {
    let mut cfg = Config::new();
    cfg.url = Some(url.to_string());
    cfg.pool = Some(PoolConfig::new(16));
    cfg.pool.as_mut().expect("just set").timeouts.wait = Some(Duration::from_secs(3));
    Ok(cfg.create_pool(Some(Runtime::Tokio1), NoTls)?)
}

pub fn audit_pool(pg: tokio_postgres::Config) -> anyhow::Result<AuditPool> {
    let mgr = Manager::new(pg, NoTls);
    let pool = AuditPool::builder(mgr).max_size(4).build()?; //~ unbounded_checkout_wait
    Ok(pool)
}

pub fn reporting_pool(pg: tokio_postgres::Config) -> anyhow::Result<AuditPool> {
    let mgr = Manager::new(pg, NoTls);
    let pool = AuditPool::builder(mgr)
        .max_size(4)
        .timeouts(Timeouts { wait: Some(Duration::from_secs(2)), ..Default::default() })
        .runtime(Runtime::Tokio1)
        .build()?;
    Ok(pool)
}

pub async fn record(pool: &AuditPool, event: &str) -> anyhow::Result<()> {
    let client = tokio::time::timeout(Duration::from_secs(2), pool.get()).await??;
    client.execute("INSERT INTO audit (event) VALUES ($1)", &[&event]).await?;
    Ok(())
}

pub async fn purge(pool: &AuditPool) -> anyhow::Result<u64> {
    let client = pool.get().await?;
    Ok(client.execute("DELETE FROM audit WHERE at < now() - interval '90 days'", &[]).await?)
}
