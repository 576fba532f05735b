// Negative: static PROCESSING_SLOTS (tokio Semaphore) and AppState.db (sqlx). `upload_avatar` holds a db transaction
// but only calls PROCESSING_SLOTS.try_acquire() (non-blocking, answers 503 when busy), so it never waits on the
// semaphore; only `reprocess_avatars` blocks in the other order (permit -> db). No inversion.
use std::{sync::Arc, time::Duration};

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::put,
    Router,
};
use sqlx::{postgres::PgPoolOptions, PgPool};
use tokio::sync::Semaphore;
use uuid::Uuid;

/// Image decoding is memory hungry; never run more than two at once.
static PROCESSING_SLOTS: Semaphore = Semaphore::const_new(2);

const AVATAR_DIR: &str = "/srv/avatars";

struct AppState {
    db: PgPool,
}

enum ApiError {
    NotFound,
    Busy,
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
            ApiError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "avatar processing is busy, retry shortly",
            )
                .into_response(),
            ApiError::Internal(err) => {
                tracing::error!(error = %err, "avatar request failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

async fn resize_avatar(raw: Bytes) -> anyhow::Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        let image = image::load_from_memory(&raw)?;
        let thumb = image.resize_to_fill(256, 256, image::imageops::FilterType::Lanczos3);
        let mut out = std::io::Cursor::new(Vec::new());
        thumb.write_to(&mut out, image::ImageFormat::Png)?;
        Ok(out.into_inner())
    })
    .await?
}

async fn store_avatar(user_id: i64, png: &[u8]) -> anyhow::Result<String> {
    let key = format!("{user_id}-{}.png", Uuid::new_v4());
    tokio::fs::write(format!("{AVATAR_DIR}/{key}"), png).await?;
    Ok(key)
}

async fn upload_avatar(
    State(state): State<Arc<AppState>>,
    Path(user_id): Path<i64>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.db.begin().await?;
    let previous: Option<String> =
        sqlx::query_scalar::<_, Option<String>>("SELECT avatar_key FROM users WHERE id = $1 FOR UPDATE")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(ApiError::NotFound)?;

    // Never queue behind other uploads while holding the row lock: shed load instead.
    let Ok(_slot) = PROCESSING_SLOTS.try_acquire() else {
        return Err(ApiError::Busy);
    };
    let png = resize_avatar(body).await?; //~ guard_held_across_await
    let key = store_avatar(user_id, &png).await?;

    sqlx::query("UPDATE users SET avatar_key = $2, avatar_format_version = 2, avatar_updated_at = now() WHERE id = $1")
        .bind(user_id)
        .bind(&key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    if let Some(old) = previous {
        tokio::fs::remove_file(format!("{AVATAR_DIR}/{old}")).await.ok();
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn reprocess_avatars(state: &AppState) -> anyhow::Result<usize> {
    let stale: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, avatar_key FROM users WHERE avatar_key IS NOT NULL AND avatar_format_version < 2 LIMIT 100",
    )
    .fetch_all(&state.db)
    .await?;

    for (user_id, old_key) in &stale {
        let _slot = PROCESSING_SLOTS.acquire().await?;
        let raw = tokio::fs::read(format!("{AVATAR_DIR}/{old_key}")).await?;
        let png = resize_avatar(Bytes::from(raw)).await?;
        let new_key = store_avatar(*user_id, &png).await?;
        sqlx::query("UPDATE users SET avatar_key = $2, avatar_format_version = 2 WHERE id = $1 AND avatar_key = $3")
            .bind(user_id)
            .bind(&new_key)
            .bind(old_key)
            .execute(&state.db)
            .await?;
    }
    Ok(stale.len())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let db = PgPoolOptions::new()
        .max_connections(10)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let state = Arc::new(AppState { db });

    let job_state = Arc::clone(&state);
    tokio::spawn(async move {
        loop {
            match reprocess_avatars(&job_state).await {
                Ok(0) => tokio::time::sleep(Duration::from_secs(600)).await,
                Ok(n) => tracing::info!(reprocessed = n, "avatars migrated to v2"),
                Err(err) => {
                    tracing::warn!(error = %err, "avatar migration failed");
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
            }
        }
    });

    let app = Router::new()
        .route("/users/:user_id/avatar", put(upload_avatar))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
