//! Double-entry ledger on a blocking r2d2 pool.

mod balances;

use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub fn post_transfer(pool: &DbPool, from: i64, to: i64, cents: i64) -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = pool.get()?;
    let mut tx = conn.transaction()?;
    tx.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", &[&cents, &from])?;
    tx.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", &[&cents, &to])?;
    // The balance check takes its own connection while this one is still out.
    if balances::is_overdrawn(pool, from)? { //~ nested_checkout
        tx.rollback()?;
        return Err("overdrawn".into());
    }
    tx.commit()?;
    Ok(())
}
