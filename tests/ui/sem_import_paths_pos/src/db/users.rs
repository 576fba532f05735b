use super::Pool;

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub handle: String,
    pub avatar_key: Option<String>,
}

pub fn load_user(pool: &Pool, id: i64) -> anyhow::Result<User> {
    let mut conn = pool.get()?;
    let row = conn.query_one("SELECT id, handle, avatar_key FROM users WHERE id = $1", &[&id])?;
    Ok(User {
        id: row.get(0),
        handle: row.get(1),
        avatar_key: row.get(2),
    })
}

pub fn touch_last_seen(pool: &Pool, id: i64) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute("UPDATE users SET last_seen_at = now() WHERE id = $1", &[&id])?;
    Ok(())
}
