// `futures::future::join_all` awaits every lookup while the transaction is held: each
// `current_price(pool, ..)` future runs `fetch_one(pool)`, a checkout from the same pool.
use futures::future::join_all;
use sqlx::PgPool;

async fn current_price(pool: &PgPool, sku: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT price_cents FROM prices WHERE sku = $1 AND valid_to IS NULL")
        .bind(sku)
        .fetch_one(pool)
        .await
}

pub async fn quote_cart(pool: &PgPool, cart_id: i64, skus: &[String]) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM carts WHERE id = $1 FOR UPDATE")
        .bind(cart_id)
        .execute(&mut *tx)
        .await?;
    let prices = join_all(skus.iter().map(|sku| current_price(pool, sku))).await; //~ nested_checkout
    let total: i64 = prices.into_iter().collect::<Result<Vec<_>, _>>()?.into_iter().sum();
    sqlx::query("UPDATE carts SET quoted_cents = $2, quoted_at = now() WHERE id = $1")
        .bind(cart_id)
        .bind(total)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(total)
}
