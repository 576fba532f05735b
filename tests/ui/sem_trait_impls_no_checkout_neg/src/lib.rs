pub mod migrations;
pub mod rules;

use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

use crate::rules::{CartLine, PriceRule};

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub struct CartService {
    pool: DbPool,
    rules: Vec<Box<dyn PriceRule>>,
}

impl CartService {
    pub fn new(pool: DbPool, rules: Vec<Box<dyn PriceRule>>) -> Self {
        Self { pool, rules }
    }

    pub fn reprice(&self, cart_id: i64) -> anyhow::Result<i64> {
        let mut conn = self.pool.get()?;
        let rows = conn.query("SELECT sku, qty, unit_cents FROM cart_lines WHERE cart_id = $1", &[&cart_id])?;
        let mut total = 0;
        for row in &rows {
            let mut line = CartLine {
                sku: row.get(0),
                qty: row.get(1),
                unit_cents: row.get(2),
            };
            for rule in &self.rules {
                line.unit_cents = rule.apply(&line);
            }
            total += line.unit_cents * i64::from(line.qty);
        }
        conn.execute("UPDATE carts SET total_cents = $2, priced_at = now() WHERE id = $1", &[&cart_id, &total])?;
        Ok(total)
    }
}

pub fn preview_with<R: PriceRule>(pool: &DbPool, rule: &R, cart_id: i64) -> anyhow::Result<Vec<i64>> {
    let mut conn = pool.get()?;
    let rows = conn.query("SELECT sku, qty, unit_cents FROM cart_lines WHERE cart_id = $1", &[&cart_id])?;
    Ok(rows
        .iter()
        .map(|r| {
            rule.apply(&CartLine {
                sku: r.get(0),
                qty: r.get(1),
                unit_cents: r.get(2),
            })
        })
        .collect())
}
