// A trait method called on a generic `P: PriceBook` stands for every impl: both impls run
// `fetch_one(db)` on the pool they are given, and `quote` passes `db` while its transaction is open.
use sqlx::PgPool;

pub trait PriceBook {
    async fn unit_price(&self, db: &PgPool, sku: &str) -> Result<i64, sqlx::Error>;
}

pub struct RetailPrices;

pub struct WholesalePrices {
    pub discount_pct: i64,
}

impl PriceBook for RetailPrices {
    async fn unit_price(&self, db: &PgPool, sku: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT retail_cents FROM prices WHERE sku = $1")
            .bind(sku)
            .fetch_one(db)
            .await
    }
}

impl PriceBook for WholesalePrices {
    async fn unit_price(&self, db: &PgPool, sku: &str) -> Result<i64, sqlx::Error> {
        let list: i64 = sqlx::query_scalar("SELECT wholesale_cents FROM prices WHERE sku = $1")
            .bind(sku)
            .fetch_one(db)
            .await?;
        Ok(list * (100 - self.discount_pct) / 100)
    }
}

pub async fn quote<P: PriceBook>(prices: &P, db: &PgPool, order_id: i64) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let lines: Vec<(String, i32)> = sqlx::query_as("SELECT sku, qty FROM order_lines WHERE order_id = $1")
        .bind(order_id)
        .fetch_all(&mut *tx)
        .await?;
    let mut total = 0i64;
    for (sku, qty) in &lines {
        total += prices.unit_price(db, sku).await? * i64::from(*qty); //~ nested_checkout
    }
    sqlx::query("UPDATE orders SET quoted_cents = $2 WHERE id = $1")
        .bind(order_id)
        .bind(total)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(total)
}
