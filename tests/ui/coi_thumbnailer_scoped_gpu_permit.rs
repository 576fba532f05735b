// Negative: Thumbnailer.gpu (tokio Semaphore) and Thumbnailer.db (deadpool-postgres). `render_one` holds the GPU
// permit only inside an inner block that ends before db is checked out; `requeue_failed` nests db -> gpu.
// Only one order ever holds a guard while waiting for the other, so there is no inversion.
use std::{sync::Arc, time::Duration};

use anyhow::{bail, Context};
use deadpool_postgres::{Config, Pool, Runtime};
use tokio::{process::Command, sync::Semaphore};
use tokio_postgres::NoTls;

struct ThumbJob {
    id: i64,
    source_path: String,
}

struct Thumbnailer {
    db: Pool,
    /// NVENC sessions are limited per card.
    gpu: Arc<Semaphore>,
}

async fn render_thumbnail(source: &str, width: u32) -> anyhow::Result<String> {
    let output = format!("{source}.thumb{width}.jpg");
    let scale = format!("scale={width}:-2");
    let status = Command::new("ffmpeg")
        .args(["-y", "-loglevel", "error", "-hwaccel", "cuda", "-ss", "3", "-i", source])
        .args(["-frames:v", "1", "-vf", scale.as_str(), output.as_str()])
        .status()
        .await?;
    if !status.success() {
        bail!("ffmpeg could not render {source}");
    }
    Ok(output)
}

async fn probe_source(source: &str) -> anyhow::Result<bool> {
    let status = Command::new("ffprobe")
        .args(["-v", "error", "-hwaccel", "cuda", source])
        .status()
        .await?;
    Ok(status.success())
}

impl Thumbnailer {
    async fn next_jobs(&self, limit: i64) -> anyhow::Result<Vec<ThumbJob>> {
        let client = self.db.get().await.context("postgres pool")?;
        let rows = client
            .query(
                "UPDATE thumbnail_jobs SET status = 'running' WHERE id IN \
                 (SELECT id FROM thumbnail_jobs WHERE status = 'queued' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) \
                 RETURNING id, source_path",
                &[&limit],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|row| ThumbJob { id: row.get(0), source_path: row.get(1) })
            .collect())
    }

    async fn render_one(&self, job: &ThumbJob) -> anyhow::Result<()> {
        let thumbnail = {
            let _gpu = self.gpu.acquire().await.context("gpu semaphore closed")?;
            render_thumbnail(&job.source_path, 320).await
        };

        let client = self.db.get().await.context("postgres pool")?;
        match thumbnail {
            Ok(path) => {
                client
                    .execute(
                        "UPDATE thumbnail_jobs SET status = 'done', output_path = $2 WHERE id = $1",
                        &[&job.id, &path],
                    )
                    .await?;
            }
            Err(err) => {
                client
                    .execute(
                        "UPDATE thumbnail_jobs SET status = 'failed', last_error = $2 WHERE id = $1",
                        &[&job.id, &format!("{err:#}")],
                    )
                    .await?;
            }
        }
        Ok(())
    }

    async fn requeue_failed(&self) -> anyhow::Result<u64> {
        let mut client = self.db.get().await.context("postgres pool")?;
        let tx = client.transaction().await?;
        let failed = tx
            .query(
                "SELECT id, source_path FROM thumbnail_jobs WHERE status = 'failed' AND attempts < 3 \
                 FOR UPDATE SKIP LOCKED",
                &[],
            )
            .await?;

        let mut requeued = 0;
        for row in &failed {
            let id: i64 = row.get(0);
            let source: String = row.get(1);
            // Probe on the GPU decoder before retrying; corrupt sources are failed permanently.
            let decodable = {
                let _gpu = self.gpu.acquire().await.context("gpu semaphore closed")?; //~ guard_held_across_await
                probe_source(&source).await?
            };
            let status = if decodable { "queued" } else { "corrupt" };
            tx.execute(
                "UPDATE thumbnail_jobs SET status = $2, attempts = attempts + 1 WHERE id = $1",
                &[&id, &status],
            )
            .await?;
            requeued += u64::from(decodable);
        }

        tx.commit().await?;
        Ok(requeued)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut cfg = Config::new();
    cfg.url = Some(std::env::var("DATABASE_URL")?);
    let thumbnailer = Arc::new(Thumbnailer {
        db: cfg.create_pool(Some(Runtime::Tokio1), NoTls)?, //~ unbounded_checkout_wait
        gpu: Arc::new(Semaphore::new(3)),
    });

    let requeuer = Arc::clone(&thumbnailer);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(err) = requeuer.requeue_failed().await {
                eprintln!("requeue pass failed: {err:#}");
            }
        }
    });

    loop {
        let jobs = thumbnailer.next_jobs(32).await?;
        if jobs.is_empty() {
            tokio::time::sleep(Duration::from_secs(2)).await;
            continue;
        }
        for job in jobs {
            let worker = Arc::clone(&thumbnailer);
            tokio::spawn(async move {
                if let Err(err) = worker.render_one(&job).await {
                    eprintln!("thumbnail job {} failed: {err:#}", job.id);
                }
            });
        }
    }
}
