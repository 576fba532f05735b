//! Redis-backed web session storage shared by all handlers in the process.

use deadpool_redis::redis::AsyncCommands;
use deadpool_redis::{Manager, Pool};
use once_cell::sync::Lazy;
use serde::{de::DeserializeOwned, Serialize};

const SESSION_TTL_SECS: u64 = 60 * 60 * 24;

static SESSIONS: Lazy<Pool> = Lazy::new(|| {
    let url = std::env::var("SESSION_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/2".to_string());
    let manager = Manager::new(url).expect("invalid SESSION_REDIS_URL");
    Pool::builder(manager) //~ unbounded_checkout_wait
        .max_size(8)
        .build()
        .expect("failed to build session pool")
});

fn key(session_id: &str) -> String {
    format!("session:{session_id}")
}

pub async fn load<T: DeserializeOwned>(session_id: &str) -> anyhow::Result<Option<T>> {
    let mut conn = SESSIONS.get().await?;
    let raw: Option<String> = conn.get(key(session_id)).await?;
    Ok(match raw {
        Some(json) => Some(serde_json::from_str(&json)?),
        None => None,
    })
}

pub async fn store<T: Serialize>(session_id: &str, data: &T) -> anyhow::Result<()> {
    let json = serde_json::to_string(data)?;
    let mut conn = SESSIONS.get().await?;
    let _: () = conn.set_ex(key(session_id), json, SESSION_TTL_SECS).await?;
    Ok(())
}

pub async fn destroy(session_id: &str) -> anyhow::Result<()> {
    let mut conn = SESSIONS.get().await?;
    let _: () = conn.del(key(session_id)).await?;
    Ok(())
}
