// bb8: `reprice_cart` holds `pool.get().await` and calls `price_lookup`, whose `get_owned()`
// takes a second (owned) connection from the same bb8 pool for every cart line.
use bb8::Pool;
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::NoTls;

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

async fn price_lookup(pool: &PgPool, sku: &str) -> anyhow::Result<i64> {
    let conn = pool.get_owned().await?;
    let row = conn
        .query_one("SELECT price_cents FROM prices WHERE sku = $1", &[&sku])
        .await?;
    Ok(row.get(0))
}

pub async fn reprice_cart(pool: &PgPool, cart_id: i64) -> anyhow::Result<i64> {
    let conn = pool.get().await?;
    let rows = conn
        .query("SELECT sku, qty FROM cart_items WHERE cart_id = $1", &[&cart_id])
        .await?;
    let mut total = 0i64;
    for row in rows {
        let sku: String = row.get(0);
        let qty: i32 = row.get(1);
        let price = price_lookup(pool, &sku).await?; //~ nested_checkout
        total += price * i64::from(qty);
    }
    conn.execute("UPDATE carts SET total_cents = $2 WHERE id = $1", &[&cart_id, &total])
        .await?;
    Ok(total)
}
