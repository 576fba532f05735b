//! Drains the job table: one claim, one run, one completion at a time.

use sqlx::PgPool;

#[derive(Debug, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
}

async fn claim_next(pool: &PgPool, worker: &str) -> Result<Option<Job>, sqlx::Error> {
    sqlx::query_as::<_, Job>(
        "UPDATE jobs SET locked_by = $1, locked_at = now() \
         WHERE id = (SELECT id FROM jobs WHERE locked_by IS NULL AND run_at <= now() \
                     ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, kind, payload",
    )
    .bind(worker)
    .fetch_optional(pool)
    .await
}

async fn complete(pool: &PgPool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM jobs WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

async fn fail(pool: &PgPool, id: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET locked_by = NULL, attempts = attempts + 1, last_error = $2, \
         run_at = now() + interval '1 minute' * power(2, attempts) WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .execute(pool)
    .await?;
    Ok(())
}

async fn run(job: &Job) -> Result<(), String> {
    match job.kind.as_str() {
        "noop" => Ok(()),
        "log" => {
            tracing::info!(payload = %job.payload, "log job");
            Ok(())
        }
        other => Err(format!("no handler for {other}")),
    }
}

pub async fn drain(pool: &PgPool, worker: &str) -> Result<usize, sqlx::Error> {
    let mut processed = 0;
    while let Some(job) = claim_next(pool, worker).await? {
        match run(&job).await {
            Ok(()) => complete(pool, job.id).await?,
            Err(e) => fail(pool, job.id, &e).await?,
        }
        processed += 1;
    }
    Ok(processed)
}
