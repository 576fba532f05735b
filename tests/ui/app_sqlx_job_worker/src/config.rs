use std::time::Duration;

use crate::error::WorkerError;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub database_url: String,
    pub worker_id: String,
    pub concurrency: usize,
    pub poll_interval: Duration,
    pub lease: Duration,
    pub reap_interval: Duration,
}

impl WorkerConfig {
    pub fn from_env() -> Result<Self, WorkerError> {
        let num = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
        Ok(Self {
            database_url: std::env::var("DATABASE_URL").map_err(|_| WorkerError::Config("DATABASE_URL is not set"))?,
            worker_id: std::env::var("HOSTNAME").unwrap_or_else(|_| format!("worker-{}", std::process::id())),
            concurrency: num("WORKER_CONCURRENCY", 8) as usize,
            poll_interval: Duration::from_secs(num("POLL_INTERVAL_SECS", 2)),
            lease: Duration::from_secs(num("LEASE_SECS", 60)),
            reap_interval: Duration::from_secs(num("REAP_INTERVAL_SECS", 30)),
        })
    }
}
