use std::collections::HashMap;
use std::time::Duration;

use futures::TryStreamExt;
use sqlx::{FromRow, PgConnection, PgPool};
use tracing::{debug, warn};

use crate::error::DispatchError;

#[derive(Debug, Clone, FromRow)]
pub struct Delivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub event_type: String,
    pub payload: String,
    pub attempts: i32,
}

#[derive(Debug, Clone, FromRow)]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub enabled: bool,
}

const MAX_ATTEMPTS: i32 = 10;

pub struct Outbox {
    pool: PgPool,
    lease: Duration,
}

impl Outbox {
    pub fn new(pool: PgPool, lease: Duration) -> Self {
        Self { pool, lease }
    }

    /// Leases up to `limit` due deliveries to this worker.
    pub async fn claim(&self, worker: &str, limit: i64) -> Result<Vec<Delivery>, DispatchError> {
        let mut tx = self.pool.begin().await?;
        let due = sqlx::query_as::<_, Delivery>(
            "SELECT id, endpoint_id, event_type, payload, attempts FROM deliveries \
             WHERE state = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED",
        )
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        if due.is_empty() {
            tx.rollback().await?;
            return Ok(due);
        }
        let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
        lease(&mut tx, &ids, worker, self.lease).await?;
        tx.commit().await?;
        debug!(n = due.len(), "claimed deliveries");
        Ok(due)
    }

    pub async fn mark_delivered(&self, id: i64, status: u16) -> Result<(), DispatchError> {
        sqlx::query("UPDATE deliveries SET state = 'delivered', last_status = $2, delivered_at = now() WHERE id = $1")
            .bind(id)
            .bind(i32::from(status))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: retried with backoff, or dead-lettered after `MAX_ATTEMPTS`.
    pub async fn mark_failed(&self, d: &Delivery, error: &str) -> Result<(), DispatchError> {
        let mut tx = self.pool.begin().await?;
        let attempts: i32 = sqlx::query_scalar("UPDATE deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1 RETURNING attempts")
            .bind(d.id)
            .bind(error)
            .fetch_one(&mut *tx)
            .await?;
        let give_up = attempts >= MAX_ATTEMPTS;
        if give_up {
            sqlx::query("UPDATE deliveries SET state = 'dead' WHERE id = $1").bind(d.id).execute(&mut *tx).await?;
        } else {
            let backoff = Duration::from_secs(15 * 2u64.pow(attempts.min(12) as u32));
            sqlx::query("UPDATE deliveries SET state = 'pending', leased_by = NULL, next_attempt_at = now() + $2 WHERE id = $1")
                .bind(d.id)
                .bind(backoff)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        if give_up {
            warn!(delivery = d.id, endpoint = d.endpoint_id, "delivery dead-lettered");
            self.disable_if_failing(d.endpoint_id).await?;
        }
        Ok(())
    }

    /// Disables an endpoint once most of its recent deliveries are dead.
    async fn disable_if_failing(&self, endpoint_id: i64) -> Result<(), DispatchError> {
        sqlx::query(
            "UPDATE endpoints SET enabled = false WHERE id = $1 AND \
             (SELECT count(*) FILTER (WHERE state = 'dead') * 2 > count(*) FROM \
              (SELECT state FROM deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT 50) recent)",
        )
        .bind(endpoint_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives a claimed delivery back without counting an attempt.
    pub async fn release(&self, id: i64) -> Result<(), DispatchError> {
        self.reset(id).await.map(|_| ())
    }

    async fn reset(&self, id: i64) -> Result<u64, DispatchError> {
        let done = sqlx::query("UPDATE deliveries SET state = 'pending', leased_by = NULL WHERE id = $1 AND state = 'in_flight'")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Releases deliveries whose lease ran out. The ids are collected first, so the query's
    /// connection is back in the pool before the updates start.
    pub async fn release_stale(&self) -> Result<u64, DispatchError> {
        let stale: Vec<i64> = sqlx::query_scalar("SELECT id FROM deliveries WHERE state = 'in_flight' AND leased_until < now()")
            .fetch(&self.pool)
            .try_collect()
            .await?;
        let mut released = 0;
        for id in stale {
            released += self.reset(id).await?;
        }
        Ok(released)
    }

    pub async fn endpoints(&self) -> Result<HashMap<i64, Endpoint>, DispatchError> {
        let rows = sqlx::query_as::<_, Endpoint>("SELECT id, url, secret, enabled FROM endpoints WHERE enabled")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|e| (e.id, e)).collect())
    }

    pub async fn pending_count(&self) -> Result<i64, DispatchError> {
        let n = {
            let mut conn = self.pool.acquire().await?;
            sqlx::query("SET statement_timeout = '2s'").execute(&mut *conn).await?;
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM deliveries WHERE state = 'pending'").fetch_one(&mut *conn).await?;
            sqlx::query("RESET statement_timeout").execute(&mut *conn).await?;
            n
        };
        if n > 10_000 {
            let oldest = self.oldest_pending().await?;
            warn!(pending = n, ?oldest, "outbox backlog");
        }
        Ok(n)
    }

    async fn oldest_pending(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, DispatchError> {
        Ok(sqlx::query_scalar("SELECT min(created_at) FROM deliveries WHERE state = 'pending'").fetch_one(&self.pool).await?)
    }

    pub async fn dead_letter_count(&self) -> Result<i64, DispatchError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM deliveries WHERE state = 'dead'").fetch_one(&self.pool).await?)
    }
}

async fn lease(conn: &mut PgConnection, ids: &[i64], worker: &str, lease: Duration) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE deliveries SET state = 'in_flight', leased_by = $2, leased_until = now() + $3 WHERE id = ANY($1)")
        .bind(ids)
        .bind(worker)
        .bind(lease)
        .execute(conn)
        .await?;
    Ok(())
}
