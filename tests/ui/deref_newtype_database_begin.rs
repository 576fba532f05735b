// A workspace newtype `Database(PgPool)` with `impl Deref<Target = PgPool>` is that pool:
// `LedgerRepo::post` begins on `self.database` and awaits `self.balance_of(..)`, which runs
// `fetch_one(&*self.database)` on the same pool.
use std::ops::Deref;

use sqlx::PgPool;

#[derive(Clone)]
pub struct Database(PgPool);

impl Deref for Database {
    type Target = PgPool;

    fn deref(&self) -> &PgPool {
        &self.0
    }
}

pub struct LedgerRepo {
    database: Database,
}

impl LedgerRepo {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    pub async fn balance_of(&self, account_id: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT coalesce(sum(amount_cents), 0)::bigint FROM entries WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&*self.database)
            .await
    }

    pub async fn post(&self, from: i64, to: i64, amount_cents: i64) -> Result<bool, sqlx::Error> {
        let mut tx = self.database.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        if self.balance_of(from).await? < amount_cents { //~ nested_checkout
            return Ok(false);
        }
        sqlx::query("INSERT INTO entries (account_id, amount_cents) VALUES ($1, $2), ($3, $4)")
            .bind(from)
            .bind(-amount_cents)
            .bind(to)
            .bind(amount_cents)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
