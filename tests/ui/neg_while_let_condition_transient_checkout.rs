// Negative: `next_job(&pool)` checks out only for its own query and returns a plain `Job`, so the
// `while let` condition holds no connection when the body calls `process(&pool, job)`.
use sqlx::{FromRow, PgPool};

#[derive(Debug, FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
}

async fn next_job(pool: &PgPool) -> Result<Option<Job>, sqlx::Error> {
    sqlx::query_as::<_, Job>(
        "UPDATE jobs SET state = 'running', started_at = now()
          WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
          RETURNING id, kind, payload",
    )
    .fetch_optional(pool)
    .await
}

async fn process(pool: &PgPool, job: Job) -> Result<(), sqlx::Error> {
    tracing::info!(job.id, kind = %job.kind, "processing");
    sqlx::query("UPDATE jobs SET state = 'done', result = $2, finished_at = now() WHERE id = $1")
        .bind(job.id)
        .bind(&job.payload)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn drain(pool: PgPool) -> Result<u64, sqlx::Error> {
    let mut done = 0;
    while let Some(job) = next_job(&pool).await? {
        process(&pool, job).await?;
        done += 1;
    }
    Ok(done)
}
