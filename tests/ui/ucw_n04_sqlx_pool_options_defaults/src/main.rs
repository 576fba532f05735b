mod db;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use serde::Serialize;
use sqlx::PgPool;

#[derive(Serialize)]
struct FlagState {
    flag: String,
    tenant: String,
    enabled: bool,
}

async fn evaluate(
    State(pool): State<PgPool>,
    Path((tenant, flag)): Path<(String, String)>,
) -> Result<Json<FlagState>, StatusCode> {
    let enabled = db::flag_enabled(&pool, &flag, &tenant)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(FlagState { flag, tenant, enabled }))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let pool = db::connect(&std::env::var("DATABASE_URL")?).await?;
    let app = Router::new()
        .route("/tenants/{tenant}/flags/{flag}", get(evaluate))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8090").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
