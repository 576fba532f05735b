//! Exports raw sensor measurements from the edge gateway's SQLite buffer.

use std::io::Write;

use r2d2_sqlite::rusqlite::{self, params};
use r2d2_sqlite::SqliteConnectionManager;

pub type DbPool = r2d2::Pool<SqliteConnectionManager>;

const BATCH: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone)]
pub struct Measurement {
    pub sensor_id: i64,
    pub ts: i64,
    pub value: f64,
}

pub trait Sink {
    fn write_batch(&mut self, pool: &DbPool, batch: &[Measurement]) -> Result<(), ExportError>;
}

/// Appends CSV lines to any writer (file, stdout, upload buffer).
pub struct CsvSink<W: Write> {
    pub out: W,
}

impl<W: Write> Sink for CsvSink<W> {
    fn write_batch(&mut self, _pool: &DbPool, batch: &[Measurement]) -> Result<(), ExportError> {
        for m in batch {
            writeln!(self.out, "{},{},{}", m.sensor_id, m.ts, m.value)?;
        }
        Ok(())
    }
}

/// Folds measurements into the local hourly roll-up table.
pub struct RollupSink;

impl Sink for RollupSink {
    fn write_batch(&mut self, pool: &DbPool, batch: &[Measurement]) -> Result<(), ExportError> {
        let mut conn = pool.get()?;
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO hourly_rollup (sensor_id, hour, n, total) VALUES (?1, ?2 / 3600, 1, ?3) \
                 ON CONFLICT (sensor_id, hour) DO UPDATE SET n = n + 1, total = total + excluded.total",
            )?;
            for m in batch {
                stmt.execute(params![m.sensor_id, m.ts, m.value])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

pub fn export_since<S: Sink>(pool: &DbPool, since: i64, sink: &mut S) -> Result<usize, ExportError> {
    let conn = pool.get()?;
    let mut stmt = conn.prepare("SELECT sensor_id, ts, value FROM measurements WHERE ts >= ?1 ORDER BY ts")?;
    let rows = stmt.query_map([since], |r| {
        Ok(Measurement { sensor_id: r.get(0)?, ts: r.get(1)?, value: r.get(2)? })
    })?;

    let mut batch = Vec::with_capacity(BATCH);
    let mut total = 0;
    for row in rows {
        batch.push(row?);
        if batch.len() == BATCH {
            sink.write_batch(pool, &batch)?; //~ nested_checkout
            total += batch.len();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        sink.write_batch(pool, &batch)?; //~ nested_checkout
        total += batch.len();
    }
    Ok(total)
}
