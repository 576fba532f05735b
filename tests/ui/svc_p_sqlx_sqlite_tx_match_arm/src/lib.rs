//! Folder operations of the desktop sync daemon (local SQLite index).

use sqlx::SqlitePool;

#[derive(Debug)]
pub enum FolderCommand {
    Rename(String),
    Move { parent: i64 },
    Archive,
}

pub struct FolderStore {
    pool: SqlitePool,
}

impl FolderStore {
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }

    async fn archive_documents(&self, folder_id: i64) -> sqlx::Result<u64> {
        let done = sqlx::query("UPDATE documents SET archived = 1 WHERE folder_id = ?")
            .bind(folder_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn apply(&self, folder_id: i64, cmd: FolderCommand) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        match cmd {
            FolderCommand::Rename(name) => {
                sqlx::query("UPDATE folders SET name = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?")
                    .bind(name)
                    .bind(folder_id)
                    .execute(&mut *tx)
                    .await?;
            }
            FolderCommand::Move { parent } => {
                sqlx::query("UPDATE folders SET parent_id = ? WHERE id = ?")
                    .bind(parent)
                    .bind(folder_id)
                    .execute(&mut *tx)
                    .await?;
            }
            FolderCommand::Archive => {
                let n = self.archive_documents(folder_id).await?; //~ nested_checkout
                tracing::debug!(folder_id, n, "archived documents");
                sqlx::query("UPDATE folders SET archived = 1 WHERE id = ?")
                    .bind(folder_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("INSERT INTO change_log (folder_id, at) VALUES (?, CURRENT_TIMESTAMP)")
            .bind(folder_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}
