//! Persistence for the order service: audit trail and order rows.

use sqlx::PgPool;

/// Appends one line to the audit trail, on a connection of its own.
pub async fn record_audit(pool: &PgPool, actor: i64, action: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action) VALUES ($1, $2)")
        .bind(actor)
        .bind(action)
        .execute(pool)
        .await?;
    Ok(())
}
