//! Process-wide database handles, set once at start-up.
//!
//! `POOL` is the flag database. `AUDIT_POOL` is the audit database: another server, another
//! pool, so holding a flag-database transaction while writing an audit row is fine.

use std::sync::OnceLock;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::sync::Semaphore;

use crate::error::FlagError;

static POOL: OnceLock<PgPool> = OnceLock::new();
static AUDIT_POOL: OnceLock<PgPool> = OnceLock::new();

/// At most one cache refresh at a time.
pub static REFRESH_GATE: Semaphore = Semaphore::const_new(1);

pub struct DbSettings {
    pub flags_url: String,
    pub audit_url: String,
    pub max_connections: u32,
}

pub async fn init(s: &DbSettings) -> Result<(), FlagError> {
    let main = PgPoolOptions::new().max_connections(s.max_connections).acquire_timeout(Duration::from_secs(3)).connect(&s.flags_url).await?;
    let audit = PgPoolOptions::new().max_connections(2).connect(&s.audit_url).await?;
    POOL.set(main).map_err(|_| FlagError::AlreadyInitialized)?;
    AUDIT_POOL.set(audit).map_err(|_| FlagError::AlreadyInitialized)?;
    Ok(())
}

/// The flag database. `OnceLock::get` here; the checkout is whatever runs on the pool next.
pub fn pool() -> &'static PgPool {
    POOL.get().expect("db::init has not run")
}

pub fn audit_pool() -> &'static PgPool {
    AUDIT_POOL.get().expect("db::init has not run")
}
