// Positive: three static pools. PRIMARY -> CACHE and ANALYTICS -> CACHE are consistent, but `place_order` holds
// a PRIMARY transaction while record_funnel_event executes on &*ANALYTICS, and the `backfill_order_facts` job
// holds an ANALYTICS transaction while querying &*PRIMARY: only the PRIMARY/ANALYTICS pair is inverted.
use std::time::Duration;

use axum::{http::StatusCode, routing::post, Json, Router};
use chrono::{DateTime, Utc};
use deadpool_redis::{redis::AsyncCommands, Runtime};
use once_cell::sync::Lazy;
use serde::Deserialize;
use sqlx::{postgres::PgPoolOptions, PgPool};

static PRIMARY: Lazy<PgPool> = Lazy::new(|| pg_pool("DATABASE_URL", 20));
static ANALYTICS: Lazy<PgPool> = Lazy::new(|| pg_pool("ANALYTICS_DATABASE_URL", 5));
static CACHE: Lazy<deadpool_redis::Pool> = Lazy::new(|| {
    deadpool_redis::Config::from_url(std::env::var("REDIS_URL").expect("REDIS_URL must be set"))
        .create_pool(Some(Runtime::Tokio1))
        .expect("invalid redis configuration")
});

fn pg_pool(var: &str, max_connections: u32) -> PgPool {
    let url = std::env::var(var).unwrap_or_else(|_| panic!("{var} must be set"));
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .connect_lazy(&url)
        .expect("invalid postgres url")
}

#[derive(Debug, Deserialize)]
struct OrderRequest {
    session_id: String,
    customer_id: i64,
    sku: String,
    quantity: i32,
}

async fn record_funnel_event(session_id: &str, step: &str, order_id: Option<i64>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO funnel_events (session_id, step, order_id, occurred_at) VALUES ($1, $2, $3, now())",
    )
    .bind(session_id)
    .bind(step)
    .bind(order_id)
    .execute(&*ANALYTICS)
    .await?;
    Ok(())
}

async fn place_order(req: &OrderRequest) -> anyhow::Result<i64> {
    let mut tx = PRIMARY.begin().await?;

    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (customer_id, sku, quantity) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(req.customer_id)
    .bind(&req.sku)
    .bind(req.quantity)
    .fetch_one(&mut *tx)
    .await?;

    let reserved = sqlx::query("UPDATE stock SET on_hand = on_hand - $2 WHERE sku = $1 AND on_hand >= $2")
        .bind(&req.sku)
        .bind(req.quantity)
        .execute(&mut *tx)
        .await?;
    if reserved.rows_affected() == 0 {
        anyhow::bail!("sku {} is out of stock", req.sku);
    }

    record_funnel_event(&req.session_id, "order_placed", Some(order_id)).await?; //~ checkout_order_inversion

    let mut cache = CACHE.get().await?;
    let _: () = cache.del(format!("stock:{}", req.sku)).await?;

    tx.commit().await?; //~ guard_held_across_await
    Ok(order_id)
}

async fn refresh_sales_dashboard() -> anyhow::Result<()> {
    let mut analytics = ANALYTICS.acquire().await?;
    let top_skus: Vec<(String, i64)> = sqlx::query_as(
        "SELECT sku, SUM(quantity)::BIGINT FROM order_facts \
         WHERE placed_at > now() - interval '1 day' \
         GROUP BY sku ORDER BY 2 DESC LIMIT 50",
    )
    .fetch_all(&mut *analytics)
    .await?;

    let mut cache = CACHE.get().await?; //~ guard_held_across_await
    let payload = serde_json::to_string(&top_skus)?;
    let _: () = cache.set_ex("dashboard:top_skus", payload, 120).await?;

    sqlx::query("INSERT INTO dashboard_refreshes (refreshed_at) VALUES (now())") //~ guard_held_across_await
        .execute(&mut *analytics)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OrderFact {
    id: i64,
    customer_id: i64,
    sku: String,
    quantity: i32,
    created_at: DateTime<Utc>,
}

async fn backfill_order_facts() -> anyhow::Result<usize> {
    let mut tx = ANALYTICS.begin().await?;
    let watermark: i64 = sqlx::query_scalar(
        "SELECT last_order_id FROM etl_watermarks WHERE name = 'order_facts' FOR UPDATE",
    )
    .fetch_one(&mut *tx)
    .await?;

    let orders: Vec<OrderFact> = sqlx::query_as(
        "SELECT id, customer_id, sku, quantity, created_at FROM orders WHERE id > $1 ORDER BY id LIMIT 5000",
    )
    .bind(watermark)
    .fetch_all(&*PRIMARY)
    .await?;

    for order in &orders {
        sqlx::query(
            "INSERT INTO order_facts (order_id, customer_id, sku, quantity, placed_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(order.id)
        .bind(order.customer_id)
        .bind(&order.sku)
        .bind(order.quantity)
        .bind(order.created_at)
        .execute(&mut *tx)
        .await?;
    }

    if let Some(last) = orders.last() {
        sqlx::query("UPDATE etl_watermarks SET last_order_id = $1, updated_at = now() WHERE name = 'order_facts'")
            .bind(last.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(orders.len())
}

async fn create_order(Json(req): Json<OrderRequest>) -> Result<Json<i64>, (StatusCode, String)> {
    place_order(&req)
        .await
        .map(Json)
        .map_err(|err| (StatusCode::CONFLICT, format!("{err:#}")))
}

fn every<F, Fut>(period: Duration, name: &'static str, job: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            if let Err(err) = job().await {
                eprintln!("{name} failed: {err:#}");
            }
        }
    });
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    every(Duration::from_secs(60), "refresh_sales_dashboard", refresh_sales_dashboard);
    every(Duration::from_secs(300), "backfill_order_facts", || async {
        backfill_order_facts().await.map(|_| ())
    });

    let app = Router::new().route("/orders", post(create_order));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
