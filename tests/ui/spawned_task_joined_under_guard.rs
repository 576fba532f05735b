// A spawned task that is awaited through its handle runs while the caller still holds its
// connection: the caller waits for a task that waits for the pool. A task that is never awaited
// (the second function) is not under the guard.
use deadpool_postgres::Pool;

async fn refresh_search_index(pool: Pool, product: i64) -> anyhow::Result<()> {
    let client = pool.get().await?;
    client.execute("SELECT refresh_product_search($1)", &[&product]).await?;
    Ok(())
}

pub async fn update_price(pool: &Pool, product: i64, cents: i64) -> anyhow::Result<()> {
    let client = pool.get().await?;
    client
        .execute("UPDATE products SET price_cents = $2 WHERE id = $1", &[&product, &cents])
        .await?;
    let reindex = tokio::spawn(refresh_search_index(pool.clone(), product));
    reindex.await??; //~ nested_checkout
    Ok(())
}

pub async fn update_stock(pool: &Pool, product: i64, qty: i64) -> anyhow::Result<()> {
    let client = pool.get().await?;
    client
        .execute("UPDATE products SET stock = $2 WHERE id = $1", &[&product, &qty])
        .await?;
    tokio::spawn(refresh_search_index(pool.clone(), product));
    Ok(())
}
