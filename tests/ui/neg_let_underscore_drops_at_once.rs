// Negative: `let _ = pool.get()?;` binds nothing, so the connection is dropped at once (a readiness
// probe); `pending_migrations(pool)` then checks out with no connection of the pool held.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct Readiness {
    pub database: bool,
    pub pending_migrations: i64,
}

fn pending_migrations(pool: &DbPool, latest: i64) -> anyhow::Result<i64> {
    let mut conn = pool.get()?;
    let applied: i64 = conn
        .query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[])?
        .get(0);
    Ok(latest - applied)
}

pub fn readiness(pool: &DbPool, latest_migration: i64) -> anyhow::Result<Readiness> {
    // fails fast when the database is unreachable
    let _ = pool.get()?;
    let pending = pending_migrations(pool, latest_migration)?;
    Ok(Readiness { database: true, pending_migrations: pending })
}
