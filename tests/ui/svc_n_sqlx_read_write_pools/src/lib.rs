//! Price management. Reads go to the replica pool, writes to the primary.

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

#[derive(Clone)]
pub struct Db {
    pub read: PgPool,
    pub write: PgPool,
}

impl Db {
    pub async fn connect(primary_url: &str, replica_url: &str) -> Result<Self, sqlx::Error> {
        let write = PgPoolOptions::new().max_connections(8).connect(primary_url).await?;
        let read = PgPoolOptions::new().max_connections(32).connect(replica_url).await?;
        Ok(Self { read, write })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("unknown sku {0}")]
    UnknownSku(String),
}

pub struct ProductCatalog {
    db: Db,
}

impl ProductCatalog {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    async fn current_price(&self, sku: &str) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar("SELECT price_cents FROM products WHERE sku = $1")
            .bind(sku)
            .fetch_optional(&self.db.read)
            .await
    }

    async fn competitor_floor(&self, sku: &str) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar("SELECT min(price_cents) FROM competitor_prices WHERE sku = $1 AND seen_at > now() - interval '1 day'")
            .bind(sku)
            .fetch_one(&self.db.read)
            .await
    }

    /// Changes a price by `percent`, never below the cheapest competitor seen today.
    pub async fn reprice(&self, sku: &str, percent: i64) -> Result<i64, CatalogError> {
        let mut tx = self.db.write.begin().await?;

        let current = self //~ guard_held_across_await
            .current_price(sku)
            .await?
            .ok_or_else(|| CatalogError::UnknownSku(sku.to_owned()))?;
        let floor = self.competitor_floor(sku).await?.unwrap_or(0);
        let new_price = (current + current * percent / 100).max(floor);

        sqlx::query("UPDATE products SET price_cents = $2 WHERE sku = $1")
            .bind(sku)
            .bind(new_price)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO price_history (sku, old_cents, new_cents) VALUES ($1, $2, $3)")
            .bind(sku)
            .bind(current)
            .bind(new_price)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;

        tracing::info!(sku, current, new_price, "repriced");
        Ok(new_price)
    }
}
