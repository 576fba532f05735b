// Negative: the guard is moved by value into `finish_batch(conn, ..)`, which drops it when it
// returns; `notify_batch_done(pool, ..)` runs afterwards, when nothing of the pool is held.
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

type Manager = PostgresConnectionManager<NoTls>;
pub type DbPool = Pool<Manager>;

fn finish_batch(mut conn: PooledConnection<Manager>, batch_id: i64) -> anyhow::Result<u64> {
    let n = conn.execute("UPDATE import_batches SET finished_at = now() WHERE id = $1", &[&batch_id])?;
    Ok(n)
}

fn notify_batch_done(pool: &DbPool, batch_id: i64) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute("NOTIFY import_done", &[])?;
    conn.execute("INSERT INTO import_events (batch_id, kind) VALUES ($1, 'done')", &[&batch_id])?;
    Ok(())
}

pub fn import_rows(pool: &DbPool, batch_id: i64, rows: &[(String, i64)]) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    for (sku, qty) in rows {
        conn.execute(
            "INSERT INTO staged_rows (batch_id, sku, qty) VALUES ($1, $2, $3)",
            &[&batch_id, sku, qty],
        )?;
    }
    finish_batch(conn, batch_id)?;
    notify_batch_done(pool, batch_id)?;
    Ok(rows.len())
}
