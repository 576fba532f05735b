// `SqlitePool`: `import_bookmarks` holds `pool.acquire()` for the whole import and awaits
// `folder_id(pool, ..)`, which runs `fetch_optional(pool)`: a second connection from the same pool.
use sqlx::SqlitePool;

pub struct Bookmark {
    pub url: String,
    pub title: String,
    pub folder: String,
}

async fn folder_id(pool: &SqlitePool, name: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM folders WHERE name = ?1")
        .bind(name)
        .fetch_optional(pool)
        .await
}

pub async fn import_bookmarks(pool: &SqlitePool, items: &[Bookmark]) -> Result<usize, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *conn).await?;
    let mut imported = 0;
    for item in items {
        let folder = folder_id(pool, &item.folder).await?; //~ nested_checkout
        sqlx::query("INSERT OR IGNORE INTO bookmarks (url, title, folder_id) VALUES (?1, ?2, ?3)")
            .bind(&item.url)
            .bind(&item.title)
            .bind(folder)
            .execute(&mut *conn)
            .await?;
        imported += 1;
    }
    Ok(imported)
}
