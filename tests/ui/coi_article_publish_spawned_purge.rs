// Negative: `publish_article` holds an AppState.db transaction, but the AppState.cache checkout happens inside a
// tokio::spawn'ed task whose JoinHandle is dropped (never awaited), so the handler never waits on cache while
// holding db. Only `get_article` nests (cache -> db): one direction only, no inversion.
use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use deadpool_redis::{redis::AsyncCommands, Runtime};
use serde::{Deserialize, Serialize};
use sqlx::{postgres::PgPoolOptions, PgPool};

struct AppState {
    db: PgPool,
    cache: deadpool_redis::Pool,
}

enum ApiError {
    NotFound,
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError::Internal(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND.into_response(),
            ApiError::Internal(err) => {
                tracing::error!(error = %err, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
struct Article {
    slug: String,
    title: String,
    body_html: String,
}

async fn purge_article_cache(state: &AppState, slug: &str) -> anyhow::Result<()> {
    let mut conn = state.cache.get().await?;
    let keys = [
        format!("article:{slug}"),
        format!("article:{slug}:amp"),
        "homepage:latest".to_owned(),
    ];
    let _: () = conn.del(&keys).await?;
    Ok(())
}

async fn publish_article(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.db.begin().await?;
    let updated = sqlx::query(
        "UPDATE articles SET status = 'published', published_at = now() WHERE slug = $1 AND status = 'draft'",
    )
    .bind(&slug)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    sqlx::query("INSERT INTO article_events (slug, kind) VALUES ($1, 'published')")
        .bind(&slug)
        .execute(&mut *tx)
        .await?;

    // Fire-and-forget purge of cached renderings; the handler does not wait for it.
    let purge_state = Arc::clone(&state);
    let purge_slug = slug.clone();
    tokio::spawn(async move {
        if let Err(err) = purge_article_cache(&purge_state, &purge_slug).await {
            tracing::warn!(slug = %purge_slug, error = %err, "cache purge failed");
        }
    });

    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn get_article(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Json<Article>, ApiError> {
    let mut conn = state.cache.get().await?;
    let key = format!("article:{slug}");
    if let Some(raw) = conn.get::<_, Option<String>>(&key).await? {
        return Ok(Json(serde_json::from_str(&raw)?));
    }

    let article = sqlx::query_as::<_, Article>( //~ guard_held_across_await
        "SELECT slug, title, body_html FROM articles WHERE slug = $1 AND status = 'published'",
    )
    .bind(&slug)
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound)?;

    let _: () = conn.set_ex(&key, serde_json::to_string(&article)?, 900).await?;
    Ok(Json(article))
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

    let app = Router::new()
        .route("/articles/:slug", get(get_article))
        .route("/articles/:slug/publish", post(publish_article))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
