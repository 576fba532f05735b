mod db;

use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
use serde::Deserialize;

#[derive(Deserialize)]
struct Sample {
    device_id: String,
    metric: String,
    value: f64,
}

async fn ingest(State(pool): State<db::DbPool>, Json(batch): Json<Vec<Sample>>) -> StatusCode {
    let conn = match pool.get().await {
        Ok(conn) => conn,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE,
    };
    for s in &batch {
        let res = conn
            .execute(
                "INSERT INTO samples (device_id, metric, value) VALUES ($1, $2, $3)",
                &[&s.device_id, &s.metric, &s.value],
            )
            .await;
        if res.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    StatusCode::ACCEPTED
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let pool = db::create_pool(&std::env::var("DATABASE_URL")?)?;
    let app = Router::new().route("/v1/samples", post(ingest)).with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:9000").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
