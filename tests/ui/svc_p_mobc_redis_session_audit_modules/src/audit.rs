use mobc_redis::redis::AsyncCommands;

use crate::{RedisPool, SessionError};

pub async fn session_refreshed(pool: &RedisPool, user: &str, sid: &str) -> Result<(), SessionError> {
    let mut conn = pool.get().await?;
    let _: String = conn
        .xadd("audit:sessions", "*", &[("user", user), ("sid", sid), ("event", "refresh")])
        .await?;
    Ok(())
}
