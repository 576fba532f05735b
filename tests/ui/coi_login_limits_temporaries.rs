// Negative: static DB (sqlx) and static LOGIN_LIMITS (deadpool-redis). In `record_successful_login` the DB checkouts
// are temporaries (`.execute(&*DB).await?;` statements) released before LOGIN_LIMITS is checked out; only
// `register_failed_attempt` holds a guard across the other checkout (LOGIN_LIMITS -> DB). One direction only.
use std::net::SocketAddr;

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use axum::{
    extract::{ConnectInfo, Json},
    http::StatusCode,
    routing::post,
    Router,
};
use deadpool_redis::{redis::AsyncCommands, Runtime};
use once_cell::sync::Lazy;
use serde::Deserialize;
use sqlx::{postgres::PgPoolOptions, PgPool};

const MAX_FAILURES: u32 = 5;

static DB: Lazy<PgPool> = Lazy::new(|| {
    PgPoolOptions::new()
        .max_connections(20)
        .connect_lazy(&std::env::var("DATABASE_URL").expect("DATABASE_URL must be set"))
        .expect("invalid DATABASE_URL")
});

static LOGIN_LIMITS: Lazy<deadpool_redis::Pool> = Lazy::new(|| {
    deadpool_redis::Config::from_url(std::env::var("REDIS_URL").expect("REDIS_URL must be set"))
        .create_pool(Some(Runtime::Tokio1))
        .expect("invalid redis configuration")
});

async fn record_successful_login(user_id: i64, ip: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET last_login_at = now(), failed_logins = 0 WHERE id = $1")
        .bind(user_id)
        .execute(&*DB)
        .await?;
    sqlx::query("INSERT INTO login_history (user_id, ip, succeeded) VALUES ($1, $2::inet, true)")
        .bind(user_id)
        .bind(ip)
        .execute(&*DB)
        .await?;

    let mut limits = LOGIN_LIMITS.get().await?;
    let keys = [format!("login_failures:user:{user_id}"), format!("login_failures:ip:{ip}")];
    let _: () = limits.del(&keys).await?;
    Ok(())
}

async fn register_failed_attempt(user_id: i64, ip: &str) -> anyhow::Result<bool> {
    let mut limits = LOGIN_LIMITS.get().await?;
    let key = format!("login_failures:user:{user_id}");
    let failures: u32 = limits.incr(&key, 1).await?;
    let _: () = limits.expire(&key, 900).await?;
    let _: () = limits.incr(format!("login_failures:ip:{ip}"), 1).await?;

    if failures >= MAX_FAILURES {
        sqlx::query("UPDATE users SET locked_until = now() + interval '15 minutes' WHERE id = $1") //~ guard_held_across_await
            .bind(user_id)
            .execute(&*DB)
            .await?;
        let _: () = limits.del(&key).await?;
        return Ok(true);
    }
    Ok(false)
}

#[derive(Deserialize)]
struct LoginRequest {
    email: String,
    password: String,
}

async fn login(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(req): Json<LoginRequest>,
) -> Result<StatusCode, (StatusCode, String)> {
    let internal = |err: anyhow::Error| (StatusCode::INTERNAL_SERVER_ERROR, format!("{err:#}"));
    let ip = peer.ip().to_string();

    let user: Option<(i64, String, bool)> = sqlx::query_as(
        "SELECT id, password_hash, locked_until IS NOT NULL AND locked_until > now() FROM users WHERE email = $1",
    )
    .bind(&req.email)
    .fetch_optional(&*DB)
    .await
    .map_err(|e| internal(e.into()))?;
    let Some((user_id, hash, locked)) = user else {
        return Err((StatusCode::UNAUTHORIZED, "invalid credentials".into()));
    };
    if locked {
        return Err((StatusCode::LOCKED, "account temporarily locked".into()));
    }

    let parsed = PasswordHash::new(&hash).map_err(|e| internal(anyhow::anyhow!("{e}")))?;
    if Argon2::default().verify_password(req.password.as_bytes(), &parsed).is_ok() {
        record_successful_login(user_id, &ip).await.map_err(internal)?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        let locked_now = register_failed_attempt(user_id, &ip).await.map_err(internal)?;
        let message = if locked_now { "account temporarily locked" } else { "invalid credentials" };
        Err((StatusCode::UNAUTHORIZED, message.into()))
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let app = Router::new().route("/login", post(login));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await?;
    Ok(())
}
