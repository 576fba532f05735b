// `InventoryRepo::reserve` holds `self.pool.begin()` and awaits `self.stock_level(..)`, which runs
// `fetch_optional(&self.pool)`: the same field of the same struct, so the same pool.
use sqlx::PgPool;

pub struct InventoryRepo {
    pool: PgPool,
}

#[derive(Debug)]
pub enum Reservation {
    Reserved { remaining: i32 },
    OutOfStock,
}

impl InventoryRepo {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    async fn stock_level(&self, sku: &str) -> Result<Option<i32>, sqlx::Error> {
        sqlx::query_scalar("SELECT on_hand - reserved FROM stock WHERE sku = $1")
            .bind(sku)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn reserve(&self, order_id: i64, sku: &str, qty: i32) -> Result<Reservation, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO reservations (order_id, sku, qty) VALUES ($1, $2, $3)")
            .bind(order_id)
            .bind(sku)
            .bind(qty)
            .execute(&mut *tx)
            .await?;
        let available = self.stock_level(sku).await?.unwrap_or(0); //~ nested_checkout
        if available < qty {
            tx.rollback().await?;
            return Ok(Reservation::OutOfStock);
        }
        sqlx::query("UPDATE stock SET reserved = reserved + $2 WHERE sku = $1")
            .bind(sku)
            .bind(qty)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Reservation::Reserved { remaining: available - qty })
    }
}
