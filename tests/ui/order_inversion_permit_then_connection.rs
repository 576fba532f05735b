// A semaphore that caps concurrent exports is a pool of permits. The export handler takes a
// permit and then a bb8 connection; the nightly job takes a connection and then a permit
// (through `throttled_upload`). With every permit held by exports waiting for a connection,
// and every connection held by job runs waiting for a permit, both wait forever.
use std::sync::Arc;

use bb8_postgres::{bb8::Pool, tokio_postgres::NoTls, PostgresConnectionManager};
use tokio::sync::Semaphore;

pub struct AppState {
    pub db: Pool<PostgresConnectionManager<NoTls>>,
    pub exports: Arc<Semaphore>,
}

impl AppState {
    pub async fn export_csv(&self, account: i64) -> anyhow::Result<String> {
        let _permit = self.exports.acquire().await?;
        let conn = self.db.get().await?; //~ checkout_order_inversion
        let rows = conn.query("SELECT id, amount FROM invoices WHERE account = $1", &[&account]).await?;
        Ok(rows
            .iter()
            .map(|r| format!("{},{}", r.get::<_, i64>(0), r.get::<_, i64>(1)))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    async fn throttled_upload(&self, body: String) -> anyhow::Result<()> {
        let _permit = self.exports.acquire().await?;
        tokio::fs::write("/var/exports/nightly.csv", body).await?;
        Ok(())
    }

    pub async fn nightly(&self) -> anyhow::Result<()> {
        let conn = self.db.get().await?;
        let rows = conn.query("SELECT id, amount FROM invoices WHERE created_at > now() - interval '1 day'", &[]).await?;
        let body = rows.iter().map(|r| r.get::<_, i64>(0).to_string()).collect::<Vec<_>>().join("\n");
        self.throttled_upload(body).await?;
        conn.execute("UPDATE export_runs SET finished_at = now()", &[]).await?;
        Ok(())
    }
}
