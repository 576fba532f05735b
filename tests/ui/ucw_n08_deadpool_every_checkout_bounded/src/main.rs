use std::time::Duration;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use deadpool_postgres::{Config, Pool, Runtime, Timeouts};
use serde::Serialize;
use tokio_postgres::NoTls;

#[derive(Serialize)]
struct DailyTotal {
    day: String,
    revenue_cents: i64,
}

async fn daily_totals(
    State(pool): State<Pool>,
    Path(merchant_id): Path<i64>,
) -> Result<Json<Vec<DailyTotal>>, StatusCode> {
    let client = pool
        .timeout_get(&Timeouts { wait: Some(Duration::from_secs(2)), ..Default::default() })
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let rows = client
        .query(
            "SELECT to_char(day, 'YYYY-MM-DD'), revenue_cents FROM daily_revenue \
             WHERE merchant_id = $1 ORDER BY day DESC LIMIT 30",
            &[&merchant_id],
        )
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(rows.iter().map(|r| DailyTotal { day: r.get(0), revenue_cents: r.get(1) }).collect()))
}

async fn ready(State(pool): State<Pool>) -> StatusCode {
    let client = match tokio::time::timeout(Duration::from_secs(2), pool.get()).await {
        Ok(Ok(client)) => client,
        _ => return StatusCode::SERVICE_UNAVAILABLE,
    };
    match client.simple_query("SELECT 1").await {
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut cfg = Config::new();
    cfg.url = Some(std::env::var("REPORTS_DATABASE_URL")?);
    cfg.application_name = Some("reports-api".into());
    let pool = cfg.create_pool(Some(Runtime::Tokio1), NoTls)?;

    let app = Router::new()
        .route("/readyz", get(ready))
        .route("/merchants/{id}/daily", get(daily_totals))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8060").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
