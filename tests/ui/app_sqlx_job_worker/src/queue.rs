use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde_json::Value;
use sqlx::{FromRow, PgConnection, PgPool};
use tracing::{debug, info, warn};
use uuid::Uuid;

use crate::error::WorkerError;

#[derive(Debug, Clone, FromRow)]
pub struct Job { pub id: Uuid, pub kind: String, pub payload: Value, pub attempts: i32, pub run_at: DateTime<Utc> }

#[derive(Debug, Clone, FromRow)]
struct KindConfig { max_attempts: i32, base_delay_secs: i64 }

#[derive(Debug, Clone)]
pub struct RetryPolicy { pub max_attempts: i32, pub base_delay: Duration }

impl Default for RetryPolicy {
    fn default() -> Self { Self { max_attempts: 5, base_delay: Duration::from_secs(10) } }
}

impl RetryPolicy {
    /// Exponential backoff, capped at one hour.
    pub fn delay_for(&self, attempt: i32) -> Duration {
        (self.base_delay * 2u32.saturating_pow(attempt.clamp(0, 16) as u32)).min(Duration::from_secs(3600))
    }
}

pub struct JobQueue {
    pool: PgPool,
    lease: Duration,
    /// Retry policies compiled in; other kinds are configured in the `job_kinds` table.
    builtin: HashMap<&'static str, RetryPolicy>,
}

const JOB_COLUMNS: &str = "id, kind, payload, attempts, run_at";

impl JobQueue {
    pub fn new(pool: PgPool, lease: Duration) -> Self {
        let mut builtin = HashMap::new();
        builtin.insert("email", RetryPolicy { max_attempts: 8, base_delay: Duration::from_secs(30) });
        builtin.insert("webhook", RetryPolicy { max_attempts: 12, base_delay: Duration::from_secs(5) });
        Self { pool, lease, builtin }
    }

    /// Leases up to `limit` runnable jobs (of any kind, or of one) to `worker`.
    pub async fn claim(&self, worker: &str, limit: i64) -> Result<Vec<Job>, WorkerError> { self.claim_where(worker, None, limit).await }
    pub async fn claim_kind(&self, worker: &str, kind: &str, limit: i64) -> Result<Vec<Job>, WorkerError> { self.claim_where(worker, Some(kind), limit).await }

    async fn claim_where(&self, worker: &str, kind: Option<&str>, limit: i64) -> Result<Vec<Job>, WorkerError> {
        let mut tx = self.pool.begin().await?;
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE state = 'queued' AND run_at <= now() \
                           AND ($1::text IS NULL OR kind = $1) ORDER BY run_at LIMIT $2 FOR UPDATE SKIP LOCKED");
        let jobs = sqlx::query_as::<_, Job>(&sql).bind(kind).bind(limit).fetch_all(&mut *tx).await?;
        if jobs.is_empty() { return Ok(jobs); }
        let ids: Vec<Uuid> = jobs.iter().map(|j| j.id).collect();
        lease_jobs(&mut tx, &ids, worker, self.lease).await?;

        // Bookkeeping runs on its own task and its own connection; nobody waits for it.
        let pool = self.pool.clone();
        let who = worker.to_owned();
        tokio::spawn(async move {
            let res = sqlx::query("INSERT INTO worker_heartbeats (worker, claimed, seen_at) VALUES ($1, $2, now()) \
                                   ON CONFLICT (worker) DO UPDATE SET claimed = worker_heartbeats.claimed + $2, seen_at = now()")
                .bind(&who).bind(ids.len() as i64)
                .execute(&pool)
                .await;
            if let Err(e) = res { warn!(error = %e, worker = %who, "heartbeat not recorded"); }
        });
        tx.commit().await?;
        debug!(n = jobs.len(), worker, "claimed");
        Ok(jobs)
    }

    pub async fn complete(&self, id: Uuid) -> Result<(), WorkerError> {
        sqlx::query("UPDATE jobs SET state = 'done', finished_at = now(), leased_by = NULL WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Records a failed attempt: schedules a retry with backoff, or moves the job to the dead
    /// letter table once its kind's attempts are used up.
    pub async fn fail(&self, job: &Job, error: &str) -> Result<(), WorkerError> {
        let mut tx = self.pool.begin().await?;
        let attempts: i32 = sqlx::query_scalar("UPDATE jobs SET attempts = attempts + 1, last_error = $2 WHERE id = $1 RETURNING attempts")
            .bind(job.id).bind(error)
            .fetch_one(&mut *tx)
            .await?;
        let policy = self.retry_policy(&job.kind).await?; //~ nested_checkout
        if attempts >= policy.max_attempts {
            sqlx::query("INSERT INTO dead_jobs SELECT *, now() FROM jobs WHERE id = $1").bind(job.id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM jobs WHERE id = $1").bind(job.id).execute(&mut *tx).await?;
            warn!(job = %job.id, kind = %job.kind, attempts, "job moved to the dead letter table");
        } else {
            let delay = policy.delay_for(attempts);
            sqlx::query("UPDATE jobs SET state = 'queued', leased_by = NULL, run_at = now() + $2 WHERE id = $1")
                .bind(job.id).bind(delay)
                .execute(&mut *tx)
                .await?;
            info!(job = %job.id, attempts, ?delay, "job will be retried");
        }
        tx.commit().await?;
        Ok(())
    }

    async fn retry_policy(&self, kind: &str) -> Result<RetryPolicy, WorkerError> {
        if let Some(p) = self.builtin.get(kind) { return Ok(p.clone()); }
        let row = self.kind_config(kind).await?;
        Ok(row.map(|c| RetryPolicy { max_attempts: c.max_attempts, base_delay: Duration::from_secs(c.base_delay_secs as u64) }).unwrap_or_default())
    }

    async fn kind_config(&self, kind: &str) -> Result<Option<KindConfig>, sqlx::Error> {
        sqlx::query_as::<_, KindConfig>("SELECT max_attempts, base_delay_secs FROM job_kinds WHERE kind = $1")
            .bind(kind)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn extend_lease(&self, id: Uuid) -> Result<(), WorkerError> {
        sqlx::query("UPDATE jobs SET leased_until = now() + $2 WHERE id = $1 AND state = 'running'")
            .bind(id).bind(self.lease)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Puts jobs whose lease ran out (their worker died) back in the queue.
    pub async fn reap_expired(&self) -> Result<u64, WorkerError> {
        let mut expired = sqlx::query_scalar::<_, Uuid>("SELECT id FROM jobs WHERE state = 'running' AND leased_until < now()")
            .fetch(&self.pool);
        let mut n = 0;
        while let Some(id) = expired.try_next().await? {
            self.requeue(id).await?; //~ nested_checkout
            n += 1;
        }
        Ok(n)
    }

    async fn requeue(&self, id: Uuid) -> Result<(), WorkerError> {
        sqlx::query("UPDATE jobs SET state = 'queued', leased_by = NULL, run_at = now() WHERE id = $1 AND state = 'running'")
            .bind(id).execute(&self.pool).await?;
        Ok(())
    }
}

async fn lease_jobs(conn: &mut PgConnection, ids: &[Uuid], worker: &str, lease: Duration) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET state = 'running', leased_by = $2, leased_until = now() + $3 WHERE id = ANY($1)")
        .bind(ids).bind(worker).bind(lease)
        .execute(conn)
        .await?;
    Ok(())
}
