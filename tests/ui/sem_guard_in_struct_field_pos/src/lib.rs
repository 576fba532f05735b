use std::collections::HashMap;

use bb8::{Pool, PooledConnection};
use bb8_postgres::PostgresConnectionManager;
use serde::Deserialize;
use tokio_postgres::NoTls;

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;
type PgConn<'a> = PooledConnection<'a, PostgresConnectionManager<NoTls>>;

#[derive(Debug, Deserialize)]
pub struct CsvRow {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
}

/// One import run: keeps its connection for the whole batch so the rows share one session.
pub struct ImportRun<'a> {
    conn: PgConn<'a>,
    batch_id: i64,
    imported: u64,
}

impl<'a> ImportRun<'a> {
    async fn insert(&mut self, row: &CsvRow, categories: &HashMap<String, i64>) -> anyhow::Result<()> {
        let Some(category_id) = categories.get(&row.category) else {
            anyhow::bail!("unknown category {}", row.category);
        };
        self.conn
            .execute(
                "INSERT INTO products (sku, name, category_id, price_cents, import_batch) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents",
                &[&row.sku, &row.name, category_id, &row.price_cents, &self.batch_id],
            )
            .await?;
        self.imported += 1;
        Ok(())
    }
}

pub async fn import_catalog(pool: &PgPool, data: &[u8]) -> anyhow::Result<u64> {
    let mut run = ImportRun {
        conn: pool.get().await?,
        batch_id: 0,
        imported: 0,
    };
    run.batch_id = run
        .conn
        .query_one("INSERT INTO import_batches (started_at) VALUES (now()) RETURNING id", &[])
        .await?
        .get(0);

    let categories = load_categories(pool).await?; //~ nested_checkout

    let mut reader = csv::Reader::from_reader(data);
    for record in reader.deserialize::<CsvRow>() {
        run.insert(&record?, &categories).await?;
    }
    Ok(run.imported)
}

async fn load_categories(pool: &PgPool) -> anyhow::Result<HashMap<String, i64>> {
    let conn = pool.get().await?;
    let rows = conn.query("SELECT slug, id FROM categories", &[]).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
