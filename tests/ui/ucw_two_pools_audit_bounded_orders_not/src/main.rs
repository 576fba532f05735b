// Two deadpool pools without a wait timeout: every checkout of the audit pool has a timeout
// of its own (`timeout_get`), so only the orders pool, whose checkout does not, is reported.
use deadpool_postgres::{Config, Runtime, Timeouts};
use std::time::Duration;
use tokio_postgres::NoTls;

struct AppState {
    db: deadpool_postgres::Pool,
    audit: deadpool_postgres::Pool,
}

impl AppState {
    async fn orders(&self) -> anyhow::Result<i64> {
        let client = self.db.get().await?;
        Ok(client.query_one("SELECT count(*) FROM orders", &[]).await?.get(0))
    }

    async fn record(&self, event: &str) -> anyhow::Result<()> {
        let t = Timeouts { wait: Some(Duration::from_millis(200)), ..Default::default() };
        let client = self.audit.timeout_get(&t).await?;
        client.execute("INSERT INTO audit (event) VALUES ($1)", &[&event]).await?;
        Ok(())
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut db = Config::new();
    db.url = Some(std::env::var("DATABASE_URL")?);
    let mut audit = Config::new();
    audit.url = Some(std::env::var("AUDIT_DATABASE_URL")?);
    let state = AppState {
        db: db.create_pool(Some(Runtime::Tokio1), NoTls)?, //~ unbounded_checkout_wait
        audit: audit.create_pool(Some(Runtime::Tokio1), NoTls)?,
    };
    state.record("boot").await?;
    println!("{}", state.orders().await?);
    Ok(())
}
