use uuid::Uuid;

use crate::db::db;

pub async fn remaining_uploads(user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT max_uploads - used_uploads FROM upload_quotas WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db())
        .await
}

pub async fn remaining_bytes(user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT max_bytes - used_bytes FROM upload_quotas WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db())
        .await
}
