// `Arc::clone(&self.pool)` is the same pool: the worker acquires from the clone and, while holding
// that connection, awaits `self.heartbeat(..)`, which runs `execute(&*self.pool)` on the original.
use std::sync::Arc;

use sqlx::PgPool;

pub struct ImportWorker {
    pool: Arc<PgPool>,
    worker_id: String,
}

impl ImportWorker {
    pub fn new(pool: Arc<PgPool>, worker_id: String) -> Self {
        Self { pool, worker_id }
    }

    async fn heartbeat(&self, job_id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE import_jobs SET heartbeat_at = now(), worker = $2 WHERE id = $1")
            .bind(job_id)
            .bind(&self.worker_id)
            .execute(&*self.pool)
            .await?;
        Ok(())
    }

    pub async fn run_job(&self, job_id: i64, rows: Vec<(String, i64)>) -> Result<(), sqlx::Error> {
        let pool = Arc::clone(&self.pool);
        let mut conn = pool.acquire().await?;
        for (i, (sku, qty)) in rows.iter().enumerate() {
            sqlx::query("INSERT INTO staged_stock (job_id, sku, qty) VALUES ($1, $2, $3)")
                .bind(job_id)
                .bind(sku)
                .bind(qty)
                .execute(&mut *conn)
                .await?;
            if i % 1000 == 0 {
                self.heartbeat(job_id).await?; //~ nested_checkout
            }
        }
        Ok(())
    }
}
