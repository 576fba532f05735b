// r2d2 pool in a struct field: `InvoiceStore::finalize` holds `self.pool.get()` and calls
// `self.next_invoice_number(..)`, which takes another connection from the same `self.pool`.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub struct InvoiceStore {
    pool: Pool<PostgresConnectionManager<NoTls>>,
}

impl InvoiceStore {
    pub fn new(pool: Pool<PostgresConnectionManager<NoTls>>) -> Self {
        Self { pool }
    }

    fn next_invoice_number(&self, year: i32) -> anyhow::Result<i64> {
        let mut conn = self.pool.get()?;
        let row = conn.query_one(
            "UPDATE invoice_counters SET last = last + 1 WHERE year = $1 RETURNING last",
            &[&year],
        )?;
        Ok(row.get(0))
    }

    pub fn finalize(&self, draft_id: i64, year: i32) -> anyhow::Result<i64> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.transaction()?;
        tx.execute("SELECT 1 FROM invoice_drafts WHERE id = $1 FOR UPDATE", &[&draft_id])?;
        let number = self.next_invoice_number(year)?; //~ nested_checkout
        tx.execute(
            "UPDATE invoice_drafts SET number = $2, finalized_at = now() WHERE id = $1",
            &[&draft_id, &number],
        )?;
        tx.commit()?;
        Ok(number)
    }
}
