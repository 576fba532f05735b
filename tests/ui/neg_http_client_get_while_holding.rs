// Negative: `self.http.get(url)` is reqwest's request builder and `headers.get(..)` a `HeaderMap`
// lookup: one-argument `get`s that are not pool checkouts, made while a pooled connection is held.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};
use reqwest::blocking::Client as HttpClient;

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct WebhookDispatcher {
    pool: DbPool,
    http: HttpClient,
}

impl WebhookDispatcher {
    pub fn new(pool: DbPool, http: HttpClient) -> Self {
        Self { pool, http }
    }

    /// Checks each endpoint's health page and records the result.
    pub fn probe_endpoints(&self) -> anyhow::Result<usize> {
        let mut conn = self.pool.get()?;
        let rows = conn.query("SELECT id, health_url FROM webhook_endpoints WHERE enabled", &[])?;
        let mut healthy = 0;
        for row in &rows {
            let id: i64 = row.get(0);
            let url: String = row.get(1);
            let response = self.http.get(&url).send();
            let (ok, server) = match response {
                Ok(resp) => {
                    let server = resp.headers().get("server").and_then(|v| v.to_str().ok()).map(str::to_owned);
                    (resp.status().is_success(), server)
                }
                Err(_) => (false, None),
            };
            healthy += usize::from(ok);
            conn.execute(
                "UPDATE webhook_endpoints SET healthy = $2, server = $3, probed_at = now() WHERE id = $1",
                &[&id, &ok, &server],
            )?;
        }
        Ok(healthy)
    }
}
