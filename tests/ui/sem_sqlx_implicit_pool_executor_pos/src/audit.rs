use sqlx::PgExecutor;
use uuid::Uuid;

pub async fn record(exec: impl PgExecutor<'_>, actor: Uuid, action: &str, subject: Uuid) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_log (actor, action, subject) VALUES ($1, $2, $3)")
        .bind(actor)
        .bind(action)
        .bind(subject)
        .execute(exec)
        .await?;
    Ok(())
}
