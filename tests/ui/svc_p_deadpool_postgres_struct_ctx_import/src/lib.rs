//! Bulk import of a tenant's product catalogue from an uploaded CSV.

use deadpool_postgres::{Client, Pool, PoolError};
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("pool: {0}")]
    Pool(#[from] PoolError),
    #[error("postgres: {0}")]
    Pg(#[from] tokio_postgres::Error),
}

#[derive(Debug, Deserialize)]
pub struct CsvProduct {
    pub sku: String,
    pub title: String,
    pub category: String,
    pub price_cents: i64,
}

struct ImportCtx {
    client: Client,
    tenant_id: i64,
    imported: usize,
}

impl ImportCtx {
    async fn insert_product(&mut self, p: &CsvProduct, category_id: i64) -> Result<(), ImportError> {
        let stmt = self
            .client
            .prepare_cached(
                "INSERT INTO products (tenant_id, sku, title, category_id, price_cents) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (tenant_id, sku) DO UPDATE SET title = EXCLUDED.title, \
                 category_id = EXCLUDED.category_id, price_cents = EXCLUDED.price_cents",
            )
            .await?;
        self.client
            .execute(&stmt, &[&self.tenant_id, &p.sku, &p.title, &category_id, &p.price_cents])
            .await?;
        self.imported += 1;
        Ok(())
    }
}

async fn category_id(pool: &Pool, tenant_id: i64, name: &str) -> Result<i64, ImportError> {
    let client = pool.get().await?;
    let row = client
        .query_one(
            "INSERT INTO categories (tenant_id, name) VALUES ($1, $2) \
             ON CONFLICT (tenant_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
            &[&tenant_id, &name],
        )
        .await?;
    Ok(row.get(0))
}

pub async fn import_catalog(
    pool: &Pool,
    tenant_id: i64,
    rows: Vec<CsvProduct>,
) -> Result<usize, ImportError> {
    let client = pool.get().await?;
    let mut ctx = ImportCtx { client, tenant_id, imported: 0 };

    for p in &rows {
        let cat = category_id(pool, ctx.tenant_id, &p.category).await?; //~ nested_checkout
        ctx.insert_product(p, cat).await?;
    }
    Ok(ctx.imported)
}
