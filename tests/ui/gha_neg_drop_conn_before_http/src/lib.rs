use bb8_postgres::{tokio_postgres::NoTls, PostgresConnectionManager};
use chrono::{Duration, Utc};
use tracing::info;

type PgPool = bb8::Pool<PostgresConnectionManager<NoTls>>;

pub struct DailyDigestJob {
    pool: PgPool,
    http: reqwest::Client,
    slack_webhook_url: String,
}

impl DailyDigestJob {
    pub async fn run(&self) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let since = Utc::now() - Duration::hours(24);

        let conn = self.pool.get().await?;
        let rows = conn
            .query(
                "SELECT plan, count(*) FROM signups WHERE created_at >= $1 GROUP BY plan ORDER BY 2 DESC",
                &[&since],
            )
            .await?;
        let churned: i64 = conn
            .query_one("SELECT count(*) FROM subscriptions WHERE cancelled_at >= $1", &[&since])
            .await?
            .get(0);
        drop(conn);

        let mut lines = Vec::with_capacity(rows.len() + 2);
        lines.push("*Signups in the last 24h*".to_owned());
        for row in &rows {
            let plan: String = row.get(0);
            let count: i64 = row.get(1);
            lines.push(format!("• {plan}: {count}"));
        }
        lines.push(format!("Cancellations: {churned}"));

        let resp = self
            .http
            .post(&self.slack_webhook_url)
            .json(&serde_json::json!({ "text": lines.join("\n") }))
            .send()
            .await?;
        resp.error_for_status()?;

        info!(plans = rows.len(), churned, "daily digest posted");
        Ok(())
    }
}
