use std::time::Duration;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use mobc::Pool;
use mobc_redis::redis::{self, AsyncCommands};
use mobc_redis::RedisConnectionManager;
use serde::Deserialize;

type RedisPool = Pool<RedisConnectionManager>;

#[derive(Deserialize)]
struct Score {
    player: String,
    points: f64,
}

async fn submit(
    State(pool): State<RedisPool>,
    Path(board): Path<String>,
    Json(score): Json<Score>,
) -> StatusCode {
    let Ok(mut conn) = pool.get().await else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let res: redis::RedisResult<()> = conn.zadd(format!("lb:{board}"), score.player, score.points).await;
    if res.is_ok() { StatusCode::NO_CONTENT } else { StatusCode::INTERNAL_SERVER_ERROR }
}

async fn top10(
    State(pool): State<RedisPool>,
    Path(board): Path<String>,
) -> Result<Json<Vec<(String, f64)>>, StatusCode> {
    let mut conn = pool.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let top: Vec<(String, f64)> = conn
        .zrevrange_withscores(format!("lb:{board}"), 0, 9)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(top))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = redis::Client::open(std::env::var("REDIS_URL")?)?;
    let manager = RedisConnectionManager::new(client);
    let pool = Pool::builder()
        .max_open(20)
        .max_idle(5)
        .max_lifetime(Some(Duration::from_secs(600)))
        .build(manager);

    let app = Router::new()
        .route("/boards/{board}/scores", post(submit))
        .route("/boards/{board}/top", get(top10))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8070").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
