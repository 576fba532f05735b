//! Moderation tools: removing a comment removes its whole reply thread.

use r2d2_sqlite::rusqlite;
use r2d2_sqlite::SqliteConnectionManager;

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub fn open_pool(path: &str) -> Result<Pool, ModerationError> {
    let manager = SqliteConnectionManager::file(path)
        .with_init(|c| c.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;"));
    Ok(r2d2::Pool::builder().max_size(8).build(manager)?)
}

/// Deletes a comment and every reply below it; returns how many rows were removed.
pub fn delete_comment_thread(pool: &Pool, comment_id: i64) -> Result<usize, ModerationError> {
    let conn = pool.get()?;
    let mut stmt = conn.prepare_cached("SELECT id FROM comments WHERE parent_id = ?1")?;
    let children: Vec<i64> = stmt
        .query_map([comment_id], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    drop(stmt);

    let mut removed = 0;
    for child in children {
        removed += delete_comment_thread(pool, child)?; //~ nested_checkout
    }
    removed += conn.execute("DELETE FROM comments WHERE id = ?1", [comment_id])?;
    Ok(removed)
}

pub fn hide_comment(pool: &Pool, comment_id: i64, moderator: &str) -> Result<bool, ModerationError> {
    let conn = pool.get()?;
    let n = conn.execute(
        "UPDATE comments SET hidden = 1, hidden_by = ?2 WHERE id = ?1",
        rusqlite::params![comment_id, moderator],
    )?;
    Ok(n == 1)
}
