// Report workers. `process_next` holds a JobQueue.redis connection (reliable queue: BRPOPLPUSH, then LREM when
// done) while JobQueue::mark_started / mark_finished execute on JobQueue.db (redis -> db).
use std::{sync::Arc, time::Duration};

use mobc_redis::redis::AsyncCommands;
use serde::Deserialize;

use crate::queue::{JobQueue, ReportJob, PROCESSING_KEY, QUEUE_KEY};

#[derive(Deserialize)]
struct RenderResponse {
    url: String,
}

pub async fn run_worker(queue: Arc<JobQueue>, worker_id: usize) {
    let http = reqwest::Client::new();
    loop {
        if let Err(err) = process_next(&queue, &http).await {
            tracing::error!(worker_id, error = %err, "report job failed");
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    }
}

async fn process_next(queue: &JobQueue, http: &reqwest::Client) -> anyhow::Result<()> {
    let mut conn = queue.redis.get().await?;
    let payload: Option<String> = conn.brpoplpush(QUEUE_KEY, PROCESSING_KEY, 5).await?;
    let Some(payload) = payload else {
        return Ok(());
    };
    let job: ReportJob = serde_json::from_str(&payload)?;

    queue.mark_started(job.id).await?;
    let url = render_report(http, &job).await?;
    queue.mark_finished(job.id, &url).await?;

    let _: () = conn.lrem(PROCESSING_KEY, 1, &payload).await?;
    Ok(())
}

async fn render_report(http: &reqwest::Client, job: &ReportJob) -> anyhow::Result<String> {
    let renderer = std::env::var("RENDERER_URL").unwrap_or_else(|_| "http://renderer:9000/render".into());
    let response: RenderResponse = http
        .post(renderer)
        .json(job)
        .timeout(Duration::from_secs(120))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(response.url)
}
