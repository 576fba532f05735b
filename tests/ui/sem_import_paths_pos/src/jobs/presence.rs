use crate::db::users::*;
use crate::db::Pool;

/// Flushes the presence pings collected by the websocket gateway.
pub fn flush_presence(pool: &Pool, gateway_id: &str) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    let rows = conn.query(
        "DELETE FROM presence_pings WHERE gateway_id = $1 RETURNING user_id",
        &[&gateway_id],
    )?;
    for row in &rows {
        touch_last_seen(pool, row.get(0))?; //~ nested_checkout
    }
    Ok(rows.len())
}
