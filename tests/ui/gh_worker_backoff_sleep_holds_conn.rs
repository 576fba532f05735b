// A deadpool-postgres job worker claims a job, and when the downstream is busy it backs off
// with `tokio::time::sleep` while still holding the connection it claimed the job on.
use deadpool_postgres::Pool;
use std::time::Duration;

pub struct Worker {
    pool: Pool,
    http: reqwest::Client,
    webhook_url: String,
}

impl Worker {
    pub async fn run_once(&self) -> anyhow::Result<bool> {
        let client = self.pool.get().await?;
        let Some(row) = client
            .query_opt(
                "UPDATE jobs SET state = 'running' WHERE id = (SELECT id FROM jobs WHERE state = 'queued' \
                 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload",
                &[],
            )
            .await?
        else {
            return Ok(false);
        };
        let id: i64 = row.get(0);
        let payload: String = row.get(1);

        let mut attempt = 0u32;
        loop {
            let status = self.deliver(&payload).await?; //~ guard_held_across_await
            if status != 429 || attempt == 5 {
                break;
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt))).await;
        }
        client.execute("UPDATE jobs SET state = 'done' WHERE id = $1", &[&id]).await?;
        Ok(true)
    }

    async fn deliver(&self, payload: &str) -> anyhow::Result<u16> {
        let resp = self.http.post(&self.webhook_url).body(payload.to_owned()).send().await?;
        Ok(resp.status().as_u16())
    }
}
