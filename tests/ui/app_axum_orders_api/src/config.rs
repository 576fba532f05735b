use std::net::SocketAddr;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub redis_url: String,
    pub listen_addr: SocketAddr,
    pub db_max_connections: u32,
    pub db_acquire_timeout: Duration,
    pub summary_ttl_secs: u64,
    pub max_items_per_order: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("bad configuration: {0}")]
pub struct ConfigError(String);

fn env_or<T: std::str::FromStr>(name: &str, default: &str) -> Result<T, ConfigError> {
    let raw = std::env::var(name).unwrap_or_else(|_| default.to_owned());
    raw.parse().map_err(|_| ConfigError(format!("{name}: cannot parse {raw:?}")))
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            database_url: std::env::var("DATABASE_URL").map_err(|_| ConfigError("DATABASE_URL is not set".into()))?,
            redis_url: env_or("REDIS_URL", "redis://127.0.0.1/")?,
            listen_addr: env_or("LISTEN_ADDR", "0.0.0.0:8080")?,
            db_max_connections: env_or("DB_MAX_CONNECTIONS", "20")?,
            db_acquire_timeout: Duration::from_secs(env_or("DB_ACQUIRE_TIMEOUT_SECS", "5")?),
            summary_ttl_secs: env_or("SUMMARY_TTL_SECS", "300")?,
            max_items_per_order: env_or("MAX_ITEMS_PER_ORDER", "50")?,
        })
    }
}
