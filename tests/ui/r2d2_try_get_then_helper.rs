// r2d2 `try_get` takes an idle connection when it returns `Some`: `refresh_backlog_alert` holds it
// (bound by `if let Some(conn)`) while `load_thresholds` does a blocking `get()` on the same pool.
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::params;

pub type SqlitePool = Pool<SqliteConnectionManager>;

pub struct Thresholds {
    pub warn: i64,
    pub crit: i64,
}

fn load_thresholds(pool: &SqlitePool) -> anyhow::Result<Thresholds> {
    let conn = pool.get()?;
    let thresholds = conn.query_row("SELECT warn, crit FROM thresholds WHERE id = 1", [], |row| {
        Ok(Thresholds { warn: row.get(0)?, crit: row.get(1)? })
    })?;
    Ok(thresholds)
}

/// Called on every metrics tick; the tick is skipped when no connection is idle.
pub fn refresh_backlog_alert(pool: &SqlitePool) -> anyhow::Result<Option<i64>> {
    if let Some(conn) = pool.try_get() {
        let backlog: i64 = conn.query_row(
            "SELECT count(*) FROM jobs WHERE state = 'queued'",
            [],
            |row| row.get(0),
        )?;
        let limits = load_thresholds(pool)?; //~ nested_checkout
        if backlog >= limits.crit {
            conn.execute("INSERT INTO alerts (kind, value) VALUES ('backlog', ?1)", params![backlog])?;
        } else if backlog >= limits.warn {
            log::warn!("job backlog at {backlog}");
        }
        return Ok(Some(backlog));
    }
    Ok(None)
}
