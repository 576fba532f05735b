use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, sqlx::FromRow)]
pub struct CartItem {
    pub sku: String,
    pub qty: i32,
    pub unit_cents: i64,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Promotion {
    pub code: String,
    pub percent_off: i32,
}

#[derive(Debug)]
pub struct Summary {
    pub items: Vec<CartItem>,
    pub promotions: Vec<Promotion>,
    pub total_cents: i64,
}

async fn load_items(pool: &PgPool, cart_id: Uuid) -> sqlx::Result<Vec<CartItem>> {
    sqlx::query_as("SELECT sku, qty, unit_cents FROM cart_items WHERE cart_id = $1")
        .bind(cart_id)
        .fetch_all(pool)
        .await
}

async fn load_promotions(pool: &PgPool, cart_id: Uuid) -> sqlx::Result<Vec<Promotion>> {
    sqlx::query_as(
        "SELECT p.code, p.percent_off FROM cart_promotions cp JOIN promotions p ON p.id = cp.promotion_id \
         WHERE cp.cart_id = $1 AND p.expires_at > now()",
    )
    .bind(cart_id)
    .fetch_all(pool)
    .await
}

/// Freezes the cart and prices it for the payment step.
pub async fn checkout_summary(pool: &PgPool, cart_id: Uuid) -> sqlx::Result<Summary> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE carts SET frozen_at = now() WHERE id = $1")
        .bind(cart_id)
        .execute(&mut *tx)
        .await?;

    let (items, promotions) = tokio::try_join!(
        load_items(pool, cart_id), //~ nested_checkout
        load_promotions(pool, cart_id), //~ nested_checkout
    )?;

    let gross: i64 = items.iter().map(|i| i.unit_cents * i64::from(i.qty)).sum();
    let best = promotions.iter().map(|p| p.percent_off).max().unwrap_or(0);
    let total_cents = gross - gross * i64::from(best) / 100;

    sqlx::query("UPDATE carts SET quoted_cents = $2 WHERE id = $1")
        .bind(cart_id)
        .bind(total_cents)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Summary { items, promotions, total_cents })
}
