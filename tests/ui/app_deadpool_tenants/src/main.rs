mod billing;
mod config;
mod error;
mod migrations;
mod tenants;

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::billing::{BillingService, Invoice};
use crate::error::AppError;
use crate::migrations::Migrator;
use crate::tenants::{TenantId, TenantPools};

#[derive(Clone)]
struct AppCtx {
    pools: Arc<TenantPools>,
    billing: Arc<BillingService>,
}

#[derive(Deserialize)]
struct InvoiceQuery { until: Option<DateTime<Utc>> }

async fn create_invoice(
    State(ctx): State<AppCtx>,
    Path((tenant, account)): Path<(String, Uuid)>,
    Query(q): Query<InvoiceQuery>,
) -> Result<Json<Invoice>, AppError> {
    let until = q.until.unwrap_or_else(Utc::now);
    ctx.billing.generate_invoice(&TenantId(tenant), account, until).await.map(Json)
}

async fn dashboard(State(ctx): State<AppCtx>, Path(tenant): Path<String>) -> Result<Json<serde_json::Value>, AppError> {
    ctx.billing.dashboard(&TenantId(tenant)).await.map(Json)
}

async fn pool_status(State(ctx): State<AppCtx>) -> Json<serde_json::Value> {
    let status: Vec<_> = ctx
        .pools
        .status()
        .into_iter()
        .map(|(t, s)| serde_json::json!({ "tenant": t, "size": s.size, "available": s.available, "max": s.max_size }))
        .collect();
    Json(serde_json::Value::Array(status))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init();
    let cfg = config::Config::load()?;
    let pools = Arc::new(TenantPools::build(&cfg)?);

    let migrated = Migrator::new(Arc::clone(&pools)).migrate_all().await?;
    for (tenant, n) in &migrated {
        tracing::info!(%tenant, applied = n, "tenant schema up to date");
    }

    let ctx = AppCtx { billing: Arc::new(BillingService::new(Arc::clone(&pools), cfg.currency.clone())), pools };
    let app = Router::new()
        .route("/tenants/:tenant/accounts/:account/invoices", post(create_invoice))
        .route("/tenants/:tenant/dashboard", get(dashboard))
        .route("/debug/pools", get(pool_status))
        .with_state(ctx);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
