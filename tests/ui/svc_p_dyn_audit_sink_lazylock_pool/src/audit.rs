use async_trait::async_trait;
use uuid::Uuid;

use crate::db::DB;

#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor: Uuid,
    pub subject: Uuid,
    pub action: &'static str,
}

#[async_trait]
pub trait AuditSink: Send + Sync {
    async fn record(&self, event: &AuditEvent) -> anyhow::Result<()>;
}

/// Writes to the `audit_log` table (production).
pub struct PgAuditSink;

#[async_trait]
impl AuditSink for PgAuditSink {
    async fn record(&self, event: &AuditEvent) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO audit_log (actor, subject, action) VALUES ($1, $2, $3)")
            .bind(event.actor)
            .bind(event.subject)
            .bind(event.action)
            .execute(&*DB)
            .await?;
        Ok(())
    }
}

/// Logs only (local development).
pub struct LogAuditSink;

#[async_trait]
impl AuditSink for LogAuditSink {
    async fn record(&self, event: &AuditEvent) -> anyhow::Result<()> {
        tracing::info!(actor = %event.actor, subject = %event.subject, action = event.action, "audit");
        Ok(())
    }
}
