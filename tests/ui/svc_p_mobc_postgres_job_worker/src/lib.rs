//! Background job runner: claims queued jobs in batches and runs them.

use mobc::Pool;
use mobc_postgres::tokio_postgres::{self, NoTls};
use mobc_postgres::PgConnectionManager;

pub type PgPool = Pool<PgConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("pool: {0}")]
    Pool(#[from] mobc::Error<tokio_postgres::Error>),
    #[error("postgres: {0}")]
    Pg(#[from] tokio_postgres::Error),
}

async fn handle(http: &reqwest::Client, kind: &str, payload: serde_json::Value) -> Result<(), String> {
    match kind {
        "webhook" => {
            let url = payload["url"].as_str().ok_or("webhook job without url")?;
            http.post(url)
                .json(&payload["body"])
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        other => Err(format!("unknown job kind {other}")),
    }
}

pub struct Worker {
    pool: PgPool,
    http: reqwest::Client,
}

impl Worker {
    pub fn new(pool: PgPool) -> Self {
        Self { pool, http: reqwest::Client::new() }
    }

    async fn mark_failed(&self, job_id: i64, err: &str) -> Result<(), WorkerError> {
        let conn = self.pool.get().await?;
        conn.execute(
            "UPDATE jobs SET state = 'failed', last_error = $2, attempts = attempts + 1 WHERE id = $1",
            &[&job_id, &err],
        )
        .await?;
        Ok(())
    }

    pub async fn run_batch(&self, batch: i64) -> Result<usize, WorkerError> {
        let mut conn = self.pool.get().await?;
        let tx = conn.transaction().await?;
        let jobs = tx
            .query(
                "SELECT id, kind, payload FROM jobs WHERE state = 'queued' \
                 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                &[&batch],
            )
            .await?;

        let mut done = 0;
        for row in jobs {
            let id: i64 = row.get("id");
            let kind: String = row.get("kind");
            match handle(&self.http, &kind, row.get("payload")).await { //~ guard_held_across_await
                Ok(()) => {
                    tx.execute("UPDATE jobs SET state = 'done' WHERE id = $1", &[&id]).await?;
                    done += 1;
                }
                Err(e) => self.mark_failed(id, &e).await?, //~ nested_checkout
            }
        }
        tx.commit().await?;
        Ok(done)
    }
}
