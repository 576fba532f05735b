// Negative: `conn.transaction(|c| ..)` runs on the held connection, and every query and helper in
// the closure uses `c`: diesel has no implicit pool checkouts, so nothing is taken from the pool.
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::schema::{accounts, transfers};

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

fn debit(c: &mut PgConnection, account_id: i32, amount: i64) -> QueryResult<usize> {
    diesel::update(accounts::table.find(account_id).filter(accounts::balance.ge(amount)))
        .set(accounts::balance.eq(accounts::balance - amount))
        .execute(c)
}

fn credit(c: &mut PgConnection, account_id: i32, amount: i64) -> QueryResult<usize> {
    diesel::update(accounts::table.find(account_id))
        .set(accounts::balance.eq(accounts::balance + amount))
        .execute(c)
}

pub fn transfer(pool: &DbPool, from: i32, to: i32, amount: i64) -> anyhow::Result<bool> {
    let mut conn = pool.get()?;
    let done = conn.transaction::<bool, diesel::result::Error, _>(|c| {
        if debit(c, from, amount)? == 0 {
            return Ok(false);
        }
        credit(c, to, amount)?;
        diesel::insert_into(transfers::table)
            .values((transfers::from_id.eq(from), transfers::to_id.eq(to), transfers::amount.eq(amount)))
            .execute(c)?;
        Ok(true)
    })?;
    Ok(done)
}
