//! Leader election for the scheduler: the leader holds a session-level advisory lock
//! on a connection of its own, outside the pool, for as long as it leads.

use bb8::{Pool, RunError};
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::{Client, NoTls};

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum LeaderError {
    #[error(transparent)]
    Pool(#[from] RunError<tokio_postgres::Error>),
    #[error(transparent)]
    Pg(#[from] tokio_postgres::Error),
}

pub struct Leadership {
    /// Dropping this client closes the session, which releases the lock.
    pub lock_client: Client,
    pub lock_key: i64,
}

pub async fn try_become_leader(pool: &PgPool, node: &str) -> Result<Option<Leadership>, LeaderError> {
    let conn = pool.get().await?;
    let lock_key: i64 = conn
        .query_one("SELECT lock_key FROM cluster_config WHERE name = 'scheduler'", &[])
        .await?
        .get(0);

    let state = pool.state();
    tracing::debug!(connections = state.connections, idle = state.idle_connections, "pool before election");

    let lock_client = pool.dedicated_connection().await?; //~ guard_held_across_await
    let acquired: bool = lock_client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&lock_key])
        .await?
        .get(0);
    if !acquired {
        return Ok(None);
    }

    conn.execute(
        "UPDATE cluster_config SET leader = $1, elected_at = now() WHERE name = 'scheduler'",
        &[&node],
    )
    .await?;
    Ok(Some(Leadership { lock_client, lock_key }))
}
