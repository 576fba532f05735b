use deadpool_redis::redis::AsyncCommands;
use deadpool_redis::{Config, CreatePoolError, Pool, PoolError, Runtime};
use tokio::sync::OnceCell;

static SESSION_POOL: OnceCell<Pool> = OnceCell::const_new();

#[derive(Debug)]
pub enum SessionError {
    Init(CreatePoolError),
    Pool(PoolError),
    Redis(deadpool_redis::redis::RedisError),
}

/// Lazily creates the shared session pool on first use.
pub async fn session_pool(redis_url: &str) -> Result<&'static Pool, SessionError> {
    SESSION_POOL
        .get_or_try_init(|| async {
            let cfg = Config::from_url(redis_url);
            cfg.create_pool(Some(Runtime::Tokio1)) //~ unbounded_checkout_wait
        })
        .await
        .map_err(SessionError::Init)
}

pub async fn load_session(
    redis_url: &str,
    session_id: &str,
) -> Result<Option<String>, SessionError> {
    let pool = session_pool(redis_url).await?;
    let mut conn = pool.get().await.map_err(SessionError::Pool)?;
    conn.get(format!("session:{session_id}"))
        .await
        .map_err(SessionError::Redis)
}

pub async fn touch_session(
    redis_url: &str,
    session_id: &str,
    ttl_secs: i64,
) -> Result<(), SessionError> {
    let pool = session_pool(redis_url).await?;
    let mut conn = pool.get().await.map_err(SessionError::Pool)?;
    let _: bool = conn
        .expire(format!("session:{session_id}"), ttl_secs)
        .await
        .map_err(SessionError::Redis)?;
    Ok(())
}
