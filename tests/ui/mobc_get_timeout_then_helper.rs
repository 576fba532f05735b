// mobc `get_timeout(d)` is a checkout: `allocate_shipment` holds that connection and awaits
// `warehouse_for(pool, ..)`, which checks out a second one from the same mobc pool.
use std::time::Duration;

use mobc::Pool;
use mobc_postgres::{tokio_postgres::NoTls, PgConnectionManager};

pub type DbPool = Pool<PgConnectionManager<NoTls>>;

async fn warehouse_for(pool: &DbPool, region: &str) -> anyhow::Result<i32> {
    let conn = pool.get().await?;
    let row = conn
        .query_one(
            "SELECT id FROM warehouses WHERE region = $1 ORDER BY load_factor LIMIT 1",
            &[&region],
        )
        .await?;
    Ok(row.get(0))
}

pub async fn allocate_shipment(pool: &DbPool, order_id: i64, region: &str) -> anyhow::Result<i32> {
    let conn = pool.get_timeout(Duration::from_secs(5)).await?;
    let warehouse = warehouse_for(pool, region).await?; //~ nested_checkout
    conn.execute(
        "UPDATE orders SET warehouse_id = $2, state = 'allocated' WHERE id = $1",
        &[&order_id, &warehouse],
    )
    .await?;
    Ok(warehouse)
}
