use bb8::{Pool, RunError};
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::NoTls;

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum QuotaError {
    #[error("pool: {0}")]
    Pool(#[from] RunError<tokio_postgres::Error>),
    #[error("postgres: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("workspace {0} is over its storage quota")]
    OverQuota(i64),
}

/// Runs one query on a connection checked out just for it.
macro_rules! query_one_scalar {
    ($pool:expr, $sql:expr, $($param:expr),* $(,)?) => {{
        let conn = $pool.get().await?;
        conn.query_one($sql, &[$($param),*]).await?.get(0)
    }};
}

pub struct QuotaService {
    pool: PgPool,
}

impl QuotaService {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    pub async fn check_upload(&self, workspace_id: i64, upload_bytes: i64) -> Result<(), QuotaError> {
        let used: i64 = query_one_scalar!(
            self.pool,
            "SELECT COALESCE(SUM(size_bytes), 0)::BIGINT FROM files WHERE workspace_id = $1",
            &workspace_id,
        );
        let limit: i64 = query_one_scalar!(
            self.pool,
            "SELECT storage_limit_bytes FROM workspaces WHERE id = $1",
            &workspace_id,
        );
        if used + upload_bytes > limit {
            return Err(QuotaError::OverQuota(workspace_id));
        }
        Ok(())
    }

    pub async fn usage_ratio(&self, workspace_id: i64) -> Result<f64, QuotaError> {
        let used: i64 = query_one_scalar!(self.pool, "SELECT COALESCE(SUM(size_bytes), 0)::BIGINT FROM files WHERE workspace_id = $1", &workspace_id);
        let limit: i64 = query_one_scalar!(self.pool, "SELECT storage_limit_bytes FROM workspaces WHERE id = $1", &workspace_id);
        Ok(used as f64 / limit.max(1) as f64)
    }
}
