use uuid::Uuid;

use crate::db::db;
use crate::quota;

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("upload quota exhausted")]
    QuotaExhausted,
}

pub struct UploadMeta {
    pub file_name: String,
    pub size_bytes: i64,
    pub content_type: String,
}

pub async fn register_upload(user_id: Uuid, meta: &UploadMeta) -> Result<Uuid, UploadError> {
    let mut tx = db().begin().await?;

    sqlx::query("SELECT 1 FROM upload_quotas WHERE user_id = $1 FOR UPDATE")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;

    let left = quota::remaining_uploads(user_id).await?; //~ nested_checkout
    if left <= 0 {
        return Err(UploadError::QuotaExhausted);
    }

    let upload_id = Uuid::new_v4();
    sqlx::query("INSERT INTO uploads (id, user_id, file_name, size_bytes, content_type) VALUES ($1, $2, $3, $4, $5)")
        .bind(upload_id)
        .bind(user_id)
        .bind(&meta.file_name)
        .bind(meta.size_bytes)
        .bind(&meta.content_type)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE upload_quotas SET used_uploads = used_uploads + 1, used_bytes = used_bytes + $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(meta.size_bytes)
        .execute(&mut *tx)
        .await?;

    tx.commit().await?;
    Ok(upload_id)
}
