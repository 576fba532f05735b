use uuid::Uuid;

use crate::AppState;

/// Queues a notification in the outbox; the mailer service picks it up.
pub async fn enqueue(
    state: &AppState,
    user_id: Uuid,
    kind: &str,
    payload: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO notification_outbox (user_id, kind, payload) VALUES ($1, $2, $3)",
        user_id,
        kind,
        payload
    )
    .execute(&state.pg)
    .await?;
    Ok(())
}
