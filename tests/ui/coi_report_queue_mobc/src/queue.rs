// JobQueue owns the mobc redis pool (pending job list) and the sqlx pool (job records); one instance per process.
// Each method checks out exactly one pool and holds nothing else.
use mobc::Pool;
use mobc_redis::{redis::AsyncCommands, RedisConnectionManager};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

pub const QUEUE_KEY: &str = "jobs:reports";
pub const PROCESSING_KEY: &str = "jobs:reports:processing";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportJob {
    pub id: Uuid,
    pub account_id: i64,
    pub kind: String,
}

pub struct JobQueue {
    pub redis: Pool<RedisConnectionManager>,
    pub db: PgPool,
}

impl JobQueue {
    pub async fn enqueue(&self, job: &ReportJob) -> anyhow::Result<()> {
        let mut conn = self.redis.get().await?;
        let payload = serde_json::to_string(job)?;
        let _: () = conn.lpush(QUEUE_KEY, payload).await?;
        Ok(())
    }

    pub async fn mark_started(&self, job_id: Uuid) -> anyhow::Result<()> {
        sqlx::query("UPDATE report_requests SET status = 'running', started_at = now() WHERE id = $1")
            .bind(job_id)
            .execute(&self.db)
            .await?;
        Ok(())
    }

    pub async fn mark_finished(&self, job_id: Uuid, result_url: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE report_requests SET status = 'done', result_url = $2, finished_at = now() WHERE id = $1",
        )
        .bind(job_id)
        .bind(result_url)
        .execute(&self.db)
        .await?;
        Ok(())
    }
}
