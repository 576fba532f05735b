// Negative: AppState.db (sqlx) and AppState.cache (deadpool-redis) are always taken in the same order, db first and
// cache second, in every handler and in the moderation job, so there is no pair taken in opposite orders.
use std::{sync::Arc, time::Duration};

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{delete, get},
    Json, Router,
};
use deadpool_redis::{redis::AsyncCommands, Runtime};
use serde::{Deserialize, Serialize};
use sqlx::{postgres::PgPoolOptions, PgPool};

struct AppState {
    db: PgPool,
    cache: deadpool_redis::Pool,
}

struct AppError(anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(err: E) -> Self {
        AppError(err.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self.0, "request failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    }
}

#[derive(Debug, Deserialize)]
struct NewComment {
    author_id: i64,
    body: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Comment {
    id: i64,
    author_id: i64,
    body: String,
}

async fn create_comment(
    State(state): State<Arc<AppState>>,
    Path(post_id): Path<i64>,
    Json(new): Json<NewComment>,
) -> Result<(StatusCode, Json<i64>), AppError> {
    let mut tx = state.db.begin().await?;
    let comment_id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (post_id, author_id, body) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(post_id)
    .bind(new.author_id)
    .bind(&new.body)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1")
        .bind(post_id)
        .execute(&mut *tx)
        .await?;

    let mut cache = state.cache.get().await?; //~ guard_held_across_await
    let _: () = cache.del(format!("comments:{post_id}")).await?;

    tx.commit().await?; //~ guard_held_across_await
    Ok((StatusCode::CREATED, Json(comment_id)))
}

async fn delete_comment(
    State(state): State<Arc<AppState>>,
    Path((post_id, comment_id)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    let mut tx = state.db.begin().await?;
    let deleted = sqlx::query("DELETE FROM comments WHERE id = $1 AND post_id = $2")
        .bind(comment_id)
        .bind(post_id)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Ok(StatusCode::NOT_FOUND);
    }
    sqlx::query("UPDATE posts SET comment_count = comment_count - 1 WHERE id = $1")
        .bind(post_id)
        .execute(&mut *tx)
        .await?;

    let mut cache = state.cache.get().await?; //~ guard_held_across_await
    let _: () = cache.del(format!("comments:{post_id}")).await?;

    tx.commit().await?; //~ guard_held_across_await
    Ok(StatusCode::NO_CONTENT)
}

async fn list_comments(
    State(state): State<Arc<AppState>>,
    Path(post_id): Path<i64>,
) -> Result<Json<Vec<Comment>>, AppError> {
    let mut conn = state.db.acquire().await?;
    let comments = sqlx::query_as::<_, Comment>(
        "SELECT id, author_id, body FROM comments WHERE post_id = $1 AND hidden = false ORDER BY id",
    )
    .bind(post_id)
    .fetch_all(&mut *conn)
    .await?;

    // View counters live in redis and are flushed to postgres by a separate exporter.
    let mut cache = state.cache.get().await?; //~ guard_held_across_await
    let _: () = cache.incr(format!("post_views:{post_id}"), 1).await?;

    Ok(Json(comments))
}

async fn hide_flagged_comments(state: &AppState) -> anyhow::Result<usize> {
    let mut tx = state.db.begin().await?;
    let hidden: Vec<i64> = sqlx::query_scalar(
        "UPDATE comments SET hidden = true \
         WHERE hidden = false AND id IN (SELECT comment_id FROM comment_flags GROUP BY comment_id HAVING count(*) >= 3) \
         RETURNING post_id",
    )
    .fetch_all(&mut *tx)
    .await?;

    if !hidden.is_empty() {
        let mut cache = state.cache.get().await?; //~ guard_held_across_await
        for post_id in &hidden {
            let _: () = cache.del(format!("comments:{post_id}")).await?;
        }
    }

    tx.commit().await?;
    Ok(hidden.len())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let db = PgPoolOptions::new()
        .max_connections(20)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let cache = deadpool_redis::Config::from_url(std::env::var("REDIS_URL")?) //~ unbounded_checkout_wait
        .create_pool(Some(Runtime::Tokio1))?;
    let state = Arc::new(AppState { db, cache });

    let moderator = Arc::clone(&state);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(120));
        loop {
            tick.tick().await;
            if let Err(err) = hide_flagged_comments(&moderator).await {
                tracing::warn!(error = %err, "moderation pass failed");
            }
        }
    });

    let app = Router::new()
        .route("/posts/:post_id/comments", get(list_comments).post(create_comment))
        .route("/posts/:post_id/comments/:comment_id", delete(delete_comment))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
