#!/usr/bin/env -S cargo +nightly -Zscript
// A cargo script (its first line a shebang, not Rust): a one-off maintenance job that
// re-indexes customer documents. The lines and columns of findings are the file's own.
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

fn document_ids(pool: &Pool, customer: i64) -> Result<Vec<i64>, Box<dyn std::error::Error>> {
    let mut conn = pool.get()?;
    let rows = conn.query("SELECT id FROM documents WHERE customer_id = $1", &[&customer])?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

fn reindex_customer(pool: &Pool, customer: i64) -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = pool.get()?;
    conn.execute("UPDATE customers SET reindexing = true WHERE id = $1", &[&customer])?;
    for id in document_ids(pool, customer)? { //~ nested_checkout
        conn.execute("UPDATE documents SET indexed_at = now() WHERE id = $1", &[&id])?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = PostgresConnectionManager::new("host=localhost".parse()?, NoTls);
    let pool = r2d2::Pool::builder().max_size(4).build(manager)?;
    reindex_customer(&pool, 42)
}
