//! Synchronous ledger used by the settlement batch jobs.

use r2d2::{Pool, PooledConnection};
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

type PgManager = PostgresConnectionManager<NoTls>;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("postgres: {0}")]
    Pg(#[from] r2d2_postgres::postgres::Error),
    #[error("transfer of {amount} would exceed the daily limit of {limit}")]
    LimitExceeded { amount: i64, limit: i64 },
}

pub struct Ledger {
    pool: Pool<PgManager>,
}

impl Ledger {
    pub fn new(pool: Pool<PgManager>) -> Self {
        Self { pool }
    }

    fn conn(&self) -> Result<PooledConnection<PgManager>, LedgerError> {
        Ok(self.pool.get()?)
    }

    fn daily_limit(&self, account_id: i64) -> Result<i64, LedgerError> {
        let mut c = self.conn()?;
        let row = c.query_one("SELECT daily_limit FROM accounts WHERE id = $1", &[&account_id])?;
        Ok(row.get(0))
    }

    pub fn balance(&self, account_id: i64) -> Result<i64, LedgerError> {
        let mut c = self.conn()?;
        let row = c.query_one(
            "SELECT COALESCE(SUM(amount), 0)::BIGINT FROM entries WHERE account_id = $1",
            &[&account_id],
        )?;
        Ok(row.get(0))
    }

    pub fn transfer(&self, from: i64, to: i64, amount: i64) -> Result<(), LedgerError> {
        let mut client = self.conn()?;
        let mut txn = client.transaction()?;

        let sent_today: i64 = txn
            .query_one(
                "SELECT COALESCE(SUM(-amount), 0)::BIGINT FROM entries \
                 WHERE account_id = $1 AND amount < 0 AND created_at::date = CURRENT_DATE",
                &[&from],
            )?
            .get(0);

        let limit = self.daily_limit(from)?; //~ nested_checkout
        if sent_today + amount > limit {
            return Err(LedgerError::LimitExceeded { amount, limit });
        }

        txn.execute(
            "INSERT INTO entries (account_id, amount) VALUES ($1, $2), ($3, $4)",
            &[&from, &(-amount), &to, &amount],
        )?;
        txn.commit()?;
        Ok(())
    }
}
