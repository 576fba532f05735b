use mobc_redis::redis::AsyncCommands;

use crate::{audit, RedisPool, SessionError};

/// Slides the session's expiry; returns the user id if the session exists.
pub async fn refresh(pool: &RedisPool, sid: &str, ttl_secs: i64) -> Result<Option<String>, SessionError> {
    let mut conn = pool.get().await?;
    let key = format!("sess:{sid}");

    let user: Option<String> = conn.hget(&key, "user").await?;
    let Some(user) = user else {
        return Ok(None);
    };
    let _: bool = conn.expire(&key, ttl_secs).await?;

    audit::session_refreshed(pool, &user, sid).await?; //~ nested_checkout
    Ok(Some(user))
}

pub async fn revoke(pool: &RedisPool, sid: &str) -> Result<(), SessionError> {
    let mut conn = pool.get().await?;
    let _: i64 = conn.del(format!("sess:{sid}")).await?;
    Ok(())
}
