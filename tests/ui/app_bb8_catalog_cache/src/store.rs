use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use tokio_postgres::{Client, Row};
use tracing::{debug, instrument, warn};

use crate::{Cache, CatalogError, PgPool};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub category_id: i64,
    pub price_cents: i64,
    pub version: i32,
}

impl Product {
    fn from_row(row: &Row) -> Self {
        Self {
            id: row.get("id"),
            sku: row.get("sku"),
            name: row.get("name"),
            category_id: row.get("category_id"),
            price_cents: row.get("price_cents"),
            version: row.get("version"),
        }
    }
}

const COLUMNS: &str = "id, sku, name, category_id, price_cents, version";

/// Postgres is the source of truth; redis and the in-process map are write-through caches.
pub struct CatalogStore {
    pg: PgPool,
    cache: Cache,
    local: RwLock<HashMap<i64, Product>>,
}

impl CatalogStore {
    pub fn new(pg: PgPool, cache: Cache) -> Self {
        Self { pg, cache, local: RwLock::new(HashMap::new()) }
    }

    pub fn cache(&self) -> &Cache { &self.cache }

    #[instrument(skip(self))]
    pub async fn product(&self, id: i64) -> Result<Product, CatalogError> {
        if let Some(p) = self.local.read().unwrap().get(&id) {
            return Ok(p.clone());
        }
        if let Some(p) = self.cache.get_json::<Product>(&format!("product:{id}")).await? {
            self.local.write().unwrap().insert(id, p.clone());
            return Ok(p);
        }
        let conn = self.pg.get().await?;
        let product = load_product(&*conn, id).await?.ok_or(CatalogError::NotFound(id))?;
        // Filling redis while the postgres connection is still held: a different pool.
        self.cache.put_json(&format!("product:{id}"), &product).await?; //~ guard_held_across_await
        self.local.write().unwrap().insert(id, product.clone());
        Ok(product)
    }

    /// Write-through price change: postgres first, then both caches.
    #[instrument(skip(self))]
    pub async fn update_price(&self, id: i64, price_cents: i64) -> Result<Product, CatalogError> {
        let mut conn = self.pg.get().await?;
        let tx = conn.transaction().await?;
        let sql = format!("UPDATE products SET price_cents = $2, version = version + 1 WHERE id = $1 RETURNING {COLUMNS}");
        let Some(row) = tx.query_opt(&sql, &[&id, &price_cents]).await? else {
            return Err(CatalogError::NotFound(id));
        };
        tx.execute("INSERT INTO price_history (product_id, price_cents) VALUES ($1, $2)", &[&id, &price_cents]).await?;
        tx.commit().await?;
        drop(conn);

        let product = Product::from_row(&row);
        self.refresh_category(product.category_id).await?;
        self.cache.put_json(&format!("product:{id}"), &product).await?;
        self.local.write().unwrap().insert(id, product.clone());
        Ok(product)
    }

    pub async fn category(&self, category_id: i64) -> Result<Vec<Product>, CatalogError> {
        let key = format!("category:{category_id}");
        let products = if let Some(cached) = self.cache.get_json::<Vec<Product>>(&key).await? {
            cached
        } else {
            self.refresh_category(category_id).await?
        };
        Ok(products)
    }

    async fn refresh_category(&self, category_id: i64) -> Result<Vec<Product>, CatalogError> {
        let conn = self.pg.get().await?;
        let sql = format!("SELECT {COLUMNS} FROM products WHERE category_id = $1 ORDER BY name");
        let products: Vec<Product> = conn.query(&sql, &[&category_id]).await?.iter().map(Product::from_row).collect();
        self.cache.put_json(&format!("category:{category_id}"), &products).await?; //~ guard_held_across_await
        Ok(products)
    }

    pub async fn search(&self, q: &str) -> Result<Vec<Product>, CatalogError> {
        let rows = if q.len() < 3 {
            let conn = self.pg.get().await?;
            let sql = format!("SELECT {COLUMNS} FROM products WHERE sku LIKE $1 || '%' LIMIT 50");
            conn.query(&sql, &[&q]).await?
        } else {
            let conn = self.pg.get().await?;
            let sql = format!("SELECT {COLUMNS} FROM products WHERE search @@ plainto_tsquery($1) LIMIT 50");
            conn.query(&sql, &[&q]).await?
        };
        Ok(rows.iter().map(Product::from_row).collect())
    }

    /// Loads a supplier feed in one transaction, then warms the caches in the background.
    pub async fn import(self: &Arc<Self>, products: Vec<Product>) -> Result<usize, CatalogError> {
        let mut conn = self.pg.get().await?;
        let mut tx = conn.transaction().await?;
        let stmt = tx
            .prepare("INSERT INTO products (sku, name, category_id, price_cents) VALUES ($1, $2, $3, $4) \
                      ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents")
            .await?;
        for p in &products {
            tx.execute(&stmt, &[&p.sku, &p.name, &p.category_id, &p.price_cents]).await?;
        }
        {
            // A savepoint on the same connection: a bad audit row must not lose the import.
            let sp = tx.savepoint("import_audit").await?;
            match sp.execute("INSERT INTO import_log (rows) VALUES ($1)", &[&(products.len() as i64)]).await {
                Ok(_) => sp.commit().await?,
                Err(e) => warn!(error = %e, "import not logged"),
            }
        }
        tx.commit().await?;

        let store = Arc::clone(self);
        let categories: Vec<i64> = products.iter().map(|p| p.category_id).collect();
        tokio::spawn(async move {
            for c in categories {
                if let Err(e) = store.refresh_category(c).await {
                    warn!(error = %e, category = c, "cache warm-up failed");
                }
            }
        });
        debug!(n = products.len(), "import committed");
        Ok(products.len())
    }

    pub async fn delete(&self, id: i64) -> Result<(), CatalogError> {
        let category = {
            let conn = self.pg.get().await?;
            let row = conn.query_opt("DELETE FROM products WHERE id = $1 RETURNING category_id", &[&id]).await?;
            row.map(|r| r.get::<_, i64>(0))
        };
        let Some(category) = category else { return Err(CatalogError::NotFound(id)) };
        self.forget(id).await?;
        self.refresh_category(category).await?;
        Ok(())
    }

    /// Drops one product from both caches (called by the invalidation consumer).
    pub async fn forget(&self, id: i64) -> Result<(), CatalogError> {
        self.local.write().unwrap().remove(&id);
        self.cache.invalidate(&[format!("product:{id}")]).await
    }

    pub fn pool_stats(&self) -> (bb8::State, bb8::State) {
        (self.pg.state(), self.cache.stats())
    }
}

async fn load_product(client: &Client, id: i64) -> Result<Option<Product>, CatalogError> {
    let sql = format!("SELECT {COLUMNS} FROM products WHERE id = $1");
    Ok(client.query_opt(&sql, &[&id]).await?.as_ref().map(Product::from_row))
}
