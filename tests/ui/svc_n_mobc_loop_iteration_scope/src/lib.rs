//! Flushes buffered metric points to Postgres, one shard at a time.

use std::collections::HashMap;
use std::sync::Mutex;

use mobc::Pool;
use mobc_postgres::tokio_postgres::{self, NoTls};
use mobc_postgres::PgConnectionManager;

#[derive(Debug, thiserror::Error)]
pub enum FlushError {
    #[error(transparent)]
    Pool(#[from] mobc::Error<tokio_postgres::Error>),
    #[error(transparent)]
    Pg(#[from] tokio_postgres::Error),
}

#[derive(Debug, Clone)]
pub struct Point {
    pub ts: i64,
    pub name: String,
    pub value: f64,
}

#[derive(Default)]
pub struct Buffer {
    shards: Mutex<HashMap<u32, Vec<Point>>>,
}

impl Buffer {
    fn drain_since(&self, shard: u32, since: i64) -> Vec<Point> {
        let mut shards = self.shards.lock().expect("buffer poisoned");
        let points = shards.remove(&shard).unwrap_or_default();
        points.into_iter().filter(|p| p.ts > since).collect()
    }
}

pub struct MetricsFlusher {
    pool: Pool<PgConnectionManager<NoTls>>,
    buffer: Buffer,
}

impl MetricsFlusher {
    async fn last_flushed(&self, shard: u32) -> Result<i64, FlushError> {
        let conn = self.pool.get().await?;
        let row = conn
            .query_one("SELECT COALESCE(max(ts), 0) FROM metric_points WHERE shard = $1", &[&(shard as i32)])
            .await?;
        Ok(row.get(0))
    }

    pub async fn flush(&self, shards: &[u32]) -> Result<u64, FlushError> {
        let mut total = 0;
        for &shard in shards {
            let since = self.last_flushed(shard).await?;
            let points = self.buffer.drain_since(shard, since);
            if points.is_empty() {
                continue;
            }

            let mut conn = self.pool.get().await?;
            let tx = conn.transaction().await?;
            let stmt = tx
                .prepare("INSERT INTO metric_points (shard, ts, name, value) VALUES ($1, $2, $3, $4)")
                .await?;
            for p in &points {
                tx.execute(&stmt, &[&(shard as i32), &p.ts, &p.name, &p.value]).await?;
            }
            tx.commit().await?;
            total += points.len() as u64;
        }
        Ok(total)
    }
}
