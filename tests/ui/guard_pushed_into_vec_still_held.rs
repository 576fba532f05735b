// Guards pushed into a Vec live as long as the Vec: `held` keeps the primary's connection while
// `record_lag(&self.primary, ..)` checks out from the primary pool again. (The replica is a
// different pool: only the call to `record_lag` nests.)
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct ReplicationMonitor {
    primary: DbPool,
    replica: DbPool,
}

fn record_lag(pool: &DbPool, lag_bytes: i64) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute("INSERT INTO replication_lag (measured_at, lag_bytes) VALUES (now(), $1)", &[&lag_bytes])?;
    Ok(())
}

impl ReplicationMonitor {
    pub fn check_lag(&self) -> anyhow::Result<i64> {
        // read both positions while both sessions are open, so they are close in time
        let mut held = Vec::with_capacity(2);
        held.push(self.primary.get()?);
        held.push(self.replica.get()?);
        let primary_lsn: String = held[0].query_one("SELECT pg_current_wal_lsn()::text", &[])?.get(0);
        let lag: i64 = held[1]
            .query_one(
                "SELECT pg_wal_lsn_diff($1::text::pg_lsn, pg_last_wal_replay_lsn())::bigint",
                &[&primary_lsn],
            )?
            .get(0);
        record_lag(&self.primary, lag)?; //~ nested_checkout
        Ok(lag)
    }
}

