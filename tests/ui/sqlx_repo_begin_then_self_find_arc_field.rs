// The common shape: `AccountRepo::change_handle` opens a transaction with `self.db.begin()` and calls
// `self.find_by_handle(..)`, which runs `fetch_optional(&*self.db)`: a second connection, same pool.
use std::sync::Arc;

use sqlx::{FromRow, PgPool};
use uuid::Uuid;

#[derive(Debug, FromRow)]
pub struct Account {
    pub id: Uuid,
    pub handle: String,
    pub display_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("handle {0} is taken")]
    HandleTaken(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone)]
pub struct AccountRepo {
    db: Arc<PgPool>,
}

impl AccountRepo {
    pub fn new(db: Arc<PgPool>) -> Self {
        Self { db }
    }

    pub async fn find_by_handle(&self, handle: &str) -> Result<Option<Account>, sqlx::Error> {
        sqlx::query_as::<_, Account>("SELECT id, handle, display_name FROM accounts WHERE handle = $1")
            .bind(handle)
            .fetch_optional(&*self.db)
            .await
    }

    pub async fn change_handle(&self, id: Uuid, new_handle: &str) -> Result<(), RepoError> {
        let mut tx = self.db.begin().await?;
        sqlx::query("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if self.find_by_handle(new_handle).await?.is_some() { //~ nested_checkout
            return Err(RepoError::HandleTaken(new_handle.to_owned()));
        }
        sqlx::query("UPDATE accounts SET handle = $2 WHERE id = $1")
            .bind(id)
            .bind(new_handle)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
