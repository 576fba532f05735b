// Negative: `change_password` commits its AppState.db transaction (`tx.commit().await?`) before checking out
// AppState.sessions, so no db guard is alive at that checkout; only `authenticate` nests (sessions -> db).
// One direction only, so there is no inversion.
use std::sync::Arc;

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::{get, put},
    Json, Router,
};
use bb8_redis::{redis::AsyncCommands, RedisConnectionManager};
use serde::{Deserialize, Serialize};
use sqlx::{postgres::PgPoolOptions, PgPool};

struct AppState {
    db: PgPool,
    sessions: bb8::Pool<RedisConnectionManager>,
}

const SESSION_TTL_SECS: u64 = 3600;

async fn change_password(state: &AppState, user_id: i64, new_hash: &str) -> anyhow::Result<usize> {
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1")
        .bind(user_id)
        .bind(new_hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO security_events (user_id, kind) VALUES ($1, 'password_changed')")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM remember_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    // Log out every other device only after the new password is durable.
    let mut sessions = state.sessions.get().await?;
    let index = format!("user_sessions:{user_id}");
    let tokens: Vec<String> = sessions.smembers(&index).await?;
    for token in &tokens {
        let _: () = sessions.del(format!("session:{token}")).await?;
    }
    let _: () = sessions.del(&index).await?;
    Ok(tokens.len())
}

async fn authenticate(state: &AppState, token: &str) -> anyhow::Result<Option<i64>> {
    let mut sessions = state.sessions.get().await?;
    let key = format!("session:{token}");
    if let Some(user_id) = sessions.get::<_, Option<i64>>(&key).await? {
        return Ok(Some(user_id));
    }

    // Fall back to long-lived "remember me" tokens stored in postgres and promote them to a session.
    let user_id: Option<i64> = sqlx::query_scalar( //~ guard_held_across_await
        "SELECT user_id FROM remember_tokens WHERE token = $1 AND expires_at > now()",
    )
    .bind(token)
    .fetch_optional(&state.db)
    .await?;
    if let Some(user_id) = user_id {
        let _: () = sessions.set_ex(&key, user_id, SESSION_TTL_SECS).await?;
        let _: () = sessions.sadd(format!("user_sessions:{user_id}"), token).await?;
    }
    Ok(user_id)
}

fn bearer(headers: &HeaderMap) -> Result<&str, StatusCode> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)
}

fn server_error(err: anyhow::Error) -> StatusCode {
    tracing::error!(error = %err, "request failed");
    StatusCode::INTERNAL_SERVER_ERROR
}

#[derive(Deserialize)]
struct PasswordChange {
    new_password: String,
}

#[derive(Serialize, sqlx::FromRow)]
struct Me {
    id: i64,
    email: String,
}

async fn put_password(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(body): Json<PasswordChange>,
) -> Result<StatusCode, StatusCode> {
    let user_id = authenticate(&state, bearer(&headers)?)
        .await
        .map_err(server_error)?
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let hash = bcrypt::hash(&body.new_password, 12).map_err(|e| server_error(e.into()))?;
    change_password(&state, user_id, &hash).await.map_err(server_error)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn get_me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Json<Me>, StatusCode> {
    let user_id = authenticate(&state, bearer(&headers)?)
        .await
        .map_err(server_error)?
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let me = sqlx::query_as::<_, Me>("SELECT id, email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&state.db)
        .await
        .map_err(|e| server_error(e.into()))?;
    Ok(Json(me))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let db = PgPoolOptions::new()
        .max_connections(20)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let sessions = bb8::Pool::builder()
        .max_size(20)
        .build(RedisConnectionManager::new(std::env::var("REDIS_URL")?)?)
        .await?;
    let state = Arc::new(AppState { db, sessions });

    let app = Router::new()
        .route("/me", get(get_me))
        .route("/me/password", put(put_password))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
