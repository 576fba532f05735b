// Negative: `client.transaction()` and `tx.savepoint(..)` (deadpool-postgres `ClientWrapper` /
// `Transaction`) run on the connection already held; `prepare_cached` uses its statement cache.
use deadpool_postgres::Pool;

pub struct LineItem {
    pub sku: String,
    pub qty: i32,
}

pub async fn save_order(pool: &Pool, customer_id: i64, items: &[LineItem]) -> anyhow::Result<i64> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let insert_order = tx
        .prepare_cached("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id")
        .await?;
    let order_id: i64 = tx.query_one(&insert_order, &[&customer_id]).await?.get(0);
    let insert_item = tx
        .prepare_cached("INSERT INTO order_items (order_id, sku, qty) VALUES ($1, $2, $3)")
        .await?;
    for item in items {
        let mut sp = tx.savepoint("item").await?;
        match sp.execute(&insert_item, &[&order_id, &item.sku, &item.qty]).await {
            Ok(_) => sp.commit().await?,
            Err(err) => {
                tracing::warn!(%err, sku = %item.sku, "skipping unknown sku");
                sp.rollback().await?;
            }
        }
    }
    tx.commit().await?;
    Ok(order_id)
}
