use r2d2_postgres::postgres::Client;

use crate::{DbPool, EnrichError, Enricher, Order};

pub struct Pipeline {
    pool: DbPool,
    enrichers: Vec<Box<dyn Enricher>>,
}

impl Pipeline {
    pub fn new(pool: DbPool, enrichers: Vec<Box<dyn Enricher>>) -> Self {
        Self { pool, enrichers }
    }

    pub fn process(&self, order_id: i64) -> Result<Order, EnrichError> {
        let mut conn = self.pool.get()?;
        let mut order = load_order(&mut conn, order_id)?;
        for enricher in &self.enrichers {
            enricher.enrich(&self.pool, &mut order)?; //~ nested_checkout
        }
        save_order(&mut conn, &order)?;
        Ok(order)
    }
}

pub fn enrich_one<E: Enricher>(pool: &DbPool, enricher: &E, order_id: i64) -> Result<Order, EnrichError> {
    let mut conn = pool.get()?;
    let mut order = load_order(&mut conn, order_id)?;
    enricher.enrich(pool, &mut order)?; //~ nested_checkout
    save_order(&mut conn, &order)?;
    Ok(order)
}

fn load_order(conn: &mut Client, order_id: i64) -> Result<Order, EnrichError> {
    let row = conn.query_one(
        "SELECT id, country, currency, total_minor FROM orders WHERE id = $1",
        &[&order_id],
    )?;
    Ok(Order {
        id: row.get(0),
        country: row.get(1),
        currency: row.get(2),
        total_minor: row.get(3),
        total_eur_minor: None,
        tax_minor: None,
    })
}

fn save_order(conn: &mut Client, order: &Order) -> Result<(), EnrichError> {
    conn.execute(
        "UPDATE orders SET total_eur_minor = $2, tax_minor = $3 WHERE id = $1",
        &[&order.id, &order.total_eur_minor, &order.tax_minor],
    )?;
    Ok(())
}
