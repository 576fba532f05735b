// `let conn = &mut *pool.acquire().await?;` borrows a temporary: Rust extends the temporary's
// life to the end of the block, so the connection is held while `load_permissions` runs its
// query on the pool.
use sqlx::{PgPool, Row};

async fn load_permissions(pool: &PgPool, user_id: i64) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query("SELECT permission FROM user_permissions WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| r.try_get("permission")).collect()
}

pub async fn login(pool: &PgPool, email: &str) -> sqlx::Result<Option<(i64, Vec<String>)>> {
    let conn = &mut *pool.acquire().await?;
    let row = sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let permissions = load_permissions(pool, id).await?; //~ nested_checkout
    Ok(Some((id, permissions)))
}
