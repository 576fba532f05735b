// Negative case: OrderService (orders DB + orders redis) and ReportingService (warehouse DB + reporting redis) are
// different struct types built from different URLs, so OrderService.db/.cache and ReportingService.db/.cache are
// four distinct pools. db -> cache in one type and cache -> db in the other is not an inversion.
mod orders;
mod reporting;

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use deadpool_redis::Runtime;
use serde::Deserialize;
use sqlx::postgres::PgPoolOptions;

use crate::{orders::OrderService, reporting::{DailyRevenue, ReportingService}};

struct AppState {
    orders: OrderService,
    reporting: ReportingService,
}

fn env(var: &str) -> anyhow::Result<String> {
    std::env::var(var).map_err(|_| anyhow::anyhow!("{var} must be set"))
}

fn internal(err: anyhow::Error) -> (StatusCode, String) {
    tracing::error!(error = %err, "request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error".into())
}

async fn cancel_order(
    State(state): State<Arc<AppState>>,
    Path(order_id): Path<i64>,
) -> Result<StatusCode, (StatusCode, String)> {
    state.orders.cancel_order(order_id).await.map_err(internal)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct RevenueQuery {
    days: Option<i32>,
}

async fn revenue(
    State(state): State<Arc<AppState>>,
    Query(query): Query<RevenueQuery>,
) -> Result<Json<Vec<DailyRevenue>>, (StatusCode, String)> {
    let days = query.days.unwrap_or(30).clamp(1, 365);
    Ok(Json(state.reporting.revenue_by_day(days).await.map_err(internal)?))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let orders = OrderService {
        db: PgPoolOptions::new()
            .max_connections(20)
            .connect(&env("ORDERS_DATABASE_URL")?)
            .await?,
        cache: deadpool_redis::Config::from_url(env("ORDERS_REDIS_URL")?) //~ unbounded_checkout_wait
            .create_pool(Some(Runtime::Tokio1))?,
    };
    let reporting = ReportingService {
        db: PgPoolOptions::new()
            .max_connections(5)
            .connect(&env("WAREHOUSE_DATABASE_URL")?)
            .await?,
        cache: deadpool_redis::Config::from_url(env("REPORTS_REDIS_URL")?) //~ unbounded_checkout_wait
            .create_pool(Some(Runtime::Tokio1))?,
    };
    let state = Arc::new(AppState { orders, reporting });

    let app = Router::new()
        .route("/orders/:order_id/cancel", post(cancel_order))
        .route("/reports/revenue", get(revenue))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
