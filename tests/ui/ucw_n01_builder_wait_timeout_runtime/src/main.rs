mod db;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use deadpool_postgres::Pool;

async fn stock_level(
    State(pool): State<Pool>,
    Path(sku): Path<String>,
) -> Result<Json<i32>, StatusCode> {
    let client = pool.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let row = client
        .query_opt("SELECT on_hand FROM stock WHERE sku = $1", &[&sku])
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(Json(row.get(0)))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let pool = db::connect(&std::env::var("DATABASE_URL")?)?;
    let app = Router::new()
        .route("/stock/{sku}", get(stock_level))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
