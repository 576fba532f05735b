use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tracing::info;

use crate::error::MoveError;

/// The two databases. They are different servers with pools of their own: holding a source
/// connection while writing to the target never waits on the source pool, and vice versa.
pub struct Pools {
    pub source: PgPool,
    pub target: PgPool,
}

impl Pools {
    pub async fn connect(source_url: &str, target_url: &str, connections: u32) -> Result<Self, MoveError> {
        let options = || PgPoolOptions::new().max_connections(connections).acquire_timeout(Duration::from_secs(10));
        let source = options().connect(source_url).await.map_err(|source| MoveError::Connect { which: "source", source })?;
        let target = options().connect(target_url).await.map_err(|source| MoveError::Connect { which: "target", source })?;
        Ok(Self { source, target })
    }

    pub async fn ping(&self) -> Result<(), MoveError> {
        // Fail fast on a pool that cannot hand out a connection; `let _` returns it at once.
        let _ = self.source.acquire().await?;
        let _ = self.target.acquire().await?;
        let (a, b) = tokio::try_join!(server_version(&self.source), server_version(&self.target))?;
        info!(source = %a, target = %b, "both databases answer");
        Ok(())
    }
}

pub async fn server_version(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SHOW server_version").fetch_one(pool).await
}

pub async fn count_rows(pool: &PgPool, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(pool).await
}
