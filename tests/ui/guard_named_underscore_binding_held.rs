// `let _keepalive = pool.get()?;` is a named binding, so the connection is held to the end of the
// block (unlike `let _ = ..`): `vacuum_into(pool, ..)` checks out again from the same r2d2 pool.
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

pub type SqlitePool = Pool<SqliteConnectionManager>;

fn vacuum_into(pool: &SqlitePool, backup_path: &str) -> anyhow::Result<()> {
    let conn = pool.get()?;
    conn.execute("VACUUM INTO ?1", [backup_path])?;
    Ok(())
}

/// The in-memory shared-cache database lives only while one connection is open,
/// so a connection is kept checked out for the duration of the backup.
pub fn backup_memory_db(pool: &SqlitePool, backup_path: &str) -> anyhow::Result<()> {
    let _keepalive = pool.get()?;
    log::info!("backing up in-memory database to {backup_path}");
    vacuum_into(pool, backup_path)?; //~ nested_checkout
    log::info!("backup written");
    Ok(())
}
