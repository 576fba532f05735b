pub mod audit;
pub mod sessions;

use std::time::Duration;

use mobc_redis::redis::{self, RedisError};
use mobc_redis::RedisConnectionManager;

pub type RedisPool = mobc::Pool<RedisConnectionManager>;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("redis pool: {0}")]
    Pool(#[from] mobc::Error<RedisError>),
    #[error("redis: {0}")]
    Redis(#[from] RedisError),
}

pub fn build_pool(url: &str) -> Result<RedisPool, RedisError> {
    let client = redis::Client::open(url)?;
    Ok(mobc::Pool::builder()
        .max_open(32)
        .get_timeout(Some(Duration::from_secs(5)))
        .build(RedisConnectionManager::new(client)))
}
