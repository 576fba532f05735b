pub mod schema;

use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PoolError};

use crate::schema::{price_changes, price_list_items, products};

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("pool: {0}")]
    Pool(#[from] PoolError),
    #[error("query: {0}")]
    Query(#[from] diesel::result::Error),
}

pub fn apply_price_list(pool: &DbPool, list_id: i32) -> Result<usize, ServiceError> {
    let mut conn = pool.get()?;
    let items: Vec<(String, i32)> = price_list_items::table
        .filter(price_list_items::list_id.eq(list_id))
        .select((price_list_items::sku, price_list_items::discount_pct))
        .load(&mut conn)?;

    let prices = items
        .iter()
        .map(|(sku, pct)| discounted_price(pool, sku, *pct)) //~ nested_checkout
        .collect::<Result<Vec<i64>, ServiceError>>()?;

    conn.transaction::<_, ServiceError, _>(|tx| {
        for ((sku, _), price) in items.iter().zip(&prices) {
            diesel::update(products::table.filter(products::sku.eq(sku)))
                .set(products::price_cents.eq(price))
                .execute(tx)?;
        }
        record_price_change(pool, list_id, items.len())?; //~ nested_checkout
        Ok(items.len())
    })
}

fn discounted_price(pool: &DbPool, sku: &str, discount_pct: i32) -> Result<i64, ServiceError> {
    let mut conn = pool.get()?;
    let base: i64 = products::table
        .filter(products::sku.eq(sku))
        .select(products::base_price_cents)
        .first(&mut conn)?;
    Ok(base * i64::from(100 - discount_pct) / 100)
}

fn record_price_change(pool: &DbPool, list_id: i32, affected: usize) -> Result<(), ServiceError> {
    let mut conn = pool.get()?;
    diesel::insert_into(price_changes::table)
        .values((
            price_changes::list_id.eq(list_id),
            price_changes::affected.eq(affected as i32),
        ))
        .execute(&mut conn)?;
    Ok(())
}
