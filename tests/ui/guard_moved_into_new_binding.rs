// A guard moved into a new binding is still held: after `let mut db = conn;` the checkout lives on
// in `db`, so `lookup_locale(pool, ..)` still takes a second connection from the same r2d2 pool.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

fn lookup_locale(pool: &DbPool, customer_id: i64) -> anyhow::Result<String> {
    let mut conn = pool.get()?;
    let row = conn.query_opt("SELECT locale FROM customer_prefs WHERE customer_id = $1", &[&customer_id])?;
    Ok(row.map(|r| r.get(0)).unwrap_or_else(|| "en-US".to_owned()))
}

pub fn render_receipt(pool: &DbPool, order_id: i64) -> anyhow::Result<String> {
    let conn = pool.get()?;
    let mut db = conn;
    let row = db.query_one(
        "SELECT customer_id, total_cents FROM orders WHERE id = $1",
        &[&order_id],
    )?;
    let customer_id: i64 = row.get(0);
    let total_cents: i64 = row.get(1);
    let locale = lookup_locale(pool, customer_id)?; //~ nested_checkout
    db.execute("UPDATE orders SET receipt_sent = true WHERE id = $1", &[&order_id])?;
    Ok(format!("[{locale}] order {order_id}: {}.{:02}", total_cents / 100, total_cents % 100))
}
