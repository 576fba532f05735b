// Negative: three program-wide pools are always taken in one global order: CATALOG_DB (sqlx) before INDEX_SLOTS
// (tokio Semaphore) before CACHE (deadpool-redis). Every nested checkout follows that order (warm_search_cache
// reads the DB with a temporary before taking a slot), so no pair is ever taken in opposite orders.
use std::time::Duration;

use anyhow::Context;
use deadpool_redis::{redis::AsyncCommands, Runtime};
use once_cell::sync::Lazy;
use serde::Serialize;
use sqlx::{postgres::PgPoolOptions, PgPool};
use tokio::sync::Semaphore;

static CATALOG_DB: Lazy<PgPool> = Lazy::new(|| {
    PgPoolOptions::new()
        .max_connections(12)
        .connect_lazy(&std::env::var("DATABASE_URL").expect("DATABASE_URL must be set"))
        .expect("invalid DATABASE_URL")
});

/// The search cluster rejects bulk requests above three concurrent indexers.
static INDEX_SLOTS: Semaphore = Semaphore::const_new(3);

static CACHE: Lazy<deadpool_redis::Pool> = Lazy::new(|| {
    deadpool_redis::Config::from_url(std::env::var("REDIS_URL").expect("REDIS_URL must be set"))
        .create_pool(Some(Runtime::Tokio1))
        .expect("invalid redis configuration")
});

static SEARCH: Lazy<reqwest::Client> = Lazy::new(reqwest::Client::new);

fn search_url(path: &str) -> String {
    let base = std::env::var("SEARCH_URL").unwrap_or_else(|_| "http://search:9200".into());
    format!("{base}{path}")
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct ProductDoc {
    sku: String,
    title: String,
    description: String,
    price_cents: i64,
    category_id: i64,
}

async fn update_price(sku: &str, price_cents: i64) -> anyhow::Result<()> {
    let mut tx = CATALOG_DB.begin().await?;
    sqlx::query("UPDATE products SET price_cents = $2, updated_at = now() WHERE sku = $1")
        .bind(sku)
        .bind(price_cents)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO price_history (sku, price_cents) VALUES ($1, $2)")
        .bind(sku)
        .bind(price_cents)
        .execute(&mut *tx)
        .await?;

    let mut cache = CACHE.get().await?; //~ guard_held_across_await
    let _: () = cache.del(format!("product:{sku}")).await?;

    tx.commit().await?; //~ guard_held_across_await
    Ok(())
}

async fn push_document(doc: &ProductDoc) -> anyhow::Result<()> {
    SEARCH
        .put(search_url(&format!("/products/_doc/{}", doc.sku)))
        .json(doc)
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

async fn reindex_product(sku: &str) -> anyhow::Result<()> {
    let mut conn = CATALOG_DB.acquire().await?;
    let doc = sqlx::query_as::<_, ProductDoc>(
        "SELECT sku, title, description, price_cents, category_id FROM products WHERE sku = $1",
    )
    .bind(sku)
    .fetch_optional(&mut *conn)
    .await?
    .with_context(|| format!("unknown sku {sku}"))?;

    let _slot = INDEX_SLOTS.acquire().await?; //~ guard_held_across_await
    push_document(&doc).await?;

    let mut cache = CACHE.get().await?;
    let _: () = cache.incr("search:index_version", 1).await?;

    sqlx::query("UPDATE products SET indexed_at = now() WHERE sku = $1") //~ guard_held_across_await
        .bind(sku)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn reindex_category(category_id: i64) -> anyhow::Result<usize> {
    let mut conn = CATALOG_DB.acquire().await?;
    let docs = sqlx::query_as::<_, ProductDoc>(
        "SELECT sku, title, description, price_cents, category_id FROM products WHERE category_id = $1",
    )
    .bind(category_id)
    .fetch_all(&mut *conn)
    .await?;

    for chunk in docs.chunks(100) {
        let _slot = INDEX_SLOTS.acquire().await?; //~ guard_held_across_await
        for doc in chunk {
            push_document(doc).await?;
        }
    }

    sqlx::query("UPDATE categories SET indexed_at = now() WHERE id = $1")
        .bind(category_id)
        .execute(&mut *conn)
        .await?;
    Ok(docs.len())
}

async fn warm_search_cache() -> anyhow::Result<()> {
    let popular: Vec<String> = sqlx::query_scalar(
        "SELECT query FROM search_log WHERE searched_at > now() - interval '1 day' \
         GROUP BY query ORDER BY count(*) DESC LIMIT 50",
    )
    .fetch_all(&*CATALOG_DB)
    .await?;

    let _slot = INDEX_SLOTS.acquire().await?;
    let mut cache = CACHE.get().await?;
    for query in &popular {
        let body = SEARCH //~ guard_held_across_await
            .get(search_url("/products/_search"))
            .query(&[("q", query.as_str())])
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        let _: () = cache.set_ex(format!("search:{query}"), body, 600).await?;
    }
    Ok(())
}

async fn handle_catalog_event(event: &str) -> anyhow::Result<()> {
    let mut parts = event.splitn(3, ' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("price"), Some(sku), Some(price)) => {
            update_price(sku, price.parse()?).await?;
            reindex_product(sku).await
        }
        (Some("product"), Some(sku), None) => reindex_product(sku).await,
        (Some("category"), Some(id), None) => reindex_category(id.parse()?).await.map(|_| ()),
        _ => anyhow::bail!("unrecognised catalog event: {event}"),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_secs(900));
        loop {
            tick.tick().await;
            if let Err(err) = warm_search_cache().await {
                eprintln!("warming search cache failed: {err:#}");
            }
        }
    });

    // Catalog events arrive one per line on a redis list fed by the admin backend.
    loop {
        let event: Option<(String, String)> = {
            let mut cache = CACHE.get().await?;
            cache.brpop("catalog:events", 5.0).await?
        };
        if let Some((_, event)) = event {
            tokio::spawn(async move {
                if let Err(err) = handle_catalog_event(&event).await {
                    eprintln!("catalog event failed: {err:#}");
                }
            });
        }
    }
}
