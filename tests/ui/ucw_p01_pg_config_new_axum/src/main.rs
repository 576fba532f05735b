use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use deadpool_postgres::{Config, ManagerConfig, Pool, RecyclingMethod, Runtime};
use serde::Serialize;
use tokio_postgres::NoTls;

#[derive(Serialize)]
struct Order {
    id: i64,
    customer: String,
    total_cents: i64,
}

async fn get_order(
    State(pool): State<Pool>,
    Path(id): Path<i64>,
) -> Result<Json<Order>, StatusCode> {
    let client = pool.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let row = client
        .query_opt("SELECT id, customer, total_cents FROM orders WHERE id = $1", &[&id])
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(Json(Order {
        id: row.get(0),
        customer: row.get(1),
        total_cents: row.get(2),
    }))
}

async fn health(State(pool): State<Pool>) -> StatusCode {
    match pool.get().await {
        Ok(client) => match client.simple_query("SELECT 1").await {
            Ok(_) => StatusCode::OK,
            Err(_) => StatusCode::SERVICE_UNAVAILABLE,
        },
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let mut cfg = Config::new();
    cfg.host = Some(std::env::var("PGHOST").unwrap_or_else(|_| "localhost".into()));
    cfg.port = Some(5432);
    cfg.user = Some("orders".to_string());
    cfg.password = std::env::var("PGPASSWORD").ok();
    cfg.dbname = Some("orders".to_string());
    cfg.manager = Some(ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    });
    let pool = cfg.create_pool(Some(Runtime::Tokio1), NoTls)?; //~ unbounded_checkout_wait

    let app = Router::new()
        .route("/healthz", get(health))
        .route("/orders/{id}", get(get_order))
        .with_state(pool);

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    tracing::info!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
