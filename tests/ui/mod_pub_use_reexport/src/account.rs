use sqlx::PgPool;
use uuid::Uuid;

use crate::auth::revoke_all;

pub struct AccountService {
    db: PgPool,
}

impl AccountService {
    pub fn new(db: PgPool) -> Self {
        Self { db }
    }

    pub async fn change_password(&self, user_id: Uuid, new_hash: &str) -> Result<u64, sqlx::Error> {
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1")
            .bind(user_id)
            .bind(new_hash)
            .execute(&mut *tx)
            .await?;
        let revoked = revoke_all(&self.db, user_id).await?; //~ nested_checkout
        tx.commit().await?;
        Ok(revoked)
    }
}
