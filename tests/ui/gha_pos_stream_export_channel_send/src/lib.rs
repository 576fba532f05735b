use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use sqlx::PgPool;
use tokio::sync::mpsc;
use uuid::Uuid;

#[derive(Debug, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: i64,
    pub actor_id: Uuid,
    pub action: String,
    pub target: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("export consumer went away")]
    ReceiverGone,
}

/// Streams a tenant's audit log into `out`, where a separate task
/// serialises the rows into a CSV file for download.
pub async fn stream_audit_log(
    pool: PgPool,
    tenant_id: Uuid,
    since: DateTime<Utc>,
    out: mpsc::Sender<AuditRecord>,
) -> Result<u64, ExportError> {
    let mut conn = pool.acquire().await?;

    sqlx::query("SET statement_timeout = '10min'")
        .execute(&mut *conn)
        .await?;

    let mut rows = sqlx::query_as::<_, AuditRecord>(
        "SELECT id, actor_id, action, target, created_at FROM audit_log \
         WHERE tenant_id = $1 AND created_at >= $2 ORDER BY id",
    )
    .bind(tenant_id)
    .bind(since)
    .fetch(&mut *conn);

    let mut exported = 0u64;
    while let Some(record) = rows.try_next().await? {
        out.send(record).await.map_err(|_| ExportError::ReceiverGone)?; //~ guard_held_across_await
        exported += 1;
    }

    Ok(exported)
}
