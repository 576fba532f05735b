// Negative: `copy_new_orders(src, dst)` holds src while checking out dst and `verify_counts(dst, src)` holds dst
// while checking out src, but both pools are plain function parameters built fresh per tenant inside `sync_tenant`
// (no static, no struct field) and used one after the other, so there is no shared pair to compare.
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::{stream, StreamExt, TryStreamExt};
use serde::Deserialize;
use sqlx::{postgres::PgPoolOptions, PgPool};

#[derive(Debug, Deserialize)]
struct TenantConfig {
    name: String,
    oltp_url: String,
    reporting_url: String,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    customer_id: i64,
    total_cents: i64,
    created_at: DateTime<Utc>,
}

async fn copy_new_orders(src: &PgPool, dst: &PgPool) -> anyhow::Result<u64> {
    let mut src_conn = src.acquire().await?;
    let high_water: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM orders") //~ guard_held_across_await
        .fetch_one(dst)
        .await?;

    let mut dst_tx = dst.begin().await?;
    let mut rows = sqlx::query_as::<_, OrderRow>(
        "SELECT id, customer_id, total_cents, created_at FROM orders WHERE id > $1 ORDER BY id",
    )
    .bind(high_water)
    .fetch(&mut *src_conn);

    let mut copied = 0u64;
    while let Some(order) = rows.try_next().await? { //~ guard_held_across_await
        sqlx::query(
            "INSERT INTO orders (id, customer_id, total_cents, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(order.id)
        .bind(order.customer_id)
        .bind(order.total_cents)
        .bind(order.created_at)
        .execute(&mut *dst_tx)
        .await?;
        copied += 1;
    }
    drop(rows);

    dst_tx.commit().await?;
    Ok(copied)
}

async fn verify_counts(dst: &PgPool, src: &PgPool) -> anyhow::Result<()> {
    let mut dst_conn = dst.acquire().await?;
    let (dst_count, dst_max): (i64, Option<i64>) =
        sqlx::query_as("SELECT count(*), MAX(id) FROM orders")
            .fetch_one(&mut *dst_conn)
            .await?;
    let Some(dst_max) = dst_max else {
        return Ok(());
    };

    let src_count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE id <= $1") //~ guard_held_across_await
        .bind(dst_max)
        .fetch_one(src)
        .await?;
    if src_count != dst_count {
        sqlx::query(
            "INSERT INTO sync_discrepancies (table_name, expected, actual, detected_at) \
             VALUES ('orders', $1, $2, now())",
        )
        .bind(src_count)
        .bind(dst_count)
        .execute(&mut *dst_conn)
        .await?;
        anyhow::bail!("orders: reporting has {dst_count} rows, source has {src_count}");
    }
    Ok(())
}

async fn connect(url: &str) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(30))
        .connect(url)
        .await?)
}

async fn sync_tenant(tenant: &TenantConfig) -> anyhow::Result<u64> {
    let src = connect(&tenant.oltp_url).await?;
    let dst = connect(&tenant.reporting_url).await?;

    let copied = copy_new_orders(&src, &dst).await?;
    verify_counts(&dst, &src).await?;

    src.close().await;
    dst.close().await;
    Ok(copied)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config_path = std::env::args().nth(1).unwrap_or_else(|| "tenants.json".to_owned());
    let tenants: Vec<TenantConfig> =
        serde_json::from_str(&tokio::fs::read_to_string(&config_path).await?)?;

    stream::iter(tenants)
        .for_each_concurrent(4, |tenant| async move {
            match sync_tenant(&tenant).await {
                Ok(copied) => println!("{}: copied {copied} orders", tenant.name),
                Err(err) => eprintln!("{}: sync failed: {err:#}", tenant.name),
            }
        })
        .await;
    Ok(())
}
