use sqlx::PgPool;
use uuid::Uuid;

/// Revokes every refresh token of a user; returns how many were live.
pub async fn revoke_all(pool: &PgPool, user_id: Uuid) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
