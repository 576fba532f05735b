// r2d2 `get_timeout` is a checkout like `get`: `close_shift` holds a connection taken with a
// 2 s timeout and calls `record_audit`, which takes a second one from the same pool.
use std::time::Duration;

use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

fn record_audit(pool: &PgPool, actor_id: i64, action: &str) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute(
        "INSERT INTO audit_log (actor_id, action, at) VALUES ($1, $2, now())",
        &[&actor_id, &action],
    )?;
    Ok(())
}

pub fn close_shift(pool: &PgPool, shift_id: i64, manager_id: i64) -> anyhow::Result<u64> {
    let mut conn = pool.get_timeout(Duration::from_secs(2))?;
    let closed = conn.execute(
        "UPDATE shifts SET closed_at = now() WHERE id = $1 AND closed_at IS NULL",
        &[&shift_id],
    )?;
    if closed == 1 {
        record_audit(pool, manager_id, "shift.close")?; //~ nested_checkout
    }
    Ok(closed)
}
