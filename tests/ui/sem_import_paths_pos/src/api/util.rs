use crate::db::Pool;

pub fn resolve_avatar_url(pool: &Pool, user_id: i64) -> anyhow::Result<String> {
    let mut conn = pool.get()?;
    let row = conn.query_opt(
        "SELECT cdn_base || '/' || avatar_key FROM users CROSS JOIN settings WHERE users.id = $1 AND avatar_key IS NOT NULL",
        &[&user_id],
    )?;
    Ok(row.map(|r| r.get(0)).unwrap_or_else(|| "/static/default-avatar.png".to_string()))
}
