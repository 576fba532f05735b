// `conn.transaction(|c| ..)` runs its closure inline while `conn` is held; the closure uses `c` for
// the insert but calls `inventory::reserve(pool, ..)`, which checks out from the same pool.
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::schema::orders;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Insertable)]
#[diesel(table_name = orders)]
pub struct NewOrder<'a> {
    pub customer_id: i32,
    pub sku: &'a str,
    pub qty: i32,
}

mod inventory {
    use super::DbPool;
    use crate::schema::stock;
    use diesel::prelude::*;

    pub fn reserve(pool: &DbPool, sku: &str, qty: i32) -> anyhow::Result<()> {
        let mut conn = pool.get()?;
        let updated = diesel::update(stock::table.filter(stock::sku.eq(sku)).filter(stock::available.ge(qty)))
            .set(stock::available.eq(stock::available - qty))
            .execute(&mut conn)?;
        anyhow::ensure!(updated == 1, "not enough {sku} in stock");
        Ok(())
    }
}

pub fn place_order(pool: &DbPool, new_order: &NewOrder<'_>) -> anyhow::Result<i32> {
    let mut conn = pool.get()?;
    let order_id = conn.transaction::<i32, anyhow::Error, _>(|c| {
        let id = diesel::insert_into(orders::table)
            .values(new_order)
            .returning(orders::id)
            .get_result(c)?;
        inventory::reserve(pool, new_order.sku, new_order.qty)?; //~ nested_checkout
        Ok(id)
    })?;
    Ok(order_id)
}
