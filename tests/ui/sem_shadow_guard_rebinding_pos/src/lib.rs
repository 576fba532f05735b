//! Closes billing periods once usage has been collected for them.

use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type PgPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub struct PeriodCloser {
    pool: PgPool,
}

#[derive(Debug)]
pub struct ClosedPeriod {
    pub period_id: i64,
    pub units: u64,
}

impl PeriodCloser {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    pub fn close_open_period(&self, account_id: i64) -> anyhow::Result<Option<ClosedPeriod>> {
        let mut conn = self.pool.get()?;
        // the open period row replaces the connection handle from here on
        let Some(conn) = conn.query_opt(
            "SELECT id FROM billing_periods WHERE account_id = $1 AND closed_at IS NULL",
            &[&account_id],
        )?
        else {
            return Ok(None);
        };
        let period_id: i64 = conn.get("id");

        let units = sum_usage(&self.pool, account_id, period_id)?; //~ nested_checkout
        log::info!("closing period {} of account {} with {} units", period_id, account_id, units);

        Ok(Some(ClosedPeriod { period_id, units }))
    }

    pub fn mark_closed(&self, closed: &ClosedPeriod) -> anyhow::Result<()> {
        let mut conn = self.pool.get()?;
        conn.execute(
            "UPDATE billing_periods SET closed_at = now(), units = $2 WHERE id = $1",
            &[&closed.period_id, &(closed.units as i64)],
        )?;
        Ok(())
    }
}

fn sum_usage(pool: &PgPool, account_id: i64, period_id: i64) -> anyhow::Result<u64> {
    let mut conn = pool.get()?;
    let row = conn.query_one(
        "SELECT COALESCE(SUM(units), 0)::BIGINT FROM usage_events WHERE account_id = $1 AND period_id = $2",
        &[&account_id, &period_id],
    )?;
    Ok(row.get::<_, i64>(0) as u64)
}
