use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::{postgres, PostgresConnectionManager};

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
    #[error(transparent)]
    Db(#[from] postgres::Error),
}

#[derive(Debug)]
pub struct Quote {
    pub order_id: i64,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
}

pub fn quote_order(pool: &DbPool, order_id: i64) -> Result<Quote, PricingError> {
    let discount_pct = |sku: &str| active_discount_pct(pool, sku);

    let mut conn = pool.get()?;
    let lines = conn.query(
        "SELECT sku, qty, unit_cents FROM order_lines WHERE order_id = $1",
        &[&order_id],
    )?;

    let mut subtotal = 0i64;
    let mut discount = 0i64;
    for line in &lines {
        let sku: String = line.get("sku");
        let qty: i32 = line.get("qty");
        let unit: i64 = line.get("unit_cents");
        let amount = unit * i64::from(qty);
        subtotal += amount;
        discount += amount * discount_pct(&sku)? / 100; //~ nested_checkout
    }

    conn.execute(
        "UPDATE orders SET quoted_subtotal_cents = $2, quoted_discount_cents = $3 WHERE id = $1",
        &[&order_id, &subtotal, &discount],
    )?;
    Ok(Quote {
        order_id,
        subtotal_cents: subtotal,
        discount_cents: discount,
    })
}

fn active_discount_pct(pool: &DbPool, sku: &str) -> Result<i64, PricingError> {
    let mut conn = pool.get()?;
    let row = conn.query_opt(
        "SELECT pct FROM discounts WHERE sku = $1 AND now() BETWEEN starts_at AND ends_at ORDER BY pct DESC LIMIT 1",
        &[&sku],
    )?;
    Ok(row.map(|r| i64::from(r.get::<_, i32>(0))).unwrap_or(0))
}
