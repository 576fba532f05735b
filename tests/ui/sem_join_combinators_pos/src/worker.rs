use std::time::Duration;

use sqlx::{PgConnection, PgPool};
use tokio_util::sync::CancellationToken;

#[derive(Debug, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
}

pub async fn run(pool: PgPool, shutdown: CancellationToken) -> anyhow::Result<()> {
    loop {
        let mut conn = pool.acquire().await?;
        let Some(job) = claim_next(&mut conn).await? else {
            drop(conn);
            tokio::time::sleep(Duration::from_secs(2)).await;
            continue;
        };

        tokio::select! {
            res = execute(&mut conn, &job) => {
                res?;
                sqlx::query("UPDATE jobs SET finished_at = now() WHERE id = $1")
                    .bind(job.id)
                    .execute(&mut *conn)
                    .await?;
            }
            _ = shutdown.cancelled() => {
                release_lease(&pool, job.id).await?; //~ nested_checkout
                return Ok(());
            }
        }
    }
}

async fn claim_next(conn: &mut PgConnection) -> Result<Option<Job>, sqlx::Error> {
    sqlx::query_as::<_, Job>(
        "UPDATE jobs SET leased_at = now() WHERE id = (SELECT id FROM jobs WHERE leased_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, kind, payload",
    )
    .fetch_optional(conn)
    .await
}

async fn execute(conn: &mut PgConnection, job: &Job) -> anyhow::Result<()> {
    match job.kind.as_str() {
        "reindex" => {
            sqlx::query("SELECT reindex_document($1::jsonb)")
                .bind(&job.payload)
                .execute(&mut *conn)
                .await?;
        }
        other => tracing::warn!("unknown job kind {other}"),
    }
    Ok(())
}

async fn release_lease(pool: &PgPool, job_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET leased_at = NULL WHERE id = $1")
        .bind(job_id)
        .execute(pool)
        .await?;
    Ok(())
}
