//! The shared Redis pool and the `redis_conn!` shorthand every service of the workspace uses.
use bb8_redis::{bb8, RedisConnectionManager};

pub type RedisPool = bb8::Pool<RedisConnectionManager>;

/// Checks a connection out of the pool, or returns the handler's 503.
#[macro_export]
macro_rules! redis_conn {
    ($pool:expr) => {
        $pool.get().await.map_err(|_| $crate::Unavailable)?
    };
}

#[derive(Debug)]
pub struct Unavailable;

pub async fn connect(url: &str) -> Result<RedisPool, redis::RedisError> {
    let manager = RedisConnectionManager::new(url)?;
    Ok(bb8::Pool::builder().max_size(300).build(manager).await?)
}
